//! Consolidation: unit budgets into a department budget (部门预算), the same thirteen tables
//! with 部门 titles. How each table consolidates follows from its description: two-sided
//! tables add up item by item; coded tables with a unit column keep every unit's rows (with
//! their unit codes) in code order; coded tables without one add up rows of the same code; the
//! projects table lists every unit's projects. Subtotal rows are rebuilt from the codes and
//! every total recomputed.

use crate::edition::{ColumnKind, Edition, Layout};
use crate::model::{Budget, Row, RowKind, Table, says_empty};
use std::collections::BTreeMap;

/// Why budgets cannot be consolidated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Nothing to consolidate.
    #[error("没有可汇总的单位预算")]
    Empty,
    /// Budgets of different years.
    #[error(
        "不能汇总不同年度的预算：{first_unit} 为 {first_year} 年，{other_unit} 为 {other_year} 年"
    )]
    Years {
        /// The first unit.
        first_unit: String,
        /// Its year.
        first_year: u16,
        /// A unit of another year.
        other_unit: String,
        /// Its year.
        other_year: u16,
    },
    /// The same unit twice.
    #[error("单位 {0} 出现了两次")]
    Duplicate(String),
}

/// Consolidates unit budgets into the budget of department `code`-`name`.
pub fn merge(
    edition: &Edition,
    units: &[Budget],
    code: &str,
    name: &str,
) -> Result<Budget, MergeError> {
    let first = units.first().ok_or(MergeError::Empty)?;
    let who = |b: &Budget| format!("{}-{}", b.code, b.name);
    let mut seen = std::collections::BTreeSet::new();
    for u in units {
        if u.year != first.year {
            return Err(MergeError::Years {
                first_unit: who(first),
                first_year: first.year,
                other_unit: who(u),
                other_year: u.year,
            });
        }
        if !seen.insert(u.code.clone()) {
            return Err(MergeError::Duplicate(who(u)));
        }
    }
    let tables = edition
        .tables
        .iter()
        .map(|spec| {
            let parts: Vec<&Table> = units.iter().filter_map(|u| u.table(spec.number)).collect();
            let rows = match &spec.layout {
                Layout::TwoSided(_) => add_items(&parts),
                Layout::Coded(_) if spec.column_of(ColumnKind::Unit).is_some() => {
                    rebuild(edition, keep_rows(&parts), &parts)
                }
                Layout::Coded(_) => rebuild(edition, add_by_code(&parts), &parts),
                Layout::Projects => parts.iter().flat_map(|t| t.rows.iter().cloned()).collect(),
            };
            let has_data = rows
                .iter()
                .any(|r| r.kind != RowKind::Total && !r.amounts.is_empty());
            let notes = if has_data {
                Vec::new()
            } else {
                parts
                    .iter()
                    .flat_map(|t| t.notes.iter())
                    .filter(|n| says_empty(n))
                    .take(1)
                    .cloned()
                    .collect()
            };
            Table {
                number: spec.number,
                title: spec.title.replacen("单位", "部门", 1),
                rows,
                notes,
            }
        })
        .collect();
    let mut budget = Budget {
        edition: edition.name.clone(),
        year: first.year,
        entity_word: "部门".into(),
        code: code.to_owned(),
        name: name.to_owned(),
        amount_unit: edition.amount_unit.clone(),
        tables,
    };
    crate::totals::recompute(edition, &mut budget);
    Ok(budget)
}

/// Two-sided tables: the first unit's items, each with the sum over all units.
fn add_items(parts: &[&Table]) -> Vec<Row> {
    let Some(first) = parts.first() else {
        return Vec::new();
    };
    first
        .rows
        .iter()
        .map(|row| {
            let mut merged = row.clone();
            merged.amounts.clear();
            for t in parts {
                if let Some(r) = t
                    .rows
                    .iter()
                    .find(|r| r.side == row.side && r.item == row.item)
                {
                    for (k, v) in &r.amounts {
                        *merged.amounts.entry(k.clone()).or_default() += v;
                    }
                }
            }
            merged
        })
        .collect()
}

/// Every unit's detail rows, stable-sorted by code (units in the order given).
fn keep_rows(parts: &[&Table]) -> Vec<Row> {
    let mut rows: Vec<Row> = parts
        .iter()
        .flat_map(|t| t.rows.iter().filter(|r| r.kind == RowKind::Detail).cloned())
        .collect();
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    rows
}

/// Detail rows of the same code added up, in code order.
fn add_by_code(parts: &[&Table]) -> Vec<Row> {
    let mut by_code: BTreeMap<Option<String>, Row> = BTreeMap::new();
    for row in parts
        .iter()
        .flat_map(|t| t.rows.iter().filter(|r| r.kind == RowKind::Detail))
    {
        let merged = by_code.entry(row.code.clone()).or_insert_with(|| {
            let mut r = row.clone();
            r.amounts.clear();
            r.unit_code = None;
            r
        });
        for (k, v) in &row.amounts {
            *merged.amounts.entry(k.clone()).or_default() += v;
        }
    }
    by_code.into_values().collect()
}

/// The grand total, then the detail rows with the subtotal rows the units had (a 类 row before
/// its first 款, a project group before its projects), rebuilt from the codes.
fn rebuild(edition: &Edition, details: Vec<Row>, parts: &[&Table]) -> Vec<Row> {
    let mut subtotals: BTreeMap<String, Row> = BTreeMap::new();
    for row in parts
        .iter()
        .flat_map(|t| t.rows.iter().filter(|r| r.kind == RowKind::Subtotal))
    {
        if let Some(code) = &row.code {
            subtotals.entry(code.clone()).or_insert_with(|| {
                let mut r = Row::new(RowKind::Subtotal, row.name.clone());
                r.code = Some(code.clone());
                r
            });
        }
    }
    let mut rows = vec![Row::new(
        RowKind::Total,
        crate::text::compact(&edition.total_label),
    )];
    let mut open: Vec<String> = Vec::new();
    for row in details {
        let code = row.code.clone().unwrap_or_default();
        open.retain(|s| code.starts_with(s.as_str()));
        for (s, sub) in &subtotals {
            if code.starts_with(s.as_str()) && !open.contains(s) {
                open.push(s.clone());
                rows.push(sub.clone());
            }
        }
        rows.push(row);
    }
    rows
}
