//! What reads inputs into budgets, in this process or in workers.

use super::kept::KeptReading;
use crate::base::error::{Location, Problem, ReadError};
use crate::read::{Document, Duplicates, Reading, Scan};
use std::path::{Path, PathBuf};

/// What a look at one workbook tells, and — when asked — the workbook read as a unit of its
/// own while it was open, kept encoded ([`KeptReading`]).
#[derive(Debug)]
pub struct Scanned {
    /// Whose tables the workbook holds.
    pub scan: Result<Scan, ReadError>,
    /// The workbook read as a unit of its own; `None` when not asked, or when the workbook
    /// could not be loaded whole (the scan then looked at it sheet by sheet).
    pub reading: Option<KeptReading>,
}

/// Something that reads inputs into budgets: a unit's workbooks, a quick look at one
/// workbook, a narrative — and nothing else.
pub trait Reader: Sync {
    /// Reads one unit's tables from `files` (named `input` in messages); a table found in two
    /// files is handled as `duplicates` says.
    ///
    /// # Errors
    ///
    /// A [`ReadError`] naming the file (and sheet and cell where known) when an input cannot
    /// be read, and when reading it broke a limit or failed inside yusuan.
    fn read_unit(
        &self,
        files: &[PathBuf],
        input: &str,
        duplicates: Duplicates,
    ) -> Result<Reading, ReadError>;

    /// Looks at one workbook just enough to tell whose tables it holds; with `unit` (the name
    /// to read it under and how to treat a table found twice), also reads it whole as a unit
    /// of its own while it is open (a batch's first pass, after which a unit of that one file
    /// need not be read again). The scan's error, if any, is in [`Scanned::scan`].
    fn scan(&self, file: &Path, unit: Option<(&str, Duplicates)>) -> Scanned;

    /// Reads a narrative (a 情况说明: `.docx`, `.txt` or `.md`).
    ///
    /// # Errors
    ///
    /// As [`Reader::read_unit`]: the file named, and the limits applied as to workbooks.
    fn read_document(&self, file: &Path) -> Result<Document, ReadError>;

    /// The first sheet of a workbook as rows of text (a unit list the department keeps).
    ///
    /// # Errors
    ///
    /// As [`Reader::read_unit`].
    fn read_rows(&self, file: &Path) -> Result<Vec<Vec<String>>, ReadError>;

    /// Drafts an edition from a blank template workbook (`yusuan edition draft`).
    ///
    /// # Errors
    ///
    /// As [`Reader::read_unit`].
    fn draft(&self, file: &Path) -> Result<crate::edition::Draft, ReadError>;

    /// Reads one unit's tables from `files`; a table found twice is an error.
    ///
    /// # Errors
    ///
    /// As [`Reader::read_unit`].
    fn read(&self, files: &[PathBuf], input: &str) -> Result<Reading, ReadError> {
        self.read_unit(files, input, Duplicates::Error)
    }

    /// Reads one input: a workbook, or a directory of one unit's workbooks.
    ///
    /// # Errors
    ///
    /// As [`Reader::read_unit`]; also when a directory cannot be listed.
    fn read_input(&self, path: &Path) -> Result<Reading, ReadError> {
        let files = crate::read::input_files(path)?;
        self.read(&files, &path.display().to_string())
    }
}

/// Reads several inputs (workbooks, or directories of one unit's workbooks) on `jobs`
/// threads with `reader` and hands each reading, owned, to `consume` as it is done, with the
/// input's position; a panic while reading an input is that input's [`Problem::Internal`].
pub fn read_each(
    reader: &dyn Reader,
    inputs: &[PathBuf],
    jobs: usize,
    mut consume: impl FnMut(usize, Result<Reading, ReadError>),
) {
    crate::base::parallel::for_each(
        inputs,
        jobs,
        |input| reader.read_input(input),
        |i, result| {
            let result = result.unwrap_or_else(|panic| {
                Err(ReadError::new(
                    Location::file(inputs[i].display().to_string()),
                    Problem::Internal { detail: panic },
                ))
            });
            consume(i, result);
        },
    );
}
