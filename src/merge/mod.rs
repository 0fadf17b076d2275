//! `merge`: unit budgets read, each checked, consolidated into their department's budget
//! ([`merge()`]: added up as submitted), checked and written as `convert` writes one unit.
//!
//! A unit whose own budget has errors stops the merge (each such unit named with its file and
//! its first error), unless the request allows errors: then the department adds up what the
//! units submitted, its workbook flags the totals that disagree, and its 校验结果 lists the units
//! that had errors.

mod consolidate;
mod department;
mod part;

pub use consolidate::{Consolidation, MergeError, merge};

use crate::base::error::ReadError;
use crate::base::parallel::both;
use crate::check::{self, Located};
use crate::convert::{Checked, Target, WriteError, write_rendered};
use crate::edition::{Edition, Severity};
use crate::model::Budget;
use crate::read::Reading;
use crate::render::{self, Purpose};
use crate::worker::{Reader, read_each};
use crate::write::positions::OutputPositions;
use crate::write::xlsx::FindingLine;
use std::path::PathBuf;

/// What to merge: the units' inputs, into which department, how.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Each unit's workbook, or directory of workbooks.
    pub inputs: &'a [PathBuf],
    /// The department's code.
    pub code: &'a str,
    /// The department's name.
    pub name: &'a str,
    /// Threads reading the inputs.
    pub jobs: usize,
    /// Check settings: each unit's, and the department's (whose tolerance is the units'
    /// tolerances added up: each unit may round by its tolerance).
    pub check: check::Options,
    /// Consolidate units whose budgets have errors, as submitted, instead of refusing them.
    pub allow_errors: bool,
}

impl Request<'_> {
    /// The base name of the department's files: `<code>-<name>`, safe for any file system.
    pub fn stem(&self) -> String {
        crate::base::file_names::entity(self.code, self.name)
    }
}

/// Why a merge wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum MergeFailure {
    /// Some units could not be read or consolidated (each named).
    #[error("有 {} 个单位的预算无法汇总，未输出", .0.len())]
    Units(Vec<UnitProblem>),
    /// Some units' budgets have errors of their own, and the request does not allow them.
    #[error(
        "有 {} 个单位的预算有错误，未汇总（改正后重新汇总；确需照报送数汇总时加 --allow-errors）",
        .0.len()
    )]
    UnitErrors(Vec<UnitErrors>),
    /// The units cannot make one department.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// The department's outputs could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// A unit that stopped the merge.
#[derive(Debug, thiserror::Error)]
pub enum UnitProblem {
    /// It could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// It could not be added (another year, a unit twice).
    #[error(transparent)]
    Merge(#[from] MergeError),
}

/// A unit whose own budget has errors.
#[derive(Debug, Clone)]
pub struct UnitErrors {
    /// `code-name`.
    pub unit: String,
    /// The input it was read from.
    pub file: PathBuf,
    /// How many errors its budget has.
    pub errors: usize,
    /// The first of them, located in the input.
    pub first: Located,
}

impl std::fmt::Display for UnitErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "单位 {}（{}）有 {} 项错误，第一项：{}",
            self.unit,
            self.file.display(),
            self.errors,
            self.first.message
        )
    }
}

/// What a merge made.
#[derive(Debug)]
pub struct Merged {
    /// The department's budget.
    pub budget: Budget,
    /// Its findings, located in the written workbook.
    pub located: Vec<Located>,
    /// The units consolidated with errors of their own (allowed by the request).
    pub unit_errors: Vec<UnitErrors>,
    /// The files written.
    pub written: Vec<PathBuf>,
}

/// Findings of one rule: how many, the first, and the units they concern (a merge reports a
/// warning that many units share once, not once per unit).
#[derive(Debug)]
pub struct RuleGroup<'a> {
    /// The first finding of the rule.
    pub first: &'a Located,
    /// How many findings the rule made.
    pub count: usize,
    /// The unit codes of the rows the findings point at, in order, each once.
    pub units: Vec<String>,
}

/// The department's findings grouped by rule, in order of first appearance.
pub fn group_by_rule<'a>(budget: &Budget, located: &'a [Located]) -> Vec<RuleGroup<'a>> {
    let mut groups: Vec<RuleGroup<'a>> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for l in located {
        let unit = budget
            .table(l.finding.place.table)
            .and_then(|t| t.rows.get(l.finding.place.row?))
            .and_then(|r| r.unit_code.clone());
        let at = *index
            .entry((l.finding.rule.as_str(), l.severity()))
            .or_insert_with(|| {
                groups.push(RuleGroup {
                    first: l,
                    count: 0,
                    units: Vec::new(),
                });
                groups.len() - 1
            });
        let group = &mut groups[at];
        group.count += 1;
        if let Some(unit) = unit
            && !group.units.contains(&unit)
        {
            group.units.push(unit);
        }
    }
    groups
}

