#!/usr/bin/env bash
# Benchmark: whole-process time and peak memory of `yusuan convert` on one workbook
# (default: the bundled sample), release build, all outputs.
#
#   bench/convert-sample.sh [RUNS] [WORKBOOK]
#
# Prints the mean and best wall time per conversion over RUNS runs (default 50) and the peak
# resident memory of one run as measured by /usr/bin/time -v.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
input=${2:-samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx}
cargo build --release --quiet
bin=target/release/yusuan
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$bin" convert "$input" -o "$out" 2>/dev/null # warm the page cache
best=999999999
total=0
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$bin" convert "$input" -o "$out" 2>/dev/null
  end=$(date +%s%N)
  ns=$((end - start))
  total=$((total + ns))
  ((ns < best)) && best=$ns
done
rss=$(/usr/bin/time -v "$bin" convert "$input" -o "$out" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}')
printf 'input: %s\nruns: %d\nmean: %.2f ms\nbest: %.2f ms\npeak RSS: %.1f MiB\n' \
  "$input" "$runs" "$(echo "$total / $runs / 1000000" | bc -l)" "$(echo "$best / 1000000" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
