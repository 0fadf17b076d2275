//! What reading one table's rows needs: the table's place, column map and units, and the
//! questions every layout asks of a cell (its amount, a blank row, a note line).

use super::super::header::ColumnMap;
use super::super::workbook::{Sheet, Value};
use crate::base::amount::{self, AmountUnit};
use crate::base::error::{Level, Location, Notice, Problem, ReadError};
use crate::edition::{ColumnKind, Edition, TableSpec};
use crate::model::Row;
use rust_decimal::Decimal;

/// Everything needed to read the rows of one located table.
pub struct TableReader<'a> {
    /// The edition.
    pub edition: &'a Edition,
    /// The table's description.
    pub spec: &'a TableSpec,
    /// The sheet.
    pub sheet: &'a Sheet,
    /// Where the columns are.
    pub map: &'a ColumnMap,
    /// The sheet's location (file and sheet).
    pub location: Location,
    /// The amount unit the sheet is written in.
    pub unit: AmountUnit,
    /// The amount unit of the model.
    pub target: AmountUnit,
    /// First row after the table.
    pub end_row: usize,
    /// How many amounts had more than two decimals in the model's unit.
    pub extra_decimals: std::cell::Cell<usize>,
}

/// The rows and notes of a table.
pub struct TableRows {
    /// Model rows.
    pub rows: Vec<Row>,
    /// For every model row, the sheet row it was read from.
    pub sheet_rows: Vec<Option<usize>>,
    /// Note lines.
    pub notes: Vec<String>,
}

/// Model rows with the sheet row each was read from.
pub(super) type Placed = (Vec<Row>, Vec<Option<usize>>);

impl TableReader<'_> {
    pub(super) fn cell(&self, row: usize, col: usize) -> &Value {
        match self.map.columns[col] {
            Some(c) => self.sheet.get(row, c),
            None => &Value::Empty,
        }
    }

    pub(super) fn at(&self, row: usize, col: usize) -> Location {
        self.location.at(
            row,
            self.map.columns[col].or(self.map.whole_code).unwrap_or(0),
        )
    }

    pub(super) fn problem(&self, row: usize, col: usize, problem: Problem) -> ReadError {
        ReadError::new(self.at(row, col), problem)
    }

    /// Reads the amount of a cell in the model's unit; `None` for blank, dash and zero.
    pub(super) fn amount(
        &self,
        row: usize,
        col: usize,
        notices: &mut Vec<Notice>,
    ) -> Result<Option<Decimal>, ReadError> {
        let value = match self.cell(row, col) {
            Value::Empty => return Ok(None),
            Value::Number(n) => amount::from_f64(*n).map(Some),
            Value::Text(t) => amount::from_text(t),
            Value::Formula(formula) => {
                return Err(self.problem(
                    row,
                    col,
                    Problem::Formula {
                        formula: format!("={formula}"),
                    },
                ));
            }
        };
        let bad = || Problem::BadAmount {
            number: self.spec.number,
            title: self.spec.title.clone(),
            column: self.spec.columns[col].key.clone(),
            text: self.cell(row, col).text(),
        };
        let Some(v) = value.map_err(|_| self.problem(row, col, bad()))? else {
            return Ok(None);
        };
        if v.is_zero() {
            return Ok(None);
        }
        if !amount::within_limit(v, self.unit) {
            let problem = Problem::AmountOutOfRange {
                number: self.spec.number,
                title: self.spec.title.clone(),
                column: self.spec.columns[col].key.clone(),
                text: self.cell(row, col).text(),
            };
            return Err(self.problem(row, col, problem));
        }
        let converted = amount::convert(v, self.unit, self.target);
        if converted.scale() > 2 {
            // Each cell with --verbose; one warning per table (see `read`).
            self.extra_decimals.set(self.extra_decimals.get() + 1);
            notices.push(Notice {
                level: Level::Info,
                location: self.at(row, col),
                message: format!(
                    "表{}“{}”“{}”列的金额 {} {} 超出两位小数，已按原值保留",
                    self.spec.number,
                    self.spec.title,
                    self.spec.columns[col].key,
                    converted,
                    self.target.name()
                ),
            });
        }
        Ok(Some(converted))
    }

    /// Whether a row holds nothing in the table's columns.
    /// A row with neither labels nor amounts; zero amounts (a row total of an empty input row
    /// of a template, `0`, `-`) count as nothing.
    pub(super) fn blank(&self, row: usize) -> bool {
        (0..self.spec.columns.len()).all(|c| {
            let value = self.cell(row, c);
            value.is_blank()
                || (self.spec.columns[c].kind == ColumnKind::Amount && says_zero(value))
        })
    }

    /// The note text of a row that is a note line, if it is one.
    pub(super) fn note(&self, row: usize) -> Option<String> {
        let texts: Vec<String> = self
            .sheet
            .cells
            .get(row)?
            .iter()
            .map(Value::text)
            .filter(|t| !t.is_empty())
            .collect();
        match texts.as_slice() {
            [only]
                if self
                    .edition
                    .note_prefixes
                    .iter()
                    .any(|p| only.starts_with(p.as_str())) =>
            {
                Some(only.clone())
            }
            _ => None,
        }
    }
}

/// Whether a cell holds a zero amount (or a dash): nothing.
fn says_zero(value: &Value) -> bool {
    match value {
        Value::Number(n) => *n == 0.0,
        Value::Text(t) => amount::from_text(t).is_ok_and(|v| v.is_none_or(|v| v.is_zero())),
        Value::Empty => true,
        Value::Formula(_) => false,
    }
}
