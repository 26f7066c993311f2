#!/bin/sh
# make install / uninstall honour DESTDIR and PREFIX, and the installed
# binary runs.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-inst.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
cd "$top" || exit 3
make -s install DESTDIR="$dir" PREFIX=/opt/tk >"$dir/log" 2>&1 || { cat "$dir/log"; exit 1; }
[ -x "$dir/opt/tk/bin/ticks" ] || { echo "no binary installed"; exit 1; }
[ -f "$dir/opt/tk/share/man/man1/ticks.1" ] || { echo "no man page installed"; exit 1; }
"$dir/opt/tk/bin/ticks" --version | grep -q '^ticks [0-9]' || { echo "installed binary does not run"; exit 1; }
make -s uninstall DESTDIR="$dir" PREFIX=/opt/tk >"$dir/log" 2>&1 || { cat "$dir/log"; exit 1; }
[ ! -e "$dir/opt/tk/bin/ticks" ] || { echo "uninstall left the binary"; exit 1; }
exit 0
