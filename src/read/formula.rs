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

use super::workbook::{Sheet, Value};
use crate::amount;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

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

/// A cell: sheet, row, column.
type CellId = (usize, usize, usize);

/// Where a formula cell stands in the evaluation.
#[derive(Debug, Clone, Copy)]
enum State {
    /// On the stack, not yet tried.
    Queued,
    /// Tried, waiting for the formulas it refers to (which stand above it on the stack): one
    /// of them referring back to it is a cycle.
    Waiting,
    /// Evaluated (`None`: it cannot be).
    Done(Option<Decimal>),
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

/// Why a formula could not be evaluated (the cell keeps its formula).
#[derive(Debug)]
struct Unsupported;

type Eval<T> = Result<T, Unsupported>;

/// A recursive-descent parser that evaluates as it reads, taking the values of the formulas it
/// refers to from the memo; one not evaluated yet is noted as missing (and counts zero for now:
/// the formula is evaluated again once it is known).
struct Parser<'a> {
    sheets: &'a [Sheet],
    sheet: usize,
    text: &'a [u8],
    at: usize,
    memo: &'a HashMap<CellId, State>,
    missing: Vec<CellId>,
    cycle: bool,
    /// Factors open (signs and parentheses nest).
    depth: usize,
}

/// Deepest nesting of signs and parentheses evaluated.
const MAX_NESTING: usize = 128;

impl Parser<'_> {
    /// The whole formula.
    fn formula(&mut self) -> Eval<Decimal> {
        let v = self.expression()?;
        self.space();
        if self.at != self.text.len() {
            return Err(Unsupported);
        }
        Ok(v)
    }

    /// The value of a cell: its number, its numeric text, its formula's value, or zero if
    /// empty.
    fn value_of(&mut self, s: usize, r: usize, c: usize) -> Eval<Decimal> {
        match self.sheets[s].get(r, c) {
            Value::Empty => Ok(Decimal::ZERO),
            Value::Number(n) => amount::from_f64(*n).map_err(|_| Unsupported),
            Value::Text(t) => amount::from_text(t)
                .map_err(|_| Unsupported)
                .map(Option::unwrap_or_default),
            Value::Formula(_) => match self.memo.get(&(s, r, c)) {
                Some(State::Done(Some(v))) => Ok(*v),
                Some(State::Done(None)) => Err(Unsupported),
                Some(State::Waiting) => {
                    self.cycle = true;
                    Err(Unsupported)
                }
                Some(State::Queued) | None => {
                    self.missing.push((s, r, c));
                    Ok(Decimal::ZERO)
                }
            },
        }
    }
}

/// What a SUMIF criterion accepts.
enum Criterion {
    /// An empty cell (`""`).
    Empty,
    /// A cell that is not empty (`"<>"`).
    NotEmpty,
    /// A number compared (`">=5"`, `"3"`).
    Compare(std::cmp::Ordering, bool, Decimal),
    /// A text, equal (case-insensitive, as a spreadsheet compares).
    Text(String),
}

impl Criterion {
    fn parse(text: &str) -> Eval<Criterion> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Criterion::Empty);
        }
        if text == "<>" {
            return Ok(Criterion::NotEmpty);
        }
        // Wildcards are not evaluated: the cell keeps its formula and is named.
        if text.contains(['*', '?', '~']) {
            return Err(Unsupported);
        }
        use std::cmp::Ordering::{Equal, Greater, Less};
        // (operator, wanted ordering, whether equality also matches)
        let ops: [(&str, std::cmp::Ordering, bool); 6] = [
            (">=", Greater, true),
            ("<=", Less, true),
            ("<>", Equal, false),
            (">", Greater, false),
            ("<", Less, false),
            ("=", Equal, true),
        ];
        for (op, ordering, or_equal) in ops {
            if let Some(rest) = text.strip_prefix(op) {
                let value = Decimal::from_str(rest.trim()).map_err(|_| Unsupported)?;
                return Ok(Criterion::Compare(ordering, or_equal, value));
            }
        }
        Ok(match Decimal::from_str(text) {
            Ok(v) => Criterion::Compare(Equal, true, v),
            Err(_) => Criterion::Text(text.to_lowercase()),
        })
    }

    fn matches(&self, value: &Value) -> bool {
        match self {
            Criterion::Empty => value.is_blank(),
            Criterion::NotEmpty => !value.is_blank(),
            Criterion::Text(t) => value.text().to_lowercase() == *t,
            Criterion::Compare(ordering, or_equal, wanted) => {
                let number = match value {
                    Value::Number(n) => amount::from_f64(*n).ok(),
                    Value::Text(t) => amount::from_text(t).ok().flatten(),
                    _ => None,
                };
                number.is_some_and(|n| {
                    let o = n.cmp(wanted);
                    match (*ordering, *or_equal) {
                        (std::cmp::Ordering::Equal, false) => o != std::cmp::Ordering::Equal,
                        (want, true) => o == want || o == std::cmp::Ordering::Equal,
                        (want, false) => o == want,
                    }
                })
            }
        }
    }
}

