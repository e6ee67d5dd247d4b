#!/usr/bin/env bash
# Sets up and runs every test: formatting, lints, unit tests, the loopback lab
# and the CLI end to end inside network namespaces (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --locked --workspace --all-targets -- -D warnings
echo "== cargo test"
cargo test --locked --workspace
