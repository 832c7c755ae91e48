#!/usr/bin/env bash
# Runs every check and test of hashscreen. Installs what is missing first (idempotent), so it works on
# a fresh machine with only the Rust toolchain: `./scripts/test.sh` (the README's test command).
# CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hashscreen-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n=== %s\n' "$*"; }

step "toolchain components"
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    rustup component add "$component"
  fi
done

step "format"
cargo fmt --all -- --check

step "clippy (all targets, all features; library without default features)"
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo clippy -p hashscreen --lib --no-default-features -- -D warnings
cargo clippy -p hashscreen --lib --no-default-features --features image -- -D warnings

step "tests (Rust: unit, integration, CLI, vectors, doc tests; fixtures/gen checks the fixtures are current)"
cargo test --workspace

step "robustness benchmark: fixtures/corpus against fixtures/corpus/floors.json (eval/README.md)"
cargo run --release -p hashscreen-eval -- --corpus fixtures/corpus --floors fixtures/corpus/floors.json

step "privacy: strace of the CLI's check and inspect (no network, no file written)"
bash scripts/privacy-strace.sh

step "fuzz smoke: every fuzz target for ${FUZZ_SECONDS:-30}s (skips with a message without nightly)"
bash scripts/fuzz-smoke.sh

step "WebAssembly: npm package, shared vectors in Node and headless Chromium, demo page, TypeScript"
bash scripts/test-wasm.sh

step "native bindings: C (gcc, shared vectors, ASan), Python (maturin wheel, pytest, pip install), Kotlin (JVM), Swift sources"
bash scripts/test-bindings.sh

echo
echo "all checks passed"
