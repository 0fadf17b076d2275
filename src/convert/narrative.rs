//! The 情况说明 of a budget written as .docx or .md.

use super::WriteError;
use super::one_file::write_one;
use crate::edition::Edition;
use crate::model::Budget;
use std::path::{Path, PathBuf};

/// The kinds of 情况说明 `yusuan narrate` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NarrativeFormat {
    /// A Word document.
    Docx,
    /// A Markdown text.
    Markdown,
}

impl NarrativeFormat {
    /// The format a file name asks for by its extension (`.docx`, `.md`), if any.
    pub fn of(path: &Path) -> Option<NarrativeFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "docx" => Some(NarrativeFormat::Docx),
            "md" => Some(NarrativeFormat::Markdown),
            _ => None,
        }
    }
}

/// Writes the 情况说明 of a budget (see [`crate::narrative::narrate`]) to `path`; an existing
/// file is replaced only if yusuan wrote it, and never one of `inputs` (canonical paths, as
/// [`super::Target::inputs`]).
///
/// # Errors
///
/// [`WriteError::Narrative`] when the edition defines no narrative; otherwise as
/// [`super::write_template`].
pub fn write_narrative(
    edition: &Edition,
    budget: &Budget,
    previous: Option<&Budget>,
    path: &Path,
    format: NarrativeFormat,
    inputs: &[PathBuf],
) -> Result<(), WriteError> {
    let composed = crate::narrative::narrate(edition, budget, previous)?;
    let bytes = match format {
        NarrativeFormat::Markdown => crate::write::markdown::markdown(&composed).into_bytes(),
        NarrativeFormat::Docx => {
            let spec = edition
                .narrative
                .as_ref()
                .ok_or_else(|| crate::narrative::NoNarrative(edition.name.clone()))?;
            crate::write::docx::docx(spec, &composed).map_err(|e| WriteError::Io {
                path: path.display().to_string(),
                cause: std::io::Error::other(e),
            })?
        }
    };
    write_one(path, bytes, inputs)
}
