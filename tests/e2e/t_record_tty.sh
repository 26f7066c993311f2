#!/bin/sh
# ticks record under a real terminal (a pty made by script(1)): Ctrl-C
# reaches the command, which is the terminal's foreground, and its log is
# still reported (exit 130); Ctrl-Z stops the command and ticks with it
# (the shell gets its job back), SIGCONT to ticks continues both with the
# command in the foreground again, and Ctrl-C then ends it as before.
# Needs node and script(1); skipped without them.
set -u
: "${TICKS:?TICKS not set}"
command -v node >/dev/null 2>&1 || { echo "node is not installed"; exit 77; }
command -v script >/dev/null 2>&1 || { echo "script(1) is not installed"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-tty.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
cd "$dir" || exit 3
echo 'let s = 0; for (let i = 0; i < 3e10; i++) s += Math.sqrt(i); console.log(s);' >long.js
script -qec true /dev/null >/dev/null 2>&1 </dev/null || { echo "script(1) cannot make a pty here"; exit 77; }

# wait_for CMD...: until CMD succeeds, at most 60 s (sequencing, not timing)
wait_for() {
	k=0
	until "$@"; do
		k=$((k + 1))
		[ $k -gt 600 ] && return 1
		sleep 0.1
	done
}
# a tick line in the log: node runs and is profiled
ticking() { cat "$1"/*.log 2>/dev/null | grep -q '^tick,'; }
state() { ps -o stat= -p "$1" 2>/dev/null; }
exited() { grep -aq EXIT= "$1" 2>/dev/null; }
stopped() { case $(state "$1") in T*) return 0 ;; *) return 1 ;; esac; }
foreground_running() { # the command runs in the terminal's foreground
	for p in $(pgrep -f "long.js" 2>/dev/null); do
		case $(state "$p") in R*+*|S*+*) return 0 ;; esac
	done
	return 1
}

# run NAME KEYS-DRIVER: ticks record in a pty, its pid in NAME.pid
run() {
	name=$1
	shift
	"$@" | script -qec "sh -c 'echo \$\$ >$name.pid; exec \"$TICKS\" record --no-progress -d $name -- node long.js'; echo EXIT=\$?" /dev/null >"$name.out" 2>&1
}

# Ctrl-C
drive_int() {
	wait_for ticking int || { echo "int: node never ticked" >&2; }
	printf '\003'
	wait_for exited int.out
}
run int drive_int
grep -aq 'EXIT=130' int.out || { echo "Ctrl-C: not exit 130:"; cat int.out; exit 1; }
grep -aq '^Statistical profiling result from ' int.out || { echo "Ctrl-C: no report:"; cat int.out; exit 1; }

# Ctrl-Z, SIGCONT, Ctrl-C
: >tstp.err
drive_tstp() {
	wait_for ticking tstp || echo "node never ticked" >>tstp.err
	pid=$(cat tstp.pid)
	printf '\032'
	wait_for stopped "$pid" || echo "Ctrl-Z: ticks ($(state "$pid")) did not stop" >>tstp.err
	kill -CONT "$pid"
	wait_for foreground_running || echo "SIGCONT: the command is not running in the foreground" >>tstp.err
	printf '\003'
	wait_for exited tstp.out
}
run tstp drive_tstp
[ -s tstp.err ] && { cat tstp.err; cat tstp.out; exit 1; }
grep -aq 'EXIT=130' tstp.out || { echo "Ctrl-Z then Ctrl-C: not exit 130:"; cat tstp.out; exit 1; }
grep -aq '^Statistical profiling result from ' tstp.out || { echo "Ctrl-Z then Ctrl-C: no report"; exit 1; }
exit 0
