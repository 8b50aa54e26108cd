#!/usr/bin/env bash
# Runs Microsoft's Go Graph SDK (scripts/gosdk, a module of its own) against
# `drafts emulator --tls` for the operations drafts uses. Not part of .ci/run: a cold build of
# the SDK takes about three minutes and 4 GB of memory. Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/drafts-gosdk.XXXXXX")
name=gosdk
# shellcheck source=scripts/tls-emulator.sh
. scripts/tls-emulator.sh
cleanup() {
  stop_emulator
  rm -rf "$work"
}
trap cleanup EXIT

echo "gosdk: building the check (the SDK is large: minutes when not cached)"
(cd scripts/gosdk && go build -o "$work/gosdk" .)
go build -o "$work/drafts" ./cmd/drafts
run_against() { # --next-link position
  start_emulator "$1"
  "$work/gosdk" "$base" "$ca"
  stop_emulator
}

# Graph puts @odata.nextLink before "value"; the client must not care: both places.
for pos in first last; do
  echo "gosdk: @odata.nextLink $pos"
  run_against "$pos"
done
