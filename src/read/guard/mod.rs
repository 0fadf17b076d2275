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
mod xml;

use std::ops::ControlFlow;
use xml::{Tag, for_each_tag};

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

/// The number of strings a shared-strings part declares (`uniqueCount` of its `sst` element,
/// which the parser reserves room for), wherever the element starts. Its `count` is the number
/// of string cells of the workbook, larger than the strings whenever a text repeats: no bound.
fn declared_strings(entry: impl Read, cap: u64) -> std::io::Result<Option<u64>> {
    let mut declared = None;
    for_each_tag(entry, cap, |tag| {
        if tag.local() == b"sst" && !tag.is_end() {
            declared = tag.attr_number(b"uniqueCount");
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    })?;
    Ok(declared)
}

/// Sheet name → part path (`xl/worksheets/sheet1.xml`), from `workbook.xml` and its rels.
fn sheet_parts(workbook: &str, rels: &str) -> Option<HashMap<String, String>> {
    let mut targets = HashMap::new();
    for_each_tag(rels.as_bytes(), u64::MAX >> 1, |tag| {
        if tag.local() == b"Relationship"
            && let (Some(id), Some(target)) = (tag.attr_text(b"Id"), tag.attr_text(b"Target"))
        {
            targets.insert(id, target);
        }
        ControlFlow::Continue(())
    })
    .ok()?;
    let mut parts = HashMap::new();
    let mut complete = true;
    for_each_tag(workbook.as_bytes(), u64::MAX >> 1, |tag| {
        if tag.local() == b"sheet" && !tag.is_end() {
            // The relationship id is `r:id`, whatever its namespace prefix.
            let found = tag
                .attr_text(b"name")
                .zip(tag.attr_text(b"id").and_then(|id| targets.get(&id)));
            let Some((name, target)) = found else {
                complete = false;
                return ControlFlow::Break(());
            };
            let part = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_owned(),
                None => format!("xl/{target}"),
            };
            parts.insert(name, part);
        }
        ControlFlow::Continue(())
    })
    .ok()?;
    complete.then_some(parts)
}

/// What streaming through a sheet's XML found.
#[derive(Debug, Default, PartialEq)]
struct Extent {
    /// Rows from 1 to the last non-empty cell.
    rows: u64,
    /// Columns from A to the last non-empty cell.
    cols: u64,
    /// The merged ranges (`<mergeCell ref="A1:D1"/>`), 0-based.
    merges: Vec<Rect>,
    /// The current row (1-based; 0 before the first).
    row: u64,
    /// The column of the previous cell in the current row (1-based; 0 before the first).
    col: u64,
    /// Inside a cell: whether it has a formula (`<f>`) and a value (`<v>`) so far.
    cell: Option<(bool, bool)>,
    /// Whether some cell has a formula and no value (saved without results).
    uncached: bool,
}

/// The extent of a sheet from A1 to its last non-empty cell, and its merged ranges, reading at
/// most `cap` decompressed bytes. A cell is non-empty unless it is an empty-element tag
/// (`<c r="X9" s="1"/>`, a formatted blank); it stands where its `r` says, or after the
/// previous cell (in the row after the previous row) when `r` is missing.
fn cell_extent(entry: impl Read, cap: u64) -> std::io::Result<Extent> {
    let mut extent = Extent::default();
    for_each_tag(entry, cap, |tag| {
        extent.note(tag);
        ControlFlow::Continue(())
    })?;
    Ok(extent)
}

impl Extent {
    /// Takes note of one tag.
    fn note(&mut self, tag: Tag<'_>) {
        if tag.is_end() {
            match tag.local() {
                // `<v>…</v>` with text: a value (`<v/>` and `<v></v>` are none).
                b"v" if tag.after_text() => {
                    if let Some(cell) = &mut self.cell {
                        cell.1 = true;
                    }
                }
                b"c" => {
                    if let Some((true, false)) = self.cell.take() {
                        self.uncached = true;
                    }
                }
                _ => {}
            }
            return;
        }
        match tag.local() {
            b"f" => {
                if let Some(cell) = &mut self.cell {
                    cell.0 = true;
                }
            }

            b"row" => {
                self.row = tag
                    .attr_number(b"r")
                    .unwrap_or_else(|| self.row.saturating_add(1));
                self.col = 0;
            }
            b"c" => {
                let (row, col) = tag
                    .attr(b"r")
                    .and_then(|r| cell_ref(r.as_bytes()))
                    .unwrap_or((self.row.max(1), self.col.saturating_add(1)));
                (self.row, self.col) = (row, col);
                if !tag.is_empty() {
                    self.rows = self.rows.max(row);
                    self.cols = self.cols.max(col);
                    self.cell = Some((false, false));
                }
            }
            b"mergeCell" => {
                if let Some(rect) = tag.attr_text(b"ref").and_then(|r| range_ref(&r)) {
                    self.merges.push(rect);
                }
            }
            _ => {}
        }
    }
}

