//! What may be replaced: only files on the directory's manifest of what yusuan wrote, never an
//! input, never through a symbolic link.

use super::error::SetError;
use super::error::io;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The manifest of files written by yusuan in an output directory.
pub const MANIFEST: &str = ".yusuan-outputs";

/// Refuses a target that is an input, or an existing file not on the manifest.
pub(super) fn refuse_unsafe(
    target: &Path,
    key: &str,
    manifest: &BTreeSet<String>,
    inputs: &[PathBuf],
) -> Result<(), SetError> {
    let shown = || target.display().to_string();
    if let Ok(real) = std::fs::canonicalize(target)
        && inputs.contains(&real)
    {
        return Err(SetError::Input { path: shown() });
    }
    match std::fs::symlink_metadata(target) {
        Ok(meta) if !meta.is_file() || !manifest.contains(key) => {
            Err(SetError::NotOurs { path: shown() })
        }
        _ => Ok(()),
    }
}

/// Refuses an output whose way from `dir` passes a symbolic link or something that is not a
/// directory (a link put where the subfolder `X/` goes would have the set written into a
/// folder of someone else's).
pub(super) fn no_link_on_the_way(dir: &Path, relative: &Path) -> Result<(), SetError> {
    let mut at = dir.to_path_buf();
    let mut parts = relative.components().peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            break; // the file itself: refuse_unsafe's
        }
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() || !meta.is_dir() => {
                return Err(SetError::NotOurs {
                    path: at.display().to_string(),
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// The manifest's spelling of a relative path: `/`-separated.
pub(super) fn key(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The files yusuan has written in `dir`, as its manifest lists them.
pub(super) fn read_manifest(dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(dir.join(MANIFEST))
        .map(|text| text.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Writes the manifest of `dir` (atomically).
pub(super) fn write_manifest(dir: &Path, manifest: &BTreeSet<String>) -> Result<(), SetError> {
    let mut text = String::new();
    for key in manifest {
        text.push_str(key);
        text.push('\n');
    }
    let path = dir.join(MANIFEST);
    super::super::steps::write_atomic(&path, text.as_bytes()).map_err(io(&path))
}
