//! The formula language, parsed and evaluated in one pass: a recursive-descent parser over
//! the formula's text that takes the values of the cells it refers to from the evaluation's
//! memo.

use super::criterion::Criterion;
use super::state::{CellId, Eval, State, Unsupported};
use crate::base::amount;
use crate::read::workbook::{Sheet, Value};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A recursive-descent parser that evaluates as it reads, taking the values of the formulas it
/// refers to from the memo; one not evaluated yet is noted as missing (and counts zero for now:
/// the formula is evaluated again once it is known).
pub(super) struct Parser<'a> {
    pub(super) sheets: &'a [Sheet],
    pub(super) sheet: usize,
    pub(super) text: &'a [u8],
    pub(super) at: usize,
    pub(super) memo: &'a HashMap<CellId, State>,
    pub(super) missing: Vec<CellId>,
    pub(super) cycle: bool,
    /// Factors open (signs and parentheses nest).
    pub(super) depth: usize,
}

/// Deepest nesting of signs and parentheses evaluated.
const MAX_NESTING: usize = 128;

impl Parser<'_> {
    /// The whole formula.
    pub(super) fn formula(&mut self) -> Eval<Decimal> {
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
        // At most three letters: XFD, 16,384.
        let col = crate::base::a1::column_number(letters) as usize;
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
