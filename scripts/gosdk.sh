#!/usr/bin/env bash
# Runs Microsoft's Go Graph SDK (scripts/gosdk, a module of its own) against
# `drafts emulator --tls` for the operations drafts uses. Not part of .ci/run: a cold build of
# the SDK takes about three minutes and 4 GB of memory. Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/drafts-gosdk.XXXXXX")
emu_pid=""
cleanup() {
  if [ -n "$emu_pid" ]; then
    kill "$emu_pid" 2>/dev/null || true
    wait "$emu_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "gosdk: building the check (the SDK is large: minutes when not cached)"
(cd scripts/gosdk && go build -o "$work/gosdk" .)
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
      echo "gosdk: the emulator stopped:"; cat "$work/emulator.err"; exit 1
    fi
    sleep 0.1
  done
  base=$(sed -n 1p "$work/emulator.out")
  ca=$(sed -n 2p "$work/emulator.out")
  if [ -z "$base" ] || [ ! -f "$ca" ]; then
    echo "gosdk: the emulator did not print its base URL and CA file"; cat "$work/emulator.err"; exit 1
  fi

  "$work/gosdk" "$base" "$ca"
  kill "$emu_pid" 2>/dev/null || true
  wait "$emu_pid" 2>/dev/null || true
  emu_pid=""
}

# Graph puts @odata.nextLink before "value"; the client must not care: both places.
for pos in first last; do
  echo "gosdk: @odata.nextLink $pos"
  run_against "$pos"
done
