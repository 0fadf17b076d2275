//! Standard output and error that never panic: `println!` panics when its stream is closed or
//! full. A broken pipe (the reader went away, as with `| head`) silences that stream quietly;
//! any other write error is remembered, and the run ends with exit code 2 and one line.

use std::fmt;
use std::io::Write;
use std::sync::Mutex;

/// The first error of each stream.
static FAILED: Mutex<[Option<std::io::ErrorKind>; 2]> = Mutex::new([None, None]);

/// Which stream.
#[derive(Clone, Copy)]
pub enum Stream {
    /// Standard output.
    Out = 0,
    /// Standard error.
    Err = 1,
}

/// Writes to a stream unless it has failed before; a failure is remembered.
pub fn write(stream: Stream, args: fmt::Arguments<'_>) {
    let mut failed = FAILED.lock().unwrap_or_else(|e| e.into_inner());
    if failed[stream as usize].is_some() {
        return;
    }
    let result = match stream {
        Stream::Out => std::io::stdout().lock().write_fmt(args),
        Stream::Err => std::io::stderr().lock().write_fmt(args),
    };
    if let Err(e) = result {
        failed[stream as usize] = Some(e.kind());
    }
}

/// Flushes standard output; returns the error of a stream that failed other than by a broken
/// pipe, if any.
pub fn finish() -> Option<String> {
    let flushed = std::io::stdout().lock().flush();
    let mut failed = FAILED.lock().unwrap_or_else(|e| e.into_inner());
    if let Err(e) = flushed {
        failed[Stream::Out as usize].get_or_insert(e.kind());
    }
    let broken = |k: &Option<std::io::ErrorKind>| matches!(k, Some(kind) if *kind != std::io::ErrorKind::BrokenPipe);
    if broken(&failed[0]) {
        Some(format!(
            "无法写入标准输出（{}）",
            std::io::Error::from(failed[0].unwrap_or(std::io::ErrorKind::Other))
        ))
    } else if broken(&failed[1]) {
        Some("无法写入标准错误".to_owned())
    } else {
        None
    }
}

/// `println!` to standard output, without panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::console::write(
            $crate::cli::console::Stream::Out,
            format_args!("{}\n", format_args!($($arg)*)),
        )
    };
}

/// `eprintln!`, without panicking.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::console::write(
            $crate::cli::console::Stream::Err,
            format_args!("{}\n", format_args!($($arg)*)),
        )
    };
}

/// `eprint!`, without panicking.
macro_rules! err {
    ($($arg:tt)*) => {
        $crate::cli::console::write($crate::cli::console::Stream::Err, format_args!($($arg)*))
    };
}

pub(crate) use {err, errln, outln};
