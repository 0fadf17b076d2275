//! Rendering: one table of a budget laid out as the official sheet — title lines, header grid
//! and data rows whose totals are sums of other cells, evaluated exactly.
//!
//! The rendered table is the single source for every writer: the XLSX writer turns its sums
//! into live formulas with cached results, the CSV writers print their values, and the blank
//! template is the rendering of an empty budget.

use crate::edition::{ColumnKind, Edition, Layout, Rect, TableSpec, TwoSided};
use crate::model::hierarchy;
use crate::model::{Budget, Row, RowKind, Table};
use rust_decimal::Decimal;
use std::str::FromStr;

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
    fn total(terms: Vec<(usize, usize)>) -> Cell {
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
    /// The title without year suffix (the sheet name).
    pub plain_title: String,
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
    /// Sheet row (0-based) of the header's first row.
    pub fn header_start(&self) -> usize {
        2 + usize::from(self.entity_line.is_some()) + usize::from(self.warning.is_some())
    }

    /// Sheet row (0-based) of the first data row.
    pub fn data_start(&self) -> usize {
        self.header_start() + self.spec.header.height()
    }

    /// The sheet name of the table: its title without the year suffix, cut to Excel's 31
    /// characters.
    pub fn sheet_name(&self) -> String {
        self.plain_title.chars().take(31).collect()
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

/// How to render: a published table, or the blank template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A budget's tables (empty tables get the edition's empty note).
    Publish,
    /// The fillable template: no notes, the entity line a label only.
    Template,
}

/// Renders every table of a budget, in the edition's order.
pub fn render_all<'a>(
    edition: &'a Edition,
    budget: &Budget,
    purpose: Purpose,
) -> Vec<Rendered<'a>> {
    edition
        .tables
        .iter()
        .map(|spec| {
            // A table the budget lacks renders as the edition's empty table.
            let empty = Table {
                number: spec.number,
                title: spec.title.clone(),
                ..Table::default()
            };
            let table = budget.table(spec.number).unwrap_or(&empty);
            render(edition, spec, budget, table, purpose)
        })
        .collect()
}

/// Renders one table.
pub(crate) fn render<'a>(
    edition: &Edition,
    spec: &'a TableSpec,
    budget: &Budget,
    table: &Table,
    purpose: Purpose,
) -> Rendered<'a> {
    let (mut rows, merges) = match &spec.layout {
        Layout::TwoSided(ts) => (two_sided(spec, ts, table), Vec::new()),
        Layout::Coded(_) => (coded(edition, spec, table), Vec::new()),
        Layout::Projects => projects(spec, table),
    };
    evaluate(&mut rows);
    attach_submitted(spec, table, &mut rows);

    let has_data = table.rows.iter().any(|r| r.kind != RowKind::Total);
    let notes = match purpose {
        Purpose::Template => Vec::new(),
        Purpose::Publish if table.notes.is_empty() && !has_data => vec![edition.empty_note.clone()],
        Purpose::Publish => table.notes.clone(),
    };
    Rendered {
        spec,
        title: spec.display_title(&budget.entity_word, budget.year),
        plain_title: spec.entity_title(&budget.entity_word),
        // The template's entity line is its label; who the unit is goes in the input beside it.
        entity_line: spec.entity_line.then(|| match purpose {
            Purpose::Publish => {
                edition.entity_line_of(&budget.entity_word, &budget.code, &budget.name)
            }
            Purpose::Template => edition.entity_line_of(&budget.entity_word, "", ""),
        }),
        unit_line: edition
            .amount_unit_line
            .replace("{unit}", &budget.amount_unit),
        rows,
        merges,
        notes,
        warning: None,
    }
}

