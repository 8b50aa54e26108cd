#!/usr/bin/env bash
# Runs Microsoft's JavaScript Graph client (@microsoft/microsoft-graph-client, from npm, in a
# temporary directory) against `drafts emulator --tls` for the operations drafts uses: see
# scripts/jsclient/check.js. Needs go, node (20 or later: it has fetch) and npm with a
# reachable registry. Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/drafts-jsclient.XXXXXX")
name=jsclient
# shellcheck source=scripts/tls-emulator.sh
. scripts/tls-emulator.sh
cleanup() {
  stop_emulator
  rm -rf "$work"
}
trap cleanup EXIT

echo "jsclient: installing @microsoft/microsoft-graph-client"
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent @microsoft/microsoft-graph-client@3 >/dev/null)

# Built once rather than `go run`, so that stopping it stops the emulator itself.
go build -o "$work/drafts" ./cmd/drafts
run_against() { # --next-link position
  start_emulator "$1"
  NODE_PATH="$work/node_modules" NODE_EXTRA_CA_CERTS="$ca" node "$root/scripts/jsclient/check.js" "$base"
  stop_emulator
}

# Graph puts @odata.nextLink before "value"; the client must not care: both places.
for pos in first last; do
  echo "jsclient: @odata.nextLink $pos"
  run_against "$pos"
done
