#!/usr/bin/env bash
# yusuan against the floor of its work — a bare program that reads every sheet with calamine and
# writes every cell with rust_xlsxwriter, plus one CSV per sheet (bench/floor.rs) — side by
# side, interleaved, medians (bench/compare.py), release builds, worker processes included:
#
#   the sample, whole process;
#   department workbooks merged from 50, 200, 1,000 and 2,000 generated units (cost per unit);
#   a batch of 1,000 unit workbooks on 2 jobs (workbooks per second, all outputs);
#   the merge of 2,000 units against reading them plus writing their department.
#
#   bench/floor.sh [SAMPLE_RUNS] [BIG_RUNS]        (defaults 31 and 5)
#
# Works on tmpfs (/dev/shm) when there is one. Takes about five minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
sample_runs=${1:-31}
big_runs=${2:-5}
cargo build --release --quiet
cargo build --release --quiet --example floor
yusuan=$PWD/target/release/yusuan
floor=$PWD/target/release/examples/floor
sample=$PWD/samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx
base=/tmp
[[ -d /dev/shm && -w /dev/shm ]] && base=/dev/shm
work=$(mktemp -d "$base/yusuan-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
compare() { python3 bench/compare.py "$@"; }

YUSUAN_CORPUS_DIR="$work/corpus" YUSUAN_CORPUS_COUNT=2000 \
  cargo test --release --quiet --test it corpus:: -- --ignored >/dev/null
mapfile -t units < <(find "$work/corpus" -name '4*.xlsx' | sort)
echo "corpus: ${#units[@]} unit workbooks (and 5 broken ones) in $work/corpus"

compare "sample" "$sample_runs" 1 \
  -- "$yusuan" convert "$sample" -o "$work/s/y{i}" -- "$floor" "$work/s/f{i}" "$sample"
rm -rf "$work/s"

for n in 50 200 1000 2000; do
  count=$((n < ${#units[@]} ? n : ${#units[@]}))
  # The corpus plants errors in some units: merged as submitted (as a department that allows it).
  "$yusuan" merge "${units[@]:0:$count}" -o "$work/d$n" --code 900001 --name 基准部门 \
    --allow-errors --formats xlsx >/dev/null 2>&1 || true
  dept="$work/d$n/900001-基准部门.xlsx"
  compare "department of $count units" "$big_runs" "$count" \
    -- "$yusuan" convert "$dept" -o "$work/c/y{i}" -- "$floor" "$work/c/f{i}" "$dept"
  rm -rf "$work/c"
done

# The merge of every unit against its floor: reading the units (2 jobs, as merge reads them)
# plus writing the department (the floor's copy of the department workbook less its reading of
# it). Medians of BIG_RUNS runs each; the merge's department is written as xlsx only.
mkdir -p "$work/all"
for f in "${units[@]}"; do ln "$f" "$work/all/"; done
dept="$work/d2000/900001-基准部门.xlsx"
median_ms() { # RUNS COMMAND... : the median wall time of the command, in ms
  python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
runs, command = int(sys.argv[1]), sys.argv[2:]
times = []
for i in range(runs):
    start = time.perf_counter()
    subprocess.run([c.replace("{i}", str(i)) for c in command],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(times):.1f}")
PY
}
merge_ms=$(median_ms "$big_runs" "$yusuan" merge "${units[@]}" -o "$work/m/y{i}" --code 900001 \
  --name 基准部门 --allow-errors --formats xlsx --jobs 2)
read_units_ms=$(median_ms "$big_runs" "$floor" --jobs 2 - "$work/all")
copy_dept_ms=$(median_ms "$big_runs" "$floor" "$work/m/f{i}" "$dept")
read_dept_ms=$(median_ms "$big_runs" "$floor" - "$dept")
rm -rf "$work/m"
python3 - "${#units[@]}" "$merge_ms" "$read_units_ms" "$copy_dept_ms" "$read_dept_ms" <<'PY'
import sys
n, merge, read_units, copy_dept, read_dept = sys.argv[1], *map(float, sys.argv[2:])
floor = read_units + copy_dept - read_dept
print(f"merge of {n} units: yusuan {merge:.1f} ms | floor {floor:.1f} ms (reading the units "
      f"{read_units:.1f} + writing the department {copy_dept - read_dept:.1f}) | ratio wall "
      f"{merge / floor:.2f}")
PY

mkdir -p "$work/b1000"
for f in "${units[@]:0:1000}"; do ln "$f" "$work/b1000/"; done
compare "batch of 1000 units" 3 1000 \
  -- "$yusuan" batch "$work/b1000" -o "$work/b/y{i}" --jobs 2 -- "$floor" --jobs 2 "$work/b/f{i}" "$work/b1000"
echo "(batch: workbooks per second = 1000 / wall)"
