#!/bin/sh
# make check-stderr: warnings go through one channel (src/base/diag.h).
# Only src/base/diag.c (the sink) and src/cli/args.c (usage and help
# text) may name stderr or write to it otherwise (STDERR_FILENO, perror,
# <err.h>). Comments are not looked at. Exit 0 when clean, 1 naming each
# line that does.
cd "$(dirname "$0")/.." || exit 2
bad=0
for f in src/*/*.c src/*/*.h; do
	case $f in src/base/diag.c | src/cli/args.c) continue ;; esac
	# drop /* ... */ and // comments (one line at a time: a comment's
	# inner lines start with " *"), then look for the names
	hits=$(sed -e 's://.*$::' -e 's:/\*.*\*/::g' -e 's:/\*.*$::' -e 's:^[[:space:]]*\*.*$::' "$f" |
		grep -nE '(^|[^A-Za-z0-9_])(stderr|perror|STDERR_FILENO)([^A-Za-z0-9_]|$)|#[[:space:]]*include[[:space:]]*<err\.h>|(^|[^A-Za-z0-9_])write[[:space:]]*\([[:space:]]*2[[:space:]]*,')
	if [ -n "$hits" ]; then
		echo "$hits" | sed "s|^|check-stderr: $f:|; s|\$|  (write through base/diag.h)|"
		bad=1
	fi
done
exit $bad
