#!/usr/bin/env bash
# Summarises fuzz/logs/<target>.log (from fuzz/run.sh) as Markdown rows: executions, exec/s, final
# cov/ft, corpus, and cov at 5, 10 and 15 minutes after the corpus was loaded (INITED).
set -euo pipefail
cd "$(dirname "$0")"
echo "| target | fuzzed (s) | executions | exec/s | final cov / ft | corpus (files / size) | cov at 5 / 10 / 15 min | findings |"
echo "|---|---|---|---|---|---|---|---|"
for log in "${@:-logs/*.log}"; do
  [[ -f $log ]] || continue
  name=$(basename "$log" .log)
  awk -v name="$name" '
    /INITED/ && !inited { t0 = $1; inited = 1 }
    / cov: / {
      t = $1 - t0
      for (i = 1; i <= NF; i++) {
        if ($i == "cov:") cov = $(i + 1)
        if ($i == "ft:") ft = $(i + 1)
        if ($i == "corp:") corp = $(i + 1)
      }
      if (inited && t <= 300) c5 = cov
      if (inited && t <= 600) c10 = cov
      if (inited && t <= 900) c15 = cov
    }
    /stat::number_of_executed_units/ { execs = $3; tend = $1 }
    /stat::average_exec_per_sec/ { eps = $3 }
    /ERROR: libFuzzer|ERROR: LeakSanitizer|ERROR: AddressSanitizer|panicked/ { finding = finding $0 }
    END {
      f = finding == "" ? "none" : "see notes"
      if (!tend) tend = t + t0
      d = tend - t0
      if (d < 300) c5 = "-"
      if (d < 600) c10 = "-"
      if (d < 900) c15 = "-"
      printf "| %s | %d | %s | %s | %s / %s | %s | %s / %s / %s | %s |\n", name, d, execs, eps, cov, ft, corp, c5, c10, c15, f
    }' "$log"
done
