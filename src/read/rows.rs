//! Reading a table's data rows into model rows, for each of the three layouts.

use super::header::ColumnMap;
use super::workbook::{Sheet, Value};
use crate::base::amount::{self, AmountUnit};
use crate::base::error::{Level, Location, Notice, Problem, ReadError};
use crate::base::text::{compact, fold};
use crate::edition::{ColumnKind, Edition, Layout, Segment, TableSpec, TwoSided};
use crate::model::{Row, RowKind, says_empty};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

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
type Placed = (Vec<Row>, Vec<Option<usize>>);

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
    fn amount(
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
    fn blank(&self, row: usize) -> bool {
        (0..self.spec.columns.len()).all(|c| {
            let value = self.cell(row, c);
            value.is_blank()
                || (self.spec.columns[c].kind == ColumnKind::Amount && says_zero(value))
        })
    }

    /// The note text of a row that is a note line, if it is one.
    fn note(&self, row: usize) -> Option<String> {
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

    /// Reads the rows for the table's layout.
    pub fn read(&self, notices: &mut Vec<Notice>) -> Result<TableRows, ReadError> {
        let mut notes = Vec::new();
        let mut data = Vec::new();
        for r in self.map.data_row..self.end_row {
            if let Some(note) = self.note(r) {
                if says_empty(&note) {
                    notes.push(note);
                } else {
                    notices.push(Notice {
                        level: Level::Info,
                        location: self.location.at(r, 0),
                        message: format!(
                            "表{}“{}”下的注释行“{note}”不属于表样，未读入",
                            self.spec.number, self.spec.title
                        ),
                    });
                }
            } else if !self.blank(r) {
                data.push(r);
            }
        }
        let (rows, sheet_rows) = match &self.spec.layout {
            Layout::TwoSided(ts) => self.two_sided(ts, &data, notices)?,
            Layout::Coded(_) => self.coded(&data, notices)?,
            Layout::Projects => self.projects(&data, notices)?,
        };
        if self.extra_decimals.get() > 0 {
            notices.push(Notice {
                level: Level::Warning,
                location: self.location.clone(),
                message: format!(
                    "表{}“{}”有 {} 个金额换算为{}后超出两位小数，已按原值保留（--verbose 列出各单元格）",
                    self.spec.number,
                    self.spec.title,
                    self.extra_decimals.get(),
                    self.target.name()
                ),
            });
        }
        Ok(TableRows {
            rows,
            sheet_rows,
            notes,
        })
    }

    fn two_sided(
        &self,
        ts: &TwoSided,
        data: &[usize],
        notices: &mut Vec<Notice>,
    ) -> Result<Placed, ReadError> {
        // Every item of the edition found in the input is a row of the model, in the edition's
        // order per side.
        let mut rows: Vec<Row> = Vec::new();
        let mut slot: Vec<usize> = vec![usize::MAX; ts.items.len()];
        let mut at: Vec<Option<usize>> = Vec::new();
        for (s, side) in ts.sides.iter().enumerate() {
            for places in &ts.rows {
                if let Some(i) = places[s] {
                    slot[i] = rows.len();
                    rows.push(item_row(&side.name, &ts.items[i]));
                    at.push(None);
                }
            }
        }
        for (s, side) in ts.sides.iter().enumerate() {
            // Items are matched in order, so a label that appears twice (一般公共预算拨款收入
            // under 本年收入 and under 上年结转) finds its own place.
            let order: Vec<usize> = ts.rows.iter().filter_map(|p| p[s]).collect();
            let mut next = 0;
            for &r in data {
                let label = self.cell(r, side.label_col).text();
                if label.is_empty() {
                    continue;
                }
                let folded = fold(&label);
                let key = crate::base::text::without_number(&folded);
                let Some(k) = (next..order.len()).find(|&k| {
                    crate::base::text::without_number(&fold(&ts.items[order[k]].label)) == key
                }) else {
                    return Err(self.problem(
                        r,
                        side.label_col,
                        Problem::UnknownItem {
                            number: self.spec.number,
                            title: self.spec.title.clone(),
                            side: side.name.clone(),
                            label,
                        },
                    ));
                };
                next = k + 1;
                at[slot[order[k]]] = Some(r);
                let row = &mut rows[slot[order[k]]];
                for &c in &side.amount_cols {
                    if let Some(v) = self.amount(r, c, notices)? {
                        row.amounts.insert(self.spec.columns[c].key.clone(), v);
                    }
                }
            }
        }
        // The model holds what was submitted: an item the input does not have is absent (the
        // checks compare nothing against a missing total; the writers lay the row out anyway).
        let (rows, at) = rows
            .into_iter()
            .zip(at)
            .filter(|(_, place)| place.is_some())
            .unzip();
        Ok((rows, at))
    }

    fn coded(&self, data: &[usize], notices: &mut Vec<Notice>) -> Result<Placed, ReadError> {
        let name_col = self.spec.column_of(ColumnKind::Name);
        let unit_col = self.spec.column_of(ColumnKind::Unit);
        let total_label = compact(&self.edition.total_label);
        let mut rows = Vec::with_capacity(data.len());
        let mut places = Vec::with_capacity(data.len());
        for &r in data {
            let code = self.code(r, notices)?;
            let name = name_col.map(|c| self.cell(r, c).text()).unwrap_or_default();
            let unit = unit_col
                .map(|c| self.cell(r, c).text())
                .filter(|t| !t.is_empty());
            let kind = if code.is_none() && unit.is_none() && compact(&name) == total_label {
                RowKind::Total
            } else {
                RowKind::Detail
            };
            let mut row = Row::new(
                kind,
                if kind == RowKind::Total {
                    total_label.clone()
                } else {
                    name
                },
            );
            row.code = code;
            row.unit_code = unit;
            for c in self.spec.amount_columns() {
                if let Some(v) = self.amount(r, c, notices)? {
                    row.amounts.insert(self.spec.columns[c].key.clone(), v);
                }
            }
            rows.push(row);
            places.push(r);
        }
        self.infer_hidden_codes(&mut rows, &places)?;
        mark_subtotals(&mut rows);
        Ok((rows, places.into_iter().map(Some).collect()))
    }

    /// Gives the name-only subtotal rows (表6 类/款 rows, 表8 project groups) the code of the
    /// level they stand for, taken from the first coded row below them.
    fn infer_hidden_codes(&self, rows: &mut [Row], places: &[usize]) -> Result<(), ReadError> {
        let Layout::Coded(coded) = &self.spec.layout else {
            return Ok(());
        };
        if coded.scheme.is_none() {
            return Ok(());
        }
        let levels: &[Segment] = &coded.hidden_subtotals;
        let name_col = self.spec.column_of(ColumnKind::Name).unwrap_or(0);
        let mut i = 0;
        while i < rows.len() {
            if rows[i].kind == RowKind::Total || rows[i].code.is_some() {
                i += 1;
                continue;
            }
            let start = i;
            while i < rows.len() && rows[i].kind != RowKind::Total && rows[i].code.is_none() {
                i += 1;
            }
            let run = i - start;
            let below = rows.get(i).and_then(|r| r.code.clone());
            let uncoded = |k: usize, name: &str| {
                self.problem(
                    places[k],
                    name_col,
                    Problem::UncodedRow {
                        number: self.spec.number,
                        title: self.spec.title.clone(),
                        name: name.to_owned(),
                    },
                )
            };
            let Some(below) = below.filter(|_| run <= levels.len()) else {
                return Err(uncoded(start, &rows[start].name));
            };
            for (k, level) in (start..i).zip(&levels[levels.len() - run..]) {
                if below.len() < level.end() {
                    return Err(uncoded(k, &rows[k].name));
                }
                rows[k].code = Some(below[..level.end()].to_owned());
                rows[k].kind = RowKind::Subtotal;
            }
        }
        Ok(())
    }

    fn projects(&self, data: &[usize], notices: &mut Vec<Notice>) -> Result<Placed, ReadError> {
        let col = |k| self.spec.column_of(k);
        let (unit_col, name_col, amount_col) = (
            col(ColumnKind::UnitName),
            col(ColumnKind::Name),
            col(ColumnKind::Amount),
        );
        let mut rows: Vec<Row> = Vec::new();
        let mut at: Vec<Option<usize>> = Vec::new();
        let mut unit: Option<(String, String)> = None;
        for &r in data {
            let text = |c: Option<usize>| c.map(|c| self.cell(r, c).text()).unwrap_or_default();
            let unit_text = text(unit_col);
            if !unit_text.is_empty() {
                unit = Some(split_entity(&unit_text));
            }
            let name = text(name_col);
            let line: BTreeMap<String, String> = self
                .spec
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| matches!(c.kind, ColumnKind::Line | ColumnKind::LineNumber))
                .map(|(c, spec)| (spec.key.clone(), self.cell(r, c).text()))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            let starts_row = !name.is_empty() || (!unit_text.is_empty() && line.is_empty());
            if starts_row {
                let kind = if name.is_empty() {
                    RowKind::Subtotal
                } else {
                    RowKind::Detail
                };
                let (code, unit_name) = unit.clone().unwrap_or_default();
                let mut row = Row::new(
                    kind,
                    if kind == RowKind::Subtotal {
                        unit_name
                    } else {
                        name
                    },
                );
                row.unit_code = Some(code).filter(|c| !c.is_empty());
                if let Some(c) = amount_col
                    && let Some(v) = self.amount(r, c, notices)?
                {
                    row.amounts.insert(self.spec.columns[c].key.clone(), v);
                }
                for (c, spec) in self.spec.columns.iter().enumerate() {
                    let t = self.cell(r, c).text();
                    if spec.kind == ColumnKind::Text && !t.is_empty() {
                        row.texts.insert(spec.key.clone(), t);
                    }
                }
                rows.push(row);
                at.push(Some(r));
            }
            if !line.is_empty() {
                match rows.last_mut().filter(|r| r.kind == RowKind::Detail) {
                    Some(project) => project.lines.push(line),
                    None => notices.push(Notice {
                        level: Level::Warning,
                        location: self.location.at(r, 0),
                        message: format!(
                            "表{}“{}”中的指标行不属于任何项目，已忽略",
                            self.spec.number, self.spec.title
                        ),
                    }),
                }
            }
        }
        Ok((rows, at))
    }
}

