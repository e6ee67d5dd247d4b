#!/usr/bin/env bash
# Sets up and runs every test: formatting and lints (Rust and UI), the
# dependency audit against the RustSec advisories, unit tests, the parser
# fuzz tests, the loopback lab and the CLI end to end in network namespaces,
# the UI in headless Chromium, the release build with its .deb, the real
# app under Xvfb driven through tauri-driver, and the Windows build (CLI,
# app, installer) with its CLI and the engine's unit tests run under Wine,
# and a type-check for macOS. Needs root (namespaces).
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

step "Windows: cross-build the CLI, the app and the installer"
windows=$(./scripts/build-windows.sh)
win_cli=$(sed -n 1p <<<"$windows")
win_installer=$(sed -n 3p <<<"$windows")
./scripts/check-installer.sh "$win_installer"

step "cargo test (unit, parser fuzzing, lab, CLI end to end on Linux and on Windows under Wine, TypeScript bindings fresh)"
MD_WINDOWS_CLI="$win_cli" cargo test --locked --workspace

step "Windows: the engine's unit tests, built for Windows and run under Wine"
./scripts/test-windows-unit.sh

step "macOS: type-check the engine, the CLI and the app for aarch64-apple-darwin (no SDK here: nothing links)"
./scripts/check-macos.sh

step "UI tests: unit (Vitest) and in headless Chromium (playwright-core)"
npm run --prefix ui test:unit
npm run --prefix ui test:browser

step "release build and .deb (Tauri CLI)"
(cd src-tauri && ../.tools/node_modules/.bin/tauri build --bundles deb)
deb=$(ls target/release/bundle/deb/*.deb)
echo "deb: $deb ($(du -k "$deb" | cut -f1) KiB)"

step "end to end: the real app under Xvfb (tauri-driver + WebKitWebDriver)"
tests/e2e/run.sh target/release/meeting-doctor-app