/// Puts the edition's warning line under the title of every table where a check found an
/// error, or a total differs from its parts.
pub fn mark_failed(rendered: &mut [Rendered<'_>], findings: &[crate::check::Finding], line: &str) {
    for table in rendered {
        let failed = findings.iter().any(|f| {
            f.severity == crate::edition::Severity::Error && f.place.table == table.spec.number
        }) || table
            .rows
            .iter()
            .any(|r| r.cells.iter().any(|c| c.mismatch().is_some()));
        table.warning = failed.then(|| line.to_owned());
    }
}

/// Gives every total the figure the input has in its cell: the row's amount in the column,
/// where the model has the row.
fn attach_submitted(spec: &TableSpec, table: &Table, rows: &mut [DataRow]) {
    for row in rows {
        for (c, cell) in row.cells.iter_mut().enumerate() {
            let Cell::Sum(sum) = cell else {
                continue;
            };
            let column = &spec.columns[c];
            let model = row
                .subjects
                .get(column.side.unwrap_or(0))
                .and_then(Option::as_ref)
                .and_then(|s| s.row)
                .and_then(|i| table.rows.get(i));
            sum.submitted = model.map(|m| m.amount(&column.key));
        }
    }
}

fn amount_cell(row: &Row, key: &str) -> Cell {
    row.amounts
        .get(key)
        .map_or(Cell::Empty, |v| Cell::Amount(*v))
}

/// Cells of a row that holds original figures: amounts, and row sums in total columns.
fn detail_amounts(
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

fn two_sided(spec: &TableSpec, ts: &TwoSided, table: &Table) -> Vec<DataRow> {
    let width = spec.columns.len();
    let mut position = vec![0usize; ts.items.len()];
    for (r, places) in ts.rows.iter().enumerate() {
        for item in places.iter().flatten() {
            position[*item] = r;
        }
    }
    let mut out = Vec::with_capacity(ts.rows.len());
    for (r, places) in ts.rows.iter().enumerate() {
        let mut cells = vec![Cell::Empty; width];
        let mut subjects = Vec::new();
        let mut kind = RowKind::Detail;
        for (s, side) in ts.sides.iter().enumerate() {
            let Some(i) = places[s] else {
                subjects.push(None);
                continue;
            };
            let item = &ts.items[i];
            cells[side.label_col] = Cell::Text(item.label.clone());
            let model_index = table.rows.iter().position(|row| {
                row.side.as_deref() == Some(side.name.as_str())
                    && row.item.as_deref() == Some(item.id.as_str())
            });
            let model = model_index.map(|i| &table.rows[i]);
            if item.sum_of.is_empty() {
                let blank = Row::new(RowKind::Detail, "");
                detail_amounts(
                    spec,
                    r,
                    model.unwrap_or(&blank),
                    &mut cells,
                    &side.amount_cols,
                );
            } else {
                kind = RowKind::Total;
                for &c in &side.amount_cols {
                    let terms = item.sum_of.iter().map(|&j| (position[j], c)).collect();
                    cells[c] = Cell::total(terms);
                }
            }
            subjects.push(Some(Subject {
                code: item.code.clone(),
                name: crate::text::compact(&item.label),
                unit_code: None,
                item: Some(item.id.clone()),
                kind: Some(if item.sum_of.is_empty() {
                    RowKind::Detail
                } else {
                    RowKind::Total
                }),
                row: model_index,
            }));
        }
        out.push(DataRow {
            kind,
            cells,
            subjects,
        });
    }
    out
}

fn coded(edition: &Edition, spec: &TableSpec, table: &Table) -> Vec<DataRow> {
    let width = spec.columns.len();
    let amount_cols: Vec<usize> = spec.amount_columns().collect();
    // The grand total always leads, whatever the model holds.
    let total = Row::new(RowKind::Total, crate::text::compact(&edition.total_label));
    let rows: Vec<&Row> = std::iter::once(&total)
        .chain(table.rows.iter().filter(|r| r.kind != RowKind::Total))
        .collect();
    // Where each rendered row comes from in the model.
    let origin: Vec<Option<usize>> =
        std::iter::once(table.rows.iter().position(|r| r.kind == RowKind::Total))
            .chain(
                table
                    .rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.kind != RowKind::Total)
                    .map(|(i, _)| Some(i)),
            )
            .collect();
    let children = hierarchy::children(&rows);
    let segments = spec.segment_columns();
    let has_full_code = spec.column_of(ColumnKind::Code).is_some();
    let segment_span = segments.iter().map(|(s, _)| s.end()).max().unwrap_or(0);
    let hidden = match &spec.layout {
        Layout::Coded(c) => c.hidden_subtotals.clone(),
        _ => Vec::new(),
    };
    let mut out = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        let mut cells = vec![Cell::Empty; width];
        let code = row.code.as_deref().unwrap_or("");
        let code_hidden =
            row.kind == RowKind::Subtotal && hidden.iter().any(|s| s.end() == code.len());
        for (c, col) in spec.columns.iter().enumerate() {
            let text = match col.kind {
                ColumnKind::CodeSegment(seg) if !code_hidden && row.kind != RowKind::Total => {
                    // With a whole-code column beside them, segments show only for codes that
                    // fill them (table 7: 类 rows show 301 in the code column alone).
                    let shown = if has_full_code {
                        code.len() >= segment_span
                    } else {
                        code.len() >= seg.end()
                    };
                    shown.then(|| code[seg.start()..seg.end()].to_owned())
                }
                ColumnKind::Code if !code_hidden => row.code.clone(),
                ColumnKind::Unit => row.unit_code.clone(),
                ColumnKind::Name => Some(if row.kind == RowKind::Total {
                    edition.total_label.clone()
                } else {
                    row.name.clone()
                }),
                _ => None,
            };
            if let Some(t) = text.filter(|t| !t.is_empty()) {
                cells[c] = Cell::Text(t);
            }
        }
        if children[r].is_empty() {
            if row.kind == RowKind::Detail || row.kind == RowKind::Subtotal {
                detail_amounts(spec, r, row, &mut cells, &amount_cols);
            }
        } else {
            for &c in &amount_cols {
                cells[c] = Cell::total(children[r].iter().map(|&k| (k, c)).collect());
            }
        }
        let subject = Subject {
            code: row.code.clone(),
            name: row.name.clone(),
            unit_code: row.unit_code.clone(),
            item: None,
            kind: Some(row.kind),
            row: origin[r],
        };
        out.push(DataRow {
            kind: row.kind,
            cells,
            subjects: vec![Some(subject)],
        });
    }
    out
}

