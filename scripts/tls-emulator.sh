# Sourced by the scripts that run Microsoft's clients against the emulator (jsclient.sh,
# gosdk.sh): one way to start `drafts emulator --tls` and stop it. The sourcing script sets
# $work (a temporary directory holding the built drafts binary) and $name (for messages).

emu_pid=""

# stop_emulator stops the emulator started by start_emulator, if it runs.
stop_emulator() {
  if [ -n "$emu_pid" ]; then
    kill "$emu_pid" 2>/dev/null || true
    wait "$emu_pid" 2>/dev/null || true
  fi
  emu_pid=""
}

# start_emulator POSITION starts `drafts emulator --tls` with @odata.nextLink first or last,
# and sets $base (its base URL) and $ca (the CA file to trust), waiting at most 20 s for both.
start_emulator() {
  : >"$work/emulator.out"
  "$work/drafts" emulator --tls --addr 127.0.0.1:0 --send-delay 0 --next-link "$1" >"$work/emulator.out" 2>"$work/emulator.err" &
  emu_pid=$!
  for _ in $(seq 200); do
    if [ "$(wc -l <"$work/emulator.out")" -ge 2 ]; then break; fi
    if ! kill -0 "$emu_pid" 2>/dev/null; then
      echo "$name: the emulator stopped:"; cat "$work/emulator.err"; exit 1
    fi
    sleep 0.1
  done
  base=$(sed -n 1p "$work/emulator.out")
  ca=$(sed -n 2p "$work/emulator.out")
  if [ -z "$base" ] || [ ! -f "$ca" ]; then
    echo "$name: the emulator did not print its base URL and CA file"; cat "$work/emulator.err"; exit 1
  fi
}
