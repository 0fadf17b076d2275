//! Matching a table's header in a sheet against the edition's header, column by column, by
//! header text rather than by position: columns may stand in another order, carry extra
//! spaces, line breaks or other brackets, be merged or not; extra columns are ignored with a
//! warning; a missing column is empty (with a warning) unless the table cannot be read
//! without it; 科目编码 may be one column instead of 类/款/项.

use super::workbook::Sheet;
use crate::base::error::{Level, Location, Notice, Problem, ReadError};
use crate::base::text::fold;
use crate::edition::{ColumnKind, TableSpec};

/// Where a table's header and data are in a sheet, and which sheet column holds each of the
/// edition's columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMap {
    /// First header row.
    pub header_row: usize,
    /// First data row.
    pub data_row: usize,
    /// For every column of the edition, the sheet column holding it (`None`: absent).
    pub columns: Vec<Option<usize>>,
    /// Where the edition has 类/款/项 columns but the sheet has the whole code in one column.
    pub whole_code: Option<usize>,
}

/// How far below the title the header may start.
pub const HEADER_SEARCH_ROWS: usize = 20;

/// The folded texts of the first header row of a table (`科目编码`, `单位代码`, …).
pub fn anchors(spec: &TableSpec) -> Vec<String> {
    spec.header.cells[0]
        .iter()
        .flatten()
        .map(|t| fold(t))
        .collect()
}

/// How many of the first header row's texts (`anchors`) a sheet row holds.
pub fn anchor_score(anchors: &[String], sheet: &Sheet, row: usize) -> usize {
    let texts: Vec<String> = sheet
        .cells
        .get(row)
        .map_or_else(Vec::new, |r| r.iter().map(|v| fold(&v.text())).collect());
    anchors.iter().filter(|a| texts.contains(a)).count()
}

/// The fewest first-row texts a row must hold to be taken for the header: all of them when
/// there are two or fewer (表1, 表4: 收入 and 支出), otherwise more than half.
pub fn needed_score(spec: &TableSpec) -> usize {
    let n = anchors(spec).len();
    if n <= 2 { n } else { n / 2 + 1 }
}

/// The sheet column of each edition column, for a header of `height` rows at `header_row`.
struct Mapping {
    columns: Vec<Option<usize>>,
    whole_code: Option<usize>,
    paths: Vec<Vec<String>>,
    used: Vec<bool>,
    mapped: usize,
}

fn map_columns(spec: &TableSpec, sheet: &Sheet, header_row: usize, height: usize) -> Mapping {
    let left = LeftTexts::new(sheet, header_row, height);
    let paths: Vec<Vec<String>> = (0..sheet.width())
        .map(|c| column_path(sheet, header_row, height, c, &left))
        .collect();
    let template: Vec<Vec<String>> = spec
        .columns
        .iter()
        .map(|c| c.key.split('/').map(fold).collect())
        .collect();
    let mut used = vec![false; paths.len()];
    let mut columns = vec![None; template.len()];
    for (t, tpath) in template.iter().enumerate() {
        let exact = (0..paths.len()).find(|&c| !used[c] && paths[c] == *tpath);
        let by_leaf = || {
            let leaf = tpath.last()?;
            let unique_in_template =
                template.iter().filter(|p| p.last() == Some(leaf)).count() == 1;
            let mut hits = (0..paths.len()).filter(|&c| !used[c] && paths[c].last() == Some(leaf));
            match (unique_in_template, hits.next(), hits.next()) {
                (true, Some(c), None) => Some(c),
                _ => None,
            }
        };
        if let Some(c) = exact.or_else(by_leaf) {
            used[c] = true;
            columns[t] = Some(c);
        }
    }
    // 科目编码 whole in one column: the segments' common header, alone.
    let segments: Vec<usize> = spec.segment_columns().into_iter().map(|(_, c)| c).collect();
    let mut whole_code = None;
    if !segments.is_empty() && segments.iter().all(|&t| columns[t].is_none()) {
        let prefix = &template[segments[0]][..template[segments[0]].len() - 1];
        let group = prefix.last();
        whole_code = (0..paths.len()).find(|&c| {
            !used[c] && (paths[c] == prefix || (paths[c].len() == 1 && paths[c].last() == group))
        });
        if let Some(c) = whole_code {
            used[c] = true;
        }
    }
    let mapped = columns.iter().flatten().count() + whole_code.map_or(0, |_| segments.len());
    Mapping {
        columns,
        whole_code,
        paths,
        used,
        mapped,
    }
}

