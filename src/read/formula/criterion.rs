//! SUMIF's criteria: an empty or non-empty cell, a number compared, a text.

use super::state::{Eval, Unsupported};
use crate::base::amount;
use crate::read::workbook::Value;
use rust_decimal::Decimal;
use std::str::FromStr;

/// What a SUMIF criterion accepts.
pub(super) enum Criterion {
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
    pub(super) fn parse(text: &str) -> Eval<Criterion> {
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

    pub(super) fn matches(&self, value: &Value) -> bool {
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
