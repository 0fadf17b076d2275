//! Sums within one table: row totals (a total column = Σ its parts), column totals (合计 and
//! subtotal rows = Σ the rows they add up; two-sided total items = Σ their items) and the
//! two-sided balance.

use super::cap::Findings;
use super::finding::{Finding, Options, Place, show};
use crate::edition::{Layout, Segment, Severity, TableSpec, TwoSided};
use crate::model::hierarchy;
use crate::model::{Row, RowKind, Table};
use rust_decimal::Decimal;

/// Checks every sum of one table that its description names a rule for.
pub(super) fn check_table(spec: &TableSpec, table: &Table, options: &Options, out: &mut Findings) {
    let mut sums = Sums {
        spec,
        table,
        options,
        out,
    };
    if let Some(rule) = &spec.checks.rows {
        sums.row_totals(rule);
    }
    if let Some(rule) = &spec.checks.totals {
        match &spec.layout {
            Layout::TwoSided(ts) => sums.item_totals(ts, rule),
            Layout::Coded(_) | Layout::Projects => sums.column_totals(rule),
        }
    }
    if let (Some(rule), Layout::TwoSided(ts)) = (&spec.checks.balance, &spec.layout) {
        sums.balance(ts, rule);
    }
}

fn side_name(spec: &TableSpec, col: usize) -> Option<&str> {
    match (&spec.layout, spec.columns[col].side) {
        (Layout::TwoSided(ts), Some(s)) => Some(ts.sides[s].name.as_str()),
        _ => None,
    }
}

fn leaf(key: &str) -> &str {
    key.rsplit('/').next().unwrap_or(key)
}

/// The sums of one table being checked, and where findings go.
struct Sums<'a> {
    spec: &'a TableSpec,
    table: &'a Table,
    options: &'a Options,
    out: &'a mut Findings,
}

/// A total that does not equal the sum of its parts.
fn mismatch(
    rule: &str,
    table: u8,
    row: usize,
    column: &str,
    expected: Decimal,
    actual: Decimal,
    text: String,
) -> Finding {
    Finding {
        rule: rule.to_owned(),
        severity: Severity::Error,
        place: Place {
            table,
            row: Some(row),
            column: column.to_owned(),
            through: None,
        },
        other: None,
        expected: Some(expected),
        actual: Some(actual),
        text,
    }
}

impl Sums<'_> {
    /// A total column = Σ its part columns, in every row that has any of them.
    fn row_totals(&mut self, rule: &str) {
        let (spec, table, options) = (self.spec, self.table, self.options);
        for (c, col) in spec
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.sum_of.is_empty())
        {
            let side = side_name(spec, c);
            for (r, row) in table.rows.iter().enumerate() {
                if side.is_some() && row.side.as_deref() != side {
                    continue;
                }
                let parts: Vec<(&str, Decimal)> = col
                    .sum_of
                    .iter()
                    .map(|&p| (leaf(&spec.columns[p].key), row.amount(&spec.columns[p].key)))
                    .collect();
                let expected: Decimal = parts.iter().map(|(_, v)| *v).sum();
                let actual = row.amount(&col.key);
                if options.differ(actual, expected) {
                    let terms: Vec<String> = parts
                        .iter()
                        .map(|(n, v)| format!("{n} {}", show(*v)))
                        .collect();
                    self.out.push(mismatch(
                        rule,
                        spec.number,
                        r,
                        &col.key,
                        expected,
                        actual,
                        format!(
                            "{}“{}”{} {} ≠ {}",
                            row_label(row),
                            row.name,
                            leaf(&col.key),
                            show(actual),
                            terms.join(" + ")
                        ),
                    ));
                }
            }
        }
    }
}

/// How a row is named in findings: its code where it has one.
fn row_label(row: &Row) -> String {
    match (&row.code, row.kind) {
        (_, RowKind::Total) => String::new(),
        (Some(code), _) => format!("{code} "),
        (None, _) => String::new(),
    }
}

/// What the rows a total adds up are called.
fn children_word(row: &Row) -> &'static str {
    match (row.kind, row.code.as_ref().map(String::len)) {
        (RowKind::Total, _) => "各行之和",
        (_, Some(n)) if n == Segment::Class.end() => "所属各款之和",
        (_, Some(n)) if n == Segment::Section.end() => "所属各项之和",
        _ => "所属各项目之和",
    }
}

