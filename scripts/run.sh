#!/usr/bin/env bash
# Sets up, builds and runs Meeting Doctor. Arguments go to `meeting-doctor check`
# (e.g. ./scripts/run.sh -v, ./scripts/run.sh --json).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cargo build --release --locked -p meeting-doctor-cli
exec ./target/release/meeting-doctor check "$@"
