//! The 情况说明 of a batch: a `.docx`, `.txt` or `.md` whose file name contains a unit's code
//! (its name, where the edition names units by name alone) is that unit's narrative, checked
//! against its tables.

use crate::edition::{Edition, Severity};
use crate::model::Budget;
use crate::narrative::{NarrativeCheck, check_narrative};
use crate::worker::Reader;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One narrative of a unit, as checked.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitNarrative {
    /// The file, relative to the batch directory.
    pub file: String,
    /// What checking it found; `Err` with the reason when it could not be read.
    pub checked: Result<NarrativeCheck, String>,
    /// Whether it is the unit's workbook's own sheets of text (编制说明), not a file of its own.
    pub in_workbook: bool,
}

impl UnitNarrative {
    /// Its errors: contradictions of rules that are errors, or 1 when it could not be read.
    pub fn errors(&self) -> usize {
        match &self.checked {
            Ok(c) => c
                .findings()
                .filter(|f| f.severity == Severity::Error)
                .count(),
            Err(_) => 1,
        }
    }

    /// Its contradictions of rules that are warnings.
    pub fn warnings(&self) -> usize {
        match &self.checked {
            Ok(c) => c
                .findings()
                .filter(|f| f.severity == Severity::Warning)
                .count(),
            Err(_) => 0,
        }
    }

    /// Its first error as the summary shows it.
    pub fn first_error(&self) -> Option<String> {
        match &self.checked {
            Ok(c) => c
                .findings()
                .find(|f| f.severity == Severity::Error)
                .map(|f| format!("{}：{}", self.file, f.message)),
            Err(e) => Some(e.clone()),
        }
    }
}

/// Which unit each narrative belongs to: the unit whose code its file name contains (the
/// longest such code, or name). Returns the narratives by unit code (or name), and those of no
/// unit.
pub(super) fn assign(
    narratives: &[PathBuf],
    codes: &[&str],
) -> (BTreeMap<String, Vec<PathBuf>>, Vec<PathBuf>) {
    let mut by_unit: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut unmatched = Vec::new();
    for path in narratives {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let code = codes
            .iter()
            .filter(|c| !c.is_empty() && name.contains(**c))
            .max_by_key(|c| c.len());
        match code {
            Some(code) => by_unit
                .entry((*code).to_owned())
                .or_default()
                .push(path.clone()),
            None => unmatched.push(path.clone()),
        }
    }
    (by_unit, unmatched)
}

/// Reads and checks a unit's narratives against its budget.
pub(super) fn check_all(
    edition: &Edition,
    reader: &dyn Reader,
    budget: &Budget,
    paths: &[PathBuf],
    dir: &Path,
) -> Vec<UnitNarrative> {
    paths
        .iter()
        .map(|path| {
            let file = super::discover::relative(dir, path);
            let checked = reader
                .read_document(path)
                .map_err(|e| e.to_string())
                .and_then(|document| {
                    check_narrative(edition, budget, None, &document, &file)
                        .map_err(|e| e.to_string())
                });
            UnitNarrative {
                file,
                checked,
                in_workbook: false,
            }
        })
        .collect()
}

/// The unit's own sheets of text that the edition checks as a 情况说明 (Shanghai's
/// 编制说明), checked against its tables; named as sheets of `files`.
pub(super) fn check_text_sheets(
    edition: &Edition,
    budget: &Budget,
    files: &str,
) -> Option<UnitNarrative> {
    let (sheets, document) = crate::narrative::text_sheets_document(edition, budget)?;
    let file = format!("{files} {sheets}");
    let checked =
        check_narrative(edition, budget, None, &document, &file).map_err(|e| e.to_string());
    Some(UnitNarrative {
        file,
        checked,
        in_workbook: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrative_belongs_to_the_unit_its_name_carries() {
        let files: Vec<PathBuf> = ["313603情况说明.docx", "说明-3136031.md", "readme.txt"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let (by_unit, unmatched) = assign(&files, &["313603", "3136031"]);
        assert_eq!(by_unit["313603"], [PathBuf::from("313603情况说明.docx")]);
        assert_eq!(by_unit["3136031"], [PathBuf::from("说明-3136031.md")]);
        assert_eq!(unmatched, [PathBuf::from("readme.txt")]);
    }
}
