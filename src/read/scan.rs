//! A quick look at a workbook: whose tables it holds (a batch's first pass), and the same
//! look with the workbook read whole while it is open.

use super::lines::Lines;
use super::reading::{Duplicates, Scan, ScanRead};
use super::tables::{Found, find_tables};
use super::workbook::{self, Sheet};
use super::{assemble, data, formula, header};
use crate::base::error::ReadError;
use crate::base::text::split_entity;
use crate::edition::Edition;
use std::path::Path;

/// Looks at a workbook just enough to tell which unit its tables belong to (to group a unit's
/// tables spread over several files): sheets are read one at a time until a table's 单位 line
/// (or, failing that, a projects table's unit cell) names the unit.
///
/// # Errors
///
/// A [`ReadError`] when the workbook cannot be opened or a sheet cannot be read.
pub fn scan_file(edition: &Edition, path: &Path) -> Result<Scan, ReadError> {
    let display = path.display().to_string();
    if data::is_data(path) {
        return data::scan(edition, path, &display);
    }
    let mut book = workbook::open(path, &display)?;
    let names = book.names.clone();
    scan_sheets(edition, names.iter().map(|name| book.sheet(name)))
}

/// The unit of the first sheet with a table's 单位 line, sheets taken in order and no further;
/// failing that, a projects table's unit cell.
fn scan_sheets<S: std::borrow::Borrow<Sheet>>(
    edition: &Edition,
    sheets: impl IntoIterator<Item = Result<S, ReadError>>,
) -> Result<Scan, ReadError> {
    let mut fallback = None;
    for sheet in sheets {
        match scan_sheet(edition, sheet?.borrow()) {
            SheetScan::Unit(scan) => return Ok(scan),
            SheetScan::Projects(code) => fallback = fallback.or(Some(code)),
            SheetScan::Nothing => {}
        }
    }
    Ok(Scan {
        code: fallback,
        name: None,
    })
}

/// What one sheet tells of its unit.
enum SheetScan {
    /// A table's 单位 line.
    Unit(Scan),
    /// No 单位 line, but a projects table's unit cell.
    Projects(String),
    Nothing,
}

fn scan_sheet(edition: &Edition, sheet: &Sheet) -> SheetScan {
    let sheets = std::slice::from_ref(sheet);
    let found = find_tables(edition, sheets);
    for f in &found {
        let to = f.end_row.min(f.lines_from + header::HEADER_SEARCH_ROWS);
        if let Some((_, text, _, _)) = Lines::scan(edition, sheet, f.lines_from, to).entity {
            let (code, name) = edition.split_entity(&text);
            if !code.is_empty() {
                return SheetScan::Unit(Scan {
                    code: Some(code),
                    name: Some(name),
                });
            }
            // An edition that names units by name alone: the name tells whose tables these are.
            if !edition.entity_has_code() && !name.is_empty() {
                return SheetScan::Unit(Scan {
                    code: None,
                    name: Some(name),
                });
            }
        }
    }
    match unit_from_projects_sheet(edition, sheets, &found) {
        Some(code) => SheetScan::Projects(code),
        None => SheetScan::Nothing,
    }
}

/// Scans a workbook and reads it as a unit of its own (named `input`, a table found twice
/// handled as `duplicates` says), opening it once: a batch's first pass, where most units are
/// one file each. The scan is exactly [`scan_file`]'s, made from the sheets as saved.
pub fn scan_and_read_file(
    edition: &Edition,
    path: &Path,
    input: &str,
    duplicates: Duplicates,
) -> ScanRead {
    let display = path.display().to_string();
    if data::is_data(path) {
        return ScanRead {
            scan: scan_file(edition, path),
            reading: None,
        };
    }
    let Ok((mut sheets, uncached)) = workbook::load_raw(path, &display) else {
        return ScanRead {
            scan: scan_file(edition, path),
            reading: None,
        };
    };
    let scan = scan_sheets(edition, sheets.iter().map(Ok));
    // A reading that fails inside yusuan (a panic) is left to be read again, and reported
    // there as any reading's: the scan stands.
    let reading = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if uncached {
            formula::evaluate_all(&mut sheets);
        }
        assemble::assemble(edition, &[(display, sheets)], input, duplicates)
    }))
    .ok();
    ScanRead { scan, reading }
}

/// Without any 单位 line, the unit code of a projects table's first unit cell.
fn unit_from_projects_sheet(
    edition: &Edition,
    sheets: &[Sheet],
    found: &[Found],
) -> Option<String> {
    let f = found.iter().find(|f| {
        matches!(
            edition.tables[usize::from(f.number) - 1].layout,
            crate::edition::Layout::Projects
        )
    })?;
    let sheet = &sheets[f.sheet];
    (f.header_from..f.end_row).find_map(|r| {
        let text = sheet.get(r, 0).text();
        let (code, _) = split_entity(&text);
        (!code.is_empty() && code.chars().all(|c| c.is_ascii_digit())).then_some(code)
    })
}
