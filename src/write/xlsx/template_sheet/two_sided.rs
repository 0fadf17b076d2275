//! Input cells of a two-sided table (收入 | 支出) and of a one-row table: each item's amount, the totals as
//! formulas over the items.

use super::inputs::{Inputs, write_amount};
use crate::edition::ColumnKind;
use crate::model::{Budget, RowKind, Table};
use crate::render::{Cell, Rendered};
use rust_xlsxwriter::{Worksheet, XlsxError};

/// The amounts of a two-sided table's detail items are inputs; its totals stay formulas.
pub(super) fn two_sided_inputs(
    sheet: &mut Worksheet,
    table: &Rendered<'_>,
    prefill: Option<(&Budget, &Table)>,
    data_start: u32,
    inputs: &Inputs,
) -> Result<(), XlsxError> {
    for (r, row) in table.rows.iter().enumerate() {
        for (c, cell) in row.cells.iter().enumerate() {
            if table.spec.columns[c].kind != ColumnKind::Amount || matches!(cell, Cell::Sum(_)) {
                continue;
            }
            // Only a line with an item takes a figure (not the blank half of a footer row).
            let side = table.spec.columns[c].side.unwrap_or(0);
            let Some(item) = row
                .subjects
                .get(side)
                .and_then(Option::as_ref)
                .and_then(|s| s.item.as_ref())
            else {
                continue;
            };
            let (sheet_row, col) = (data_start + r as u32, c as u16);
            let value = prefill.and_then(|(_, t)| {
                let model = t
                    .rows
                    .iter()
                    .find(|m| m.item.as_ref() == Some(item) && m.side.is_some())?;
                model.amounts.get(&table.spec.columns[c].key).copied()
            });
            write_amount(sheet, sheet_row, col, value, inputs)?;
            sheet.add_data_validation(sheet_row, col, sheet_row, col, &inputs.number)?;
        }
    }
    Ok(())
}

/// Input cells of a table of one row (`single_row`): its figures typed on that row, its total
/// columns as formulas over them; prefilled with the budget's row.
pub(super) fn single_row_inputs(
    sheet: &mut Worksheet,
    table: &Rendered<'_>,
    prefill: Option<(&Budget, &Table)>,
    data_start: u32,
    inputs: &Inputs,
) -> Result<(), XlsxError> {
    let Some(row) = table.rows.first() else {
        return Ok(());
    };
    let model = prefill.and_then(|(_, t)| t.rows.iter().find(|r| r.kind == RowKind::Total));
    for (c, cell) in row.cells.iter().enumerate() {
        if table.spec.columns[c].kind != ColumnKind::Amount || matches!(cell, Cell::Sum(_)) {
            continue;
        }
        let value = model.and_then(|m| m.amounts.get(&table.spec.columns[c].key).copied());
        let col = c as u16;
        write_amount(sheet, data_start, col, value, inputs)?;
        sheet.add_data_validation(data_start, col, data_start, col, &inputs.number)?;
    }
    Ok(())
}
