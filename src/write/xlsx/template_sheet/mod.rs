//! The fillable template: each table's sheet with blank input rows (unlocked, amounts
//! validated as decimals, code columns as text, listed values offered), its 合计 and row totals
//! as live formulas over them, the 单位 line as a labelled input, the sheet protected (no
//! password) so that headers and formulas stay; optionally prefilled with an existing budget.

mod coded;
mod inputs;
mod text;
mod two_sided;

pub(super) use inputs::{EntityInput, Inputs};
pub(super) use text::write_text_inputs;

use super::styles::{Styles, fit};
use super::table::write_table;
use crate::base::a1;
use crate::edition::{Edition, Layout};
use crate::model::{Budget, Table};
use crate::render::Rendered;
use coded::coded_inputs;
use inputs::print_measures;
use rust_xlsxwriter::{DataValidation, Formula, Worksheet, XlsxError};
use two_sided::{single_row_inputs, two_sided_inputs};

/// Writes one table of the fillable template with `blank` empty input rows after the rows of
/// `prefill` (a budget's table, written as typed values). The unit is typed once: on the
/// first table (`entity_from` `None`), where its cell is an input; the other tables show it by
/// formula from there. Returns where this table's unit cell stands.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_template_table(
    sheet: &mut Worksheet,
    edition: &Edition,
    table: &Rendered<'_>,
    prefill: Option<(&Budget, &Table)>,
    blank: usize,
    st: &Styles,
    inputs: &Inputs,
    entity_from: Option<EntityInput<'_>>,
) -> Result<Option<(u32, u16)>, XlsxError> {
    write_table(sheet, table, st, None)?;
    let mut entity_cell = None;
    if let Some(row) = table.entity_row() {
        let row = row as u32;
        // The input spans the rest of the row (but the unit line's cell, on a one-row
        // preamble): a unit's name is longer than any code column.
        let last = table.width() as u16 - 1 - u16::from(table.one_row_preamble());
        let who = prefill.map(|(b, _)| b.who());
        let who = fit(who.as_deref().unwrap_or(""));
        match entity_from {
            None => {
                sheet.merge_range(row, 1, row, last, &who, &inputs.text)?;
                let hint = DataValidation::new()
                    .allow_any_value()
                    .set_input_title(&edition.entity_word)?
                    .set_input_message(&edition.template_entity_hint)?;
                sheet.add_data_validation(row, 1, row, last, &hint)?;
            }
            Some((from, r, c)) => {
                // Blank while the first table's unit is blank (a reference alone shows 0).
                let cell = format!(
                    "{}!{}",
                    a1::quoted_sheet(from),
                    a1::cell(r as usize, c as usize)
                );
                let formula =
                    Formula::new(format!("IF({cell}=\"\",\"\",{cell})")).set_result(&*who);
                sheet.merge_range(row, 1, row, last, "", &st.entity)?;
                // An empty cached result is an empty text, not rust_xlsxwriter's default 0
                // (which a reader before recalculation, yusuan too, would take for the unit).
                sheet.set_formula_result_default("");
                sheet.write_formula_with_format(row, 1, formula, &st.entity)?;
                sheet.set_formula_result_default("0");
            }
        }
        entity_cell = Some((row, 1));
    }
    let data_start = table.data_start() as u32;
    match &table.spec.layout {
        Layout::TwoSided(_) => two_sided_inputs(sheet, table, prefill, data_start, inputs)?,
        Layout::Coded(c) if c.single_row => {
            single_row_inputs(sheet, table, prefill, data_start, inputs)?;
        }
        Layout::Coded(_) | Layout::Projects => {
            let heights = coded_inputs(sheet, table, prefill, blank, data_start, st, inputs)?;
            // A few input rows alone on a last page: the table fitted to one page less.
            let (scale, above, header) =
                print_measures(table, &super::measure::column_widths(table));
            if let Some(pages) = super::pages::fit_pages(&heights, above, header, scale) {
                sheet.set_print_fit_to_pages(1, pages);
            }
        }
    }
    sheet.protect();
    Ok(entity_cell)
}
