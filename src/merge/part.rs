//! One table being consolidated: its rows added up as the units submitted them, in the way its
//! layout asks (item by item, row by row under each unit, by code, or appended), and the totals
//! some unit left out.

use crate::edition::{ColumnKind, Edition, Layout, TableSpec};
use crate::model::{Row, RowKind, Table};
use std::collections::{BTreeMap, BTreeSet};

/// How one table consolidates, from its description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Item by item (two-sided tables).
    AddItems,
    /// Every unit's detail rows, in code order (coded tables with a unit column).
    KeepRows,
    /// Detail rows of one code added up (coded tables without a unit column).
    AddByCode,
    /// Every unit's rows as they are (the projects table).
    Append,
}

/// One table being consolidated.
#[derive(Debug)]
pub(super) struct Part {
    pub(super) number: u8,
    mode: Mode,
    /// Rows so far; for `KeepRows` each with the position of its unit among the inputs.
    rows: Vec<(usize, Row)>,
    /// For `AddByCode`: detail rows by code.
    by_code: BTreeMap<Option<String>, Row>,
    /// Subtotal rows seen in any unit, by code: their names and the sums of their figures.
    subtotals: BTreeMap<String, Row>,
    /// The sums of the units' 合计 rows (`KeepRows`, `AddByCode`).
    total: crate::model::Amounts,
    /// Totals some unit did not submit though it has rows under them: by subtotal code, `None`
    /// for the 合计 row, or a two-sided table's total item (side, item).
    unsubmitted: BTreeSet<Unsubmitted>,
    /// The total items of a two-sided table (side, item).
    total_items: Vec<(Option<String>, String)>,
    /// The first note saying the table is empty.
    empty_note: Option<String>,
    /// The table's own amount unit, if the edition gives it one.
    amount_unit: Option<String>,
}

/// A total that a unit did not submit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Unsubmitted {
    /// The 合计 row.
    Total,
    /// A subtotal row, by code.
    Subtotal(String),
    /// A total item of a two-sided table: (side, item).
    Item(Option<String>, String),
}

impl Part {
    /// An empty part for the table `spec` describes.
    pub(super) fn new(spec: &TableSpec) -> Part {
        Part {
            amount_unit: spec.amount_unit.clone(),
            total_items: match &spec.layout {
                Layout::TwoSided(ts) => ts
                    .items
                    .iter()
                    .filter(|it| !it.sum_of.is_empty())
                    .map(|it| (ts.sides.get(it.side).map(|s| s.name.clone()), it.id.clone()))
                    .collect(),
                _ => Vec::new(),
            },
            total: crate::model::Amounts::new(),
            unsubmitted: BTreeSet::new(),
            number: spec.number,
            mode: match &spec.layout {
                Layout::TwoSided(_) => Mode::AddItems,
                Layout::Coded(_) if spec.column_of(ColumnKind::Unit).is_some() => Mode::KeepRows,
                Layout::Coded(_) => Mode::AddByCode,
                Layout::Projects => Mode::Append,
            },
            rows: Vec::new(),
            by_code: BTreeMap::new(),
            subtotals: BTreeMap::new(),
            empty_note: None,
        }
    }
}

impl Part {
    pub(super) fn add(
        &mut self,
        edition: &Edition,
        position: usize,
        unit_code: &str,
        table: Table,
    ) {
        if self.empty_note.is_none() {
            self.empty_note = table.notes.iter().find(|n| edition.says_empty(n)).cloned();
        }
        self.note_unsubmitted(&table);
        for mut row in table.rows {
            if row.kind == RowKind::Subtotal
                && self.mode != Mode::Append
                && let Some(code) = &row.code
            {
                match self.subtotals.get_mut(code) {
                    Some(sub) => add_amounts(sub, &row),
                    None => {
                        let mut sub = Row::new(RowKind::Subtotal, row.name.clone());
                        sub.code = Some(code.clone());
                        sub.amounts = row.amounts.clone();
                        self.subtotals.insert(code.clone(), sub);
                    }
                }
            }
            match self.mode {
                Mode::AddItems => match self
                    .rows
                    .iter_mut()
                    .find(|(_, r)| r.side == row.side && r.item == row.item)
                {
                    Some((_, merged)) => add_amounts(merged, &row),
                    None => self.rows.push((position, row)),
                },
                Mode::KeepRows | Mode::AddByCode if row.kind == RowKind::Total => {
                    for (k, v) in &row.amounts {
                        *self.total.get_or_zero(k) += v;
                    }
                }
                // A unit's rows are its own, whatever unit code its sheet gave them (a
                // workbook copied from another unit's keeps that unit's code).
                Mode::KeepRows if row.kind == RowKind::Detail => {
                    if row.unit_code.is_some() {
                        row.unit_code = Some(unit_code.to_owned());
                    }
                    self.rows.push((position, row));
                }
                Mode::AddByCode if row.kind == RowKind::Detail => {
                    match self.by_code.get_mut(&row.code) {
                        Some(merged) => add_amounts(merged, &row),
                        None => {
                            let mut first = row;
                            first.unit_code = None;
                            self.by_code.insert(first.code.clone(), first);
                        }
                    }
                }
                // A unit's projects are its own too: they stand under its row and never merge
                // with another unit's project of the same name.
                Mode::Append => {
                    if row.kind != RowKind::Total {
                        row.unit_code = Some(unit_code.to_owned());
                    }
                    self.rows.push((position, row));
                }
                Mode::KeepRows | Mode::AddByCode => {}
            }
        }
    }

