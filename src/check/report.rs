//! The JSON report of `yusuan check --format json`:
//! `{"files":[{"file":…,"unit_code":…,"findings":[{"rule","severity","table","sheet","cell",
//! "expected","actual","message"}]}]}` — amounts as exact decimal strings; a file that could not
//! be read has `"error"` and no findings.

use super::Located;
use crate::edition::Severity;
use serde::Serialize;

/// The whole report of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct JsonReport {
    /// One entry per input.
    pub files: Vec<JsonFile>,
}

/// The findings of one input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonFile {
    /// The input as given.
    pub file: String,
    /// The unit code read from it (`null` when unreadable).
    pub unit_code: Option<String>,
    /// Why the input could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The findings, in table order.
    pub findings: Vec<JsonFinding>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonFinding {
    /// Rule id.
    pub rule: String,
    /// `error` or `warning`.
    pub severity: Severity,
    /// Table number.
    pub table: u8,
    /// Sheet of the cell.
    pub sheet: Option<String>,
    /// Cell (A1).
    pub cell: Option<String>,
    /// The value the cell should have.
    pub expected: Option<String>,
    /// The value it has.
    pub actual: Option<String>,
    /// The message.
    pub message: String,
}

impl From<&Located> for JsonFinding {
    fn from(l: &Located) -> JsonFinding {
        JsonFinding {
            rule: l.finding.rule.clone(),
            severity: l.finding.severity,
            table: l.finding.place.table,
            sheet: l.sheet.clone(),
            cell: l.cell.clone(),
            expected: l.finding.expected.map(super::show),
            actual: l.finding.actual.map(super::show),
            message: l.message.clone(),
        }
    }
}
