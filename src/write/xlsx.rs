//! The standardized official workbook: the thirteen tables in official order and layout, with
//! live SUM formulas (and their exact cached results) for every total, a 占比分析 sheet, and
//! print settings for A4 landscape.

use crate::a1;
use crate::edition::{ColumnKind, Edition, Severity};
use crate::model::{Budget, RowKind};
use crate::render::{Cell, Rendered};
use crate::shares::{self, ShareGroup};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Formula, Note, Url, Workbook, Worksheet, XlsxError,
};
use std::str::FromStr;

/// Name of the shares sheet.
pub const SHARES_SHEET: &str = "占比分析";
/// Number format of amounts.
pub const AMOUNT_FORMAT: &str = "#,##0.00";
/// Number format of shares.
pub const SHARE_FORMAT: &str = "0.00%";
const FONT: &str = "宋体";
/// Fill and font of a total whose submitted figure is not the sum of its parts.
const FLAG_FILL: u32 = 0xFFC7CE;
const FLAG_FONT: u32 = 0x9C0006;

/// The cell formats of the workbooks yusuan writes.
pub(crate) struct Styles {
    title: Format,
    entity: Format,
    unit: Format,
    pub(crate) header: Format,
    pub(crate) text: Format,
    wrap: Format,
    code: Format,
    pub(crate) amount: Format,
    number: Format,
    text_total: Format,
    text_bold: Format,
    amount_total: Format,
    amount_flagged: Format,
    amount_total_flagged: Format,
    warning: Format,
    share: Format,
    note: Format,
}

impl Styles {
    pub(crate) fn new() -> Styles {
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
            amount: cell.clone().set_num_format(AMOUNT_FORMAT),
            number: cell.clone().set_num_format("0.##"),
            text_total: cell.clone().set_bold().set_align(FormatAlign::Center),
            text_bold: cell.clone().set_bold(),
            amount_total: cell.clone().set_bold().set_num_format(AMOUNT_FORMAT),
            amount_flagged: cell
                .clone()
                .set_num_format(AMOUNT_FORMAT)
                .set_background_color(FLAG_FILL)
                .set_font_color(Color::RGB(FLAG_FONT)),
            amount_total_flagged: cell
                .clone()
                .set_bold()
                .set_num_format(AMOUNT_FORMAT)
                .set_background_color(FLAG_FILL)
                .set_font_color(Color::RGB(FLAG_FONT)),
            warning: base
                .clone()
                .set_bold()
                .set_font_size(12)
                .set_align(FormatAlign::Center)
                .set_font_color(Color::RGB(FLAG_FONT)),
            share: cell.clone().set_num_format(SHARE_FORMAT),
            note: base.set_align(FormatAlign::Left),
        }
    }
}

/// Name of the findings sheet.
pub const FINDINGS_SHEET: &str = "校验结果";

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
}

/// Writes the workbook of a budget into memory: the tables, 占比分析 and 校验结果.
pub fn workbook(
    edition: &Edition,
    budget: &Budget,
    rendered: &[Rendered<'_>],
    findings: &[FindingLine],
) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let marks = Marks::new(edition, findings);
    let mut book = new_workbook();
    let mut names = Vec::new();
    for table in rendered {
        let sheet = book.add_worksheet();
        let name = table.sheet_name();
        sheet.set_name(&name)?;
        write_table(sheet, table, &styles, Some(&marks))?;
        names.push(name);
    }
    let groups = shares::groups(edition, rendered);
    let sheet = book.add_worksheet();
    sheet.set_name(SHARES_SHEET)?;
    write_shares(sheet, budget, rendered, &names, &groups, &styles)?;
    let sheet = book.add_worksheet();
    sheet.set_name(FINDINGS_SHEET)?;
    write_findings(sheet, budget, findings, &styles)?;
    // A budget with errors opens on its findings, not on a table that looks publishable.
    if findings.iter().any(|f| f.severity == Severity::Error) {
        sheet.set_active(true);
    }
    book.save_to_buffer()
}

