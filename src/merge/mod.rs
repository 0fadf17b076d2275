//! `merge`: unit budgets read, consolidated into their department's budget
//! ([`consolidate`]), checked and written as `convert` writes one unit.

pub mod consolidate;

pub use consolidate::{Consolidation, MergeError, merge};

use crate::check::{self, Located};
use crate::convert::{Checked, Target, WriteError, write_rendered};
use crate::edition::Edition;
use crate::error::ReadError;
use crate::model::Budget;
use crate::read::Reading;
use crate::render::{self, Purpose};
use crate::worker::{Reader, read_each};
use crate::write::positions::OutputPositions;
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
    /// Check settings.
    pub check: check::Options,
}

impl Request<'_> {
    /// The base name of the department's files: `<code>-<name>`, safe for any file system.
    pub fn stem(&self) -> String {
        crate::file_names::entity(self.code, self.name)
    }
}

/// Why a merge wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum MergeFailure {
    /// Some units could not be read or consolidated (each named).
    #[error("有 {} 个单位的预算无法汇总，未输出", .0.len())]
    Units(Vec<UnitProblem>),
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

/// What a merge made.
#[derive(Debug)]
pub struct Merged {
    /// The department's budget.
    pub budget: Budget,
    /// Its findings, located in the written workbook.
    pub located: Vec<Located>,
    /// The files written.
    pub written: Vec<PathBuf>,
}

/// Reads the request's inputs with `reader` (each reading handed to `noticed` first, for its
/// notices), consolidates them as the department, checks it and writes its outputs into
/// `target` (whose stem names the department's files).
///
/// # Errors
///
/// [`MergeFailure::Units`] with every unit that could not be read or added (nothing is then
/// written), [`MergeFailure::Merge`] when there is nothing to merge, and
/// [`MergeFailure::Write`] when an output cannot be written.
pub fn run(
    edition: &Edition,
    reader: &dyn Reader,
    request: &Request<'_>,
    target: &Target<'_>,
    mut noticed: impl FnMut(&Reading),
) -> Result<Merged, MergeFailure> {
    let mut consolidation = Consolidation::new(edition, request.code, request.name);
    let mut problems = Vec::new();
    read_each(
        reader,
        request.inputs,
        request.jobs,
        |i, reading| match reading {
            Ok(r) => {
                noticed(&r);
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
    let budget = consolidation.finish()?;
    let findings = check::check(edition, &budget, &request.check);
    let checked = Checked {
        findings: &findings,
        input: None,
    };
    let mut rendered = render::render_all(edition, &budget, Purpose::Publish);
    let written = write_rendered(edition, &budget, &mut rendered, &checked, target)?;
    let file = format!("{}.xlsx", target.stem);
    let positions = OutputPositions::new(&file, &budget, &rendered);
    let located = check::locate_all(edition, &budget, &findings, &positions);
    Ok(Merged {
        budget,
        located,
        written,
    })
}
