#!/usr/bin/env bash
# Benchmark: `yusuan batch` over a generated corpus of unit workbooks, and `yusuan merge` of
# all its readable units, release build. Reports wall time, CPU time and peak memory
# (/usr/bin/time -v) of each.
#
#   bench/batch-corpus.sh [COUNT] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
jobs=${2:-$(nproc)}
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
YUSUAN_CORPUS_DIR="$work/corpus" YUSUAN_CORPUS_COUNT="$count" \
  cargo test --release --quiet --test it corpus:: -- --ignored >/dev/null

measure() { # label, command...
  local label=$1
  shift
  /usr/bin/time -f "$label: wall %e s, user %U s, sys %S s, peak RSS %M KB" "$@" 2>&1 >/dev/null |
    grep -E "^$label:|^共|^已汇总" || true
}

measure batch target/release/yusuan batch "$work/corpus" -o "$work/out" --jobs "$jobs"
measure batch-again target/release/yusuan batch "$work/corpus" -o "$work/out" --jobs "$jobs"
mapfile -t good < <(find "$work/corpus" -name '4*.xlsx' | sort)
measure merge target/release/yusuan merge "${good[@]}" -o "$work/merged" --code 900001 --name 基准部门 --jobs "$jobs"
echo "units merged: ${#good[@]}; department workbook: $(du -h "$work/merged/900001-基准部门.xlsx" | cut -f1)"
