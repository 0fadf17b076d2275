//! The files a command was given, which no output may replace.

use std::path::PathBuf;

/// The canonical paths of the files of every input: no output may replace one.
pub(crate) fn input_paths(inputs: &[PathBuf]) -> Vec<PathBuf> {
    inputs
        .iter()
        .flat_map(|i| yusuan::read::input_files(i).unwrap_or_else(|_| vec![i.clone()]))
        .filter_map(|f| std::fs::canonicalize(f).ok())
        .collect()
}
