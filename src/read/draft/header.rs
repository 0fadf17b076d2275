//! A template table's header: its rows (as far as merged cells and label rows reach), its grid
//! and each column's path and kind.

use super::cells::{is_data, merge_at, texts};
use crate::base::text::compact;
use crate::read::workbook::Sheet;

/// The last row of a header starting at `start`: as far as merged cells from its rows reach,
/// and any following row of labels that is not data.
pub(super) fn header_end(sheet: &Sheet, start: usize) -> usize {
    let mut end = start;
    loop {
        let reach = sheet
            .merges
            .iter()
            .flatten()
            .filter(|m| (start..=end).contains(&m.first_row))
            .map(|m| m.last_row)
            .max()
            .unwrap_or(end);
        let next = reach.max(end) + 1;
        if reach > end {
            end = reach;
        } else if next < sheet.cells.len()
            && !texts(sheet, next).is_empty()
            && !is_data(sheet, next)
        {
            end = next;
        } else {
            return end;
        }
    }
}

/// The header grid: each cell's text, `<` where merged with (or, empty, continuing) the cell to
/// its left in the first row, `^` where merged with (or, empty, under) the cell above.
pub(super) fn grid(sheet: &Sheet, start: usize, end: usize) -> Vec<Vec<String>> {
    let width = (start..=end)
        .flat_map(|r| {
            let merged = sheet
                .merges
                .iter()
                .flatten()
                .filter(move |m| m.first_row <= r && r <= m.last_row)
                .map(|m| m.last_col + 1);
            texts(sheet, r)
                .into_iter()
                .map(|(c, _)| c + 1)
                .chain(merged)
        })
        .max()
        .unwrap_or(0);
    let mut out: Vec<Vec<String>> = Vec::new();
    for r in start..=end {
        let mut row = Vec::with_capacity(width);
        for c in 0..width {
            let cell = match merge_at(sheet, r, c) {
                Some(m) if r > m.first_row => "^".to_owned(),
                Some(m) if c > m.first_col => "<".to_owned(),
                _ => sheet.get(r, c).text(),
            };
            let cell = match cell.is_empty() {
                true if r > start => "^".to_owned(),
                true if c > 0 => "<".to_owned(),
                _ => cell,
            };
            row.push(cell);
        }
        out.push(row);
    }
    out
}

/// Each column's header path, top to bottom (spaces left out), as the edition keys it.
pub(super) fn paths(header: &[Vec<String>]) -> Vec<Vec<String>> {
    let width = header.first().map_or(0, Vec::len);
    (0..width)
        .map(|c| {
            let mut path: Vec<String> = Vec::new();
            for row in header {
                let mut k = c;
                while k > 0 && row[k] == "<" {
                    k -= 1;
                }
                let text = &row[k];
                if text != "^" && text != "<" && !text.is_empty() {
                    path.push(compact(text));
                }
            }
            path
        })
        .collect()
}

/// A column's kind from its header path.
pub(super) fn kind(path: &[String]) -> String {
    let leaf = path.last().map_or("", String::as_str);
    match leaf {
        "类" | "款" | "项" => return format!("code:{leaf}"),
        "项目" => return "label".to_owned(),
        _ => {}
    }
    if leaf.contains("单位代码") || leaf.contains("单位编码") {
        "unit"
    } else if leaf.contains("名称") {
        "name"
    } else if leaf.contains("编码") {
        "code"
    } else {
        "amount"
    }
    .to_owned()
}
