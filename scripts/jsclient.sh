#!/usr/bin/env bash
# Runs Microsoft's JavaScript Graph client (@microsoft/microsoft-graph-client, from npm, in a
# temporary directory) against `drafts emulator --tls` for the operations drafts uses: see
# scripts/jsclient/check.js. Needs go, node (20 or later: it has fetch) and npm with a
# reachable registry. Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/drafts-jsclient.XXXXXX")
emu_pid=""
cleanup() {
  if [ -n "$emu_pid" ]; then
    kill "$emu_pid" 2>/dev/null || true
    wait "$emu_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "jsclient: installing @microsoft/microsoft-graph-client"
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent @microsoft/microsoft-graph-client@3 >/dev/null)

# Built once rather than `go run`, so that stopping it stops the emulator itself.
go build -o "$work/drafts" ./cmd/drafts
run_against() { # --next-link position
  local pos=$1
  : >"$work/emulator.out"
  "$work/drafts" emulator --tls --addr 127.0.0.1:0 --send-delay 0 --next-link "$pos" >"$work/emulator.out" 2>"$work/emulator.err" &
  emu_pid=$!

  # The first line is the base URL, the second the CA file; wait for both (at most 20 s).
  for _ in $(seq 200); do
    if [ "$(wc -l <"$work/emulator.out")" -ge 2 ]; then break; fi
    if ! kill -0 "$emu_pid" 2>/dev/null; then
      echo "jsclient: the emulator stopped:"; cat "$work/emulator.err"; exit 1
    fi
    sleep 0.1
  done
  base=$(sed -n 1p "$work/emulator.out")
  ca=$(sed -n 2p "$work/emulator.out")
  if [ -z "$base" ] || [ ! -f "$ca" ]; then
    echo "jsclient: the emulator did not print its base URL and CA file"; cat "$work/emulator.err"; exit 1
  fi

  NODE_PATH="$work/node_modules" NODE_EXTRA_CA_CERTS="$ca" node "$root/scripts/jsclient/check.js" "$base"
  kill "$emu_pid" 2>/dev/null || true
  wait "$emu_pid" 2>/dev/null || true
  emu_pid=""
}

# Graph puts @odata.nextLink before "value"; the client must not care: both places.
for pos in first last; do
  echo "jsclient: @odata.nextLink $pos"
  run_against "$pos"
done
