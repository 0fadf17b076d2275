//! The long form of `facts.csv`: one amount or label per line, tables rebuilt from them.

use super::text::data_error;
use crate::base::amount;
use crate::base::error::{Location, ReadError};
use crate::base::text::compact;
use crate::edition::{ColumnKind, Edition, Layout, TableSpec};
use crate::model::{Budget, Row, RowKind, Table};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;

/// One line of `facts.csv`.
struct Fact {
    line: usize,
    table: u8,
    row: usize,
    code: Option<String>,
    name: String,
    unit_code: String,
    column: String,
    amount: Decimal,
    kind: Option<RowKind>,
    unit_name: String,
    year: Option<u16>,
}

/// A CSV record: the line it starts on, and its fields.
type Record = (usize, Vec<String>);

/// The fields of a CSV text, record by record, with the line each starts on (RFC 4180, read
/// by the `csv` crate). A record whose quotes do not pair up — an unclosed quote, which would
/// otherwise take in every line after it — is an error naming the line it starts on.
fn records(text: &str) -> Result<Vec<Record>, (usize, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let start = reader.position().clone();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(start.line(), csv::Position::line);
                return Err((usize::try_from(line).unwrap_or(usize::MAX), e.to_string()));
            }
        }
        let line = usize::try_from(start.line()).unwrap_or(usize::MAX);
        let end = usize::try_from(reader.position().byte()).unwrap_or(text.len());
        let from = usize::try_from(start.byte()).unwrap_or(end);
        let raw = text.as_bytes().get(from..end).unwrap_or_default();
        if memchr::memchr_iter(b'"', raw).count() % 2 == 1 {
            return Err((line, "引号未闭合（字段中的引号应写作两个引号）".to_owned()));
        }
        let fields: Vec<String> = record.iter().map(str::to_owned).collect();
        if !(fields.len() == 1 && fields[0].is_empty()) {
            out.push((line, fields));
        }
    }
    Ok(out)
}

/// A text field as written by `facts.csv` (a leading `'` guards every text against formulas).
fn unguard(field: &str) -> String {
    match field.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
        _ => field.to_owned(),
    }
}

fn parse_facts(text: &str, location: &Location) -> Result<Vec<Fact>, ReadError> {
    let mut records = records(text)
        .map_err(|(line, detail)| data_error(location, Some(line), detail))?
        .into_iter();
    let (_, header) = records
        .next()
        .ok_or_else(|| data_error(location, Some(1), "文件为空"))?;
    let col = |name: &str| header.iter().position(|h| h == name);
    let need = |name: &str| {
        col(name).ok_or_else(|| {
            data_error(
                location,
                Some(1),
                format!("缺少“{name}”列（应为 facts.csv 的格式）"),
            )
        })
    };
    let (c_table, c_row, c_code, c_name, c_unit, c_column, c_amount) = (
        need("table")?,
        need("row")?,
        need("code")?,
        need("name")?,
        need("unit_code")?,
        need("column")?,
        need("amount")?,
    );
    let (c_kind, c_unit_name, c_year) = (col("kind"), col("unit_name"), col("year"));
    let mut facts = Vec::new();
    for (line, fields) in records {
        let get = |c: usize| fields.get(c).map(String::as_str).unwrap_or("");
        let bad = |what: &str| data_error(location, Some(line), what.to_owned());
        if fields.len() < header.len() {
            return Err(bad(&format!(
                "只有 {} 个字段，应为 {} 个",
                fields.len(),
                header.len()
            )));
        }
        facts.push(Fact {
            line,
            table: get(c_table)
                .parse()
                .map_err(|_| bad(&format!("表号“{}”无效", get(c_table))))?,
            row: get(c_row)
                .parse()
                .map_err(|_| bad(&format!("行号“{}”无效", get(c_row))))?,
            code: Some(unguard(get(c_code))).filter(|c| !c.is_empty()),
            name: unguard(get(c_name)),
            unit_code: unguard(get(c_unit)),
            column: unguard(get(c_column)),
            amount: Decimal::from_str(get(c_amount))
                .map_err(|_| bad(&format!("金额“{}”不是数", get(c_amount))))?,
            kind: match c_kind.map(&get) {
                Some("total") => Some(RowKind::Total),
                Some("subtotal") => Some(RowKind::Subtotal),
                Some("detail") => Some(RowKind::Detail),
                None | Some("") => None,
                Some(other) => return Err(bad(&format!("行类型“{other}”无效"))),
            },
            unit_name: c_unit_name.map(|c| unguard(get(c))).unwrap_or_default(),
            year: match c_year.map(get) {
                None | Some("") => None,
                Some(y) => Some(y.parse().map_err(|_| bad(&format!("年度“{y}”无效")))?),
            },
        });
    }
    Ok(facts)
}

