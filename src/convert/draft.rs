//! `yusuan edition draft`: a draft edition TOML from a blank template workbook.

use super::error::WriteError;
use super::one_file::write_one;
use crate::edition::{Draft, Edition};
use std::path::Path;

/// Writes `draft` as an edition TOML at `path` (the functional classes and wording of
/// `base`, to adapt), replacing only a file yusuan wrote; `template` is the workbook it was
/// drafted from, never overwritten.
///
/// # Errors
///
/// A [`WriteError`] when the file cannot be written, or `path` is not yusuan's to replace.
pub fn write_draft(
    base: &Edition,
    draft: &Draft,
    template: &Path,
    path: &Path,
) -> Result<(), WriteError> {
    let text = draft.to_toml(base);
    write_one(path, text.into_bytes(), &[template.to_path_buf()])
}
