#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ctest package_install: builds the .deb and .tar.gz with CPack into a temporary folder, unpacks the
# .deb into a temporary root and checks what a user would get: the CLI runs from there against the
# system libraries, the desktop entry, AppStream metainfo and MIME type are valid, lintian reports no
# errors, and the tarball holds the programs. Everything is removed afterwards.
#   package_test.sh BUILD_DIR VERSION
set -euo pipefail
build_dir=$1
version=$2

for tool in cpack dpkg dpkg-deb desktop-file-validate appstreamcli lintian tar; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (scripts/deps.sh installs it)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/benchdeck-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cd "$build_dir"
# One CPack run for both generators: the install step (and its build check) runs once.
cpack -G "DEB;TGZ" -B "$work/out" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log" >&2; fail "cpack"; }
shopt -s nullglob
debs=("$work"/out/benchdeck_"$version"_*.deb)
tgzs=("$work"/out/benchdeck-"$version"-*.tar.gz)
shopt -u nullglob
[ ${#debs[@]} -eq 1 ] || fail "expected one benchdeck_${version}_*.deb, found: $(ls "$work/out" | tr '\n' ' ')"
[ ${#tgzs[@]} -eq 1 ] || fail "expected one benchdeck-${version}-*.tar.gz, found: $(ls "$work/out" | tr '\n' ' ')"
deb=${debs[0]}
tgz=${tgzs[0]}
echo "built $(basename "$deb") and $(basename "$tgz")"

# Control fields.
[ "$(dpkg-deb -f "$deb" Package)" = benchdeck ] || fail "package name"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for package in libqt6core6 libqt6gui6 libqt6widgets6 libqt6charts6 libqt6svg6 libcurl4 libsqlite3-0 libhttp-parser2.9 libyaml-0-2; do
  grep -qE "(^|, )$package( |,|$)" <<<"$depends" || fail "Depends lacks $package"
done
for field in Maintainer Description Section; do
  [ -n "$(dpkg-deb -f "$deb" "$field")" ] || fail "no $field"
done

# Unpack and run.
root=$work/root
dpkg -x "$deb" "$root"
for file in usr/bin/benchdeck usr/bin/benchdeck-cli usr/bin/benchdeck-pdf \
            usr/share/applications/benchdeck.desktop usr/share/metainfo/io.benchdeck.Benchdeck.metainfo.xml \
            usr/share/mime/packages/benchdeck.xml usr/share/icons/hicolor/scalable/apps/benchdeck.svg \
            usr/share/icons/hicolor/48x48/apps/benchdeck.png usr/share/icons/hicolor/128x128/apps/benchdeck.png \
            usr/share/icons/hicolor/256x256/apps/benchdeck.png usr/share/man/man1/benchdeck.1.gz \
            usr/share/man/man1/benchdeck-cli.1.gz usr/share/doc/benchdeck/copyright; do
  [ -e "$root/$file" ] || fail "the .deb lacks /$file"
done
cli_version=$(env -u LD_LIBRARY_PATH "$root/usr/bin/benchdeck-cli" --version) || fail "benchdeck-cli --version from the .deb"
echo "$cli_version"
[[ $cli_version == "benchdeck-cli $version "* ]] || fail "unexpected benchdeck-cli --version: $cli_version"
gui_version=$(env -u LD_LIBRARY_PATH QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$work" \
              "$root/usr/bin/benchdeck" --version 2>/dev/null) || fail "benchdeck --version from the .deb"
[[ $gui_version == *"$version"* ]] || fail "unexpected benchdeck --version: $gui_version"

# Desktop integration.
desktop=$root/usr/share/applications/benchdeck.desktop
desktop-file-validate "$desktop" || fail "desktop-file-validate"
grep -qx 'Exec=benchdeck %f' "$desktop" || fail "desktop entry Exec"
grep -qx 'MimeType=application/x-benchdeck-session;' "$desktop" || fail "desktop entry MimeType"
appstreamcli validate --no-net "$root/usr/share/metainfo/io.benchdeck.Benchdeck.metainfo.xml" || fail "appstreamcli validate"
grep -q '<glob pattern="\*.benchdeck"/>' "$root/usr/share/mime/packages/benchdeck.xml" || fail "MIME glob"
if command -v xmllint >/dev/null; then
  xmllint --noout "$root/usr/share/mime/packages/benchdeck.xml" || fail "MIME XML"
fi
gzip -t "$root"/usr/share/man/man1/*.gz || fail "man pages"

# lintian: errors fail the test; warnings are printed.
lintian --tag-display-limit 0 --fail-on error "$deb" 2>/dev/null | tee "$work/lintian.log" \
  || fail "lintian reports errors"
echo "lintian: $(grep -c '^E:' "$work/lintian.log" || true) errors, $(grep -c '^W:' "$work/lintian.log" || true) warnings"

# The licence: Apache-2.0 in the copyright file and the metainfo, and nothing lintian objects to there.
grep -qx 'License: Apache-2.0' "$root/usr/share/doc/benchdeck/copyright" || fail "copyright names no Apache-2.0 licence"
grep -q '<project_license>Apache-2.0</project_license>' "$root/usr/share/metainfo/io.benchdeck.Benchdeck.metainfo.xml" \
  || fail "metainfo project_license"
if grep -Ei 'copyright|licen[cs]e' "$work/lintian.log"; then fail "lintian reports licence problems"; fi

# The tarball.
tar -tzf "$tgz" >"$work/tgz.list" || fail "tar -tzf $(basename "$tgz")"
grep -qE '(^|/)bin/benchdeck-cli$' "$work/tgz.list" || fail "the .tar.gz lacks bin/benchdeck-cli"
grep -qE '(^|/)bin/benchdeck$' "$work/tgz.list" || fail "the .tar.gz lacks bin/benchdeck"

echo "PASS: package_install"
