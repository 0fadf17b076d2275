//! The two-sided layout (收入 | 支出 side by side, as in 表1 and 表4): each side's items in
//! the edition's order, totals as sums of their items.

use super::cells::{Cell, DataRow, Subject, detail_amounts};
use crate::edition::{TableSpec, TwoSided, chinese_ordinal};
use crate::model::{Row, RowKind, Table};

/// The rows as written, and each item's label: the edition's — or, where class items are
/// written only when the budget has a figure for them (`used_only`), each side's remaining
/// items packed from the top, the classes numbered in sequence, then the footer rows. With
/// `every`, each item in the edition's place (a template to fill).
fn layout(ts: &TwoSided, table: &Table, every: bool) -> (Vec<Vec<Option<usize>>>, Vec<String>) {
    let mut labels: Vec<String> = ts.items.iter().map(|i| i.label.clone()).collect();
    if every || ts.items.iter().all(|i| i.used_only.is_none()) {
        return (ts.rows.clone(), labels);
    }
    let used = |i: usize| {
        let item = &ts.items[i];
        let side = &ts.sides[item.side].name;
        item.used_only.is_none()
            || table.rows.iter().any(|r| {
                r.side.as_deref() == Some(side.as_str())
                    && r.item.as_deref() == Some(item.id.as_str())
                    && !r.amounts.is_empty()
            })
    };
    let (body, footers) = ts.rows.split_at(ts.footer_start);
    let kept: Vec<Vec<usize>> = (0..ts.sides.len())
        .map(|s| {
            body.iter()
                .filter_map(|places| places[s])
                .filter(|&i| used(i))
                .collect()
        })
        .collect();
    for side in &kept {
        let classes = side.iter().filter(|&&i| ts.items[i].used_only.is_some());
        for (n, &i) in classes.enumerate() {
            let item = &ts.items[i];
            let name = crate::base::text::without_number(&item.label).to_owned();
            labels[i] = match item.used_only {
                Some(true) => format!("{}、{name}", chinese_ordinal(n + 1)),
                _ => name,
            };
        }
    }
    let height = kept.iter().map(Vec::len).max().unwrap_or(0);
    let rows = (0..height)
        .map(|r| kept.iter().map(|side| side.get(r).copied()).collect())
        .chain(footers.iter().cloned())
        .collect();
    (rows, labels)
}

/// The data rows of a two-sided table; with `every`, every item (classes without figures too).
pub(super) fn two_sided(
    spec: &TableSpec,
    ts: &TwoSided,
    table: &Table,
    every: bool,
) -> Vec<DataRow> {
    let width = spec.columns.len();
    let (rows, labels) = layout(ts, table, every);
    // The row each item is written on; an item not written (a class without figures) adds
    // nothing to a total.
    let mut position: Vec<Option<usize>> = vec![None; ts.items.len()];
    for (r, places) in rows.iter().enumerate() {
        for item in places.iter().flatten() {
            position[*item] = Some(r);
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for (r, places) in rows.iter().enumerate() {
        let mut cells = vec![Cell::Empty; width];
        let mut subjects = Vec::new();
        let mut kind = RowKind::Detail;
        for (s, side) in ts.sides.iter().enumerate() {
            let Some(i) = places[s] else {
                subjects.push(None);
                continue;
            };
            let item = &ts.items[i];
            cells[side.label_col] = Cell::Text(labels[i].clone());
            let model_index = table.rows.iter().position(|row| {
                row.side.as_deref() == Some(side.name.as_str())
                    && row.item.as_deref() == Some(item.id.as_str())
            });
            let model = model_index.map(|i| &table.rows[i]);
            if item.sum_of.is_empty() {
                let blank = Row::new(RowKind::Detail, "");
                detail_amounts(
                    spec,
                    r,
                    model.unwrap_or(&blank),
                    &mut cells,
                    &side.amount_cols,
                );
            } else {
                kind = RowKind::Total;
                for &c in &side.amount_cols {
                    let terms = item
                        .sum_of
                        .iter()
                        .filter_map(|&j| position[j].map(|r| (r, c)))
                        .collect();
                    cells[c] = Cell::total(terms);
                }
            }
            subjects.push(Some(Subject {
                code: item.code.clone(),
                name: crate::base::text::compact(&labels[i]),
                unit_code: None,
                item: Some(item.id.clone()),
                kind: Some(if item.sum_of.is_empty() {
                    RowKind::Detail
                } else {
                    RowKind::Total
                }),
                row: model_index,
            }));
        }
        out.push(DataRow {
            kind,
            cells,
            subjects,
        });
    }
    out
}
