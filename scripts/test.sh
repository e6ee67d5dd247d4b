#!/usr/bin/env bash
# Sets up and runs every test: formatting and lints (Rust and UI), the
# dependency audit against the RustSec advisories, unit tests, the parser
# fuzz tests, the loopback lab and the CLI end to end in network namespaces,
# the UI in headless Chromium, the release build with its .deb, and the real
# app under Xvfb driven through tauri-driver. Needs root (namespaces).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test

step() { echo; echo "== $*"; }

step "UI: lint and build (the app embeds ui/dist)"
npm run --prefix ui lint
npm run --prefix ui build

step "cargo fmt --check"
cargo fmt --all -- --check

step "supply chain: cargo audit (RustSec snapshot in ../shared/advisory-db)"
./scripts/audit.sh

step "cargo clippy"
cargo clippy --locked --workspace --all-targets -- -D warnings

step "cargo test (unit, parser fuzzing, lab, CLI end to end, TypeScript bindings fresh)"
cargo test --locked --workspace

step "UI tests: unit (Vitest) and in headless Chromium (playwright-core)"
npm run --prefix ui test:unit
npm run --prefix ui test:browser

step "release build and .deb (Tauri CLI)"
(cd src-tauri && ../.tools/node_modules/.bin/tauri build --bundles deb)
deb=$(ls target/release/bundle/deb/*.deb)
echo "deb: $deb ($(du -k "$deb" | cut -f1) KiB)"

step "end to end: the real app under Xvfb (tauri-driver + WebKitWebDriver)"
tests/e2e/run.sh target/release/meeting-doctor-app
