//! One table of the budget as its official sheet: title lines, the header grid, data rows with
//! live formulas, totals that differ from their parts flagged with a note, and print settings.

use super::marks::Marks;
use super::measure::{column_widths, header_heights, row_heights};
use super::styles::{FONT, LINE_HEIGHT, Styles, banner, f64_of, fit, page_setup};
use crate::base::a1;
use crate::edition::{ColumnKind, Layout, Rect};
use crate::model::RowKind;
use crate::render::{Cell, Rendered};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Formula, Note, Worksheet, XlsxError};

pub(super) fn write_table(
    sheet: &mut Worksheet,
    table: &Rendered<'_>,
    st: &Styles,
    marks: Option<&Marks<'_>>,
) -> Result<(), XlsxError> {
    // Rows are written top to bottom and each from left to right, so that a sheet in low-memory
    // mode (which keeps only the row being written) gets every cell; a merge lays down its
    // whole range when its first cell is reached, and the cells it covers are not written.
    let width = table.width();
    let widths = column_widths(table);
    let heights = row_heights(table, &widths);
    sheet.set_row_height(0, 30)?;
    banner(sheet, 0, width, &table.title, &st.title)?;
    let mut row = 1u32;
    if let Some(warning) = &table.warning {
        banner(sheet, row, width, warning, &st.warning)?;
        row += 1;
    }
    if let Some(line) = &table.entity_line {
        // On a row of its own, or (one-row preamble) left of the unit line in the last column.
        let span = if table.one_row_preamble() {
            width - 1
        } else {
            width
        };
        match marks {
            Some(_) => banner(sheet, row, span, line, &st.entity)?,
            // The fillable template: the label; the input cell beside it is the template's.
            None => {
                sheet.write_string_with_format(row, 0, &*fit(line), &st.entity)?;
            }
        }
        if !table.one_row_preamble() {
            row += 1;
        }
    }
    if table.one_row_preamble() {
        let last = (width - 1) as u16;
        sheet.write_string_with_format(row, last, &*fit(&table.unit_line), &st.unit)?;
    } else {
        banner(sheet, row, width, &table.unit_line, &st.unit)?;
    }
    let header_start = table.header_start() as u32;
    let header = &table.spec.header;
    for (r, height) in header_heights(header, &widths).into_iter().enumerate() {
        if height > LINE_HEIGHT {
            sheet.set_row_height(header_start + r as u32, height)?;
        }
    }
    for (r, cells) in header.cells.iter().enumerate() {
        let sheet_row = header_start + r as u32;
        for (c, text) in cells.iter().enumerate() {
            match header
                .merges
                .iter()
                .find(|m| m.first_row == r && m.first_col == c)
            {
                Some(m) => {
                    sheet.merge_range(
                        sheet_row,
                        c as u16,
                        header_start + m.last_row as u32,
                        m.last_col as u16,
                        text.as_deref().unwrap_or_default(),
                        &st.header,
                    )?;
                }
                None => {
                    if let Some(text) = text {
                        sheet.write_string_with_format(sheet_row, c as u16, text, &st.header)?;
                    }
                }
            }
        }
    }
    let data_start = table.data_start();
    // Each merge of the data rows by its first cell, and every other cell it covers.
    let mut merge_at = std::collections::HashMap::new();
    let mut covered = std::collections::HashSet::new();
    for m in &table.merges {
        merge_at.insert((m.first_row, m.first_col), m);
        for r in m.first_row..=m.last_row {
            for c in m.first_col..=m.last_col {
                if (r, c) != (m.first_row, m.first_col) {
                    covered.insert((r, c));
                }
            }
        }
    }
    let mut notes = 0;
    for (r, data) in table.rows.iter().enumerate() {
        let sheet_row = (data_start + r) as u32;
        if heights[r] > LINE_HEIGHT {
            sheet.set_row_height(sheet_row, heights[r])?;
        }
        for (c, cell) in data.cells.iter().enumerate() {
            if let Some(m) = merge_at.get(&(r, c)) {
                write_merge(sheet, table, m, data_start, st)?;
            } else if !covered.contains(&(r, c)) {
                write_cell(sheet, table, r, c, st)?;
            }
            let room = notes < MAX_NOTES;
            if let (Cell::Sum(_), true, Some(text)) =
                (cell, room, marks.and_then(|m| m.note(table, r, c)))
            {
                notes += 1;
                let note = Note::new(fit(&text))
                    .set_author("yusuan")
                    .add_author_prefix(false)
                    .set_font_name(FONT)
                    .set_width(260)
                    .set_height(60);
                sheet.insert_note(sheet_row, c as u16, &note)?;
            }
        }
    }
    let notes_start = (data_start + table.rows.len()) as u32;
    for (row, note) in (notes_start..).zip(&table.notes) {
        banner(sheet, row, width, note, &st.note)?;
    }
    if table.notes.is_empty() && heights.last().is_some_and(|&h| h > LINE_HEIGHT) {
        end_after_tall_row(sheet, notes_start)?;
    }
    let scale = super::pages::scale(&widths);
    for (c, w) in widths.into_iter().enumerate() {
        sheet.set_column_width(c as u16, w)?;
    }
    let last_header = (table.data_start() - 1) as u32;
    page_setup(
        sheet,
        Some((header_start, last_header)),
        table.data_start() as u32,
    )?;
    match table.spec.layout {
        // The two-sided tables are one page each, as published.
        Layout::TwoSided(_) => {
            sheet.set_print_fit_to_pages(1, 1);
        }
        Layout::Projects => {
            let header = header.height() as f64 * 2.0 * LINE_HEIGHT;
            let breaks = super::pages::project_breaks(table, &heights, header, scale);
            if !breaks.is_empty() {
                sheet.set_page_breaks(&breaks)?;
            }
        }
        Layout::Coded(_) => {
            let header = header.height() as f64 * 2.0 * LINE_HEIGHT;
            let above = table.header_start() as f64 * 20.0;
            if let Some(pages) = super::pages::fit_pages(&heights, above, header, scale) {
                sheet.set_print_fit_to_pages(1, pages);
            }
        }
    }
    Ok(())
}