/// Finds the header of a table whose region starts at `from` and maps its columns.
pub fn match_header(
    spec: &TableSpec,
    sheet: &Sheet,
    from: usize,
    to: usize,
    location: &Location,
    notices: &mut Vec<Notice>,
) -> Result<ColumnMap, ReadError> {
    let last = to.min(from + HEADER_SEARCH_ROWS);
    let first_row = anchors(spec);
    let best_row = (from..last)
        .map(|r| (anchor_score(&first_row, sheet, r), r))
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let header_row = match best_row {
        Some((score, r)) if score >= needed_score(spec) => r,
        _ => {
            return Err(ReadError::new(
                location.at(from.saturating_sub(1), 0),
                Problem::HeaderNotFound {
                    number: spec.number,
                    title: spec.title.clone(),
                    expected: anchors(spec).join("、"),
                },
            ));
        }
    };
    // The header may have fewer rows than the edition's (no 类/款/项 row when the code is
    // whole in one column): the height that maps most columns wins; on a tie, separate code
    // segments beat a whole-code column, and then the taller header.
    let full = spec.header.height();
    let (height, mapping) = (1..=full)
        .rev()
        .map(|h| (h, map_columns(spec, sheet, header_row, h)))
        .max_by_key(|(h, m)| (m.mapped, m.whole_code.is_none(), *h))
        .expect("a header has at least one row");
    let at = |c: usize| location.at(header_row, c);
    for (t, col) in spec.columns.iter().enumerate() {
        if mapping.columns[t].is_some() {
            continue;
        }
        let covered =
            matches!(col.kind, ColumnKind::CodeSegment(_)) && mapping.whole_code.is_some();
        let required = matches!(
            col.kind,
            ColumnKind::Name
                | ColumnKind::Label
                | ColumnKind::UnitName
                | ColumnKind::CodeSegment(_)
                | ColumnKind::Code
        );
        if covered {
            continue;
        }
        if required {
            return Err(ReadError::new(
                at(mapping.columns.iter().flatten().copied().min().unwrap_or(0)),
                Problem::MissingColumn {
                    number: spec.number,
                    title: spec.title.clone(),
                    column: col.key.clone(),
                },
            ));
        }
        notices.push(Notice {
            level: Level::Warning,
            location: at(0),
            message: format!(
                "表{}“{}”缺少“{}”列，按空列读取",
                spec.number, spec.title, col.key
            ),
        });
    }
    if let Some(c) = mapping.whole_code {
        notices.push(Notice {
            level: Level::Info,
            location: at(c),
            message: format!(
                "表{}“{}”的科目编码在一列中，按 类/款/项 拆分",
                spec.number, spec.title
            ),
        });
    }
    for (c, path) in mapping.paths.iter().enumerate() {
        if !mapping.used[c] && !path.is_empty() {
            notices.push(Notice {
                level: Level::Warning,
                location: at(c),
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
        columns: mapping.columns,
        whole_code: mapping.whole_code,
    })
}

/// For each header row, the column of the nearest non-empty cell left of each column: found
/// in one pass, so a sheet thousands of columns wide costs no more than it is wide.
struct LeftTexts {
    rows: Vec<Vec<Option<usize>>>,
}

impl LeftTexts {
    fn new(sheet: &Sheet, header_row: usize, height: usize) -> LeftTexts {
        let width = sheet.width();
        let rows = (header_row..header_row + height)
            .map(|r| {
                let mut last = None;
                (0..width)
                    .map(|c| {
                        let before = last;
                        if !sheet.get(r, c).is_blank() {
                            last = Some(c);
                        }
                        before
                    })
                    .collect()
            })
            .collect();
        LeftTexts { rows }
    }

    /// The nearest non-empty column left of `c` in header row `offset`.
    fn before(&self, offset: usize, c: usize) -> Option<usize> {
        self.rows.get(offset)?.get(c).copied().flatten()
    }
}

/// The folded header path of a sheet column: the texts above it that begin in their row.
/// A blank cell takes the text of the merge it belongs to when that merge starts in the same
/// row; a blank cell in an upper header row outside any merge (merges unknown, as in .ods, or
/// a group header written only once) takes the nearest text to its left.
fn column_path(
    sheet: &Sheet,
    header_row: usize,
    height: usize,
    c: usize,
    left: &LeftTexts,
) -> Vec<String> {
    let mut path: Vec<String> = Vec::new();
    for r in header_row..header_row + height {
        let own = sheet.get(r, c).text();
        let text = if !own.is_empty() {
            Some(own)
        } else if let Some(m) = sheet.merge_at(r, c) {
            (m.first_row == r).then(|| sheet.get(m.first_row, m.first_col).text())
        } else if r + 1 < header_row + height {
            left.before(r - header_row, c)
                .map(|cc| sheet.get(r, cc).text())
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
