#!/bin/sh
# make check-libdwarf0: the whole make check (the dwline suite and the
# --lines goldens included) built against libdwarf 0.x, the API Fedora,
# RHEL/EPEL and Debian 13 ship, on a host whose own libdwarf is older.
#
# Debian 13's libdwarf-dev and libdwarf1 (0.11.1; the library needs only
# GLIBC_2.14) come from the Debian archive this machine's apt already uses
# (its host read from /etc/apt/sources.list{,.d}; TK_DEBIAN_MIRROR=URL
# names another), suite trixie, through a private sources list and private
# apt state in the build folder: the machine's apt configuration is not
# touched. The index is verified with the keyring the machine's own Debian
# source names (Signed-By; else debian-archive-keyring.gpg; Debian 12's
# 2023.3+deb12u2 carries trixie's keys), and apt-get download checks each .deb's
# SHA256 against that signed index. The .debs are cached in the build
# folder and reused (TK_LIBDWARF0_REFRESH=1 fetches them again).
#
# The package is laid out as Fedora lays out libdwarf-devel (include/
# libdwarf-0/, lib/pkgconfig/libdwarf.pc) and configure must find it there
# through pkg-config, both with the .pc as Fedora ships it and as pkg-config
# resolves it where its Requires.private are installed; configure must also
# find Debian 13's own layout (include/libdwarf/, a .pc naming libdwarf-1),
# and pass over a header without a call src/symbols/dwline.c makes.
# The build runs with an rpath to the private library (ldd checked).
#
#   sh tests/libdwarf0.sh         (needs config.mk: ./configure first)
#   TK_LIBDWARF0_DIR=DIR          the build folder (build-libdwarf0)
#   TK_LIBDWARF0_ASAN=1           also make check under ASan + UBSan
#
# Exit 0 when make check passed, 77 (skipped, said why) when the archive
# cannot be reached and nothing is cached, 1 on any failure.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ -f config.mk ] || { echo "check-libdwarf0: config.mk is missing: run ./configure first" >&2; exit 1; }
B=${TK_LIBDWARF0_DIR:-build-libdwarf0}
mkdir -p "$B"
B=$(cd "$B" && pwd)
suite=trixie
pkgs="libdwarf-dev libdwarf1"
say() { printf 'check-libdwarf0: %s\n' "$*"; }
fail() { say "$*" >&2; exit 1; }
skip() { say "SKIPPED: $*"; exit 77; }
cfg() { sed -n "s/^$1 = //p" "$2"; }

# mirror: prints "URI KEYRING" of the machine's Debian archive, the first
# source (one-line or deb822) of type deb, component main and this
# release's suite (VERSION_CODENAME); KEYRING is its signed-by file or "-".
mirror() {
	codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || codename=
	[ -n "$codename" ] || codename=bookworm
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v want="$codename" '
		$1 == "deb" {
			key = "-"; i = 2
			if ($2 ~ /^\[/) {
				while (i <= NF) {
					if ($i ~ /signed-by=/) { key = $i; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key) }
					if ($i ~ /\]$/) { i++; break }
					i++
				}
			}
			if ($(i + 1) != want) next
			for (j = i + 2; j <= NF; j++) if ($j == "main") { print $i, key; exit }
		}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v want="$codename" '
		function flush() {
			if ((" " types " ") ~ / deb / && enabled != "no" && (" " suites " ") ~ (" " want " ") &&
			    (" " comps " ") ~ / main /) {
				split(uris, u, " "); print u[1], (key == "" ? "-" : key); done = 1; exit
			}
			types = uris = suites = comps = enabled = key = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^[^ \t]/ {
			k = tolower($1); sub(/:$/, "", k); v = $0; sub(/^[^:]*:[ \t]*/, "", v)
			if (k == "types") types = v; else if (k == "uris") uris = v
			else if (k == "suites") suites = v; else if (k == "components") comps = v
			else if (k == "enabled") enabled = tolower(v); else if (k == "signed-by") key = v
		}
		END { if (!done) flush() }' "$f"
	done
}

