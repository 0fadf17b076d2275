//! Progress of a batch on standard error.

use super::console::{err, errln};
use std::time::Instant;
use yusuan::batch::Progress;

/// Progress on standard error: a bar redrawn in place on a terminal, plain lines otherwise.
pub(crate) struct ProgressView {
    pub(crate) terminal: bool,
    pub(crate) start: Instant,
}

impl ProgressView {
    pub(crate) fn show(&self, p: &Progress) {
        let secs = self.start.elapsed().as_secs_f64();
        let (phase, done, total, failed) = match p {
            Progress::Scanned {
                done,
                total,
                failed,
            } => ("扫描", *done, *total, *failed),
            Progress::Converted {
                done,
                total,
                failed,
                ..
            } => ("转换", *done, *total, *failed),
        };
        let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
        if self.terminal {
            const WIDTH: usize = 30;
            let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
            err!(
                "\r{phase} [{}{}] {done}/{total}  失败 {failed}  用时 {secs:.1}s  {rate:.0} 个/秒 ",
                "#".repeat(filled),
                "-".repeat(WIDTH - filled)
            );
            if done == total {
                errln!("");
            }
        } else if let Progress::Converted { unit, status, .. } = p {
            errln!(
                "{phase} {done}/{total} {unit} {}（失败 {failed}，{secs:.1}s）",
                status.word()
            );
        } else if done == total {
            errln!("{phase} {done}/{total}（失败 {failed}，{secs:.1}s）");
        }
    }
}
