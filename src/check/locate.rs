//! Locating findings: turning a place in the model (table, row, column) into a sheet and an A1
//! cell — of the input as read, or of the standardized output workbook, through a
//! [`Locator`] — and writing the message a finance clerk reads.

use super::finding::{Finding, Place};
use crate::edition::{Edition, Severity};
use crate::model::Budget;
use crate::model::position::Locator;

/// A finding with its location and message.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The finding.
    pub finding: Finding,
    /// Official title of the table.
    pub table_title: String,
    /// Sheet of the place, where known.
    pub sheet: Option<String>,
    /// Cell of the place (A1), where known.
    pub cell: Option<String>,
    /// The message: table, cell, what is wrong, the other place, the rule.
    pub message: String,
}

impl Located {
    /// The finding's severity.
    pub fn severity(&self) -> Severity {
        self.finding.severity
    }
}

/// Sheet and cell of a place.
pub fn resolve(locator: &dyn Locator, place: &Place) -> (Option<String>, Option<String>) {
    let Some(pos) = locator.table(place.table) else {
        return (None, None);
    };
    let cell = match place.row {
        Some(r) => {
            let row = pos.rows.get(r).copied().flatten();
            let col = pos.columns.get(&place.column).copied();
            row.zip(col).map(|(r, c)| crate::base::a1::cell(r, c))
        }
        None => Some(crate::base::a1::cell(pos.title.0, pos.title.1)),
    };
    (Some(pos.sheet.clone()), cell)
}

/// Sheet and cells of a place: a range (`F8:F11`) for a value added up over several rows.
fn resolve_span(locator: &dyn Locator, place: &Place) -> (Option<String>, Option<String>) {
    let (sheet, first) = resolve(locator, place);
    let last = place.through.and_then(|t| {
        let end = Place {
            row: Some(t),
            through: None,
            ..place.clone()
        };
        resolve(locator, &end).1
    });
    let cell = match (first, last) {
        (Some(a), Some(b)) if a != b => Some(format!("{a}:{b}")),
        (a, _) => a,
    };
    (sheet, cell)
}

fn title_of(edition: &Edition, budget: &Budget, number: u8) -> String {
    budget
        .table(number)
        .map(|t| t.title.clone())
        .or_else(|| edition.table(number).map(|t| t.title.clone()))
        .unwrap_or_default()
}

/// How a place is named in a message: `单位支出总表 F9`, with the sheet where it is not
/// called after the table.
fn where_text(title: &str, sheet: Option<&str>, cell: Option<&str>) -> String {
    let mut s = title.to_owned();
    if let Some(sheet) = sheet.filter(|s| *s != title) {
        s.push_str(&format!("（工作表“{sheet}”）"));
    }
    if let Some(cell) = cell {
        s.push(' ');
        s.push_str(cell);
    }
    s
}

/// Locates every finding and writes its message.
pub fn locate_all(
    edition: &Edition,
    budget: &Budget,
    findings: &[Finding],
    locator: &dyn Locator,
) -> Vec<Located> {
    findings
        .iter()
        .map(|f| {
            let title = title_of(edition, budget, f.place.table);
            let (sheet, cell) = resolve(locator, &f.place);
            let mut message = format!(
                "{}：{}",
                where_text(&title, sheet.as_deref(), cell.as_deref()),
                f.text
            );
            if let Some(other) = &f.other {
                let (osheet, ocell) = resolve_span(locator, other);
                let otitle = title_of(edition, budget, other.table);
                message.push_str(&format!(
                    "（对应 {}）",
                    where_text(&otitle, osheet.as_deref(), ocell.as_deref())
                ));
            }
            message.push_str(&format!("（{}）", f.rule));
            Located {
                finding: f.clone(),
                table_title: title,
                sheet,
                cell,
                message,
            }
        })
        .collect()
}
