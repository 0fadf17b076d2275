//! The reconciliation checks (勾稽关系): every total and every rule across tables, exactly in
//! decimal, each finding pointing at the cell that is wrong.
//!
//! The sums within a table follow from the edition's description of the table (its total
//! columns, its row structure, its two-sided totals and balance) and carry the rule ids given
//! there; the rules across tables are the edition's `[[check]]` comparisons. Nothing here knows
//! a table by number.

mod across;
mod cap;
mod catalog;
mod cause;
mod finding;
mod locate;
mod long_texts;
mod missing;
pub mod report;
mod same_names;
mod within;

pub use cap::MAX_PER_RULE;
pub use catalog::{RuleInfo, catalog, catalog_lines};
pub(crate) use finding::show;
pub use finding::{Finding, Options, Place, has_errors};
pub use locate::{Located, locate_all};

use crate::edition::Edition;
use crate::model::Budget;
use rust_decimal::Decimal;

/// Runs every check of the edition on a budget; findings in table order, then rule order —
/// but first, where one typed figure explains several errors, the finding that names it as
/// the likely cause (the edition's `[likely_cause]`).
///
/// ```
/// use yusuan::check::{Options, check, locate_all};
/// use yusuan::edition::Edition;
///
/// let edition = Edition::builtin();
/// let sample = "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx";
/// let mut reading = yusuan::read::read_input(&edition, sample.as_ref())?;
/// // A row total typed wrong: 培训支出's 合计 no longer equals 基本支出 + 项目支出.
/// let training = &mut reading.budget.tables[2].rows[1];
/// training.amounts.insert("合计".into(), "16.57".parse().unwrap());
/// let findings = check(&edition, &reading.budget, &Options::default());
/// let located = locate_all(&edition, &reading.budget, &findings, &reading.positions);
/// let r41 = located.iter().find(|l| l.finding.rule == "R4.1").unwrap();
/// assert_eq!(r41.cell.as_deref(), Some("F7")); // the cell of the input
/// # Ok::<(), yusuan::error::ReadError>(())
/// ```
pub fn check(edition: &Edition, budget: &Budget, options: &Options) -> Vec<Finding> {
    let mut findings = check_rules(edition, budget, options);
    let recheck = |changed: &Budget, touched: &[(u8, &str)]| {
        check_touched(edition, changed, options, touched)
    };
    if let Some(cause) = cause::likely_cause(edition, budget, &findings, options, &recheck) {
        findings.insert(0, cause);
    }
    findings
}

/// The rules a change of amounts in these columns (table number, column key) can make or
/// clear findings of: the sums within their tables and the rules across tables that read them.
fn check_touched(
    edition: &Edition,
    budget: &Budget,
    options: &Options,
    touched: &[(u8, &str)],
) -> Vec<Finding> {
    let mut findings = cap::Findings::default();
    for spec in &edition.tables {
        if !touched.iter().any(|(t, _)| *t == spec.number) {
            continue;
        }
        if let Some(table) = budget.table(spec.number) {
            within::check_table(spec, table, options, &mut findings);
        }
    }
    for rule in edition.rules.iter().filter(|r| reads(r, touched)) {
        across::check_rule(edition, rule, budget, options, &mut findings);
    }
    findings.finish(edition)
}

/// Whether a rule across tables reads any of these columns.
fn reads(rule: &crate::edition::RuleSpec, touched: &[(u8, &str)]) -> bool {
    let right = match &rule.right {
        crate::edition::Terms::Sum(q) => &q[..],
        crate::edition::Terms::Constant(_) => &[],
    };
    rule.left
        .iter()
        .chain(right)
        .chain(&rule.when_zero)
        .chain(rule.when_equal.iter().flatten())
        .any(|q| touched.contains(&(q.table, q.column.as_str())))
}

/// Every rule of the edition, in table order, then rule order.
fn check_rules(edition: &Edition, budget: &Budget, options: &Options) -> Vec<Finding> {
    let mut findings = cap::Findings::default();
    for spec in &edition.tables {
        if let Some(table) = budget.table(spec.number) {
            within::check_table(spec, table, options, &mut findings);
        }
    }
    for rule in &edition.rules {
        across::check_rule(edition, rule, budget, options, &mut findings);
    }
    for rule in &edition.empty_notes {
        across::check_empty_notes(edition, rule, budget, &mut findings);
    }
    for rule in &edition.missing_rows {
        missing::check_missing_rows(edition, rule, budget, &mut findings);
    }
    for rule in &edition.long_texts {
        long_texts::check_long_texts(edition, rule, budget, &mut findings);
    }
    for rule in &edition.same_names {
        same_names::check_same_names(edition, rule, budget, &mut findings);
    }
    findings.finish(edition)
}

/// The findings of tables found more than once in a unit's files (resubmissions), by the
/// edition's `duplicate_tables` rules: one per file not used and the file used instead, at
/// the title of the first such table.
pub(crate) fn duplicate_findings(
    edition: &Edition,
    reading: &crate::read::Reading,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in &edition.duplicate_tables {
        let mut groups: Vec<(&str, &str, bool, Vec<u8>)> = Vec::new();
        for d in reading
            .duplicates
            .iter()
            .filter(|d| rule.tables.contains(&d.number))
        {
            let key = (d.dropped.as_str(), d.kept.as_str(), d.identical);
            match groups.iter_mut().find(|g| (g.0, g.1, g.2) == key) {
                Some(g) => g.3.push(d.number),
                None => groups.push((key.0, key.1, key.2, vec![d.number])),
            }
        }
        for (dropped, kept, identical, numbers) in groups {
            let tables: Vec<String> = numbers.iter().map(|n| format!("表{n}")).collect();
            let text = if identical {
                format!(
                    "{dropped} 中的{}与 {kept} 相同，只用一次",
                    tables.join("、")
                )
            } else {
                format!(
                    "{dropped} 中的{}与较新的 {kept} 不同，已被替代",
                    tables.join("、")
                )
            };
            out.push(Finding::of_table(rule, numbers[0], text));
        }
    }
    out
}

/// The value of a quantity of the edition (a summary figure), all its keys added up; `None`
/// when it reads a fixed row (a total) that the input does not have.
pub(crate) fn quantity_total(
    edition: &Edition,
    budget: &Budget,
    quantity: &crate::edition::Quantity,
) -> Option<Decimal> {
    across::total(quantity, budget, edition)
}

/// The values of a quantity of the edition by key — a class or 科目 code for a quantity by
/// class or level, `""` for a single value — in key order; `None` when it reads a
/// fixed row (a total) that the input does not have.
pub(crate) fn quantity_values(
    edition: &Edition,
    budget: &Budget,
    quantity: &crate::edition::Quantity,
) -> Option<Vec<(String, Decimal)>> {
    across::values(quantity, budget, edition)
}
