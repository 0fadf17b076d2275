//! Consolidation: unit budgets into a department budget (部门预算), the same thirteen tables
//! with 部门 titles. How each table consolidates follows from its description: two-sided
//! tables add up item by item; coded tables with a unit column keep every unit's rows (with
//! their unit codes) in code order; coded tables without one add up rows of the same code; the
//! projects table lists every unit's projects. Subtotal rows are rebuilt from the codes and
//! every total recomputed.
//!
//! Units are added one at a time ([`Consolidation::add`]) and dropped once added, so a
//! department of thousands of units never holds them all in memory.

use crate::edition::{ColumnKind, Edition, Layout};
use crate::model::{Budget, Row, RowKind, Table, says_empty};
use std::collections::{BTreeMap, BTreeSet};

/// Why budgets cannot be consolidated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Nothing to consolidate.
    #[error("没有可汇总的单位预算")]
    Empty,
    /// Budgets of different years.
    #[error(
        "不能汇总不同年度的预算：{first_unit} 为 {first_year} 年，{other_unit} 为 {other_year} 年"
    )]
    Years {
        /// The first unit.
        first_unit: String,
        /// Its year.
        first_year: u16,
        /// A unit of another year.
        other_unit: String,
        /// Its year.
        other_year: u16,
    },
    /// The same unit twice.
    #[error("单位 {0} 出现了两次")]
    Duplicate(String),
}

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
struct Part {
    number: u8,
    mode: Mode,
    /// Rows so far; for `KeepRows` each with the position of its unit among the inputs.
    rows: Vec<(usize, Row)>,
    /// For `AddByCode`: detail rows by code.
    by_code: BTreeMap<Option<String>, Row>,
    /// Subtotal rows seen in any unit, by code (their names).
    subtotals: BTreeMap<String, Row>,
    /// The first note saying the table is empty.
    empty_note: Option<String>,
}

/// A department budget being consolidated from its units.
#[derive(Debug)]
pub struct Consolidation<'e> {
    edition: &'e Edition,
    code: String,
    name: String,
    /// The first unit (code-name) and the year.
    first: Option<(String, u16)>,
    seen: BTreeSet<String>,
    parts: Vec<Part>,
}

impl<'e> Consolidation<'e> {
    /// An empty consolidation for department `code`-`name`.
    pub fn new(edition: &'e Edition, code: &str, name: &str) -> Consolidation<'e> {
        let parts = edition
            .tables
            .iter()
            .map(|spec| Part {
                number: spec.number,
                mode: match &spec.layout {
                    Layout::TwoSided(_) => Mode::AddItems,
                    Layout::Coded(_) if spec.column_of(ColumnKind::Unit).is_some() => {
                        Mode::KeepRows
                    }
                    Layout::Coded(_) => Mode::AddByCode,
                    Layout::Projects => Mode::Append,
                },
                rows: Vec::new(),
                by_code: BTreeMap::new(),
                subtotals: BTreeMap::new(),
                empty_note: None,
            })
            .collect();
        Consolidation {
            edition,
            code: code.to_owned(),
            name: name.to_owned(),
            first: None,
            seen: BTreeSet::new(),
            parts,
        }
    }

    /// Adds a unit; `position` is its place among the inputs (rows of one code are ordered by
    /// it, so the result does not depend on the order units are added in).
    ///
    /// # Errors
    ///
    /// [`MergeError::Years`] for a unit of another year than the first, and
    /// [`MergeError::Duplicate`] for a unit added twice.
    pub fn add(&mut self, position: usize, unit: Budget) -> Result<(), MergeError> {
        let who = format!("{}-{}", unit.code, unit.name);
        match &self.first {
            None => self.first = Some((who.clone(), unit.year)),
            Some((first_unit, first_year)) if *first_year != unit.year => {
                return Err(MergeError::Years {
                    first_unit: first_unit.clone(),
                    first_year: *first_year,
                    other_unit: who,
                    other_year: unit.year,
                });
            }
            Some(_) => {}
        }
        if !self.seen.insert(unit.code.clone()) {
            return Err(MergeError::Duplicate(who));
        }
        for table in unit.tables {
            if let Some(part) = self.parts.iter_mut().find(|p| p.number == table.number) {
                part.add(position, table);
            }
        }
        Ok(())
    }

    /// The department budget, every total recomputed.
    ///
    /// # Errors
    ///
    /// [`MergeError::Empty`] when no unit was added.
    pub fn finish(self) -> Result<Budget, MergeError> {
        let (_, year) = self.first.ok_or(MergeError::Empty)?;
        let edition = self.edition;
        let tables = self
            .parts
            .into_iter()
            .zip(&edition.tables)
            .map(|(part, spec)| part.finish(edition, spec.entity_title(&edition.department_word)))
            .collect();
        let mut budget = Budget {
            edition: edition.name.clone(),
            year,
            entity_word: edition.department_word.clone(),
            code: self.code,
            name: self.name,
            amount_unit: edition.amount_unit.clone(),
            tables,
        };
        crate::totals::recompute(edition, &mut budget);
        Ok(budget)
    }
}

impl Part {
    fn add(&mut self, position: usize, table: Table) {
        if self.empty_note.is_none() {
            self.empty_note = table.notes.into_iter().find(|n| says_empty(n));
        }
        for row in table.rows {
            if row.kind == RowKind::Subtotal
                && let Some(code) = &row.code
                && !self.subtotals.contains_key(code)
            {
                let mut sub = Row::new(RowKind::Subtotal, row.name.clone());
                sub.code = Some(code.clone());
                self.subtotals.insert(code.clone(), sub);
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
                Mode::KeepRows if row.kind == RowKind::Detail => self.rows.push((position, row)),
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
                Mode::Append => self.rows.push((position, row)),
                Mode::KeepRows | Mode::AddByCode => {}
            }
        }
    }

