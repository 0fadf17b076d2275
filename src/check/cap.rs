//! Findings capped while they are collected: at most [`MAX_PER_RULE`] of each rule in each
//! table are kept, so that a table of 240,000 wrong rows never holds 240,000 findings in memory
//! at once.

use super::finding::{Finding, Place};
use crate::edition::Edition;
use std::collections::HashMap;

/// Findings listed one by one for a rule in one table; the rest are counted in one more
/// finding, so that a table of 240,000 wrong rows makes a report a person can read and a
/// process that stays small.
pub const MAX_PER_RULE: usize = 1_000;

/// A finding with the order it was found in.
type Numbered = (usize, Finding);

/// The findings of one check, kept per rule and table: for each, the first [`MAX_PER_RULE`] in
/// row order (ties in the order found) and the count of the rest. Memory stays within twice
/// the cap per rule and table; time is n log n.
#[derive(Default)]
pub(super) struct Findings {
    next: usize,
    by_rule: HashMap<(u8, String), Kept>,
}

#[derive(Default)]
struct Kept {
    first: Vec<Numbered>,
    dropped: usize,
}

impl Kept {
    /// Keeps the first [`MAX_PER_RULE`] by row, then by the order found (a stable sort of
    /// findings numbered in order).
    fn trim(&mut self) {
        self.first.sort_by_key(|(n, f)| (f.place.row, *n));
        if self.first.len() > MAX_PER_RULE {
            self.dropped += self.first.len() - MAX_PER_RULE;
            self.first.truncate(MAX_PER_RULE);
        }
    }
}

impl Findings {
    /// Adds one finding.
    pub(super) fn push(&mut self, finding: Finding) {
        let kept = self
            .by_rule
            .entry((finding.place.table, finding.rule.clone()))
            .or_default();
        kept.first.push((self.next, finding));
        self.next += 1;
        if kept.first.len() >= 2 * MAX_PER_RULE {
            kept.trim();
        }
    }

    /// The findings in table and row order (ties in the order found), followed by one finding
    /// per rule and table that counts those past the cap (the edition's `findings_more_line`).
    pub(super) fn finish(self, edition: &Edition) -> Vec<Finding> {
        let mut listed: Vec<Numbered> = Vec::new();
        let mut over: Vec<(usize, Finding, usize)> = Vec::new();
        for (_, mut kept) in self.by_rule {
            kept.trim();
            if kept.dropped > 0 {
                let (n, f) = &kept.first[0];
                over.push((*n, f.clone(), kept.dropped));
            }
            listed.extend(kept.first);
        }
        listed.sort_by_key(|(n, f)| (f.place.table, f.place.row, *n));
        over.sort_by_key(|(n, f, _)| (f.place.table, *n));
        let mut out: Vec<Finding> = listed.into_iter().map(|(_, f)| f).collect();
        for (_, f, more) in over {
            let count = MAX_PER_RULE + more;
            out.push(Finding {
                place: Place::of_table(f.place.table),
                other: None,
                expected: None,
                actual: None,
                text: edition
                    .findings_more_line
                    .replace("{more}", &more.to_string())
                    .replace("{count}", &count.to_string()),
                ..f
            });
        }
        out
    }
}
