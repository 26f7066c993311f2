#!/bin/sh
# run.sh TARGET SECONDS: runs build-fuzz/fuzz_TARGET (make fuzz) for
# SECONDS on its working corpus build-fuzz/corpus/TARGET, seeded from
# tests/fuzz/TARGET/corpus; crashes go to build-fuzz/crashes/TARGET/, the
# logs to build-fuzz/TARGET.N.log. Prints the executions and exec/s summed
# over the run.
# A timeout (an input over 1 s) is re-run alone three times: if each run
# then takes under 1 s it was the machine (a shared, loaded host stalls a
# process now and then), it is kept as stall-* and fuzzing resumes for the
# time left; otherwise, like a crash, it stops the run (exit 1).
# run.sh TARGET merge: the working corpus and the committed one minimized
# (-merge=1) into tests/fuzz/TARGET/corpus (log and tick inputs cut to 4 KiB).
# Limits: 1 s per input (a hang), 2 GiB RSS; niced (a shared machine);
# ASan quarantine 16 MiB (see below). FUZZ_NICE=N (environment): the niceness
# (default 15).
# FUZZ_RUNS=N (environment): stop after N executions in all (whichever of
# N and SECONDS comes first).
set -eu
cd "$(dirname "$0")/../.."
t=$1
bin=build-fuzz/fuzz_$t
work=build-fuzz/corpus/$t
seeds=tests/fuzz/$t/corpus
mkdir -p "$work" "build-fuzz/crashes/$t" "$seeds"
# the scratch file each input is written to: in memory when possible
[ -n "${TMPDIR:-}" ] || { [ -d /dev/shm ] && [ -w /dev/shm ] && TMPDIR=/dev/shm || TMPDIR=/tmp; }
export TMPDIR
# ASan's quarantine at 16 MiB instead of 256: freed memory is reused while
# its pages are still mapped, so an input no longer pays page faults for
# fresh memory on every allocation (log: 1.5 -> 0.6 ms an input). A use
# after free is still caught unless 16 MiB were freed in between; an
# input frees far less (FUZZ_SMALL). ASAN_OPTIONS set by the caller wins.
ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16}
export ASAN_OPTIONS
opts="-timeout=1 -rss_limit_mb=2048"
case $t in log) opts="$opts -max_len=4096" ;; esac
if [ "$2" = merge ]; then
	new=build-fuzz/merge-$t
	rm -rf "$new"
	mkdir -p "$new"
	# log, tick: inputs cut to 4 KiB, which keeps nearly all the coverage in a
	# tenth of the bytes
	mopts=$opts
	case $t in log|tick) mopts="-timeout=5 -rss_limit_mb=2048 -max_len=4096" ;; esac
	nice -n 15 "$bin" -merge=1 $mopts "$new" "$seeds" "$work" >"build-fuzz/$t.merge.log" 2>&1
	rm -rf "$seeds"
	mv "$new" "$seeds"
	echo "$t: $(ls "$seeds" | wc -l) inputs, $(du -sk "$seeds" | cut -f1) KiB in $seeds"
	exit 0
fi
left=$2
execs=0
spent=0
n=0
while [ "$left" -gt 5 ]; do
	n=$((n + 1))
	log=build-fuzz/$t.$n.log
	ropts=
	if [ -n "${FUZZ_RUNS:-}" ]; then
		[ $((FUZZ_RUNS - execs)) -gt 0 ] || break
		ropts="-runs=$((FUZZ_RUNS - execs))"
	fi
	echo "$t: nice -n ${FUZZ_NICE:-15} $bin $opts $ropts -max_total_time=$left -print_final_stats=1 -artifact_prefix=build-fuzz/crashes/$t/ $work $seeds"
	start=$(date +%s)
	rc=0
	nice -n "${FUZZ_NICE:-15}" "$bin" $opts $ropts -max_total_time="$left" -print_final_stats=1 \
		-artifact_prefix="build-fuzz/crashes/$t/" "$work" "$seeds" >"$log" 2>&1 || rc=$?
	took=$(( $(date +%s) - start ))
	spent=$((spent + took))
	left=$((left - took))
	e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	execs=$((execs + ${e:-0}))
	[ $rc = 0 ] && break
	to=$(sed -n "s|.*Test unit written to \(build-fuzz/crashes/$t/timeout-[0-9a-f]*\).*|\1|p" "$log" | tail -n 1)
	if [ -n "$to" ]; then
		# the slowest of three runs alone ("Executed FILE in N ms" each)
		ms=0
		for i in 1 2 3; do
			m=$(nice -n 15 "$bin" -runs=1 "$to" 2>&1 | sed -n 's/^Executed .* in \([0-9]*\) ms$/\1/p')
			[ "${m:-99999}" -gt $ms ] && ms=${m:-99999}
		done
		if [ $ms -lt 1000 ]; then
			echo "$t: $to: $ms ms at most when re-run alone: a stall of the machine, not a hang"
			mv "$to" "build-fuzz/crashes/$t/stall-${to##*/timeout-}"
			continue
		fi
		echo "$t: $to: $ms ms when re-run alone: a hang"
	fi
	echo "$t: fuzzer exit $rc, see $log"
	tail -n 30 "$log"
	echo "$t: $execs executions in $spent s before the failure"
	exit 1
done
echo "$t: $execs executions in $spent s ($((execs / (spent > 0 ? spent : 1))) exec/s), $n run(s), no crash, hang or sanitizer report"
