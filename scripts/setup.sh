#!/usr/bin/env bash
# Installs what Meeting Doctor needs on a Debian machine, idempotently.
#   setup.sh          to build and run
#   setup.sh --test   also what the tests need (network namespaces)
set -euo pipefail

want=(ca-certificates build-essential pkg-config)
if [[ "${1:-}" == "--test" ]]; then
  want+=(iproute2 nftables)
fi

missing=()
for p in "${want[@]}"; do
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

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found; install the Rust toolchain (rustup, Rust 1.85 or newer) first" >&2
  exit 1
fi
