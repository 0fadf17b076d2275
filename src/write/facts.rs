//! `facts.csv`: the long form of a budget, one line per non-empty amount cell of all tables,
//! as submitted. Every line says what kind of row it is (so totals and details are never added
//! together by mistake), whose it is and which year, so the facts of many units can be
//! concatenated.

use super::csv::{BOM, record};
use crate::base::amount::plain;
use crate::edition::ColumnKind;
use crate::model::{Budget, RowKind};
use crate::render::Rendered;
use std::collections::BTreeMap;
use std::io::Write;

/// The header line of `facts.csv`.
pub const COLUMNS: [&str; 11] = [
    "table",
    "table_title",
    "row",
    "code",
    "name",
    "unit_code",
    "column",
    "amount",
    "kind",
    "unit_name",
    "year",
];

/// The word of a row kind in `facts.csv`.
pub fn kind_word(kind: RowKind) -> &'static str {
    match kind {
        RowKind::Total => "total",
        RowKind::Subtotal => "subtotal",
        RowKind::Detail => "detail",
    }
}

/// Writes the facts of all rendered tables of a budget to `out`, a line at a time (a
/// department's run to tens of megabytes: they are never held whole).
///
/// # Errors
///
/// When `out` fails.
pub fn write_facts(
    out: &mut dyn Write,
    budget: &Budget,
    rendered: &[Rendered<'_>],
) -> std::io::Result<()> {
    let names = unit_names(budget);
    let year = budget.year.to_string();
    let mut text = String::from(BOM);
    record(&mut text, &COLUMNS);
    out.write_all(text.as_bytes())?;
    let no_subject = Default::default();
    for table in rendered {
        let number = table.spec.number.to_string();
        let title = table.plain_title.as_str();
        for (r, row) in table.rows.iter().enumerate() {
            let line = (r + 1).to_string();
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
                    .unwrap_or(&no_subject);
                // The budget's own unit where the table has no unit column.
                let unit_code = subject.unit_code.as_deref().unwrap_or(&budget.code);
                let unit_name = names.get(unit_code).map_or("", String::as_str);
                let name = crate::base::text::compact(&subject.name);
                let amount = plain(value);
                text.clear();
                record(
                    &mut text,
                    &[
                        number.as_str(),
                        title,
                        line.as_str(),
                        subject.code.as_deref().unwrap_or(""),
                        name.as_str(),
                        unit_code,
                        column.key.as_str(),
                        amount.as_str(),
                        kind_word(subject.kind.unwrap_or(row.kind)),
                        unit_name,
                        year.as_str(),
                    ],
                );
                out.write_all(text.as_bytes())?;
            }
        }
    }
    Ok(())
}

/// Unit code → unit name: the budget's own, and in a department the units of its projects
/// table (the rows that name a unit).
fn unit_names(budget: &Budget) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    names.insert(budget.code.clone(), budget.name.clone());
    for row in budget.tables.iter().flat_map(|t| &t.rows) {
        if let (RowKind::Subtotal, None, Some(code)) = (row.kind, &row.code, &row.unit_code) {
            let (_, name) = crate::base::text::split_entity(&row.name);
            let name = if name.is_empty() {
                row.name.clone()
            } else {
                name
            };
            names.entry(code.clone()).or_insert(name);
        }
    }
    names
}
