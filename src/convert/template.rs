//! The fillable template workbook of an edition, written as a file of its own.

use super::WriteError;
use super::one_file::write_one;
use crate::edition::Edition;
use crate::model::Budget;
use crate::render::{self, Purpose};
use crate::write::xlsx;
use std::path::Path;

/// Writes the fillable template of an edition for the budget `year` (`blank_rows` empty input
/// rows per table, after the rows of `prefill` when given); an existing file is replaced only
/// if yusuan wrote it.
///
/// # Errors
///
/// [`WriteError`] when the workbook cannot be built or written, or `path` is someone else's
/// file.
pub fn write_template(
    edition: &Edition,
    path: &Path,
    year: u16,
    prefill: Option<&Budget>,
    blank_rows: usize,
) -> Result<(), WriteError> {
    let budget = Budget {
        year,
        ..Budget::blank(edition)
    };
    let rendered = render::render_all(edition, &budget, Purpose::Template);
    let bytes = xlsx::template(edition, &rendered, prefill, blank_rows).map_err(|source| {
        WriteError::Xlsx {
            path: path.display().to_string(),
            source,
        }
    })?;
    write_one(path, bytes, &[])
}
