//! Where pages break when a table is printed: A4 landscape, one page wide (the sheet is scaled
//! down to the page's width), and — for the projects table — never inside a project's block.

use super::styles::LINE_HEIGHT;
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

/// The smallest scale a table prints at, for its 10-point text to print at 8 points at least
/// (with a margin for engines whose character widths are a little wider than Excel's).
const MIN_SCALE: f64 = 0.9;

/// By how many characters columns of these widths are wider than a table printed at
/// [`MIN_SCALE`] can be (0 when they fit).
pub(super) fn excess_width(widths: &[f64]) -> f64 {
    let points: f64 = widths.iter().map(|w| (w * 7.0 + 5.0) * 0.75).sum();
    let room = (PAGE_WIDTH - MARGIN_X) / MIN_SCALE;
    ((points - room) / (7.0 * 0.75)).max(0.0)
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

/// Rows of a table kept together at the top of its last page: fewer, and the table is fitted
/// to one page less (when that shrinks it only a little).
const MIN_LAST_ROWS: usize = 3;
/// The part of its last page a table fills at least: less, and it is fitted to one page less
/// (when that shrinks it only a little).
const MIN_LAST_PART: f64 = 0.25;
/// The most a table is shrunk below its width's scale to keep its last rows off a page of
/// their own.
const MAX_SHRINK: f64 = 0.8;
/// Excel's height of a row written without one (Calibri 11), in points.
const EXCEL_ROW: f64 = 15.0;
/// LibreOffice's height of a row written without one, in points.
const LIBREOFFICE_ROW: f64 = 12.8;

/// A row's height: as written when taller than a line, else the engine's `row`.
fn tall_or(h: f64, row: f64) -> f64 {
    if h > LINE_HEIGHT { h } else { row }
}

/// The pages a table takes, the rows on its last page and their height, rows without a
/// height being `row`.
fn pages_of(heights: &[f64], row: f64, above: f64, header: f64, scale: f64) -> (usize, usize, f64) {
    let page = (PAGE_HEIGHT - MARGIN_Y) / scale;
    let room = (page - header).max(LINE_HEIGHT);
    let (mut pages, mut used, mut on_page) = (1usize, above, 0usize);
    for h in heights.iter().map(|&h| tall_or(h, row)) {
        if used + h > room && on_page > 0 {
            pages += 1;
            used = 0.0;
            on_page = 0;
        }
        used += h;
        on_page += 1;
    }
    (pages, on_page, used)
}

/// The pages tall a table of rows (`heights`, points, from its first data row; `above` the
/// height of the title and lines above the header; `header` the height of the header repeated
/// on every page) is fitted to, when printed one page wide at `scale` its last page would hold
/// fewer than [`MIN_LAST_ROWS`] rows or fill less than [`MIN_LAST_PART`] of it — in Excel or in
/// LibreOffice — and fitting it to one page less shrinks it to no less than [`MAX_SHRINK`];
/// `None`: it prints as it falls.
pub(super) fn fit_pages(heights: &[f64], above: f64, header: f64, scale: f64) -> Option<u16> {
    // Rows written without a height are as tall as the engine makes them: 15 points in Excel
    // (Calibri 11), 12.8 in LibreOffice. A last page of a few rows in either is fitted away.
    let orphaned = [EXCEL_ROW, LIBREOFFICE_ROW].into_iter().find_map(|row| {
        let (pages, rows, used) = pages_of(heights, row, above, header, scale);
        let page = (PAGE_HEIGHT - MARGIN_Y) / scale;
        let short = rows < MIN_LAST_ROWS || used + header < page * MIN_LAST_PART;
        (pages >= 2 && short).then_some((pages, row))
    });
    let (pages, row) = orphaned?;
    let heights: Vec<f64> = heights.iter().map(|&h| tall_or(h, row)).collect();
    let page = (PAGE_HEIGHT - MARGIN_Y) / scale;
    let fewer = pages - 1;
    let content = above + heights.iter().sum::<f64>() + header * fewer as f64;
    let shrink = (fewer as f64 * page / content).min(1.0);
    (shrink >= MAX_SHRINK).then(|| u16::try_from(fewer).unwrap_or(u16::MAX))
}

/// How many more rows without a height fill the last page of a table of rows (`heights`, as
/// in [`fit_pages`]) in Excel, where rows are tallest: none when it is fitted to fewer pages.
pub(super) fn rows_to_fill(heights: &[f64], above: f64, header: f64, scale: f64) -> usize {
    if fit_pages(heights, above, header, scale).is_some() {
        return 0;
    }
    let (_, _, used) = pages_of(heights, EXCEL_ROW, above, header, scale);
    let room = ((PAGE_HEIGHT - MARGIN_Y) / scale - header).max(LINE_HEIGHT);
    ((room - used) / EXCEL_ROW).floor().max(0.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table like 一般公共预算基本支出预算表: a title and two lines above a header of three
    /// rows, at full scale.
    const ABOVE: f64 = 60.0;
    const HEADER: f64 = 81.0;

    #[test]
    fn a_table_with_two_rows_left_for_its_last_page_is_fitted_to_one_page() {
        // In LibreOffice (12.8-point rows) 25 rows fill the first page and 2 are left over.
        let rows = vec![LINE_HEIGHT; 27];
        assert_eq!(pages_of(&rows, LIBREOFFICE_ROW, ABOVE, HEADER, 1.0).0, 2);
        assert_eq!(fit_pages(&rows, ABOVE, HEADER, 1.0), Some(1));
    }

    #[test]
    fn a_table_whose_last_page_is_well_filled_prints_as_it_falls() {
        let rows = vec![LINE_HEIGHT; 45];
        let (pages, last, _) = pages_of(&rows, LIBREOFFICE_ROW, ABOVE, HEADER, 1.0);
        assert_eq!(pages, 2);
        assert!(last >= MIN_LAST_ROWS);
        assert_eq!(fit_pages(&rows, ABOVE, HEADER, 1.0), None);
    }

    #[test]
    fn blank_rows_are_added_to_fill_the_last_page_in_excel() {
        let rows = vec![LINE_HEIGHT; 10];
        let more = rows_to_fill(&rows, ABOVE, HEADER, 1.0);
        let filled = vec![LINE_HEIGHT; 10 + more];
        assert_eq!(pages_of(&filled, EXCEL_ROW, ABOVE, HEADER, 1.0).0, 1);
        let over = vec![LINE_HEIGHT; 11 + more];
        assert_eq!(pages_of(&over, EXCEL_ROW, ABOVE, HEADER, 1.0).0, 2);
    }

    #[test]
    fn wide_names_give_back_room_below_the_smallest_scale() {
        assert_eq!(excess_width(&[10.0; 5]), 0.0);
        let wide = [40.0; 6];
        let excess = excess_width(&wide);
        assert!(excess > 0.0);
        let fitted: Vec<f64> = wide.iter().map(|w| w - excess / 6.0).collect();
        assert!((scale(&fitted) - MIN_SCALE).abs() < 1e-9);
    }
}
