//! The fillable template: each table's sheet with blank input rows (unlocked, amounts
//! validated as decimals, code columns as text, listed values offered), its 合计 and row totals
//! as live formulas over them, the 单位 line as a labelled input, the sheet protected (no
//! password) so that headers and formulas stay; optionally prefilled with an existing budget.

use super::styles::{LINE_HEIGHT, Styles, f64_of, fit, lines_of};
use super::table::write_table;
use crate::base::a1;
use crate::edition::{ColumnKind, Edition, Layout, TableSpec, TemplateTotal};
use crate::model::{Budget, RowKind, Table};
use crate::render::{Cell, Rendered};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, Formula, Worksheet, XlsxError,
};

/// How input cells look (unlocked, shaded) and what they accept.
pub(super) struct Inputs {
    text: Format,
    code: Format,
    amount: Format,
    /// Amounts: numbers only, with the edition's message.
    number: DataValidation,
    /// The edition's message for a value not among a column's choices.
    choice_error: String,
    /// The note line under a table: the note of a table without data offered as a choice
    /// (other text is still accepted, with a notice), and its hint.
    note: DataValidation,
}

impl Inputs {
    pub(super) fn new(st: &Styles, edition: &Edition) -> Result<Inputs, XlsxError> {
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
pub(super) type EntityInput<'a> = (&'a str, u32, u16);

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
    if table.entity_line.is_some() {
        let row = table.header_start() as u32 - 2;
        // The input spans the rest of the row: a unit's name is longer than any code column.
        let last = table.width() as u16 - 1;
        let who = prefill.map(|(b, _)| format!("{}-{}", b.code, b.name));
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
                sheet.write_formula_with_format(row, 1, formula, &st.entity)?;
            }
        }
        entity_cell = Some((row, 1));
    }
    let data_start = table.data_start() as u32;
    match &table.spec.layout {
        Layout::TwoSided(_) => two_sided_inputs(sheet, table, prefill, data_start, inputs)?,
        Layout::Coded(_) | Layout::Projects => {
            let heights = coded_inputs(sheet, table, prefill, blank, data_start, st, inputs)?;
            // A few input rows alone on a last page: the table fitted to one page less.
            let (scale, above, header) = print_measures(table, &super::table::column_widths(table));
            if let Some(pages) = super::pages::fit_pages(&heights, above, header, scale) {
                sheet.set_print_fit_to_pages(1, pages);
            }
        }
    }
    sheet.protect();
    Ok(entity_cell)
}

