//! Formulas saved without their results (as scripts such as openpyxl save them): evaluated
//! exactly, in decimal, so that a total typed as `=SUM(G7:G13)` is read as the figure it
//! stands for and never as zero.
//!
//! The language is what budget workbooks use for totals: numbers, cell references (`G7`,
//! `$G$7`, `'单位支出总表'!G7`), ranges in `SUM`, `SUMIF(range, criterion[, sum_range])` with a
//! criterion that is empty (`""`), non-empty (`"<>"`), a comparison with a number (`">=5"`) or
//! equal to a text or number, `+ − × ÷`, unary signs and parentheses. A
//! formula outside it, a reference to a cell that cannot be evaluated, a cycle or a division by
//! zero leaves the cell unevaluated: reading it as an amount is then an error that names the
//! cell and the formula.

mod criterion;
mod parser;
mod state;

use super::workbook::{Sheet, Value};
use crate::base::amount;
use crate::base::error::ReadError;
use parser::Parser;
use state::{CellId, State};
use std::collections::HashMap;
use std::path::Path;

/// Reads every sheet of a workbook file; formulas saved without their results are evaluated.
///
/// # Errors
///
/// As [`super::workbook::load_raw`].
pub(crate) fn load(path: &Path, display: &str) -> Result<Vec<Sheet>, ReadError> {
    let (mut sheets, uncached) = super::workbook::load_raw(path, display)?;
    if uncached {
        evaluate_all(&mut sheets);
    }
    Ok(sheets)
}

/// Evaluates every formula cell of a workbook's sheets that can be, in place; the others stay
/// [`Value::Formula`].
///
/// Each formula is evaluated once, its value kept: a cell that others refer to is never
/// evaluated again (a chain `A1 = SUM(A2:A5000)`, `A2 = SUM(A3:A5000)`, … costs its sums, not
/// a tree of re-evaluations). The order is found with an explicit stack, so a chain of any
/// length needs no deep recursion; a cycle leaves its cells unevaluated.
pub(crate) fn evaluate_all(sheets: &mut [Sheet]) {
    let mut memo: HashMap<CellId, State> = HashMap::new();
    let mut stack: Vec<CellId> = Vec::new();
    for (s, sheet) in sheets.iter().enumerate() {
        for (r, row) in sheet.cells.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if matches!(v, Value::Formula(_)) && !memo.contains_key(&(s, r, c)) {
                    stack.push((s, r, c));
                    memo.insert((s, r, c), State::Queued);
                    run(sheets, &mut memo, &mut stack);
                }
            }
        }
    }
    for ((s, r, c), state) in memo {
        if let State::Done(Some(v)) = state {
            sheets[s].cells[r][c] = Value::Text(amount::plain(v));
        }
    }
}

