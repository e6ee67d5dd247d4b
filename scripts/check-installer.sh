#!/usr/bin/env bash
# Checks the Windows installer from scripts/build-windows.sh, as far as this
# Linux machine can: its size; what 7-Zip reads out of it (the app, the CLI,
# the uninstaller; the icon and version in each exe); that it asks for no
# administrator rights (its manifest); and, under Wine in a fresh prefix, a
# real silent install and uninstall: into the user's own Programs folder,
# with a Start menu shortcut and an "Installed apps" entry in the user's
# registry, all gone after the uninstall, the user's journal kept; and the
# installed app starts: its window opens, and without WebView2 (none under
# Wine) Microsoft's loader says so in a dialog instead of a silent exit.
# Wine runs NSIS's 32-bit stub, so wine32 (i386) is needed: setup.sh --test.
set -euo pipefail
installer=${1:?usage: check-installer.sh INSTALLER.exe}
root=$(cd "$(dirname "$0")/.." && pwd)
limit_kib=$((15 * 1024))
fail() { echo "check-installer: $*" >&2; exit 1; }

size=$(($(stat -c %s "$installer") / 1024))
[ "$size" -lt "$limit_kib" ] || fail "the installer is ${size} KiB, over ${limit_kib} KiB"

listing=$(7z l "$installer")
for f in meeting-doctor-app.exe meeting-doctor.exe WebView2Loader.dll uninstall.exe; do
    grep -q " $f\$" <<<"$listing" || fail "the installer does not hold $f"$'\n'"$listing"
done

# "asInvoker" is what NSIS writes for RequestExecutionLevel user: Windows
# starts it without asking for an administrator.
grep -aq 'requestedExecutionLevel level="asInvoker"' "$installer" ||
    fail "the installer's manifest asks for administrator rights"

work=$(mktemp -d)
prefix="$work/prefix"
wine=/usr/lib/wine/wine
cleanup() {
    WINEPREFIX=$prefix /usr/lib/wine/wineserver -k 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Each exe: the icon in every size Windows asks for (16–256 px: 7 images),
# the version and the publisher.
7z x -y -o"$work/files" "$installer" meeting-doctor-app.exe meeting-doctor.exe >/dev/null
for exe in meeting-doctor-app.exe meeting-doctor.exe; do
    res=$(7z l "$work/files/$exe")
    icons=$(grep -c '\.rsrc/ICON/' <<<"$res" || true)
    [ "$icons" -ge 7 ] || fail "$exe holds $icons icon images; expected 7 (16 to 256 px)"
    info=$(7z x -so "$work/files/$exe" .rsrc/version.txt 2>/dev/null | tr -d '\0')
    grep -q 'CompanyName.*Meeting Doctor' <<<"$info" || fail "$exe has no publisher in its version resource"
    grep -q 'ProductVersion' <<<"$info" || fail "$exe has no version resource"
done

[ -x "$wine" ] || fail "wine (with wine32) is not installed: scripts/setup.sh --test"
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree=d;mshtml=d"
user_dir() { find "$prefix/drive_c/users" -mindepth 1 -maxdepth 1 -type d ! -name Public | head -1; }

timeout 180 "$wine" "$installer" /S
/usr/lib/wine/wineserver -w
home=$(user_dir)
dir="$home/AppData/Local/Programs/Meeting Doctor"
for f in meeting-doctor-app.exe meeting-doctor.exe WebView2Loader.dll uninstall.exe; do
    [ -f "$dir/$f" ] || fail "not installed per user: no $dir/$f"
done
link="$home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Meeting Doctor/Meeting Doctor.lnk"
[ -f "$link" ] || fail "no Start menu shortcut in the user's Start menu"
grep -q 'Uninstall\\\\MeetingDoctor\]' "$prefix/user.reg" || fail "no Installed apps entry in the user's registry"
! grep -q 'MeetingDoctor' "$prefix/system.reg" || fail "the installer wrote to the machine's registry"

# The installed app starts on a virtual display. The stand-in for the DLL
# Wine 8 lacks goes beside it for this run only (test harness).
standin="$dir/bcryptprimitives.dll"
x86_64-w64-mingw32-gcc -shared -o "$standin" "$root/tests/wine/bcryptprimitives.c" "$root/tests/wine/bcryptprimitives.def"
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x900x24 >/dev/null 2>&1 &
xvfb=$!
windows=""
( DISPLAY=$display timeout 60 "$wine" "$dir/meeting-doctor-app.exe" >/dev/null 2>&1 & )
for _ in $(seq 60); do
    sleep 0.5
    windows=$(DISPLAY=$display xwininfo -root -tree 2>/dev/null || true)
    grep -q '"Meeting Doctor": ("meeting-doctor-app.exe"' <<<"$windows" &&
        grep -q '"Error": ("meeting-doctor-app.exe"' <<<"$windows" && break
done
/usr/lib/wine/wineserver -k 2>/dev/null || true
/usr/lib/wine/wineserver -w 2>/dev/null || true
kill "$xvfb" 2>/dev/null || true
grep -q '"Meeting Doctor": ("meeting-doctor-app.exe".* 760x820' <<<"$windows" ||
    fail "the installed app did not open its 760x820 window:"$'\n'"$windows"
grep -q '"Error": ("meeting-doctor-app.exe"' <<<"$windows" ||
    fail "without WebView2 the app showed no dialog:"$'\n'"$windows"
rm -f "$standin"

# What the app wrote stays through an uninstall (undo needs the journal).
data="$home/AppData/Local/Meeting Doctor"
mkdir -p "$data"
echo '{"kept":true}' >"$data/journal.jsonl"
timeout 180 "$wine" "$dir/uninstall.exe" /S
/usr/lib/wine/wineserver -w
[ ! -e "$dir/meeting-doctor-app.exe" ] || fail "the uninstaller left the app"
[ ! -e "$dir" ] || fail "the uninstaller left its folder: $(ls -A "$dir")"
[ ! -e "$link" ] || fail "the uninstaller left the shortcut"
! grep -q 'Uninstall\\\\MeetingDoctor\]' "$prefix/user.reg" || fail "the uninstaller left the Installed apps entry"
[ -f "$data/journal.jsonl" ] || fail "the uninstaller removed the user's journal"

echo "installer OK: ${size} KiB (limit ${limit_kib} KiB); the app, the CLI, WebView2Loader.dll and the uninstaller; each exe with 7 icon sizes and its version; installs per user under Wine, the app opens its window (and says WebView2 is missing), uninstalls cleanly; the journal stays"
