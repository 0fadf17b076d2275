#!/usr/bin/env bash
# Benchmark: the main process (not the reading workers, which --max-memory and --timeout bound)
# on inputs sized to hurt it, generated here: 200,000 grand-total rows in 表3 as facts.csv and
# as JSON, and a workbook whose 表3 has 240,000 rows whose 合计 ≠ 基本支出 + 项目支出 (needs
# python3 with openpyxl). Prints the wall time and the peak RSS (VmHWM) of the main process and
# of its largest worker, polled every 20 ms.
#
#   bench/main-process.sh [ROWS_BAD]      (default 240000)
set -euo pipefail
cd "$(dirname "$0")/.."
bad=${1:-240000}
cargo build --release --quiet
bin=$PWD/target/release/yusuan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" "$bad" <<'PY'
import json, sys, subprocess
work, bad = sys.argv[1], int(sys.argv[2])
with open(f"{work}/totals.csv", "w") as f:
    f.write("table,row,code,name,unit_code,column,amount,kind\n")
    for i in range(200000):
        f.write(f"3,{i+1},,合计,313603,合计,1.00,total\n")
    f.write("3,200001,2050803,培训支出,313603,合计,1.00,detail\n")
subprocess.run(["./target/release/yusuan", "convert", "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx",
                "-o", f"{work}/sample", "--formats", "json"], check=True, capture_output=True)
b = json.load(open(f"{work}/sample/313603-四川省人力资源和社会保障信息中心-2023.json"))
t3 = next(t for t in b["tables"] if t["number"] == 3)
t3["rows"] = [{"kind": "total", "name": "合计", "amounts": {"合计": "1.00"}} for _ in range(200000)]
t3["rows"].append({"kind": "detail", "code": "2050803", "unit_code": "313603", "name": "培训支出",
                   "amounts": {"合计": "1.00"}})
json.dump(b, open(f"{work}/totals.json", "w"), ensure_ascii=False)
import openpyxl
src = openpyxl.load_workbook("samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx")
wb = openpyxl.Workbook(write_only=True)
for i, ws in enumerate(src.worksheets):
    o = wb.create_sheet(ws.title)
    for r in ws.iter_rows():
        o.append([c.value for c in r])
    if i == 2:
        for k in range(bad):
            o.append(["205", "08", "03", "313603", f"培训支出{k}", 2.0, 1.0, 0.0])
wb.save(f"{work}/bad.xlsx")
PY

measure() {
  local label=$1
  shift
  local start end pid main=0 worker=0 m w
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    m=$(awk '/VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$m" ] && [ "$m" -gt "$main" ] && main=$m
    for c in $(pgrep -P "$pid" || true); do
      w=$(awk '/VmHWM/{print $2}' "/proc/$c/status" 2>/dev/null || true)
      [ -n "$w" ] && [ "$w" -gt "$worker" ] && worker=$w
    done
    sleep 0.02
  done
  wait "$pid" || true
  end=$(date +%s%N)
  printf '%-34s %6.2f s   main %5d MiB   worker %5d MiB\n' "$label" \
    "$(echo "($end - $start) / 1000000000" | bc -l)" $((main / 1024)) $((worker / 1024))
}

measure "check 200k total rows (csv)" "$bin" check "$work/totals.csv"
measure "check 200k total rows (json)" "$bin" check "$work/totals.json"
measure "check $bad bad rows (xlsx)" "$bin" check "$work/bad.xlsx"
measure "convert $bad bad rows (xlsx)" "$bin" convert "$work/bad.xlsx" -o "$work/out"
