//! Consolidation: unit budgets into a department budget (部门预算), the same thirteen tables
//! with 部门 titles. How each table consolidates follows from its description: two-sided
//! tables add up item by item; coded tables with a unit column keep every unit's rows (with
//! their unit codes) in code order; coded tables without one add up rows of the same code; the
//! projects table lists every unit's projects under that unit, never merging projects of two
//! units that share a name.
//!
//! Every figure of the department is the sum of what the units submitted — totals included,
//! never recomputed — so a unit's wrong total stays visible in the department. Only a total
//! that some unit left out (a unit with rows under a 类 but no 类 row, a table with rows but no
//! 合计) is computed from the department's rows: there is no submitted figure to add.
//!
//! Units are added one at a time ([`Consolidation::add`]) and dropped once added, so a
//! department of thousands of units never holds them all in memory.

use super::part::Part;
use crate::edition::Edition;
use crate::model::Budget;
use std::collections::BTreeSet;

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
        let parts = edition.tables.iter().map(Part::new).collect();
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
        let who = unit.who();
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
        // Units are told apart by code, or by name in an edition that names them so.
        let key = match unit.code.is_empty() {
            true => unit.name.clone(),
            false => unit.code.clone(),
        };
        if !self.seen.insert(key) {
            return Err(MergeError::Duplicate(who));
        }
        for table in unit.tables {
            if let Some(part) = self.parts.iter_mut().find(|p| p.number == table.number) {
                part.add(self.edition, position, &unit.code, table);
            }
        }
        Ok(())
    }

    /// The department budget: every figure the sum of the units' submitted figures, but for
    /// the totals some unit left out, which are computed from the department's rows.
    ///
    /// # Errors
    ///
    /// [`MergeError::Empty`] when no unit was added.
    pub fn finish(self) -> Result<Budget, MergeError> {
        let (_, year) = self.first.ok_or(MergeError::Empty)?;
        let edition = self.edition;
        let mut unsubmitted = Vec::new();
        let tables = self
            .parts
            .into_iter()
            .zip(&edition.tables)
            .map(|(part, spec)| {
                let (table, left_out) =
                    part.finish(edition, spec.entity_title(&edition.department_word));
                unsubmitted.extend(left_out.into_iter().map(|r| (table.number, r)));
                table
            })
            .collect();
        let mut budget = Budget {
            edition: edition.name.clone(),
            year,
            entity_word: edition.department_word.clone(),
            code: self.code,
            name: self.name,
            amount_unit: edition.amount_unit.clone(),
            tables,
            // The department's own texts are its own to write: the units' are not merged.
            texts: Vec::new(),
        };
        if !unsubmitted.is_empty() {
            let mut computed = budget.clone();
            crate::render::totals::recompute(edition, &mut computed);
            for (number, r) in unsubmitted {
                let to = budget.tables.iter_mut().find(|t| t.number == number);
                let (Some(to), Some(from)) = (to, computed.table(number)) else {
                    continue;
                };
                to.rows[r].amounts = from.rows[r].amounts.clone();
            }
        }
        Ok(budget)
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
