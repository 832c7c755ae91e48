#!/usr/bin/env bash
# Native bindings: the C API (gcc test program on fixtures/vectors.json and the fixture images),
# the Python wheel (maturin + pytest, and a pip install into a fresh venv), Kotlin on the JVM
# (JNA), and the checked-in Swift sources. Installs what is missing first (idempotent):
#   apt-get: libcjson-dev, libjna-java (and a JRE, python3-venv if absent), only when missing,
#            after `apt-get update`
#   pip:     maturin, pytest into a venv under $HOME/.cache
#   npm:     kotlin-compiler into $HOME/.cache
# Run from scripts/test.sh after the Rust tests; also alone: `bash scripts/test-bindings.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hashscreen-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export PYTHONDONTWRITEBYTECODE=1
CACHE="${HASHSCREEN_CACHE:-$HOME/.cache}"
VENV="$CACHE/hashscreen-bindings-venv"
KOTLIN_DIR="$CACHE/hashscreen-kotlin"
WORK="$CARGO_TARGET_DIR/bindings-test"
LIB_DIR="$CARGO_TARGET_DIR/debug"

step() { printf '\n=== %s\n' "$*"; }
# The first fenced code block of language $1 in README.md (the README's per-language examples).
readme_block() { awk -v fence='```'"$1" '$0 == fence { on = 1; next } on && $0 == "```" { exit } on' README.md; }

# --- system packages ------------------------------------------------------------------------
missing=()
for pkg in gcc libcjson-dev libjna-java; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
# A Java runtime for the Kotlin test and venv support for Debian's own python3 (both usually
# present already).
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
python3 -m venv --help >/dev/null 2>&1 || missing+=(python3-venv)
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
# The README's C example, compiled and run as it stands.
readme_block c > "$WORK/readme-example.c"
gcc -std=c11 -Wall -Wextra -Werror -I bindings/c/include "$WORK/readme-example.c" \
  "$LIB_DIR/libhashscreen_c.a" -lpthread -ldl -lm -o "$WORK/readme-example-c"
"$WORK/readme-example-c"

# --- Python -----------------------------------------------------------------------------------
step "Python: maturin wheel (UniFFI), pytest on the shared vectors, pip install into a fresh venv"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip --version >/dev/null
if ! { [ -x "$VENV/bin/maturin" ] && "$VENV/bin/python" -c 'import pytest' >/dev/null 2>&1; }; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check 'maturin>=1.9,<2' 'pytest>=7'
fi
rm -rf "$WORK/wheels"
MATURIN="$VENV/bin/maturin" bindings/uniffi/build-wheel.sh --quiet --out "$WORK/wheels"
WHEEL="$(ls "$WORK"/wheels/hashscreen-*.whl)"
echo "wheel: $(basename "$WHEEL")"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"
"$VENV/bin/python" -m pytest -q -p no:cacheprovider bindings/uniffi/tests
# The README's Python example, run as it stands against the installed wheel.
readme_block python > "$WORK/readme_example.py"
(cd "$WORK" && "$VENV/bin/python" readme_example.py)

# A user's view: a fresh venv, `pip install` of the wheel alone, screen an image.
FRESH="$WORK/fresh-venv"
rm -rf "$FRESH"
python3 -m venv "$FRESH"
"$FRESH/bin/python" -m pip install -q --disable-pip-version-check --no-index "$WHEEL"
(cd "$WORK" && HASHSCREEN_FIXTURES="$ROOT/fixtures" "$FRESH/bin/python" "$ROOT/bindings/uniffi/tests/smoke_installed.py")

# --- Kotlin -----------------------------------------------------------------------------------
step "Kotlin: generated bindings + test program on the JVM (JNA) against the shared vectors"
KOTLINC="$KOTLIN_DIR/node_modules/kotlin-compiler/bin/kotlinc"
if [ ! -x "$KOTLINC" ]; then
  mkdir -p "$KOTLIN_DIR"
  (cd "$KOTLIN_DIR" && npm install --silent --no-audit --no-fund --no-save kotlin-compiler@2)
fi
cargo build -p hashscreen-ffi --lib --bin uniffi-bindgen
rm -rf "$WORK/kotlin"
"$CARGO_TARGET_DIR/debug/uniffi-bindgen" generate --library "$LIB_DIR/libhashscreen_ffi.so" \
  --language kotlin --no-format --out-dir "$WORK/kotlin/src"
JNA_JAR=/usr/share/java/jna.jar
# The README's Kotlin example is compiled with the test (a function; the test does not call it).
readme_block kotlin > "$WORK/kotlin/ReadmeExample.kt"
"$KOTLINC" -nowarn -include-runtime -cp "$JNA_JAR" -d "$WORK/kotlin/test.jar" \
  "$WORK/kotlin/src" "$WORK/kotlin/ReadmeExample.kt" bindings/uniffi/tests/kotlin/VectorsTest.kt 2>&1 \
  | grep -v '^warning' || true
[ -f "$WORK/kotlin/test.jar" ]
java -Djna.library.path="$LIB_DIR" -cp "$WORK/kotlin/test.jar:$JNA_JAR" \
  VectorsTestKt "$ROOT/fixtures"

# --- Swift ------------------------------------------------------------------------------------
step "Swift: checked-in sources equal freshly generated ones (no Swift compiler on this machine)"
rm -rf "$WORK/swift"
"$CARGO_TARGET_DIR/debug/uniffi-bindgen" generate --library "$LIB_DIR/libhashscreen_ffi.so" \
  --language swift --no-format --out-dir "$WORK/swift"
for f in hashscreen.swift hashscreenFFI.h hashscreenFFI.modulemap; do
  if ! cmp -s "$WORK/swift/$f" "bindings/uniffi/swift/Sources/Hashscreen/$f"; then
    echo "bindings/uniffi/swift/Sources/Hashscreen/$f is stale: run bindings/uniffi/swift/regenerate.sh" >&2
    exit 1
  fi
done
echo "swift sources current"

echo
echo "bindings: all checks passed"
