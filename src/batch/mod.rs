//! Batch conversion: every workbook under a directory, grouped by unit, converted in parallel
//! into one folder per unit, with a summary of all units; each unit's 情况说明 (a document whose
//! name carries its code) checked against its tables.
//!
//! Two passes keep memory flat whatever the number of files: the first tells whose tables each
//! workbook holds (its unit), reading it whole while it is open and keeping that reading on
//! disk (`prefetch.rs`), not in memory; the second converts each unit from its own files, a
//! unit of one file from the reading kept for it. One bad file never stops the batch: it gets a
//! row of its own in the summary, with its error.

mod discover;
mod error;
mod narratives;
mod prefetch;
mod report;
mod run;
mod staging;
mod summary;

pub use error::BatchError;
pub use narratives::UnitNarrative;
pub use report::{Options, Progress, Report, Status, UnitSummary};
pub use run::run;
pub use staging::{StagingError, result_budgets};
pub use summary::{FINDINGS_COLUMNS, SUMMARY_SHEET};
