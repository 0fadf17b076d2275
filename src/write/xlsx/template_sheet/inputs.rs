//! Input cells of the template: how they look and what they accept, an amount typed into
//! one, and the print measures of a template table.

use super::super::styles::{LINE_HEIGHT, Styles, f64_of};
use crate::edition::Edition;
use crate::render::Rendered;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, Worksheet, XlsxError,
};

/// How input cells look (unlocked, shaded) and what they accept.
pub(crate) struct Inputs {
    /// Text input cells.
    pub(super) text: Format,
    /// Code input cells (text, so that leading zeros stay).
    pub(super) code: Format,
    /// Amount input cells.
    pub(super) amount: Format,
    /// Amounts: numbers only, with the edition's message.
    pub(super) number: DataValidation,
    /// The edition's message for a value not among a column's choices.
    pub(super) choice_error: String,
    /// The note line under a table: the note of a table without data offered as a choice
    /// (other text is still accepted, with a notice), and its hint.
    pub(super) note: DataValidation,
}

impl Inputs {
    pub(crate) fn new(st: &Styles, edition: &Edition) -> Result<Inputs, XlsxError> {
        let shade = |f: &Format| f.clone().set_unlocked().set_background_color(0xFFF9E5);
        Ok(Inputs {
            text: shade(&st.wrap),
            code: shade(&st.text)
                .set_num_format("@")
                .set_align(FormatAlign::Center),
            amount: shade(&st.amount),
            number: DataValidation::new()
                .allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
                .set_error_message(&edition.template_number_error)?,
            choice_error: edition.template_choice_error.clone(),
            note: DataValidation::new()
                .allow_list_strings(std::slice::from_ref(&edition.template_empty_note))?
                .set_error_style(rust_xlsxwriter::DataValidationErrorStyle::Information)
                .set_input_message(&edition.template_note_hint)?,
        })
    }
}

/// Where the unit is typed in the template: the sheet and cell (row, column) of the first
/// table's 单位 input.
pub(crate) type EntityInput<'a> = (&'a str, u32, u16);

pub(super) fn write_amount(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<Decimal>,
    inputs: &Inputs,
) -> Result<(), XlsxError> {
    match value.filter(|v| !v.is_zero()) {
        Some(v) => sheet.write_number_with_format(row, col, f64_of(v), &inputs.amount)?,
        None => sheet.write_blank(row, col, &inputs.amount)?,
    };
    Ok(())
}

/// How a table's sheet prints: its scale (one page wide), the height above its header and the
/// height of its header (repeated on every page), in points.
pub(super) fn print_measures(table: &Rendered<'_>, widths: &[f64]) -> (f64, f64, f64) {
    let scale = super::super::pages::scale(widths);
    let above = table.header_start() as f64 * 20.0;
    let header = table.spec.header.height() as f64 * 2.0 * LINE_HEIGHT;
    (scale, above, header)
}
