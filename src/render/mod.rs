//! Rendering: one table of a budget laid out as the official sheet — title lines, header grid
//! and data rows whose totals are sums of other cells, evaluated exactly.
//!
//! The rendered table is the single source for every writer: the XLSX writer turns its sums
//! into live formulas with cached results, the CSV writers print their values, and the blank
//! template is the rendering of an empty budget.

mod cells;
mod coded;
mod projects;
pub(crate) mod shares;
pub(crate) mod totals;
mod two_sided;

pub use cells::{Cell, DataRow, Rendered};

use crate::edition::{Edition, Layout, TableSpec};
use crate::model::{Budget, RowKind, Table};
use rust_decimal::Decimal;

/// How to render: a published table, or the blank template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A budget's tables (empty tables get the edition's empty note).
    Publish,
    /// The fillable template: no notes, the entity line a label only.
    Template,
}

/// Renders every table of a budget, in the edition's order.
pub fn render_all<'a>(
    edition: &'a Edition,
    budget: &Budget,
    purpose: Purpose,
) -> Vec<Rendered<'a>> {
    edition
        .tables
        .iter()
        .map(|spec| {
            // A table the budget lacks renders as the edition's empty table.
            let empty = Table {
                number: spec.number,
                title: spec.title.clone(),
                ..Table::default()
            };
            let table = budget.table(spec.number).unwrap_or(&empty);
            render(edition, spec, budget, table, purpose)
        })
        .collect()
}

/// Renders one table.
pub(crate) fn render<'a>(
    edition: &Edition,
    spec: &'a TableSpec,
    budget: &Budget,
    table: &Table,
    purpose: Purpose,
) -> Rendered<'a> {
    let (mut rows, merges) = match &spec.layout {
        // The fillable template lists every class, for a unit to fill the ones it has.
        Layout::TwoSided(ts) => {
            let every = purpose == Purpose::Template;
            (two_sided::two_sided(spec, ts, table, every), Vec::new())
        }
        Layout::Coded(_) => coded::coded(edition, spec, table, purpose == Purpose::Publish),
        Layout::Projects => projects::projects(spec, table),
    };
    evaluate(&mut rows);
    attach_submitted(spec, table, &mut rows);

    let has_data = table
        .rows
        .iter()
        .any(|r| r.kind != RowKind::Total || (spec.single_row() && !r.amounts.is_empty()));
    let notes = match purpose {
        Purpose::Template => Vec::new(),
        Purpose::Publish if table.notes.is_empty() && !has_data => {
            let note = spec.empty_note.as_ref().unwrap_or(&edition.empty_note);
            vec![note.replace("{year}", &budget.year.to_string())]
        }
        Purpose::Publish => table.notes.clone(),
    };
    Rendered {
        spec,
        title: spec.display_title(&budget.entity_word, budget.year),
        plain_title: spec.entity_title(&budget.entity_word),
        sheet: spec.sheet_name(&budget.entity_word),
        // The template's entity line is its label; who the unit is goes in the input beside it.
        entity_line: spec.entity_line.then(|| match purpose {
            Purpose::Publish => {
                edition.entity_line_of(&budget.entity_word, &budget.code, &budget.name)
            }
            Purpose::Template => edition.entity_line_of(&budget.entity_word, "", ""),
        }),
        // A table in a unit of its own (the model holds its figures in that unit) says so.
        unit_line: edition.amount_unit_line.replace(
            "{unit}",
            (spec.amount_unit.as_deref())
                .or(table.amount_unit.as_deref())
                .unwrap_or(&budget.amount_unit),
        ),
        rows,
        merges,
        notes,
        warning: None,
    }
}

/// Puts the edition's warning line under the title of every table where a check found an
/// error, or a total differs from its parts.
pub fn mark_failed(rendered: &mut [Rendered<'_>], findings: &[crate::check::Finding], line: &str) {
    for table in rendered {
        let failed = findings.iter().any(|f| {
            f.severity == crate::edition::Severity::Error && f.place.table == table.spec.number
        }) || table
            .rows
            .iter()
            .any(|r| r.cells.iter().any(|c| c.mismatch().is_some()));
        table.warning = failed.then(|| line.to_owned());
    }
}

/// Gives every total the figure the input has in its cell: the row's amount in the column,
/// where the model has the row.
fn attach_submitted(spec: &TableSpec, table: &Table, rows: &mut [DataRow]) {
    for row in rows {
        for (c, cell) in row.cells.iter_mut().enumerate() {
            let Cell::Sum(sum) = cell else {
                continue;
            };
            let column = &spec.columns[c];
            let model = row
                .subjects
                .get(column.side.unwrap_or(0))
                .and_then(Option::as_ref)
                .and_then(|s| s.row)
                .and_then(|i| table.rows.get(i));
            sum.submitted = model.map(|m| m.amount(&column.key));
        }
    }
}

/// Computes the value of every sum, exactly. Sums may refer to other sums (a 类 row adds up
/// 款 rows that are themselves sums); a cycle, which a valid description cannot produce,
/// evaluates to zero rather than looping.
fn evaluate(rows: &mut [DataRow]) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Todo,
        Busy,
        Done,
    }
    fn eval(rows: &mut [DataRow], state: &mut [Vec<State>], r: usize, c: usize) -> Decimal {
        match state[r][c] {
            State::Done => return rows[r].cells[c].value().unwrap_or_default(),
            State::Busy => return Decimal::ZERO,
            State::Todo => {}
        }
        state[r][c] = State::Busy;
        let value = match &rows[r].cells[c] {
            Cell::Sum(sum) => {
                let terms = sum.terms.clone();
                terms
                    .into_iter()
                    .map(|(tr, tc)| eval(rows, state, tr, tc))
                    .sum()
            }
            other => other.value().unwrap_or_default(),
        };
        if let Cell::Sum(sum) = &mut rows[r].cells[c] {
            sum.value = crate::base::amount::canonical(value);
        }
        state[r][c] = State::Done;
        value
    }
    let mut state: Vec<Vec<State>> = rows
        .iter()
        .map(|r| vec![State::Todo; r.cells.len()])
        .collect();
    for r in 0..rows.len() {
        for c in 0..rows[r].cells.len() {
            eval(rows, &mut state, r, c);
        }
    }
}
