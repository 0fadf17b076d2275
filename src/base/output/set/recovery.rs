//! Finishing a replacement: a ready staging folder moved into place — now, or by the next run
//! after a process was killed during the renames; an unready one (killed while writing)
//! removed.

use super::error::{SetError, io};
use super::safety::no_link_on_the_way;
use std::path::{Path, PathBuf};

/// The staging folder suffix; the marker of a staging folder whose files are complete.
pub(super) const STAGING: &str = ".yusuan-new";
pub(super) const READY: &str = ".ready";

/// Moves every file of a ready staging folder into place, then removes the folder.
pub(super) fn finish(dir: &Path, staging: &Path) -> Result<(), SetError> {
    let mut files = Vec::new();
    collect(staging, staging, &mut files).map_err(io(staging))?;
    for relative in files {
        no_link_on_the_way(dir, &relative)?;
        let target = dir.join(&relative);
        if let Some(parent) = target.parent() {
            super::super::steps::create_dir_all(parent).map_err(io(parent))?;
        }
        super::super::steps::rename(staging.join(&relative), &target).map_err(io(&target))?;
    }
    super::super::steps::remove_dir_all(staging).map_err(io(staging))
}

/// The files under `root` (relative to `base`), the ready marker left out.
pub(super) fn collect(base: &Path, root: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(base, &path, out)?;
        } else if path != base.join(READY) {
            out.push(path.strip_prefix(base).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}

/// Completes or discards what an interrupted run left in `dir`: ready staging folders are moved
/// in, unready ones removed.
pub(super) fn recover(dir: &Path) -> Result<(), SetError> {
    let entries = std::fs::read_dir(dir).map_err(io(dir))?;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with('.') && name.ends_with(STAGING)) {
            continue;
        }
        let staging = entry.path();
        if staging.join(READY).exists() {
            finish(dir, &staging)?;
        } else {
            super::super::steps::remove_dir_all(&staging).map_err(io(&staging))?;
        }
    }
    Ok(())
}