/// What the writer marks on the totals of a budget's tables: the edition's wording, and the
/// rules reported at each cell of this workbook.
struct Marks<'a> {
    edition: &'a Edition,
    rules: std::collections::HashMap<(String, String), Vec<String>>,
}

impl<'a> Marks<'a> {
    fn new(edition: &'a Edition, findings: &[FindingLine]) -> Marks<'a> {
        let mut rules: std::collections::HashMap<(String, String), Vec<String>> =
            std::collections::HashMap::new();
        for f in findings {
            if let Some(target) = &f.target {
                let at = rules.entry(target.clone()).or_default();
                if !at.contains(&f.rule) {
                    at.push(f.rule.clone());
                }
            }
        }
        Marks { edition, rules }
    }

    /// The note on a total cell (data row `r`, column `c` of `table`), if it needs one: its
    /// submitted figure differs from its sum, or nobody typed it (the input has no such row)
    /// and it is not zero.
    fn note(&self, table: &Rendered<'_>, r: usize, c: usize) -> Option<String> {
        let Cell::Sum {
            value, submitted, ..
        } = &table.rows[r].cells[c]
        else {
            return None;
        };
        match submitted {
            Some(s) if s != value => {
                let rules = self.causes(table, r, c, 0);
                let rules = if rules.is_empty() {
                    String::new()
                } else {
                    rules.join("、")
                };
                Some(
                    self.edition
                        .mismatch_note
                        .replace("{submitted}", &crate::amount::grouped(*s))
                        .replace("{computed}", &crate::amount::grouped(*value))
                        .replace("（{rule}）", &paren(&rules))
                        .replace("{rule}", &rules),
                )
            }
            None if !value.is_zero() => {
                let derived: Vec<&str> = self
                    .edition
                    .missing_rows
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect();
                Some(
                    self.edition
                        .derived_note
                        .replace("{computed}", &crate::amount::grouped(*value))
                        .replace("{rule}", &derived.join("、")),
                )
            }
            _ => None,
        }
    }

    /// The rules that explain a total's difference: those reported at its cell, or else those
    /// of the differing totals it adds up (a 合计 off because a row total below it is).
    fn causes(&self, table: &Rendered<'_>, r: usize, c: usize, depth: usize) -> Vec<String> {
        let at = (table.sheet_name(), a1::cell(table.data_start() + r, c));
        if let Some(rules) = self.rules.get(&at) {
            return rules.clone();
        }
        let Cell::Sum { terms, .. } = &table.rows[r].cells[c] else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        if depth < 8 {
            for &(tr, tc) in terms {
                if table.rows[tr].cells[tc].mismatch().is_some() {
                    for rule in self.causes(table, tr, tc, depth + 1) {
                        if !out.contains(&rule) {
                            out.push(rule);
                        }
                    }
                }
            }
        }
        out
    }
}

/// `（text）`, or nothing for no text.
fn paren(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!("（{text}）")
    }
}

/// A workbook with fast zip compression: the XML compresses well at any level, and level 1
/// halves the writing time against the default 6 for a few percent more bytes.
pub(crate) fn new_workbook() -> Workbook {
    let mut book = Workbook::new();
    book.set_zip_compression_level(1);
    book
}

