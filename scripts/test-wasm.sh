#!/usr/bin/env bash
# Builds and tests the WebAssembly package (wasm/): installs what is missing first (idempotent, so it
# works on a fresh machine with the Rust toolchain, Node >= 20 and npm), then clippy for wasm32, the
# build, the shared vectors in Node and in headless Chromium, the demo page test, and `tsc --noEmit`.
# Warm runs rebuild nothing that did not change.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hashscreen-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n=== %s\n' "$*"; }

step "wasm32 target"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

step "nightly rust-src (wasm/build.sh rebuilds the standard library with immediate-abort panics)"
if rustup run nightly rustc --version >/dev/null 2>&1; then
  if ! rustup component list --toolchain nightly --installed | grep -q '^rust-src'; then
    rustup component add --toolchain nightly rust-src
  fi
  echo "nightly rust-src: present"
else
  echo "no nightly toolchain: wasm/build.sh builds with stable (panic messages kept, a larger module)"
fi

step "wasm-bindgen CLI (the version of the wasm-bindgen crate in Cargo.lock)"
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [[ "$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }')" != "$want" ]]; then
  # Debug build: ~40 s instead of minutes; its speed does not matter. (--locked fails here.)
  cargo install --debug --no-default-features wasm-bindgen-cli --version "=$want"
fi
wasm-bindgen --version

step "Chromium (Debian's; Playwright drives it, nothing is downloaded by Playwright)"
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  sudo_=""
  [[ $(id -u) -ne 0 ]] && sudo_=sudo
  $sudo_ apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y chromium chromium-driver
fi
/usr/bin/chromium --version 2>/dev/null  # (Debian's wrapper script warns on stderr)

step "npm dependencies (wasm/package-lock.json: typescript, playwright-core, binaryen)"
lock_sum=$(sha256sum wasm/package-lock.json | cut -d' ' -f1)
if [[ "$(cat wasm/node_modules/.hashscreen-lock 2>/dev/null)" != "$lock_sum" ]]; then
  (cd wasm && npm ci --no-audit --no-fund)
  echo "$lock_sum" > wasm/node_modules/.hashscreen-lock
fi

# wasm/build.sh's target flags (it builds with the nightly toolchain when present; clippy here
# checks the same code with the stable one).
export RUSTFLAGS='--cfg getrandom_backend="wasm_js" -Ctarget-feature=+simd128'

step "clippy (hashscreen-wasm and the benchmark's loops, wasm32)"
cargo clippy -p hashscreen-wasm -p hashscreen-bench-loops --target wasm32-unknown-unknown \
  --features hashscreen-wasm/simd,hashscreen-bench-loops/simd -- -D warnings

step "build (wasm/build.sh)"
unset RUSTFLAGS
wasm/build.sh

step "types (tsc --noEmit on wasm/test/example.ts, every export)"
(cd wasm && node_modules/.bin/tsc --noEmit -p tsconfig.json)

step "tests: vectors in Node and in headless Chromium, the npm package, the demo page"
# The demo page test serves the page through `hashscreen demo --web`, as the README documents.
cargo build --release --bin hashscreen
HASHSCREEN_BIN="$CARGO_TARGET_DIR/release/hashscreen" node --test --test-reporter=tap wasm/test/vectors.test.mjs wasm/test/browser.test.mjs \
  wasm/test/package.test.mjs wasm/test/demo.test.mjs

echo
echo "wasm: all checks passed"
