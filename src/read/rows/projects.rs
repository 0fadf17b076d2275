//! Rows of the projects layout (绩效目标): units, projects and their indicator lines.

use super::reader::{Placed, TableReader};
use crate::base::error::{Level, Notice, ReadError};
use crate::base::text::split_entity;
use crate::edition::ColumnKind;
use crate::model::{Row, RowKind};
use std::collections::BTreeMap;

impl TableReader<'_> {
    pub(super) fn projects(
        &self,
        data: &[usize],
        notices: &mut Vec<Notice>,
    ) -> Result<Placed, ReadError> {
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
