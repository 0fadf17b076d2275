//! The 填表说明 sheet of the fillable template: how to fill it (the edition's words), the rules
//! it will be checked against, and what to send back.

use super::styles::{LINE_HEIGHT, Styles, lines_of, page_setup};
use crate::edition::Edition;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// Writes the instructions: the edition's lines, then every rule with its id.
pub(super) fn write_instructions(
    sheet: &mut Worksheet,
    edition: &Edition,
    st: &Styles,
) -> Result<(), XlsxError> {
    // Rule id, severity, tables, wording; the instructions span all four.
    const WIDTHS: [f64; 4] = [8.0, 6.0, 14.0, 80.0];
    let all: f64 = WIDTHS.iter().sum();
    sheet.set_row_height(0, 30)?;
    sheet.merge_range(0, 0, 0, 3, &edition.template_sheet, &st.title)?;
    let mut row = 2u32;
    for line in &edition.template_instructions {
        sheet.merge_range(row, 0, row, 3, line, &st.wrap)?;
        sheet.set_row_height(row, lines_of(line, all) * LINE_HEIGHT)?;
        row += 1;
    }
    row += 1;
    let header = row;
    for (c, h) in edition.template_rules_header.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, h, &st.header)?;
    }
    for rule in crate::check::catalog(edition) {
        row += 1;
        let tables = rule.tables_text();
        sheet.write_string_with_format(row, 0, &rule.id, &st.text)?;
        sheet.write_string_with_format(row, 1, rule.severity.word(), &st.text)?;
        sheet.write_string_with_format(row, 2, &tables, &st.wrap)?;
        sheet.write_string_with_format(row, 3, &rule.description, &st.wrap)?;
        let lines = lines_of(&tables, WIDTHS[2]).max(lines_of(&rule.description, WIDTHS[3]));
        sheet.set_row_height(row, lines * LINE_HEIGHT)?;
    }
    for (c, w) in WIDTHS.into_iter().enumerate() {
        sheet.set_column_width(c as u16, w)?;
    }
    // The rules' header repeats on every printed page of the catalogue.
    page_setup(sheet, Some((header, header)), 2)
}
