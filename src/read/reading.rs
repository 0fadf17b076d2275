//! What reading gives: a budget with what the reader noticed, and a quick look's answer.

use crate::base::error::{Notice, ReadError};
use crate::model::Budget;
use crate::model::position::InputPositions;

/// A budget as read, with what the reader noticed on the way.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Reading {
    /// The budget.
    pub budget: Budget,
    /// Warnings and interpretations, in reading order.
    pub notices: Vec<Notice>,
    /// Where each table and row was read from, to locate findings in the input.
    pub positions: InputPositions,
    /// Tables found more than once (resubmissions), and which copy was used.
    #[serde(default)]
    pub duplicates: Vec<Duplicate>,
}

/// What to do when a table of one unit is found in more than one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Duplicates {
    /// Refuse: the input cannot be read (the two places are named).
    #[default]
    Error,
    /// Resubmissions: identical copies are used once; otherwise the file given first (the
    /// newest) wins and the others are superseded.
    Newest,
}

/// A table found again in another file, and not used from there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Duplicate {
    /// Table number.
    pub number: u8,
    /// The file whose table was used.
    pub kept: String,
    /// The file whose table was not used.
    pub dropped: String,
    /// Whether the two held the same table; if not, `dropped` is superseded.
    pub identical: bool,
}

/// What a quick look at a workbook tells: whose tables it holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Scan {
    /// The unit code of the first 单位 line, if any.
    pub code: Option<String>,
    /// The unit name of that line.
    pub name: Option<String>,
}

/// A scan of a workbook, and the workbook read as a unit of its own when it could be loaded.
#[derive(Debug)]
pub struct ScanRead {
    /// As [`super::scan_file`] tells.
    pub scan: Result<Scan, ReadError>,
    /// As [`super::read_files`] with this one file reads it; `None` when the workbook could not be
    /// loaded whole (the scan then looked at it alone, sheet by sheet, as [`super::scan_file`]).
    pub reading: Option<Result<Reading, ReadError>>,
}
