#!/usr/bin/env bash
# Sets up, builds and starts the Meeting Doctor desktop app.
#   ./scripts/run.sh                     the app, checking Zoom
#   ./scripts/run.sh --profile FILE      the app with another profile
# (For the command-line tool: ./scripts/run.sh --cli [check options].)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

if [[ "${1:-}" == "--cli" ]]; then
  shift
  cargo build --release --locked -p meeting-doctor-cli
  exec ./target/release/meeting-doctor check "$@"
fi

npm run --prefix ui build
# The Tauri CLI builds the release app with the UI embedded (no bundle here).
(cd src-tauri && ../.tools/node_modules/.bin/tauri build --no-bundle)

if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "run: no display found; starting the app on a virtual display (Xvfb :99). Nothing will be visible here;"
  echo "run: run this script from a desktop session to see the window."
  command -v Xvfb >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends xvfb xauth
  Xvfb :99 -screen 0 1280x960x24 -nolisten tcp >/dev/null 2>&1 &
  export DISPLAY=:99
  sleep 1
fi
exec ./target/release/meeting-doctor-app "$@"
