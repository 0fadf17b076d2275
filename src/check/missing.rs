//! Fixed rows missing from an input: a total item of a two-sided table, or the 合计 row of a
//! coded table that has rows. They are absent, not zero: the other checks compare nothing
//! against them, and this one says which they are.

use super::cap::Findings;
use super::finding::Finding;
use crate::edition::{Edition, Layout, TablesRule};
use crate::model::{Budget, RowKind};

pub(super) fn check_missing_rows(
    edition: &Edition,
    rule: &TablesRule,
    budget: &Budget,
    out: &mut Findings,
) {
    for &number in &rule.tables {
        let (Some(spec), Some(table)) = (edition.table(number), budget.table(number)) else {
            continue;
        };
        let missing: Vec<String> = match &spec.layout {
            Layout::TwoSided(ts) => ts
                .items
                .iter()
                .filter(|it| !it.sum_of.is_empty())
                .filter(|it| {
                    let side = &ts.sides[it.side].name;
                    !table.rows.iter().any(|r| {
                        r.side.as_deref() == Some(side) && r.item.as_deref() == Some(&it.id)
                    })
                })
                .map(|it| crate::base::text::compact(&it.label))
                .collect(),
            Layout::Coded(_) | Layout::Projects => {
                let has_rows = table.rows.iter().any(|r| r.kind != RowKind::Total);
                let has_total = table.rows.iter().any(|r| r.kind == RowKind::Total);
                if has_rows && !has_total && matches!(spec.layout, Layout::Coded(_)) {
                    vec![crate::base::text::compact(&edition.total_label)]
                } else {
                    Vec::new()
                }
            }
        };
        if missing.is_empty() {
            continue;
        }
        let named: Vec<String> = missing.iter().map(|m| format!("“{m}”")).collect();
        let text = format!("缺少{}行（{}）", named.join(""), rule.description);
        out.push(Finding::of_table(rule, number, text));
    }
}
