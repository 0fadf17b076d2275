//! The worker's side: answer read requests on standard input until it closes.

use super::death;
use super::frame::{self, Request, Response};
use super::in_process::InProcess;
use super::kept::KeptReading;
use super::limits::Limits;
use super::reader::Reader;
use crate::edition::Edition;
use std::io::{BufReader, BufWriter};

/// Longest request accepted (a list of file names).
const MAX_REQUEST: u64 = 16 << 20;

/// Runs a worker: caps this process's address space at `max_memory` bytes (on Unix), then
/// answers each request read from standard input on standard output, until standard input
/// closes. Meant for the hidden `yusuan read-worker` command, started by [`super::Isolated`].
///
/// # Errors
///
/// When the limit cannot be set, or standard input or output fail (the parent went away).
pub fn serve(edition: &Edition, max_memory: u64) -> std::io::Result<()> {
    limit_memory(max_memory)?;
    let reader = InProcess::new(edition);
    let limits = Limits {
        max_memory,
        ..Limits::DEFAULT
    };
    let named = |e| death::classify(e, &limits);
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut output = BufWriter::new(std::io::stdout().lock());
    while let Some(bytes) = frame::read(&mut input, MAX_REQUEST)? {
        let request: Request = serde_json::from_slice(&bytes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        let response = match request {
            Request::Read {
                files,
                input,
                duplicates,
            } => Response::Read(reader.read_unit(&files, &input, duplicates).map_err(named)),
            Request::Scan { file, unit } => {
                let unit = unit.as_ref().map(|(name, rule)| (name.as_str(), *rule));
                let answer = reader.scan_and_read(&file, unit);
                let reading = answer.reading.map(|r| r.map_err(named));
                Response::Scan(
                    answer.scan.map_err(named),
                    reading.as_ref().and_then(KeptReading::encode),
                )
            }
            Request::Document { file } => {
                Response::Document(reader.read_document(&file).map_err(named))
            }
            Request::Draft { file } => Response::Draft(reader.draft(&file).map_err(named)),
            Request::Rows { file } => Response::Rows(reader.read_rows(&file).map_err(named)),
        };
        frame::write(&mut output, &response)?;
        drop(response);
        release_memory();
    }
    Ok(())
}

/// Gives the memory freed after an answer back to the system: a worker waits between inputs
/// (and to the end of a run) holding none of a big workbook's pages (glibc keeps freed memory
/// otherwise; see bench/floor.sh, the memory of the process tree).
#[cfg(all(unix, target_env = "gnu"))]
fn release_memory() {
    // SAFETY: malloc_trim only returns free memory of the heap to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Other allocators return memory their own way.
#[cfg(not(all(unix, target_env = "gnu")))]
fn release_memory() {}

/// Caps the address space of this process (`RLIMIT_AS`): an allocation past it fails, and the
/// process aborts instead of taking the machine's memory.
#[cfg(unix)]
fn limit_memory(bytes: u64) -> std::io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct we pass and changes only this process's limits.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Elsewhere the operating system offers no such cap to a process itself: the deadline still
/// applies.
#[cfg(not(unix))]
fn limit_memory(_bytes: u64) -> std::io::Result<()> {
    Ok(())
}
