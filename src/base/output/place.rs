//! Where outputs may go: never onto or into an input.

use std::path::{Component, Path, PathBuf};

/// An output location that would put inputs at risk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The output location is an existing file.
    #[error("输出位置 {path} 是已有的文件，不是目录：请指定一个目录")]
    NotADirectory {
        /// The output location.
        path: String,
    },
    /// The output directory is an input.
    #[error("输出目录 {path} 就是输入 {input}：请换一个新目录")]
    IsInput {
        /// The output directory.
        path: String,
        /// The input.
        input: String,
    },
    /// The output directory lies inside an input folder.
    #[error("输出目录 {path} 位于输入目录 {input} 之中：请换一个新目录")]
    InsideInput {
        /// The output directory.
        path: String,
        /// The input folder.
        input: String,
    },
    /// The output directory holds an input (a batch replaces it whole).
    #[error("输出目录 {path} 包含输入 {input}，而批量结果会整体替换输出目录：请换一个新目录")]
    ContainsInput {
        /// The output directory.
        path: String,
        /// The input.
        input: String,
    },
}

/// The absolute path with symbolic links and `..` resolved as the system would, for a path
/// that may not exist yet: each existing prefix resolved, the rest taken as written.
pub(crate) fn real(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => {
                out.push(other);
                if let Ok(resolved) = std::fs::canonicalize(&out) {
                    out = resolved;
                }
            }
        }
    }
    out
}

/// Refuses an output directory that is an existing file, is one of `inputs` or lies inside an
/// input folder.
///
/// # Errors
///
/// The [`Refused`] reason.
pub fn check_outdir(outdir: &Path, inputs: &[PathBuf]) -> Result<(), Refused> {
    let shown = outdir.display().to_string();
    if outdir.exists() && !outdir.is_dir() {
        return Err(Refused::NotADirectory { path: shown });
    }
    let out = real(outdir);
    for input in inputs {
        let inp = real(input);
        if out == inp {
            return Err(Refused::IsInput {
                path: shown,
                input: input.display().to_string(),
            });
        }
        if input.is_dir() && out.starts_with(&inp) {
            return Err(Refused::InsideInput {
                path: shown,
                input: input.display().to_string(),
            });
        }
    }
    Ok(())
}

/// As [`check_outdir`] for a batch of `dir`, and refuses an output directory that holds `dir`:
/// a batch replaces its output directory whole.
///
/// # Errors
///
/// The [`Refused`] reason.
pub(crate) fn check_batch_outdir(outdir: &Path, dir: &Path) -> Result<(), Refused> {
    check_outdir(outdir, &[dir.to_path_buf()])?;
    if real(dir).starts_with(real(outdir)) {
        return Err(Refused::ContainsInput {
            path: outdir.display().to_string(),
            input: dir.display().to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_keep_clear_of_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(input.join("sub")).unwrap();
        std::fs::write(dir.path().join("afile"), "x").unwrap();
        let d = dir.path();
        assert!(matches!(
            check_batch_outdir(&input, &input),
            Err(Refused::IsInput { .. })
        ));
        assert!(matches!(
            check_batch_outdir(&input.join("sub/new"), &input),
            Err(Refused::InsideInput { .. })
        ));
        assert!(matches!(
            check_batch_outdir(d, &input),
            Err(Refused::ContainsInput { .. })
        ));
        assert!(matches!(
            check_outdir(&d.join("afile"), &[]),
            Err(Refused::NotADirectory { .. })
        ));
        assert!(check_batch_outdir(&d.join("out"), &input).is_ok());
        assert!(check_batch_outdir(&input.join("../out/../out2"), &input).is_ok());
        assert!(matches!(
            check_batch_outdir(&input.join("sub/../"), &input),
            Err(Refused::IsInput { .. })
        ));
    }
}
