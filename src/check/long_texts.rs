//! Texts longer than a workbook cell holds: the workbook shows them cut (ending in …), the CSV
//! and JSON whole; each such text is a finding at its cell, so that nobody takes the cut text
//! for what was submitted.

use super::cap::Findings;
use super::finding::{Finding, Place};
use crate::base::text::too_long_for_a_cell;
use crate::edition::{ColumnKind, Edition, TablesRule};
use crate::model::Budget;

/// Reports every text of `rule`'s tables that a cell cannot hold whole: names, text columns and
/// the indicator lines of projects.
pub(super) fn check_long_texts(
    edition: &Edition,
    rule: &TablesRule,
    budget: &Budget,
    out: &mut Findings,
) {
    for &number in &rule.tables {
        let (Some(spec), Some(table)) = (edition.table(number), budget.table(number)) else {
            continue;
        };
        let name_key = spec
            .column_of(ColumnKind::Name)
            .map(|c| spec.columns[c].key.as_str())
            .unwrap_or_default();
        for (r, row) in table.rows.iter().enumerate() {
            let texts = std::iter::once((name_key, row.name.as_str()))
                .chain(row.texts.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .chain(
                    row.lines
                        .iter()
                        .flatten()
                        .map(|(k, v)| (k.as_str(), v.as_str())),
                );
            for (column, text) in texts.filter(|(_, t)| too_long_for_a_cell(t)) {
                let head: String = text.chars().take(20).collect();
                out.push(Finding {
                    rule: rule.id.clone(),
                    severity: rule.severity,
                    place: Place {
                        table: number,
                        row: Some(r),
                        column: column.to_owned(),
                        through: None,
                    },
                    other: None,
                    expected: None,
                    actual: None,
                    text: format!(
                        "{}：“{head}…”共 {} 个字符",
                        rule.description,
                        text.chars().count()
                    ),
                });
            }
        }
    }
}