fn projects(spec: &TableSpec, table: &Table) -> (Vec<DataRow>, Vec<Rect>) {
    let width = spec.columns.len();
    let col = |k: ColumnKind| spec.column_of(k);
    let unit_text = |row: &Row| {
        row.unit_code
            .as_ref()
            .map(|code| format!("{code}-{}", row.name))
    };
    let mut out: Vec<DataRow> = Vec::new();
    let mut merges = Vec::new();
    // The sheet rows of each model row: a project spans its indicator lines.
    let mut span_of = vec![(0usize, 0usize); table.rows.len()];
    for (i, row) in table.rows.iter().enumerate() {
        let start = out.len();
        for l in 0..row.lines.len().max(1) {
            let mut cells = vec![Cell::Empty; width];
            for (c, spec_col) in spec.columns.iter().enumerate() {
                cells[c] = match (spec_col.kind, row.lines.get(l)) {
                    (ColumnKind::UnitName, _) if l == 0 && row.kind != RowKind::Detail => {
                        unit_text(row).map_or(Cell::Empty, Cell::Text)
                    }
                    (ColumnKind::Name, _) if l == 0 && row.kind == RowKind::Detail => {
                        Cell::Text(row.name.clone())
                    }
                    (ColumnKind::Amount, _) if l == 0 => amount_cell(row, &spec_col.key),
                    (ColumnKind::Text, _) if l == 0 => row
                        .texts
                        .get(&spec_col.key)
                        .map_or(Cell::Empty, |t| Cell::Text(t.clone())),
                    (ColumnKind::LineNumber, Some(line)) => {
                        line.get(&spec_col.key).map_or(Cell::Empty, |v| {
                            Decimal::from_str(v).map_or(Cell::Text(v.clone()), Cell::Number)
                        })
                    }
                    (ColumnKind::Line, Some(line)) => line
                        .get(&spec_col.key)
                        .map_or(Cell::Empty, |v| Cell::Text(v.clone())),
                    _ => Cell::Empty,
                };
            }
            let subject = (l == 0).then(|| Subject {
                code: row.code.clone(),
                name: row.name.clone(),
                unit_code: row.unit_code.clone(),
                item: None,
                kind: Some(row.kind),
                row: Some(i),
            });
            out.push(DataRow {
                kind: row.kind,
                cells,
                subjects: vec![subject],
            });
        }
        let end = out.len() - 1;
        span_of[i] = (start, end);
        if row.kind == RowKind::Detail && end > start {
            for (c, spec_col) in spec.columns.iter().enumerate() {
                if matches!(
                    spec_col.kind,
                    ColumnKind::Name | ColumnKind::Amount | ColumnKind::Text
                ) {
                    merges.push(Rect {
                        first_row: start,
                        first_col: c,
                        last_row: end,
                        last_col: c,
                    });
                }
            }
        }
    }
    // A unit's row adds up its projects; its name stands again beside them, merged down. A
    // grand total adds up the unit rows; a second one (no table has it) stays as typed.
    let structure = hierarchy::children(&table.rows);
    let first_total = (0..table.rows.len()).find(|&i| structure.is_total(i));
    for (i, kids) in structure.iter().enumerate() {
        if structure.is_total(i) && Some(i) != first_total {
            continue;
        }
        let (Some(&first), Some(&last)) = (kids.first(), kids.last()) else {
            continue;
        };
        if let Some(ac) = col(ColumnKind::Amount) {
            let terms = kids.iter().map(|&k| (span_of[k].0, ac)).collect();
            out[span_of[i].0].cells[ac] = Cell::total(terms);
        }
        if let (Some(uc), Some(text)) = (col(ColumnKind::UnitName), unit_text(&table.rows[i])) {
            let (top, bottom) = (span_of[first].0, span_of[last].1);
            out[top].cells[uc] = Cell::Text(text);
            if bottom > top {
                merges.push(Rect {
                    first_row: top,
                    first_col: uc,
                    last_row: bottom,
                    last_col: uc,
                });
            }
        }
    }
    (out, merges)
}

