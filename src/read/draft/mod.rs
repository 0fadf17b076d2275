//! A draft edition from a blank template workbook: each sheet with a title (…表) and an
//! amount-unit line is a table — its header grid from the merged cells, its columns' kinds
//! from their labels, its fixed rows from the labels below the header; every other sheet is a
//! sheet of text. What cannot be seen (rules, codes of a column that says 单位代码 but holds
//! 科目编码) is left for a person.

mod cells;
mod header;
mod rows;

use super::workbook::{Sheet, load_raw};
use crate::base::error::ReadError;
use crate::base::text::compact;
use crate::edition::{Draft, DraftTable, Edition};
use cells::{Known, texts};
use header::{grid, header_end, kind, paths};
use rows::{rows_of_sides, sums, total_at_bottom};
use std::collections::BTreeMap;
use std::path::Path;

/// The draft edition of the template workbook at `path`; `edition` (the one in use) tells a
/// side listing its functional classes, and a note line under a table.
///
/// # Errors
///
/// A [`ReadError`] when the workbook cannot be read.
pub fn draft_file(path: &Path, edition: &Edition) -> Result<Draft, ReadError> {
    let (sheets, _) = load_raw(path, &path.display().to_string())?;
    Ok(draft(&sheets, edition))
}

/// The draft of a workbook's sheets.
fn draft(sheets: &[Sheet], edition: &Edition) -> Draft {
    let known = Known {
        classes: edition
            .functional_classes
            .iter()
            .flat_map(|c| std::iter::once(&c.name).chain(&c.aliases))
            .map(|n| compact(n))
            .collect(),
        note_prefixes: &edition.note_prefixes,
    };
    let mut out = Draft::default();
    let mut units: BTreeMap<String, usize> = BTreeMap::new();
    for sheet in sheets {
        match table(sheet, &known) {
            Some((table, found)) => {
                if let Some(u) = &table.amount_unit {
                    *units.entry(u.clone()).or_default() += 1;
                }
                out.year = out.year.or(found.year);
                out.entity_label = out.entity_label.or(found.entity_label);
                out.one_row_preamble |= found.one_row;
                out.tables.push(table);
            }
            None => out
                .text_sheets
                .push((sheet.name.trim().to_owned(), !out.tables.is_empty())),
        }
    }
    out.amount_unit = units
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(unit, _)| unit);
    out
}

/// What a table's lines tell of the whole edition.
struct Found {
    year: Option<u16>,
    entity_label: Option<String>,
    one_row: bool,
}

/// The amount unit a line states (`单位：元`, `金额单位:万元`).
fn unit_in(text: &str) -> Option<String> {
    let folded = compact(text).replace(':', "：");
    let at = folded.rfind("单位：")?;
    let unit = &folded[at + "单位：".len()..];
    ["万元", "千元", "元"]
        .into_iter()
        .find(|u| unit == *u)
        .map(str::to_owned)
}

/// A sheet as a table: a title with 表 and an amount-unit line within the rows below it.
fn table(sheet: &Sheet, known: &Known<'_>) -> Option<(DraftTable, Found)> {
    let title_row = (0..sheet.cells.len().min(8)).find(|&r| !texts(sheet, r).is_empty())?;
    let title = texts(sheet, title_row).into_iter().next()?.1;
    if !title.contains('表') {
        return None;
    }
    // The lines between the title and the header: the entity and the amount unit.
    let mut found = Found {
        year: None,
        entity_label: None,
        one_row: false,
    };
    let mut amount_unit = None;
    let mut header_start = None;
    for r in title_row + 1..(title_row + 6).min(sheet.cells.len()) {
        let cells = texts(sheet, r);
        if cells.is_empty() {
            continue;
        }
        let unit = cells.iter().find_map(|(_, t)| unit_in(t));
        let entity = cells
            .iter()
            .filter(|(_, t)| unit_in(t).is_none())
            .find_map(|(_, t)| {
                let t = t.replace(':', "：");
                t.find('：').map(|i| compact(&t[..i]))
            });
        if unit.is_none() && entity.is_none() {
            header_start = Some(r);
            break;
        }
        found.one_row |= unit.is_some() && entity.is_some();
        amount_unit = amount_unit.or(unit);
        found.entity_label = found.entity_label.or(entity);
    }
    let (header_start, amount_unit) = (header_start?, amount_unit?);
    let header_end = header_end(sheet, header_start);
    let header = grid(sheet, header_start, header_end);
    let width = header.first().map_or(0, Vec::len);
    if width < 2 {
        return None;
    }
    let paths = paths(&header);
    let columns: Vec<String> = paths.iter().map(|p| kind(p)).collect();
    let (year, title) = year_prefix(&title);
    let (suffix_year, title, title_suffix) = year_suffix(title);
    found.year = year.or(suffix_year);
    let mut t = DraftTable {
        sheet: sheet.name.trim().to_owned(),
        title: title.to_owned(),
        year_prefix: year.is_some(),
        title_suffix,
        amount_unit: Some(amount_unit),
        header,
        layout: "coded".to_owned(),
        single_row: columns.iter().all(|k| k == "amount"),
        sums: sums(&paths, &columns),
        ..DraftTable::default()
    };
    let labels: Vec<usize> = (0..width).filter(|&c| columns[c] == "label").collect();
    if labels.len() >= 2 {
        t.layout = "two_sided".to_owned();
        rows_of_sides(sheet, header_end + 1, &labels, &paths, known, &mut t);
    } else {
        t.code = if columns.iter().any(|k| k == "code:项") {
            Some("functional".to_owned())
        } else if columns.iter().any(|k| k == "code:类") {
            Some("economic".to_owned())
        } else {
            None
        };
        t.total_at_bottom = total_at_bottom(sheet, header_end + 1);
    }
    t.columns = columns;
    Some((t, found))
}