/// Marks as subtotals the coded rows followed by rows whose code extends theirs (表7 `30102`
/// over `3010201`), where the table shows codes on subtotal rows.
/// Whether a cell holds a zero amount (or a dash): nothing.
fn says_zero(value: &Value) -> bool {
    match value {
        Value::Number(n) => *n == 0.0,
        Value::Text(t) => amount::from_text(t).is_ok_and(|v| v.is_none_or(|v| v.is_zero())),
        Value::Empty => true,
        Value::Formula(_) => false,
    }
}

/// The model row of a fixed item of a two-sided table, without amounts.
pub(super) fn item_row(side: &str, item: &crate::edition::ItemSpec) -> Row {
    let mut row = Row::new(
        if item.sum_of.is_empty() {
            RowKind::Detail
        } else {
            RowKind::Total
        },
        compact(&item.label),
    );
    row.side = Some(side.to_owned());
    row.item = Some(item.id.clone());
    row.code = item.code.clone();
    row
}

fn mark_subtotals(rows: &mut [Row]) {
    for i in 0..rows.len() {
        if rows[i].kind != RowKind::Detail {
            continue;
        }
        let Some(code) = rows[i].code.clone() else {
            continue;
        };
        let extended = rows[i + 1..]
            .iter()
            .find(|r| r.kind != RowKind::Total)
            .and_then(|r| r.code.as_ref())
            .is_some_and(|next| next.len() > code.len() && next.starts_with(&code));
        if extended {
            rows[i].kind = RowKind::Subtotal;
        }
    }
}

