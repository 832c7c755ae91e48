#!/usr/bin/env bash
# Native bindings: the C API (gcc test program on fixtures/vectors.json and the fixture images).
# Installs what is missing first (idempotent):
#   apt-get: libcjson-dev (only after `apt-get update`, only when missing)
# Run from scripts/test.sh after the Rust tests; also alone: `bash scripts/test-bindings.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hashscreen-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
CACHE="${HASHSCREEN_CACHE:-$HOME/.cache}"
VENV="$CACHE/hashscreen-bindings-venv"
KOTLIN_DIR="$CACHE/hashscreen-kotlin"
WORK="$CARGO_TARGET_DIR/bindings-test"
LIB_DIR="$CARGO_TARGET_DIR/debug"

step() { printf '\n=== %s\n' "$*"; }

# --- system packages ------------------------------------------------------------------------
missing=()
for pkg in gcc libcjson-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

mkdir -p "$WORK"

# --- C ----------------------------------------------------------------------------------------
step "C: build libhashscreen_c (static + shared), header check, gcc test program"
cargo build -p hashscreen-c
cargo test -p hashscreen-c --test header
gcc -std=c11 -O1 -g -Wall -Wextra -Werror -pedantic \
  -I bindings/c/include bindings/c/tests/vectors.c \
  "$LIB_DIR/libhashscreen_c.a" -lcjson -lpthread -ldl -lm \
  -o "$WORK/c-vectors-static"
"$WORK/c-vectors-static" "$ROOT/fixtures"
# The same program against the shared library, under AddressSanitizer (use-after-free, leaks
# and overflows on the C side of the boundary).
gcc -std=c11 -O1 -g -fsanitize=address -fno-omit-frame-pointer -Wall -Wextra -Werror \
  -I bindings/c/include bindings/c/tests/vectors.c \
  -L "$LIB_DIR" -lhashscreen_c -lcjson -Wl,-rpath,"$LIB_DIR" \
  -o "$WORK/c-vectors-shared-asan"
ASAN_OPTIONS=detect_leaks=1 "$WORK/c-vectors-shared-asan" "$ROOT/fixtures"

echo
echo "bindings: all checks passed"
