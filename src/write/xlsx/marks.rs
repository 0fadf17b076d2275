//! The notes yusuan writes on totals: a total whose submitted figure differs from its sum, or
//! that nobody typed, says so — with the rules that report it and the parts it adds up.

use super::findings_sheet::FindingLine;
use crate::base::a1;
use crate::edition::Edition;
use crate::render::{Cell, Rendered};

/// What the writer marks on the totals of a budget's tables: the edition's wording, and the
/// rules reported at each cell of this workbook.
pub(super) struct Marks<'a> {
    edition: &'a Edition,
    rules: std::collections::HashMap<(String, String), Vec<String>>,
}

impl<'a> Marks<'a> {
    pub(super) fn new(edition: &'a Edition, findings: &[FindingLine]) -> Marks<'a> {
        let mut rules: std::collections::HashMap<(String, String), Vec<String>> =
            std::collections::HashMap::new();
        for f in findings {
            if let Some(target) = &f.target {
                let at = rules.entry(target.clone()).or_default();
                if !at.contains(&f.rule) {
                    at.push(f.rule.clone());
                }
            }
        }
        Marks { edition, rules }
    }

    /// The note on a total cell (data row `r`, column `c` of `table`), if it needs one: its
    /// submitted figure differs from its sum, or nobody typed it (the input has no such row)
    /// and it is not zero.
    pub(super) fn note(&self, table: &Rendered<'_>, r: usize, c: usize) -> Option<String> {
        let Cell::Sum(sum) = &table.rows[r].cells[c] else {
            return None;
        };
        let (value, submitted) = (&sum.value, &sum.submitted);
        match submitted {
            Some(s) if s != value => {
                let rules = self.causes(table, r, c, 0);
                let rules = if rules.is_empty() {
                    String::new()
                } else {
                    rules.join("、")
                };
                Some(
                    self.edition
                        .mismatch_note
                        .replace("{submitted}", &crate::base::amount::grouped(*s))
                        .replace("{computed}", &crate::base::amount::grouped(*value))
                        .replace("（{rule}）", &paren(&rules))
                        .replace("{rule}", &rules),
                )
            }
            None if !value.is_zero() => {
                let derived: Vec<&str> = self
                    .edition
                    .missing_rows
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect();
                Some(
                    self.edition
                        .derived_note
                        .replace("{computed}", &crate::base::amount::grouped(*value))
                        .replace("{rule}", &derived.join("、")),
                )
            }
            _ => None,
        }
    }

    /// The rules that explain a total's difference: those reported at its cell, or else those
    /// of the differing totals it adds up (a 合计 off because a row total below it is).
    fn causes(&self, table: &Rendered<'_>, r: usize, c: usize, depth: usize) -> Vec<String> {
        let at = (table.sheet_name(), a1::cell(table.data_start() + r, c));
        if let Some(rules) = self.rules.get(&at) {
            return rules.clone();
        }
        let Cell::Sum(sum) = &table.rows[r].cells[c] else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        if depth < 8 {
            for &(tr, tc) in &sum.terms {
                if table.rows[tr].cells[tc].mismatch().is_some() {
                    for rule in self.causes(table, tr, tc, depth + 1) {
                        if !out.contains(&rule) {
                            out.push(rule);
                        }
                    }
                }
            }
        }
        out
    }
}

/// `（text）`, or nothing for no text.
fn paren(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("（{text}）")
    }
}
