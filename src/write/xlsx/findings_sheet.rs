//! The 校验结果 sheet: every finding, linked to its cell in this workbook and named in the input.

use super::styles::{LINE_HEIGHT, Styles, banner, f64_of, fit, heading, lines_of, page_setup};
use crate::base::a1;
use crate::edition::{Edition, Severity};
use crate::model::Budget;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Color, Url, Worksheet, XlsxError};

/// One line of the 校验结果 sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingLine {
    /// Error or warning.
    pub severity: Severity,
    /// Rule id.
    pub rule: String,
    /// Title of the table.
    pub table: String,
    /// Where the cell is in the input (`工作表“Sheet3” F9`), where known.
    pub source: Option<String>,
    /// Sheet and cell in this workbook, for the hyperlink.
    pub target: Option<(String, String)>,
    /// The value the cell should have.
    pub expected: Option<Decimal>,
    /// The value it has.
    pub actual: Option<Decimal>,
    /// The message.
    pub message: String,
    /// Whether `expected` and `actual` are amounts (in the budget's unit) or other numbers
    /// (weights).
    pub amounts: bool,
}

/// Writes the 校验结果 sheet.
pub(super) fn write_findings(
    sheet: &mut Worksheet,
    edition: &Edition,
    budget: &Budget,
    findings: &[FindingLine],
    st: &Styles,
) -> Result<(), XlsxError> {
    // Long texts wrap within their column; every column prints on the page's width.
    const WIDTHS: [f64; 9] = [5.0, 7.0, 5.0, 24.0, 12.0, 24.0, 11.0, 11.0, 60.0];
    let header = &edition.findings_header;
    let width = header.len();
    heading(sheet, edition, &edition.findings_sheet, budget, width, st)?;
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let summary = if findings.is_empty() {
        edition.findings_none_line.clone()
    } else {
        edition
            .findings_count_line
            .replace("{count}", &findings.len().to_string())
            .replace("{errors}", &errors.to_string())
            .replace("{warnings}", &(findings.len() - errors).to_string())
            .replace(
                "{unit_line}",
                &edition
                    .amount_unit_line
                    .replace("{unit}", &budget.amount_unit),
            )
    };
    banner(sheet, 2, width, &summary, &st.entity)?;
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, h, &st.header)?;
    }
    let error_style = st
        .text
        .clone()
        .set_font_color(Color::RGB(0xC00000))
        .set_bold();
    let warning_style = st.text.clone().set_font_color(Color::RGB(0xC65911));
    let link = st
        .wrap
        .clone()
        .set_font_color(Color::RGB(0x0563C1))
        .set_underline(rust_xlsxwriter::FormatUnderline::Single);
    for (i, f) in findings.iter().enumerate() {
        let row = 4 + i as u32;
        sheet.write_number_with_format(row, 0, (i + 1) as f64, &st.text)?;
        sheet.write_string_with_format(row, 1, &f.rule, &st.text)?;
        let (word, style) = match f.severity {
            Severity::Error => ("错误", &error_style),
            Severity::Warning => ("警告", &warning_style),
        };
        sheet.write_string_with_format(row, 2, word, style)?;
        sheet.write_string_with_format(row, 3, &*fit(&f.table), &st.wrap)?;
        // The link shows the cell; the sheet is the table's, named in the column before.
        let target = f.target.as_ref().map(|(_, cell)| cell.clone());
        match (&f.target, &target) {
            (Some((sheet_name, cell)), Some(text)) => {
                let url = Url::new(format!("internal:{}!{cell}", a1::quoted_sheet(sheet_name)))
                    .set_text(text);
                sheet.write_url_with_format(row, 4, url, &link)?;
            }
            _ => {
                sheet.write_blank(row, 4, &st.wrap)?;
            }
        }
        let source = f.source.as_deref().unwrap_or("");
        sheet.write_string_with_format(row, 5, &*fit(source), &st.wrap)?;
        for (c, v) in [(6u16, f.expected), (7, f.actual)] {
            match v {
                Some(v) => {
                    let format = if f.amounts { &st.figure } else { &st.number };
                    sheet.write_number_with_format(row, c, f64_of(v), format)?
                }
                None => sheet.write_blank(row, c, &st.figure)?,
            };
        }
        sheet.write_string_with_format(row, 8, &*fit(&f.message), &st.wrap)?;
        let wrapped = [
            (3, f.table.as_str()),
            (4, target.as_deref().unwrap_or("")),
            (5, source),
            (8, f.message.as_str()),
        ];
        let lines = wrapped
            .iter()
            .map(|(c, text)| lines_of(text, WIDTHS[*c]))
            .fold(1.0, f64::max);
        sheet.set_row_height(row, lines * LINE_HEIGHT)?;
    }
    for (c, w) in WIDTHS.into_iter().enumerate() {
        sheet.set_column_width(c as u16, w)?;
    }
    if !findings.is_empty() {
        sheet.autofilter(3, 0, 3 + findings.len() as u32, (width - 1) as u16)?;
    }
    page_setup(sheet, Some((3, 3)), 4)
}
