//! Which files an input is, and which files yusuan reads.

use super::data;
use crate::base::error::{Location, Problem, ReadError};
use std::path::{Path, PathBuf};

/// The workbook files of an input: the file itself, or the workbooks in a directory (one
/// unit's tables spread over several files), sorted by name; temporary `~$` files skipped.
///
/// # Errors
///
/// A [`ReadError`] when a directory cannot be listed.
pub fn input_files(path: &Path) -> Result<Vec<PathBuf>, ReadError> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let unreadable = |e: std::io::Error| {
        ReadError::new(
            Location::file(path.display().to_string()),
            Problem::Io {
                cause: crate::base::error::io_reason(&e),
            },
        )
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(unreadable)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && is_workbook(p))
        .collect();
    files.sort();
    Ok(files)
}

/// Whether a path names a workbook yusuan reads (and not an office lock file).
pub fn is_workbook(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    !name.starts_with("~$")
        && !name.starts_with(".~lock")
        && matches!(ext.as_deref(), Some("xlsx" | "xlsm" | "xls" | "ods"))
}

/// Whether a path names an input yusuan reads: a workbook, or a data file (`.json` as
/// `convert` writes it, `.csv` in the form of `facts.csv`).
pub fn is_input(path: &Path) -> bool {
    is_workbook(path) || data::is_data(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workbook_names() {
        assert!(is_workbook(Path::new("a/b.XLSX")));
        assert!(is_workbook(Path::new("b.ods")));
        assert!(!is_workbook(Path::new("~$b.xlsx")));
        assert!(!is_workbook(Path::new("b.csv")));
    }
}
