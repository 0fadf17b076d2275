//! The worker protocol's framing: each message is its length (8 bytes, little-endian) followed
//! by that many bytes of JSON.

use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::PathBuf;

use super::kept::KeptReading;
use crate::base::error::ReadError;
use crate::read::{Document, Duplicates, Reading, Scan};

/// What the parent asks a worker.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Request {
    /// Read one unit's tables from these files, named `input` in messages.
    Read {
        /// The workbook files.
        files: Vec<PathBuf>,
        /// The input's name.
        input: String,
        /// What to do with a table found in two files.
        duplicates: Duplicates,
    },
    /// Tell whose tables this workbook holds; with `unit` (a name and the rule for a table
    /// found twice), also read it as a unit of its own.
    Scan {
        /// The workbook file.
        file: PathBuf,
        /// The unit to read it as, if asked.
        unit: Option<(String, Duplicates)>,
    },
    /// Read a narrative's text (a 情况说明).
    Document {
        /// The .docx, .txt or .md file.
        file: PathBuf,
    },
    /// Draft an edition from a blank template workbook.
    Draft {
        /// The workbook.
        file: PathBuf,
    },
    /// The first sheet of a workbook as rows of text.
    Rows {
        /// The workbook.
        file: PathBuf,
    },
}

/// A worker's answer.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Response {
    /// The answer to [`Request::Read`].
    Read(Result<Reading, ReadError>),
    /// The answer to [`Request::Scan`]: the scan, and the reading if asked and made (kept
    /// encoded: the parent does not build it).
    Scan(Result<Scan, ReadError>, Option<KeptReading>),
    /// The answer to [`Request::Document`].
    Document(Result<Document, ReadError>),
    /// The answer to [`Request::Draft`].
    Draft(Result<crate::edition::Draft, ReadError>),
    /// The answer to [`Request::Rows`].
    Rows(Result<Vec<Vec<String>>, ReadError>),
}

/// Writes one message.
pub(crate) fn write(out: &mut impl Write, message: &impl Serialize) -> std::io::Result<()> {
    let bytes = serde_json::to_vec(message).map_err(std::io::Error::other)?;
    out.write_all(&(bytes.len() as u64).to_le_bytes())?;
    out.write_all(&bytes)?;
    out.flush()
}

/// A message longer than the reader accepts.
#[derive(Debug, thiserror::Error)]
#[error("消息长度 {len} 字节超过上限 {max} 字节")]
pub(crate) struct TooLong {
    /// Its length.
    pub len: u64,
    /// The most accepted.
    pub max: u64,
}

/// Reads one message's bytes; `Ok(None)` at a clean end of the stream. A message longer than
/// `max` bytes is an error (its bytes are not read).
pub(crate) fn read(input: &mut impl Read, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 8];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u64::from_le_bytes(len);
    if len > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            TooLong { len, max },
        ));
    }
    let mut bytes = vec![0u8; len as usize];
    input.read_exact(&mut bytes)?;
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn messages_round_trip_and_lengths_are_bounded() {
        let mut buf = Vec::new();
        write(
            &mut buf,
            &Request::Scan {
                file: "a.xlsx".into(),
                unit: None,
            },
        )
        .unwrap();
        write(
            &mut buf,
            &Request::Scan {
                file: "b".into(),
                unit: Some(("b".into(), Duplicates::Newest)),
            },
        )
        .unwrap();
        let mut r = &buf[..];
        let first: Request =
            serde_json::from_slice(&read(&mut r, 1 << 20).unwrap().unwrap()).unwrap();
        assert!(matches!(first, Request::Scan { file, .. } if file == Path::new("a.xlsx")));
        assert!(read(&mut r, 1 << 20).unwrap().is_some());
        assert!(read(&mut r, 1 << 20).unwrap().is_none(), "clean end");
        assert!(read(&mut &buf[..], 4).is_err(), "too long");
        assert!(read(&mut &buf[..5], 1 << 20).is_ok_and(|m| m.is_none()));
    }
}
