#!/usr/bin/env bash
# Add StarCoach to the desktop's application menu (for this user), from wherever this
# folder was unpacked:  ./install-desktop-entry.sh      Remove it again:  --uninstall
# Moving the folder later? Run this again from the new place.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data/applications"
icons="$data/icons/hicolor"

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$apps/starcoach.desktop" "$icons/scalable/apps/starcoach.svg"
  for size in 256 128 64 48; do rm -f "$icons/${size}x${size}/apps/starcoach.png"; done
  echo "StarCoach removed from the application menu (the program folder is untouched)."
  exit 0
fi

[ -x "$here/starcoach" ] || { echo "starcoach not found in $here" >&2; exit 1; }
mkdir -p "$apps" "$icons/scalable/apps"
for size in 256 128 64 48; do
  mkdir -p "$icons/${size}x${size}/apps"
  cp "$here/icons/starcoach-$size.png" "$icons/${size}x${size}/apps/starcoach.png"
done
cp "$here/icons/starcoach.svg" "$icons/scalable/apps/starcoach.svg"

# Exec and TryExec need the absolute path: the bundle is not on PATH. Exec quotes it as the
# desktop-entry spec asks (a path may hold spaces): \ " ` $ escaped inside the quotes, % doubled.
exe="$here/starcoach"
arg=${exe//\\/\\\\}; arg=${arg//\"/\\\"}; arg=${arg//\`/\\\`}; arg=${arg//\$/\\\$}
arg=${arg//\\/\\\\}; arg=${arg//%/%%}
while IFS= read -r line; do
  case "$line" in
    Exec=*) printf 'Exec="%s"\n' "$arg" ;;
    TryExec=*) printf 'TryExec=%s\n' "$exe" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$here/starcoach.desktop" > "$apps/starcoach.desktop"
chmod 644 "$apps/starcoach.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$apps" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$icons" || true
echo "StarCoach added to the application menu ($apps/starcoach.desktop)."
