#!/usr/bin/env bash
# Cross-builds Meeting Doctor for Windows (x86_64) on this Debian machine:
# the command-line tool, the desktop app (WebView2) and its per-user NSIS
# installer. Installs what it needs, idempotently. Its last three lines are
# the three files, in this order: CLI, app, installer.
#
# How: rustup has no Windows standard library here, so Debian's Rust 1.96
# (rustc-web, with its library source) builds one with -Zbuild-std, and
# mingw-w64 links. The MSVC target would need Microsoft's linker and
# lib.exe (ring), so this is the GNU target.
#
# The installer is made by makensis from installer/windows/installer.nsi,
# not by the Tauri bundler: on Linux the bundler insists on downloading
# its NSIS plugin from GitHub (a SHA-1-pinned nsis_tauri_utils.dll), which
# an offline machine cannot. The release workflow
# (.github/workflows/release.yml) builds on real Windows with the bundler.
#
#   scripts/build-windows.sh            release build (what CI and users get)
#   MD_WINDOWS_PROFILE=dev scripts/...  a faster debug build, for trying things
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

. scripts/windows-env.sh
windows_packages

# The app embeds the UI's build.
if [ ! -f ui/dist/index.html ]; then
    [ -d ui/node_modules ] || npm ci --prefix ui >&2
    npm run --prefix ui build >&2
fi

profile=${MD_WINDOWS_PROFILE:-release}

cargo_profile=(--release)
dir=release
if [ "$profile" = dev ]; then
    cargo_profile=()
    dir=debug
fi
start=$(date +%s)
# One cargo run for both: the engine is built once. custom-protocol makes
# the app serve its bundled UI (the Tauri CLI sets it the same way).
windows_cargo build --locked "${cargo_profile[@]}" "${windows_build_std[@]}" \
    -p meeting-doctor-cli -p meeting-doctor-app \
    --features meeting-doctor-app/custom-protocol >&2
bin="$windows_out/$windows_target/$dir"
cli="$bin/meeting-doctor.exe"
app="$bin/meeting-doctor-app.exe"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
bundle="$windows_out/bundle/nsis"
mkdir -p "$bundle"
installer="$bundle/Meeting Doctor_${version}_x64-setup.exe"
makensis -V2 -INPUTCHARSET UTF8 \
    "-DVERSION=$version" \
    "-DAPP_EXE=$app" \
    "-DCLI_EXE=$cli" \
    "-DLOADER_DLL=$bin/WebView2Loader.dll" \
    "-DICON=$root/src-tauri/icons/icon.ico" \
    "-DOUT_FILE=$installer" \
    installer/windows/installer.nsi >&2
took=$(($(date +%s) - start))

kib() { echo "$(($(stat -c %s "$1") / 1024)) KiB"; }
echo "built in ${took} s: CLI $(kib "$cli"), app $(kib "$app"), installer $(kib "$installer")" >&2
echo "$cli"
echo "$app"
echo "$installer"
