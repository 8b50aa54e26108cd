#!/usr/bin/env bash
# Renders the recorded demos: demo/NAME.tape -> demo/NAME.gif, with VHS, against
# 'drafts --demo' (the built-in emulator) at the fixed clock each tape sets (DRAFTS_DEMO_NOW),
# so every render shows the same mailbox.
#
#   scripts/demo.sh              every tape in demo/
#   scripts/demo.sh send later   only demo/send.tape and demo/later.tape
#
# Installs what is missing: vhs from the Go module proxy (VHS_VERSION, default v0.10.0), and
# ttyd, ffmpeg and chromium (VHS drives a headless browser) with apt-get (as root). The drafts
# it records is built from this checkout into a temporary directory put first on PATH.
# The tapes are checked with 'vhs validate' first (VHS's own parser; installing vhs took 17 s
# here); cmd/drafts/tapes_e2e_test.go plays them into the program and checks what they show.
set -euo pipefail
cd "$(dirname "$0")/.."

tapes=()
if [ $# -gt 0 ]; then
  for n in "$@"; do tapes+=("demo/$n.tape"); done
else
  tapes=(demo/*.tape)
fi

vhs_bin="$(command -v vhs || true)"
if [ -z "$vhs_bin" ]; then
  echo "== go install github.com/charmbracelet/vhs@${VHS_VERSION:-v0.10.0}"
  go install "github.com/charmbracelet/vhs@${VHS_VERSION:-v0.10.0}"
  vhs_bin="$(go env GOPATH)/bin/vhs"
fi
echo "== vhs validate ${tapes[*]}"
"$vhs_bin" validate "${tapes[@]}"

need_apt=()
command -v ttyd >/dev/null 2>&1 || need_apt+=(ttyd)
command -v ffmpeg >/dev/null 2>&1 || need_apt+=(ffmpeg)
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  need_apt+=(chromium)
fi
# The demo mailbox has emoji (📎, 🍕): without a colour emoji font they render as boxes.
if ! fc-list 2>/dev/null | grep -qi emoji; then
  need_apt+=(fonts-noto-color-emoji)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "demo.sh: missing ${need_apt[*]}; run as root to install them with apt-get, or install them yourself" >&2
    exit 1
  fi
  echo "== apt-get install ${need_apt[*]}"
  apt-get update -qq
  for p in "${need_apt[@]}"; do
    # Debian 12 has no ttyd package (later releases do): say so instead of failing obscurely.
    if [ -z "$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -v '(none)')" ]; then
      echo "demo.sh: apt has no package '$p' here; install $p by other means and run again (VHS needs ttyd, ffmpeg and a Chromium)" >&2
      if [ "$p" = ttyd ]; then
        # How the GIFs in demo/ were made on Debian 12: ttyd 1.7.7 built from its source.
        echo "  ttyd builds from its source with: apt-get install cmake build-essential libwebsockets-dev libjson-c-dev libuv1-dev zlib1g-dev; cmake -B build && make -C build" >&2
      fi
      exit 1
    fi
  done
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" fonts-dejavu-core
fi


tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/drafts" ./cmd/drafts
export PATH="$tmp:$PATH"
# Chromium refuses to run as root without --no-sandbox; VHS passes it when this is set.
if [ "$(id -u)" = 0 ]; then export VHS_NO_SANDBOX=true; fi

for t in "${tapes[@]}"; do
  echo "== vhs $t"
  "$vhs_bin" "$t"
done
ls -l demo/*.gif
