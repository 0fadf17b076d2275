//! A sheet of text of the official workbook (封面, 单位职能, 编制说明 …): its first paragraph as
//! the title, the others one to a row, wrapped, on A4 portrait.

use super::styles::{LINE_HEIGHT, Styles, fit, lines_of};
use crate::model::TextSheet;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// The width of the one column, in characters: an A4 portrait page.
const WIDTH: f64 = 90.0;

/// Writes `text` into `sheet`.
pub(super) fn write_text_sheet(
    sheet: &mut Worksheet,
    text: &TextSheet,
    st: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_column_width(0, WIDTH)?;
    let body = st.note_wrap.clone().set_indent(2);
    let mut paragraphs = text.paragraphs.iter();
    if let Some(title) = paragraphs.next() {
        sheet.write_string_with_format(0, 0, &*fit(title), &st.title)?;
        sheet.set_row_height(0, 30)?;
    }
    for (row, paragraph) in (2u32..).zip(paragraphs) {
        sheet.write_string_with_format(row, 0, &*fit(paragraph), &body)?;
        sheet.set_row_height(row, lines_of(paragraph, WIDTH - 4.0) * LINE_HEIGHT + 4.0)?;
    }
    sheet.set_portrait();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    sheet.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}
