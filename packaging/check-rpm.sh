#!/bin/sh
# Proves the release path on this host: make dist, rebuild the tarball from
# an empty directory with the tests (./configure && make && make check),
# rpmbuild -ta it (with %check) in a temporary _topdir, and check the RPM's
# file list. On Debian: apt-get install -y rpm (there is no RPM database of
# the build dependencies, hence --nodeps).
#
#   sh packaging/check-rpm.sh      (DIST_UNTRACKED=1 to include files not yet committed)
#   KEEP=1 keeps the temporary directory
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
command -v rpmbuild >/dev/null 2>&1 || { echo "check-rpm: rpmbuild is missing (apt-get install -y rpm / dnf install rpm-build)" >&2; exit 77; }
version=$(make -s version)
tarball=ticks-$version.tar.gz
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ticks-rpm.XXXXXX")
[ "${KEEP:-}" = 1 ] || trap 'rm -rf "$tmp"' EXIT INT TERM

echo "== rpmspec: BuildRequires"
rpmspec -q --buildrequires ticks.spec | sort >"$tmp/br"
tr '\n' ' ' <"$tmp/br"; echo
for want in gcc gcc-c++ make pkgconfig binutils elfutils-libelf-devel libdwarf-devel zlib-devel check-devel; do
	grep -qx -- "$want" "$tmp/br" || { echo "check-rpm: BuildRequires lacks $want" >&2; exit 1; }
done
# --without dwarf: no libdwarf-devel, and configure told so
! rpmspec -q --buildrequires --without dwarf ticks.spec | grep -qx libdwarf-devel ||
	{ echo "check-rpm: --without dwarf still requires libdwarf-devel" >&2; exit 1; }
rpmspec --parse --without dwarf ticks.spec | grep -q '^\./configure .*--without-libdwarf' ||
	{ echo "check-rpm: --without dwarf does not configure --without-libdwarf" >&2; exit 1; }

echo "== make dist"
make -s dist
cp "$tarball" "$tmp/"
tar -tzf "$tarball" | sed 's,^[^/]*/,,' | grep -v '/$' | sort >"$tmp/in-tarball"
echo "$(wc -l <"$tmp/in-tarball") files"
if tar -tzf "$tarball" | grep -E '(^|/)(config\.mk|build/|build-[^/]*/|ticks)$|\.o$'; then
	echo "check-rpm: generated files in the tarball" >&2; exit 1
fi

echo "== rebuild from the tarball: ./configure && make && make check"
mkdir "$tmp/src"
tar -xzf "$tmp/$tarball" -C "$tmp/src"
(cd "$tmp/src/ticks-$version" && ./configure >"$tmp/configure.log" 2>&1 &&
	make -s >"$tmp/make.log" 2>&1 && make check >"$tmp/check.log" 2>&1) || {
	echo "check-rpm: rebuilding from the tarball failed:"; tail -n 40 "$tmp"/*.log; exit 1; }
grep -E '^(e2e:|[0-9]+%: Checks)' "$tmp/check.log"
grep -E '^skip ' "$tmp/check.log" || true
"$tmp/src/ticks-$version/ticks" --version

echo "== rpmbuild -ta $tarball"
rpmbuild -ta --nodeps --define "_topdir $tmp/rpm" "$tmp/$tarball" >"$tmp/rpmbuild.log" 2>&1 || {
	echo "check-rpm: rpmbuild failed:"; tail -n 60 "$tmp/rpmbuild.log"; exit 1; }
grep -E '^(e2e:|[0-9]+%: Checks|Wrote:)' "$tmp/rpmbuild.log"
rpm=$(ls "$tmp"/rpm/RPMS/*/ticks-"$version"-*.rpm | grep -v -e debuginfo -e debugsource | head -n 1)
[ -f "$rpm" ] || { echo "check-rpm: no binary RPM"; exit 1; }

echo "== rpm -qlp $(basename "$rpm")"
rpm -qlp "$rpm" | tee "$tmp/files"
for want in /usr/bin/ticks '/usr/share/man/man1/ticks\.1' \
	/usr/share/bash-completion/completions/ticks /usr/share/zsh/site-functions/_ticks; do
	grep -q "^$want" "$tmp/files" || { echo "check-rpm: $want is not in the RPM"; exit 1; }
done
rpm -qp --qf '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}: %{SIZE} bytes installed\n' "$rpm"
echo "check-rpm: ok"
