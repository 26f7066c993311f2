#!/bin/sh
# ticks --completion=bash|zsh: the bash script, driven through its function
# with COMP_WORDS/COMP_CWORD, offers every long option of --help, the
# --format values (each one accepted by ticks, all of them named by its
# error message) and file names; the zsh script parses (when zsh is
# installed); make install puts both where bash-completion and zsh look.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
TICKS=${TICKS:-$top/ticks}
command -v bash >/dev/null 2>&1 || { echo "bash is not installed"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-comp.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$TICKS" --completion=bash >"$dir/ticks.bash" || { echo "--completion=bash failed"; exit 1; }
"$TICKS" --completion=zsh >"$dir/_ticks" || { echo "--completion=zsh failed"; exit 1; }
"$TICKS" --completion=fish >/dev/null 2>&1
[ $? = 2 ] || bad "--completion=fish: want exit code 2"

# comp WORD...: the completions of the last word (one per line, sorted)
comp() {
	bash -c '. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_ticks ticks "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$dir/ticks.bash" "$@" | sort
}

# registered for ticks
bash -c '. "$1"; complete -p ticks' sh "$dir/ticks.bash" >"$dir/reg" 2>&1
grep -q -- '-F _ticks ticks' "$dir/reg" || bad "complete -p ticks: $(cat "$dir/reg")"

# ticks diff --<TAB>: only what diff takes and uses (no refusal, no
# "has no effect" warning); ticks --<TAB>: not diff's own --fail-above
sample=$top/logs/node22-gc/node22-gc.log.gz
for o in $(comp ticks diff --); do
	case $o in --help|--version|--completion=|--output=) continue ;; esac
	v=
	case $o in
	--*=) case $o in --range=) v=0,1000 ;; --from=|--to=) v=10 ;; --sysroot=|--debug-dir=|--source-map-dir=) v=/ ;;
		--focus=|--ignore=|--hide=) v=x ;; --threads=) v=1 ;; *) v=1 ;; esac ;;
	esac
	"$TICKS" diff --no-symbols -q "$o$v" "$sample" "$sample" >/dev/null 2>&1
	rc=$?
	[ $rc = 0 ] || [ $rc = 4 ] || bad "ticks diff $o$v: exit $rc (offered by diff's completion)"
	"$TICKS" diff --no-symbols "$o$v" "$sample" "$sample" 2>&1 >/dev/null | grep -q 'has no effect' &&
		bad "ticks diff $o$v: said to have no effect (offered by diff's completion)"
done
comp ticks diff -- | grep -qx -- --fail-above= || bad "ticks diff --: no --fail-above"
comp ticks diff -- | grep -qx -- --cutoff= && bad "ticks diff --: offers --cutoff"
comp ticks -- | grep -qx -- --fail-above= && bad "ticks --: offers diff's --fail-above"

# --form<TAB> -> --format=
[ "$(comp ticks --form)" = "--format=" ] || bad "--form: got '$(comp ticks --form)'"

# every long option of --help, and nothing else
"$TICKS" --help | sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u >"$dir/help"
{ comp ticks --; comp ticks diff --; } | sed 's/=$//' | sort -u >"$dir/offered"
[ -s "$dir/help" ] || bad "no long options found in --help"
diff "$dir/help" "$dir/offered" >"$dir/optdiff" || { bad "options of --help (<) and completion (>) differ:"; cat "$dir/optdiff"; }

# --format=<TAB>: one word, or split at '=' as readline does by default
formats=$(comp ticks --format=)
[ "$(comp ticks --format = | tr '\n' ' ')" = "$(echo "$formats" | sed 's/^--format=//' | tr '\n' ' ')" ] ||
	bad "--format = (split): got '$(comp ticks --format =)'"
[ "$(comp ticks --format = js)" = "json" ] || bad "--format = js: got '$(comp ticks --format = js)'"
[ "$(comp ticks --format=sp)" = "--format=speedscope" ] || bad "--format=sp: got '$(comp ticks --format=sp)'"
[ "$(comp ticks --format pp)" = "pprof" ] || bad "--format pp: got '$(comp ticks --format pp)'"
"$TICKS" --format=bogus x 2>"$dir/err" >/dev/null
msg_formats=$(sed -n "s/.*unknown format 'bogus' (\([^)]*\)).*/\1/p" "$dir/err" | tr -d ',' | tr ' ' '\n' | sort)
[ -n "$msg_formats" ] || bad "no format list in: $(cat "$dir/err")"
[ "$(echo "$formats" | sed 's/^--format=//' | sort)" = "$msg_formats" ] ||
	bad "formats offered ($(echo $formats)) differ from the ones ticks names ($(echo $msg_formats))"
for f in $(echo "$formats" | sed 's/^--format=//'); do
	"$TICKS" --format="$f" --help >/dev/null 2>&1 || bad "ticks rejects --format=$f"
done
[ "$(comp ticks --completion= | tr '\n' ' ')" = "--completion=bash --completion=zsh " ] ||
	bad "--completion=: got '$(comp ticks --completion=)'"

# log file names, in the current directory and under a path
mkdir "$dir/logs"
: >"$dir/logs/isolate-0x1234-v8.log"
: >"$dir/logs/other.txt"
[ "$(cd "$dir/logs" && comp ticks iso)" = "isolate-0x1234-v8.log" ] || bad "iso: got '$(cd "$dir/logs" && comp ticks iso)'"
[ "$(comp ticks --no-symbols "$dir/logs/iso")" = "$dir/logs/isolate-0x1234-v8.log" ] || bad "path/iso: got '$(comp ticks --no-symbols "$dir/logs/iso")'"
[ "$(comp ticks -o "$dir/logs/oth")" = "$dir/logs/other.txt" ] || bad "-o path/oth: got '$(comp ticks -o "$dir/logs/oth")'"

# zsh: the script parses
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$dir/_ticks" 2>"$dir/zerr" || { bad "zsh -n:"; cat "$dir/zerr"; }
	head -n 1 "$dir/_ticks" | grep -q '^#compdef ticks' || bad "_ticks does not start with #compdef ticks"
else
	echo "note: zsh is not installed, its script is not checked"
fi

# make install / uninstall put them where bash-completion and zsh look
if [ "$(cd "$top" && make -s version 2>/dev/null)" != "" ]; then
	(cd "$top" && make -s install DESTDIR="$dir/root" PREFIX=/usr) >"$dir/log" 2>&1 || { cat "$dir/log"; exit 1; }
	cmp -s "$dir/root/usr/share/bash-completion/completions/ticks" "$dir/ticks.bash" || bad "bash completion not installed"
	cmp -s "$dir/root/usr/share/zsh/site-functions/_ticks" "$dir/_ticks" || bad "zsh completion not installed"
	(cd "$top" && make -s uninstall DESTDIR="$dir/root" PREFIX=/usr) >"$dir/log" 2>&1 || { cat "$dir/log"; exit 1; }
	[ ! -e "$dir/root/usr/share/bash-completion/completions/ticks" ] || bad "uninstall left the bash completion"
fi
exit $fail
