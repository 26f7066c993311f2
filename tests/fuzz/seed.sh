#!/bin/sh
# seed.sh: the first seed inputs of each fuzz target, from the real logs
# in logs/ and the ELF fixtures (make fixtures), into tests/fuzz/T/corpus.
# Run once by hand; the committed corpora are these seeds after fuzzing
# and minimizing (run.sh T merge), so this is kept for the record.
set -eu
cd "$(dirname "$0")/../.."
fx=${TK_FIXTURES:-build/fixtures}
for t in log csv tick elf input; do mkdir -p tests/fuzz/$t/corpus; done
i=0
for f in logs/*/*.log.gz logs/*/*.log; do
	[ -f "$f" ] || continue
	i=$((i + 1))
	case $f in *.gz) cat="gzip -dc" ;; *) cat=cat ;; esac
	# a small log: the head, then ticks and code events from the middle
	$cat "$f" 2>/dev/null | { head -n 120; grep -E '^(tick|code-move|code-delete|code-creation)' | sed -n '2000,2150p'; } >/tmp/seed.$$ || true
	# log: one options byte, then the log
	{ printf "\\$(printf %o $((i * 37 % 256)))"; cat /tmp/seed.$$; } >tests/fuzz/log/corpus/seed-$i
	# input: the small log gzipped, and cut
	gzip -n9 </tmp/seed.$$ >tests/fuzz/input/corpus/seed-$i.gz
	head -c 700 tests/fuzz/input/corpus/seed-$i.gz >tests/fuzz/input/corpus/seed-$i-cut.gz
	# tick: tick lines without "tick,", events behind '!'
	$cat "$f" 2>/dev/null | grep -E '^(tick|code-move|code-delete)' | sed -n '1000,1100p' |
		sed -e 's/^tick,//' -e 's/^code-/!code-/' >tests/fuzz/tick/corpus/seed-$i || true
	# csv: the first line of each event, in each mode
	$cat "$f" 2>/dev/null | awk -F, '!seen[$1]++' | head -n 40 >/tmp/seed.$$.ev || true
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		printf '\000%s' "$line" >tests/fuzz/csv/corpus/seed-$i-$n
		[ $((n % 3)) = 0 ] && printf '\003%s' "$line" >tests/fuzz/csv/corpus/seed-$i-$n-max
	done </tmp/seed.$$.ev
	rm -f /tmp/seed.$$ /tmp/seed.$$.ev
done
printf '\002"a\\x2cb",0x1,"c\\u00e9",\\' >tests/fuzz/csv/corpus/seed-quoted
for f in "$fx"/*; do
	case $f in */stamp) continue ;; esac
	cp "$f" tests/fuzz/elf/corpus/seed-$(basename "$f")
done
