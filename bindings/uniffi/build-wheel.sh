#!/usr/bin/env bash
# Builds the Python wheel with maturin: `bindings/uniffi/build-wheel.sh [maturin build args]`
# (for example `--release --out dist`). Needs `pip install maturin`.
#
# Why a script rather than a bare `maturin build`: maturin (1.16) generates the Python sources by
# running `cargo run --bin uniffi-bindgen` from the workspace root, and cargo refuses that in a
# workspace whose root is itself a package (it looks for the bin in the root package only). A
# `cargo` shim on PATH adds `-p hashscreen-ffi` to that one command and passes everything else
# through unchanged.
set -euo pipefail
cd "$(dirname "$0")"
MATURIN="${MATURIN:-maturin}"
REAL_CARGO="$(command -v cargo)"
shim="$(mktemp -d)"
trap 'rm -rf "$shim"' EXIT
cat > "$shim/cargo" <<SHIM
#!/usr/bin/env bash
if [ "\${1:-}" = run ] && [ "\${2:-}" = --bin ] && [ "\${3:-}" = uniffi-bindgen ]; then
  shift 3
  exec "$REAL_CARGO" run -q -p hashscreen-ffi --bin uniffi-bindgen "\$@"
fi
exec "$REAL_CARGO" "\$@"
SHIM
chmod +x "$shim/cargo"
PATH="$shim:$PATH" "$MATURIN" build "$@"
