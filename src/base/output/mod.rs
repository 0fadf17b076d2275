//! Writing output files atomically: a temporary file in the target directory, then a rename,
//! so a reader never sees half a file and an interrupted run leaves the old file in place.

pub mod place;
pub(crate) mod set;

pub use set::SetError;
pub(crate) mod steps;

use std::io::Write;
use std::path::Path;

/// How output files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Each file through a temporary file and a rename: readers never see half a file.
    Atomic,
    /// Straight into place: for a staging directory that is itself swapped in whole.
    Direct,
}

/// Writes `bytes` to `path` as `mode` says, creating the parent directory if needed.
///
/// # Errors
///
/// When the directory cannot be made or the file cannot be written.
pub(crate) fn write_file(path: &Path, bytes: &[u8], mode: WriteMode) -> std::io::Result<()> {
    match mode {
        WriteMode::Atomic => write_atomic(path, bytes),
        WriteMode::Direct => create_file(path)?.write_all(bytes),
    }
}

/// Creates (or truncates) the file at `path`, making its directory on the first file written
/// into it.
///
/// # Errors
///
/// When the directory cannot be made or the file cannot be created.
pub(crate) fn create_file(path: &Path) -> std::io::Result<std::fs::File> {
    match std::fs::File::create(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::File::create(path)
        }
        other => other,
    }
}

/// Writes `bytes` to `path` atomically, creating the parent directory if needed.
///
/// # Errors
///
/// When the directory cannot be made or the file cannot be written; `path` is then untouched.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".yusuan-").suffix(".tmp");
    // Outputs are ordinary files for their readers, not private temporaries (0600).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("out.csv");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.csv")]);
    }
}
