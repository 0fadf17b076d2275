//! A pool of worker processes, each reused for input after input while it stays healthy.

use super::frame::{self, Request, Response};
use super::limits::Limits;
use super::reader::{Reader, Scanned};
use super::size::format_size;
use super::{command, death};
use crate::base::error::{Location, Problem, ReadError};
use crate::edition::EditionSource;
use crate::read::{Document, Duplicates, Reading};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, mpsc};
use std::thread::JoinHandle;

/// The last bytes of a worker's standard error kept to tell why it died.
const STDERR_KEPT: usize = 64 << 10;

/// Reads in worker processes under [`Limits`]; safe to share between threads (each read takes
/// an idle worker, or starts one).
///
/// ```no_run
/// use yusuan::worker::{Isolated, Limits, Reader};
///
/// let reader = Isolated::current(&Default::default(), Limits::DEFAULT)?;
/// match reader.read_input("submitted/313603.xlsx".as_ref()) {
///     Ok(reading) => println!("{} 张表", reading.budget.tables.len()),
///     Err(e) => eprintln!("{e}"), // e.g. 读取时超出内存上限 2 GiB，…
/// }
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct Isolated {
    program: PathBuf,
    edition: EditionSource,
    limits: Limits,
    idle: Mutex<Vec<Worker>>,
}

/// One worker process and the threads draining its output.
#[derive(Debug)]
struct Worker {
    child: Child,
    stdin: ChildStdin,
    responses: mpsc::Receiver<std::io::Result<Vec<u8>>>,
    stderr: Option<JoinHandle<Vec<u8>>>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        // An idle worker would end on its own when its input closes; one dropped mid-read
        // must not outlive the run.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How a request ended.
enum Outcome {
    Answer(Vec<u8>),
    /// The request could not even be written: the worker was gone before it was asked.
    NotAsked,
    TooLong {
        len: u64,
        max: u64,
    },
    Died {
        timed_out: bool,
    },
}

impl Isolated {
    /// Workers started as `program read-worker …` (see `command.rs`), loading `edition` (a
    /// file's path as the worker will see it: absolute, or relative to this process's
    /// directory).
    pub fn new(program: impl Into<PathBuf>, edition: EditionSource, limits: Limits) -> Isolated {
        Isolated {
            program: program.into(),
            edition,
            limits,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Workers of the running `yusuan` binary, loading `edition`.
    ///
    /// # Errors
    ///
    /// When the path of the running program (or of the edition's file) cannot be found.
    pub fn current(edition: &EditionSource, limits: Limits) -> std::io::Result<Isolated> {
        let edition = match edition {
            EditionSource::File(path) => EditionSource::File(std::path::absolute(path)?),
            builtin => builtin.clone(),
        };
        Ok(Isolated::new(std::env::current_exe()?, edition, limits))
    }

    /// Starts one worker now, ready for the first input: its start-up overlaps whatever the
    /// caller does meanwhile. A worker that cannot start is reported by the first read.
    pub fn prestart(&self) {
        if let Ok(worker) = self.spawn()
            && let Ok(mut idle) = self.idle.lock()
        {
            idle.push(worker);
        }
    }

    /// The limits each input is read under.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    fn spawn(&self) -> std::io::Result<Worker> {
        let mut child = Command::new(&self.program)
            .args(command::arguments(&self.edition, &self.limits))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (Some(stdin), Some(stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other("worker pipes missing"));
        };
        let (tx, responses) = mpsc::channel();
        let max = self.limits.max_answer();
        std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            loop {
                let message = frame::read(&mut stdout, max);
                let end = !matches!(message, Ok(Some(_)));
                let sent = match message {
                    Ok(Some(bytes)) => tx.send(Ok(bytes)),
                    Ok(None) => tx.send(Err(std::io::ErrorKind::UnexpectedEof.into())),
                    Err(e) => tx.send(Err(e)),
                };
                if end || sent.is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut kept = Vec::new();
            let mut buf = [0u8; 8192];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > STDERR_KEPT {
                    kept.drain(..kept.len() - STDERR_KEPT);
                }
            }
            kept
        });
        Ok(Worker {
            child,
            stdin,
            responses,
            stderr: Some(stderr),
        })
    }

    /// Sends one request and waits for its answer; a worker that dies, overruns the deadline
    /// or answers too much is that input's error (at `input`). A worker that had died while it
    /// waited idle is not that input's fault: the request goes to a new one.
    fn call(&self, request: &Request, input: &str) -> Result<Response, ReadError> {
        let fail = |problem| ReadError::new(Location::file(input), problem);
        let start = || {
            self.spawn().map_err(|e| {
                fail(Problem::Internal {
                    detail: format!("无法启动读取进程：{e}"),
                })
            })
        };
        let (worker, reused) = match self.take_idle() {
            Some(w) => (w, true),
            None => (start()?, false),
        };
        let outcome = match self.exchange(worker, request) {
            (Outcome::NotAsked, _) if reused => self.exchange(start()?, request),
            other => other,
        };
        match outcome {
            (Outcome::Answer(bytes), _) => parse(&bytes, input),
            (Outcome::TooLong { len, max }, _) => Err(fail(Problem::AnswerTooLarge {
                size: format_size(len),
                limit: format_size(max),
                max_memory: self
                    .limits
                    .answer
                    .is_none()
                    .then(|| format_size(self.limits.max_memory)),
            })),
            (Outcome::NotAsked, worker) => Err(fail(self.death(worker, false))),
            (Outcome::Died { timed_out }, worker) => Err(fail(self.death(worker, timed_out))),
        }
    }

