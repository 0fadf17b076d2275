//! How wide a table's columns and how tall its rows must be to show every text whole, as
//! Excel lays them out.

use super::styles::{LINE_HEIGHT, lines_of};
use crate::edition::{ColumnKind, Layout};
use crate::render::{Cell, Rendered};
use rust_decimal::Decimal;

/// Column widths: the edition's minimum, widened to fit the content (a CJK character counts
/// as two digit widths, which Excel's own autofit gets wrong), capped for wrapped text.
pub(super) fn column_widths(table: &Rendered<'_>) -> Vec<f64> {
    let mut widths: Vec<f64> = (0..table.width())
        .map(|c| table.spec.widths.get(c).copied().unwrap_or(8.0))
        .collect();
    for row in &table.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            let need = match cell {
                Cell::Text(t) => crate::base::text::display_width(t) + 2.0,
                Cell::Amount(v) => grouped_len(*v) + 3.0,
                Cell::Sum(sum) => grouped_len(sum.value) + 3.0,
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
    // In the projects table (表13), mostly text, the columns of wrapping text (names, 年度目标,
    // indicators) give room back, each in proportion to its width beyond a few characters,
    // where the table would otherwise print its text below 8 points; their rows grow taller
    // instead. (A coded table's width is its amount columns': narrower names would only
    // multiply its pages.)
    let projects = matches!(table.spec.layout, Layout::Projects);
    let excess = super::pages::excess_width(&widths);
    if projects && excess > 0.0 {
        let give: Vec<(usize, f64)> = (0..widths.len())
            .filter(|&c| {
                matches!(
                    table.spec.columns[c].kind,
                    ColumnKind::Name | ColumnKind::Text | ColumnKind::Line | ColumnKind::UnitName
                )
            })
            .map(|c| (c, (widths[c] - MIN_WRAP_WIDTH).max(0.0)))
            .collect();
        let total: f64 = give.iter().map(|(_, g)| g).sum();
        if total > 0.0 {
            for (c, g) in give {
                widths[c] -= (excess * g / total).ceil().min(g);
            }
        }
    }
    widths
}

/// The heights of a header's rows that show every title whole: a title needing n lines over
/// the columns it spans needs n lines of height, shared among the rows it spans.
pub(super) fn header_heights(header: &crate::edition::HeaderGrid, widths: &[f64]) -> Vec<f64> {
    let mut heights = vec![LINE_HEIGHT; header.cells.len()];
    for (r, cells) in header.cells.iter().enumerate() {
        for (c, text) in cells.iter().enumerate() {
            let Some(text) = text else { continue };
            let (rows, last_col) = header
                .merges
                .iter()
                .find(|m| m.first_row == r && m.first_col == c)
                .map_or((r..=r, c), |m| (m.first_row..=m.last_row, m.last_col));
            let width: f64 = widths.get(c..=last_col).map_or(8.0, |w| w.iter().sum());
            let lines: f64 = text.split('\n').map(|part| lines_of(part, width)).sum();
            let per_row = lines * LINE_HEIGHT / rows.clone().count() as f64;
            for h in &mut heights[rows] {
                *h = h.max(per_row);
            }
        }
    }
    heights
}

/// The narrowest a column of wrapping text is made to give room back, in characters.
const MIN_WRAP_WIDTH: f64 = 8.0;

/// Row heights that show wrapped text whole: a text needing n lines at its column's width
/// needs n lines of height, shared among the rows of its merge.
pub(super) fn row_heights(table: &Rendered<'_>, widths: &[f64]) -> Vec<f64> {
    let mut heights = vec![LINE_HEIGHT; table.rows.len()];
    // The rows each merge spans, by its top-left cell: looked up once per text cell.
    let spans: std::collections::HashMap<(usize, usize), usize> = table
        .merges
        .iter()
        .map(|m| ((m.first_row, m.first_col), m.last_row - m.first_row + 1))
        .collect();
    for (r, row) in table.rows.iter().enumerate() {
        for (c, cell) in row.cells.iter().enumerate() {
            let Cell::Text(text) = cell else { continue };
            let lines = lines_of(text, widths[c]);
            let span = spans.get(&(r, c)).copied().unwrap_or(1);
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
