//! `yusuan convert` end to end on the bundled sample: every output, its format, the round
//! trip, and that every label and amount of the published source survives.

use crate::common::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

const TITLES: [&str; 13] = [
    "单位收支总表",
    "单位收入总表",
    "单位支出总表",
    "财政拨款收支预算总表",
    "财政拨款支出预算表（部门经济分类科目）",
    "一般公共预算支出预算表",
    "一般公共预算基本支出预算表",
    "一般公共预算项目支出预算表",
    "一般公共预算“三公”经费支出预算表",
    "政府性基金预算支出预算表",
    "政府性基金预算“三公”经费支出预算表",
    "国有资本经营预算支出预算表",
    "单位预算项目支出绩效目标表",
];

fn converted() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    convert(&[&sample()], dir.path(), 0);
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn writes_every_output() {
    let dir = converted();
    let out = dir.path();
    assert!(out.join(format!("{SAMPLE_STEM}.xlsx")).is_file());
    assert!(out.join(format!("{SAMPLE_STEM}.json")).is_file());
    for (i, title) in TITLES.iter().enumerate() {
        let csv = out
            .join(SAMPLE_STEM)
            .join(format!("{:02}-{title}.csv", i + 1));
        assert!(
            read(&csv).starts_with('\u{feff}'),
            "{} has a BOM",
            csv.display()
        );
    }
    let facts = read(&out.join(SAMPLE_STEM).join("facts.csv"));
    assert!(facts.starts_with(
        "\u{feff}table,table_title,row,code,name,unit_code,column,amount,kind,unit_name,year\r\n"
    ));
    let sheets: Vec<String> = sheets(&out.join(format!("{SAMPLE_STEM}.xlsx")))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let mut want: Vec<String> = TITLES.iter().map(|t| t.to_string()).collect();
    want.push("占比分析".into());
    want.push("校验结果".into());
    assert_eq!(sheets, want);
}

/// The end of a fact line of the sample's own unit, for a detail row.
const UNIT: &str = ",detail,四川省人力资源和社会保障信息中心,2023";

#[test]
fn csv_layout_keeps_codes_as_text_and_amounts_plain() {
    let dir = converted();
    let t3 = read(&dir.path().join(SAMPLE_STEM).join("03-单位支出总表.csv"));
    let lines: Vec<&str> = t3.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "科目编码/类,科目编码/款,科目编码/项,单位代码,单位名称（科目）,合计,基本支出,项目支出"
    );
    assert_eq!(lines[1], ",,,,合计,1347.44,404.80,942.64");
    assert_eq!(lines[2], "205,08,03,313603,培训支出,16.75,16.75,");
    let t5 = read(
        &dir.path()
            .join(SAMPLE_STEM)
            .join("05-财政拨款支出预算表（部门经济分类科目）.csv"),
    );
    assert!(t5.contains("基本支出/人员经费,基本支出/公用经费"));
    let facts = read(&dir.path().join(SAMPLE_STEM).join("facts.csv"));
    assert!(
        facts.contains(&format!(
            "\r\n3,单位支出总表,3,2080108,信息化建设,313603,项目支出,596.70{UNIT}\r\n"
        )),
        "{facts}"
    );
    assert!(
        facts.contains(&format!(
            "\r\n1,单位收支总表,1,,一、一般公共预算拨款收入,313603,收入/预算数,1347.44{UNIT}\r\n"
        )),
        "unit code and name on every line, also for tables without a unit column"
    );
    assert!(
        facts.contains(
            "\r\n4,财政拨款收支预算总表,1,,一、本年支出,313603,支出/一般公共预算,1347.44,total,四川省人力资源和社会保障信息中心,2023\r\n"
        )
    );
    assert!(facts.contains(&format!(
        "\r\n7,一般公共预算基本支出预算表,5,3010201,国家出台津贴补贴,313603,基本支出/人员经费,2.17{UNIT}\r\n"
    )));
    assert!(!facts.contains("1,347.44"), "no thousands separators");
}

#[test]
fn round_trip_gives_the_same_json() {
    let first = converted();
    let second = tempfile::tempdir().unwrap();
    convert(
        &[&first.path().join(format!("{SAMPLE_STEM}.xlsx"))],
        second.path(),
        0,
    );
    let a = read(&first.path().join(format!("{SAMPLE_STEM}.json")));
    let b = read(&second.path().join(format!("{SAMPLE_STEM}.json")));
    assert_eq!(a, b);
    let model: yusuan::model::Budget = serde_json::from_str(&a).unwrap();
    assert_eq!(
        serde_json::to_string_pretty(&model).unwrap(),
        a,
        "the JSON deserializes without loss"
    );
}

#[test]
fn formats_select_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = yusuan([
        "convert".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        dir.path().as_os_str(),
        "--formats".as_ref(),
        "json".as_ref(),
    ]);
    assert!(out.status.success());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(names, vec![format!("{SAMPLE_STEM}.json")]);
    let bad = yusuan([
        "convert".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        dir.path().as_os_str(),
        "--formats".as_ref(),
        "pdf".as_ref(),
    ]);
    assert!(!bad.status.success());
}