/// Writes the blank template workbook (the tables only) into memory.
pub fn template(rendered: &[Rendered<'_>]) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut book = new_workbook();
    for table in rendered {
        let sheet = book.add_worksheet();
        sheet.set_name(table.sheet_name())?;
        write_table(sheet, table, &styles, None)?;
    }
    book.save_to_buffer()
}

fn f64_of(value: Decimal) -> f64 {
    f64::from_str(&value.to_string()).unwrap_or(0.0)
}

/// Blank page layout shared by every sheet.
fn page_setup(
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

/// A line of text across the whole width (title, entity line, notes).
fn banner(
    sheet: &mut Worksheet,
    row: u32,
    width: usize,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if width > 1 {
        sheet.merge_range(row, 0, row, (width - 1) as u16, text, format)?;
    } else {
        sheet.write_string_with_format(row, 0, text, format)?;
    }
    Ok(())
}

fn write_table(
    sheet: &mut Worksheet,
    table: &Rendered<'_>,
    st: &Styles,
    marks: Option<&Marks<'_>>,
) -> Result<(), XlsxError> {
    let width = table.width();
    sheet.set_row_height(0, 30)?;
    banner(sheet, 0, width, &table.title, &st.title)?;
    let mut row = 1u32;
    if let Some(warning) = &table.warning {
        banner(sheet, row, width, warning, &st.warning)?;
        row += 1;
    }
    if let Some(line) = &table.entity_line {
        banner(sheet, row, width, line, &st.entity)?;
        row += 1;
    }
    banner(sheet, row, width, &table.unit_line, &st.unit)?;
    let header_start = table.header_start() as u32;
    let header = &table.spec.header;
    for merge in &header.merges {
        let text = header.cells[merge.first_row][merge.first_col]
            .clone()
            .unwrap_or_default();
        sheet.merge_range(
            header_start + merge.first_row as u32,
            merge.first_col as u16,
            header_start + merge.last_row as u32,
            merge.last_col as u16,
            &text,
            &st.header,
        )?;
    }
    for (r, cells) in header.cells.iter().enumerate() {
        for (c, text) in cells.iter().enumerate() {
            let merged = header
                .merges
                .iter()
                .any(|m| m.first_row == r && m.first_col == c);
            if let (Some(text), false) = (text, merged) {
                sheet.write_string_with_format(
                    header_start + r as u32,
                    c as u16,
                    text,
                    &st.header,
                )?;
            }
        }
    }
    let data_start = table.data_start();
    for (r, data) in table.rows.iter().enumerate() {
        let sheet_row = (data_start + r) as u32;
        for (c, cell) in data.cells.iter().enumerate() {
            let kind = table.spec.columns[c].kind;
            let side = table.spec.columns[c].side.unwrap_or(0);
            let row_kind = data
                .subjects
                .get(side)
                .and_then(Option::as_ref)
                .and_then(|s| s.kind);
            let total = row_kind.is_some_and(|k| k != RowKind::Detail);
            let col = c as u16;
            match cell {
                Cell::Empty => {
                    let format = match kind {
                        ColumnKind::Amount if total => &st.amount_total,
                        ColumnKind::Amount => &st.amount,
                        _ => &st.text,
                    };
                    sheet.write_blank(sheet_row, col, format)?;
                }
                Cell::Text(text) => {
                    let format = match kind {
                        ColumnKind::CodeSegment(_) | ColumnKind::Code | ColumnKind::Unit => {
                            &st.code
                        }
                        ColumnKind::Label | ColumnKind::Name
                            if row_kind == Some(RowKind::Total) =>
                        {
                            &st.text_total
                        }
                        ColumnKind::Label | ColumnKind::Name if total => &st.text_bold,
                        ColumnKind::Text
                        | ColumnKind::Line
                        | ColumnKind::Name
                        | ColumnKind::UnitName => &st.wrap,
                        _ => &st.text,
                    };
                    sheet.write_string_with_format(sheet_row, col, text, format)?;
                }
                Cell::Amount(v) => {
                    sheet.write_number_with_format(
                        sheet_row,
                        col,
                        f64_of(*v),
                        if total { &st.amount_total } else { &st.amount },
                    )?;
                }
                Cell::Number(v) => {
                    sheet.write_number_with_format(sheet_row, col, f64_of(*v), &st.number)?;
                }
                Cell::Sum { terms, value, .. } => {
                    let formula = sum_formula(terms, *value, data_start);
                    let format = match (cell.mismatch().is_some(), total) {
                        (true, true) => &st.amount_total_flagged,
                        (true, false) => &st.amount_flagged,
                        (false, true) => &st.amount_total,
                        (false, false) => &st.amount,
                    };
                    sheet.write_formula_with_format(sheet_row, col, formula, format)?;
                    if let Some(text) = marks.and_then(|m| m.note(table, r, c)) {
                        let note = Note::new(text)
                            .set_author("yusuan")
                            .add_author_prefix(false)
                            .set_font_name(FONT)
                            .set_width(260)
                            .set_height(60);
                        sheet.insert_note(sheet_row, col, &note)?;
                    }
                }
            }
        }
    }
    for m in &table.merges {
        let text = match &table.rows[m.first_row].cells[m.first_col] {
            Cell::Text(t) => Some(t.clone()),
            _ => None,
        };
        let (r1, r2) = (
            (data_start + m.first_row) as u32,
            (data_start + m.last_row) as u32,
        );
        match text {
            Some(t) => {
                let format = if matches!(table.spec.columns[m.first_col].kind, ColumnKind::Amount) {
                    &st.amount
                } else {
                    &st.wrap
                };
                sheet.merge_range(r1, m.first_col as u16, r2, m.last_col as u16, &t, format)?;
            }
            None => {
                // Numbers and formulas keep their cell; the merge is formatted around them.
                let (c1, c2) = (m.first_col as u16, m.last_col as u16);
                sheet.merge_range(r1, c1, r2, c2, "", &st.amount)?;
                rewrite_cell(sheet, table, m.first_row, m.first_col, data_start, st)?;
            }
        }
    }
    let notes_start = (data_start + table.rows.len()) as u32;
    for (row, note) in (notes_start..).zip(&table.notes) {
        banner(sheet, row, width, note, &st.note)?;
    }
    let widths = column_widths(table);
    for (r, h) in row_heights(table, &widths).into_iter().enumerate() {
        if h > LINE_HEIGHT {
            sheet.set_row_height((data_start + r) as u32, h)?;
        }
    }
    for (c, w) in widths.into_iter().enumerate() {
        sheet.set_column_width(c as u16, w)?;
    }
    let last_header = (table.data_start() - 1) as u32;
    page_setup(
        sheet,
        Some((header_start, last_header)),
        table.data_start() as u32,
    )
}

/// The live SUM formula of a total, with its exact value cached.
fn sum_formula(terms: &[(usize, usize)], value: Decimal, data_start: usize) -> Formula {
    let cells: Vec<(usize, usize)> = terms.iter().map(|&(r, c)| (data_start + r, c)).collect();
    Formula::new(a1::sum_formula(&cells)).set_result(value.to_string())
}

/// Writes a number or formula cell again after a merge over it was laid down.
fn rewrite_cell(
    sheet: &mut Worksheet,
    table: &Rendered<'_>,
    r: usize,
    c: usize,
    data_start: usize,
    st: &Styles,
) -> Result<(), XlsxError> {
    let sheet_row = (data_start + r) as u32;
    match &table.rows[r].cells[c] {
        Cell::Amount(v) | Cell::Number(v) => {
            sheet.write_number_with_format(sheet_row, c as u16, f64_of(*v), &st.amount)?;
        }
        cell @ Cell::Sum { terms, value, .. } => {
            let formula = sum_formula(terms, *value, data_start);
            let format = if cell.mismatch().is_some() {
                &st.amount_flagged
            } else {
                &st.amount
            };
            sheet.write_formula_with_format(sheet_row, c as u16, formula, format)?;
        }
        Cell::Empty | Cell::Text(_) => {}
    }
    Ok(())
}

/// Column widths: the edition's minimum, widened to fit the content (a CJK character counts
/// as two digit widths, which Excel's own autofit gets wrong), capped for wrapped text.
pub fn column_widths(table: &Rendered<'_>) -> Vec<f64> {
    let mut widths: Vec<f64> = (0..table.width())
        .map(|c| table.spec.widths.get(c).copied().unwrap_or(8.0))
        .collect();
    for row in &table.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            let need = match cell {
                Cell::Text(t) => crate::text::display_width(t) + 2.0,
                Cell::Amount(v) | Cell::Sum { value: v, .. } => grouped_len(*v) + 3.0,
                Cell::Number(v) => v.to_string().len() as f64 + 2.0,
                Cell::Empty => 0.0,
            };
            let cap = match table.spec.columns[c].kind {
                // Long free text wraps within the edition's width.
                ColumnKind::Text | ColumnKind::Line | ColumnKind::UnitName => 0.0,
                ColumnKind::Name => 50.0,
                _ => 30.0,
            };
            widths[c] = widths[c].max(need.min(cap));
        }
    }
    widths
}

