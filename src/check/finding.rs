//! One finding of a check, the place it points at, and the settings of a check run.

use crate::edition::Severity;
use rust_decimal::Decimal;

/// A place in a table of the model: a row (by index) and a column (by key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Table number.
    pub table: u8,
    /// Index of the row in the table's rows, if the place is a row.
    pub row: Option<usize>,
    /// Column key.
    pub column: String,
    /// For a value added up over several rows (a class of 科目), the last of them: the place
    /// is then the rows from `row` through this one.
    pub through: Option<usize>,
}

impl Place {
    /// A whole table: its title.
    pub(super) fn of_table(table: u8) -> Place {
        Place {
            table,
            row: None,
            column: String::new(),
            through: None,
        }
    }
}

/// One finding of a check.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Rule id, e.g. `R4.1`.
    pub rule: String,
    /// Error or warning.
    pub severity: Severity,
    /// The cell that is wrong, or the total that does not match.
    pub place: Place,
    /// For rules across tables, the place on the other side.
    pub other: Option<Place>,
    /// The value the cell should have.
    pub expected: Option<Decimal>,
    /// The value it has.
    pub actual: Option<Decimal>,
    /// What is wrong, in words for a finance clerk, without the location.
    pub text: String,
}

impl Finding {
    /// A finding about a whole table (no row, no amounts), placed at its title.
    pub(crate) fn of_table(rule: &crate::edition::TablesRule, table: u8, text: String) -> Finding {
        Finding {
            rule: rule.id.clone(),
            severity: rule.severity,
            place: Place::of_table(table),
            other: None,
            expected: None,
            actual: None,
            text,
        }
    }
}

/// Settings of a check run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Largest difference accepted as equal, in the budget's amount unit (0 by default; a
    /// budget rounded to 元 in 万元 tables may need 0.0001 per 元).
    pub tolerance: Decimal,
}

impl Options {
    pub(super) fn differ(&self, a: Decimal, b: Decimal) -> bool {
        (a - b).abs() > self.tolerance
    }
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// An amount as printed in findings: plain, two decimals at least.
pub(crate) fn show(value: Decimal) -> String {
    crate::base::amount::plain(value)
}
