#!/usr/bin/env bash
# Build StarCoach's one-folder bundle (dist/starcoach/) and its archive
# (dist/starcoach-<version>-linux-x86_64.tar.gz). `make bundle` runs this.
#
#   packaging/build.sh                 bundle + archive
#   packaging/build.sh --no-archive    bundle only (the smoke test uses this)
#
# PYTHON (default .venv/bin/python) must have StarCoach and PyInstaller installed
# (pip install -e '.[dev]'). On Linux the build host needs libportaudio2: the sounddevice
# wheel does not carry PortAudio, so PyInstaller copies the system's into the bundle.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
PYTHON="${PYTHON:-$repo/.venv/bin/python}"
archive=1
for arg in "$@"; do
  case "$arg" in
    --no-archive) archive=0 ;;
    *) echo "usage: $0 [--no-archive]" >&2; exit 2 ;;
  esac
done

"$PYTHON" -c 'import PyInstaller' 2>/dev/null || {
  echo "PyInstaller is missing: $PYTHON -m pip install -e '.[dev]'" >&2; exit 1; }
if [ "$(uname -s)" = Linux ] && ! /sbin/ldconfig -p 2>/dev/null | grep -q 'libportaudio\.so\.2'; then
  echo "libportaudio2 is missing on this build host (apt-get install libportaudio2):" \
    "the bundle would have no microphone" >&2
  exit 1
fi

version="$("$PYTHON" -c 'import starcoach; print(starcoach.__version__)')"
bundle="dist/starcoach"
stamp="dist/.starcoach-bundle.stamp"
rm -f "$stamp"
started=$SECONDS
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/starcoach.spec

# The desktop entry and icons, plus the script that registers them for the user.
mkdir -p "$bundle/icons"
cp resources/icons/starcoach.svg resources/icons/starcoach-{256,128,64,48}.png "$bundle/icons/"
cp packaging/linux/starcoach.desktop "$bundle/starcoach.desktop"
install -m 755 packaging/linux/install-desktop-entry.sh "$bundle/install-desktop-entry.sh"
cp packaging/linux/README.txt "$bundle/README.txt"
echo "$version" > "$bundle/VERSION"
touch "$stamp"
echo "bundle: $bundle ($(du -sh "$bundle" | cut -f1) unpacked) in $((SECONDS - started)) s"

if [ "$archive" = 1 ]; then
  started=$SECONDS
  tarball="dist/starcoach-$version-linux-$(uname -m).tar.gz"
  # Owner and order fixed so the archive does not depend on who built it.
  tar --sort=name --owner=0 --group=0 --numeric-owner -C dist -cf - starcoach \
    | gzip -6 > "$tarball.part"
  mv "$tarball.part" "$tarball"
  echo "archive: $tarball ($(du -h "$tarball" | cut -f1)) in $((SECONDS - started)) s"
fi
