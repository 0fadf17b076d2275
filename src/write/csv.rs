//! CSV exports for Chinese users: UTF-8 with BOM (so Excel shows Chinese), RFC 4180 quoting,
//! codes as text, amounts as plain decimals, and a guard against formula injection.

use crate::base::amount::plain;
use crate::edition::ColumnKind;
use crate::render::{Cell, Rendered};

/// The UTF-8 byte-order mark that makes Excel read a CSV as UTF-8.
pub const BOM: &str = "\u{feff}";

/// Text that a spreadsheet could run as a formula gets a leading `'` (OWASP, CWE-1236).
/// Only text is guarded: amounts are numbers and are written as they are.
pub fn guard(text: &str) -> String {
    if could_run(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// Whether a spreadsheet could run the text as a formula: it starts with `= + - @`, a tab or
/// a carriage return.
fn could_run(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Appends one field, quoted as RFC 4180 requires (only when it must be); `guarded` puts the
/// formula guard's `'` before it.
fn push_field(out: &mut String, text: &str, guarded: bool) {
    let guard = if guarded { "'" } else { "" };
    if text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push('"');
        out.push_str(guard);
        for (i, part) in text.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(guard);
        out.push_str(text);
    }
}

/// Appends one record with a CRLF line end. Every field that a spreadsheet could run as a
/// formula is guarded here, so no caller can forget one: text starting with `= + - @`, a tab
/// or a carriage return gets a leading `'`; a plain number (an amount `-3.50`) is a number and
/// stays as it is.
pub fn record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let f = f.as_ref();
        push_field(out, f, could_run(f) && !is_plain_number(f));
    }
    out.push_str("\r\n");
}

/// Whether a field is a plain decimal number (`-3.50`, `2023`): a sign, digits, a point and
/// digits.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// The text of a cell in CSV: text guarded, amounts plain; a total as submitted (empty when
/// zero, or when the input has no such row).
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => guard(t),
        Cell::Amount(v) => plain(*v),
        Cell::Number(v) => v.normalize().to_string(),
        Cell::Sum(sum) => sum
            .submitted
            .filter(|v| !v.is_zero())
            .map(plain)
            .unwrap_or_default(),
    }
}

/// One table as CSV: one header line (header paths joined with `/`), then the data rows.
/// Labels and names are written without spaces (`合计`, as in `facts.csv`); a cell merged over
/// several rows (a project's columns in 表13) is repeated on each, so every line stands alone.
pub fn table(table: &Rendered<'_>) -> String {
    let mut out = String::from(BOM);
    let header: Vec<&str> = table.spec.columns.iter().map(|c| c.key.as_str()).collect();
    record(&mut out, &header);
    // A cell merged over several rows or columns: its first cell, for each cell it covers.
    let mut first = std::collections::HashMap::new();
    for m in &table.merges {
        for r in m.first_row..=m.last_row {
            for c in m.first_col..=m.last_col {
                first.insert((r, c), (m.first_row, m.first_col));
            }
        }
    }
    let text = |r: usize, c: usize| {
        let cell = &table.rows[r].cells[c];
        match (cell, table.spec.columns[c].kind) {
            (Cell::Text(t), ColumnKind::Label | ColumnKind::Name) => {
                guard(&crate::base::text::compact(t))
            }
            _ => cell_text(cell),
        }
    };
    let mut fields = Vec::with_capacity(table.spec.columns.len());
    for (r, row) in table.rows.iter().enumerate() {
        fields.clear();
        for c in 0..row.cells.len().min(table.spec.columns.len()) {
            let (r, c) = if first.is_empty() {
                (r, c)
            } else {
                first.get(&(r, c)).copied().unwrap_or((r, c))
            };
            fields.push(text(r, c));
        }
        record(&mut out, &fields);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn records_are_quoted_only_where_they_must_be() {
        let mut out = String::new();
        record(&mut out, &["a", "b,c", "say \"hi\"", "two\nlines", ""]);
        assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
    }

    use super::*;

    #[test]
    fn injection_guard_only_touches_text() {
        assert_eq!(guard("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(guard("-项目"), "'-项目");
        assert_eq!(guard("@x"), "'@x");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("培训支出"), "培训支出");
        assert_eq!(cell_text(&Cell::Amount("-3.50".parse().unwrap())), "-3.50");
    }

    #[test]
    fn every_field_that_could_run_is_guarded_and_numbers_stay() {
        let mut out = String::new();
        record(
            &mut out,
            &[
                "=cmd|' /C calc'!A0",
                "-3.50",
                "+1",
                "-1+1",
                "@SUM(A1)",
                "\tx",
                "2023",
                "-",
                ".5",
            ],
        );
        assert_eq!(
            out,
            "'=cmd|' /C calc'!A0,-3.50,+1,'-1+1,'@SUM(A1),'\tx,2023,'-,.5\r\n"
        );
    }

    #[test]
    fn quoting() {
        let mut out = String::new();
        record(&mut out, &["a,b", "say \"hi\"", "line\nbreak", "plain"]);
        assert_eq!(out, "\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",plain\r\n");
    }
}
