//! The reader: workbooks in the edition's layout (found by title and header text, not by cell
//! position) into the canonical model.

mod assemble;
mod data;
mod document;
mod draft;
mod formula;
mod guard;
mod header;
mod inputs;
mod lines;
mod reading;
mod rows;
mod scan;
mod tables;
mod text_sheets;
pub(crate) mod workbook;

pub use document::{Document, Paragraph, is_document, read_document};
pub use draft::draft_file;
pub use inputs::{input_files, is_input, is_workbook};
pub(crate) use reading::ScanRead;
pub use reading::{Duplicate, Duplicates, Reading, Scan};
pub(crate) use scan::{scan_and_read_file, scan_file};

use crate::base::error::{Location, Problem, ReadError};
use crate::edition::Edition;
use std::path::{Path, PathBuf};

/// Reads one input (a workbook, or a directory of one unit's workbooks) into a budget.
///
/// # Errors
///
/// A [`ReadError`] naming the file, sheet and cell of what could not be read.
///
/// ```
/// use yusuan::edition::Edition;
///
/// let edition = Edition::builtin();
/// let sample = "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx";
/// let reading = yusuan::read::read_input(&edition, sample.as_ref())?;
/// assert_eq!(reading.budget.code, "313603");
/// assert_eq!(reading.budget.tables.len(), 13);
///
/// let err = yusuan::read::read_input(&edition, "Cargo.toml".as_ref()).unwrap_err();
/// assert!(err.to_string().contains("不支持的文件类型"));
/// # Ok::<(), yusuan::error::ReadError>(())
/// ```
pub fn read_input(edition: &Edition, path: &Path) -> Result<Reading, ReadError> {
    let files = input_files(path)?;
    read_files(
        edition,
        &files,
        &path.display().to_string(),
        Duplicates::Error,
    )
}

/// Reads one unit's tables from several workbooks into a budget; `input` names them together
/// in messages. A table found in two files is handled as `duplicates` says (for
/// [`Duplicates::Newest`], give the newest file first).
///
/// # Errors
///
/// A [`ReadError`] naming the file, sheet and cell of what could not be read.
pub fn read_files(
    edition: &Edition,
    files: &[PathBuf],
    input: &str,
    duplicates: Duplicates,
) -> Result<Reading, ReadError> {
    if files.is_empty() {
        return Err(ReadError::new(Location::file(input), Problem::NoWorkbooks));
    }
    if let [file] = files
        && data::is_data(file)
    {
        return data::read(edition, file, &file.display().to_string());
    }
    let mut loaded = Vec::with_capacity(files.len());
    for f in files {
        let display = f.display().to_string();
        loaded.push((display.clone(), formula::load(f, &display)?));
    }
    assemble::assemble(edition, &loaded, input, duplicates)
}

/// The first sheet of a workbook as rows of text (a list a person keeps: units and their
/// codes), read as safely as a budget is: the workbook inspected before it is opened.
///
/// # Errors
///
/// A [`ReadError`] naming the file when it cannot be read.
pub fn first_sheet_rows(path: &Path) -> Result<Vec<Vec<String>>, ReadError> {
    let mut book = workbook::open(path, &path.display().to_string())?;
    let Some(name) = book.names.first().cloned() else {
        return Ok(Vec::new());
    };
    let sheet = book.sheet(&name)?;
    Ok(sheet
        .cells
        .iter()
        .map(|row| row.iter().map(workbook::Value::text).collect())
        .collect())
}