/// Ends a sheet whose last row has a custom height with an unformatted blank cell in the row
/// after it. rust_xlsxwriter 0.102's low-memory mode writes a sheet's last row twice when that
/// row has options of its own (the second time as an empty `<row>` with its height), which Excel
/// reports as a corrupt file; a last row without options is written once. The blank cell is
/// `<c r="A23"/>`: nothing to show or print. docs/upstream.md describes the crate's bug.
fn end_after_tall_row(sheet: &mut Worksheet, row: u32) -> Result<(), XlsxError> {
    sheet.write_blank(row, 0, &rust_xlsxwriter::Format::new())?;
    Ok(())
}

/// Notes on one sheet's flagged totals: as many as findings listed per rule
/// ([`crate::check::MAX_PER_RULE`]); past them a flagged cell is still red, and the 校验结果
/// counts the rest. A workbook keeps every note in memory until it is saved.
const MAX_NOTES: usize = crate::check::MAX_PER_RULE;

/// Writes one data cell (data row `r`, column `c`) that no merge covers.
fn write_cell(
    sheet: &mut Worksheet,
    table: &Rendered<'_>,
    r: usize,
    c: usize,
    st: &Styles,
) -> Result<(), XlsxError> {
    let data = &table.rows[r];
    let sheet_row = (table.data_start() + r) as u32;
    let kind = table.spec.columns[c].kind;
    let side = table.spec.columns[c].side.unwrap_or(0);
    let row_kind = data
        .subjects
        .get(side)
        .and_then(Option::as_ref)
        .and_then(|s| s.kind);
    let total = row_kind.is_some_and(|k| k != RowKind::Detail);
    let col = c as u16;
    match &data.cells[c] {
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
                ColumnKind::CodeSegment(_) | ColumnKind::Code | ColumnKind::Unit => &st.code,
                ColumnKind::Label | ColumnKind::Name if row_kind == Some(RowKind::Total) => {
                    &st.text_total
                }
                ColumnKind::Label | ColumnKind::Name if total => &st.text_bold,
                ColumnKind::Text | ColumnKind::Line | ColumnKind::Name | ColumnKind::UnitName => {
                    &st.wrap
                }
                _ => &st.text,
            };
            sheet.write_string_with_format(sheet_row, col, &*fit(text), format)?;
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
        cell @ Cell::Sum(sum) => {
            let (terms, value) = (&sum.terms, &sum.value);
            let formula = sum_formula(terms, *value, table.data_start());
            let format = match (cell.mismatch().is_some(), total) {
                (true, true) => &st.amount_total_flagged,
                (true, false) => &st.amount_flagged,
                (false, true) => &st.amount_total,
                (false, false) => &st.amount,
            };
            sheet.write_formula_with_format(sheet_row, col, formula, format)?;
        }
    }
    Ok(())
}

/// Writes a merge of data cells: a text spans it; a number or formula keeps its first cell and
/// the merge is formatted around it.
fn write_merge(
    sheet: &mut Worksheet,
    table: &Rendered<'_>,
    m: &Rect,
    data_start: usize,
    st: &Styles,
) -> Result<(), XlsxError> {
    let (r1, r2) = (
        (data_start + m.first_row) as u32,
        (data_start + m.last_row) as u32,
    );
    let (c1, c2) = (m.first_col as u16, m.last_col as u16);
    match &table.rows[m.first_row].cells[m.first_col] {
        Cell::Text(t) => {
            let format = if matches!(table.spec.columns[m.first_col].kind, ColumnKind::Amount) {
                &st.amount
            } else {
                &st.wrap
            };
            sheet.merge_range(r1, c1, r2, c2, &fit(t), format)?;
        }
        _ => {
            sheet.merge_range(r1, c1, r2, c2, "", &st.amount)?;
            rewrite_cell(sheet, table, m.first_row, m.first_col, data_start, st)?;
        }
    }
    Ok(())
}

/// The live SUM formula of a total, with its exact value cached.
pub(super) fn sum_formula(terms: &[(usize, usize)], value: Decimal, data_start: usize) -> Formula {
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
        cell @ Cell::Sum(sum) => {
            let (terms, value) = (&sum.terms, &sum.value);
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
