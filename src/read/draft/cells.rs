//! What the draft reads of a template's cells: a row's texts, the merged range over a cell, and
//! whether a row holds data.

use crate::base::text::{compact, without_number};
use crate::edition::Rect;
use crate::read::workbook::{Sheet, Value};

/// The rows and columns a merged range covers.
pub(super) fn merge_at(sheet: &Sheet, r: usize, c: usize) -> Option<&Rect> {
    sheet.merges.as_deref()?.iter().find(|m| {
        (m.first_row..=m.last_row).contains(&r) && (m.first_col..=m.last_col).contains(&c)
    })
}

pub(super) fn texts(sheet: &Sheet, r: usize) -> Vec<(usize, String)> {
    sheet
        .cells
        .get(r)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(c, v)| (c, v.text()))
        .filter(|(_, t)| !t.is_empty())
        .collect()
}

/// Whether a row holds figures (numbers, formulas) or numbered labels: a data row.
pub(super) fn is_data(sheet: &Sheet, r: usize) -> bool {
    let row = sheet.cells.get(r).map(Vec::as_slice).unwrap_or_default();
    row.iter().any(|v| match v {
        Value::Number(_) | Value::Formula(_) => true,
        Value::Text(t) => {
            let folded = compact(t);
            without_number(&folded) != folded || folded.chars().all(|c| c.is_ascii_digit())
        }
        Value::Empty => false,
    })
}

/// What the edition in use tells of a template: the names of the functional classes (a side
/// listing them is the class list) and how a note line under a table starts.
pub(super) struct Known<'e> {
    pub(super) classes: Vec<String>,
    pub(super) note_prefixes: &'e [String],
}
