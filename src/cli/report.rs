//! What every command prints of an input: exit codes, read errors, the reader's notices and
//! the findings.

use super::console::{errln, outln};
use std::path::Path;
use yusuan::check::Located;
use yusuan::edition::Severity;
use yusuan::error::{Level, Location, Problem, ReadError};
use yusuan::read::Reading;
use yusuan::worker::panic_text;

/// Exit code when a check finds errors.
pub(crate) const EXIT_FINDINGS: u8 = 1;
/// Exit code when an input cannot be read, or an output cannot be written.
pub(crate) const EXIT_UNREADABLE: u8 = 2;

/// The exit code of an input's findings: 1 with an error among them, else 0.
pub(crate) fn severity_code(located: &[Located]) -> u8 {
    if located.iter().any(|l| l.severity() == Severity::Error) {
        EXIT_FINDINGS
    } else {
        0
    }
}

/// A read error as the user sees it: the detail of an internal error, or the parser's own
/// words (in English), only with `--verbose`.
pub(crate) fn describe(e: &ReadError, verbose: bool) -> String {
    match &*e.problem {
        Problem::Internal { detail } | Problem::Parser { detail } if verbose => {
            format!("{e}（{detail}）")
        }
        _ => e.to_string(),
    }
}

/// A panic while handling one input, as that input's internal error.
pub(crate) fn internal_error(input: &Path, panic: &(dyn std::any::Any + Send)) -> ReadError {
    ReadError::new(
        Location::file(input.display().to_string()),
        Problem::Internal {
            detail: panic_text(panic),
        },
    )
}

/// Prints what the reader noticed: warnings always, interpretations with `--verbose`.
pub(crate) fn print_notices(reading: &Reading, verbose: bool) {
    for notice in &reading.notices {
        match notice.level {
            Level::Warning => errln!("警告：{notice}"),
            Level::Info if verbose => errln!("说明：{notice}"),
            Level::Info => {}
        }
    }
}

/// Where the findings of one input are printed.
#[derive(Clone, Copy)]
pub(crate) enum To {
    Out,
    Err,
}

/// Prints the findings of one input for people.
pub(crate) fn print_findings(file: &str, who: &str, located: &[Located], to: To) {
    let errors = located
        .iter()
        .filter(|l| l.severity() == Severity::Error)
        .count();
    let mut lines = vec![format!(
        "{file}（{who}）：错误 {errors} 项，警告 {} 项",
        located.len() - errors
    )];
    lines.extend(
        located
            .iter()
            .map(|l| format!("  {} {}", l.severity().word(), l.message)),
    );
    for line in lines {
        match to {
            To::Out => outln!("{line}"),
            To::Err => errln!("{line}"),
        }
    }
}
