#!/bin/sh
# Makes the files the release archives carry beside the binary (.goreleaser.yaml runs it):
#   completions/drafts.bash, .zsh, .fish, .powershell   from 'drafts completion SHELL'
#   manpages/drafts.1.gz                                 from 'drafts man'
# into the directory given (default: the repository). DRAFTS_BIN names a built drafts to use;
# without it the script builds one for this machine in a temporary directory.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root}"
bin="${DRAFTS_BIN:-}"
if [ -z "$bin" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  bin="$tmp/drafts"
  (cd "$root" && go build -o "$bin" ./cmd/drafts)
fi
rm -rf "$out/completions" "$out/manpages"
mkdir -p "$out/completions" "$out/manpages"
for sh in bash zsh fish powershell; do
  "$bin" completion "$sh" > "$out/completions/drafts.$sh"
done
"$bin" man | gzip -9n > "$out/manpages/drafts.1.gz"