/// Reads the request's inputs with `reader` (each reading handed to `noticed` first, for its
/// notices), checks each unit, consolidates them as the department, checks it and writes its
/// outputs into `target` (whose stem names the department's files).
///
/// # Errors
///
/// [`MergeFailure::Units`] with every unit that could not be read or added, and
/// [`MergeFailure::UnitErrors`] with every unit whose budget has errors when the request does
/// not allow them (nothing is then written); [`MergeFailure::Merge`] when there is nothing to
/// merge, and [`MergeFailure::Write`] when an output cannot be written.
pub fn run(
    edition: &Edition,
    reader: &dyn Reader,
    request: &Request<'_>,
    target: &Target<'_>,
    mut noticed: impl FnMut(&Reading),
) -> Result<Merged, MergeFailure> {
    let mut consolidation = Consolidation::new(edition, request.code, request.name);
    let mut problems = Vec::new();
    let mut unit_errors = Vec::new();
    read_each(
        reader,
        request.inputs,
        request.jobs,
        |i, reading| match reading {
            Ok(r) => {
                noticed(&r);
                if let Some(errors) = unit_errors_of(edition, &r, &request.inputs[i], request) {
                    unit_errors.push(errors);
                }
                if let Err(e) = consolidation.add(i, r.budget) {
                    problems.push(UnitProblem::Merge(e));
                }
            }
            Err(e) => problems.push(UnitProblem::Read(e)),
        },
    );
    if !problems.is_empty() {
        return Err(MergeFailure::Units(problems));
    }
    unit_errors.sort_by(|a, b| a.file.cmp(&b.file));
    if !unit_errors.is_empty() && !request.allow_errors {
        return Err(MergeFailure::UnitErrors(unit_errors));
    }
    let budget = consolidation.finish()?;
    // Written in the department edition where the units' edition names one.
    let own = edition
        .department_edition
        .as_deref()
        .and_then(Edition::named);
    let (edition, budget) = match &own {
        Some(department) => (department, department::reshape(edition, department, budget)),
        None => (edition, budget),
    };
    let units = request.inputs.len().max(1);
    let options = check::Options {
        tolerance: request.check.tolerance * rust_decimal::Decimal::from(units),
    };
    // The department is laid out on a thread of its own while it is checked.
    let (mut rendered, findings) = both(
        || render::render_all(edition, &budget, Purpose::Publish),
        || check::check(edition, &budget, &options),
    );
    let lines: Vec<FindingLine> = unit_errors.iter().map(|u| unit_line(edition, u)).collect();
    let checked = Checked {
        findings: &findings,
        input: None,
        more: &lines,
    };
    let written = write_rendered(edition, &budget, &mut rendered, &checked, target)?;
    let file = format!("{}.xlsx", target.stem);
    let positions = OutputPositions::new(&file, &budget, &rendered);
    let located = check::locate_all(edition, &budget, &findings, &positions);
    Ok(Merged {
        budget,
        located,
        unit_errors,
        written,
    })
}

/// A unit's errors, if its budget has any: how many, and the first located in its input.
fn unit_errors_of(
    edition: &Edition,
    reading: &Reading,
    file: &std::path::Path,
    request: &Request<'_>,
) -> Option<UnitErrors> {
    let findings = check::check(edition, &reading.budget, &request.check);
    let errors: Vec<_> = findings
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    let first = check::locate_all(
        edition,
        &reading.budget,
        &errors[..1.min(errors.len())],
        &reading.positions,
    )
    .pop()?;
    let b = &reading.budget;
    Some(UnitErrors {
        unit: b.who(),
        file: file.to_owned(),
        errors: errors.len(),
        first,
    })
}

/// The line of the department's 校验结果 for a unit consolidated with errors.
fn unit_line(edition: &Edition, u: &UnitErrors) -> FindingLine {
    let f = &u.first.finding;
    let source = match (&u.first.sheet, &u.first.cell) {
        (Some(sheet), Some(cell)) => format!("{}：工作表“{sheet}” {cell}", u.file.display()),
        (Some(sheet), None) => format!("{}：工作表“{sheet}”", u.file.display()),
        _ => u.file.display().to_string(),
    };
    FindingLine {
        severity: Severity::Error,
        rule: f.rule.clone(),
        table: u.first.table_title.clone(),
        source: Some(source),
        target: None,
        expected: f.expected,
        actual: f.actual,
        message: edition
            .unit_errors_line
            .replace("{unit}", &u.unit)
            .replace("{errors}", &u.errors.to_string())
            .replace("{first}", &u.first.message),
        amounts: true,
    }
}
