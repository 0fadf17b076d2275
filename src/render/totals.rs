//! Recomputing totals: every total and subtotal row, total item and total column of a budget
//! set to the exact sum of what it adds up, through the same rendering that writes the
//! formulas — so the model agrees with the workbook's formulas by construction.

use crate::edition::Edition;
use crate::model::Budget;
use crate::render::{self, Cell, Purpose};

/// Sets every total of `budget` to the sum of its parts (zero sums become empty).
pub fn recompute(edition: &Edition, budget: &mut Budget) {
    let mut updates: Vec<(u8, usize, String, rust_decimal::Decimal)> = Vec::new();
    for rendered in render::render_all(edition, budget, Purpose::Publish) {
        for row in &rendered.rows {
            for (c, cell) in row.cells.iter().enumerate() {
                let Cell::Sum(sum) = cell else {
                    continue;
                };
                let column = &rendered.spec.columns[c];
                let side = column.side.unwrap_or(0);
                if let Some(model_row) = row
                    .subjects
                    .get(side)
                    .and_then(Option::as_ref)
                    .and_then(|s| s.row)
                {
                    updates.push((
                        rendered.spec.number,
                        model_row,
                        column.key.clone(),
                        sum.value,
                    ));
                }
            }
        }
    }
    for (number, r, key, value) in updates {
        let Some(table) = budget.tables.iter_mut().find(|t| t.number == number) else {
            continue;
        };
        let row = &mut table.rows[r];
        if value.is_zero() {
            row.amounts.remove(&key);
        } else {
            row.amounts.insert(key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Row, RowKind, Table};
    use rust_decimal::Decimal;

    #[test]
    fn totals_follow_the_details() {
        let edition = Edition::builtin();
        let mut total = Row::new(RowKind::Total, "合计");
        total.amounts.insert("合计".into(), Decimal::new(1, 0));
        let mut detail = Row::new(RowKind::Detail, "培训支出");
        detail.code = Some("2050803".into());
        detail
            .amounts
            .insert("基本支出".into(), Decimal::new(1675, 2));
        detail
            .amounts
            .insert("项目支出".into(), Decimal::new(100, 2));
        let mut budget = crate::model::Budget::blank(&edition);
        budget.tables.push(Table {
            number: 3,
            title: "单位支出总表".into(),
            rows: vec![total, detail],
            notes: vec![],
            amount_unit: None,
        });
        recompute(&edition, &mut budget);
        let t3 = budget.table(3).unwrap();
        assert_eq!(t3.rows[1].amount("合计"), Decimal::new(1775, 2));
        assert_eq!(t3.rows[0].amount("合计"), Decimal::new(1775, 2));
        assert_eq!(t3.rows[0].amount("基本支出"), Decimal::new(1675, 2));
    }
}