/// Height in points of one line of 10-point text.
const LINE_HEIGHT: f64 = 13.5;

/// Row heights that show wrapped text whole: a text needing n lines at its column's width
/// needs n lines of height, shared among the rows of its merge.
pub fn row_heights(table: &Rendered<'_>, widths: &[f64]) -> Vec<f64> {
    let mut heights = vec![LINE_HEIGHT; table.rows.len()];
    for (r, row) in table.rows.iter().enumerate() {
        for (c, cell) in row.cells.iter().enumerate() {
            let Cell::Text(text) = cell else { continue };
            let usable = (widths[c] - 1.0).max(1.0);
            let lines = (crate::text::display_width(text) / usable).ceil().max(1.0);
            let span = table
                .merges
                .iter()
                .find(|m| m.first_row == r && m.first_col == c)
                .map_or(1, |m| m.last_row - m.first_row + 1);
            let per_row = lines * LINE_HEIGHT / span as f64;
            for h in &mut heights[r..r + span] {
                *h = h.max(per_row);
            }
        }
    }
    heights
}

/// Length of an amount written as `#,##0.00`.
fn grouped_len(value: Decimal) -> f64 {
    let digits = value.trunc().abs().to_string().len();
    (digits + (digits - 1) / 3 + 3 + usize::from(value.is_sign_negative())) as f64
}