    /// Notes the totals a unit's table leaves out although it has rows under them.
    fn note_unsubmitted(&mut self, table: &Table) {
        let has_data = |r: &Row| r.kind != RowKind::Total && !r.amounts.is_empty();
        if !table.rows.iter().any(has_data) {
            return;
        }
        match self.mode {
            Mode::AddItems => {
                for (side, item) in &self.total_items {
                    let present = table
                        .rows
                        .iter()
                        .any(|r| r.side == *side && r.item.as_ref() == Some(item));
                    if !present {
                        self.unsubmitted
                            .insert(Unsubmitted::Item(side.clone(), item.clone()));
                    }
                }
            }
            Mode::KeepRows | Mode::AddByCode => {
                if !table.rows.iter().any(|r| r.kind == RowKind::Total) {
                    self.unsubmitted.insert(Unsubmitted::Total);
                }
                let typed: BTreeSet<&str> = table
                    .rows
                    .iter()
                    .filter(|r| r.kind == RowKind::Subtotal)
                    .filter_map(|r| r.code.as_deref())
                    .collect();
                for code in table
                    .rows
                    .iter()
                    .filter(|r| r.kind != RowKind::Total)
                    .filter_map(|r| r.code.as_deref())
                {
                    for end in 1..code.len() {
                        let Some(prefix) = code.get(..end) else {
                            continue;
                        };
                        if !typed.contains(prefix) {
                            self.unsubmitted
                                .insert(Unsubmitted::Subtotal(prefix.to_owned()));
                        }
                    }
                }
            }
            Mode::Append => {}
        }
    }

    /// The consolidated table, and the indexes of its rows whose totals some unit left out.
    pub(super) fn finish(mut self, edition: &Edition, title: String) -> (Table, Vec<usize>) {
        let mut total = Row::new(
            RowKind::Total,
            crate::base::text::compact(&edition.total_label),
        );
        total.amounts = std::mem::take(&mut self.total);
        let rows: Vec<Row> = match self.mode {
            Mode::AddItems => self.rows.into_iter().map(|(_, r)| r).collect(),
            Mode::Append => {
                self.rows.sort_by_key(|(position, _)| *position);
                self.rows.into_iter().map(|(_, r)| r).collect()
            }
            Mode::KeepRows => {
                self.rows
                    .sort_by(|(pa, a), (pb, b)| a.code.cmp(&b.code).then(pa.cmp(pb)));
                rebuild(
                    total,
                    self.rows.into_iter().map(|(_, r)| r),
                    &self.subtotals,
                )
            }
            Mode::AddByCode => rebuild(total, self.by_code.into_values(), &self.subtotals),
        };
        let left_out = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                let key = match r.kind {
                    RowKind::Total => Unsubmitted::Total,
                    RowKind::Subtotal => Unsubmitted::Subtotal(r.code.clone().unwrap_or_default()),
                    RowKind::Detail => match &r.item {
                        Some(item) => Unsubmitted::Item(r.side.clone(), item.clone()),
                        None => return false,
                    },
                };
                self.unsubmitted.contains(&key)
            })
            .map(|(i, _)| i)
            .collect();
        let has_data = rows
            .iter()
            .any(|r| r.kind != RowKind::Total && !r.amounts.is_empty());
        let notes = if has_data {
            Vec::new()
        } else {
            self.empty_note.into_iter().collect()
        };
        let table = Table {
            amount_unit: self.amount_unit,
            number: self.number,
            title,
            rows,
            notes,
        };
        (table, left_out)
    }
}

fn add_amounts(into: &mut Row, row: &Row) {
    for (k, v) in &row.amounts {
        *into.amounts.get_or_zero(k) += v;
    }
}
/// The grand total, then the detail rows with the subtotal rows the units had (a 类 row before
/// its first 款, a project group before its projects), placed by their codes.
fn rebuild(
    total: Row,
    details: impl IntoIterator<Item = Row>,
    subtotals: &BTreeMap<String, Row>,
) -> Vec<Row> {
    let mut rows = vec![total];
    let mut open: Vec<&String> = Vec::new();
    for row in details {
        let code = row.code.clone().unwrap_or_default();
        open.retain(|s| code.starts_with(s.as_str()));
        for (s, sub) in subtotals {
            if code.starts_with(s.as_str()) && !open.contains(&s) {
                open.push(s);
                rows.push(sub.clone());
            }
        }
        rows.push(row);
    }
    rows
}
