//! A template table's rows: its row totals from the header, where its 合计 row stands, and a
//! two-sided table's fixed rows.

use super::cells::{Known, texts};
use crate::base::text::{compact, without_number};
use crate::edition::{CLASSES, DraftTable};
use crate::read::workbook::Sheet;

/// The row totals: each 合计 or 小计 column adds the amount columns beside it under the same
/// heading — a group's own 合计/小计 where it has one, else the group's columns.
pub(super) fn sums(paths: &[Vec<String>], columns: &[String]) -> Vec<(String, Vec<String>)> {
    let amount = |c: usize| columns[c] == "amount";
    let name = |c: usize| -> String {
        let leaf = paths[c].last().cloned().unwrap_or_default();
        let unique = paths.iter().filter(|p| p.last() == Some(&leaf)).count() == 1;
        if unique { leaf } else { paths[c].join("/") }
    };
    let is_total = |c: usize| matches!(paths[c].last().map(String::as_str), Some("合计" | "小计"));
    let mut out = Vec::new();
    for total in (0..paths.len()).filter(|&c| amount(c) && is_total(c)) {
        let parent = &paths[total][..paths[total].len() - 1];
        let mut parts: Vec<String> = Vec::new();
        let mut groups: Vec<&String> = Vec::new();
        for c in (0..paths.len()).filter(|&c| c != total && amount(c)) {
            let p = &paths[c];
            if p.len() <= parent.len() || p[..parent.len()] != *parent {
                continue;
            }
            if p.len() == parent.len() + 1 {
                parts.push(name(c));
                continue;
            }
            // A column in a group under the same heading: the group's total, or each column.
            let group = &p[parent.len()];
            if groups.contains(&group) {
                continue;
            }
            let members: Vec<usize> = (0..paths.len())
                .filter(|&k| amount(k) && paths[k].len() > parent.len())
                .filter(|&k| {
                    paths[k][..parent.len()] == *parent && &paths[k][parent.len()] == group
                })
                .collect();
            match members
                .iter()
                .find(|&&k| is_total(k) && paths[k].len() == parent.len() + 2)
            {
                Some(&k) => parts.push(name(k)),
                None => parts.extend(members.iter().map(|&k| name(k))),
            }
            groups.push(group);
        }
        if !parts.is_empty() {
            out.push((name(total), parts));
        }
    }
    out
}

/// Whether the 合计 row comes after other rows (Shanghai) rather than right below the header.
pub(super) fn total_at_bottom(sheet: &Sheet, first: usize) -> bool {
    let total = (first..sheet.cells.len()).find(|&r| {
        texts(sheet, r)
            .iter()
            .any(|(_, t)| matches!(compact(t).as_str(), "合计" | "总计"))
    });
    total.is_some_and(|r| r > first && (first..r).any(|k| !texts(sheet, k).is_empty()))
}

/// A two-sided table's fixed rows: each side's labels down to the first total (合计, 总计), and
/// from there the footer rows; a side's run of functional classes (or of numbers left for
/// them) is the class list.
pub(super) fn rows_of_sides(
    sheet: &Sheet,
    first: usize,
    labels: &[usize],
    paths: &[Vec<String>],
    known: &Known<'_>,
    t: &mut DraftTable,
) {
    let label_at = |r: usize, c: usize| sheet.get(r, c).text();
    let is_total = |text: &str| {
        let folded = compact(text);
        folded.contains("合计") || folded.contains("总计")
    };
    let footer = (first..sheet.cells.len())
        .find(|&r| labels.iter().any(|&c| is_total(&label_at(r, c))))
        .unwrap_or(sheet.cells.len());
    for &c in labels {
        let side = paths[c].first().cloned().unwrap_or_default();
        let mut items: Vec<String> = Vec::new();
        for r in first..footer {
            let label = label_at(r, c);
            let folded = compact(&label);
            let bare = without_number(&folded);
            if label.is_empty() {
                continue;
            }
            if bare.is_empty()
                || bare.chars().all(|ch| ch == '…')
                || known.classes.iter().any(|n| n == bare)
            {
                if items.last().map(String::as_str) != Some(CLASSES) {
                    items.push(CLASSES.to_owned());
                }
                continue;
            }
            items.push(label);
        }
        t.sides.push((side, items));
    }
    for r in footer..sheet.cells.len() {
        let row: Vec<String> = labels.iter().map(|&c| label_at(r, c)).collect();
        let note = row.iter().any(|l| {
            known
                .note_prefixes
                .iter()
                .any(|p| l.starts_with(p.as_str()))
        });
        if row.iter().any(|l| !l.is_empty()) && !note {
            t.footers.push(row);
        }
    }
}