/// Evaluates the formulas on the stack and everything they need, depth first.
fn run(sheets: &[Sheet], memo: &mut HashMap<CellId, State>, stack: &mut Vec<CellId>) {
    while let Some(&(s, r, c)) = stack.last() {
        if matches!(memo.get(&(s, r, c)), Some(State::Done(_))) {
            stack.pop(); // queued twice, done since
            continue;
        }
        let Value::Formula(text) = sheets[s].get(r, c) else {
            stack.pop();
            continue;
        };
        let mut parser = Parser {
            sheets,
            sheet: s,
            text: text.trim_start_matches('=').as_bytes(),
            at: 0,
            memo,
            missing: Vec::new(),
            cycle: false,
            depth: 0,
        };
        let value = parser.formula();
        let (missing, cycle) = (parser.missing, parser.cycle);
        if cycle || missing.is_empty() {
            let value = if cycle { None } else { value.ok() };
            memo.insert((s, r, c), State::Done(value));
            stack.pop();
        } else {
            memo.insert((s, r, c), State::Waiting);
            for cell in missing {
                if !matches!(memo.get(&cell), Some(State::Waiting | State::Done(_))) {
                    memo.insert(cell, State::Queued);
                    stack.push(cell);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(name: &str, cells: Vec<Vec<Value>>) -> Sheet {
        Sheet {
            name: name.into(),
            cells,
            merges: None,
        }
    }

    fn f(text: &str) -> Value {
        Value::Formula(text.into())
    }

    #[test]
    fn totals_evaluate_exactly() {
        let mut sheets = vec![
            sheet(
                "表3",
                vec![
                    vec![f("SUM(A2:A4)"), f("A1-B2*2"), f("SUM(A2,A3)/0")],
                    vec![Value::Number(16.75), Value::Number(0.1)],
                    vec![Value::Text("596.70".into())],
                    vec![
                        f("'单位 收入'!$B$1+0.2"),
                        f("B4+1"),
                        f("VLOOKUP(A1,A2:A3,1)"),
                    ],
                ],
            ),
            sheet("单位 收入", vec![vec![Value::Empty, Value::Number(0.1)]]),
        ];
        evaluate_all(&mut sheets);
        let t = &sheets[0].cells;
        assert_eq!(
            t[0][0],
            Value::Text("613.75".into()),
            "16.75 + 596.70 + 0.3, no float error"
        );
        assert_eq!(t[0][1], Value::Text("613.55".into()));
        assert_eq!(
            t[0][2],
            f("SUM(A2,A3)/0"),
            "division by zero stays a formula"
        );
        assert_eq!(t[3][0], Value::Text("0.30".into()));
        assert_eq!(t[3][1], f("B4+1"), "a cycle stays a formula");
        assert_eq!(t[3][2], f("VLOOKUP(A1,A2:A3,1)"), "outside the language");
    }

    #[test]
    fn a_long_chain_is_evaluated_once_per_cell() {
        // A1 = SUM(A2:A5000), A2 = SUM(A3:A5000), …, A5000 typed: the totals-of-totals chain
        // spreadsheet users build. Without a memo this takes time exponential in the rows.
        let n = 5000;
        let chain = |bottom: f64| {
            let rows: Vec<Vec<Value>> = (0..n)
                .map(|r| {
                    if r == n - 1 {
                        vec![Value::Number(bottom)]
                    } else {
                        vec![f(&format!("SUM(A{}:A{n})", r + 2))]
                    }
                })
                .collect();
            let mut sheets = vec![sheet("chain", rows)];
            evaluate_all(&mut sheets);
            sheets.remove(0).cells
        };
        let zeros = chain(0.0);
        assert!(
            zeros[..n - 1]
                .iter()
                .all(|r| r[0] == Value::Text("0.00".into()))
        );
        // With 1 at the bottom each total doubles upwards: exact until a decimal overflows,
        // then left unevaluated, never wrong.
        let doubling = chain(1.0);
        assert_eq!(doubling[n - 2][0], Value::Text("1.00".into()));
        assert_eq!(doubling[n - 4][0], Value::Text("4.00".into()));
        assert_eq!(doubling[n - 12][0], Value::Text("1024.00".into()));
        assert!(matches!(doubling[0][0], Value::Formula(_)));
        let mut linear = vec![sheet(
            "linear",
            (0..n)
                .map(|r| {
                    if r == n - 1 {
                        vec![Value::Number(1.0)]
                    } else {
                        vec![f(&format!("A{}+1", r + 2))]
                    }
                })
                .collect(),
        )];
        evaluate_all(&mut linear);
        assert_eq!(linear[0].cells[0][0], Value::Text(format!("{n}.00")));
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
        let signs = format!("{}1", "-".repeat(100_000));
        let mut sheets = vec![sheet("x", vec![vec![f(&deep), f(&signs), f("((1))")]])];
        evaluate_all(&mut sheets);
        assert_eq!(sheets[0].cells[0][0], f(&deep));
        assert_eq!(sheets[0].cells[0][1], f(&signs));
        assert_eq!(sheets[0].cells[0][2], Value::Text("1.00".into()));
    }

    #[test]
    fn sums_under_a_condition() {
        let text = |s: &str| Value::Text(s.into());
        let mut sheets = vec![sheet(
            "表6",
            vec![
                vec![
                    text("205"),
                    Value::Number(10.0),
                    f("SUMIF(A1:A4,\"\",B1:B4)"),
                ],
                vec![
                    Value::Empty,
                    Value::Number(20.0),
                    f("SUMIF(A1:A4,\"<>\",B1:B4)"),
                ],
                vec![text("208"), text("30.00"), f("SUMIF(B1:B4,\">=20\")")],
                vec![
                    Value::Empty,
                    Value::Empty,
                    f("SUMIF(A1:A4,\"208\",B1:B4)+SUMIF(A1:A4,205,B1:B4)"),
                ],
            ],
        )];
        evaluate_all(&mut sheets);
        let t = &sheets[0].cells;
        assert_eq!(t[0][2], Value::Text("20.00".into()), "rows with no code");
        assert_eq!(t[1][2], Value::Text("40.00".into()), "rows with a code");
        assert_eq!(t[2][2], Value::Text("50.00".into()));
        assert_eq!(t[3][2], Value::Text("40.00".into()));
        let mut wild = vec![sheet("x", vec![vec![f("SUMIF(A1:A2,\"*\",B1:B2)")]])];
        evaluate_all(&mut wild);
        assert_eq!(
            wild[0].cells[0][0],
            f("SUMIF(A1:A2,\"*\",B1:B2)"),
            "wildcards refused"
        );
    }
}
