//! `yusuan edition draft TEMPLATE -o draft.toml`: a draft edition from a blank template
//! workbook. The drafts of the Sichuan blank template and of the real Shanghai template load as
//! editions and agree with the hand-written ones on the tables, their titles and sheets, their
//! columns (header paths and kinds) and their fixed rows — but for what a blank sheet cannot
//! show, listed here: Sichuan's 表7 column headed 单位代码 holds the economic code, and the
//! projects table (表13) holds texts and indicator lines a header does not tell from amounts.

use crate::common::*;
use std::path::Path;
use yusuan::edition::{Edition, Layout};

/// `yusuan [--edition EDITION] edition draft TEMPLATE -o OUT`, which must pass; the draft, loaded.
fn drafted(template: &Path, out: &Path) -> Edition {
    let run = yusuan([
        "edition".as_ref(),
        "draft".as_ref(),
        template.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    exits(&run, 0);
    Edition::load(out).unwrap_or_else(|e| panic!("the draft loads: {e}"))
}

/// What a draft and the hand-written edition disagree on, table by table.
fn differences(draft: &Edition, hand: &Edition, kinds_unknown: &[(u8, usize)]) -> Vec<String> {
    let mut out = Vec::new();
    if draft.tables.len() != hand.tables.len() {
        out.push(format!(
            "{} tables, not {}",
            draft.tables.len(),
            hand.tables.len()
        ));
    }
    let fold = |s: &str| s.split_whitespace().collect::<String>();
    for (d, h) in draft.tables.iter().zip(&hand.tables) {
        let n = h.number;
        if d.title != h.title {
            out.push(format!("表{n} title {:?} ≠ {:?}", d.title, h.title));
        }
        if d.sheet_name("单位").trim() != h.sheet_name("单位").trim() {
            out.push(format!(
                "表{n} sheet {:?} ≠ {:?}",
                d.sheet_name("单位"),
                h.sheet_name("单位")
            ));
        }
        let keys = |e: &yusuan::edition::TableSpec| -> Vec<String> {
            e.columns.iter().map(|c| fold(&c.key)).collect()
        };
        if keys(d) != keys(h) {
            out.push(format!("表{n} columns {:?} ≠ {:?}", keys(d), keys(h)));
        }
        for (c, (dc, hc)) in d.columns.iter().zip(&h.columns).enumerate() {
            if dc.kind != hc.kind && !kinds_unknown.contains(&(n, c)) {
                out.push(format!("表{n} column {c} {:?} ≠ {:?}", dc.kind, hc.kind));
            }
        }
        if let (Layout::TwoSided(dt), Layout::TwoSided(ht)) = (&d.layout, &h.layout) {
            let items = |t: &yusuan::edition::TwoSided| -> Vec<(usize, String)> {
                t.items
                    .iter()
                    .map(|i| (i.side, fold(yusuan_without_number(&i.label))))
                    .collect()
            };
            if items(dt) != items(ht) {
                out.push(format!("表{n} rows {:?} ≠ {:?}", items(dt), items(ht)));
            }
        } else if std::mem::discriminant(&d.layout) != std::mem::discriminant(&h.layout)
            && !kinds_unknown.contains(&(n, usize::MAX))
        {
            out.push(format!("表{n} layout differs"));
        }
    }
    out
}

/// A label without its number (`一、`, `1.`), as the tables compare them.
fn yusuan_without_number(label: &str) -> &str {
    let rest = label.trim_start();
    let n = rest
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    match rest[n..].chars().next() {
        Some(c @ ('、' | '.' | '．')) if n > 0 => &rest[n + c.len_utf8()..],
        _ => rest,
    }
}

#[test]
fn the_sichuan_blank_templates_draft_agrees_with_its_edition() {
    let dir = tempfile::tempdir().unwrap();
    let draft = drafted(
        &root().join("templates/sichuan-2023-单位预算.xlsx"),
        &dir.path().join("draft.toml"),
    );
    let hand = Edition::named("sichuan-2023").unwrap();
    // 表7's 单位代码 column holds the economic code; 表13 is a projects table (texts and lines).
    let mut unknown = vec![(7, 2), (13, usize::MAX)];
    unknown.extend((0..12).map(|c| (13, c)));
    let found = differences(&draft, &hand, &unknown);
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(draft.amount_unit, "万元");
}

#[test]
fn the_shanghai_templates_draft_agrees_with_its_edition() {
    let dir = tempfile::tempdir().unwrap();
    let draft = drafted(
        &root().join("samples/shanghai/上海市普陀区2026年单位预算表样.xlsx"),
        &dir.path().join("draft.toml"),
    );
    let hand = Edition::named("shanghai-2026").unwrap();
    let found = differences(&draft, &hand, &[]);
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!((draft.year, draft.amount_unit.as_str()), (2026, "元"));
    assert_eq!(draft.table(9).unwrap().amount_unit.as_deref(), Some("万元"));
    let texts = |e: &Edition| -> Vec<(String, bool)> {
        e.text_sheets
            .iter()
            .map(|t| (t.sheet.clone(), t.after_tables))
            .collect()
    };
    assert_eq!(texts(&draft), texts(&hand));
    // It reads a workbook filled in the edition's template as the hand-written edition does,
    // to the same figures (it knows no aliases: the sample's own labels are the edition's to
    // accept).
    let filled = dir.path().join("filled.xlsx");
    shanghai_filled_template(&filled);
    let by_draft = yusuan::read::read_input(&draft, &filled).unwrap().budget;
    let by_hand = yusuan::read::read_input(&hand, &filled).unwrap().budget;
    let figures = |b: &yusuan::model::Budget| -> Vec<Vec<(String, String)>> {
        b.tables
            .iter()
            .map(|t| {
                let mut f: Vec<(String, String)> = t
                    .rows
                    .iter()
                    .flat_map(|r| {
                        r.amounts
                            .iter()
                            .map(move |(k, v)| (format!("{}{k}", r.name), v.to_string()))
                    })
                    .collect();
                f.sort();
                f
            })
            .collect()
    };
    assert_eq!(figures(&by_draft), figures(&by_hand));
}

/// The draft is written only where yusuan may write: not over the template, not over a file
/// it did not write.
#[test]
fn a_draft_never_replaces_a_file_yusuan_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = dir.path().join("theirs.toml");
    std::fs::write(&theirs, "# a person's edition\n").unwrap();
    let run = yusuan([
        "edition".as_ref(),
        "draft".as_ref(),
        shanghai_sample().as_os_str(),
        "-o".as_ref(),
        theirs.as_os_str(),
    ]);
    assert_ne!(run.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&theirs).unwrap(),
        "# a person's edition\n"
    );
}

/// The department template's draft agrees with the department edition (one 预算数 column in
/// 部门财务收支预算总表, 部门预算经济分类科目编码, eight sheets of text).
#[test]
fn the_shanghai_department_templates_draft_agrees_with_its_edition() {
    let dir = tempfile::tempdir().unwrap();
    let draft = drafted(
        &root().join("samples/shanghai/上海市普陀区2026年部门预算表样.xlsx"),
        &dir.path().join("draft.toml"),
    );
    let hand = Edition::named("shanghai-2026-department").unwrap();
    let found: Vec<String> = differences(&draft, &hand, &[])
        .into_iter()
        // The draft names sheets for the unit word; the department's are its own.
        .filter(|d| !d.contains(" sheet "))
        .collect();
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(draft.text_sheets.len(), 8);
}
