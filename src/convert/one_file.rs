//! One output written as a set of its own (the template, a 情况说明).

use super::WriteError;
use crate::base::output::set::{Output, write_set};
use std::path::{Path, PathBuf};

/// Writes one file as a set of its own: replaced atomically, and only if yusuan wrote it;
/// never onto one of `inputs` (canonical paths, as [`Target::inputs`]).
pub(super) fn write_one(path: &Path, bytes: Vec<u8>, inputs: &[PathBuf]) -> Result<(), WriteError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or(path.as_os_str());
    let stem = name.to_string_lossy();
    let output = Output {
        relative: name.into(),
        bytes,
    };
    write_set(dir, &stem, &[output], inputs)?;
    Ok(())
}
