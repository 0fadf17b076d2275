//! Where the tables of a budget stand in a workbook: the sheet, the title's cell, the sheet row
//! of every model row and the sheet column of every column key. The reader records them for the
//! input; the writer knows them for the workbook it writes; the checks use either to point at a
//! cell.

use std::collections::BTreeMap;

/// Where one table stands in a workbook.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct TablePosition {
    /// The file.
    pub file: String,
    /// The sheet.
    pub sheet: String,
    /// The title's cell (0-based row, column), for places that are not a row.
    pub title: (usize, usize),
    /// For every model row, the sheet row it was read from or written to.
    pub rows: Vec<Option<usize>>,
    /// The sheet column of every column key.
    pub columns: BTreeMap<String, usize>,
}

/// Finds where a table stands.
pub trait Locator {
    /// The position of a table, by number.
    fn table(&self, number: u8) -> Option<&TablePosition>;
}

/// Positions of the tables in the input workbooks, as the reader found them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct InputPositions {
    /// By table number − 1.
    pub tables: Vec<Option<TablePosition>>,
}

impl Locator for InputPositions {
    fn table(&self, number: u8) -> Option<&TablePosition> {
        self.tables
            .get(usize::from(number).checked_sub(1)?)?
            .as_ref()
    }
}
