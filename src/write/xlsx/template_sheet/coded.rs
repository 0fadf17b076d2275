//! Input cells of a coded table: blank rows for codes, names and amounts, row totals and the
//! 合计 as formulas, prefilled rows where a budget is given.

use super::super::styles::{LINE_HEIGHT, Styles, fit, lines_of};
use super::inputs::{Inputs, print_measures, write_amount};
use crate::base::a1;
use crate::edition::{ColumnKind, Layout, TableSpec, TemplateTotal};
use crate::model::{Budget, RowKind, Table};
use crate::render::{Cell, Rendered};
use rust_decimal::Decimal;
use rust_xlsxwriter::{DataValidation, Formula, Worksheet, XlsxError};

/// Input rows of a coded or projects table, and its 合计 (or unit) row as formulas over them;
/// returns the heights of the rows written, from the 合计 row to the note line.
pub(super) fn coded_inputs(
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
    let widths = super::super::measure::column_widths(table);
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
        lines_of(&b.who(), widths[0]) * LINE_HEIGHT
    });
    // The 合计 above the input rows, or below them where the edition has it at the bottom.
    let bottom = !projects && matches!(&spec.layout, Layout::Coded(c) if c.total_at_bottom);
    // The blank rows asked for, and as many more as fill the table's last page.
    let count = (lines.len() + blank).max(1);
    let planned: Vec<f64> = std::iter::once(unit_height)
        .chain((0..count).map(line_height))
        .chain(std::iter::once(LINE_HEIGHT))
        .collect();
    let (scale, above, header) = print_measures(table, &widths);
    let count = (count + super::super::pages::rows_to_fill(&planned, above, header, scale)) as u32;
    let first = if bottom { data_start } else { data_start + 1 };
    let last = first + count - 1;
    let total_row = if bottom { last + 1 } else { data_start };
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
        let unit = prefill.map(|(b, _)| b.who());
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
            row_sum(&col.sum_of, total_row)
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
            total_row,
            c as u16,
            Formula::new(formula).set_result(cached),
            &locked_total,
        )?;
    }
    // Its label below the rows spans the code columns and the name, as the official table.
    if bottom && let Some(name) = spec.column_of(ColumnKind::Name) {
        let label = table
            .rows
            .iter()
            .find(|r| r.kind == RowKind::Total)
            .and_then(|r| match &r.cells[name] {
                Cell::Text(t) => Some(t.clone()),
                _ => None,
            })
            .unwrap_or_default();
        sheet.merge_range(total_row, 0, total_row, name as u16, &label, &st.text_total)?;
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
    let note_row = total_row.max(last) + 1;
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
