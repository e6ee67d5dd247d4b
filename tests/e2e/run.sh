#!/usr/bin/env bash
# End-to-end: the real app under Xvfb, driven through its webview by
# tauri-driver + WebKitWebDriver, against the lab. Everything runs inside a
# fresh network namespace whose resolver is the lab's DNS server, so the
# app's checks reach only the lab.
#
#   tests/e2e/run.sh APP_BINARY            the end-to-end tests
#   tests/e2e/run.sh APP_BINARY --bench    launch time and memory instead
#
# Needs root, Xvfb, tauri-driver and WebKitWebDriver (scripts/setup.sh --test).
# Screenshots land in tests/e2e/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."
app=$(realpath "${1:?usage: tests/e2e/run.sh APP_BINARY}")
serve=target/debug/examples/serve
[[ -x "$serve" ]] || cargo build --locked -p md-lab --example serve
serve=$(realpath "$serve")

ns="mde2e$$"
work=$(mktemp -d /tmp/md-e2e.XXXXXX)
cleanup() {
  local rc=$?
  set +e
  if [[ $rc -ne 0 && -d "$work" ]]; then
    for f in "$work"/xvfb.log "$work"/lab.log; do [[ -s "$f" ]] && { echo "--- $f"; tail -n 20 "$f"; }; done
  fi
  [[ -n "${lab_pid:-}" ]] && kill "$lab_pid" 2>/dev/null
  [[ -n "${xvfb_pid:-}" ]] && kill "$xvfb_pid" 2>/dev/null
  wait 2>/dev/null
  ip netns del "$ns" 2>/dev/null
  rm -rf "/etc/netns/$ns" "$work"
}
trap cleanup EXIT

ip netns add "$ns"
ip -n "$ns" link set lo up
mkdir -p "/etc/netns/$ns"
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > "/etc/netns/$ns/resolv.conf"

ip netns exec "$ns" "$serve" "$work/lab" 53 > "$work/lab.log" 2>&1 &
lab_pid=$!
for _ in $(seq 100); do [[ -f "$work/lab/broken.toml" ]] && break; sleep 0.1; done
[[ -f "$work/lab/broken.toml" ]] || { echo "lab did not start:"; cat "$work/lab.log"; exit 1; }

# Xvfb picks a free display and writes its number once it accepts clients.
ip netns exec "$ns" Xvfb -displayfd 3 -screen 0 1280x960x24 -nolisten tcp 3>"$work/display" > "$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [[ -s "$work/display" ]] && break; sleep 0.1; done
display=$(head -n1 "$work/display" 2>/dev/null || true)
[[ -n "$display" ]] || { echo "Xvfb did not start:"; cat "$work/xvfb.log"; exit 1; }

mkdir -p tests/e2e/artifacts
if [[ "${2:-}" == "--bench" ]]; then
  ip netns exec "$ns" env DISPLAY=":$display" MD_APP="$app" MD_LAB="$work/lab" node tests/e2e/launch-bench.mjs
else
  # A home of its own: the app saves reports into ~/Downloads. The app runs
  # as root, so fixes that need rights keep their journal in the
  # administrators' folder: one of the run's own, not this machine's.
  mkdir -p "$work/home/Downloads"
  install -d -m 0755 "$work/admin"
  ip netns exec "$ns" env DISPLAY=":$display" MD_APP="$app" MD_LAB="$work/lab" \
    HOME="$work/home" MD_HOME="$work/home" MEETING_DOCTOR_ADMIN_DATA="$work/admin" \
    SSL_CERT_FILE="$work/lab/inspection-ca.pem" \
    node --test --test-timeout=240000 tests/e2e/app.test.mjs
fi
