//! Parts of the command line kept out of `main.rs`.

pub mod args;
pub mod chinese;
pub mod console;
pub mod merge;
pub mod narrate;
pub mod progress;

use std::path::PathBuf;

/// The canonical paths of the files of every input: no output may replace one.
pub(crate) fn input_paths(inputs: &[PathBuf]) -> Vec<PathBuf> {
    inputs
        .iter()
        .flat_map(|i| yusuan::read::input_files(i).unwrap_or_else(|_| vec![i.clone()]))
        .filter_map(|f| std::fs::canonicalize(f).ok())
        .collect()
}
