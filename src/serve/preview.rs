//! The unit's tables as its page shows them: each official table as HTML, the cells where a
//! rule found something marked (red for an error, yellow for a warning, the finding on hover),
//! so that the clerk sees where to correct.

use crate::check::{self, Options};
use crate::edition::{Edition, Severity};
use crate::model::Budget;
use crate::render::{self, Cell, Purpose};
use crate::write::positions::OutputPositions;
use maud::{Markup, html};
use std::collections::HashMap;

/// The tables of `budget` as HTML, findings marked.
pub(super) fn preview(edition: &Edition, budget: &Budget, options: &Options) -> String {
    let findings = check::check(edition, budget, options);
    let rendered = render::render_all(edition, budget, Purpose::Publish);
    let positions = OutputPositions::new("preview", budget, &rendered);
    let located = check::locate_all(edition, budget, &findings, &positions);
    // The worst finding of each cell, and what it says.
    let mut marks: HashMap<(String, String), (Severity, String)> = HashMap::new();
    for l in &located {
        if let (Some(sheet), Some(cell)) = (&l.sheet, &l.cell) {
            let key = (sheet.clone(), cell.clone());
            let worse = marks
                .get(&key)
                .is_none_or(|(s, _)| *s == Severity::Warning && l.severity() == Severity::Error);
            if worse {
                marks.insert(key, (l.severity(), l.message.clone()));
            }
        }
    }
    let tables: Vec<Markup> = rendered
        .iter()
        .map(|t| {
            let sheet = t.sheet_name();
            let header = &t.spec.header;
            let start = t.data_start();
            html! {
                h3 { (t.title) }
                table class="preview" {
                    @for (r, row) in header.cells.iter().enumerate() {
                        tr {
                            @for (c, text) in row.iter().enumerate() {
                                @if let Some(text) = text {
                                    @let span = header.merges.iter().find(|m| m.first_row == r && m.first_col == c);
                                    th colspan=[span.map(|m| m.last_col - m.first_col + 1)]
                                       rowspan=[span.map(|m| m.last_row - m.first_row + 1)] { (text) }
                                }
                            }
                        }
                    }
                    @for (r, row) in t.rows.iter().enumerate() {
                        tr {
                            @for (c, cell) in row.cells.iter().enumerate() {
                                @let a1 = crate::base::a1::cell(start + r, c);
                                @let mark = marks.get(&(sheet.clone(), a1));
                                @let class = mark.map(|(s, _)| if *s == Severity::Error { "flag-error" } else { "flag-warning" });
                                td class=[class] title=[mark.map(|(_, m)| m.as_str())] { (text_of(cell)) }
                            }
                        }
                    }
                }
            }
        })
        .collect();
    html! { @for t in &tables { (t) } }.into_string()
}

/// A cell as shown: text as written, amounts exactly; a total of nothing blank, as printed.
fn text_of(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Sum(s) if s.value.is_zero() => String::new(),
        Cell::Text(t) => t.clone(),
        Cell::Amount(d) | Cell::Number(d) => crate::base::amount::plain(*d),
        Cell::Sum(s) => crate::base::amount::plain(s.value),
    }
}
