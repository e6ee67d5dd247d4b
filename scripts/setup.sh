#!/usr/bin/env bash
# Installs what Meeting Doctor needs on a Debian 12 machine, idempotently.
#   setup.sh          to build and run the app and the CLI
#   setup.sh --test   also what the tests need: network namespaces, nftables,
#                     Chromium (UI tests), Xvfb + WebKitWebDriver + tauri-driver
#                     (end-to-end tests of the real app), cargo-audit (the
#                     supply-chain check)
set -euo pipefail
cd "$(dirname "$0")/.."

want=(ca-certificates build-essential pkg-config curl file libssl-dev
      libwebkit2gtk-4.1-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev
      nodejs npm)
if [[ "${1:-}" == "--test" ]]; then
  want+=(iproute2 nftables chromium xvfb xauth webkit2gtk-driver imagemagick
         wine64 mingw-w64 p7zip-full x11-utils)
fi

missing=()
for p in "${want[@]}"; do
  # Node may come from elsewhere than Debian's package (it does on CI machines).
  if [[ "$p" == nodejs || "$p" == npm ]] && command -v "${p/nodejs/node}" >/dev/null 2>&1; then
    continue
  fi
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: run as root (or with sudo) to install packages" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Wine runs the Windows installer's 32-bit NSIS stub with wine32, an i386
# package: the architecture is added once.
if [[ "${1:-}" == "--test" ]] && ! dpkg -s wine32:i386 >/dev/null 2>&1; then
  echo "setup: installing wine32:i386 (for the Windows installer's test)"
  dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine32:i386
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found; install the Rust toolchain (rustup, Rust 1.85 or newer) first" >&2
  exit 1
fi

# Cargo-installed tools the tests use, at exact versions. Whether the right
# version is there is read from cargo's own install list (no network, no
# build), so a second run costs nothing.
TAURI_DRIVER_VERSION=2.1.0
CARGO_AUDIT_VERSION=0.22.2
cargo_tool() { # cargo_tool CRATE VERSION BINARY
  if [[ -x "$(command -v "$3")" ]] && cargo install --list | grep -xF "$1 v$2:" >/dev/null; then
    return
  fi
  echo "setup: installing $1 $2"
  cargo install "$1" --locked --version "=$2"
}
if [[ "${1:-}" == "--test" ]]; then
  cargo_tool tauri-driver "$TAURI_DRIVER_VERSION" tauri-driver
  cargo_tool cargo-audit "$CARGO_AUDIT_VERSION" cargo-audit
fi

# The UI's packages, exactly as package-lock.json says.
if [[ ! -d ui/node_modules ]] || [[ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]]; then
  npm ci --prefix ui --no-audit --no-fund
fi

# The Tauri CLI (a prebuilt binary from npm), pinned, outside the UI's lock:
# its lock entries would list every platform's binary, and `npm ci` refuses a
# lock whose optional platforms the registry does not serve.
TAURI_CLI_VERSION=2.12.5
if [[ "$(.tools/node_modules/.bin/tauri --version 2>/dev/null)" != "tauri-cli $TAURI_CLI_VERSION" ]]; then
  mkdir -p .tools
  npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund "@tauri-apps/cli@$TAURI_CLI_VERSION"
fi
