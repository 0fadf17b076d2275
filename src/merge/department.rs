//! A department merged from units, in the edition's department edition (Shanghai's units fill
//! the unit template; their department is published in the department template, whose
//! 部门财务收支预算总表 has one 预算数 column where the unit's has four).

use crate::edition::{ColumnKind, Edition};
use crate::model::{Amounts, Budget};

/// The consolidated `budget` (in the units' edition `unit`) as a budget of `department`: each
/// table the department edition has, each figure under its key there — the same key, or as
/// the unit table's `department_columns` renames it; figures of columns the department's table
/// does not have are left out (they are the parts of a total it keeps).
pub(super) fn reshape(unit: &Edition, department: &Edition, mut budget: Budget) -> Budget {
    budget.edition = department.name.clone();
    budget.entity_word = department.department_word.clone();
    budget
        .tables
        .retain(|t| department.table(t.number).is_some());
    for table in &mut budget.tables {
        let Some(spec) = department.table(table.number) else {
            continue;
        };
        let renames = unit.table(table.number).map(|s| &s.department_columns);
        let kept = |key: &str| {
            spec.columns
                .iter()
                .any(|c| c.kind == ColumnKind::Amount && c.key == key)
        };
        for row in &mut table.rows {
            let mut amounts = Amounts::new();
            for (key, value) in row.amounts.iter() {
                let key = renames.and_then(|r| r.get(key)).unwrap_or(key);
                if kept(key) {
                    amounts.insert(key.clone(), *value);
                }
            }
            row.amounts = amounts;
        }
        table.title = spec.entity_title(&department.department_word);
        table.amount_unit = spec.amount_unit.clone();
    }
    budget
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_units_columns_go_to_the_department_tables_columns() {
        let unit = Edition::named("shanghai-2026").unwrap();
        let department = Edition::named("shanghai-2026-department").unwrap();
        let budget = crate::read::read_input(
            &unit,
            "samples/shanghai/上海市普陀区社会福利院-2024.xlsx".as_ref(),
        )
        .unwrap()
        .budget;
        let shaped = reshape(&unit, &department, budget.clone());
        assert_eq!(shaped.edition, "上海市2026年区级部门预算");
        let total = |b: &Budget, key: &str| {
            b.tables[0]
                .rows
                .iter()
                .find(|r| r.item.as_deref() == Some("支出总计"))
                .and_then(|r| r.amounts.get(key).copied())
        };
        let whole = total(&budget, "本年支出/预算数/合计");
        assert_eq!(total(&shaped, "本年支出/预算数"), whole);
        assert_eq!(total(&shaped, "本年支出/预算数/基本支出/人员经费"), None);
        assert_eq!(shaped.tables[0].title, "部门财务收支预算总表");
        // Tables whose columns are the same keep every figure.
        assert_eq!(shaped.tables[7].rows, budget.tables[7].rows);
    }
}
