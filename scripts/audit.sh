#!/usr/bin/env bash
# The supply-chain step of test.sh: cargo-audit over Cargo.lock against the
# RustSec advisory snapshot in ../shared/advisory-db (MD_ADVISORY_DB to point
# elsewhere), offline. Fails on any vulnerability, and on an unmaintained or
# unsound advisory not listed with its reason in .cargo/audit.toml.
#
# Then it checks that it really would fail: the same audit against a copy of
# the snapshot with a made-up vulnerability (and, separately, a made-up
# "unsound" advisory) for a crate in Cargo.lock must exit non-zero naming it.
#
# cargo-audit only reads the database with --no-fetch (checked under strace:
# it opens nothing there for writing, takes no lock in it), so the read-only
# shared/ copy is used as it is; the self-check writes into a temporary copy.
set -euo pipefail
cd "$(dirname "$0")/.."

db=${MD_ADVISORY_DB:-../shared/advisory-db}
if [[ ! -d "$db/crates" ]]; then
  echo "audit: no advisory database at $db (set MD_ADVISORY_DB)" >&2
  exit 1
fi
if [[ -f "$db/SNAPSHOT" ]]; then
  echo "audit: advisories from $(cat "$db/SNAPSHOT")"
fi

cargo audit --db "$db" --no-fetch

# --- self-check -------------------------------------------------------------
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A made-up advisory for `tokio` (always in Cargo.lock), every version affected.
fake() { # fake ID KIND: KIND is "vulnerability" or an informational kind
  local id=$1 kind=$2
  rm -rf "$tmp/db"
  cp -r "$db" "$tmp/db"
  chmod -R u+w "$tmp/db"
  mkdir -p "$tmp/db/crates/tokio"
  {
    echo '```toml'
    echo '[advisory]'
    echo "id = \"$id\""
    echo 'package = "tokio"'
    echo 'date = "2099-01-01"'
    echo 'url = "https://example.invalid/meeting-doctor-audit-self-check"'
    [[ "$kind" != vulnerability ]] && echo "informational = \"$kind\""
    echo
    echo '[versions]'
    echo 'patched = []'
    echo '```'
    echo
    echo "# Made-up advisory: scripts/audit.sh checks that the audit fails on it"
  } >"$tmp/db/crates/tokio/$id.md"
}

expect_failure() { # expect_failure ID KIND
  fake "$1" "$2"
  if cargo audit --db "$tmp/db" --no-fetch >"$tmp/out" 2>&1; then
    cat "$tmp/out"
    echo "audit: self-check FAILED: a made-up $2 advisory for tokio did not fail the audit" >&2
    exit 1
  fi
  if ! grep -q "$1" "$tmp/out"; then
    cat "$tmp/out"
    echo "audit: self-check FAILED: the audit failed, but not on the made-up $1" >&2
    exit 1
  fi
  echo "audit: self-check: a made-up $2 advisory ($1) for tokio fails the audit, as it must"
}

grep -q '^name = "tokio"$' Cargo.lock
expect_failure RUSTSEC-2099-0001 vulnerability
expect_failure RUSTSEC-2099-0002 unsound
