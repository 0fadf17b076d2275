//! The canonical JSON that `convert` writes, read back and checked against the edition.

use super::text::data_error;
use crate::base::amount::{self, AmountUnit};
use crate::base::error::{Location, Problem, ReadError};
use crate::edition::Edition;
use crate::model::Budget;

/// The canonical JSON, checked against the edition and brought to its amount unit.
pub(super) fn from_json(
    edition: &Edition,
    text: &str,
    location: &Location,
) -> Result<Budget, ReadError> {
    let mut budget: Budget = serde_json::from_str(text)
        .map_err(|e| data_error(location, Some(e.line()), json_problem(&e)))?;
    let mut seen = vec![false; edition.tables.len()];
    for table in &budget.tables {
        let known = usize::from(table.number)
            .checked_sub(1)
            .filter(|&i| i < seen.len())
            .ok_or_else(|| data_error(location, None, format!("表样中没有表{}", table.number)))?;
        if std::mem::replace(&mut seen[known], true) {
            return Err(data_error(
                location,
                None,
                format!("表{}出现了两次", table.number),
            ));
        }
        // An amount under a column the table does not have would be silently left out.
        let spec = &edition.tables[known];
        for row in &table.rows {
            if let Some(key) = row
                .amounts
                .keys()
                .find(|k| !spec.columns.iter().any(|c| &c.key == *k))
            {
                return Err(data_error(
                    location,
                    None,
                    format!("表{}没有“{key}”列（{}）", table.number, row.name),
                ));
            }
        }
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        let spec = &edition.tables[missing];
        return Err(ReadError::new(
            location.clone(),
            Problem::MissingTable {
                number: spec.number,
                title: spec.title.clone(),
            },
        ));
    }
    budget.tables.sort_by_key(|t| t.number);
    to_edition_unit(edition, &mut budget, location)?;
    Ok(budget)
}

/// What is wrong with a JSON text, in one Chinese sentence: the parser's words are English,
/// so the ones a budget file meets are said again (a value quoted as it stands in the file).
fn json_problem(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let message = e.to_string();
    let message = message.split(" at line ").next().unwrap_or("");
    let quoted = |open: char, close: char| -> Option<&str> {
        let start = message.find(open)? + open.len_utf8();
        let len = message[start..].find(close)?;
        Some(&message[start..start + len])
    };
    match e.classify() {
        Category::Syntax => "JSON 语法错误".to_owned(),
        Category::Eof => "JSON 不完整（文件在中途结束）".to_owned(),
        Category::Io => "读取 JSON 时出错".to_owned(),
        Category::Data => {
            let what = if message.starts_with("missing field") {
                quoted('`', '`').map(|f| format!("缺少字段“{f}”"))
            } else if message.starts_with("unknown field") {
                quoted('`', '`').map(|f| format!("有表样中没有的字段“{f}”"))
            } else if message.contains("expected a Decimal") {
                quoted('"', '"').map(|v| format!("“{v}”不是有效的金额"))
            } else if message.starts_with("unknown variant") {
                quoted('`', '`').map(|v| format!("“{v}”不是可用的取值"))
            } else {
                None
            };
            format!(
                "不是 yusuan 的预算数据：{}",
                what.unwrap_or_else(|| "某个值的类型或取值不对".to_owned())
            )
        }
    }
}

/// Brings every amount to its table's unit in the edition (the edition's, or the table's own),
/// exactly.
fn to_edition_unit(
    edition: &Edition,
    budget: &mut Budget,
    location: &Location,
) -> Result<(), ReadError> {
    let from = AmountUnit::parse(&budget.amount_unit).ok_or_else(|| {
        ReadError::new(
            location.clone(),
            Problem::BadAmountUnit(budget.amount_unit.clone()),
        )
    })?;
    let unit_of = |table: &crate::model::Table| match &table.amount_unit {
        None => Ok(from),
        Some(u) => AmountUnit::parse(u)
            .ok_or_else(|| ReadError::new(location.clone(), Problem::BadAmountUnit(u.clone()))),
    };
    for table in &budget.tables {
        let from = unit_of(table)?;
        for (r, row) in table.rows.iter().enumerate() {
            if let Some((key, v)) = row
                .amounts
                .iter()
                .find(|(_, v)| !amount::within_limit(**v, from))
            {
                return Err(data_error(
                    location,
                    None,
                    format!(
                        "表{}第 {} 行（{}）“{key}”的金额 {v} 超出预算金额的范围（绝对值应小于 10^15 元）",
                        table.number,
                        r + 1,
                        row.name
                    ),
                ));
            }
        }
    }
    for table in &mut budget.tables {
        let (from, to) = (unit_of(table)?, edition.unit_of(table.number));
        if from != to {
            for v in table.rows.iter_mut().flat_map(|r| r.amounts.values_mut()) {
                *v = amount::convert(*v, from, to);
            }
        }
        table.amount_unit = edition
            .table(table.number)
            .and_then(|t| t.amount_unit.clone());
    }
    budget.amount_unit = edition.amount_unit.clone();
    Ok(())
}
