#!/bin/sh
# make check-sizes: the size limits of src/ (README, "Layers"): no .c file
# over 800 lines, no function over 150 lines, main's driver (ticks_main,
# src/cli/main.c) under 120. A function is a body that opens with "{" in
# column 1 and ends at the next "}" in column 1 (the tree's style: both
# on lines of their own); its name is on the line before the "{".
# Exit 0 when every file and function is within its limit, 1 naming each
# one over.
cd "$(dirname "$0")/.." || exit 2
MAX_FILE=800
MAX_FUNC=150
MAX_MAIN=119
bad=0
for f in src/*/*.c; do
	n=$(wc -l <"$f")
	if [ "$n" -gt $MAX_FILE ]; then
		echo "$f: $n lines (at most $MAX_FILE)"
		bad=1
	fi
	awk -v F="$f" -v MAXF=$MAX_FUNC -v MAXM=$MAX_MAIN '
		/^\{/ { start = NR; name = prev }
		/^\}/ && start {
			n = NR - start + 1
			lim = (F == "src/cli/main.c" && name ~ /ticks_main\(/) ? MAXM : MAXF
			if (n > lim) {
				sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
				printf "%s:%d: %s is %d lines (at most %d)\n", F, start, name, n, lim
				bad = 1
			}
			start = 0
		}
		{ prev = $0 }
		END { exit bad }' "$f" || bad=1
done
if ! grep -q '^static int ticks_main(' src/cli/main.c; then
	echo "src/cli/main.c: no ticks_main (update $0)"
	bad=1
fi
[ $bad = 0 ] && echo "check-sizes: $(ls src/*/*.c | wc -l) files, none over $MAX_FILE lines, no function over $MAX_FUNC, ticks_main under $((MAX_MAIN + 1))"
exit $bad
