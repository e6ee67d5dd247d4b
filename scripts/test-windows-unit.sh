#!/usr/bin/env bash
# The engine's own unit tests (all of them but those that need Unix tools,
# which are #[cfg(unix)]), built for Windows and run under Wine: the code
# paths only Windows takes, with the Windows standard library (the run's
# deadline with Winsock sockets, socket error numbers, clean child
# environments from the Windows folder, the journal, paths, every parser).
# The Windows CLI meets the namespace lab in crates/cli/tests/it/windows.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/windows-env.sh
windows_packages wine64

# The engine's crates, each with its own unit-test binary.
crates=(model net pac facts probes diagnosis fixes report core)
packages=()
for c in "${crates[@]}"; do
    packages+=(-p "$(sed -n 's/^name = "\(.*\)"/\1/p' "crates/$c/Cargo.toml" | head -1)")
done

# Debug builds of the unit-test binaries (no release: tests want asserts).
json=$(windows_cargo test --locked "${windows_build_std[@]}" "${packages[@]}" --lib \
    --no-run --message-format=json 2>/dev/null) || true
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
prefix=$(mktemp -d)
trap 'WINEPREFIX=$prefix "$(dirname "$wine")/wineserver" -k 2>/dev/null || true; rm -rf "$prefix"' EXIT
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree=d;mshtml=d"
root=$PWD
for c in "${crates[@]}"; do
    dir=$root/crates/$c
    # The binary whose manifest is this crate's (cargo names it in the JSON).
    exe=$(grep -F "\"manifest_path\":\"$dir/Cargo.toml\"" <<<"$json" \
        | sed -n 's/.*"executable":"\([^"]*\.exe\)".*/\1/p' | tail -1)
    if [ -z "$exe" ] || [ ! -f "$exe" ]; then
        echo "test-windows-unit: the $c test binary did not build; rerun to see why:" >&2
        windows_cargo test --locked "${windows_build_std[@]}" "${packages[@]}" --lib --no-run >&2
        exit 1
    fi
    # The stand-in for the DLL Wine 8 lacks, beside the test binary (harness only).
    dll="$(dirname "$exe")/bcryptprimitives.dll"
    [ -f "$dll" ] || x86_64-w64-mingw32-gcc -shared -o "$dll" \
        "$root/tests/wine/bcryptprimitives.c" "$root/tests/wine/bcryptprimitives.def"
    echo "test-windows-unit: $c"
    # As cargo runs them: from the package's folder, with its variables.
    (cd "$dir" && CARGO_MANIFEST_DIR=$dir \
        timeout 600 "$wine" "$exe" --test-threads=2)
done
