//! Where something was found in an input: file, sheet and cell, or line.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A place in an input: file, and where known the sheet and the cell (A1).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Location {
    /// The file as given.
    pub file: String,
    /// The sheet name.
    pub sheet: Option<String>,
    /// The cell in A1 form.
    pub cell: Option<String>,
    /// The line, for a data file (JSON, CSV), 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl Location {
    /// A location naming only the file.
    pub fn file(file: impl Into<String>) -> Location {
        Location {
            file: file.into(),
            sheet: None,
            cell: None,
            line: None,
        }
    }

    /// This file and a sheet.
    pub fn sheet(&self, sheet: &str) -> Location {
        Location {
            file: self.file.clone(),
            sheet: Some(sheet.to_owned()),
            cell: None,
            line: None,
        }
    }

    /// This file and a 1-based line of a data file.
    pub fn line(&self, line: usize) -> Location {
        Location {
            line: Some(line),
            ..self.clone()
        }
    }

    /// This sheet and a 0-based (row, column).
    pub fn at(&self, row: usize, col: usize) -> Location {
        Location {
            cell: Some(crate::base::a1::cell(row, col)),
            ..self.clone()
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, " 工作表“{sheet}”")?;
        }
        if let Some(cell) = &self.cell {
            write!(f, " {cell}")?;
        }
        if let Some(line) = self.line {
            write!(f, " 第 {line} 行")?;
        }
        Ok(())
    }
}
