//! Replacing a batch's output directory as a whole, and only when it is safe.
//!
//! Results are written into a hidden staging directory beside the output directory
//! (`.OUT.partial`), marked as a yusuan batch result by a small file (`.yusuan-batch`). At the
//! end the output directory is moved aside (`.OUT.previous`), the staging directory takes its
//! place, and the previous results are removed. Each step is recoverable: a run killed between
//! the two moves finds no `OUT` but a `.OUT.previous` and puts it back; a run killed after the
//! swap finds a `.OUT.previous` beside `OUT` and removes it. The previous result is never
//! deleted before the new one is in place.
//!
//! An existing output directory is replaced only when it is empty or a previous batch result
//! (it has the marker) holding nothing but what that run wrote — the marker lists it: a file or
//! folder the user added to a result (`审核意见.docx`) is never deleted; the run refuses, naming
//! it. A folder is removed marker last, so a run killed while removing one leaves it marked and
//! the next run finishes the removal; `.OUT.previous` is put back in place only when marked.
//! A lock file beside the output (`.OUT.yusuan-lock`, held for the whole run) refuses a second
//! run into the same directory.

use crate::base::output::steps;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The file that marks a directory as a yusuan batch result.
pub const MARKER: &str = ".yusuan-batch";

/// Why a batch's output directory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StagingError {
    /// Another run is writing into the same output directory.
    #[error(
        "另一个 yusuan batch 正在写入输出目录 {path}（进程 {pid}）：请等它结束，或换一个输出目录"
    )]
    Busy {
        /// The output directory.
        path: String,
        /// The running process, as it wrote in the lock file.
        pid: String,
    },
    /// The output directory holds files that are not a batch result.
    #[error("输出目录 {path} 不是空目录，也不是 yusuan 的批量结果：请换一个新目录")]
    NotOurs {
        /// The output directory.
        path: String,
    },
    /// A batch result holds a file or folder that yusuan did not write.
    #[error(
        "{path} 中的 {entry} 不是 yusuan 写的，不会删除：请把它移出后重新运行，或换一个输出目录"
    )]
    UserFiles {
        /// The result directory.
        path: String,
        /// The first entry yusuan did not write, relative to it.
        entry: String,
    },
    /// A file system operation failed.
    #[error("无法写入 {path}：{}", crate::base::error::io_reason(.cause))]
    Io {
        /// The file or directory.
        path: String,
        /// The cause.
        cause: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StagingError + '_ {
    move |cause| StagingError::Io {
        path: path.display().to_string(),
        cause,
    }
}

/// A step of the final swap, after which a test can simulate a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// The previous results have been moved aside.
    MovedAside,
    /// The new results are in place; the previous ones not yet removed.
    Swapped,
}

/// A staging directory for `target`, holding the lock on it.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
    committed: bool,
    _lock: File,
}

fn hidden_sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    target.with_file_name(format!(".{name}.{tag}"))
}

/// Whether a directory may be replaced: empty, or marked as a batch result.
fn replaceable(dir: &Path) -> std::io::Result<bool> {
    Ok(dir.join(MARKER).is_file() || std::fs::read_dir(dir)?.next().is_none())
}

/// Every entry under `dir` (files and folders, links not followed), relative, `/`-separated.
fn entries(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, prefix)) = stack.pop() {
        for entry in std::fs::read_dir(&path)? {
            let entry = entry?;
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type()?.is_dir() {
                stack.push((entry.path(), format!("{name}/")));
            }
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

/// The first entry of a marked result that its marker does not list (`None`: all are ours, or
/// the marker is of an older version that listed nothing).
fn unlisted(dir: &Path) -> std::io::Result<Option<String>> {
    let marker = std::fs::read_to_string(dir.join(MARKER)).unwrap_or_default();
    let mut lines = marker.lines();
    if lines.next() != Some(MARKER_FIRST_LINE) || !marker.contains(LISTED) {
        return Ok(None);
    }
    let listed: std::collections::HashSet<&str> = lines.filter(|l| *l != LISTED).collect();
    Ok(entries(dir)?
        .into_iter()
        .find(|e| e != MARKER && !listed.contains(e.as_str())))
}

/// Removes a marked folder, its marker last: a run killed halfway leaves it marked, and the
/// next run finishes the removal.
fn remove_marked(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            steps::remove_dir_all(entry.path())?;
        } else {
            steps::remove_file(entry.path())?;
        }
    }
    match steps::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    steps::remove_dir(dir)
}

/// The first line of the marker; the listing of what the run wrote follows the second.
const MARKER_FIRST_LINE: &str = "yusuan batch";
/// The line before the listing.
const LISTED: &str = "written:";

