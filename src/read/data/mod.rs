//! Budgets from data, for systems that hold the figures elsewhere (the budget system's
//! database, a script): the canonical JSON that `convert` writes (`X.json`, everything), and the
//! long form of `facts.csv` (amounts and labels; no notes, annual goals or indicator lines —
//! those travel in the JSON).
//!
//! A facts file cannot tell a zero from a row left out: every fixed row of a two-sided table and
//! the 合计 row of a table with rows are taken as present, a table without any fact as empty
//! (with the edition's empty note).

mod facts;
mod json;
mod text;

use super::reading::{Reading, Scan};
use crate::base::error::{Location, ReadError};
use crate::edition::Edition;
use std::path::Path;

/// Whether a path names a data file yusuan reads: `.json` or `.csv`.
pub fn is_data(path: &Path) -> bool {
    matches!(extension(path).as_deref(), Some("json" | "csv"))
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Reads a budget from a data file.
pub(super) fn read(edition: &Edition, path: &Path, display: &str) -> Result<Reading, ReadError> {
    let location = Location::file(display);
    let json = extension(path).as_deref() == Some("json");
    let text = text::text_of(path, &location, json)?;
    let budget = match json {
        true => json::from_json(edition, &text, &location)?,
        false => facts::from_facts(edition, &text, &location)?,
    };
    Ok(Reading {
        notices: super::lines::code_notice(&budget.code, location)
            .into_iter()
            .collect(),
        budget,
        positions: Default::default(),
        duplicates: Vec::new(),
    })
}

/// Whose budget a data file holds.
pub(super) fn scan(edition: &Edition, path: &Path, display: &str) -> Result<Scan, ReadError> {
    let reading = read(edition, path, display)?;
    let budget = reading.budget;
    Ok(Scan {
        code: (!budget.code.is_empty()).then_some(budget.code),
        name: (!budget.name.is_empty()).then_some(budget.name),
    })
}