/// The amounts of a two-sided table's detail items are inputs; its totals stay formulas.
fn two_sided_inputs(
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

fn write_amount(
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
fn print_measures(table: &Rendered<'_>, widths: &[f64]) -> (f64, f64, f64) {
    let scale = super::pages::scale(widths);
    let above = table.header_start() as f64 * 20.0;
    let header = table.spec.header.height() as f64 * 2.0 * LINE_HEIGHT;
    (scale, above, header)
}

/// Input rows of a coded or projects table, and its 合计 (or unit) row as formulas over them;
/// returns the heights of the rows written, from the 合计 row to the note line.
fn coded_inputs(
    sheet: &mut Worksheet,
    table: &Rendered<'_>,
    prefill: Option<(&Budget, &Table)>,
    blank: usize,
    data_start: u32,
    st: &Styles,
    inputs: &Inputs,
) -> Result<Vec<f64>, XlsxError> {
    let spec = table.spec;
    let projects = matches!(spec.layout, Layout::Projects);
    // The rows typed in: every row of the prefill but the 合计 (and, for projects, but the
    // unit row), each indicator line of a project on a line of its own.
    let mut lines: Vec<Vec<(usize, String)>> = Vec::new();
    let mut amounts: Vec<Vec<(usize, Decimal)>> = Vec::new();
    if let Some((_, t)) = prefill {
        for row in &t.rows {
            if row.kind == RowKind::Total || (projects && row.kind == RowKind::Subtotal) {
                continue;
            }
            lines.push(row_texts(
                spec,
                prefill.map(|(b, _)| b),
                row,
                hidden_codes(spec, row),
            ));
            amounts.push(
                spec.columns
                    .iter()
                    .enumerate()
                    .filter(|(_, col)| col.kind == ColumnKind::Amount && col.sum_of.is_empty())
                    .filter_map(|(c, col)| Some((c, *row.amounts.get(&col.key)?)))
                    .collect(),
            );
            for line in row.lines.iter().skip(1) {
                lines.push(
                    spec.columns
                        .iter()
                        .enumerate()
                        .filter_map(|(c, col)| Some((c, line.get(&col.key)?.clone())))
                        .collect(),
                );
                amounts.push(Vec::new());
            }
        }
    }
    let widths = super::table::column_widths(table);
    // Each row tall enough to show its prefilled texts whole.
    let line_height = |i: usize| -> f64 {
        lines
            .get(i)
            .into_iter()
            .flatten()
            .filter(|(c, _)| !is_code(spec.columns[*c].kind))
            .map(|(c, text)| lines_of(text, widths[*c]) * LINE_HEIGHT)
            .fold(LINE_HEIGHT, f64::max)
    };
    let unit_height = prefill.filter(|_| projects).map_or(LINE_HEIGHT, |(b, _)| {
        lines_of(&format!("{}-{}", b.code, b.name), widths[0]) * LINE_HEIGHT
    });
    // The blank rows asked for, and as many more as fill the table's last page.
    let count = (lines.len() + blank).max(1);
    let planned: Vec<f64> = std::iter::once(unit_height)
        .chain((0..count).map(line_height))
        .chain(std::iter::once(LINE_HEIGHT))
        .collect();
    let (scale, above, header) = print_measures(table, &widths);
    let count = (count + super::pages::rows_to_fill(&planned, above, header, scale)) as u32;
    let first = data_start + 1;
    let last = first + count - 1;
    let range = |c: usize| {
        format!(
            "{}:{}",
            a1::absolute_row(first as usize, c),
            a1::absolute_row(last as usize, c)
        )
    };
    let locked_total = st.amount_total.clone();
    // Cached results, so that the prefilled figures show (and read back) before any
    // recalculation: each input row's typed amounts, its row totals, the 合计 over the rows.
    let typed = |i: usize, c: usize| -> Decimal {
        amounts
            .get(i)
            .and_then(|v| v.iter().find(|(k, _)| *k == c))
            .map_or(Decimal::ZERO, |(_, v)| *v)
    };
    let value = |i: usize, c: usize| -> Decimal { column_value(spec, &|p| typed(i, p), c) };
    let filled = |i: usize, c: usize| -> bool {
        lines
            .get(i)
            .is_some_and(|l| l.iter().any(|(k, text)| *k == c && !text.is_empty()))
    };
    let top = |i: usize| -> bool {
        match spec.template_total {
            _ if projects => true,
            TemplateTotal::All => true,
            TemplateTotal::TopWhereEmpty(c) => !filled(i, c),
            TemplateTotal::DetailWhereFilled(c) => filled(i, c),
        }
    };
    let total = |c: usize| -> Decimal {
        (0..lines.len())
            .filter(|&i| top(i))
            .map(|i| value(i, c))
            .sum()
    };
    let mut heights = vec![unit_height];
    // The 合计 row (the unit row of a projects table).
    if projects {
        let unit = prefill.map(|(b, _)| format!("{}-{}", b.code, b.name));
        let unit = unit.as_deref().unwrap_or("");
        sheet.write_string_with_format(data_start, 0, &*fit(unit), &inputs.text)?;
        if unit_height > LINE_HEIGHT {
            sheet.set_row_height(data_start, unit_height)?;
        }
    }
    for (c, col) in spec.columns.iter().enumerate() {
        if col.kind != ColumnKind::Amount {
            continue;
        }
        let formula = if !col.sum_of.is_empty() {
            row_sum(&col.sum_of, data_start)
        } else {
            match spec.template_total {
                _ if projects => format!("=SUM({})", range(c)),
                TemplateTotal::All => format!("=SUM({})", range(c)),
                TemplateTotal::TopWhereEmpty(t) => {
                    format!("=SUMIF({},\"\",{})", range(t), range(c))
                }
                TemplateTotal::DetailWhereFilled(t) => {
                    format!("=SUMIF({},\"<>\",{})", range(t), range(c))
                }
            }
        };
        let cached = crate::base::amount::canonical(total(c)).to_string();
        sheet.write_formula_with_format(
            data_start,
            c as u16,
            Formula::new(formula).set_result(cached),
            &locked_total,
        )?;
    }
    // The input rows, each prefilled one tall enough to show its wrapped texts whole.
    for i in 0..count {
        let r = first + i;
        let texts = lines.get(i as usize);
        let values = amounts.get(i as usize);
        let height = line_height(i as usize);
        if height > LINE_HEIGHT {
            sheet.set_row_height(r, height)?;
        }
        heights.push(height);
        for (c, col) in spec.columns.iter().enumerate() {
            let c16 = c as u16;
            match col.kind {
                ColumnKind::Amount if !col.sum_of.is_empty() => {
                    let cached = crate::base::amount::canonical(value(i as usize, c)).to_string();
                    let f = Formula::new(row_sum(&col.sum_of, r)).set_result(cached);
                    sheet.write_formula_with_format(r, c16, f, &st.amount)?;
                }
                ColumnKind::Amount | ColumnKind::LineNumber => {
                    let value =
                        values.and_then(|v| v.iter().find(|(k, _)| *k == c).map(|(_, v)| *v));
                    let value = value.or_else(|| {
                        texts
                            .and_then(|t| t.iter().find(|(k, _)| *k == c))
                            .and_then(|(_, t)| t.parse().ok())
                    });
                    write_amount(sheet, r, c16, value, inputs)?;
                }
                _ => {
                    let text = texts
                        .and_then(|t| t.iter().find(|(k, _)| *k == c))
                        .map_or("", |(_, t)| t.as_str());
                    let format = if is_code(col.kind) {
                        &inputs.code
                    } else {
                        &inputs.text
                    };
                    sheet.write_string_with_format(r, c16, &*fit(text), format)?;
                }
            }
        }
    }
    // A line for a note under the table (`说明：此表无数据`), read back as the table's note.
    let note_row = last + 1;
    let note = prefill.map(|(_, t)| t.notes.join("；")).unwrap_or_default();
    let width = spec.columns.len() as u16;
    sheet.merge_range(note_row, 0, note_row, width - 1, &fit(&note), &inputs.text)?;
    heights.push(LINE_HEIGHT);
    sheet.add_data_validation(note_row, 0, note_row, width - 1, &inputs.note)?;
    // Validation: decimals for amounts, the edition's values where it lists them.
    for (c, col) in spec.columns.iter().enumerate() {
        let c16 = c as u16;
        if matches!(col.kind, ColumnKind::Amount | ColumnKind::LineNumber) && col.sum_of.is_empty()
        {
            sheet.add_data_validation(first, c16, last, c16, &inputs.number)?;
        }
        if let Some(values) = spec.choices.get(&c) {
            let list = DataValidation::new()
                .allow_list_strings(values)?
                .set_error_message(&inputs.choice_error)?;
            sheet.add_data_validation(first, c16, last, c16, &list)?;
        }
    }
    Ok(heights)
}

/// Whether a column holds a code, typed as text on one line (the others wrap).
fn is_code(kind: ColumnKind) -> bool {
    matches!(
        kind,
        ColumnKind::CodeSegment(_) | ColumnKind::Code | ColumnKind::Unit
    )
}

/// Whether a row's code is written: always, except on a subtotal row the published table shows
/// by name only when the template's 合计 does not tell top rows by a code column (表8's project
/// groups share their projects' code and are told apart by having no unit).
fn hidden_codes(spec: &TableSpec, row: &crate::model::Row) -> bool {
    let Layout::Coded(coded) = &spec.layout else {
        return true;
    };
    let hidden = row.kind == RowKind::Subtotal
        && row
            .code
            .as_ref()
            .is_some_and(|c| coded.hidden_subtotals.iter().any(|l| l.end() == c.len()));
    let by_code = matches!(
        spec.template_total,
        TemplateTotal::TopWhereEmpty(t) if matches!(spec.columns[t].kind, ColumnKind::CodeSegment(_))
    );
    !hidden || by_code
}

/// `=SUM(G8,H8)`: a row total over its parts in sheet row `row`.
fn row_sum(parts: &[usize], row: u32) -> String {
    let cells: Vec<(usize, usize)> = parts.iter().map(|&p| (row as usize, p)).collect();
    a1::sum_formula(&cells)
}

/// The value of column `c` in a row whose typed amounts are `typed`: a typed amount, or the sum
/// of the columns a total column adds up — which may themselves be total columns (合计 over
/// 小计 over its parts).
fn column_value(spec: &TableSpec, typed: &dyn Fn(usize) -> Decimal, c: usize) -> Decimal {
    let parts = &spec.columns[c].sum_of;
    if parts.is_empty() {
        typed(c)
    } else {
        parts.iter().map(|&p| column_value(spec, typed, p)).sum()
    }
}

/// The texts of a model row in the template's columns: codes split over their segment
/// columns (every level carries its code, so that the 合计 can tell the top rows), the unit,
/// the name, texts and the first indicator line.
fn row_texts(
    spec: &TableSpec,
    budget: Option<&Budget>,
    row: &crate::model::Row,
    with_code: bool,
) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let code = if with_code {
        row.code.clone().unwrap_or_default()
    } else {
        String::new()
    };
    for (c, col) in spec.columns.iter().enumerate() {
        let text = match col.kind {
            ColumnKind::CodeSegment(seg) => code
                .get(seg.start()..seg.end().min(code.len()))
                .unwrap_or("")
                .to_owned(),
            ColumnKind::Code => code.clone(),
            ColumnKind::Unit => row.unit_code.clone().unwrap_or_default(),
            ColumnKind::Name | ColumnKind::Label => row.name.clone(),
            ColumnKind::UnitName => match (&row.unit_code, budget) {
                (Some(code), Some(b)) if *code == b.code => format!("{code}-{}", b.name),
                (Some(code), _) => code.clone(),
                _ => String::new(),
            },
            _ => row
                .texts
                .get(&col.key)
                .cloned()
                .or_else(|| row.lines.first().and_then(|l| l.get(&col.key).cloned()))
                .unwrap_or_default(),
        };
        if !text.is_empty() {
            out.push((c, text));
        }
    }
    out
}
