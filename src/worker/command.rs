//! The worker's command line, both directions: the arguments the pool starts a worker with,
//! and their reading by the binary
//! (`yusuan read-worker --max-memory N (--edition NAME | --template FILE)`), before its own
//! command line is parsed.

use super::limits::Limits;
use crate::edition::EditionSource;
use std::ffi::OsString;
use std::path::PathBuf;

/// The hidden command that makes a process a worker.
const COMMAND: &str = "read-worker";
const MAX_MEMORY: &str = "--max-memory";
const EDITION: &str = "--edition";
const TEMPLATE: &str = "--template";

/// The arguments a worker is started with: reading under `limits`, tables as `edition`
/// describes them (a file's path absolute).
pub(super) fn arguments(edition: &EditionSource, limits: &Limits) -> Vec<OsString> {
    let mut args = vec![
        OsString::from(COMMAND),
        OsString::from(MAX_MEMORY),
        OsString::from(limits.max_memory.to_string()),
    ];
    match edition {
        EditionSource::Builtin(name) => {
            args.push(OsString::from(EDITION));
            args.push(OsString::from(name));
        }
        EditionSource::File(path) => {
            args.push(OsString::from(TEMPLATE));
            args.push(path.as_os_str().to_owned());
        }
    }
    args
}

/// A worker's command line, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerCommand {
    /// The address space to cap the worker at, in bytes.
    pub max_memory: u64,
    /// The edition to read by.
    pub edition: EditionSource,
}

impl WorkerCommand {
    /// Reads a process's arguments (the program first): `None` when this is not a worker's
    /// command line, `Some(Err)` with the reason when it is one but malformed.
    ///
    /// ```
    /// use yusuan::worker::WorkerCommand;
    ///
    /// let args = ["yusuan", "read-worker", "--max-memory", "1024"].map(Into::into);
    /// assert_eq!(WorkerCommand::from_args(args).unwrap().unwrap().max_memory, 1024);
    /// assert!(WorkerCommand::from_args(["yusuan", "check", "a.xlsx"].map(Into::into)).is_none());
    /// ```
    pub fn from_args(
        args: impl IntoIterator<Item = OsString>,
    ) -> Option<Result<WorkerCommand, String>> {
        let mut args = args.into_iter().skip(1);
        if args.next()? != COMMAND {
            return None;
        }
        let mut max_memory = None;
        let mut edition = EditionSource::default();
        while let Some(flag) = args.next() {
            let value = args.next();
            match (flag.to_str(), value) {
                (Some(MAX_MEMORY), Some(v)) => {
                    max_memory = v.to_str().and_then(|s| s.parse::<u64>().ok());
                }
                (Some(TEMPLATE), Some(v)) => edition = EditionSource::File(PathBuf::from(v)),
                (Some(EDITION), Some(v)) => {
                    edition = EditionSource::Builtin(v.to_string_lossy().into_owned());
                }
                _ => return Some(Err(format!("{COMMAND}：无法识别的参数 {flag:?}"))),
            }
        }
        Some(match max_memory {
            Some(max_memory) => Ok(WorkerCommand {
                max_memory,
                edition,
            }),
            None => Err(format!(
                "{COMMAND}：缺少 {MAX_MEMORY} 字节数（内部使用的命令）"
            )),
        })
    }

    /// Runs the worker: loads the edition, then answers requests until standard input
    /// closes.
    ///
    /// # Errors
    ///
    /// When the edition cannot be loaded, the memory limit cannot be set, or standard input
    /// or output fail (the parent went away).
    pub fn run(&self) -> std::io::Result<()> {
        let edition = self.edition.load().map_err(std::io::Error::other)?;
        super::serve(&edition, self.max_memory)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_pool_writes_the_worker_reads() {
        let limits = Limits {
            max_memory: 3 << 30,
            ..Limits::DEFAULT
        };
        for edition in [
            EditionSource::default(),
            EditionSource::Builtin("shanghai-2026".into()),
            EditionSource::File("/某处/四川 2023.toml".into()),
        ] {
            let line = std::iter::once(OsString::from("yusuan"))
                .chain(arguments(&edition, &limits))
                .collect::<Vec<_>>();
            let read = WorkerCommand::from_args(line).unwrap().unwrap();
            assert_eq!(read.max_memory, 3 << 30);
            assert_eq!(read.edition, edition);
        }
        let bad = ["yusuan", "read-worker", "--max-memory", "lots"].map(OsString::from);
        assert!(WorkerCommand::from_args(bad).unwrap().is_err());
        let bad = ["yusuan", "read-worker", "--what"].map(OsString::from);
        assert!(WorkerCommand::from_args(bad).unwrap().is_err());
        assert!(WorkerCommand::from_args(["yusuan"].map(OsString::from)).is_none());
    }
}
