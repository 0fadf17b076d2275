//! Replacing one input's outputs as a set, and never a file yusuan did not write.
//!
//! The files of a set (`X.xlsx`, `X.json`, `X/…csv`) are first written whole into a hidden
//! staging folder inside the output directory (`.X.yusuan-new/`). Only when every file is
//! there is the folder marked ready and each file renamed into place; a failure before that
//! (a full disk, a killed process) leaves the previous outputs untouched, and the next run into
//! the directory removes the unready folder. A process killed during the renames leaves a ready
//! folder, which the next run finishes moving in. So, once the next run has started, a set is
//! all old or all new.
//!
//! A hidden manifest (`.yusuan-outputs`) lists the files yusuan has written in the directory:
//! an existing file that is not on it is someone else's, and is never replaced. A lock file
//! (`.yusuan.lock`) makes concurrent runs into one directory take turns.

mod error;
mod recovery;
mod safety;

pub use error::SetError;

use error::io;
use recovery::{READY, STAGING, finish, recover};
use safety::{key, no_link_on_the_way, read_manifest, refuse_unsafe, write_manifest};
use std::collections::BTreeSet;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The lock file of an output directory.
pub const LOCK: &str = ".yusuan.lock";

/// One file of a set: its path relative to the output directory, and its bytes.
#[derive(Debug, Clone)]
pub struct Output {
    /// Relative path, e.g. `X.xlsx` or `X/facts.csv`.
    pub relative: PathBuf,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Writes `outputs` into `dir` as one set named `stem` (see the module documentation); none of
/// them may land on a path of `inputs` (canonical paths). Returns the files written.
///
/// # Errors
///
/// [`SetError::NotOurs`] or [`SetError::Input`] before anything is written, when an output
/// would replace a file yusuan did not write or an input; [`SetError::Io`] when writing fails
/// (the previous outputs are then untouched).
pub fn write_set(
    dir: &Path,
    stem: &str,
    outputs: &[Output],
    inputs: &[PathBuf],
) -> Result<Vec<PathBuf>, SetError> {
    let relatives: Vec<PathBuf> = outputs.iter().map(|o| o.relative.clone()).collect();
    let mut set = SetWriter::open(dir, stem, &relatives, inputs)?;
    for output in outputs {
        set.put(&output.relative, &output.bytes)?;
    }
    set.commit()
}

/// A set of outputs written one file at a time, so that no more than one of them need be in
/// memory: opened with the paths it will hold (all checked before anything is created), each
/// file staged as soon as it is made, then committed. Dropped before [`SetWriter::commit`] (an
/// output that could not be made), its staging folder is removed and the previous outputs stay
/// as they were. The directory's lock is held from opening to committing.
#[derive(Debug)]
pub struct SetWriter<'a> {
    dir: &'a Path,
    inputs: &'a [PathBuf],
    staging: PathBuf,
    manifest: BTreeSet<String>,
    /// The files put so far.
    staged: Vec<PathBuf>,
    /// Held until the set is committed or dropped.
    _lock: File,
    committed: bool,
}

impl<'a> SetWriter<'a> {
    /// Opens the set `stem` in `dir` for the files `relatives`; none may land on a path of
    /// `inputs` (canonical paths).
    ///
    /// # Errors
    ///
    /// As [`write_set`]: [`SetError::NotOurs`] or [`SetError::Input`] before anything is
    /// created, [`SetError::Io`] when the directory, its lock or the staging folder cannot be
    /// made.
    pub fn open(
        dir: &'a Path,
        stem: &str,
        relatives: &[PathBuf],
        inputs: &'a [PathBuf],
    ) -> Result<SetWriter<'a>, SetError> {
        // Refused before anything is created; checked again under the lock.
        let check = |manifest: &BTreeSet<String>| {
            relatives.iter().try_for_each(|relative| {
                no_link_on_the_way(dir, relative)?;
                refuse_unsafe(&dir.join(relative), &key(relative), manifest, inputs)
            })
        };
        check(&read_manifest(dir))?;
        super::steps::create_dir_all(dir).map_err(io(dir))?;
        let lock_path = dir.join(LOCK);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        lock.lock().map_err(io(&lock_path))?;
        recover(dir)?;
        let manifest = read_manifest(dir);
        check(&manifest)?;
        let staging = dir.join(format!(".{stem}{STAGING}"));
        if staging.exists() {
            super::steps::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        super::steps::create_dir(&staging).map_err(io(&staging))?;
        Ok(SetWriter {
            dir,
            inputs,
            staging,
            manifest,
            staged: Vec::new(),
            _lock: lock,
            committed: false,
        })
    }

