# Sourced by the Windows build scripts: Debian's Rust (rustc-web, with its
# library source) builds the Windows standard library with -Zbuild-std, and
# mingw-w64 compiles C and links. See scripts/build-windows.sh.
windows_target=x86_64-pc-windows-gnu
windows_out="$(pwd)/target/windows"
export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$windows_out"
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
export CXX_x86_64_pc_windows_gnu=x86_64-w64-mingw32-g++
export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
# A warning in the Windows-only code is an error, as clippy makes it on
# Linux for the rest (dependencies' warnings are capped by cargo).
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-D warnings"
windows_cargo() { /usr/bin/cargo "$@"; }
windows_build_std=(-Zbuild-std=std,panic_abort --target "$windows_target")

windows_packages() { # installs the toolchain if missing
    local need=() pkg
    for pkg in rustc-web cargo-web rust-web-src mingw-w64 nsis "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
    done
    if [ ${#need[@]} -gt 0 ]; then
        echo "installing ${need[*]}" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
    fi
}