/// The year leading a title, and the title without it: `2026年预算单位…` → (2026, `预算单位…`).
fn year_prefix(title: &str) -> (Option<u16>, &str) {
    let digits: String = title.chars().take(4).collect();
    match (
        digits.parse::<u16>(),
        title.get(4..).and_then(|t| t.strip_prefix('年')),
    ) {
        (Ok(year), Some(rest)) if digits.chars().all(|c| c.is_ascii_digit()) => {
            (Some(year), rest.trim())
        }
        _ => (None, title.trim()),
    }
}

/// A year closing a title in brackets, and the title without it, the bracket as a pattern:
/// `…绩效目标表（2023年度）` → (2023, `…绩效目标表`, `（{year}年度）`).
fn year_suffix(title: &str) -> (Option<u16>, &str, Option<String>) {
    let Some(open) = title.rfind(['（', '(']) else {
        return (None, title, None);
    };
    let bracket = &title[open..];
    let digits: String = bracket.chars().skip(1).take(4).collect();
    match digits.parse::<u16>() {
        Ok(year) if digits.chars().all(|c| c.is_ascii_digit()) && bracket.contains('年') => (
            Some(year),
            title[..open].trim_end(),
            Some(bracket.replacen(&digits, "{year}", 1)),
        ),
        _ => (None, title, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_their_year_and_units_are_read_from_their_line() {
        assert_eq!(
            year_prefix("2026年预算单位财务收支预算总表"),
            (Some(2026), "预算单位财务收支预算总表")
        );
        assert_eq!(year_prefix("单位收支总表"), (None, "单位收支总表"));
        assert_eq!(
            year_suffix("单位预算项目支出绩效目标表（2023年度）"),
            (
                Some(2023),
                "单位预算项目支出绩效目标表",
                Some("（{year}年度）".to_owned())
            )
        );
        assert_eq!(
            year_suffix("财政拨款支出预算表（部门经济分类科目）").2,
            None
        );
        assert_eq!(unit_in("单位:万元").as_deref(), Some("万元"));
        assert_eq!(unit_in("金额单位：元").as_deref(), Some("元"));
        assert_eq!(unit_in("编制单位：某院"), None);
    }

    #[test]
    fn a_total_adds_its_siblings_and_a_groups_own_subtotal() {
        let p = |s: &str| s.split('/').map(str::to_owned).collect::<Vec<_>>();
        let paths = vec![
            p("三公/合计"),
            p("三公/出国"),
            p("三公/公务用车/小计"),
            p("三公/公务用车/购置费"),
            p("三公/公务用车/运行费"),
            p("机关运行经费"),
        ];
        let columns = vec!["amount".to_owned(); 6];
        assert_eq!(
            sums(&paths, &columns),
            [
                (
                    "合计".to_owned(),
                    vec!["出国".to_owned(), "小计".to_owned()]
                ),
                (
                    "小计".to_owned(),
                    vec!["购置费".to_owned(), "运行费".to_owned()]
                ),
            ]
        );
    }
}
