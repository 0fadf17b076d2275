//! Where the tables stand in the workbook yusuan writes, to link findings to its cells.

use crate::model::Budget;
use crate::model::position::{Locator, TablePosition};
use crate::render::Rendered;

/// Positions of the tables in the written workbook.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutputPositions {
    tables: Vec<TablePosition>,
}

impl OutputPositions {
    /// The positions of rendered tables written as `file` (sheet names as the XLSX writer
    /// gives them).
    pub fn new(file: &str, budget: &Budget, rendered: &[Rendered<'_>]) -> OutputPositions {
        let tables = rendered
            .iter()
            .map(|t| {
                let count = budget.table(t.spec.number).map_or(0, |m| m.rows.len());
                let mut rows = vec![None; count];
                for (r, data) in t.rows.iter().enumerate() {
                    for s in data.subjects.iter().flatten() {
                        if let Some(i) = s.row.filter(|&i| i < count) {
                            rows[i].get_or_insert(t.data_start() + r);
                        }
                    }
                }
                TablePosition {
                    file: file.to_owned(),
                    sheet: t.sheet_name(),
                    title: (0, 0),
                    rows,
                    columns: t
                        .spec
                        .columns
                        .iter()
                        .enumerate()
                        .map(|(c, col)| (col.key.clone(), c))
                        .collect(),
                }
            })
            .collect();
        OutputPositions { tables }
    }
}

impl Locator for OutputPositions {
    fn table(&self, number: u8) -> Option<&TablePosition> {
        self.tables.get(usize::from(number).checked_sub(1)?)
    }
}
