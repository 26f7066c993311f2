#!/bin/sh
# Every C++ name ticks gives a sampled pc equals the function addr2line
# names for that address (pc - bias in the library's ELF file), over all
# native pcs of a fresh log of this machine's node. With -i addr2line
# lists inlined functions innermost first; the last one is the function
# the address is in, which is what a symbol names. Libraries with a
# separate debug file are left out: addr2line takes its names from their
# DWARF, whose names for aliases differ from the symbol tables'. Skipped
# (77) without node or addr2line.
set -u
# A2L_LOG=FILE checks an existing log instead of a fresh one.
[ -n "${A2L_LOG:-}" ] || command -v node >/dev/null 2>&1 || { echo "node not found"; exit 77; }
command -v addr2line >/dev/null 2>&1 || { echo "addr2line not found"; exit 77; }
command -v readelf >/dev/null 2>&1 || { echo "readelf not found"; exit 77; }
: "${TICKS:?TICKS not set}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/ticks-a2l.XXXXXX") || exit 3
trap 'rm -rf "$dir"' EXIT INT TERM
cd "$dir" || exit 3
cat >work.js <<'JS'
const zlib = require('zlib'), crypto = require('crypto');
const end = Date.now() + 1000; let n = 0; const keep = [];
while (Date.now() < end) {
  const b = Buffer.alloc(4096, n & 255);
  n += zlib.deflateSync(b).length + crypto.createHash('sha256').update(b).digest()[0];
  keep.push({ n, s: 'x' + n }); if (keep.length > 1000) keep.length = 0;
}
if (n < 0) console.log(n);
JS
if [ -n "${A2L_LOG:-}" ]; then
	log=$A2L_LOG
else
	node --prof work.js || { echo "node --prof failed"; exit 1; }
	log=$(ls isolate-*.log | head -n 1)
fi
"$TICKS" -q --pcs "$log" >pcs.tsv || { echo "ticks --pcs failed"; exit 1; }
# PLT stubs (name@plt) are named as objdump names them; addr2line has no name for them
awk -F'\t' '$3 == "cpp" && $6 !~ /@plt$/ { print $4 "\t" $5 "\t" $6 }' pcs.tsv >cpp.tsv
total=$(wc -l <cpp.tsv)
[ "$total" -gt 0 ] || { echo "no C++ pcs in the log"; exit 1; }
checked=0
fail=0
for lib in $(cut -f1 cpp.tsv | sort -u); do
	bid=$(readelf -n "$lib" 2>/dev/null | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p')
	if [ -n "$bid" ] && [ -e "/usr/lib/debug/.build-id/$(echo "$bid" | cut -c1-2)/$(echo "$bid" | cut -c3-).debug" ]; then
		echo "left out (separate debug file): $lib"; continue
	fi
	awk -F'\t' -v l="$lib" '$1 == l' cpp.tsv >one.tsv
	# -a starts each address's group with the address; -f -i then give
	# function/location pairs, innermost first: keep each group's last
	cut -f2 one.tsv | addr2line -a -f -i -C -e "$lib" |
		awk '/^0x[0-9a-f]+$/ { if (have) print fn; have = 1; k = 0; next }
		     { if (k++ % 2 == 0) fn = $0 } END { if (have) print fn }' >a2l.txt
	cut -f3 one.tsv | sed 's/@.*//' >ticks.txt
	# a different name passes only as an alias (nm puts both at one
	# address: folded or aliased functions) or as the same function
	# without GCC's clone suffix (addr2line names uv__try_write where
	# the symbol is uv__try_write.isra.5)
	paste -d '\n' ticks.txt a2l.txt | paste - - -d '|' | awk -F'|' '$1 != $2' >diff.txt
	bad=
	if [ -s diff.txt ]; then
		nm -C --defined-only "$lib" 2>/dev/null >nm.txt
		nm -C -D --defined-only "$lib" 2>/dev/null | sed 's/@.*//' >>nm.txt
		bad=$(awk -F'|' 'FNR == NR { a = $1; $1 = ""; $2 = ""; sub(/^  /, ""); at[$0] = a; next }
			function base(n) { sub(/ \[clone .*$/, "", n); sub(/\.(isra|part|constprop|cold|localalias)(\.[0-9]+)*$/, "", n); return n }
			!(($1 in at) && ($2 in at) && at[$1] == at[$2]) && base($1) != base($2)' FS=' ' nm.txt FS='|' diff.txt)
		echo "$lib: $(wc -l <diff.txt) other names, all aliases or clones"
	fi
	n=$(wc -l <one.tsv)
	checked=$((checked + n))
	if [ -n "$bad" ]; then
		echo "$lib: names differ (ticks|addr2line):"; echo "$bad" | head -10; fail=1
	else
		echo "$lib: $n pcs, all names equal"
	fi
done
echo "checked $checked of $total C++ pcs"
[ "$checked" -gt 0 ] || { echo "no library could be checked"; exit 77; }
exit $fail
