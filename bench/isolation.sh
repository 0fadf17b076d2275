#!/usr/bin/env bash
# The cost of reading in worker processes: this tree's release binary against one built from
# BASE (default 68829fe, the last commit that read in-process), on the sample (single convert,
# whole process) and on a generated corpus (batch). Runs are interleaved; medians are printed.
#
#   bench/isolation.sh [RUNS] [BATCH_UNITS] [BASE]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-41}
units=${2:-300}
base=${3:-68829fe}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cargo build --release --quiet
git worktree add --detach "$work/base" "$base" >/dev/null 2>&1
(cd "$work/base" && CARGO_TARGET_DIR="$work/target" cargo build --release --quiet)
new=target/release/yusuan
old=$work/target/release/yusuan
sample=samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx

ms() { # command... → wall milliseconds
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m/1000}'; }

: >"$work/old.txt"
: >"$work/new.txt"
for _ in $(seq "$runs"); do
  ms "$old" convert "$sample" -o "$work/o-old" >>"$work/old.txt"
  ms "$new" convert "$sample" -o "$work/o-new" >>"$work/new.txt"
done
printf 'convert sample, median of %d: in-process %s ms, worker %s ms\n' "$runs" \
  "$(median <"$work/old.txt")" "$(median <"$work/new.txt")"

YUSUAN_CORPUS_DIR="$work/corpus" YUSUAN_CORPUS_COUNT="$units" \
  cargo test --release --quiet --test it corpus:: -- --ignored >/dev/null
: >"$work/bold.txt"
: >"$work/bnew.txt"
for _ in 1 2 3; do
  ms "$old" batch "$work/corpus" -o "$work/b-old" >>"$work/bold.txt"
  ms "$new" batch "$work/corpus" -o "$work/b-new" >>"$work/bnew.txt"
done
files=$(find "$work/corpus" -name '*.xls*' -o -name '*.ods' | wc -l)
printf 'batch of %d files, median of 3: in-process %s ms, worker %s ms (%s ms per file more)\n' "$files" \
  "$(median <"$work/bold.txt")" "$(median <"$work/bnew.txt")" \
  "$(echo "($(median <"$work/bnew.txt") - $(median <"$work/bold.txt")) / $files" | bc -l | xargs printf '%.3f')"
