#!/usr/bin/env bash
# Builds the npm package `hashscreen` into wasm/pkg/ (web and nodejs targets, one package.json with
# `exports` for both, TypeScript types), and the demo page's files into wasm/www/ (pkg/, demo list).
#
#   wasm/build.sh              WebAssembly SIMD build (blake3 `wasm32_simd`, `+simd128`)
#   wasm/build.sh --no-simd    the same without SIMD, into wasm/pkg-nosimd/ (benchmarks)
#   wasm/build.sh [--no-simd] --bench-loops
#                              the benchmark's loops (wasm/bench/loops) compiled the same way, for
#                              Node only, into $CARGO_TARGET_DIR/bench-loops[-nosimd]/ (wasm/bench/run.sh)
#
# Needs: the wasm32-unknown-unknown target, `wasm-bindgen` at the version of the `wasm-bindgen` crate
# in Cargo.lock, and `npm ci` in wasm/ (wasm-opt from the npm package binaryen; skipped with a note
# when absent). scripts/test-wasm.sh installs all of them. Nothing is downloaded here.
set -euo pipefail
cd "$(dirname "$0")"
WASM_DIR=$PWD
ROOT=$(cd .. && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hashscreen-target}"

simd=1 package=hashscreen-wasm
for arg in "$@"; do
  case $arg in
    --no-simd) simd=0 ;;
    --bench-loops) package=hashscreen-bench-loops ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

# getrandom 0.3 on wasm32-unknown-unknown: the `wasm_js` feature (wasm/Cargo.toml) and this cfg.
# RUSTFLAGS, not a wasm/.cargo/config.toml: cargo reads config files from the directory it is run
# in and its parents, so one under wasm/ would apply only to cargo runs from inside wasm/, not to
# those from the workspace root (scripts/test-wasm.sh's clippy, an editor, CI).
rustflags='--cfg getrandom_backend="wasm_js"'
if ((simd)); then
  profile=wasm-release
  out=pkg
  features=(--features simd)
  rustflags+=' -Ctarget-feature=+simd128'
else
  profile=wasm-release-nosimd
  out=pkg-nosimd
  features=()
fi
targets=(web nodejs)
if [[ $package == hashscreen-bench-loops ]]; then
  out=$CARGO_TARGET_DIR/bench-loops${out#pkg}
  targets=(nodejs)
fi

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [[ "$have" != "$want" ]]; then
  echo "wasm-bindgen $want is needed (found '${have:-none}'): run scripts/test-wasm.sh, or" >&2
  echo "  cargo install --debug --no-default-features wasm-bindgen-cli --version =$want" >&2
  exit 1
fi

# Panics: with the nightly toolchain and its rust-src, the standard library is rebuilt with the
# `immediate-abort` panic strategy: a panic traps at once (WebAssembly `unreachable`, a
# `RuntimeError` in JS), as it already does with the target's default `panic=abort`, but without
# the panic messages, their locations and the formatting code that prints them: -38 KB gzipped
# (BENCHMARKS.md). The same sources and lock file; HASHSCREEN_WASM_STABLE=1 builds with the stable
# toolchain instead (the larger module, same behaviour).
build() { # build TOOLCHAIN_ARGS... -- EXTRA_RUSTFLAGS
  local args=() extra
  while [[ "$1" != -- ]]; do args+=("$1"); shift; done
  extra=$2
  echo "== cargo ${args[*]} build ($profile, simd=$simd)"
  RUSTFLAGS="$rustflags$extra" cargo "${args[@]}" build -p "$package" --lib \
    --target wasm32-unknown-unknown --profile "$profile" "${features[@]}" \
    --manifest-path "$ROOT/Cargo.toml"
}
if [[ "${HASHSCREEN_WASM_STABLE:-0}" != 1 ]] && rustup run nightly rustc --version >/dev/null 2>&1 &&
  rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src'; then
  # A nightly without the (unstable) flag fails here: then the stable build, with a note.
  if ! build +nightly -Zbuild-std=std,panic_abort -- ' -Zunstable-options -Cpanic=immediate-abort'; then
    echo "note: the nightly build failed (see above); building with the stable toolchain instead" >&2
    build -- ''
  fi
else
  echo "note: building with the stable toolchain (panic messages kept: a larger module); for the" >&2
  echo "  published size: rustup component add --toolchain nightly rust-src" >&2
  build -- ''
fi
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/$profile/${package//-/_}.wasm"

rm -rf "$out"
for target in "${targets[@]}"; do
  dir="$out/${target/nodejs/node}"
  # --weak-refs: objects holding WebAssembly memory (keys, lists) are freed by the garbage collector
  # too (FinalizationRegistry); `free()` still frees them at once.
  wasm-bindgen "$wasm" --target "$target" --out-dir "$dir" --out-name hashscreen --weak-refs
  if [[ -x node_modules/.bin/wasm-opt ]]; then
    node_modules/.bin/wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-sign-ext \
      --enable-nontrapping-float-to-int --enable-mutable-globals --enable-reference-types \
      --enable-multivalue "$dir/hashscreen_bg.wasm" -o "$dir/hashscreen_bg.wasm"
  else
    echo "note: wasm-opt not found (run npm ci in wasm/); the package is built without it" >&2
  fi
done
if [[ $package == hashscreen-bench-loops ]]; then
  echo "== $out/node/hashscreen.js"
  exit 0
fi
# web/ is an ES module, node/ CommonJS: each says so for the `.js` files inside it.
echo '{ "type": "module" }' > "$out/web/package.json"
echo '{ "type": "commonjs" }' > "$out/node/package.json"
cp npm/package.json README.md "$out/"
echo "== $WASM_DIR/$out"
ls -l "$out"/web/hashscreen_bg.wasm "$out"/web/hashscreen.js "$out"/node/hashscreen.js

if ((simd)); then
  # The demo page: the web build, and a list made from fixtures/demo with the demo key.
  rm -rf www/pkg && cp -r "$out"/web www/pkg
  node www/make-demo-list.mjs "$ROOT/fixtures/demo" www/demo.hsbl
fi