impl Staging {
    /// Takes the lock on `target`, recovers what an interrupted run left, checks that `target`
    /// may be replaced, and starts a staging directory.
    ///
    /// # Errors
    ///
    /// [`StagingError::Busy`] when another run holds the lock, [`StagingError::NotOurs`] when
    /// `target` holds someone else's files, [`StagingError::Io`] otherwise.
    pub fn begin(target: &Path) -> Result<Staging, StagingError> {
        let target = std::path::absolute(target).map_err(io(target))?;
        if let Some(parent) = target.parent() {
            steps::create_dir_all(parent).map_err(io(parent))?;
        }
        let not_ours = || StagingError::NotOurs {
            path: target.display().to_string(),
        };
        let foreign = |t: &Path| -> Result<bool, StagingError> {
            Ok(match std::fs::symlink_metadata(t) {
                Ok(meta) if !meta.is_dir() => true,
                Ok(_) => !replaceable(t).map_err(io(t))?,
                Err(_) => false,
            })
        };
        // Refused before anything is created beside it; checked again under the lock.
        if foreign(&target)? && !hidden_sibling(&target, "previous").is_dir() {
            return Err(not_ours());
        }
        let lock = lock(&target)?;
        let staging = hidden_sibling(&target, "partial");
        let previous = hidden_sibling(&target, "previous");
        // Killed between the two moves: the previous results, marked, are put back.
        if previous.join(MARKER).is_file() && !target.exists() {
            steps::rename(&previous, &target).map_err(io(&previous))?;
        }
        for stale in [&previous, &staging] {
            if stale.is_dir() {
                let empty = std::fs::read_dir(stale)
                    .map_err(io(stale))?
                    .next()
                    .is_none();
                if empty {
                    // A run killed between making its staging folder and marking it: nothing
                    // in it to lose.
                    steps::remove_dir(stale).map_err(io(stale))?;
                    continue;
                }
                if !stale.join(MARKER).is_file() {
                    // A folder of that name that yusuan did not make: left alone, and named.
                    return Err(StagingError::UserFiles {
                        path: stale
                            .parent()
                            .unwrap_or(Path::new("."))
                            .display()
                            .to_string(),
                        entry: stale
                            .file_name()
                            .unwrap_or_default()
                            .to_string_lossy()
                            .into_owned(),
                    });
                }
                remove_marked(stale).map_err(io(stale))?;
            }
        }
        if foreign(&target)? {
            return Err(not_ours());
        }
        if target.join(MARKER).is_file()
            && let Some(entry) = unlisted(&target).map_err(io(&target))?
        {
            return Err(StagingError::UserFiles {
                path: target.display().to_string(),
                entry,
            });
        }
        steps::create_dir_all(&staging).map_err(io(&staging))?;
        let marker = staging.join(MARKER);
        steps::write(&marker, format!("{MARKER_FIRST_LINE}\n")).map_err(io(&marker))?;
        Ok(Staging {
            target,
            staging,
            previous,
            committed: false,
            _lock: lock,
        })
    }

    /// Where to write.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Puts the staged results in the target's place.
    ///
    /// # Errors
    ///
    /// When a move fails; the next run recovers.
    pub fn commit(self) -> Result<(), StagingError> {
        self.commit_with(|_| Ok(()))
    }

    /// [`Staging::commit`], calling `after` after each step (a test stops there to simulate a
    /// crash).
    pub(crate) fn commit_with(
        mut self,
        mut after: impl FnMut(Step) -> std::io::Result<()>,
    ) -> Result<(), StagingError> {
        // The marker lists what this run wrote: what is not on it later is the user's.
        let written = entries(&self.staging).map_err(io(&self.staging))?;
        let mut marker = format!("{MARKER_FIRST_LINE}\n{LISTED}\n");
        for e in written.iter().filter(|e| *e != MARKER) {
            marker.push_str(e);
            marker.push('\n');
        }
        let marker_path = self.staging.join(MARKER);
        steps::write(&marker_path, marker).map_err(io(&marker_path))?;
        self.committed = true;
        let io_at = |p: &Path| {
            let p = p.to_path_buf();
            move |cause| StagingError::Io {
                path: p.display().to_string(),
                cause,
            }
        };
        if self.target.exists() {
            steps::rename(&self.target, &self.previous).map_err(io_at(&self.target))?;
            after(Step::MovedAside).map_err(io_at(&self.target))?;
        }
        steps::rename(&self.staging, &self.target).map_err(io_at(&self.staging))?;
        after(Step::Swapped).map_err(io_at(&self.target))?;
        if self.previous.exists() {
            remove_marked(&self.previous).map_err(io_at(&self.previous))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    /// A run that ends without committing removes its staging directory.
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_marked(&self.staging);
        }
    }
}

/// Takes the lock of `target`, writing this process's id into the lock file.
fn lock(target: &Path) -> Result<File, StagingError> {
    let path = hidden_sibling(target, "yusuan-lock");
    let mut file = File::options()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(io(&path))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            return Err(StagingError::Busy {
                path: target.display().to_string(),
                pid: pid.trim().to_owned(),
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(&path)(e)),
    }
    file.set_len(0).map_err(io(&path))?;
    write!(file, "{}", std::process::id()).map_err(io(&path))?;
    Ok(file)
}

/// The budgets of a batch result: each unit folder's canonical JSON (its workbook when the run
/// wrote no JSON), in folder order; `None` when `dir` is not a batch result (no marker).
///
/// # Errors
///
/// When the result cannot be listed.
pub fn result_budgets(dir: &Path) -> std::io::Result<Option<Vec<PathBuf>>> {
    if !dir.join(MARKER).is_file() {
        return Ok(None);
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let folder = dir.join(&name);
        let budget = ["json", "xlsx"]
            .iter()
            .map(|ext| folder.join(format!("{name}.{ext}")))
            .find(|p| p.is_file());
        out.extend(budget);
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests;