    fn finish(mut self, edition: &Edition, title: String) -> Table {
        let rows = match self.mode {
            Mode::AddItems => self.rows.into_iter().map(|(_, r)| r).collect(),
            Mode::Append => {
                self.rows.sort_by_key(|(position, _)| *position);
                self.rows.into_iter().map(|(_, r)| r).collect()
            }
            Mode::KeepRows => {
                self.rows
                    .sort_by(|(pa, a), (pb, b)| a.code.cmp(&b.code).then(pa.cmp(pb)));
                rebuild(
                    edition,
                    self.rows.into_iter().map(|(_, r)| r),
                    &self.subtotals,
                )
            }
            Mode::AddByCode => rebuild(edition, self.by_code.into_values(), &self.subtotals),
        };
        let has_data = rows
            .iter()
            .any(|r| r.kind != RowKind::Total && !r.amounts.is_empty());
        let notes = if has_data {
            Vec::new()
        } else {
            self.empty_note.into_iter().collect()
        };
        Table {
            number: self.number,
            title,
            rows,
            notes,
        }
    }
}

fn add_amounts(into: &mut Row, row: &Row) {
    for (k, v) in &row.amounts {
        *into.amounts.entry(k.clone()).or_default() += v;
    }
}

/// Consolidates unit budgets (in input order) into the budget of department `code`-`name`.
///
/// # Errors
///
/// [`MergeError`] for no units, units of different years, or a unit given twice.
///
/// ```
/// use yusuan::edition::Edition;
///
/// let edition = Edition::builtin();
/// let sample = "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx";
/// let unit = yusuan::read::read_input(&edition, sample.as_ref())?.budget;
/// let mut other = unit.clone();
/// other.code = "313604".into();
/// for row in other.tables.iter_mut().flat_map(|t| &mut t.rows) {
///     if row.unit_code.is_some() {
///         row.unit_code = Some("313604".into());
///     }
/// }
/// let department = yusuan::merge::merge(&edition, &[unit, other], "313", "某某厅")?;
/// assert_eq!(department.entity_word, "部门");
/// let total = &department.tables[2].rows[0]; // 表3 合计
/// assert_eq!(total.amount("合计").to_string(), "2694.88");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn merge(
    edition: &Edition,
    units: &[Budget],
    code: &str,
    name: &str,
) -> Result<Budget, MergeError> {
    let mut c = Consolidation::new(edition, code, name);
    for (i, u) in units.iter().enumerate() {
        c.add(i, u.clone())?;
    }
    c.finish()
}

/// The grand total, then the detail rows with the subtotal rows the units had (a 类 row before
/// its first 款, a project group before its projects), rebuilt from the codes.
fn rebuild(
    edition: &Edition,
    details: impl IntoIterator<Item = Row>,
    subtotals: &BTreeMap<String, Row>,
) -> Vec<Row> {
    let mut rows = vec![Row::new(
        RowKind::Total,
        crate::text::compact(&edition.total_label),
    )];
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
