//! Matching a table's header in a sheet against the edition's header, column by column, by
//! header text rather than by position.

use super::locate::Found;
use super::workbook::Sheet;
use crate::edition::TableSpec;
use crate::error::{Level, Location, Notice, Problem, ReadError};
use crate::text::fold;

/// Where a table's header and data are in a sheet, and which sheet column holds each of the
/// edition's columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMap {
    /// First header row.
    pub header_row: usize,
    /// First data row.
    pub data_row: usize,
    /// For every column of the edition, the sheet column holding it.
    pub columns: Vec<usize>,
}

/// How far below the title the header may start.
const HEADER_SEARCH_ROWS: usize = 20;

/// Finds the header of a located table and maps its columns.
pub fn match_header(
    spec: &TableSpec,
    sheet: &Sheet,
    found: &Found,
    location: &Location,
    notices: &mut Vec<Notice>,
) -> Result<ColumnMap, ReadError> {
    let height = spec.header.height();
    let anchors: Vec<String> = spec.header.cells[0]
        .iter()
        .flatten()
        .map(|t| fold(t))
        .collect();
    let last = found.end_row.min(found.title_row + 1 + HEADER_SEARCH_ROWS);
    let header_row = (found.title_row + 1..last)
        .find(|&r| {
            let texts: Vec<String> = sheet.cells[r].iter().map(|v| fold(&v.text())).collect();
            anchors.iter().all(|a| texts.contains(a))
        })
        .ok_or_else(|| {
            ReadError::new(
                location.at(found.title_row, found.title_col),
                Problem::HeaderNotFound {
                    number: spec.number,
                    title: spec.title.clone(),
                    expected: anchors.join("、"),
                },
            )
        })?;
    let sheet_paths: Vec<Vec<String>> = (0..sheet.width())
        .map(|c| column_path(sheet, header_row, height, c))
        .collect();
    let template_paths: Vec<Vec<String>> = spec
        .columns
        .iter()
        .map(|c| c.key.split('/').map(fold).collect())
        .collect();
    let mut columns = Vec::with_capacity(spec.columns.len());
    let mut used = vec![false; sheet_paths.len()];
    for (t, tpath) in template_paths.iter().enumerate() {
        let exact = sheet_paths
            .iter()
            .enumerate()
            .position(|(c, p)| !used[c] && p == tpath);
        let by_leaf = || {
            let leaf = tpath.last()?;
            let unique_in_template = template_paths
                .iter()
                .filter(|p| p.last() == Some(leaf))
                .count()
                == 1;
            let mut hits = sheet_paths
                .iter()
                .enumerate()
                .filter(|(c, p)| !used[*c] && p.last() == Some(leaf));
            match (unique_in_template, hits.next(), hits.next()) {
                (true, Some((c, _)), None) => Some(c),
                _ => None,
            }
        };
        let Some(c) = exact.or_else(by_leaf) else {
            return Err(ReadError::new(
                location.at(header_row, found.title_col),
                Problem::MissingColumn {
                    number: spec.number,
                    title: spec.title.clone(),
                    column: spec.columns[t].key.clone(),
                },
            ));
        };
        used[c] = true;
        columns.push(c);
    }
    for (c, path) in sheet_paths.iter().enumerate() {
        if !used[c] && !path.is_empty() {
            notices.push(Notice {
                level: Level::Warning,
                location: location.at(header_row, c),
                message: format!(
                    "表{}“{}”中多余的列“{}”已忽略",
                    spec.number,
                    spec.title,
                    path.join("/")
                ),
            });
        }
    }
    Ok(ColumnMap {
        header_row,
        data_row: header_row + height,
        columns,
    })
}

/// The folded header path of a sheet column: the texts above it that begin in their row.
/// A blank cell takes the text of the merge it belongs to when that merge starts in the same
/// row; a blank cell in an upper header row outside any merge (merges unknown, as in .ods, or
/// a group header written only once) takes the nearest text to its left.
fn column_path(sheet: &Sheet, header_row: usize, height: usize, c: usize) -> Vec<String> {
    let mut path: Vec<String> = Vec::new();
    for r in header_row..header_row + height {
        let own = sheet.get(r, c).text();
        let merge = sheet.merge_at(r, c);
        let text = if !own.is_empty() {
            Some(own)
        } else if let Some(m) = merge {
            (m.first_row == r).then(|| sheet.get(m.first_row, m.first_col).text())
        } else if r + 1 < header_row + height {
            (0..c)
                .rev()
                .map(|cc| sheet.get(r, cc).text())
                .find(|t| !t.is_empty())
        } else {
            None
        };
        if let Some(t) = text.map(|t| fold(&t)).filter(|t| !t.is_empty())
            && path.last() != Some(&t)
        {
            path.push(t);
        }
    }
    path
}
