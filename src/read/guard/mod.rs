//! Inspecting a workbook before calamine opens it.
//!
//! calamine aborts the whole process (an allocation failure, which no `catch_unwind` catches)
//! on some tiny crafted files: a sheet whose cells span a huge rectangle (one cell at `A1` and
//! one at `XFD1048576`: a dense range of 2^34 cells, calamine issue 693) or a `sharedStrings.xml`
//! declaring `uniqueCount="4000000000"` (it reserves that many strings, issue 684). Zip-based
//! workbooks also have no decompressed-size limit. So every .xlsx/.xlsm/.ods is checked here
//! first, with bounded work: the zip directory, every entry's size and compression ratio, the
//! rectangle actually spanned by each sheet's non-empty cells (read by streaming through the
//! sheet with a hard cap on bytes), and the shared-string count against the entry's size.
//! Cells are placed as a parser places them — by their `r` attribute in any spelling, or after
//! the previous cell when it is missing — and counted across all sheets; `.ods` repeat counts
//! are expanded; an `.xls` compound file's header counts must fit in the file.
//!
//! This is a fast first filter that gives a precise message. It cannot foresee every spelling
//! a parser accepts: the limit that holds whatever the file is the worker process's
//! (`crate::worker`), which the operating system enforces.

mod cfb;
mod ods;
mod xlsx;
mod xml;

use xlsx::{cell_extent, declared_strings, sheet_parts};

use crate::base::error::{Location, Problem, ReadError};
use crate::edition::Rect;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Limits of what the reader accepts.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input file.
    pub max_file_bytes: u64,
    /// Largest decompressed zip entry.
    pub max_entry_bytes: u64,
    /// Largest total of decompressed entries.
    pub max_total_bytes: u64,
    /// Largest compression ratio of an entry bigger than 1 MiB.
    pub max_ratio: u64,
    /// Most cells in the rectangles from A1 to each sheet's last non-empty cell, all sheets
    /// together.
    pub max_cells: u64,
}

impl Limits {
    /// Limits far above any real budget workbook (a few thousand rows) and far below what
    /// would exhaust memory.
    pub const DEFAULT: Limits = Limits {
        max_file_bytes: 200 << 20,
        max_entry_bytes: 200 << 20,
        max_total_bytes: 400 << 20,
        max_ratio: 200,
        max_cells: 2_000_000,
    };
}

/// What the inspection of a zip-based workbook learned on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inspection {
    /// The merged ranges of each sheet, by sheet name (for .xlsx, read while the sheets are
    /// streamed through anyway: calamine would parse every sheet again to find them).
    pub merges: Option<HashMap<String, Vec<Rect>>>,
    /// The sheets (by name) with formulas saved without their results.
    pub uncached: Vec<String>,
}

/// Reads a workbook file into memory, refusing empty files and files over the size limit
/// before reading them.
pub fn read_file(path: &Path, location: &Location, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    let refuse = |p: Problem| ReadError::new(location.clone(), p);
    let meta = std::fs::metadata(path).map_err(|e| {
        refuse(Problem::Io {
            cause: crate::base::error::io_reason(&e),
        })
    })?;
    // A FIFO, a device or a directory has no size to check and may never end: not read.
    if !meta.is_file() {
        return Err(refuse(Problem::NotAFile));
    }
    let size = meta.len();
    if size == 0 {
        return Err(refuse(Problem::EmptyFile));
    }
    if size > limits.max_file_bytes {
        return Err(refuse(Problem::FileTooLarge {
            mib: size >> 20,
            limit_mib: limits.max_file_bytes >> 20,
        }));
    }
    std::fs::read(path).map_err(|e| {
        refuse(Problem::Io {
            cause: crate::base::error::io_reason(&e),
        })
    })
}