    /// Stages one file of the set.
    ///
    /// # Errors
    ///
    /// [`SetError::Io`] when it cannot be written; [`SetError::NotOurs`] or
    /// [`SetError::Input`] for a path not given when opening that would replace someone
    /// else's file or an input.
    pub fn put(&mut self, relative: &Path, bytes: &[u8]) -> Result<(), SetError> {
        self.put_with(relative, |out| out.write_all(bytes))
    }

    /// Stages one file of the set, written by `write` as it is made.
    ///
    /// # Errors
    ///
    /// As [`SetWriter::put`]; an error of `write` is an [`SetError::Io`] of the file.
    pub fn put_with(
        &mut self,
        relative: &Path,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), SetError> {
        refuse_unsafe(
            &self.dir.join(relative),
            &key(relative),
            &self.manifest,
            self.inputs,
        )?;
        let path = self.staging.join(relative);
        let file = super::create_file(&path).map_err(io(&path))?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(io(&path))?;
        self.staged.push(relative.to_path_buf());
        Ok(())
    }

    /// Moves the staged files into place, replacing the previous ones, and records them on the
    /// manifest. Returns the files written.
    ///
    /// # Errors
    ///
    /// [`SetError::Io`] when the manifest or a file cannot be written or moved; before the
    /// set is marked ready, the previous outputs are then untouched.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, SetError> {
        self.manifest
            .extend(self.staged.iter().map(|relative| key(relative)));
        write_manifest(self.dir, &self.manifest)?;
        let ready = self.staging.join(READY);
        super::steps::write(&ready, b"").map_err(io(&ready))?;
        // From here on the set is complete: an interrupted move is finished by the next run.
        self.committed = true;
        finish(self.dir, &self.staging)?;
        Ok(self.staged.iter().map(|r| self.dir.join(r)).collect())
    }
}

