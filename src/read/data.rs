//! Budgets from data, for systems that hold the figures elsewhere (the budget system's
//! database, a script): the canonical JSON that `convert` writes (`X.json`, everything), and the
//! long form of `facts.csv` (amounts and labels; no notes, annual goals or indicator lines —
//! those travel in the JSON).
//!
//! A facts file cannot tell a zero from a row left out: every fixed row of a two-sided table and
//! the 合计 row of a table with rows are taken as present, a table without any fact as empty
//! (with the edition's empty note).

use super::reading::{Reading, Scan};
use crate::base::amount::{self, AmountUnit};
use crate::base::error::{Location, Problem, ReadError};
use crate::base::text::compact;
use crate::edition::{ColumnKind, Edition, Layout, TableSpec};
use crate::model::{Budget, Row, RowKind, Table};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

/// Whether a path names a data file yusuan reads: `.json` or `.csv`.
pub fn is_data(path: &Path) -> bool {
    matches!(extension(path).as_deref(), Some("json" | "csv"))
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

fn data_error(location: &Location, line: Option<usize>, detail: impl Into<String>) -> ReadError {
    let location = match line {
        Some(l) => location.line(l),
        None => location.clone(),
    };
    ReadError::new(
        location,
        Problem::Data {
            detail: detail.into(),
        },
    )
}

/// The text of a data file: UTF-8, or for a CSV also GBK/GB18030 (what Excel saves as "CSV"
/// on Chinese Windows); bytes that are neither are an error naming the first line that is not
/// UTF-8.
fn text_of(path: &Path, location: &Location) -> Result<String, ReadError> {
    let bytes = super::guard::read_file(path, location, &super::guard::Limits::DEFAULT)?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let bytes = e.into_bytes();
            let line = 1 + bytes
                [..std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), |s| s.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            let csv = extension(path).as_deref() != Some("json");
            let gbk = csv
                .then(|| {
                    encoding_rs::GB18030
                        .decode_without_bom_handling_and_without_replacement(&bytes)
                        .map(std::borrow::Cow::into_owned)
                })
                .flatten();
            match gbk {
                Some(text) => text,
                None if csv => {
                    return Err(data_error(
                        location,
                        Some(line),
                        "既不是 UTF-8 也不是 GBK（GB18030）编码的文本",
                    ));
                }
                None => {
                    return Err(data_error(
                        location,
                        Some(line),
                        "不是 UTF-8 编码的文本（JSON 应为 UTF-8）",
                    ));
                }
            }
        }
    };
    Ok(text.trim_start_matches('\u{feff}').to_owned())
}

/// Reads a budget from a data file.
pub(super) fn read(edition: &Edition, path: &Path, display: &str) -> Result<Reading, ReadError> {
    let location = Location::file(display);
    let text = text_of(path, &location)?;
    let budget = match extension(path).as_deref() {
        Some("json") => from_json(edition, &text, &location)?,
        _ => from_facts(edition, &text, &location)?,
    };
    Ok(Reading {
        notices: super::lines::code_notice(&budget.code, location)
            .into_iter()
            .collect(),
        budget,
        positions: Default::default(),
        duplicates: Vec::new(),
    })
}

/// Whose budget a data file holds.
pub(super) fn scan(edition: &Edition, path: &Path, display: &str) -> Result<Scan, ReadError> {
    let reading = read(edition, path, display)?;
    Ok(Scan {
        code: Some(reading.budget.code),
        name: Some(reading.budget.name),
    })
}

/// The canonical JSON, checked against the edition and brought to its amount unit.
fn from_json(edition: &Edition, text: &str, location: &Location) -> Result<Budget, ReadError> {
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

/// Brings every amount to the edition's unit, exactly.
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
    for table in &budget.tables {
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
    let to = AmountUnit::parse(&edition.amount_unit).unwrap_or(from);
    if from != to {
        for row in budget.tables.iter_mut().flat_map(|t| &mut t.rows) {
            for v in row.amounts.values_mut() {
                *v = amount::convert(*v, from, to);
            }
        }
        budget.amount_unit = edition.amount_unit.clone();
    }
    Ok(())
}

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
fn from_facts(edition: &Edition, text: &str, location: &Location) -> Result<Budget, ReadError> {
    let facts = parse_facts(text, location)?;
    let unit = AmountUnit::parse(&edition.amount_unit).unwrap_or(AmountUnit::Yuan);
    for f in &facts {
        if edition.table(f.table).is_none() {
            return Err(data_error(
                location,
                Some(f.line),
                format!("表样中没有表{}", f.table),
            ));
        }
        if !amount::within_limit(f.amount, unit) {
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
                        rows.push(super::rows::item_row(&side.name, &ts.items[i]));
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
