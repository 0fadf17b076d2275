//! A sheet of text of the fillable template (单位职能, 编制说明 …): one wrapped input cell per
//! paragraph — the prefilled budget's, then blank ones — read back as the sheet's paragraphs.

use super::inputs::Inputs;
use crate::model::TextSheet;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// Blank paragraphs offered after the prefilled ones.
const BLANK: usize = 20;
/// The width of the one column, in characters: an A4 portrait page.
const WIDTH: f64 = 90.0;

/// Writes the input cells of a sheet of text, prefilled with `text` where given.
pub(crate) fn write_text_inputs(
    sheet: &mut Worksheet,
    text: Option<&TextSheet>,
    inputs: &Inputs,
) -> Result<(), XlsxError> {
    sheet.set_column_width(0, WIDTH)?;
    let paragraphs = text.map_or(&[][..], |t| &t.paragraphs[..]);
    for r in 0..paragraphs.len() + BLANK {
        let paragraph = paragraphs.get(r).map_or("", String::as_str);
        let row = r as u32;
        sheet.write_string_with_format(row, 0, &*super::super::fit(paragraph), &inputs.text)?;
        let lines = super::super::lines_of(paragraph, WIDTH - 1.0);
        if lines > 1.0 {
            sheet.set_row_height(row, lines * super::super::LINE_HEIGHT)?;
        }
    }
    sheet.set_portrait();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.protect();
    Ok(())
}
