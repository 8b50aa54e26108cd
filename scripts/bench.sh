#!/usr/bin/env bash
# Measures 'drafts list --json' and the full-screen program against the
# built-in Graph emulator serving N generated drafts, and compares the
# listing with its floor: the same pages fetched by curl in a shell loop.
#
#   scripts/bench.sh [N ...]       default: 10000 100000
#   RUNS=7 scripts/bench.sh 10000  timed runs per measurement (default 5; the median is shown)
#   BENCH_CLIENT=/path/to/drafts scripts/bench.sh
#                                  measure another build of the client (e.g. an older commit)
#                                  against this build's emulator
#
# For each N it prints:
#   list       median wall time of 'drafts list --json' (process start to exit)
#   floor      median wall time of the curl loop over the same pages (same $select,
#              $orderby and $top, following @odata.nextLink), one curl process per page
#   ratio      list / floor
#   1-curl     median wall time of a single curl process fetching the same pages over one
#              kept-alive connection, their addresses known beforehand (from a loop run): a
#              floor no client following next links can reach; and list / that
#   requests   Graph requests per run of each, from the emulator's /_emulator/stats
#   list peak  maximum resident set size of 'drafts list --json' (/usr/bin/time -v)
#   tui        the full-screen program in a pseudo-terminal (120x40): the requests it makes until
#              it is idle (every page, the count, the selected draft's body), its resident memory
#              then (VmRSS) and its peak (VmHWM)
#   warm start the full-screen program from process start to its first frame with the drafts,
#              with a warm list cache, against an emulator answering after 1 s (--latency 1s);
#              and without the cache (cache_list = false)
#
# Everything runs on 127.0.0.1; nothing else is contacted. curl, GNU time and script
# (util-linux) are installed with apt-get only when missing (root only). See BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 100000)

need() { # command package
  command -v "$1" >/dev/null 2>&1 && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing $2 (for $1)" >&2
    apt-get install -y -qq "$2" >/dev/null
  else
    echo "bench.sh needs $1 (package $2)" >&2; exit 1
  fi
}
need curl curl
need /usr/bin/time time
need script util-linux