/// Checks a workbook's bytes against the limits; `Ok` means calamine may open them.
pub fn inspect(
    bytes: &[u8],
    location: &Location,
    limits: &Limits,
) -> Result<Inspection, ReadError> {
    let refuse = |p: Problem| ReadError::new(location.clone(), p);
    let head = &bytes[..bytes.len().min(8)];
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // An OLE compound file: a legacy .xls, or an encrypted .xlsx (which is one too).
        // Its size is bounded above; BIFF8 sheets hold at most 65,536 × 256 cells.
        return match cfb::check(bytes) {
            Ok(()) => Ok(Inspection::default()),
            Err(why) => Err(refuse(Problem::Corrupt { detail: why })),
        };
    }
    if !head.starts_with(b"PK") {
        return Err(refuse(Problem::NotAWorkbook));
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        refuse(Problem::Corrupt {
            detail: e.to_string(),
        })
    })?;
    let mut total = 0u64;
    let mut sheets = Vec::new();
    let mut shared_strings = None;
    let mut workbook_parts = (None, None);
    let mut ods_content = None;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| {
            refuse(Problem::Corrupt {
                detail: e.to_string(),
            })
        })?;
        let (name, size, packed) = (
            String::from_utf8_lossy(entry.name_raw()).into_owned(),
            entry.size(),
            entry.compressed_size(),
        );
        if size > limits.max_entry_bytes {
            return Err(refuse(Problem::EntryTooLarge {
                entry: name,
                mib: size >> 20,
            }));
        }
        if size > 1 << 20 && size / packed.max(1) > limits.max_ratio {
            return Err(refuse(Problem::Bomb {
                entry: name,
                ratio: size / packed.max(1),
            }));
        }
        total += size;
        if total > limits.max_total_bytes {
            return Err(refuse(Problem::TotalTooLarge {
                limit_mib: limits.max_total_bytes >> 20,
            }));
        }
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            sheets.push(i);
        } else if name == "xl/sharedStrings.xml" {
            shared_strings = Some((i, size));
        } else if name == "xl/workbook.xml" {
            workbook_parts.0 = Some(i);
        } else if name == "xl/_rels/workbook.xml.rels" {
            workbook_parts.1 = Some(i);
        } else if name == "content.xml" {
            ods_content = Some(i);
        }
    }
    let broken = |e: zip::result::ZipError| {
        refuse(Problem::Corrupt {
            detail: e.to_string(),
        })
    };
    let mut cells = Cells::new(limits.max_cells);
    let mut merges_by_part = HashMap::new();
    let mut uncached_parts = Vec::new();
    for i in sheets {
        let entry = zip.by_index(i).map_err(broken)?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let extent = cell_extent(entry, limits.max_entry_bytes).map_err(|e| {
            refuse(Problem::Corrupt {
                detail: format!("{name} 无法解压：{e}"),
            })
        })?;
        cells.add(&name, extent.rows, extent.cols).map_err(refuse)?;
        if extent.uncached {
            uncached_parts.push(name.clone());
        }
        merges_by_part.insert(name, extent.merges);
    }
    if let Some(i) = ods_content {
        let entry = zip.by_index(i).map_err(broken)?;
        let tables = ods::extents(entry, limits.max_entry_bytes).map_err(|e| {
            refuse(Problem::Corrupt {
                detail: format!("content.xml 无法解压：{e}"),
            })
        })?;
        for (name, rows, cols) in tables {
            cells
                .add(&format!("表格“{name}”"), rows, cols)
                .map_err(refuse)?;
        }
    }
    if let Some((i, size)) = shared_strings {
        let entry = zip.by_index(i).map_err(broken)?;
        let declared = declared_strings(entry, limits.max_entry_bytes).map_err(|e| {
            refuse(Problem::Corrupt {
                detail: e.to_string(),
            })
        })?;
        // Every string takes at least `<si/>`: five bytes.
        if let Some(count) = declared
            && count > size / 5 + 16
        {
            return Err(refuse(Problem::LyingStringCount { count, bytes: size }));
        }
    }
    let mut read_part = |i: Option<usize>| -> Option<String> {
        let mut text = String::new();
        zip.by_index(i?)
            .ok()?
            .take(limits.max_entry_bytes)
            .read_to_string(&mut text)
            .ok()?;
        Some(text)
    };
    let parts = read_part(workbook_parts.0)
        .zip(read_part(workbook_parts.1))
        .and_then(|(wb, rels)| sheet_parts(&wb, &rels));
    let uncached = parts
        .as_ref()
        .map(|parts| {
            parts
                .iter()
                .filter(|(_, part)| uncached_parts.contains(part))
                .map(|(sheet, _)| sheet.clone())
                .collect()
        })
        .unwrap_or_default();
    let merges = parts.map(|parts| {
        parts
            .into_iter()
            .filter_map(|(sheet, part)| merges_by_part.remove(&part).map(|m| (sheet, m)))
            .collect()
    });
    Ok(Inspection { merges, uncached })
}

/// The cells counted so far against the limit.
struct Cells {
    max: u64,
    total: u64,
}

impl Cells {
    fn new(max: u64) -> Cells {
        Cells { max, total: 0 }
    }

    /// Counts a sheet of `rows` × `cols`; refuses it alone or all sheets together over the limit.
    fn add(&mut self, name: &str, rows: u64, cols: u64) -> Result<(), Problem> {
        let cells = rows.saturating_mul(cols);
        if cells > self.max {
            return Err(Problem::TooManyCells {
                sheet: name.to_owned(),
                rows,
                cols,
                limit: self.max,
            });
        }
        self.total = self.total.saturating_add(cells);
        if self.total > self.max {
            return Err(Problem::TooManyCellsTogether { limit: self.max });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_counted_across_sheets() {
        let mut cells = Cells::new(2_000_000);
        assert!(cells.add("a", 1000, 1000).is_ok());
        assert!(cells.add("b", 1000, 1000).is_ok());
        assert!(cells.add("c", 1, 1).is_err(), "all sheets together");
    }
}
