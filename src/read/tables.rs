//! Finding the tables in a workbook by their title text, wherever they stand.

use super::workbook::{Sheet, Value};
use crate::base::text::fold;
use crate::edition::{Edition, TableSpec};

/// A table title found in a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Official number of the table.
    pub number: u8,
    /// Index of the sheet.
    pub sheet: usize,
    /// Row of the title.
    pub title_row: usize,
    /// Column of the title.
    pub title_col: usize,
    /// The title as written (empty for a table found by its header alone).
    pub title: String,
    /// First row where the header may start.
    pub header_from: usize,
    /// First row where the 单位 and 金额单位 lines may stand.
    pub lines_from: usize,
    /// First row after the table's region (the next title, or the sheet's end).
    pub end_row: usize,
}

/// Extra characters a title cell may carry around the title (`表1`, `2023年`, `（续表）`).
const TITLE_SLACK: usize = 16;

/// The accepted folded forms of a table's title: the official title and its aliases, with the
/// edition's entity word or its department word, and with each of the edition's title variants
/// (`…支出预算表` also as `…支出表`).
pub fn title_forms(edition: &Edition, spec: &TableSpec) -> Vec<String> {
    let mut forms = Vec::new();
    for base in std::iter::once(&spec.title).chain(&spec.aliases) {
        let department = base.replacen(&edition.entity_word, &edition.department_word, 1);
        for entity in [base.clone(), department] {
            let variants = edition
                .title_variants
                .iter()
                .map(|(official, written)| entity.replace(official.as_str(), written));
            for f in std::iter::once(entity.clone()).chain(variants) {
                let f = fold(&f);
                if !forms.contains(&f) {
                    forms.push(f);
                }
            }
        }
    }
    forms
}

/// The table whose title a cell's text is, if any (the longest matching form wins, so that
/// `政府性基金预算“三公”经费支出预算表` is not taken for a shorter title).
pub fn match_title(edition: &Edition, forms: &[Vec<String>], text: &str) -> Option<u8> {
    let folded = fold(text);
    if folded.contains(':') || folded.is_empty() {
        return None;
    }
    let len = folded.chars().count();
    edition
        .tables
        .iter()
        .zip(forms)
        .filter_map(|(spec, forms)| {
            forms
                .iter()
                .filter(|f| folded.contains(f.as_str()) && len <= f.chars().count() + TITLE_SLACK)
                .map(|f| f.chars().count())
                .max()
                .map(|n| (n, spec.number))
        })
        .max()
        .map(|(_, number)| number)
}

/// Every table title in the sheets, in sheet order.
pub fn find_tables(edition: &Edition, sheets: &[Sheet]) -> Vec<Found> {
    let forms: Vec<Vec<String>> = edition
        .tables
        .iter()
        .map(|t| title_forms(edition, t))
        .collect();
    let mut found = Vec::new();
    for (s, sheet) in sheets.iter().enumerate() {
        let start = found.len();
        for (r, row) in sheet.cells.iter().enumerate() {
            // The first text cell of a row is the only candidate for a title.
            let Some((c, text)) = row.iter().enumerate().find_map(|(c, v)| match v {
                Value::Text(t) if !t.trim().is_empty() => Some((c, t)),
                _ => None,
            }) else {
                continue;
            };
            if let Some(number) = match_title(edition, &forms, text) {
                found.push(Found {
                    number,
                    sheet: s,
                    title_row: r,
                    title_col: c,
                    title: text.trim().to_owned(),
                    header_from: r + 1,
                    lines_from: r + 1,
                    end_row: sheet.height(),
                });
            }
        }
        for i in start..found.len() {
            if let Some(next) = found.get(i + 1) {
                found[i].end_row = next.title_row;
            }
        }
    }
    locate_untitled(edition, sheets, &mut found);
    found
}

/// Adds the tables whose title row is missing but whose header is unmistakable: a row outside
/// every titled table holding the whole first header row of exactly one table not yet found.
fn locate_untitled(edition: &Edition, sheets: &[Sheet], found: &mut Vec<Found>) {
    let missing: Vec<&TableSpec> = edition
        .tables
        .iter()
        .filter(|t| found.iter().all(|f| f.number != t.number))
        .collect();
    if missing.is_empty() {
        return;
    }
    let anchors: Vec<Vec<String>> = missing.iter().map(|t| super::header::anchors(t)).collect();
    let mut extra = Vec::new();
    for (s, sheet) in sheets.iter().enumerate() {
        let regions: Vec<(usize, usize)> = found
            .iter()
            .filter(|f| f.sheet == s)
            .map(|f| (f.title_row, f.end_row))
            .collect();
        let inside = |r: usize| regions.iter().any(|&(a, b)| (a..b).contains(&r));
        for r in (0..sheet.height()).filter(|&r| !inside(r)) {
            let matching: Vec<&&TableSpec> = missing
                .iter()
                .zip(&anchors)
                .filter(|(_, a)| super::header::anchor_score(a, sheet, r) == a.len())
                .map(|(t, _)| t)
                .collect();
            if let [spec] = matching.as_slice() {
                if extra.iter().any(|f: &Found| f.number == spec.number) {
                    continue;
                }
                let before = regions
                    .iter()
                    .map(|&(_, end)| end)
                    .filter(|&end| end <= r)
                    .max()
                    .unwrap_or(0);
                let after = regions
                    .iter()
                    .map(|&(start, _)| start)
                    .filter(|&start| start > r)
                    .min()
                    .unwrap_or(sheet.height());
                extra.push(Found {
                    number: spec.number,
                    sheet: s,
                    title_row: r,
                    title_col: 0,
                    title: String::new(),
                    header_from: r,
                    lines_from: before,
                    end_row: after,
                });
            }
        }
    }
    found.extend(extra);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Option<u8> {
        let e = Edition::builtin();
        let forms: Vec<Vec<String>> = e.tables.iter().map(|t| title_forms(&e, t)).collect();
        match_title(&e, &forms, text)
    }

    #[test]
    fn titles_and_variants() {
        assert_eq!(number("单位收支总表"), Some(1));
        assert_eq!(number("表1 2023年部门收支总表"), Some(1));
        assert_eq!(number("单位支出总表（续表）"), Some(3));
        assert_eq!(number("政府性基金支出预算表"), Some(10));
        assert_eq!(number("政府性基金支出表"), Some(10));
        assert_eq!(number("政府性基金预算支出表"), Some(10));
        assert_eq!(number("一般公共预算\"三公\"经费支出预算表"), Some(9));
        assert_eq!(number("政府性基金预算「三公」经费支出预算表"), Some(11));
        assert_eq!(number("单位预算项目支出绩效目标表（2023年度）"), Some(13));
        assert_eq!(
            number("单位：313603-四川省人力资源和社会保障信息中心"),
            None
        );
        assert_eq!(
            number("单位支出总表是本单位的重要表格之一，用于反映所有支出情况的明细"),
            None
        );
    }
}
