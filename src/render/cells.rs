//! What a rendered table is made of: cells (texts, amounts, exact sums of other cells), data
//! rows with the model rows they show, and the table with its title lines and notes.

use crate::edition::{Rect, TableSpec};
use crate::model::{Row, RowKind};
use rust_decimal::Decimal;

/// One cell of a data row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text (labels, names, codes: codes are text so leading zeros stay).
    Text(String),
    /// An original amount.
    Amount(Decimal),
    /// A number that is not money (a weight).
    Number(Decimal),
    /// A total (boxed: most cells are not, and a cell stays small).
    Sum(Box<Sum>),
}

/// A total: the sum of other cells of the same table, given as (data row, column), with its
/// exact value.
#[derive(Debug, Clone, PartialEq)]
pub struct Sum {
    /// The cells added up.
    pub terms: Vec<(usize, usize)>,
    /// The exact value of the sum.
    pub value: Decimal,
    /// The figure the input has in this cell (nothing typed is zero), or `None` where the
    /// input has no such row: a figure nobody typed.
    pub submitted: Option<Decimal>,
}

impl Cell {
    /// A total of the cells `terms`, its value not yet computed and nothing submitted.
    pub(super) fn total(terms: Vec<(usize, usize)>) -> Cell {
        Cell::Sum(Box::new(Sum {
            terms,
            value: Decimal::ZERO,
            submitted: None,
        }))
    }

    /// The numeric value of the cell, if it holds one.
    pub fn value(&self) -> Option<Decimal> {
        match self {
            Cell::Amount(v) | Cell::Number(v) => Some(*v),
            Cell::Sum(sum) => Some(sum.value),
            Cell::Empty | Cell::Text(_) => None,
        }
    }

    /// The figure as submitted: an amount, or the submitted figure of a total (`None` for a
    /// total nobody typed, and for cells without a number).
    pub fn submitted(&self) -> Option<Decimal> {
        match self {
            Cell::Amount(v) | Cell::Number(v) => Some(*v),
            Cell::Sum(sum) => sum.submitted,
            Cell::Empty | Cell::Text(_) => None,
        }
    }

    /// For a total whose submitted figure differs from its sum: (submitted, sum).
    pub fn mismatch(&self) -> Option<(Decimal, Decimal)> {
        match self {
            Cell::Sum(sum) => sum
                .submitted
                .filter(|s| *s != sum.value)
                .map(|s| (s, sum.value)),
            _ => None,
        }
    }
}

/// What a data row is about, per side: the facts' `code`, `name` and `unit_code`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Subject {
    /// Classification code without separators.
    pub code: Option<String>,
    /// Name or label.
    pub name: String,
    /// Unit code.
    pub unit_code: Option<String>,
    /// Item identifier (two-sided tables).
    pub item: Option<String>,
    /// The kind of the model row.
    pub kind: Option<RowKind>,
    /// Index of the model row in its table's rows.
    pub row: Option<usize>,
}

/// One data row of a rendered table.
#[derive(Debug, Clone, PartialEq)]
pub struct DataRow {
    /// The strongest role of the row (a total on either side makes it a total row).
    pub kind: RowKind,
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// Per side (one side for one-sided tables), what the row is about; `None` for an empty
    /// place.
    pub subjects: Vec<Option<Subject>>,
}

/// A table laid out as the official sheet.
#[derive(Debug, Clone)]
pub struct Rendered<'a> {
    /// The table's description.
    pub spec: &'a TableSpec,
    /// The title as printed.
    pub title: String,
    /// The title without year prefix or suffix.
    pub plain_title: String,
    /// The name of its sheet.
    pub sheet: String,
    /// The entity line (`单位：313603-…`), for tables that carry it.
    pub entity_line: Option<String>,
    /// The amount-unit line (`金额单位：万元`).
    pub unit_line: String,
    /// The data rows.
    pub rows: Vec<DataRow>,
    /// Merges within the data rows (row indexes relative to the first data row).
    pub merges: Vec<Rect>,
    /// Note lines under the table.
    pub notes: Vec<String>,
    /// A warning line under the title (the table failed its checks).
    pub warning: Option<String>,
}

impl Rendered<'_> {
    /// Sheet row (0-based) of the entity line, if the table has one: under the title (and the
    /// warning line), the amount-unit line below it or on the same row.
    pub fn entity_row(&self) -> Option<usize> {
        self.entity_line
            .as_ref()
            .map(|_| 1 + usize::from(self.warning.is_some()))
    }

    /// Whether the entity line and the amount-unit line share a row.
    pub fn one_row_preamble(&self) -> bool {
        self.spec.one_row_preamble && self.entity_line.is_some() && self.width() > 1
    }

    /// Sheet row (0-based) of the header's first row.
    pub fn header_start(&self) -> usize {
        let entity_own_row = self.entity_line.is_some() && !self.one_row_preamble();
        2 + usize::from(entity_own_row) + usize::from(self.warning.is_some())
    }

    /// Sheet row (0-based) of the first data row.
    pub fn data_start(&self) -> usize {
        self.header_start() + self.spec.header.height()
    }

    /// The sheet name of the table: the edition's `sheet`, or its title without year prefix or
    /// suffix; at most Excel's 31 characters.
    pub fn sheet_name(&self) -> String {
        self.sheet.clone()
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.spec.columns.len()
    }

    /// The data row of the first row matching a predicate on its subject in a side.
    pub fn find_row(&self, side: usize, pred: impl Fn(&Subject) -> bool) -> Option<usize> {
        self.rows.iter().position(|r| {
            r.subjects
                .get(side)
                .and_then(Option::as_ref)
                .is_some_and(&pred)
        })
    }
}

pub(super) fn amount_cell(row: &Row, key: &str) -> Cell {
    row.amounts
        .get(key)
        .map_or(Cell::Empty, |v| Cell::Amount(*v))
}

/// Cells of a row that holds original figures: amounts, and row sums in total columns.
pub(super) fn detail_amounts(
    spec: &TableSpec,
    row_index: usize,
    row: &Row,
    cells: &mut [Cell],
    cols: &[usize],
) {
    for &c in cols {
        let col = &spec.columns[c];
        cells[c] = if col.sum_of.is_empty() {
            amount_cell(row, &col.key)
        } else {
            Cell::total(col.sum_of.iter().map(|&t| (row_index, t)).collect())
        };
    }
}
