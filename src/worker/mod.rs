//! Reading untrusted workbooks inside limits the operating system enforces.
//!
//! Workbooks come from hundreds of units, and the parsers under calamine (zip, XML, the OLE
//! compound file of `.xls`) can be made to allocate gigabytes, loop or panic by a crafted file
//! of a few kilobytes. An allocation failure aborts a process outright — no `catch_unwind`
//! stops it — so no check in front of the parser can make reading safe in the process that
//! also writes the results. Every read therefore happens in a *worker process*: the same
//! binary re-executed in a hidden mode (`yusuan read-worker`), whose address space is capped by
//! the kernel (`setrlimit(RLIMIT_AS)`, on Unix) and whose answer must come within a deadline,
//! after which the parent kills it. A worker that dies — abort, panic, signal, limit — is that
//! input's error, named in Chinese; the next input gets a fresh worker. Workers are kept and
//! reused between inputs, so the cost of isolation is one process start per worker, not per
//! file.
//!
//! [`InProcess`] reads in the calling process, for library users who read trusted files and for
//! tests; both implement [`Reader`]. The worker's command line, both ways, is `command.rs`;
//! its messages `frame.rs`.

mod command;
mod death;
mod frame;
mod in_process;
mod kept;
mod limits;
mod pool;
mod reader;
mod serve;
mod size;

pub use crate::base::parallel::panic_text;
pub use command::WorkerCommand;
pub use in_process::InProcess;
pub use kept::KeptReading;
pub use limits::Limits;
pub use pool::Isolated;
pub use reader::{Reader, Scanned, read_each};
pub(crate) use serve::serve;
pub use size::Size;
