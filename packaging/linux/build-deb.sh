#!/usr/bin/env bash
# Build the Debian package of PetsApp Desktop from PyInstaller's one-folder bundle.
#
#   packaging/linux/build-deb.sh BUNDLE_DIR OUTPUT_DIR
#   e.g. packaging/linux/build-deb.sh dist/petsapp-desktop dist      (make dist does this)
#   -> OUTPUT_DIR/petsapp-desktop_<version>_<arch>.deb, whose path is the last line printed
#
# Package contents:
#   /opt/petsapp-desktop/                     the bundle (petsapp-desktop + _internal/)
#   /usr/bin/petsapp-desktop                  launcher (exec's the bundle's executable)
#   /usr/share/applications/petsapp-desktop.desktop
#   /usr/share/icons/hicolor/scalable/apps/petsapp-desktop.svg
#   /usr/share/doc/petsapp-desktop/copyright
# No maintainer scripts: Debian's hicolor-icon-theme and desktop-file-utils refresh their
# caches through dpkg triggers on those folders.
#
# The version is pyproject.toml's (python3's tomllib; VERSION=... overrides, PYTHON=...
# picks the interpreter, 3.11 or newer). DEB_COMPRESSION=... replaces dpkg-deb's compression
# options (see the build step). Needs dpkg-deb (dpkg) and readelf/objdump (binutils, which
# PyInstaller needs anyway). Runs lintian only if it is installed, for information.
set -euo pipefail

package=petsapp-desktop
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project=$(cd "$here/../.." && pwd)

