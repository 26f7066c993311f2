#!/bin/sh
# run.sh TARGET SECONDS: runs build-fuzz/fuzz_TARGET (make fuzz) for
# SECONDS on its working corpus build-fuzz/corpus/TARGET, seeded from
# tests/fuzz/TARGET/corpus; crashes go to build-fuzz/crashes/TARGET/, the
# log to build-fuzz/TARGET.log (the final stats line: execs, exec/s).
# run.sh TARGET merge: the working corpus and the committed one minimized
# (-merge=1) into tests/fuzz/TARGET/corpus.
# Limits: 1 s per input (a hang), 2 GiB RSS; niced (a shared machine).
set -eu
cd "$(dirname "$0")/../.."
t=$1
bin=build-fuzz/fuzz_$t
work=build-fuzz/corpus/$t
seeds=tests/fuzz/$t/corpus
mkdir -p "$work" "build-fuzz/crashes/$t" "$seeds"
export TMPDIR=${TMPDIR:-/tmp}
if [ "$2" = merge ]; then
	new=build-fuzz/merge-$t
	rm -rf "$new"
	mkdir -p "$new"
	nice -n 15 "$bin" -merge=1 -timeout=1 -rss_limit_mb=2048 "$new" "$seeds" "$work" >"build-fuzz/$t.merge.log" 2>&1
	rm -rf "$seeds"
	mv "$new" "$seeds"
	echo "$t: $(ls "$seeds" | wc -l) inputs, $(du -sk "$seeds" | cut -f1) KiB in $seeds"
	exit 0
fi
echo "$t: nice -n 15 $bin -timeout=1 -rss_limit_mb=2048 -max_total_time=$2 -print_final_stats=1 -artifact_prefix=build-fuzz/crashes/$t/ $work $seeds"
rc=0
nice -n 15 "$bin" -timeout=1 -rss_limit_mb=2048 -max_total_time="$2" -print_final_stats=1 \
	-artifact_prefix="build-fuzz/crashes/$t/" "$work" "$seeds" >"build-fuzz/$t.log" 2>&1 || rc=$?
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "build-fuzz/$t.log" || true
[ $rc = 0 ] || { echo "$t: fuzzer exit $rc, see build-fuzz/$t.log"; tail -n 30 "build-fuzz/$t.log"; }
exit $rc
