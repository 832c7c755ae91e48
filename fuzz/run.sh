#!/usr/bin/env bash
# Runs fuzz targets for a while at the lowest CPU priority, logging libFuzzer's output with a
# timestamp (seconds since start) per line: `fuzz/run.sh 900 image_pdq blocklist_open`.
# Logs: fuzz/logs/<target>.log; findings: fuzz/artifacts/<target>/. Extra libFuzzer flags: FUZZ_FLAGS
# (the image targets use -detect_leaks=0: jpeg-decoder's detached worker threads race LeakSanitizer,
# see docs/security.md).
set -euo pipefail
cd "$(dirname "$0")"
secs=$1; shift
mkdir -p logs
./seed.sh >/dev/null
cargo +nightly fuzz build -O  # at normal priority: a build at nice 19 starves on a busy machine
for t in "$@"; do
  (
    start=$(date +%s)
    nice -n 19 cargo +nightly fuzz run -O "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 \
      -timeout=60 -print_final_stats=1 ${FUZZ_FLAGS:-} 2>&1 |
      while IFS= read -r line; do printf '%5d %s\n' $(( $(date +%s) - start )) "$line"; done \
      > "logs/$t.log"
  ) &
done
wait