impl Drop for SetWriter<'_> {
    fn drop(&mut self) {
        if !self.committed {
            let _ = super::steps::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_is_staged_file_by_file_then_committed() {
        let dir = tempfile::tempdir().unwrap();
        let files = ["X.json".into(), "X/facts.csv".into()];
        let mut set = SetWriter::open(dir.path(), "X", &files, &[]).unwrap();
        set.put(&files[0], b"{}").unwrap();
        set.put(&files[1], b"").unwrap();
        assert!(
            !dir.path().join("X.json").exists(),
            "nothing in place before the commit"
        );
        assert_eq!(set.commit().unwrap().len(), 2);
        assert!(dir.path().join("X/facts.csv").is_file());
    }

    fn out(relative: &str, bytes: &str) -> Output {
        Output {
            relative: relative.into(),
            bytes: bytes.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_its_own_outputs_and_refuses_others() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write_set(d, "X", &[out("X.json", "1"), out("X/a.csv", "1")], &[]).unwrap();
        write_set(d, "X", &[out("X.json", "2"), out("X/a.csv", "2")], &[]).unwrap();
        assert_eq!(std::fs::read_to_string(d.join("X/a.csv")).unwrap(), "2");
        std::fs::write(d.join("Y.json"), "mine").unwrap();
        let e = write_set(d, "Y", &[out("Y.json", "new")], &[]).unwrap_err();
        assert!(matches!(e, SetError::NotOurs { .. }), "{e}");
        assert_eq!(std::fs::read_to_string(d.join("Y.json")).unwrap(), "mine");
        let input = std::fs::canonicalize(d.join("X.json")).unwrap();
        let e = write_set(d, "X", &[out("X.json", "3")], &[input]).unwrap_err();
        assert!(matches!(e, SetError::Input { .. }), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_where_a_subfolder_goes_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let files = [out("X/facts.csv", "ours")];
        let out = dir.path().join("out");
        write_set(&out, "X", &files, &[]).unwrap();
        // Someone replaces the subfolder by a link to their own folder with a facts.csv.
        let theirs = dir.path().join("theirs");
        std::fs::create_dir(&theirs).unwrap();
        std::fs::write(theirs.join("facts.csv"), "theirs").unwrap();
        std::fs::remove_dir_all(out.join("X")).unwrap();
        std::os::unix::fs::symlink(&theirs, out.join("X")).unwrap();
        let err = write_set(&out, "X", &files, &[]).unwrap_err();
        assert!(matches!(err, SetError::NotOurs { .. }), "{err}");
        assert_eq!(
            std::fs::read_to_string(theirs.join("facts.csv")).unwrap(),
            "theirs"
        );
    }

    #[test]
    fn an_unready_staging_folder_is_discarded_and_a_ready_one_finished() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write_set(d, "X", &[out("X.json", "old"), out("X/a.csv", "old")], &[]).unwrap();
        // Killed while staging: the old set stays, the next run discards the half.
        let half = d.join(".X.yusuan-new");
        std::fs::create_dir_all(half.join("X")).unwrap();
        std::fs::write(half.join("X.json"), "half").unwrap();
        write_set(d, "Z", &[out("Z.json", "z")], &[]).unwrap();
        assert!(!half.exists());
        assert_eq!(std::fs::read_to_string(d.join("X.json")).unwrap(), "old");
        // Killed between renames: one file moved, the ready folder holds the other.
        std::fs::create_dir_all(half.join("X")).unwrap();
        std::fs::write(half.join("X/a.csv"), "new").unwrap();
        std::fs::write(half.join(READY), "").unwrap();
        std::fs::write(d.join("X.json"), "new").unwrap();
        write_set(d, "Z", &[out("Z.json", "z")], &[]).unwrap();
        assert_eq!(std::fs::read_to_string(d.join("X/a.csv")).unwrap(), "new");
        assert!(!half.exists());
    }

    #[test]
    fn a_set_abandoned_halfway_leaves_the_previous_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write_set(d, "X", &[out("X.json", "old"), out("X/a.csv", "old")], &[]).unwrap();
        let files: Vec<PathBuf> = vec!["X.json".into(), "X/a.csv".into()];
        let mut set = SetWriter::open(d, "X", &files, &[]).unwrap();
        set.put(&files[0], b"new").unwrap();
        // The second output fails while it is written: the set is dropped uncommitted.
        let e = set
            .put_with(&files[1], |_| Err(std::io::Error::other("disk full")))
            .unwrap_err();
        assert!(matches!(e, SetError::Io { .. }), "{e}");
        drop(set);
        assert_eq!(std::fs::read_to_string(d.join("X.json")).unwrap(), "old");
        assert_eq!(std::fs::read_to_string(d.join("X/a.csv")).unwrap(), "old");
        assert!(!d.join(".X.yusuan-new").exists());
        // A file not named when opening is checked like the others.
        std::fs::write(d.join("mine.txt"), "mine").unwrap();
        let mut set = SetWriter::open(d, "X", &files, &[]).unwrap();
        let e = set.put(Path::new("mine.txt"), b"x").unwrap_err();
        assert!(matches!(e, SetError::NotOurs { .. }), "{e}");
    }

    #[test]
    fn a_kill_at_every_step_leaves_a_set_the_next_run_makes_whole() {
        // Killed before each rename, removal and marker write in turn (no cleanup after it):
        // once the next run into the directory has started, the set is all old or all new,
        // the manifest lists it, and no staging folder is left.
        let set = |v: &str| [out("X.json", v), out("X/a.csv", v), out("X/b.csv", v)];
        let read = |d: &Path| -> Vec<String> {
            ["X.json", "X/a.csv", "X/b.csv"]
                .iter()
                .map(|f| std::fs::read_to_string(d.join(f)).unwrap())
                .collect()
        };
        let mut kills = 0;
        for k in 0.. {
            let dir = tempfile::tempdir().unwrap();
            let d = dir.path();
            write_set(d, "X", &set("old"), &[]).unwrap();
            super::super::steps::kill_after(Some(k));
            let outcome = write_set(d, "X", &set("new"), &[]);
            let killed = super::super::steps::killed();
            super::super::steps::kill_after(None);
            if !killed {
                outcome.unwrap();
                assert_eq!(read(d), ["new"; 3]);
                break;
            }
            assert!(outcome.is_err(), "{k}");
            kills += 1;
            write_set(d, "Z", &[out("Z.json", "z")], &[]).unwrap_or_else(|e| panic!("{k}: {e}"));
            let now = read(d);
            assert!(
                now == ["old"; 3] || now == ["new"; 3],
                "killed after {k}: {now:?}"
            );
            assert!(!d.join(".X.yusuan-new").exists(), "{k}");
            write_set(d, "X", &set("next"), &[]).unwrap_or_else(|e| panic!("{k}: {e}"));
            assert_eq!(read(d), ["next"; 3], "{k}");
        }
        assert!(kills >= 8, "{kills}");
        println!("kill points in an output set: {kills}");
    }
}
