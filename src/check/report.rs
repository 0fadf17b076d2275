//! The JSON report of `yusuan check --format json`:
//! `{"files":[{"file":…,"unit_code":…,"findings":[{"rule","severity","table","sheet","cell",
//! "expected","actual","message"}]}]}` — amounts as exact decimal strings; a file that could not
//! be read has `"error"` and no findings. With `--narrative`, the file also has
//! `"narrative":{"file","figures","verified","unverifiable","contradictions"}` and the
//! narrative's findings join `findings`, with `"line"` and `"sentence"` (`table`, `sheet` and
//! `cell` null).

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
    /// The findings, in table order; then those of the narrative, in text order.
    pub findings: Vec<JsonFinding>,
    /// What checking the narrative found, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narrative: Option<JsonNarrative>,
}

/// The counts of a narrative's check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonNarrative {
    /// The narrative file as given.
    pub file: String,
    /// Figure statements found.
    pub figures: usize,
    /// Those that agree with the tables.
    pub verified: usize,
    /// Those the tables cannot tell (changes without last year, 政府采购, counts…).
    pub unverifiable: usize,
    /// Those that disagree: each is a finding.
    pub contradictions: usize,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonFinding {
    /// Rule id.
    pub rule: String,
    /// `error` or `warning`.
    pub severity: Severity,
    /// Table number (`null` for a narrative's finding).
    pub table: Option<u8>,
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
    /// The line (paragraph of a .docx) of a narrative's finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The sentence of a narrative's finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
}

impl From<&Located> for JsonFinding {
    fn from(l: &Located) -> JsonFinding {
        JsonFinding {
            rule: l.finding.rule.clone(),
            severity: l.finding.severity,
            table: Some(l.finding.place.table),
            sheet: l.sheet.clone(),
            cell: l.cell.clone(),
            expected: l.finding.expected.map(super::show),
            actual: l.finding.actual.map(super::show),
            message: l.message.clone(),
            line: None,
            sentence: None,
        }
    }
}
