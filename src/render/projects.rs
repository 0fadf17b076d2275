//! The projects layout (表13, 绩效目标): a project's indicator lines beside its merged cells,
//! projects grouped under their units.

use super::cells::{Cell, DataRow, Subject, amount_cell};
use crate::edition::{ColumnKind, Rect, TableSpec};
use crate::model::{Row, RowKind, Table, hierarchy};
use rust_decimal::Decimal;
use std::str::FromStr;

/// The data rows of a projects table, and its merged cells.
pub(super) fn projects(spec: &TableSpec, table: &Table) -> (Vec<DataRow>, Vec<Rect>) {
    let width = spec.columns.len();
    let col = |k: ColumnKind| spec.column_of(k);
    let unit_text = |row: &Row| {
        row.unit_code
            .as_ref()
            .map(|code| format!("{code}-{}", row.name))
    };
    let mut out: Vec<DataRow> = Vec::new();
    let mut merges = Vec::new();
    // The sheet rows of each model row: a project spans its indicator lines.
    let mut span_of = vec![(0usize, 0usize); table.rows.len()];
    for (i, row) in table.rows.iter().enumerate() {
        let start = out.len();
        for l in 0..row.lines.len().max(1) {
            let mut cells = vec![Cell::Empty; width];
            for (c, spec_col) in spec.columns.iter().enumerate() {
                cells[c] = match (spec_col.kind, row.lines.get(l)) {
                    (ColumnKind::UnitName, _) if l == 0 && row.kind != RowKind::Detail => {
                        unit_text(row).map_or(Cell::Empty, Cell::Text)
                    }
                    (ColumnKind::Name, _) if l == 0 && row.kind == RowKind::Detail => {
                        Cell::Text(row.name.clone())
                    }
                    (ColumnKind::Amount, _) if l == 0 => amount_cell(row, &spec_col.key),
                    (ColumnKind::Text, _) if l == 0 => row
                        .texts
                        .get(&spec_col.key)
                        .map_or(Cell::Empty, |t| Cell::Text(t.clone())),
                    (ColumnKind::LineNumber, Some(line)) => {
                        line.get(&spec_col.key).map_or(Cell::Empty, |v| {
                            Decimal::from_str(v).map_or(Cell::Text(v.clone()), Cell::Number)
                        })
                    }
                    (ColumnKind::Line, Some(line)) => line
                        .get(&spec_col.key)
                        .map_or(Cell::Empty, |v| Cell::Text(v.clone())),
                    _ => Cell::Empty,
                };
            }
            let subject = (l == 0).then(|| Subject {
                code: row.code.clone(),
                name: row.name.clone(),
                unit_code: row.unit_code.clone(),
                item: None,
                kind: Some(row.kind),
                row: Some(i),
            });
            out.push(DataRow {
                kind: row.kind,
                cells,
                subjects: vec![subject],
            });
        }
        let end = out.len() - 1;
        span_of[i] = (start, end);
        if row.kind == RowKind::Detail && end > start {
            for (c, spec_col) in spec.columns.iter().enumerate() {
                if matches!(
                    spec_col.kind,
                    ColumnKind::Name | ColumnKind::Amount | ColumnKind::Text
                ) {
                    merges.push(Rect {
                        first_row: start,
                        first_col: c,
                        last_row: end,
                        last_col: c,
                    });
                }
            }
        }
    }
    // A unit's row adds up its projects; its name stands again beside them, merged down. A
    // grand total adds up the unit rows; a second one (no table has it) stays as typed.
    let structure = hierarchy::children(&table.rows);
    let first_total = (0..table.rows.len()).find(|&i| structure.is_total(i));
    for (i, kids) in structure.iter().enumerate() {
        if structure.is_total(i) && Some(i) != first_total {
            continue;
        }
        let (Some(&first), Some(&last)) = (kids.first(), kids.last()) else {
            continue;
        };
        if let Some(ac) = col(ColumnKind::Amount) {
            let terms = kids.iter().map(|&k| (span_of[k].0, ac)).collect();
            out[span_of[i].0].cells[ac] = Cell::total(terms);
        }
        if let (Some(uc), Some(text)) = (col(ColumnKind::UnitName), unit_text(&table.rows[i])) {
            let (top, bottom) = (span_of[first].0, span_of[last].1);
            out[top].cells[uc] = Cell::Text(text);
            if bottom > top {
                merges.push(Rect {
                    first_row: top,
                    first_col: uc,
                    last_row: bottom,
                    last_col: uc,
                });
            }
        }
    }
    (out, merges)
}