die() { echo "build-deb.sh: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: build-deb.sh BUNDLE_DIR OUTPUT_DIR"
[ -d "$1" ] || die "no bundle folder $1: build it first (make dist)"
bundle=$(cd "$1" && pwd)
[ -x "$bundle/$package" ] || die "$bundle/$package is missing: not a PyInstaller bundle of $package"
mkdir -p "$2"
output=$(cd "$2" && pwd)
command -v dpkg-deb >/dev/null || die "dpkg-deb not found (Debian/Ubuntu: apt-get install dpkg)"
command -v readelf >/dev/null && command -v objdump >/dev/null \
  || die "readelf/objdump not found (Debian/Ubuntu: apt-get install binutils)"

# ---- version and architecture ----------------------------------------------------------------
# PEP 440 pre-releases (1.0rc1, 1.0.dev2) sort before their release; in Debian only "~" does.
version=${VERSION:-$("${PYTHON:-python3}" - "$project/pyproject.toml" <<'PY'
import re
import sys
import tomllib

with open(sys.argv[1], "rb") as f:
    version = tomllib.load(f)["project"]["version"]
public, plus, local = version.partition("+")
print(re.sub(r"[._-]?(a|b|rc|dev)(\d*)", r"~\1\2", public) + plus + local)
PY
)}
[[ $version =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || die "not a Debian version: '$version'"
arch=${ARCH:-$(dpkg --print-architecture)}

# ---- what the bundle needs from the system ---------------------------------------------------
# Shared libraries the bundle's ELF files link against that PyInstaller did not copy into it
# (glibc, GL/EGL and the display-server client libraries must come from the system), and those
# Qt's platform plugins need whether or not PyInstaller copied them from the build machine
# (what it copies depends on what the build machine has installed; the xcb plugin's helpers
# are not in the Qt wheel). Each soname with its package; Depends lists every package once.
system_libraries=(
  # the C library (its version comes from the symbols the bundle uses, below)
  "libc.so.6 libc6" "libm.so.6 libc6" "libpthread.so.0 libc6" "libdl.so.2 libc6"
  "librt.so.1 libc6" "libresolv.so.2 libc6" "ld-linux-x86-64.so.2 libc6"
  "ld-linux-aarch64.so.1 libc6"
  # any platform, offscreen included (libfontconfig1 also brings the font configuration and a
  # font; libxkbcommon0 the keyboard layouts)
  "libEGL.so.1 libegl1" "libGL.so.1 libgl1" "libfontconfig.so.1 libfontconfig1"
  "libfreetype.so.6 libfreetype6" "libxkbcommon.so.0 libxkbcommon0"
  "libglib-2.0.so.0 libglib2.0-0" "libdbus-1.so.3 libdbus-1-3"
  # X11 (the xcb platform plugin)
  "libxcb.so.1 libxcb1" "libxcb-cursor.so.0 libxcb-cursor0" "libxcb-icccm.so.4 libxcb-icccm4"
  "libxcb-keysyms.so.1 libxcb-keysyms1" "libxcb-image.so.0 libxcb-image0"
  "libxcb-render-util.so.0 libxcb-render-util0" "libxcb-shape.so.0 libxcb-shape0"
  "libxcb-xkb.so.1 libxcb-xkb1" "libxkbcommon-x11.so.0 libxkbcommon-x11-0"
  "libxcb-randr.so.0 libxcb-randr0" "libxcb-xinerama.so.0 libxcb-xinerama0"
  # Wayland (the wayland platform plugin; without these Qt falls back to X11 via XWayland)
  "libwayland-client.so.0 libwayland-client0" "libwayland-cursor.so.0 libwayland-cursor0"
  "libwayland-egl.so.1 libwayland-egl1"
)
declare -A package_of=()
depends_packages=()
for entry in "${system_libraries[@]}"; do
  read -r soname pkg <<<"$entry"
  package_of[$soname]=$pkg
  [[ " ${depends_packages[*]} " == *" $pkg "* ]] || depends_packages+=("$pkg")
done

mapfile -t elf_files < <(
  find "$bundle" -type f \( -name '*.so' -o -name '*.so.*' -o -name "$package" \) | sort)
declare -A in_bundle=()
while IFS= read -r name; do
  in_bundle[$name]=1
done < <(find "$bundle" \( -type f -o -type l \) -printf '%f\n')
unknown=()
glibc=2.17
for file in "${elf_files[@]}"; do
  while IFS= read -r soname; do
    [ -n "${in_bundle[$soname]:-}" ] || [ -n "${package_of[$soname]:-}" ] \
      || unknown+=("$soname (needed by ${file#"$bundle"/})")
  done < <(readelf -d "$file" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  newest=$(objdump -T "$file" 2>/dev/null | { grep -o 'GLIBC_[0-9][0-9.]*' || true; } \
           | sed 's/GLIBC_//' | sort -uV | tail -n 1)
  [ -z "$newest" ] || glibc=$(printf '%s\n%s\n' "$glibc" "$newest" | sort -V | tail -n 1)
done
if [ ${#unknown[@]} -gt 0 ]; then
  printf '  %s\n' "${unknown[@]}" | sort -u >&2
  die "the bundle needs the shared libraries above from the system:" \
      "add them, with their packages, to system_libraries in $0"
fi
depends="libc6 (>= $glibc)"
for pkg in "${depends_packages[@]}"; do
  [ "$pkg" = libc6 ] || depends+=", $pkg"
done

# ---- the package tree ------------------------------------------------------------------------
umask 022
stage=$(mktemp -d "${TMPDIR:-/tmp}/$package-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
root=$stage/root
mkdir -p "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
         "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/doc/$package" "$root/DEBIAN"
cp -a "$bundle" "$root/opt/$package"
cat >"$root/usr/bin/$package" <<EOF
#!/bin/sh
# PetsApp Desktop lives in /opt/$package (a self-contained bundle: Python, Qt, the app).
exec /opt/$package/$package "\$@"
EOF
chmod 0755 "$root/usr/bin/$package"
install -m 0644 "$here/$package.desktop" "$root/usr/share/applications/$package.desktop"
install -m 0644 "$here/$package.svg" "$root/usr/share/icons/hicolor/scalable/apps/$package.svg"
cat >"$root/usr/share/doc/$package/copyright" <<'EOF'
PetsApp Desktop
Copyright: PetsApp <support@petsapp.com>. All rights reserved (proprietary).

The bundle in /opt/petsapp-desktop includes third-party software under its own licences:
CPython (PSF License), Qt and PySide6 (LGPL-3.0), and the Python packages whose licence
files are in /opt/petsapp-desktop/_internal/*.dist-info/.
EOF
chmod 0644 "$root/usr/share/doc/$package/copyright"
# Files as the build left them, but readable by everyone and writable only by root.
chmod -R u+rwX,go+rX,go-w "$root"

installed_size=$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: $package
Version: $version
Architecture: $arch
Maintainer: PetsApp <support@petsapp.com>
Installed-Size: $installed_size
Depends: $depends
Section: net
Priority: optional
Description: veterinary clinic chat with pet owners, in the app or by SMS
 PetsApp Desktop is where veterinary clinic staff chat with pet owners:
 in the PetsApp mobile app, or by SMS from the clinic's own number.
 .
 The application is a self-contained bundle in /opt/$package
 (Python, Qt and the embedded demo included): "petsapp-desktop --demo"
 runs it against a demo backend on this computer.
EOF
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
  >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

# ---- build -----------------------------------------------------------------------------------
deb=$output/${package}_${version}_${arch}.deb
# xz is what every dpkg reads. Level 1: ~12 s and 55 MB here, where dpkg's default (6) takes
# ~60 s for 50 MB. DEB_COMPRESSION="-Zxz -z6" for the smallest file; "-Zzstd -z9" is ~2 s and
# 60 MB but needs dpkg 1.21.18 or newer (Debian 12, Ubuntu 21.10) on the installing computer.
# shellcheck disable=SC2086  # word splitting wanted: dpkg-deb options
dpkg-deb --root-owner-group ${DEB_COMPRESSION:--Zxz -z1} --build "$root" "$deb" >/dev/null
if command -v lintian >/dev/null; then
  # Informational: a bundle in /opt with its own libraries is not what Debian's own packages do.
  lintian --suppress-tags dir-or-file-in-opt,embedded-library,no-changelog "$deb" || true
fi
echo "Depends: $depends"
echo "$(du -h "$deb" | cut -f1) $deb"
echo "$deb"
