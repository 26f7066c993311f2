#!/bin/sh
# gen.sh OUTDIR: corrupt copies of the ELF fixture fx.so: cut short, the
# section header table past the end of the file, .symtab linked to a
# string table index that does not exist; and fx-nopie logged at a range
# it does not fit (a file changed since the log was written). The ticks
# in them are reported at library level (or named, with a warning: the
# bad string table link leaves the exported .dynsym names).
set -eu
out=$1
fx=${TK_FIXTURES:?TK_FIXTURES not set}
cd "$out"
so=$fx/fx.so
head -c 3000 "$so" >truncated.so
# e_shoff (offset 0x28, 8 bytes, little endian) = 0x7fff0000
cp "$so" shoff.so
printf '\000\000\377\177\000\000\000\000' | dd of=shoff.so bs=1 seek=40 conv=notrunc 2>/dev/null
# .symtab's sh_link (section header + 40) = 0x7fff
cp "$so" strndx.so
shoff=$(readelf -hW "$so" | awk '/Start of section headers/ { print $5 }')
idx=$(readelf -SW "$so" | awk '$2 == ".symtab" { gsub(/[][]/, "", $1); print $1 }')
case $idx in '') idx=$(readelf -SW "$so" | awk '$3 == ".symtab" { print $2 }' | tr -d '[]') ;; esac
printf '\377\177\000\000' | dd of=strndx.so bs=1 seek=$((shoff + idx * 64 + 40)) conv=notrunc 2>/dev/null
cp "$fx/fx-nopie" changed
# padded to a fixed size: the warning names the size, and the fixture's
# size depends on the length of the build path (DWARF strings) and on the
# architecture (aarch64's 64 KiB segment alignment)
[ "$(wc -c <changed)" -le 131072 ] && truncate -s 131072 changed
# where fx.so's last executable segment ends, page-rounded, and where its
# exported tk_fixture_a is
e=0
for seg in $(readelf -lW "$so" | awk '$1 == "LOAD" && $0 ~ / R E / { print $2 ":" $5 }'); do
	x=$(( ${seg%%:*} + ${seg#*:} ))
	[ $x -gt $e ] && e=$x
done
cend=$(( (e + 4095) / 4096 * 4096 ))
a=$(nm -D "$so" | awk '$3 ~ /^tk_fixture_a(@|$)/ { print $1; exit }')
[ -n "$a" ] && [ -n "$cend" ] || { echo "gen.sh: fx.so has no tk_fixture_a" >&2; exit 1; }
{
	echo "v8-version,11,3,244,8,-node.38,0"
	echo "shared-library,truncated.so,0x7f0000000000,$(printf 0x%x $((0x7f0000000000 + cend))),0"
	echo "shared-library,shoff.so,0x7f1000000000,$(printf 0x%x $((0x7f1000000000 + cend))),0"
	echo "shared-library,strndx.so,0x7f2000000000,$(printf 0x%x $((0x7f2000000000 + cend))),0"
	echo "shared-library,changed,0x400000,0x2400000,0"
	echo "code-creation,JS,10,100,0x3e0000001000,256,jsCaller /app/x.js:1:1,0x3e0000009000,*"
	for base in 0x7f0000000000 0x7f1000000000 0x7f2000000000; do
		echo "tick,$(printf 0x%x $((base + 0x$a + 1))),1000,0,0x0,6,0x3e0000001010"
	done
	echo "tick,0x1000100,1003,0,0x0,6,0x3e0000001010"
	echo "tick,0x3e0000001010,1004,0,0x0,0"
} >elf.log
