//! Replacing an output directory as a whole: results are written into a hidden staging
//! directory beside it, which takes the output directory's place only when complete. An
//! interrupted run leaves the previous results untouched; its staging directory is removed by
//! the next run.

use std::path::{Path, PathBuf};

/// A staging directory for `target`.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
}

fn hidden_sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    target.with_file_name(format!(".{name}.{tag}"))
}

impl Staging {
    /// Starts a staging directory for `target`, removing what an interrupted run left.
    pub fn begin(target: &Path) -> std::io::Result<Staging> {
        let target = if target.is_absolute() {
            target.to_path_buf()
        } else {
            std::env::current_dir()?.join(target)
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        for tag in ["partial", "previous"] {
            let stale = hidden_sibling(&target, tag);
            if stale.exists() {
                std::fs::remove_dir_all(&stale)?;
            }
        }
        let staging = hidden_sibling(&target, "partial");
        std::fs::create_dir_all(&staging)?;
        Ok(Staging { target, staging })
    }

    /// Where to write.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Puts the staged results in the target's place.
    pub fn commit(self) -> std::io::Result<()> {
        let previous = hidden_sibling(&self.target, "previous");
        if self.target.exists() {
            std::fs::rename(&self.target, &previous)?;
        }
        std::fs::rename(&self.staging, &self.target)?;
        if previous.exists() {
            std::fs::remove_dir_all(&previous)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_directory() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("old-unit")).unwrap();
        let s = Staging::begin(&out).unwrap();
        std::fs::write(s.path().join("new.txt"), "x").unwrap();
        assert!(
            out.join("old-unit").exists(),
            "the old results stay until the commit"
        );
        s.commit().unwrap();
        assert!(out.join("new.txt").exists());
        assert!(!out.join("old-unit").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("out")]);
    }

    #[test]
    fn an_interrupted_run_is_cleaned_up_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let s = Staging::begin(&out).unwrap();
        std::fs::write(s.path().join("half.txt"), "x").unwrap();
        drop(s); // interrupted: never committed
        assert!(!out.exists());
        let s = Staging::begin(&out).unwrap();
        assert!(!s.path().join("half.txt").exists());
        s.commit().unwrap();
        assert!(out.exists());
    }
}
