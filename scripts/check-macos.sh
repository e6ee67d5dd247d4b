#!/usr/bin/env bash
# Type-checks Meeting Doctor for macOS on this Linux machine, so CI catches
# compile errors in `#[cfg(target_os = "macos")]` code without a Mac.
# It runs `cargo check` only: nothing is linked, run or shipped.
#
#   scripts/check-macos.sh            core + CLI, then the desktop app
#   scripts/check-macos.sh --no-app   core + CLI only (no UI build needed)
#
# Env: MACOS_TARGET (default aarch64-apple-darwin), CARGO_TARGET_DIR
# (default target/macos-check, apart from the normal builds, which use
# another compiler). Run it under `nice` if other builds share the machine.
#
# How it works:
# - rustup ships no Apple std here, so Debian's rustc-web / cargo-web build
#   std from source (rust-web-src) with -Zbuild-std; RUSTC_BOOTSTRAP=1 lets
#   that stable compiler accept the -Z flag.
# - Build scripts compile C with cc-rs (ring, rquickjs-sys and, for the app,
#   objc2-exception-helper). With no Apple SDK that cannot work, and a check
#   never links, so scripts/macos-check/{cc,ar} stand in: they write empty
#   objects/archives. They are used only for this target and only here.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${MACOS_TARGET:-aarch64-apple-darwin}
with_app=1
[[ "${1:-}" == "--no-app" ]] && with_app=0

# Debian's Rust with its library source (needed for -Zbuild-std).
want=(rustc-web cargo-web rust-web-src)
if ((with_app)) && [[ ! -f ui/dist/index.html ]] && ! command -v npm >/dev/null 2>&1; then
  want+=(nodejs npm)
fi
missing=()
for p in "${want[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "check-macos: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

stand_in=$PWD/scripts/macos-check
t=${target//-/_}
export "CC_$t=$stand_in/cc" "CXX_$t=$stand_in/cc" "AR_$t=$stand_in/ar"
export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target/macos-check}
check=(/usr/bin/cargo check --locked -Zbuild-std=std,panic_abort --target "$target")

# Two runs, not one: each package is checked with the dependency features it
# gets when built on its own on a Mac (one run would unify them with Tauri's).
echo "check-macos: core + CLI for $target"
"${check[@]}" -p meeting-doctor-core -p meeting-doctor-cli

if ((with_app)); then
  # tauri::generate_context! embeds the built UI, so the app needs ui/dist.
  if [[ ! -f ui/dist/index.html ]]; then
    npm ci --prefix ui && npm run --prefix ui build
  fi
  echo "check-macos: desktop app for $target"
  "${check[@]}" -p meeting-doctor-app
fi
echo "check-macos: OK ($target)"
