//! One code, one name: the same classification code names the same 科目 in every table of a
//! group (and, for 类, as the edition's list of classes has it).

use super::cap::Findings;
use super::finding::{Finding, Place};
use crate::base::text::fold;
use crate::edition::{ColumnKind, Edition, SameNamesSpec};
use crate::model::{Budget, RowKind};
use std::collections::BTreeMap;

/// Where a code's name was first met: the place (none for the edition's class list) and name.
type First = (Option<Place>, String);

pub(super) fn check_same_names(
    edition: &Edition,
    rule: &SameNamesSpec,
    budget: &Budget,
    out: &mut Findings,
) {
    let mut first: BTreeMap<String, First> = BTreeMap::new();
    if rule.classes {
        for class in &edition.functional_classes {
            first.insert(class.code.clone(), (None, class.name.clone()));
        }
    }
    for &number in &rule.tables {
        let (Some(table), Some(spec)) = (budget.table(number), edition.table(number)) else {
            continue;
        };
        let Some(name_col) = spec.column_of(ColumnKind::Name) else {
            continue;
        };
        let column = spec.columns[name_col].key.clone();
        for (r, row) in table.rows.iter().enumerate() {
            let Some(code) = row
                .code
                .as_ref()
                .filter(|_| row.kind != RowKind::Total && !row.name.is_empty())
            else {
                continue;
            };
            let place = Place {
                table: number,
                row: Some(r),
                column: column.clone(),
                through: None,
            };
            match first.get(code) {
                None => {
                    first.insert(code.clone(), (Some(place), row.name.clone()));
                }
                Some((known_place, known)) if fold(known) != fold(&row.name) => {
                    let whence = match known_place {
                        Some(p) => format!("表{}为", p.table),
                        None => "政府收支分类科目为".to_owned(),
                    };
                    out.push(Finding {
                        rule: rule.id.clone(),
                        severity: rule.severity,
                        place,
                        other: known_place.clone(),
                        expected: None,
                        actual: None,
                        text: format!(
                            "{}：{code}“{}”，{whence}“{known}”",
                            rule.description, row.name
                        ),
                    });
                }
                Some(_) => {}
            }
        }
    }
}