/// The title and entity lines of a sheet that is not one of the tables.
fn heading(
    sheet: &mut Worksheet,
    title: &str,
    budget: &Budget,
    width: usize,
    st: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_row_height(0, 30)?;
    banner(sheet, 0, width, title, &st.title)?;
    let entity = format!("{}：{}-{}", budget.entity_word, budget.code, budget.name);
    banner(sheet, 1, width, &entity, &st.entity)
}

fn write_shares(
    sheet: &mut Worksheet,
    budget: &Budget,
    rendered: &[Rendered<'_>],
    names: &[String],
    groups: &[ShareGroup],
    st: &Styles,
) -> Result<(), XlsxError> {
    const HEADER: [&str; 6] = [
        "分组",
        "项目",
        "金额",
        "合计",
        "占比",
        "公布占比（最大余数法）",
    ];
    let width = HEADER.len();
    heading(sheet, SHARES_SHEET, budget, width, st)?;
    banner(
        sheet,
        2,
        width,
        &format!("金额单位：{}", budget.amount_unit),
        &st.unit,
    )?;
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, &st.header)?;
    }
    let reference = |c: &shares::CellRef| {
        let t = &rendered[c.table];
        format!(
            "={}!{}",
            a1::quoted_sheet(&names[c.table]),
            a1::cell(t.data_start() + c.row, c.col)
        )
    };
    let mut row = 4u32;
    for g in groups {
        let first = row;
        for (i, (label, part)) in g.parts.iter().enumerate() {
            sheet.write_string_with_format(row, 1, label, &st.text)?;
            sheet.write_formula_with_format(
                row,
                2,
                Formula::new(reference(part)).set_result(part.value.to_string()),
                &st.amount,
            )?;
            sheet.write_formula_with_format(
                row,
                3,
                Formula::new(reference(&g.total)).set_result(g.total.value.to_string()),
                &st.amount,
            )?;
            match g.plain[i] {
                Some(share) => {
                    let f = format!(
                        "=ROUND({}/{},4)",
                        a1::cell(row as usize, 2),
                        a1::cell(row as usize, 3)
                    );
                    sheet.write_formula_with_format(
                        row,
                        4,
                        Formula::new(f).set_result(share.to_string()),
                        &st.share,
                    )?;
                }
                None => {
                    sheet.write_blank(row, 4, &st.share)?;
                }
            }
            match g.published[i] {
                Some(share) => sheet.write_number_with_format(row, 5, f64_of(share), &st.share)?,
                None => sheet.write_blank(row, 5, &st.share)?,
            };
            row += 1;
        }
        if row > first + 1 {
            sheet.merge_range(first, 0, row - 1, 0, &g.title, &st.wrap)?;
        } else if row == first + 1 {
            sheet.write_string_with_format(first, 0, &g.title, &st.wrap)?;
        }
    }
    for (c, w) in [30.0, 30.0, 14.0, 14.0, 10.0, 22.0].into_iter().enumerate() {
        sheet.set_column_width(c as u16, w)?;
    }
    page_setup(sheet, Some((3, 3)), 4)
}

