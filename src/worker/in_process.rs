//! Reading in the calling process: for library users who read trusted files, for tests, and
//! inside a worker.

use super::kept::KeptReading;
use super::reader::{Reader, Scanned};
use crate::base::error::{Location, Problem, ReadError};
use crate::base::parallel::panic_text;
use crate::edition::Edition;
use crate::read::{Document, Duplicates, Reading, ScanRead};
use std::path::{Path, PathBuf};

/// Reads in the calling process, with no limits beyond the reader's own checks; a panic while
/// reading becomes that input's [`Problem::Internal`] error.
///
/// ```
/// use yusuan::edition::Edition;
/// use yusuan::worker::{InProcess, Reader};
///
/// let edition = Edition::builtin();
/// let reader = InProcess::new(&edition);
/// let err = reader.read_input("no-such-file.xlsx".as_ref()).unwrap_err();
/// assert!(err.to_string().contains("no-such-file.xlsx"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct InProcess<'a> {
    edition: &'a Edition,
}

impl<'a> InProcess<'a> {
    /// A reader of this edition's tables.
    pub fn new(edition: &'a Edition) -> InProcess<'a> {
        InProcess { edition }
    }

    /// [`crate::read::scan_and_read_file`] (or only the scan, without `unit`), a panic being
    /// the file's internal error; the reading not yet encoded.
    pub(super) fn scan_and_read(&self, file: &Path, unit: Option<(&str, Duplicates)>) -> ScanRead {
        let name = file.display().to_string();
        let Some((input, duplicates)) = unit else {
            let scan = guarded(&name, || crate::read::scan_file(self.edition, file));
            return ScanRead {
                scan,
                reading: None,
            };
        };
        let mut reading = None;
        let scan = guarded(&name, || {
            let answer = crate::read::scan_and_read_file(self.edition, file, input, duplicates);
            reading = answer.reading;
            answer.scan
        });
        ScanRead { scan, reading }
    }
}

impl Reader for InProcess<'_> {
    fn read_unit(
        &self,
        files: &[PathBuf],
        input: &str,
        duplicates: Duplicates,
    ) -> Result<Reading, ReadError> {
        guarded(input, || {
            crate::read::read_files(self.edition, files, input, duplicates)
        })
    }

    fn scan(&self, file: &Path, unit: Option<(&str, Duplicates)>) -> Scanned {
        let answer = self.scan_and_read(file, unit);
        Scanned {
            scan: answer.scan,
            reading: answer.reading.as_ref().and_then(KeptReading::encode),
        }
    }

    fn read_document(&self, file: &Path) -> Result<Document, ReadError> {
        let name = file.display().to_string();
        guarded(&name, || crate::read::read_document(file))
    }

    fn read_rows(&self, file: &Path) -> Result<Vec<Vec<String>>, ReadError> {
        let name = file.display().to_string();
        guarded(&name, || crate::read::first_sheet_rows(file))
    }

    fn draft(&self, file: &Path) -> Result<crate::edition::Draft, ReadError> {
        let name = file.display().to_string();
        guarded(&name, || crate::read::draft_file(file, self.edition))
    }
}

/// Runs `f`, turning a panic into an internal error of `input`.
fn guarded<T>(input: &str, f: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        Err(ReadError::new(
            Location::file(input),
            Problem::Internal {
                detail: panic_text(panic.as_ref()),
            },
        ))
    })
}