/// A 0-based rectangle of an `A1:D3` reference.
fn range_ref(text: &str) -> Option<Rect> {
    let (a, b) = text.split_once(':')?;
    let (r1, c1) = cell_ref(a.as_bytes())?;
    let (r2, c2) = cell_ref(b.as_bytes())?;
    let index = |v: u64| usize::try_from(v.checked_sub(1)?).ok();
    Some(Rect {
        first_row: index(r1)?,
        first_col: index(c1)?,
        last_row: index(r2)?,
        last_col: index(c2)?,
    })
}

/// The 1-based (row, column) of a cell reference such as `B12` or `$B$12`, saturating on
/// absurd sizes (`A99999999999999999999`).
fn cell_ref(value: &[u8]) -> Option<(u64, u64)> {
    let value: Vec<u8> = value
        .iter()
        .copied()
        .filter(|b| *b != b'$' && !b.is_ascii_whitespace())
        .collect();
    let letters = value.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 {
        return None;
    }
    let col = crate::base::a1::column_number(&value[..letters]);
    let row = xml::digits(&value[letters..])?;
    Some((row, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extent_of_non_empty_cells() {
        let xml = br#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" s="2"/></row>
            <row r="12"><c r="B12"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>"#;
        let e = cell_extent(&xml[..], 1 << 20).unwrap();
        assert_eq!((e.rows, e.cols), (12, 2));
        let far = br#"<c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c>"#;
        let e = cell_extent(&far[..], 1 << 20).unwrap();
        assert_eq!((e.rows, e.cols), (1_048_576, 16_384));
    }

    #[test]
    fn extent_across_chunk_boundaries() {
        let mut xml = Vec::new();
        for r in 1..=5000 {
            xml.extend_from_slice(
                format!("<row r=\"{r}\"><c r=\"AB{r}\" t=\"n\"><v>{r}</v></c></row>").as_bytes(),
            );
        }
        let e = cell_extent(&xml[..], 1 << 30).unwrap();
        assert_eq!((e.rows, e.cols, e.merges.len()), (5000, 28, 0));
        assert!(cell_extent(&xml[..], 1000).is_err());
    }

    #[test]
    fn merges_and_sheet_parts() {
        let xml = br#"<sheetData/><mergeCells count="2"><mergeCell ref="A1:D1"/><mergeCell ref="B4:B6"/></mergeCells>"#;
        let e = cell_extent(&xml[..], 1 << 20).unwrap();
        assert_eq!(
            e.merges[1],
            Rect {
                first_row: 3,
                first_col: 1,
                last_row: 5,
                last_col: 1
            }
        );
        let workbook = r#"<sheets><sheet name="表1 &amp; 注" sheetId="1" r:id="rId2"/><sheet name="Sheet2" sheetId="2" ns:id="rId3"/></sheets>"#;
        let rels = r#"<Relationship Id="rId2" Type="x" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="x" Target="/xl/worksheets/s2.xml"/>"#;
        let parts = sheet_parts(workbook, rels).unwrap();
        assert_eq!(parts["表1 & 注"], "xl/worksheets/sheet1.xml");
        assert_eq!(parts["Sheet2"], "xl/worksheets/s2.xml");
    }

    #[test]
    fn cells_without_references_and_in_any_spelling() {
        let e = cell_extent(&br#"<row r="1048576"><c><v>1</v></c></row>"#[..], 1 << 20).unwrap();
        assert_eq!((e.rows, e.cols), (1_048_576, 1));
        let e = cell_extent(
            &b"<x:row><x:c\nr='XFD3'><x:v>1</x:v></x:c><x:c><x:v>2</x:v></x:c></x:row>"[..],
            1 << 20,
        )
        .unwrap();
        assert_eq!((e.rows, e.cols), (3, 16_385));
        let e = cell_extent(
            &br#"<c r = "A99999999999999999999"><v>1</v></c>"#[..],
            1 << 20,
        )
        .unwrap();
        assert_eq!(e.rows, u64::MAX);
        let mut cells = Cells::new(2_000_000);
        assert!(cells.add("a", 1000, 1000).is_ok());
        assert!(cells.add("b", 1000, 1000).is_ok());
        assert!(cells.add("c", 1, 1).is_err(), "all sheets together");
    }

    #[test]
    fn declared_strings_anywhere() {
        let mut xml = b"<?xml version='1.0'?>".to_vec();
        xml.extend(std::iter::repeat_n(b' ', 10_000));
        xml.extend(b"<x:sst xmlns:x='m' uniqueCount='4000000000' count='1'><x:si/></x:sst>");
        assert_eq!(
            declared_strings(&xml[..], 1 << 20).unwrap(),
            Some(4_000_000_000)
        );
        let cells = b"<sst count='4000000000' uniqueCount='2'><si/><si/></sst>";
        assert_eq!(declared_strings(&cells[..], 1 << 20).unwrap(), Some(2));
        assert_eq!(declared_strings(&b"<sst>"[..], 1 << 20).unwrap(), None);
    }
}
