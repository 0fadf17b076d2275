//! The coded layout (rows by 科目 code: 类, 款, 项): the grand total first (or last, as the
//! edition says), every total the sum of the rows it adds up, as the codes say.

use super::cells::{Cell, DataRow, Subject, detail_amounts};
use crate::edition::{ColumnKind, Edition, Layout, Rect, TableSpec};
use crate::model::{Row, RowKind, Table, hierarchy};

/// The data rows of a coded table.
/// The rows of a coded table, and the cells merged among them (a closing 合计's label, where
/// `publish`: the fillable template lays its 合计 out itself).
pub(super) fn coded(
    edition: &Edition,
    spec: &TableSpec,
    table: &Table,
    publish: bool,
) -> (Vec<DataRow>, Vec<Rect>) {
    let width = spec.columns.len();
    let amount_cols: Vec<usize> = spec.amount_columns().collect();
    // The grand total leads (or closes, as the edition says), whatever the model holds.
    let total = Row::new(
        RowKind::Total,
        crate::base::text::compact(&edition.total_label),
    );
    // A table of one row: that row, its figures as typed, its total columns over them.
    if spec.single_row() {
        let model = table.rows.iter().position(|r| r.kind == RowKind::Total);
        let row = model.map_or(&total, |i| &table.rows[i]);
        let mut cells = vec![Cell::Empty; width];
        detail_amounts(spec, 0, row, &mut cells, &amount_cols);
        let subject = Subject {
            code: None,
            name: row.name.clone(),
            unit_code: None,
            item: None,
            kind: Some(RowKind::Total),
            row: model,
        };
        let row = DataRow {
            kind: RowKind::Total,
            cells,
            subjects: vec![Some(subject)],
        };
        return (vec![row], Vec::new());
    }
    let at_bottom = matches!(&spec.layout, Layout::Coded(c) if c.total_at_bottom);
    let model_total = table.rows.iter().position(|r| r.kind == RowKind::Total);
    // Each rendered row, and where it comes from in the model.
    let body = table
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind != RowKind::Total)
        .map(|(i, r)| (r, Some(i)));
    let (rows, origin): (Vec<&Row>, Vec<Option<usize>>) = match at_bottom {
        false => std::iter::once((&total, model_total)).chain(body).unzip(),
        true => body.chain(std::iter::once((&total, model_total))).unzip(),
    };
    let children = hierarchy::children(&rows);
    let segments = spec.segment_columns();
    let has_full_code = spec.column_of(ColumnKind::Code).is_some();
    let segment_span = segments.iter().map(|(s, _)| s.end()).max().unwrap_or(0);
    let hidden = match &spec.layout {
        Layout::Coded(c) => c.hidden_subtotals.clone(),
        _ => Vec::new(),
    };
    // The name column, when only code columns stand before it.
    let label_span = spec
        .column_of(ColumnKind::Name)
        .filter(|&n| {
            spec.columns[..n]
                .iter()
                .all(|c| matches!(c.kind, ColumnKind::CodeSegment(_) | ColumnKind::Code))
        })
        .unwrap_or(0);
    let mut merges = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        let mut cells = vec![Cell::Empty; width];
        let code = row.code.as_deref().unwrap_or("");
        let code_hidden =
            row.kind == RowKind::Subtotal && hidden.iter().any(|s| s.end() == code.len());
        for (c, col) in spec.columns.iter().enumerate() {
            let text = match col.kind {
                ColumnKind::CodeSegment(seg) if !code_hidden && row.kind != RowKind::Total => {
                    // With a whole-code column beside them, segments show only for codes that
                    // fill them (table 7: 类 rows show 301 in the code column alone).
                    let shown = if has_full_code {
                        code.len() >= segment_span
                    } else {
                        code.len() >= seg.end()
                    };
                    shown.then(|| code[seg.start()..seg.end()].to_owned())
                }
                ColumnKind::Code if !code_hidden => row.code.clone(),
                ColumnKind::Unit => row.unit_code.clone(),
                ColumnKind::Name => Some(if row.kind == RowKind::Total {
                    edition.total_label.clone()
                } else {
                    row.name.clone()
                }),
                _ => None,
            };
            if let Some(t) = text.filter(|t| !t.is_empty()) {
                cells[c] = Cell::Text(t);
            }
        }
        // A 合计 closing the table spans the code columns and the name, its label in the
        // first (as Shanghai prints it).
        if publish && at_bottom && row.kind == RowKind::Total && label_span > 0 {
            let label = std::mem::replace(&mut cells[label_span], Cell::Empty);
            cells[0] = label;
            merges.push(Rect {
                first_row: r,
                first_col: 0,
                last_row: r,
                last_col: label_span,
            });
        }
        if children[r].is_empty() {
            if row.kind == RowKind::Detail || row.kind == RowKind::Subtotal {
                detail_amounts(spec, r, row, &mut cells, &amount_cols);
            }
        } else {
            for &c in &amount_cols {
                cells[c] = Cell::total(children[r].iter().map(|&k| (k, c)).collect());
            }
        }
        let subject = Subject {
            code: row.code.clone(),
            name: row.name.clone(),
            unit_code: row.unit_code.clone(),
            item: None,
            kind: Some(row.kind),
            row: origin[r],
        };
        out.push(DataRow {
            kind: row.kind,
            cells,
            subjects: vec![Some(subject)],
        });
    }
    (out, merges)
}