# fetch: the .debs into $B/debs, verified against the signed index
fetch() {
	if [ -n "${TK_DEBIAN_MIRROR:-}" ]; then
		uri=$TK_DEBIAN_MIRROR key=-
	else
		set -- $(mirror | head -n 1)
		[ $# = 2 ] || skip "no Debian archive of type deb, suite $codename, component main in /etc/apt/sources.list{,.d} (TK_DEBIAN_MIRROR=URL names one)"
		uri=$1 key=$2
	fi
	case $key in /*) [ -f "$key" ] || key=- ;; *) key=- ;; esac
	[ "$key" != - ] || [ ! -f /usr/share/keyrings/debian-archive-keyring.gpg ] ||
		key=/usr/share/keyrings/debian-archive-keyring.gpg
	a=$B/apt
	rm -rf "$a"
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$B/debs.new"
	: >"$a/status"
	if [ "$key" = - ]; then opts=; else opts="[signed-by=$key] "; fi
	echo "deb $opts$uri $suite main" >"$a/sources.list"
	if [ "$key" = - ]; then by="the machine's trusted keys"; else by=$key; fi
	say "fetching $pkgs from $uri $suite (index verified with $by)"
	arch=$(dpkg --print-architecture)
	set -- -q -o Dir::Etc::SourceList="$a/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null \
		-o Dir::State::Lists="$a/lists" -o Dir::Cache="$a/cache" -o Dir::State::status="$a/status" \
		-o APT::Architecture="$arch" -o APT::Architectures="$arch" -o Acquire::Languages=none \
		-o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20 -o Acquire::Retries=1
	apt-get "$@" update >"$a/update.log" 2>&1 || true
	if ! ls "$a/lists/" | grep -q "_dists_${suite}_main_binary-${arch}_Packages"; then
		cat "$a/update.log"
		if grep -qE 'NO_PUBKEY|EXPKEYSIG|not signed|signature|Signed-By|is not valid yet' "$a/update.log"; then
			fail "the $suite index could not be verified (a debian-archive-keyring with trixie's keys, debian-archive-trixie-*.gpg, is needed)"
		fi
		skip "the Debian archive $uri cannot be reached"
	fi
	# apt-get download writes to the current directory (as this user:
	# the sandbox user could not write to it)
	(cd "$B/debs.new" && apt-get "$@" -o APT::Sandbox::User="$(id -un)" download $pkgs) >"$a/download.log" 2>&1 || {
		cat "$a/download.log"; fail "apt-get download $pkgs failed"; }
	rm -rf "$B/debs"
	mv "$B/debs.new" "$B/debs"
}

# --- the packages, cached
if [ "${TK_LIBDWARF0_REFRESH:-}" = 1 ] || ! ls "$B"/debs/libdwarf-dev_*.deb "$B"/debs/libdwarf1_*.deb >/dev/null 2>&1; then
	command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 ||
		skip "apt-get and dpkg are needed to fetch Debian 13's libdwarf"
	rm -rf "$B/debs.new"
	fetch
else
	say "cached: $(cd "$B/debs" && echo *.deb)"
fi
for p in $pkgs; do
	d=$(ls "$B"/debs/${p}_*.deb)
	say "$(dpkg-deb --show --showformat='${Package} ${Version} ${Architecture}' "$d")"
done

# --- Debian 13's files, and the same laid out as Fedora lays them out
root=$B/root
rm -rf "$root" "$B/fedora" "$B/fedora-pc"
for d in "$B"/debs/*.deb; do dpkg-deb -x "$d" "$root"; done
deblib=$(dirname "$(ls "$root"/usr/lib/*/libdwarf.so)")
[ -f "$root/usr/include/libdwarf/libdwarf.h" ] || fail "no include/libdwarf/libdwarf.h in the package"
version=$(sed -n 's/^#define DW_LIBDWARF_VERSION "\(.*\)"/\1/p' "$root/usr/include/libdwarf/libdwarf.h")
case $version in 0.*) ;; *) fail "the package's libdwarf.h says version '$version', not 0.x" ;; esac
pfx=$B/fedora
mkdir -p "$pfx/include/libdwarf-0" "$pfx/lib/pkgconfig" "$B/fedora-pc"
cp "$root"/usr/include/libdwarf/*.h "$pfx/include/libdwarf-0/"
cp -P "$deblib"/libdwarf.so* "$pfx/lib/"
# the .pc as Fedora's libdwarf-devel ships it (there its Requires.private
# are installed with it), and as pkg-config then resolves it
pc() {
	printf 'prefix=%s\nexec_prefix=${prefix}\nlibdir=${prefix}/lib\nincludedir=${prefix}/include\n\n' "$pfx"
	printf 'Name: libdwarf\nDescription: DWARF debug symbols library\nVersion: %s\n' "$version"
	[ "$1" = fedora ] && printf 'Requires.private: zlib libzstd\n'
	printf 'Libs: -L${libdir} -ldwarf\nCflags: -I${includedir}/libdwarf-0\n'
}
pc fedora >"$pfx/lib/pkgconfig/libdwarf.pc"
pc resolved >"$B/fedora-pc/libdwarf.pc"
# Debian 13's own .pc, moved from /usr to $root
sed "s,/usr,$root/usr,g" "$deblib/pkgconfig/libdwarf.pc" >"$root/libdwarf.pc.tmp"
mv "$root/libdwarf.pc.tmp" "$deblib/pkgconfig/libdwarf.pc"

# --- configure finds each layout (and not this host's older libdwarf)
CC=$(cfg CC config.mk)
CFLAGS=$(cfg CFLAGS config.mk)
LDFLAGS=$(cfg LDFLAGS config.mk)
probe() { # NAME PKG_CONFIG_PATH LIBDIR HEADER-DIR
	c=$B/conf-$1
	rm -rf "$c"
	mkdir -p "$c"
	(cd "$c" && PKG_CONFIG_PATH=$2 sh "$top/configure" CC="$CC" CFLAGS="$CFLAGS" \
		LDFLAGS="${LDFLAGS:+$LDFLAGS }-Wl,-rpath,$3" >configure.log 2>&1) || {
		cat "$c/configure.log"; fail "$1: configure failed"; }
	api=$(cfg DWARF_API "$c/config.mk")
	cf=$(echo $(cfg DWARF_CFLAGS "$c/config.mk"))
	lb=$(echo $(cfg DWARF_LIBS "$c/config.mk"))
	[ "$api" = new ] && [ "$cf" = "-I$4" ] && case " $lb " in *" -L$3 "*) true ;; *) false ;; esac || {
		cat "$c/configure.log"
		fail "$1: configure chose DWARF_API='$api' DWARF_CFLAGS='$cf' DWARF_LIBS='$lb', not the 0.x API in $4"; }
	say "configure, $1 layout: $(grep 'checking for libdwarf' "$c/configure.log"), $cf $lb"
}
probe fedora "$pfx/lib/pkgconfig" "$pfx/lib" "$pfx/include/libdwarf-0"
probe fedora-resolved "$B/fedora-pc" "$pfx/lib" "$pfx/include/libdwarf-0"
probe debian13 "$deblib/pkgconfig" "$deblib" "$root/usr/include/libdwarf"
# a libdwarf too old for src/symbols/dwline.c (here: 0.11.1's header without
# dwarf_dealloc_die, added in 2020) is passed over, and named
o=$B/too-old
rm -rf "$o" "$B/conf-too-old"
mkdir -p "$o/include/libdwarf-0" "$o/lib/pkgconfig" "$B/conf-too-old"
cp "$pfx/include/libdwarf-0/dwarf.h" "$o/include/libdwarf-0/"
sed '/^DW_API void dwarf_dealloc_die(/,/;/d' "$pfx/include/libdwarf-0/libdwarf.h" >"$o/include/libdwarf-0/libdwarf.h"
cp -P "$pfx"/lib/libdwarf.so* "$o/lib/"
! grep -q '^DW_API.*dwarf_dealloc_die(' "$o/include/libdwarf-0/libdwarf.h" ||
	fail "could not take dwarf_dealloc_die out of the header"
sed "s,^prefix=.*,prefix=$o," "$B/fedora-pc/libdwarf.pc" >"$o/lib/pkgconfig/libdwarf.pc"
(cd "$B/conf-too-old" && PKG_CONFIG_PATH=$o/lib/pkgconfig sh "$top/configure" CC="$CC" CFLAGS="$CFLAGS" \
	LDFLAGS="$LDFLAGS" >configure.log 2>&1) || { cat "$B/conf-too-old/configure.log"; fail "too-old: configure failed"; }
case $(cfg DWARF_CFLAGS "$B/conf-too-old/config.mk") in *"$o"*)
	cat "$B/conf-too-old/configure.log"; fail "too-old: configure chose a libdwarf.h without dwarf_dealloc_die" ;; esac
grep -q "passed over the libdwarf headers at.*'-I$o/include/libdwarf-0" "$B/conf-too-old/configure.log" || {
	cat "$B/conf-too-old/configure.log"; fail "too-old: configure did not name the header it passed over"; }
say "configure, too-old header: passed over ($(grep 'checking for libdwarf' "$B/conf-too-old/configure.log"), $(cfg DWARF_CFLAGS "$B/conf-too-old/config.mk"))"

# --- make check against the Fedora layout
c=$B/conf-fedora
set -- HAVE_LIBDWARF=1 DWARF_API=new DWARF_CFLAGS="$(cfg DWARF_CFLAGS "$c/config.mk")" \
	DWARF_LIBS="$(cfg DWARF_LIBS "$c/config.mk")" LDFLAGS="$(cfg LDFLAGS "$c/config.mk")"
linked() { # BINARY: its libdwarf must be the private one
	l=$(ldd "$1" | awk '$1 ~ /^libdwarf\.so/ { print $3 }')
	[ "$l" = "$pfx/lib/$(basename "$l")" ] && [ -f "$l" ] || { ldd "$1"; fail "$1 is not linked with $pfx/lib's libdwarf"; }
	say "$(basename "$1") runs with $l"
}
obj=$B/obj
make -j2 BUILD="$obj" "$@" "$obj/ticks" "$obj/unit_tests" >"$B/build.log" 2>&1 || { tail -n 40 "$B/build.log"; fail "build failed"; }
if grep -E 'warning:' "$B/build.log"; then fail "the build against libdwarf $version has warnings"; fi
linked "$obj/ticks"
linked "$obj/unit_tests"
make BUILD="$obj" "$@" check || fail "make check failed against libdwarf $version"
if [ "${TK_LIBDWARF0_ASAN:-}" = 1 ]; then
	san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
	make -j2 BUILD="$B/obj-asan" EXTRA_CFLAGS="$san" "$@" "$B/obj-asan/ticks" >"$B/build-asan.log" 2>&1 ||
		{ tail -n 40 "$B/build-asan.log"; fail "ASan build failed"; }
	make BUILD="$B/obj-asan" EXTRA_CFLAGS="$san" "$@" check || fail "make check (ASan + UBSan) failed against libdwarf $version"
fi
say "ok: make check passed against libdwarf $version (Debian 13's package in Fedora's layout)"