#[test]
fn unreadable_input_exits_2_and_the_good_one_is_still_converted() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.xlsx");
    std::fs::write(&junk, b"this is not a workbook").unwrap();
    let outdir = dir.path().join("out");
    let before = std::fs::read(sample()).unwrap();
    let out = convert(&[&junk, &sample()], &outdir, 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("junk.xlsx") && stderr.contains("无法作为工作簿打开"),
        "{stderr}"
    );
    assert!(outdir.join(format!("{SAMPLE_STEM}.json")).is_file());
    assert_eq!(
        std::fs::read(sample()).unwrap(),
        before,
        "inputs are never modified"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&outdir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn the_blank_template_is_no_unit_budget() {
    let dir = tempfile::tempdir().unwrap();
    let out = convert(
        &[&root().join("templates/sichuan-2023-单位预算.xlsx")],
        dir.path(),
        2,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("找不到“单位：代码-名称”行"), "{stderr}");
}

#[test]
fn a_missing_table_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("no-table-5.xlsx");
    copy_sample(&input, |i| i != 4);
    let out = convert(&[&input], &dir.path().join("out"), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no-table-5.xlsx")
            && stderr.contains("缺少表5“财政拨款支出预算表（部门经济分类科目）”"),
        "{stderr}"
    );
}

#[test]
fn values_as_text_without_merges_read_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("as-text.xlsx");
    copy_sample(&input, |_| true);
    convert(&[&input], &dir.path().join("out"), 0);
    let clean = converted();
    let a = read(&clean.path().join(format!("{SAMPLE_STEM}.json")));
    let b = read(&dir.path().join("out/as-text.json"));
    assert_eq!(a, b);
}

/// Tables of the published source text: per table number, its tab-separated rows.
fn source_tables() -> BTreeMap<u8, Vec<Vec<String>>> {
    let headings: [(&str, u8); 11] = [
        ("单位收支总表", 1),
        ("单位支出总表", 3),
        ("财政拨款收支预算总表", 4),
        ("一般公共预算支出预算表", 6),
        ("一般公共预算基本支出预算表", 7),
        ("一般公共预算项目支出预算表", 8),
        ("一般公共预算“三公”经费支出预算表", 9),
        ("政府性基金支出预算表", 10),
        ("政府性基金预算“三公”经费支出预算表", 11),
        ("国有资本经营预算支出预算表", 12),
        ("单位预算项目支出绩效目标表（2023年度）", 13),
    ];
    let text = read(&root().join("samples/313603-source-2023.txt"));
    let body = &text[text.find("2023 年单位预算表\n").unwrap()..text.find("**第三部分**").unwrap()];
    let mut tables = BTreeMap::new();
    let mut current = None;
    for line in body.lines() {
        let bare = line.trim_start_matches('#').trim();
        if let Some((_, n)) = headings.iter().find(|(h, _)| *h == bare) {
            current = Some(*n);
            continue;
        }
        if let (Some(n), true) = (current, line.contains('\t')) {
            let cells = line
                .split('\t')
                .map(|c| c.replace("<b>", "").replace("</b>", "").trim().to_owned())
                .collect();
            tables.entry(n).or_insert_with(Vec::new).push(cells);
        }
    }
    assert_eq!(tables.len(), 11);
    tables
}

fn as_amount(text: &str) -> Option<Decimal> {
    let t = text.replace(',', "");
    (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .then(|| Decimal::from_str(&t).ok())
        .flatten()
}

#[test]
fn every_label_and_amount_of_the_source_appears() {
    let dir = converted();
    let book = sheets(&dir.path().join(format!("{SAMPLE_STEM}.xlsx")));
    let facts = read(&dir.path().join(SAMPLE_STEM).join("facts.csv"));
    let compact = |s: &str| s.split_whitespace().collect::<String>();
    let mut checked = 0;
    for (n, rows) in source_tables() {
        let (_, cells) = &book[usize::from(n) - 1];
        let texts: Vec<String> = cells.iter().flatten().map(|c| compact(c)).collect();
        let numbers: Vec<Decimal> = cells
            .iter()
            .flatten()
            .filter_map(|c| as_amount(c))
            .collect();
        let fact_amounts: Vec<Decimal> = facts
            .lines()
            .skip(1)
            .filter(|l| l.starts_with(&format!("{n},")))
            // amount, then kind, unit_name and year at the end.
            .filter_map(|l| l.rsplit(',').nth(3).and_then(|a| Decimal::from_str(a).ok()))
            .collect();
        for cell in rows.iter().flatten().filter(|c| !c.is_empty()) {
            checked += 1;
            // Amounts are published with two decimals; codes, weights and indicator values
            // are compared as text.
            match as_amount(cell).filter(|_| cell.contains('.')) {
                Some(v) => {
                    assert!(
                        numbers.contains(&v),
                        "table {n}: {cell} not in the workbook"
                    );
                    assert!(
                        fact_amounts.contains(&v),
                        "table {n}: {cell} not in facts.csv"
                    );
                }
                None => assert!(
                    texts.contains(&compact(cell)),
                    "table {n}: “{cell}” not in the workbook"
                ),
            }
        }
    }
    assert!(checked > 500, "checked {checked} cells");
}

#[test]
fn inputs_with_the_same_output_name_are_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    for d in ["a", "b"] {
        std::fs::create_dir(dir.path().join(d)).unwrap();
        std::fs::copy(sample(), dir.path().join(d).join("unit.xlsx")).unwrap();
    }
    let (a, b) = (
        dir.path().join("a/unit.xlsx"),
        dir.path().join("b/unit.xlsx"),
    );
    let out = convert(&[&a, &b], &dir.path().join("out"), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("b/unit.xlsx 与") && stderr.contains("a/unit.xlsx 的输出文件同名"),
        "{stderr}"
    );
    assert!(dir.path().join("out/unit.json").is_file());
}