impl Sums<'_> {
    /// 合计 and subtotal rows = Σ the rows they add up, in every amount column.
    ///
    /// A total that equals the sum of the detail rows under it is right even where a subtotal
    /// between them is not: the subtotal's own finding names the cause, and the total (often a
    /// formula of the template over the detail rows) is not blamed for it.
    fn column_totals(&mut self, rule: &str) {
        let (spec, table, options) = (self.spec, self.table, self.options);
        let children = hierarchy::children(&table.rows);
        for col in spec.amount_columns().map(|c| &spec.columns[c]) {
            let value = |k: usize| table.rows[k].amount(&col.key);
            let leaves = leaf_sums(&table.rows, &children, &value);
            // Every grand total adds up the same top level: its sums, once per column.
            let mut top: Option<(Decimal, Decimal)> = None;
            for (r, row) in table.rows.iter().enumerate() {
                if row.kind == RowKind::Detail
                    || (row.kind == RowKind::Subtotal && children[r].is_empty())
                {
                    continue;
                }
                let sums = || -> (Decimal, Decimal) {
                    children[r]
                        .iter()
                        .map(|&k| (value(k), leaves[k]))
                        .fold((Decimal::ZERO, Decimal::ZERO), |(a, b), (x, y)| {
                            (a + x, b + y)
                        })
                };
                let (expected, of_leaves) = if children.is_total(r) {
                    *top.get_or_insert_with(sums)
                } else {
                    sums()
                };
                let actual = row.amount(&col.key);
                if options.differ(actual, expected) && options.differ(actual, of_leaves) {
                    // 合计 row, 合计 column: said once.
                    let what = match (row.kind, leaf(&col.key) == row.name) {
                        (RowKind::Total, true) => String::new(),
                        (RowKind::Total, false) => row.name.clone(),
                        _ => format!("{}“{}”", row_label(row), row.name),
                    };
                    self.out.push(mismatch(
                        rule,
                        spec.number,
                        r,
                        &col.key,
                        expected,
                        actual,
                        format!(
                            "{what}{} {} ≠ {} {}",
                            leaf(&col.key),
                            show(actual),
                            children_word(row),
                            show(expected)
                        ),
                    ));
                }
            }
        }
    }
}

/// For every row, the sum of the detail rows under it (a row without children: its own
/// value). Parents come before their children, so one pass from the last row does it.
fn leaf_sums(
    rows: &[Row],
    children: &hierarchy::Hierarchy,
    value: &dyn Fn(usize) -> Decimal,
) -> Vec<Decimal> {
    let mut sums = vec![Decimal::ZERO; rows.len()];
    for r in (0..rows.len()).rev() {
        if children.is_total(r) {
            continue;
        }
        sums[r] = if children[r].is_empty() {
            value(r)
        } else {
            children[r].iter().map(|&k| sums[k]).sum()
        };
    }
    sums
}

fn item_row<'a>(table: &'a Table, ts: &TwoSided, item: usize) -> Option<(usize, &'a Row)> {
    let it = &ts.items[item];
    let side = &ts.sides[it.side].name;
    table
        .rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.side.as_deref() == Some(side) && r.item.as_deref() == Some(it.id.as_str()))
}

impl Sums<'_> {
    /// Two-sided total items = Σ their items, in every amount column of their side.
    fn item_totals(&mut self, ts: &TwoSided, rule: &str) {
        let (spec, table, options) = (self.spec, self.table, self.options);
        for (i, item) in ts
            .items
            .iter()
            .enumerate()
            .filter(|(_, it)| !it.sum_of.is_empty())
        {
            let Some((r, row)) = item_row(table, ts, i) else {
                continue;
            };
            // A part that is itself a missing total is unknown: nothing to compare.
            let unknown = item
                .sum_of
                .iter()
                .any(|&j| !ts.items[j].sum_of.is_empty() && item_row(table, ts, j).is_none());
            if unknown {
                continue;
            }
            for &c in &ts.sides[item.side].amount_cols {
                let key = &spec.columns[c].key;
                let parts: Vec<Decimal> = item
                    .sum_of
                    .iter()
                    .map(|&j| item_row(table, ts, j).map_or(Decimal::ZERO, |(_, r)| r.amount(key)))
                    .collect();
                let expected: Decimal = parts.iter().sum();
                let actual = row.amount(key);
                if options.differ(actual, expected) {
                    let names: Vec<String> = item
                        .sum_of
                        .iter()
                        .map(|&j| crate::base::text::compact(&ts.items[j].label))
                        .collect();
                    let named = if names.len() <= 4 {
                        names.join(" + ")
                    } else {
                        format!("{} 等 {} 项", names[0], names.len())
                    };
                    self.out.push(mismatch(
                        rule,
                        spec.number,
                        r,
                        key,
                        expected,
                        actual,
                        format!(
                            "“{}”{} {} ≠ {} 之和 {}",
                            row.name,
                            leaf(key),
                            show(actual),
                            named,
                            show(expected)
                        ),
                    ));
                }
            }
        }
    }
}

impl Sums<'_> {
    /// The two balance items (收入总计, 支出总计) are equal (first amount column of each side).
    fn balance(&mut self, ts: &TwoSided, rule: &str) {
        let (spec, table, options) = (self.spec, self.table, self.options);
        let Some((a, b)) = ts.balance else { return };
        let (Some((ra, left)), Some((rb, right))) =
            (item_row(table, ts, a), item_row(table, ts, b))
        else {
            return;
        };
        let (Some(&ca), Some(&cb)) = (
            ts.sides[ts.items[a].side].amount_cols.first(),
            ts.sides[ts.items[b].side].amount_cols.first(),
        ) else {
            return;
        };
        let (ka, kb) = (&spec.columns[ca].key, &spec.columns[cb].key);
        if options.differ(left.amount(ka), right.amount(kb)) {
            self.out.push(Finding {
                rule: rule.to_owned(),
                severity: Severity::Error,
                place: Place {
                    table: spec.number,
                    row: Some(ra),
                    column: ka.clone(),
                    through: None,
                },
                other: Some(Place {
                    table: spec.number,
                    row: Some(rb),
                    column: kb.clone(),
                    through: None,
                }),
                expected: Some(right.amount(kb)),
                actual: Some(left.amount(ka)),
                text: format!(
                    "“{}”{} ≠ “{}”{}",
                    left.name,
                    show(left.amount(ka)),
                    right.name,
                    show(right.amount(kb))
                ),
            });
        }
    }
}