/// Splits `313603-四川省人力资源和社会保障信息中心` into code and name.
pub fn split_entity(text: &str) -> (String, String) {
    let text = text.trim();
    match text.find(['-', '－', '—']) {
        Some(i) => {
            let dash_len = text[i..].chars().next().map_or(1, char::len_utf8);
            (
                text[..i].trim().to_owned(),
                text[i + dash_len..].trim().to_owned(),
            )
        }
        None => (String::new(), text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_split() {
        assert_eq!(
            split_entity("313603-四川省人力资源和社会保障信息中心"),
            ("313603".into(), "四川省人力资源和社会保障信息中心".into())
        );
        assert_eq!(
            split_entity(" 313603－某单位 "),
            ("313603".into(), "某单位".into())
        );
        assert_eq!(split_entity("某单位"), ("".into(), "某单位".into()));
    }

    #[test]
    fn ordinal_prefix() {
        // Items are matched without their ordinals, 百 and 零 included.
        let strip = crate::base::text::without_number;
        assert_eq!(strip("八、上年结转"), "上年结转");
        assert_eq!(
            strip("二十八、抗疫特别国债安排的支出"),
            "抗疫特别国债安排的支出"
        );
        assert_eq!(strip("一百零一、其他"), "其他");
        assert_eq!(strip("上年结转"), "上年结转");
        assert_eq!(strip("一般公共预算拨款收入"), "一般公共预算拨款收入");
    }
}
