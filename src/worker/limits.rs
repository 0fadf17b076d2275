//! The limits one input's reading must stay within.

use std::time::Duration;

/// Limits that one input's reading must stay within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The worker process's address space, in bytes (Unix only).
    pub max_memory: u64,
    /// Wall-clock time for one input.
    pub timeout: Duration,
    /// The largest answer a worker may give, in bytes; `None` for a sixteenth of
    /// `max_memory` (see [`Limits::max_answer`]).
    pub answer: Option<u64>,
}

impl Limits {
    /// 2 GiB and 120 seconds per input: far above any real budget workbook (tens of MiB and
    /// well under a second), far below what would exhaust the machine.
    pub const DEFAULT: Limits = Limits {
        max_memory: 2 << 30,
        timeout: Duration::from_secs(120),
        answer: None,
    };

    /// The largest answer a worker may give, in bytes: as set, or a sixteenth of
    /// `max_memory`. The main process builds the model from the answer, then renders and
    /// writes it; measured on a 表3 of 240,000 rows, a 33 MiB answer peaks at 417 MiB in
    /// `convert` (about 13 times), so a sixteenth keeps the main process within `max_memory`
    /// per input too.
    ///
    /// ```
    /// use yusuan::worker::Limits;
    /// assert_eq!(Limits::DEFAULT.max_answer(), 128 << 20);
    /// let set = Limits { answer: Some(256 << 20), ..Limits::DEFAULT };
    /// assert_eq!(set.max_answer(), 256 << 20);
    /// ```
    pub fn max_answer(&self) -> u64 {
        self.answer.unwrap_or(self.max_memory / 16)
    }
}
