//! What a batch is asked to do and what it reports: its settings, each unit's outcome and row
//! of the summary, its progress and its report.

use super::narratives::UnitNarrative;
use crate::check::{self, Located};
use crate::convert::Formats;
use rust_decimal::Decimal;

/// Settings of a batch run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads.
    pub jobs: usize,
    /// Outputs per unit.
    pub formats: Formats,
    /// Check settings.
    pub check: check::Options,
    /// What to do with a unit's table found in several files.
    pub duplicates: crate::read::Duplicates,
    /// The department's name, for the title of 汇总.xlsx (by default its code, from the
    /// units').
    pub department: Option<String>,
}

/// The outcome of one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Read and converted; no errors (warnings allowed).
    Ok,
    /// Converted, but the checks found errors.
    Findings,
    /// A file could not be read.
    Unreadable,
    /// The unit was read, but its outputs could not be written.
    WriteFailed,
}

impl Status {
    /// The word in `summary.csv`.
    pub fn key(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Findings => "findings",
            Status::Unreadable => "unreadable",
            Status::WriteFailed => "write_failed",
        }
    }

    /// The word in 汇总.xlsx.
    pub fn word(self) -> &'static str {
        match self {
            Status::Ok => "通过",
            Status::Findings => "有错误",
            Status::Unreadable => "无法读取",
            Status::WriteFailed => "无法写入",
        }
    }
}

/// One row of the summary: a unit, or a file that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSummary {
    /// The files, relative to the batch directory.
    pub files: Vec<String>,
    /// Unit code.
    pub code: Option<String>,
    /// Unit name.
    pub name: Option<String>,
    /// Outcome.
    pub status: Status,
    /// The budget year read, if read.
    pub year: Option<u16>,
    /// The unit's output folder, relative to the output directory.
    pub folder: Option<String>,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// The first error (or the reason the file could not be read).
    pub first_error: Option<String>,
    /// The edition's summary figures, in order.
    pub figures: Vec<Option<Decimal>>,
    /// Every finding.
    pub findings: Vec<Located>,
    /// The reading's warnings (a table without its 金额单位 line, a unit code not of digits),
    /// counted in `warnings` and listed in `findings.csv` without a rule.
    pub notices: Vec<crate::base::error::Notice>,
    /// Files of the unit whose tables a newer file replaced (relative to the batch directory).
    pub superseded: Vec<String>,
    /// The unit's 情况说明, checked.
    pub narratives: Vec<UnitNarrative>,
}

impl UnitSummary {
    /// The contradictions found in its narratives; `None` when it has none, or none could be
    /// read.
    pub fn narrative_contradictions(&self) -> Option<usize> {
        let checked: Vec<_> = self
            .narratives
            .iter()
            .filter_map(|n| n.checked.as_ref().ok())
            .collect();
        (!checked.is_empty()).then(|| checked.iter().map(|c| c.contradictions()).sum())
    }
}

/// Progress of a batch, reported as it goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// A file has been looked at.
    Scanned {
        /// Files looked at so far.
        done: usize,
        /// Files in all.
        total: usize,
        /// Files that could not be read so far.
        failed: usize,
    },
    /// A unit has been converted.
    Converted {
        /// Units done so far.
        done: usize,
        /// Units in all.
        total: usize,
        /// Units that failed so far (unreadable, or with errors).
        failed: usize,
        /// The unit just done.
        unit: String,
        /// Its outcome.
        status: Status,
    },
}

/// The result of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// One row per unit and per unreadable file, in unit-code order (unreadable files last).
    pub units: Vec<UnitSummary>,
    /// Workbooks found.
    pub files: usize,
    /// Narratives (relative to the batch directory) whose names carry no unit's code.
    pub unmatched_narratives: Vec<String>,
    /// Seconds the batch took.
    pub seconds: f64,
    /// The title of 汇总.xlsx: the department, the budget year, the date.
    pub title: String,
}

impl Report {
    /// The exit status: 2 if any file was unreadable or any output unwritable, 1 if any unit
    /// has errors, else 0.
    pub fn exit_code(&self) -> u8 {
        match self.units.iter().map(|u| u.status).max() {
            Some(Status::Unreadable | Status::WriteFailed) => 2,
            Some(Status::Findings) => 1,
            _ => 0,
        }
    }
}
