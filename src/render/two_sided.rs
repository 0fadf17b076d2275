//! The two-sided layout (收入 | 支出 side by side, as in 表1 and 表4): each side's items in
//! the edition's order, totals as sums of their items.

use super::cells::{Cell, DataRow, Subject, detail_amounts};
use crate::edition::{TableSpec, TwoSided};
use crate::model::{Row, RowKind, Table};

/// The data rows of a two-sided table.
pub(super) fn two_sided(spec: &TableSpec, ts: &TwoSided, table: &Table) -> Vec<DataRow> {
    let width = spec.columns.len();
    let mut position = vec![0usize; ts.items.len()];
    for (r, places) in ts.rows.iter().enumerate() {
        for item in places.iter().flatten() {
            position[*item] = r;
        }
    }
    let mut out = Vec::with_capacity(ts.rows.len());
    for (r, places) in ts.rows.iter().enumerate() {
        let mut cells = vec![Cell::Empty; width];
        let mut subjects = Vec::new();
        let mut kind = RowKind::Detail;
        for (s, side) in ts.sides.iter().enumerate() {
            let Some(i) = places[s] else {
                subjects.push(None);
                continue;
            };
            let item = &ts.items[i];
            cells[side.label_col] = Cell::Text(item.label.clone());
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
                    let terms = item.sum_of.iter().map(|&j| (position[j], c)).collect();
                    cells[c] = Cell::total(terms);
                }
            }
            subjects.push(Some(Subject {
                code: item.code.clone(),
                name: crate::base::text::compact(&item.label),
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
