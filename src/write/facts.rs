//! `facts.csv`: the long form of a budget, one line per non-empty amount cell of all tables.

use super::csv::{BOM, guard, record};
use crate::amount::plain;
use crate::edition::ColumnKind;
use crate::render::Rendered;

/// The header line of `facts.csv`.
pub const COLUMNS: [&str; 8] = [
    "table",
    "table_title",
    "row",
    "code",
    "name",
    "unit_code",
    "column",
    "amount",
];

/// The facts of all rendered tables.
pub fn facts(rendered: &[Rendered<'_>]) -> String {
    let mut out = String::from(BOM);
    record(&mut out, &COLUMNS);
    for table in rendered {
        for (r, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                let column = &table.spec.columns[c];
                if column.kind != ColumnKind::Amount {
                    continue;
                }
                // What was submitted: a total nobody typed has no fact.
                let Some(value) = cell.submitted().filter(|v| !v.is_zero()) else {
                    continue;
                };
                let side = column.side.unwrap_or(0);
                let subject = row
                    .subjects
                    .get(side)
                    .and_then(Option::as_ref)
                    .cloned()
                    .unwrap_or_default();
                record(
                    &mut out,
                    &[
                        table.spec.number.to_string(),
                        table.plain_title.clone(),
                        (r + 1).to_string(),
                        subject.code.unwrap_or_default(),
                        guard(&subject.name),
                        subject.unit_code.unwrap_or_default(),
                        column.key.clone(),
                        plain(value),
                    ],
                );
            }
        }
    }
    out
}
