//! The inputs of a batch: every workbook, data file and narrative under a directory.

use crate::read::{is_document, is_input};
use std::path::{Path, PathBuf};

/// The inputs found under a directory.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Discovered {
    /// Workbooks and data files, sorted.
    pub workbooks: Vec<PathBuf>,
    /// Narratives (`.docx`, `.txt`, `.md`), sorted.
    pub narratives: Vec<PathBuf>,
}

/// Every workbook and narrative under `dir`, recursively; office lock files and hidden files
/// skipped. Symbolic links to directories are not followed (a link to `.` would loop), and a
/// file reached twice (through a link to it) is counted once.
///
/// # Errors
///
/// When a directory cannot be listed.
pub fn discover(dir: &Path) -> std::io::Result<Discovered> {
    let mut found = Discovered::default();
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(path);
            } else if (is_input(&path) || is_document(&path))
                && path.is_file()
                && seen.insert(std::fs::canonicalize(&path)?)
            {
                match is_document(&path) {
                    true => found.narratives.push(path),
                    false => found.workbooks.push(path),
                }
            }
        }
    }
    found.workbooks.sort();
    found.narratives.sort();
    Ok(found)
}

/// A path as shown in a batch's reports: relative to the input directory.
pub(super) fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir).unwrap_or(path).display().to_string()
}