fn write_findings(
    sheet: &mut Worksheet,
    budget: &Budget,
    findings: &[FindingLine],
    st: &Styles,
) -> Result<(), XlsxError> {
    const HEADER: [&str; 9] = [
        "序号",
        "规则",
        "级别",
        "表",
        "本工作簿位置",
        "原表位置",
        "应为",
        "实为",
        "说明",
    ];
    const WIDTHS: [f64; 9] = [6.0, 8.0, 6.0, 24.0, 22.0, 22.0, 12.0, 12.0, 64.0];
    let width = HEADER.len();
    heading(sheet, FINDINGS_SHEET, budget, width, st)?;
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let summary = if findings.is_empty() {
        "未发现问题：各表合计与表间勾稽关系均相符".to_owned()
    } else {
        format!(
            "共 {} 项：错误 {errors} 项，警告 {} 项（金额单位：{}）",
            findings.len(),
            findings.len() - errors,
            budget.amount_unit
        )
    };
    banner(sheet, 2, width, &summary, &st.entity)?;
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, &st.header)?;
    }
    let error_style = st
        .text
        .clone()
        .set_font_color(Color::RGB(0xC00000))
        .set_bold();
    let warning_style = st.text.clone().set_font_color(Color::RGB(0xC65911));
    let link = st
        .text
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
        sheet.write_string_with_format(row, 3, &f.table, &st.text)?;
        match &f.target {
            Some((sheet_name, cell)) => {
                let url = Url::new(format!("internal:{}!{cell}", a1::quoted_sheet(sheet_name)))
                    .set_text(format!("{sheet_name}!{cell}"));
                sheet.write_url_with_format(row, 4, url, &link)?;
            }
            None => {
                sheet.write_blank(row, 4, &st.text)?;
            }
        }
        sheet.write_string_with_format(row, 5, f.source.as_deref().unwrap_or(""), &st.text)?;
        for (c, v) in [(6u16, f.expected), (7, f.actual)] {
            match v {
                Some(v) => sheet.write_number_with_format(row, c, f64_of(v), &st.amount)?,
                None => sheet.write_blank(row, c, &st.amount)?,
            };
        }
        sheet.write_string_with_format(row, 8, &f.message, &st.wrap)?;
        let lines = (crate::text::display_width(&f.message) / (WIDTHS[8] - 1.0))
            .ceil()
            .max(1.0);
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