/// A parsed reference: a sheet and a rectangle (one cell or a range).
struct Reference {
    sheet: usize,
    rows: (usize, usize),
    cols: (usize, usize),
}

impl Parser<'_> {
    fn space(&mut self) {
        while self.text.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        self.space();
        if self.text.get(self.at) == Some(&b) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expression(&mut self) -> Eval<Decimal> {
        let mut v = self.term()?;
        loop {
            if self.eat(b'+') {
                v = v.checked_add(self.term()?).ok_or(Unsupported)?;
            } else if self.eat(b'-') {
                v = v.checked_sub(self.term()?).ok_or(Unsupported)?;
            } else {
                return Ok(v);
            }
        }
    }

    fn term(&mut self) -> Eval<Decimal> {
        let mut v = self.factor()?;
        loop {
            if self.eat(b'*') {
                v = v.checked_mul(self.factor()?).ok_or(Unsupported)?;
            } else if self.eat(b'/') {
                v = v.checked_div(self.factor()?).ok_or(Unsupported)?;
            } else {
                return Ok(v);
            }
        }
    }

    fn factor(&mut self) -> Eval<Decimal> {
        // Excel nests at most 64 levels; deeper text is no budget's formula.
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(Unsupported);
        }
        let v = self.factor_within();
        self.depth -= 1;
        v
    }

    fn factor_within(&mut self) -> Eval<Decimal> {
        if self.eat(b'-') {
            return Ok(-self.factor()?);
        }
        if self.eat(b'+') {
            return self.factor();
        }
        if self.eat(b'(') {
            let v = self.expression()?;
            return if self.eat(b')') {
                Ok(v)
            } else {
                Err(Unsupported)
            };
        }
        self.space();
        let start = self.at;
        if self
            .text
            .get(self.at)
            .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
        {
            while self
                .text
                .get(self.at)
                .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
            {
                self.at += 1;
            }
            let digits =
                std::str::from_utf8(&self.text[start..self.at]).map_err(|_| Unsupported)?;
            return digits.parse().map_err(|_| Unsupported);
        }
        if self.function_name("SUMIF") {
            return self.sum_if();
        }
        if self.function_name("SUM") {
            return self.sum();
        }
        let reference = self.reference()?;
        if reference.rows.0 != reference.rows.1 || reference.cols.0 != reference.cols.1 {
            return Err(Unsupported); // a range outside SUM
        }
        self.value_of(reference.sheet, reference.rows.0, reference.cols.0)
    }

    /// Whether the text continues with `NAME(` (case-insensitive); consumes it if so.
    fn function_name(&mut self, name: &str) -> bool {
        let end = self.at + name.len();
        let matches = self
            .text
            .get(self.at..end)
            .is_some_and(|t| t.eq_ignore_ascii_case(name.as_bytes()));
        let saved = self.at;
        if matches {
            self.at = end;
            if self.eat(b'(') {
                return true;
            }
        }
        self.at = saved;
        false
    }

    /// `SUM(` has been read: its arguments (ranges, references, expressions) up to `)`.
    fn sum(&mut self) -> Eval<Decimal> {
        let mut total = Decimal::ZERO;
        if self.eat(b')') {
            return Ok(total);
        }
        loop {
            let saved = self.at;
            let part = match self.reference() {
                Ok(r) if self.peek_argument_end() => self.range_sum(&r)?,
                _ => {
                    self.at = saved;
                    self.expression()?
                }
            };
            total = total.checked_add(part).ok_or(Unsupported)?;
            if self.eat(b',') {
                continue;
            }
            return if self.eat(b')') {
                Ok(total)
            } else {
                Err(Unsupported)
            };
        }
    }

    /// `SUMIF(` has been read: `range, criterion[, sum_range])`.
    fn sum_if(&mut self) -> Eval<Decimal> {
        let range = self.reference()?;
        if !self.eat(b',') {
            return Err(Unsupported);
        }
        let criterion = self.criterion()?;
        let sum_range = if self.eat(b',') {
            let r = self.reference()?;
            // As a spreadsheet does: the sum range has the shape of the first.
            Reference {
                sheet: r.sheet,
                rows: (r.rows.0, r.rows.0 + (range.rows.1 - range.rows.0)),
                cols: (r.cols.0, r.cols.0 + (range.cols.1 - range.cols.0)),
            }
        } else {
            Reference {
                sheet: range.sheet,
                rows: range.rows,
                cols: range.cols,
            }
        };
        if !self.eat(b')') {
            return Err(Unsupported);
        }
        let mut total = Decimal::ZERO;
        for (dr, row) in (range.rows.0..=range.rows.1).enumerate() {
            for (dc, col) in (range.cols.0..=range.cols.1).enumerate() {
                if criterion.matches(self.sheets[range.sheet].get(row, col)) {
                    let one = Reference {
                        sheet: sum_range.sheet,
                        rows: (sum_range.rows.0 + dr, sum_range.rows.0 + dr),
                        cols: (sum_range.cols.0 + dc, sum_range.cols.0 + dc),
                    };
                    total = total
                        .checked_add(self.range_sum(&one)?)
                        .ok_or(Unsupported)?;
                }
            }
        }
        Ok(total)
    }

    /// A SUMIF criterion: a quoted text or a number.
    fn criterion(&mut self) -> Eval<Criterion> {
        self.space();
        let text = if self.text.get(self.at) == Some(&b'"') {
            let start = self.at + 1;
            let len = self.text[start..]
                .iter()
                .position(|b| *b == b'"')
                .ok_or(Unsupported)?;
            self.at = start + len + 1;
            std::str::from_utf8(&self.text[start..start + len])
                .map_err(|_| Unsupported)?
                .to_owned()
        } else {
            let start = self.at;
            while self
                .text
                .get(self.at)
                .is_some_and(|b| b.is_ascii_digit() || *b == b'.' || *b == b'-')
            {
                self.at += 1;
            }
            std::str::from_utf8(&self.text[start..self.at])
                .map_err(|_| Unsupported)?
                .to_owned()
        };
        Criterion::parse(&text)
    }

    fn peek_argument_end(&mut self) -> bool {
        self.space();
        matches!(self.text.get(self.at), Some(b',' | b')'))
    }

    /// Σ of a rectangle: numbers and numeric texts; text and empty cells count nothing, as
    /// in a spreadsheet's SUM.
    fn range_sum(&mut self, r: &Reference) -> Eval<Decimal> {
        if (r.rows.1 - r.rows.0 + 1).saturating_mul(r.cols.1 - r.cols.0 + 1) > 100_000 {
            return Err(Unsupported);
        }
        let mut total = Decimal::ZERO;
        for row in r.rows.0..=r.rows.1 {
            for col in r.cols.0..=r.cols.1 {
                let v = match self.sheets[r.sheet].get(row, col) {
                    Value::Text(t) => amount::from_text(t).ok().flatten().unwrap_or_default(),
                    _ => self.value_of(r.sheet, row, col)?,
                };
                total = total.checked_add(v).ok_or(Unsupported)?;
            }
        }
        Ok(total)
    }

    /// A reference: `[sheet!]A1` or `[sheet!]A1:B2`, with optional `$`.
    fn reference(&mut self) -> Eval<Reference> {
        self.space();
        let sheet = self.sheet_prefix()?.unwrap_or(self.sheet);
        let (r1, c1) = self.cell()?;
        let (r2, c2) = if self.text.get(self.at) == Some(&b':') {
            self.at += 1;
            self.cell()?
        } else {
            (r1, c1)
        };
        Ok(Reference {
            sheet,
            rows: (r1.min(r2), r1.max(r2)),
            cols: (c1.min(c2), c1.max(c2)),
        })
    }

    /// `'name'!` or `name!`, resolved to a sheet index; `None` when there is no prefix.
    fn sheet_prefix(&mut self) -> Eval<Option<usize>> {
        let rest = &self.text[self.at..];
        let (name, len) = if rest.first() == Some(&b'\'') {
            let mut name = Vec::new();
            let mut i = 1;
            loop {
                match rest.get(i) {
                    Some(b'\'') if rest.get(i + 1) == Some(&b'\'') => {
                        name.push(b'\'');
                        i += 2;
                    }
                    Some(b'\'') => break,
                    Some(&b) => {
                        name.push(b);
                        i += 1;
                    }
                    None => return Err(Unsupported),
                }
            }
            if rest.get(i + 1) != Some(&b'!') {
                return Err(Unsupported);
            }
            (name, i + 2)
        } else {
            match rest.iter().position(|b| *b == b'!') {
                Some(i) if rest[..i].iter().all(|b| !b"+-*/(),: ".contains(b)) => {
                    (rest[..i].to_vec(), i + 1)
                }
                _ => return Ok(None),
            }
        };
        let name = String::from_utf8(name).map_err(|_| Unsupported)?;
        let index = self
            .sheets
            .iter()
            .position(|s| s.name == name)
            .ok_or(Unsupported)?;
        self.at += len;
        Ok(Some(index))
    }

    /// `$A$1` → 0-based (row, column).
    fn cell(&mut self) -> Eval<(usize, usize)> {
        if self.text.get(self.at) == Some(&b'$') {
            self.at += 1;
        }
        let start = self.at;
        while self.text.get(self.at).is_some_and(u8::is_ascii_alphabetic) {
            self.at += 1;
        }
        let letters = &self.text[start..self.at];
        if letters.is_empty() || letters.len() > 3 {
            return Err(Unsupported);
        }
        if self.text.get(self.at) == Some(&b'$') {
            self.at += 1;
        }
        let digits_start = self.at;
        while self.text.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let digits = &self.text[digits_start..self.at];
        if digits.is_empty() || digits.len() > 7 {
            return Err(Unsupported);
        }
        let col = letters.iter().fold(0usize, |n, b| {
            n * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1)
        });
        let row: usize = std::str::from_utf8(digits)
            .map_err(|_| Unsupported)?
            .parse()
            .map_err(|_| Unsupported)?;
        if row == 0 {
            return Err(Unsupported);
        }
        Ok((row - 1, col - 1))
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
