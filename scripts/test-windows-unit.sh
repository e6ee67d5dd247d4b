#!/usr/bin/env bash
# The engine's own unit tests (all of them but those that need Unix tools,
# which are #[cfg(unix)]), built for Windows and run under Wine: the code
# paths only Windows takes, with the Windows standard library (the run's
# deadline with Winsock sockets, socket error numbers, clean child
# environments from the Windows folder, the journal, paths, every parser).
# The Windows CLI meets the namespace lab in crates/cli/tests/cli_windows.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/windows-env.sh
windows_packages wine64

# Debug build of the core's unit-test binary (no release: tests want asserts).
json=$(windows_cargo test --locked "${windows_build_std[@]}" -p meeting-doctor-core --lib \
    --no-run --message-format=json 2>/dev/null)
exe=$(sed -n 's/.*"executable":"\([^"]*\.exe\)".*/\1/p' <<<"$json" | tail -1)
if [ -z "$exe" ] || [ ! -f "$exe" ]; then
    echo "test-windows-unit: the test binary did not build; rerun to see why:" >&2
    windows_cargo test --locked "${windows_build_std[@]}" -p meeting-doctor-core --lib --no-run >&2
    exit 1
fi

# The stand-in for the DLL Wine 8 lacks, beside the test binary (harness only).
dll="$(dirname "$exe")/bcryptprimitives.dll"
[ -f "$dll" ] || x86_64-w64-mingw32-gcc -shared -o "$dll" tests/wine/bcryptprimitives.c tests/wine/bcryptprimitives.def

wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
prefix=$(mktemp -d)
trap 'WINEPREFIX=$prefix "$(dirname "$wine")/wineserver" -k 2>/dev/null || true; rm -rf "$prefix"' EXIT
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree=d;mshtml=d"
# As cargo runs them: from the package's folder, with its variables.
cd crates/core
export CARGO_MANIFEST_DIR=$PWD CARGO_PKG_NAME=meeting-doctor-core
timeout 600 "$wine" "$exe" --test-threads=2