/// Computes the value of every sum, exactly. Sums may refer to other sums (a 类 row adds up
/// 款 rows that are themselves sums); a cycle, which a valid description cannot produce,
/// evaluates to zero rather than looping.
fn evaluate(rows: &mut [DataRow]) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Todo,
        Busy,
        Done,
    }
    fn eval(rows: &mut [DataRow], state: &mut [Vec<State>], r: usize, c: usize) -> Decimal {
        match state[r][c] {
            State::Done => return rows[r].cells[c].value().unwrap_or_default(),
            State::Busy => return Decimal::ZERO,
            State::Todo => {}
        }
        state[r][c] = State::Busy;
        let value = match &rows[r].cells[c] {
            Cell::Sum(sum) => {
                let terms = sum.terms.clone();
                terms
                    .into_iter()
                    .map(|(tr, tc)| eval(rows, state, tr, tc))
                    .sum()
            }
            other => other.value().unwrap_or_default(),
        };
        if let Cell::Sum(sum) = &mut rows[r].cells[c] {
            sum.value = crate::amount::canonical(value);
        }
        state[r][c] = State::Done;
        value
    }
    let mut state: Vec<Vec<State>> = rows
        .iter()
        .map(|r| vec![State::Todo; r.cells.len()])
        .collect();
    for r in 0..rows.len() {
        for c in 0..rows[r].cells.len() {
            eval(rows, &mut state, r, c);
        }
    }
}