/// A budget from the lines of `facts.csv`.
pub(super) fn from_facts(
    edition: &Edition,
    text: &str,
    location: &Location,
) -> Result<Budget, ReadError> {
    let facts = parse_facts(text, location)?;
    for f in &facts {
        if edition.table(f.table).is_none() {
            return Err(data_error(
                location,
                Some(f.line),
                format!("表样中没有表{}", f.table),
            ));
        }
        if !amount::within_limit(f.amount, edition.unit_of(f.table)) {
            return Err(data_error(
                location,
                Some(f.line),
                format!(
                    "金额 {} 超出预算金额的范围（绝对值应小于 10^15 元）",
                    f.amount
                ),
            ));
        }
    }
    // The budget's own unit: the unit of the lines of tables without a unit column.
    let own = facts
        .iter()
        .find(|f| {
            edition
                .table(f.table)
                .is_some_and(|s| s.column_of(ColumnKind::Unit).is_none())
        })
        .or_else(|| facts.first())
        .ok_or_else(|| data_error(location, None, "没有任何金额"))?;
    let (code, name) = (own.unit_code.clone(), own.unit_name.clone());
    let department = facts.iter().any(|f| f.unit_code != code);
    let tables = edition
        .tables
        .iter()
        .map(|spec| {
            let lines: Vec<&Fact> = facts.iter().filter(|f| f.table == spec.number).collect();
            table_of(edition, spec, &lines, location)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let entity_word = if department {
        edition.department_word.clone()
    } else {
        edition.entity_word.clone()
    };
    let mut budget = Budget {
        edition: edition.name.clone(),
        year: own.year.unwrap_or(edition.year),
        entity_word: entity_word.clone(),
        code,
        name,
        amount_unit: edition.amount_unit.clone(),
        tables,
        // facts.csv holds figures only.
        texts: Vec::new(),
    };
    for t in &mut budget.tables {
        t.title = edition.tables[usize::from(t.number) - 1].entity_title(&entity_word);
    }
    Ok(budget)
}

/// One table from its facts, rows in their order.
fn table_of(
    edition: &Edition,
    spec: &TableSpec,
    facts: &[&Fact],
    location: &Location,
) -> Result<Table, ReadError> {
    let mut by_row: BTreeMap<usize, Vec<&Fact>> = BTreeMap::new();
    for f in facts {
        by_row.entry(f.row).or_default().push(f);
    }
    let mut rows = Vec::new();
    match &spec.layout {
        Layout::TwoSided(ts) => {
            // Every fixed item, in the edition's order per side; its amounts where facts give them.
            for (s, side) in ts.sides.iter().enumerate() {
                for places in &ts.rows {
                    if let Some(i) = places[s] {
                        rows.push(super::super::rows::item_row(&side.name, &ts.items[i]));
                    }
                }
            }
            for f in facts {
                let side = f.column.split('/').next().unwrap_or("");
                let row = rows
                    .iter_mut()
                    .find(|r| r.side.as_deref() == Some(side) && r.name == compact(&f.name))
                    .ok_or_else(|| {
                        data_error(
                            location,
                            Some(f.line),
                            format!("表{}没有“{}”方的项目“{}”", spec.number, side, f.name),
                        )
                    })?;
                row.amounts.insert(f.column.clone(), f.amount);
            }
        }
        Layout::Coded(_) | Layout::Projects => {
            let has_unit = spec.column_of(ColumnKind::Unit).is_some()
                || matches!(spec.layout, Layout::Projects);
            for lines in by_row.values() {
                let first = lines[0];
                let kind = first.kind.unwrap_or(RowKind::Detail);
                let mut row = Row::new(kind, first.name.clone());
                row.code = first.code.clone();
                // facts.csv names a unit on every line; the model only on the rows that name
                // one: all but the totals and the subtotal rows the template shows by name only.
                let hidden = match (&spec.layout, &first.code) {
                    (Layout::Coded(coded), Some(code)) => coded
                        .hidden_subtotals
                        .iter()
                        .any(|level| level.end() == code.len()),
                    _ => false,
                };
                let names_unit = match kind {
                    RowKind::Detail => true,
                    RowKind::Subtotal => !hidden,
                    RowKind::Total => false,
                };
                row.unit_code = (has_unit && names_unit).then(|| first.unit_code.clone());
                for f in lines {
                    if spec.find_column(&f.column).is_none() {
                        return Err(data_error(
                            location,
                            Some(f.line),
                            format!("表{}没有“{}”列", spec.number, f.column),
                        ));
                    }
                    row.amounts.insert(f.column.clone(), f.amount);
                }
                rows.push(row);
            }
            let has_total = rows.iter().any(|r| r.kind == RowKind::Total);
            if !rows.is_empty() && !has_total && matches!(spec.layout, Layout::Coded(_)) {
                rows.insert(0, Row::new(RowKind::Total, compact(&edition.total_label)));
            }
        }
    }
    let empty = rows.iter().all(|r| r.amounts.is_empty());
    Ok(Table {
        number: spec.number,
        title: spec.title.clone(),
        amount_unit: spec.amount_unit.clone(),
        rows: if empty && !matches!(spec.layout, Layout::TwoSided(_)) {
            Vec::new()
        } else {
            rows
        },
        notes: if empty && !matches!(spec.layout, Layout::TwoSided(_)) {
            vec![edition.empty_note.clone()]
        } else {
            Vec::new()
        },
    })
}
