//! Reading untrusted workbooks inside limits the operating system enforces.
//!
//! Workbooks come from hundreds of units, and the parsers under calamine (zip, XML, the OLE
//! compound file of `.xls`) can be made to allocate gigabytes, loop or panic by a crafted file
//! of a few kilobytes. An allocation failure aborts a process outright — no `catch_unwind`
//! stops it — so no check in front of the parser can make reading safe in the process that
//! also writes the results. Every read therefore happens in a *worker process*: the same
//! binary re-executed in a hidden mode (`yusuan read-worker`), whose address space is capped by
//! the kernel (`setrlimit(RLIMIT_AS)`, on Unix) and whose answer must come within a deadline,
//! after which the parent kills it. A worker that dies — abort, panic, signal, limit — is that
//! input's error, named in Chinese; the next input gets a fresh worker. Workers are kept and
//! reused between inputs, so the cost of isolation is one process start per worker, not per
//! file.
//!
//! [`InProcess`] reads in the calling process, for library users who read trusted files and for
//! tests; both implement [`Reader`].

mod death;
mod frame;
mod pool;
mod serve;
mod size;

pub use crate::parallel::panic_text;
pub use pool::Isolated;
pub use serve::serve;
pub use size::{Size, format_size};

use crate::edition::Edition;
use crate::error::{Location, Problem, ReadError};
use crate::read::{Document, Duplicates, Reading, Scan};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Limits that one input's reading must stay within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The worker process's address space, in bytes (Unix only).
    pub max_memory: u64,
    /// Wall-clock time for one input.
    pub timeout: Duration,
}

impl Limits {
    /// 2 GiB and 120 seconds per input: far above any real budget workbook (tens of MiB and
    /// well under a second), far below what would exhaust the machine.
    pub const DEFAULT: Limits = Limits {
        max_memory: 2 << 30,
        timeout: Duration::from_secs(120),
    };

    /// The largest answer a worker may give, in bytes: a sixteenth of `max_memory`. The main
    /// process builds the model from the answer, then renders and writes it; measured on a
    /// 表3 of 240,000 rows, a 33 MiB answer peaks at 417 MiB in `convert` (about 13 times),
    /// so this keeps the main process within `max_memory` per input too.
    ///
    /// ```
    /// use yusuan::worker::Limits;
    /// assert_eq!(Limits::DEFAULT.max_answer(), 128 << 20);
    /// ```
    pub fn max_answer(&self) -> u64 {
        self.max_memory / 16
    }
}

/// Something that reads inputs into budgets.
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

    /// Reads one unit's tables from `files`; a table found twice is an error.
    ///
    /// # Errors
    ///
    /// As [`Reader::read_unit`].
    fn read(&self, files: &[PathBuf], input: &str) -> Result<Reading, ReadError> {
        self.read_unit(files, input, Duplicates::Error)
    }

    /// Looks at one workbook just enough to tell whose tables it holds.
    ///
    /// # Errors
    ///
    /// As [`Reader::read`].
    fn scan(&self, file: &Path) -> Result<Scan, ReadError>;

    /// Looks at one workbook to tell whose tables it holds, as [`Reader::scan`], and, where it
    /// can be read as a unit of its own (named `input`, a table found twice handled as
    /// `duplicates` says), keeps that reading in the file `store` for [`stored_reading`]: a
    /// batch's first pass, after which a unit of that one file need not be read again. The
    /// default keeps nothing.
    ///
    /// # Errors
    ///
    /// As [`Reader::scan`].
    fn scan_and_store(
        &self,
        file: &Path,
        input: &str,
        duplicates: Duplicates,
        store: &Path,
    ) -> Result<Scan, ReadError> {
        let _ = (input, duplicates, store);
        self.scan(file)
    }

    /// Reads a narrative (a 情况说明: `.docx`, `.txt` or `.md`).
    ///
    /// # Errors
    ///
    /// As [`Reader::read`]: the file named, and the limits applied as to workbooks.
    fn read_document(&self, file: &Path) -> Result<Document, ReadError>;

    /// Reads one input: a workbook, or a directory of one unit's workbooks.
    ///
    /// # Errors
    ///
    /// As [`Reader::read`]; also when a directory cannot be listed.
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
    crate::parallel::for_each(
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

    fn scan(&self, file: &Path) -> Result<Scan, ReadError> {
        let name = file.display().to_string();
        guarded(&name, || crate::read::scan_file(self.edition, file))
    }

    fn scan_and_store(
        &self,
        file: &Path,
        input: &str,
        duplicates: Duplicates,
        store: &Path,
    ) -> Result<Scan, ReadError> {
        let answer = self.scan_and_read(file, input, duplicates);
        if let Some(reading) = &answer.reading
            && let Ok(bytes) = serde_json::to_vec(&Some(reading))
        {
            // Without the stored reading the unit is read again: nothing is lost.
            let _ = std::fs::write(store, bytes);
        }
        answer.scan
    }

    fn read_document(&self, file: &Path) -> Result<Document, ReadError> {
        let name = file.display().to_string();
        guarded(&name, || crate::read::read_document(file))
    }
}

impl InProcess<'_> {
    /// [`crate::read::scan_and_read_file`], a panic being the file's internal error.
    pub(crate) fn scan_and_read(
        &self,
        file: &Path,
        input: &str,
        duplicates: Duplicates,
    ) -> crate::read::ScanRead {
        let name = file.display().to_string();
        let mut reading = None;
        let scan = guarded(&name, || {
            let answer = crate::read::scan_and_read_file(self.edition, file, input, duplicates);
            reading = answer.reading;
            answer.scan
        });
        crate::read::ScanRead { scan, reading }
    }
}

/// The reading a [`Reader::scan_and_store`] kept in `store`, if it kept one and it can be read
/// back (otherwise the unit is read again).
pub fn stored_reading(store: &Path) -> Option<Result<Reading, ReadError>> {
    let bytes = std::fs::read(store).ok()?;
    serde_json::from_slice::<Option<Result<Reading, ReadError>>>(&bytes)
        .ok()
        .flatten()
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
