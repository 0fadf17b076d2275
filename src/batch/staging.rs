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
//! (it has the marker): a folder of the user's own files is refused. A lock file beside it
//! (`.OUT.yusuan-lock`, held for the whole run) refuses a second run into the same directory.

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
    /// A file system operation failed.
    #[error("无法写入 {path}：{source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StagingError + '_ {
    move |source| StagingError::Io {
        path: path.display().to_string(),
        source,
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
            std::fs::create_dir_all(parent).map_err(io(parent))?;
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
        // Killed between the two moves: the previous results are put back.
        if previous.is_dir() && !target.exists() {
            std::fs::rename(&previous, &target).map_err(io(&previous))?;
        }
        for stale in [&previous, &staging] {
            if stale.is_dir() {
                if !replaceable(stale).map_err(io(stale))? {
                    return Err(StagingError::NotOurs {
                        path: stale.display().to_string(),
                    });
                }
                std::fs::remove_dir_all(stale).map_err(io(stale))?;
            }
        }
        if foreign(&target)? {
            return Err(not_ours());
        }
        std::fs::create_dir_all(&staging).map_err(io(&staging))?;
        let marker = staging.join(MARKER);
        std::fs::write(&marker, "yusuan batch\n").map_err(io(&marker))?;
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
        self.committed = true;
        let io_at = |p: &Path| {
            let p = p.to_path_buf();
            move |source| StagingError::Io {
                path: p.display().to_string(),
                source,
            }
        };
        if self.target.exists() {
            std::fs::rename(&self.target, &self.previous).map_err(io_at(&self.target))?;
            after(Step::MovedAside).map_err(io_at(&self.target))?;
        }
        std::fs::rename(&self.staging, &self.target).map_err(io_at(&self.staging))?;
        after(Step::Swapped).map_err(io_at(&self.target))?;
        if self.previous.exists() {
            std::fs::remove_dir_all(&self.previous).map_err(io_at(&self.previous))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    /// A run that ends without committing removes its staging directory.
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_the_whole_directory() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let s = Staging::begin(&out).unwrap();
        std::fs::create_dir_all(s.path().join("old-unit")).unwrap();
        s.commit().unwrap();
        let s = Staging::begin(&out).unwrap();
        std::fs::write(s.path().join("new.txt"), "x").unwrap();
        assert!(
            out.join("old-unit").exists(),
            "the old results stay until the commit"
        );
        s.commit().unwrap();
        assert!(out.join("new.txt").exists());
        assert!(!out.join("old-unit").exists());
        assert_eq!(names(dir.path()), [".out.yusuan-lock", "out"]);
    }

    #[test]
    fn an_interrupted_run_is_cleaned_up_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        // What a run killed while converting leaves: a marked, half-filled staging directory.
        let partial = dir.path().join(".out.partial");
        std::fs::create_dir_all(&partial).unwrap();
        std::fs::write(partial.join(MARKER), "").unwrap();
        std::fs::write(partial.join("half.txt"), "x").unwrap();
        let s = Staging::begin(&out).unwrap();
        assert!(!s.path().join("half.txt").exists());
        s.commit().unwrap();
        assert!(out.exists());
    }

    #[test]
    fn a_crash_at_each_step_of_the_swap_loses_nothing() {
        for crash in [Step::MovedAside, Step::Swapped] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("out");
            let s = Staging::begin(&out).unwrap();
            std::fs::write(s.path().join("result"), "old").unwrap();
            s.commit().unwrap();
            let s = Staging::begin(&out).unwrap();
            std::fs::write(s.path().join("result"), "new").unwrap();
            let died = s.commit_with(|step| {
                if step == crash {
                    Err(std::io::Error::other("killed"))
                } else {
                    Ok(())
                }
            });
            assert!(died.is_err());
            // The next run recovers before anything else.
            let s = Staging::begin(&out).unwrap();
            let expected = if crash == Step::MovedAside {
                "old"
            } else {
                "new"
            };
            assert_eq!(
                std::fs::read_to_string(out.join("result")).unwrap(),
                expected,
                "after a crash at {crash:?}"
            );
            drop(s);
            assert_eq!(names(dir.path()), [".out.yusuan-lock", "out"], "{crash:?}");
        }
    }

    #[test]
    fn refuses_a_folder_of_other_files_and_a_second_run() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        assert!(matches!(
            Staging::begin(&out),
            Err(StagingError::NotOurs { .. })
        ));
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine"
        );
        let other = dir.path().join("other");
        let first = Staging::begin(&other).unwrap();
        let second = Staging::begin(&other);
        assert!(
            matches!(&second, Err(StagingError::Busy { pid, .. }) if *pid == std::process::id().to_string()),
            "{second:?}"
        );
        drop(first);
        assert!(Staging::begin(&other).is_ok());
    }
}
