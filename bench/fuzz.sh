#!/usr/bin/env bash
# Mutation fuzzing at scale: N hostile variants of the sample .xlsx, a LibreOffice .xls and an
# .ods (tests/it/fuzz/mutate.rs: byte flips, cut files, cell references, lying counts, external
# entities, entity expansion …), N/3 of a 情况说明 .docx, and N/3 of the data inputs (JSON and
# facts.csv: formula and control texts in every field, amounts beyond a budget, many rows, deep
# nesting …), each run through the release binary; prints the count of each exit code and of
# each reason for refusal, and fails if any run aborted, hung, showed panic text, or wrote a
# CSV cell a spreadsheet would take for a formula.
#
#   bench/fuzz.sh [N] [SEED] [KEEP_DIR]
#
# KEEP_DIR receives the failing, dying and slow mutants, to look into.
set -uo pipefail
cd "$(dirname "$0")/.."
export YUSUAN_FUZZ_N=${1:-3000}
export YUSUAN_FUZZ_SEED=${2:-2026}
if [[ -n "${3:-}" ]]; then export YUSUAN_FUZZ_KEEP=$3; fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --release --quiet --test it fuzz:: -- --nocapture >"$log" 2>&1
status=$?
grep -E '^fuzz:' "$log"
if ((status != 0)); then
  grep -E -A3 'failures:|^m[0-9]' "$log" | head -50
  echo "fuzz: FAILED"
  exit 1
fi
echo "fuzz: no failure"
