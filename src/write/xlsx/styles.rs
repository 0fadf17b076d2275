//! The formats of the workbooks yusuan writes, and the page layout and banner lines they share.

use crate::edition::Edition;
use crate::model::Budget;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};
use std::str::FromStr;

/// Number format of figures outside the tables (findings, shares, summaries): a zero shows.
pub const FIGURE_FORMAT: &str = "#,##0.00";
/// Number format of shares.
pub const SHARE_FORMAT: &str = "0.00%";

/// Height in points of one line of 10-point text.
pub(crate) const LINE_HEIGHT: f64 = 13.5;

/// Lines a text wraps to in a column of this width in characters (at least one).
pub(crate) fn lines_of(text: &str, width: f64) -> f64 {
    (crate::base::text::display_width(text) / (width - 1.0).max(1.0))
        .ceil()
        .max(1.0)
}

pub(super) const FONT: &str = "宋体";
/// Fill and font of a total whose submitted figure is not the sum of its parts.
pub(super) const FLAG_FILL: u32 = 0xFFC7CE;
pub(super) const FLAG_FONT: u32 = 0x9C0006;

/// The cell formats of the workbooks yusuan writes.
pub(crate) struct Styles {
    pub(crate) title: Format,
    pub(crate) entity: Format,
    pub(super) unit: Format,
    pub(crate) header: Format,
    pub(crate) text: Format,
    pub(crate) wrap: Format,
    pub(super) code: Format,
    pub(crate) amount: Format,
    pub(crate) figure: Format,
    pub(super) number: Format,
    pub(super) text_total: Format,
    pub(super) text_bold: Format,
    pub(super) amount_total: Format,
    pub(super) amount_flagged: Format,
    pub(super) amount_total_flagged: Format,
    pub(super) warning: Format,
    pub(super) share: Format,
    pub(super) note: Format,
    pub(super) note_wrap: Format,
}

impl Styles {
    /// The styles of a workbook whose tables show amounts in `amount_format` (the edition's,
    /// or a table's own).
    pub(crate) fn new(amount_format: &str) -> Styles {
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_size(10)
            .set_align(FormatAlign::VerticalCenter);
        let cell = base.clone().set_border(FormatBorder::Thin);
        Styles {
            title: base
                .clone()
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center),
            entity: base.clone().set_align(FormatAlign::Left),
            unit: base.clone().set_align(FormatAlign::Right),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap()
                .set_background_color(0xDDEBF7),
            text: cell.clone(),
            wrap: cell.clone().set_text_wrap(),
            code: cell
                .clone()
                .set_align(FormatAlign::Center)
                .set_num_format("@"),
            amount: cell.clone().set_num_format(amount_format),
            figure: cell.clone().set_num_format(FIGURE_FORMAT),
            number: cell.clone().set_num_format("0.##"),
            text_total: cell.clone().set_bold().set_align(FormatAlign::Center),
            text_bold: cell.clone().set_bold(),
            amount_total: cell.clone().set_bold().set_num_format(amount_format),
            amount_flagged: cell
                .clone()
                .set_num_format(amount_format)
                .set_background_color(FLAG_FILL)
                .set_font_color(Color::RGB(FLAG_FONT)),
            amount_total_flagged: cell
                .clone()
                .set_bold()
                .set_num_format(amount_format)
                .set_background_color(FLAG_FILL)
                .set_font_color(Color::RGB(FLAG_FONT)),
            warning: base
                .clone()
                .set_bold()
                .set_font_size(12)
                .set_align(FormatAlign::Center)
                .set_font_color(Color::RGB(FLAG_FONT)),
            share: cell.clone().set_num_format(SHARE_FORMAT),
            note_wrap: base
                .clone()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top)
                .set_text_wrap(),
            note: base.set_align(FormatAlign::Left),
        }
    }
}

/// An amount as the number a cell stores (through its exact decimal text).
pub(crate) fn f64_of(value: Decimal) -> f64 {
    f64::from_str(&value.to_string()).unwrap_or(0.0)
}

/// Blank page layout shared by every sheet.
pub(super) fn page_setup(
    sheet: &mut Worksheet,
    repeat: Option<(u32, u32)>,
    freeze: u32,
) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    sheet.set_footer("&C第 &P 页，共 &N 页");
    if let Some((first, last)) = repeat {
        sheet.set_repeat_rows(first, last)?;
    }
    sheet.set_freeze_panes(freeze, 0)?;
    Ok(())
}

use crate::base::text::CELL_CHARS;

/// A text as a cell can hold it: whole when it has at most [`CELL_CHARS`] characters (UTF-16
/// units, as Excel counts), else cut to that length ending in `…`. A text may reach a cell
/// whole from the input (up to the limit) and then be quoted in a longer message.
pub(crate) fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    if !crate::base::text::too_long_for_a_cell(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut units = 0;
    for c in text.chars() {
        if units + c.len_utf16() > CELL_CHARS - 1 {
            break;
        }
        units += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    std::borrow::Cow::Owned(out)
}

/// A line of text across the whole width (title, entity line, notes).
pub(super) fn banner(
    sheet: &mut Worksheet,
    row: u32,
    width: usize,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    let text = &*fit(text);
    if width > 1 {
        sheet.merge_range(row, 0, row, (width - 1) as u16, text, format)?;
    } else {
        sheet.write_string_with_format(row, 0, text, format)?;
    }
    Ok(())
}

/// The title and entity lines of a sheet that is not one of the tables.
pub(super) fn heading(
    sheet: &mut Worksheet,
    edition: &Edition,
    title: &str,
    budget: &Budget,
    width: usize,
    st: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_row_height(0, 30)?;
    banner(sheet, 0, width, title, &st.title)?;
    let entity = edition.entity_line_of(&budget.entity_word, &budget.code, &budget.name);
    banner(sheet, 1, width, &entity, &st.entity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_fit_a_cell() {
        assert_eq!(fit("项目"), "项目");
        let whole = "项".repeat(CELL_CHARS);
        assert_eq!(fit(&whole).chars().count(), CELL_CHARS);
        let long = format!("项目“{}”", "名".repeat(CELL_CHARS));
        let cut = fit(&long);
        assert_eq!(cut.encode_utf16().count(), CELL_CHARS);
        assert!(cut.ends_with('…'));
        // A character outside the BMP counts two, as Excel counts it.
        let wide = "𠀀".repeat(CELL_CHARS / 2 + 1);
        assert!(fit(&wide).encode_utf16().count() <= CELL_CHARS);
    }
}