tmp=$(mktemp -d)
emu_pid=""
cleanup() {
  [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== build"
go build -o "$tmp/drafts" ./cmd/drafts
bin="$tmp/drafts"
client=${BENCH_CLIENT:-$bin}

# A clean environment: no settings file, no token cache, a static token. It is an unsigned JWT
# naming an account (tenant and object id), as Graph's are: the list cache is kept per account,
# and an opaque token names nobody, so with one nothing would be kept and the warm start would
# measure a cold one.
mkdir -p "$tmp/home"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_CACHE_HOME="$tmp/home/.cache"
unset DRAFTS_CONFIG DRAFTS_MAILBOX DRAFTS_CLIENT_ID DRAFTS_TENANT DRAFTS_CACHE_DIR 2>/dev/null || true
b64url() { printf '%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
TOKEN="$(b64url '{"alg":"none","typ":"JWT"}').$(b64url '{"tid":"bench-tenant","oid":"bench-user"}').bench"
export DRAFTS_ACCESS_TOKEN=$TOKEN

# The $select of a listing: graph.listFields (a test in graph/ checks they agree).
SELECT='id,subject,bodyPreview,from,toRecipients,ccRecipients,bccRecipients,hasAttachments,importance,isDraft,createdDateTime,lastModifiedDateTime,sentDateTime,internetMessageId,conversationId,changeKey,conversationIndex'

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
requests() { curl -sS "$root/_emulator/stats" | grep -o '"requests":[0-9]*' | cut -d: -f2; }

curl_floor() { # the listing as a bare HTTP loop: one curl per page, following nextLink
  local url="$base/me/mailFolders/drafts/messages?\$orderby=lastModifiedDateTime%20desc&\$select=$SELECT&\$top=1000"
  : >"$tmp/urls"
  while [ -n "$url" ]; do
    echo "url = \"$url\"" >>"$tmp/urls"
    curl -sS --fail -H "Authorization: Bearer $TOKEN" -H "Accept: application/json" -o "$tmp/page.json" "$url"
    url=$(grep -o '"@odata.nextLink":"[^"]*"' "$tmp/page.json" | head -n 1 | sed 's/^"@odata.nextLink":"//; s/"$//') || true
  done
}

one_curl() { # the same pages in one curl process, one connection (the addresses from curl_floor)
  curl -sS --fail -H "Authorization: Bearer $TOKEN" -H "Accept: application/json" -K "$tmp/urls" >/dev/null
}

tui_memory() { # N: the full-screen program until every page is loaded
  local n=$1 before spid pid i got last quiet
  rm -f "$tmp/keys"; mkfifo "$tmp/keys"
  before=$(requests)
  script -qfec "stty cols 120 rows 40; exec $client" /dev/null <"$tmp/keys" >/dev/null 2>&1 &
  spid=$!
  exec 9>"$tmp/keys" # keeps the terminal's input open until we type q
  pid=""
  for i in $(seq 1 200); do pid=$(pgrep -P "$spid" | head -n 1 || true); [ -n "$pid" ] && break; sleep 0.05; done
  # Loaded when no request has come for 2 s (pages, the count, the selected draft's body).
  last=-1; quiet=0
  for i in $(seq 1 1200); do
    got=$(( $(requests) - before ))
    if [ "$got" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; last=$got; fi
    [ "$got" -gt 0 ] && [ "$quiet" -ge 20 ] && break
    sleep 0.1
  done
  local rss hwm
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
  printf 'q' >&9; exec 9>&-
  for i in $(seq 1 100); do kill -0 "$spid" 2>/dev/null || break; sleep 0.05; done
  kill "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  printf '%-10s %d requests to load %d drafts (with the count and the preview); resident %d MB after loading, peak %d MB\n' \
    "tui" "$got" "$n" $((rss / 1024)) $((hwm / 1024))
}

warm_start() { # N: from process start to the first frame showing the N drafts, from a warm list
  # cache, against an emulator that answers every request after 1 s (so the frame cannot
  # come from Graph); and the same without a cache, for comparison
  local n=$1 slow_pid slow i t runs=() cold=() label
  "$bin" emulator --drafts "$n" --addr 127.0.0.1:0 --latency 1s >"$tmp/slow.out" 2>/dev/null &
  slow_pid=$!
  for i in $(seq 1 200); do [ -s "$tmp/slow.out" ] && break; sleep 0.05; done
  slow=$(head -n 1 "$tmp/slow.out")
  label="To: " # the second line of a row: a draft is on screen (the preview writes "To" without a colon)
  first_frame() { # prints the ms from start to the frame with the count, then quits the program
    local t0 spid
    rm -f "$tmp/keys" "$tmp/tty.log"; mkfifo "$tmp/keys"
    t0=$(now_ms)
    DRAFTS_GRAPH_URL="$slow" script -qfec "stty cols 120 rows 40; exec $client" "$tmp/tty.log" <"$tmp/keys" >/dev/null 2>&1 &
    spid=$!
    exec 8>"$tmp/keys"
    for i in $(seq 1 3000); do grep -aq "$label" "$tmp/tty.log" 2>/dev/null && break; sleep 0.005; done
    echo $(( $(now_ms) - t0 ))
    if [ "${1:-}" = warm ]; then # until the list is kept: once Graph has answered every page
      for i in $(seq 1 3000); do [ "$cache" -nt "$tmp/started" ] && break; sleep 0.1; done
      [ "$cache" -nt "$tmp/started" ] || { echo "warm start: the list was not kept in $cache" >&2; exit 1; }
    fi
    printf 'q' >&8; exec 8>&-
    for i in $(seq 1 200); do kill -0 "$spid" 2>/dev/null || break; sleep 0.05; done
    kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true
  }
  for i in $(seq 1 "$RUNS"); do
    cold+=($(DRAFTS_CACHE_LIST=false first_frame))
  done
  local cache="${XDG_CACHE_HOME}/drafts/drafts-list"
  touch "$tmp/started"; sleep 1 # file times are in whole seconds on some file systems
  first_frame warm >/dev/null # keeps the list of this mailbox
  for i in $(seq 1 "$RUNS"); do runs+=($(first_frame)); done
  kill "$slow_pid" 2>/dev/null || true; wait "$slow_pid" 2>/dev/null || true
  printf '%-10s %5d ms from process start to %d drafts on screen, Graph answering after 1 s (runs: %s); without the cache %d ms (runs: %s)\n' \
    "warm start" "$(printf '%s\n' "${runs[@]}" | median)" "$n" "${runs[*]}" "$(printf '%s\n' "${cold[@]}" | median)" "${cold[*]}"
}

for n in "${SIZES[@]}"; do
  echo "== $n drafts"
  "$bin" emulator --drafts "$n" --addr 127.0.0.1:0 >"$tmp/emu.out" 2>"$tmp/emu.err" &
  emu_pid=$!
  for i in $(seq 1 200); do [ -s "$tmp/emu.out" ] && break; sleep 0.05; done
  base=$(head -n 1 "$tmp/emu.out")
  case "$base" in http://127.0.0.1:*) ;; *) echo "the emulator did not start: $(cat "$tmp/emu.err")" >&2; exit 1 ;; esac
  root=${base%/v1.0}
  export DRAFTS_GRAPH_URL="$base"

  # One warm-up of each, then the timed runs, alternating.
  "$client" list --json >"$tmp/list.json"; curl_floor
  ours=(); floor=()
  r0=$(requests)
  for i in $(seq 1 "$RUNS"); do
    t=$(now_ms); "$client" list --json >"$tmp/list.json"; ours+=($(( $(now_ms) - t )))
  done
  r1=$(requests)
  for i in $(seq 1 "$RUNS"); do
    t=$(now_ms); curl_floor; floor+=($(( $(now_ms) - t )))
  done
  r2=$(requests)
  one=()
  for i in $(seq 1 "$RUNS"); do
    t=$(now_ms); one_curl; one+=($(( $(now_ms) - t )))
  done
  listed=$(grep -c '"id":' "$tmp/list.json" || true)
  [ "$listed" = "$n" ] || { echo "drafts list --json printed $listed drafts, want $n" >&2; exit 1; }

  o=$(printf '%s\n' "${ours[@]}" | median)
  f=$(printf '%s\n' "${floor[@]}" | median)
  f1=$(printf '%s\n' "${one[@]}" | median)
  /usr/bin/time -v "$client" list --json >/dev/null 2>"$tmp/time.txt"
  peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")

  printf '%-10s %5d ms   (runs: %s)\n' "list" "$o" "${ours[*]}"
  printf '%-10s %5d ms   (runs: %s)\n' "floor" "$f" "${floor[*]}"
  printf '%-10s %s\n' "ratio" "$(awk -v o="$o" -v f="$f" 'BEGIN {printf "%.2f", o / f}')"
  printf '%-10s %5d ms   (runs: %s); list / 1-curl = %s\n' "1-curl" "$f1" "${one[*]}" \
    "$(awk -v o="$o" -v f="$f1" 'BEGIN {printf "%.2f", o / f}')"
  printf '%-10s list %d, curl loop %d per run (pages of 1,000: %d)\n' "requests" \
    $(( (r1 - r0) / RUNS )) $(( (r2 - r1) / RUNS )) $(( (n + 999) / 1000 ))
  printf '%-10s %d MB\n' "list peak" $((peak / 1024))
  tui_memory "$n"
  warm_start "$n"

  kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; emu_pid=""
done
