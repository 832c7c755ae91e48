#!/usr/bin/env bash
# WASM vs native on the same inputs, in one run: builds the package with and without WebAssembly
# SIMD and the native example, runs the three on wasm/bench/inputs.json, and prints the tables of
# BENCHMARKS.md (WebAssembly section) (bundle sizes, raw and gzipped; times). Needs what scripts/test-wasm.sh installs.
#   wasm/bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hashscreen-target}"

wasm/build.sh > /dev/null
wasm/build.sh --no-simd > /dev/null

# The benchmark's loops compiled as the package is (same profile, toolchain, panic strategy, target
# features and wasm-opt), into $CARGO_TARGET_DIR/bench-loops[-nosimd]/node/.
wasm/build.sh --bench-loops > /dev/null
wasm/build.sh --no-simd --bench-loops > /dev/null
cargo build --quiet --release -p hashscreen-wasm --example native-bench
png="$CARGO_TARGET_DIR/wasm-bench-0.7mp.png"   # written by native-bench, read by wasm.mjs
native=$("$CARGO_TARGET_DIR/release/examples/native-bench" "$png")
simd=$(node wasm/bench/wasm.mjs pkg "$png" "$CARGO_TARGET_DIR/bench-loops/node/hashscreen.js")
nosimd=$(node wasm/bench/wasm.mjs pkg-nosimd "$png" "$CARGO_TARGET_DIR/bench-loops-nosimd/node/hashscreen.js")
uptime
# The plot of BENCHMARKS.md (copied to docs/img/wasm-vs-native.svg).
HASHSCREEN_WASM_BENCH_SVG="$CARGO_TARGET_DIR/wasm-vs-native.svg" node wasm/bench/report.mjs "$native" "$simd" "$nosimd"
