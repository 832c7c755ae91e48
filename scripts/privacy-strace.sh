#!/usr/bin/env bash
# Privacy check: the screening path opens no network socket and writes no file. Runs the CLI's
# `check` (a list, a text, a URL, an image and a file) and `inspect` under strace and fails on any
# socket/connect/bind/sendto call, any open for writing or creating, or any write to a descriptor
# other than stdout/stderr. Installs strace from Debian when missing (idempotent); prints a clear
# skip message when it cannot trace (no apt, or ptrace not permitted in a container).
# Usage: scripts/privacy-strace.sh [path/to/hashscreen]  (default: builds the debug CLI)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hashscreen-target}"

if ! command -v strace >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "privacy: installing strace (Debian)"
    { apt-get install -y -q strace || { apt-get update -q && apt-get install -y -q strace; }; } >/dev/null 2>&1 || true
  fi
fi
if ! command -v strace >/dev/null 2>&1; then
  echo "privacy strace check: SKIPPED (strace not installable here)"
  exit 0
fi
if ! strace -f -o /dev/null true 2>/dev/null; then
  echo "privacy strace check: SKIPPED (ptrace not permitted here)"
  exit 0
fi

bin="${1:-}"
if [[ -z "$bin" ]]; then
  cargo build -q --bin hashscreen
  bin="$CARGO_TARGET_DIR/debug/hashscreen"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" keygen -o "$work/deploy.key" >/dev/null
printf 'Send gift card codes to unlock your account\n' > "$work/scams.txt"
printf 'evil.example\n' > "$work/urls.txt"
"$bin" build --key "$work/deploy.key" --texts "$work/scams.txt" --urls "$work/urls.txt" \
  --label scam -o "$work/list.hsbl" >/dev/null
cp fixtures/images/corpus/0015.jpg "$work/photo.jpg"
cp fixtures/demo/ordinary-attachment.txt "$work/attachment.txt"
chmod a-w "$work"/*

trace() { # name, command...
  local name=$1; shift
  strace -f -qq -e trace=network,open,openat,openat2,creat,write,writev,pwrite64,rename,renameat,renameat2,unlink,unlinkat,mkdir,mkdirat,truncate,ftruncate \
    -o "$work/$name.strace" "$@" >"$work/$name.out"
}
trace check "$bin" check --key "$work/deploy.key" --blocklist "$work/list.hsbl" \
  --text "SEND gift card codes to unlock  your account" --url "hxxp://evil[.]example/x" \
  "$work/photo.jpg" "$work/attachment.txt"
trace inspect "$bin" inspect "$work/list.hsbl"

grep -q '"matched":true' "$work/check.out" || grep -q '"matched": true' "$work/check.out" ||
  { echo "privacy: check did not match the listed text (the traced run is not the real path)"; cat "$work/check.out"; exit 1; }

fail=0
for name in check inspect; do
  log="$work/$name.strace"
  if grep -E '\b(socket|connect|bind|listen|accept4?|sendto|sendmsg|recvfrom|recvmsg)\(' "$log"; then
    echo "privacy: $name used the network"; fail=1
  fi
  if grep -E '\b(open|openat|openat2)\(' "$log" | grep -E 'O_(WRONLY|RDWR|CREAT|TRUNC|APPEND)'; then
    echo "privacy: $name opened a file for writing"; fail=1
  fi
  if grep -E '\b(creat|rename|renameat2?|unlink|unlinkat|mkdir|mkdirat|truncate|ftruncate)\(' "$log" | grep -v ' = -1 '; then
    echo "privacy: $name created, renamed or removed a file"; fail=1
  fi
  if grep -E '\b(write|writev|pwrite64)\(' "$log" | grep -vE '\b(write|writev|pwrite64)\((1|2),'; then
    echo "privacy: $name wrote to a descriptor other than stdout/stderr"; fail=1
  fi
  printf 'privacy: %s: %d syscalls traced, %d opens (read-only), %d writes (stdout/stderr)\n' "$name" \
    "$(wc -l <"$log")" "$(grep -cE '\bopen(at2?)?\(' "$log" || true)" "$(grep -cE '\bwritev?\(' "$log" || true)"
done
# Negative control: the same rules must flag a command that does write a file (keygen).
chmod u+w "$work"
trace control "$bin" keygen -o "$work/control.key"
if ! grep -E '\b(open|openat|openat2)\(' "$work/control.strace" | grep -qE 'O_(WRONLY|RDWR|CREAT)'; then
  echo "privacy: the trace did not see keygen write its key file: the check is blind"; fail=1
fi
if ((fail)); then exit 1; fi
echo "privacy strace check: no network, no file written (check, inspect)"
