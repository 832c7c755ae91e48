#!/usr/bin/env bash
# Rewrites the checked-in Swift bindings in Sources/Hashscreen/ from the current Rust sources
# (scripts/test-bindings.sh fails when they are stale). Needs only cargo: no Swift toolchain.
set -euo pipefail
cd "$(dirname "$0")/../../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hashscreen-target}"
cargo build -p hashscreen-ffi --lib --bin uniffi-bindgen
"$CARGO_TARGET_DIR/debug/uniffi-bindgen" generate \
  --library "$CARGO_TARGET_DIR/debug/libhashscreen_ffi.so" \
  --language swift --no-format --out-dir bindings/uniffi/swift/Sources/Hashscreen
echo "regenerated bindings/uniffi/swift/Sources/Hashscreen"