    /// An idle worker that is still alive, if any (those that died waiting are let go).
    fn take_idle(&self) -> Option<Worker> {
        let mut idle = self.idle.lock().ok()?;
        while let Some(mut worker) = idle.pop() {
            if matches!(worker.child.try_wait(), Ok(None)) {
                return Some(worker);
            }
        }
        None
    }

    /// Sends one request to `worker` and takes its answer within the deadline of one input;
    /// the worker goes back to the idle ones after an answer, and is handed back otherwise.
    fn exchange(&self, mut worker: Worker, request: &Request) -> (Outcome, Option<Worker>) {
        if frame::write(&mut worker.stdin, request).is_err() {
            return (Outcome::NotAsked, Some(worker));
        }
        let outcome = match worker.responses.recv_timeout(self.limits.timeout) {
            Ok(Ok(bytes)) => Outcome::Answer(bytes),
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::InvalidData => {
                match e.get_ref().and_then(|i| i.downcast_ref::<frame::TooLong>()) {
                    Some(t) => Outcome::TooLong {
                        len: t.len,
                        max: t.max,
                    },
                    None => Outcome::Died { timed_out: false },
                }
            }
            Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                Outcome::Died { timed_out: false }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => Outcome::Died { timed_out: true },
        };
        if matches!(outcome, Outcome::Answer(_)) {
            if let Ok(mut idle) = self.idle.lock() {
                idle.push(worker);
            }
            return (outcome, None);
        }
        (outcome, Some(worker))
    }

    /// Why a worker ended without answering: it is stopped, and its status and last words
    /// read.
    fn death(&self, worker: Option<Worker>, timed_out: bool) -> Problem {
        let Some(mut worker) = worker else {
            return death::problem(None, &[], &self.limits, timed_out);
        };
        let _ = worker.child.kill();
        let status = worker.child.wait().ok();
        let stderr = worker
            .stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        death::problem(status, &stderr, &self.limits, timed_out)
    }
}

/// A worker's answer, parsed.
fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8], input: &str) -> Result<T, ReadError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ReadError::new(
            Location::file(input),
            Problem::Internal {
                detail: format!("读取进程的回答无法解析：{e}"),
            },
        )
    })
}

/// An answer of the wrong kind: a fault of yusuan, not of the input.
fn mismatch(input: &str) -> ReadError {
    ReadError::new(
        Location::file(input),
        Problem::Internal {
            detail: "读取进程的回答与请求不符".to_owned(),
        },
    )
}

impl Isolated {
    /// Sends a request and takes the answer of its kind; another kind is yusuan's fault.
    fn ask<T>(
        &self,
        request: &Request,
        input: &str,
        pick: impl FnOnce(Response) -> Option<Result<T, ReadError>>,
    ) -> Result<T, ReadError> {
        pick(self.call(request, input)?).unwrap_or_else(|| Err(mismatch(input)))
    }
}

impl Reader for Isolated {
    fn read_unit(
        &self,
        files: &[PathBuf],
        input: &str,
        duplicates: Duplicates,
    ) -> Result<Reading, ReadError> {
        let request = Request::Read {
            files: files.to_vec(),
            input: input.to_owned(),
            duplicates,
        };
        self.ask(&request, input, |r| match r {
            Response::Read(result) => Some(result),
            _ => None,
        })
    }

    fn scan(&self, file: &Path, unit: Option<(&str, Duplicates)>) -> Scanned {
        let name = file.display().to_string();
        let request = Request::Scan {
            file: file.to_path_buf(),
            unit: unit.map(|(input, rule)| (input.to_owned(), rule)),
        };
        match self.call(&request, &name) {
            Ok(Response::Scan(scan, reading)) => Scanned { scan, reading },
            Ok(_) => Scanned {
                scan: Err(mismatch(&name)),
                reading: None,
            },
            Err(e) => Scanned {
                scan: Err(e),
                reading: None,
            },
        }
    }

    fn read_document(&self, file: &Path) -> Result<Document, ReadError> {
        let request = Request::Document {
            file: file.to_path_buf(),
        };
        self.ask(&request, &file.display().to_string(), |r| match r {
            Response::Document(result) => Some(result),
            _ => None,
        })
    }

    fn read_rows(&self, file: &Path) -> Result<Vec<Vec<String>>, ReadError> {
        let request = Request::Rows {
            file: file.to_path_buf(),
        };
        self.ask(&request, &file.display().to_string(), |r| match r {
            Response::Rows(result) => Some(result),
            _ => None,
        })
    }

    fn draft(&self, file: &Path) -> Result<crate::edition::Draft, ReadError> {
        let request = Request::Draft {
            file: file.to_path_buf(),
        };
        self.ask(&request, &file.display().to_string(), |r| match r {
            Response::Draft(result) => Some(result),
            _ => None,
        })
    }
}
