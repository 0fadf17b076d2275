//! Why a worker process ended without answering, in words for a finance clerk.

use super::limits::Limits;
use super::size::format_size;
use crate::base::error::{Problem, ReadError};
use std::process::ExitStatus;

/// The text Rust's runtime prints when an allocation fails (then it aborts).
const ALLOCATION_FAILED: &str = "memory allocation of";

/// Whether a panic's or the runtime's text tells of memory that could not be had: Rust's own
/// allocation failure, a collection's capacity overflow, or a decompressor that could not
/// allocate its state (`MemError`).
pub(crate) fn exhausted(text: &str) -> bool {
    text.contains(ALLOCATION_FAILED)
        || text.contains("capacity overflow")
        || text.contains("MemError")
}

/// The error of an input whose reading panicked because memory ran out under the limit:
/// that limit's error, not an internal one.
pub(crate) fn classify(error: ReadError, limits: &Limits) -> ReadError {
    match &*error.problem {
        Problem::Internal { detail } if exhausted(detail) => ReadError::new(
            (*error.location).clone(),
            Problem::OutOfMemory {
                limit: format_size(limits.max_memory),
            },
        ),
        _ => error,
    }
}

/// The problem of an input whose worker ended (`status`, if it could be waited for) after
/// printing `stderr`; `timed_out` when the parent killed it at the deadline.
pub(crate) fn problem(
    status: Option<ExitStatus>,
    stderr: &[u8],
    limits: &Limits,
    timed_out: bool,
) -> Problem {
    let text = String::from_utf8_lossy(stderr);
    if timed_out {
        let millis = rust_decimal::Decimal::from(limits.timeout.as_millis() as u64);
        return Problem::TimedOut {
            seconds: (millis / rust_decimal::Decimal::from(1000))
                .normalize()
                .to_string(),
        };
    }
    if exhausted(&text) {
        return Problem::OutOfMemory {
            limit: format_size(limits.max_memory),
        };
    }
    if let Some(at) = text.find("panicked at") {
        return Problem::Internal {
            detail: text[at..].lines().take(2).collect::<Vec<_>>().join(" "),
        };
    }
    Problem::Crashed {
        cause: status.map_or_else(|| "无法获知原因".to_owned(), cause),
    }
}

/// How a process ended, in words.
fn cause(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let what = match signal {
                libc::SIGKILL => "被强制终止，可能是系统内存不足",
                libc::SIGSEGV => "非法内存访问",
                libc::SIGABRT => "异常中止",
                libc::SIGBUS => "总线错误",
                libc::SIGFPE => "算术错误",
                libc::SIGXCPU => "超出处理器时间上限",
                _ => "收到信号",
            };
            return format!("{what}，信号 {signal}");
        }
    }
    match status.code() {
        Some(code) => format!("退出码 {code}"),
        None => "无法获知原因".to_owned(),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn deaths_are_named() {
        let limits = Limits::DEFAULT;
        let abort = ExitStatus::from_raw(libc::SIGABRT);
        let oom = problem(
            Some(abort),
            b"memory allocation of 68719476736 bytes failed\n",
            &limits,
            false,
        );
        assert_eq!(
            oom.to_string(),
            "读取时超出内存上限 2 GiB，文件可能已损坏或被构造"
        );
        assert!(matches!(
            problem(Some(abort), b"", &limits, false),
            Problem::Crashed { cause } if cause == "异常中止，信号 6"
        ));
        assert!(matches!(
            problem(None, b"", &limits, true),
            Problem::TimedOut { seconds } if seconds == "120"
        ));
        assert!(matches!(
            problem(Some(abort), b"thread 'main' panicked at src/x.rs:1:2:\nboom\n", &limits, false),
            Problem::Internal { detail } if detail.contains("boom")
        ));
    }
}
