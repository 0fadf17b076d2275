//! Where pages break when a table is printed: A4 landscape, one page wide (the sheet is scaled
//! down to the page's width), and — for the projects table — never inside a project's block.

use super::table::LINE_HEIGHT;
use crate::edition::{ColumnKind, Layout};
use crate::render::Rendered;

/// A4 landscape, in points.
const PAGE_WIDTH: f64 = 842.0;
const PAGE_HEIGHT: f64 = 595.0;
/// The default margins (0.7 in left and right, 0.75 in top and bottom) and the footer line.
const MARGIN_X: f64 = 2.0 * 50.4;
const MARGIN_Y: f64 = 2.0 * 54.0 + 14.0;
/// Kept free on every page, for the difference between our estimate and the spreadsheet's.
const SLACK: f64 = 0.9;
/// The most manual page breaks a sheet may have (Excel's limit): a department's 表13 of
/// thousands of projects keeps its first ones, and the spreadsheet breaks the rest itself.
pub(super) const MAX_BREAKS: usize = 1023;

/// The scale at which a sheet of these column widths (in characters) fits the page's width.
pub(super) fn scale(widths: &[f64]) -> f64 {
    // A column of width w shows w digits of the default font: 7 pixels each, 5 of padding.
    let points: f64 = widths.iter().map(|w| (w * 7.0 + 5.0) * 0.75).sum();
    ((PAGE_WIDTH - MARGIN_X) / points).min(1.0)
}

/// The sheet rows before which a page must break so that no project's block of a projects
/// table is split across pages; a block taller than a page starts a page. At most
/// [`MAX_BREAKS`]: the pages after them break where the spreadsheet puts them. `heights` are the
/// data rows' heights (points), `header` the height of the rows repeated on every page.
pub(super) fn project_breaks(
    table: &Rendered<'_>,
    heights: &[f64],
    header: f64,
    scale: f64,
) -> Vec<u32> {
    if !matches!(table.spec.layout, Layout::Projects) {
        return Vec::new();
    }
    let page = ((PAGE_HEIGHT - MARGIN_Y) * SLACK / scale - header).max(LINE_HEIGHT);
    // The blocks: the rows spanned by the merges of the project's own columns (its name).
    let name_col = table
        .spec
        .columns
        .iter()
        .position(|c| c.kind == ColumnKind::Name);
    let mut starts: Vec<(usize, usize)> = table
        .merges
        .iter()
        .filter(|m| Some(m.first_col) == name_col)
        .map(|m| (m.first_row, m.last_row))
        .collect();
    starts.sort_unstable();
    let mut breaks = Vec::new();
    // The first page also holds the title and the lines above the header.
    let mut used = (table.header_start() as f64) * 20.0;
    let mut row = 0;
    for (first, last) in starts {
        // Rows between blocks (a unit's row) count where they stand.
        used += heights[row..first].iter().sum::<f64>();
        let block: f64 = heights[first..=last].iter().sum();
        if used + block > page && used > 0.0 {
            if breaks.len() == MAX_BREAKS {
                break;
            }
            breaks.push((table.data_start() + first) as u32);
            used = 0.0;
        }
        used = (used + block) % page.max(1.0);
        row = last + 1;
    }
    breaks
}
