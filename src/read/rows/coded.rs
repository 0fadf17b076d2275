//! Rows of the coded layout: 科目 codes (whole, or split over 类/款/项 columns), names, and
//! the totals and subtotals they imply.

use super::reader::{Placed, TableReader};
use crate::base::error::{Notice, Problem, ReadError};
use crate::base::text::compact;
use crate::edition::{ColumnKind, Layout, Segment};
use crate::model::{Row, RowKind};

impl TableReader<'_> {
    pub(super) fn coded(
        &self,
        data: &[usize],
        notices: &mut Vec<Notice>,
    ) -> Result<Placed, ReadError> {
        let name_col = self.spec.column_of(ColumnKind::Name);
        let unit_col = self.spec.column_of(ColumnKind::Unit);
        let total_label = compact(&self.edition.total_label);
        let mut rows = Vec::with_capacity(data.len());
        let mut places = Vec::with_capacity(data.len());
        // The 合计 label may stand in the name column or, merged over them, in the code
        // columns (Shanghai's tables, 合计 at the bottom).
        let code_cols: Vec<usize> = (0..self.spec.columns.len())
            .filter(|&c| {
                matches!(
                    self.spec.columns[c].kind,
                    ColumnKind::Code | ColumnKind::CodeSegment(_)
                )
            })
            .collect();
        let single_row = self.spec.single_row();
        for &r in data {
            // A table of one row: that row is its total; a second is refused where it stands.
            if single_row {
                if !places.is_empty() {
                    return Err(self.problem(
                        r,
                        0,
                        Problem::ExtraRow {
                            number: self.spec.number,
                            title: self.spec.title.clone(),
                        },
                    ));
                }
                let mut row = Row::new(RowKind::Total, total_label.clone());
                for c in self.spec.amount_columns() {
                    if let Some(v) = self.amount(r, c, notices)? {
                        row.amounts.insert(self.spec.columns[c].key.clone(), v);
                    }
                }
                rows.push(row);
                places.push(r);
                continue;
            }
            let total_in_code = code_cols
                .iter()
                .any(|&c| compact(&self.cell(r, c).text()) == total_label);
            let code = match total_in_code {
                true => None,
                false => self.code(r, notices)?,
            };
            let name = name_col.map(|c| self.cell(r, c).text()).unwrap_or_default();
            let unit = unit_col
                .map(|c| self.cell(r, c).text())
                .filter(|t| !t.is_empty());
            let says_total = total_in_code || compact(&name) == total_label;
            let kind = if code.is_none() && unit.is_none() && says_total {
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
    pub(super) fn infer_hidden_codes(
        &self,
        rows: &mut [Row],
        places: &[usize],
    ) -> Result<(), ReadError> {
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
}

/// Marks as subtotals the coded rows followed by rows whose code extends theirs (表7 `30102`
/// over `3010201`), where the table shows codes on subtotal rows.
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
