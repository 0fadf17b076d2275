//! The Shanghai 2026 edition (`--edition shanghai-2026`) on the real Shanghai template filled
//! with a published budget (上海市普陀区社会福利院 2024, `samples/shanghai/make_sample.py`): it
//! reads to every published figure with no error and no warning, and the official workbook
//! is laid out as Shanghai publishes — short sheet names, the year before the title, 编制单位
//! and 单位 on one row, the unit's classes only numbered in sequence, 合计 at the bottom,
//! whole 元, the “三公” table in 万元, the 空表 sentences.

use crate::common::*;
use std::path::Path;

/// `yusuan --edition shanghai-2026 ARGS…`.
fn shanghai(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let mut all: Vec<&std::ffi::OsStr> = vec!["--edition".as_ref(), "shanghai-2026".as_ref()];
    all.extend(args);
    yusuan(&all)
}

/// The sample converted into `out` (xlsx and json), which must pass.
fn converted(out: &Path) -> serde_json::Value {
    let run = shanghai(&[
        "convert".as_ref(),
        shanghai_sample().as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--formats".as_ref(),
        "xlsx,json".as_ref(),
    ]);
    exits(&run, 0);
    let json = out.join("上海市普陀区社会福利院-2024.json");
    serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap()
}

/// A figure of the model: table, the row (a code, an item id, or "合计"), column key.
fn figure(budget: &serde_json::Value, table: u64, row: &str, column: &str) -> Option<String> {
    let t = budget["tables"]
        .as_array()?
        .iter()
        .find(|t| t["number"] == table)?;
    let r = t["rows"].as_array()?.iter().find(|r| {
        r["code"] == row || r["item"] == row || (row == "合计" && r["kind"] == "total")
    })?;
    r["amounts"][column].as_str().map(str::to_owned)
}

/// Every figure of the published tables (元; table 9 in 万元), as printed: tables 2, 3, 5 and 8
/// row by row as `pdftotext -layout` gives them (a row's figures in its columns from the left),
/// tables 1, 4 and 9 item by item.
const PUBLISHED: &[(u64, &str, &str, &str)] = &[
    (1, "财政拨款收入", "本年收入/预算数", "9,501,164"),
    (1, "一般公共预算", "本年收入/预算数", "9,501,164"),
    (1, "事业收入", "本年收入/预算数", "2,620,000"),
    (1, "收入总计", "本年收入/预算数", "12,121,164"),
    (1, "class:208", "本年支出/预算数/合计", "11,281,624"),
    (1, "class:208", "本年支出/预算数/项目支出", "2,620,000"),
    (1, "class:210", "本年支出/预算数/合计", "503,724"),
    (1, "class:221", "本年支出/预算数/合计", "335,816"),
    (1, "支出总计", "本年支出/预算数/合计", "12,121,164"),
    (1, "支出总计", "本年支出/预算数/项目支出", "2,620,000"),
    (2, "208", "收入预算/合计", "11,281,624"),
    (2, "208", "收入预算/财政拨款收入", "8,661,624"),
    (2, "208", "收入预算/事业收入", "2,620,000"),
    (2, "20805", "收入预算/合计", "1,696,828"),
    (2, "20805", "收入预算/财政拨款收入", "1,696,828"),
    (2, "2080502", "收入预算/合计", "538,440"),
    (2, "2080502", "收入预算/财政拨款收入", "538,440"),
    (2, "2080505", "收入预算/合计", "767,579"),
    (2, "2080505", "收入预算/财政拨款收入", "767,579"),
    (2, "2080506", "收入预算/合计", "383,789"),
    (2, "2080506", "收入预算/财政拨款收入", "383,789"),
    (2, "2080599", "收入预算/合计", "7,020"),
    (2, "2080599", "收入预算/财政拨款收入", "7,020"),
    (2, "20810", "收入预算/合计", "9,584,796"),
    (2, "20810", "收入预算/财政拨款收入", "6,964,796"),
    (2, "20810", "收入预算/事业收入", "2,620,000"),
    (2, "2081005", "收入预算/合计", "9,584,796"),
    (2, "2081005", "收入预算/财政拨款收入", "6,964,796"),
    (2, "2081005", "收入预算/事业收入", "2,620,000"),
    (2, "210", "收入预算/合计", "503,724"),
    (2, "210", "收入预算/财政拨款收入", "503,724"),
    (2, "21011", "收入预算/合计", "503,724"),
    (2, "21011", "收入预算/财政拨款收入", "503,724"),
    (2, "2101102", "收入预算/合计", "503,724"),
    (2, "2101102", "收入预算/财政拨款收入", "503,724"),
    (2, "221", "收入预算/合计", "335,816"),
    (2, "221", "收入预算/财政拨款收入", "335,816"),
    (2, "22102", "收入预算/合计", "335,816"),
    (2, "22102", "收入预算/财政拨款收入", "335,816"),
    (2, "2210201", "收入预算/合计", "335,816"),
    (2, "2210201", "收入预算/财政拨款收入", "335,816"),
    (2, "合计", "收入预算/合计", "12,121,164"),
    (2, "合计", "收入预算/财政拨款收入", "9,501,164"),
    (2, "合计", "收入预算/事业收入", "2,620,000"),
    (3, "208", "支出预算/合计", "11,281,624"),
    (3, "208", "支出预算/基本支出", "8,661,624"),
    (3, "208", "支出预算/项目支出", "2,620,000"),
    (3, "20805", "支出预算/合计", "1,696,828"),
    (3, "20805", "支出预算/基本支出", "1,696,828"),
    (3, "2080502", "支出预算/合计", "538,440"),
    (3, "2080502", "支出预算/基本支出", "538,440"),
    (3, "2080505", "支出预算/合计", "767,579"),
    (3, "2080505", "支出预算/基本支出", "767,579"),
    (3, "2080506", "支出预算/合计", "383,789"),
    (3, "2080506", "支出预算/基本支出", "383,789"),
    (3, "2080599", "支出预算/合计", "7,020"),
    (3, "2080599", "支出预算/基本支出", "7,020"),
    (3, "20810", "支出预算/合计", "9,584,796"),
    (3, "20810", "支出预算/基本支出", "6,964,796"),
    (3, "20810", "支出预算/项目支出", "2,620,000"),
    (3, "2081005", "支出预算/合计", "9,584,796"),
    (3, "2081005", "支出预算/基本支出", "6,964,796"),
    (3, "2081005", "支出预算/项目支出", "2,620,000"),
    (3, "210", "支出预算/合计", "503,724"),
    (3, "210", "支出预算/基本支出", "503,724"),
    (3, "21011", "支出预算/合计", "503,724"),
    (3, "21011", "支出预算/基本支出", "503,724"),
    (3, "2101102", "支出预算/合计", "503,724"),
    (3, "2101102", "支出预算/基本支出", "503,724"),
    (3, "221", "支出预算/合计", "335,816"),
    (3, "221", "支出预算/基本支出", "335,816"),
    (3, "22102", "支出预算/合计", "335,816"),
    (3, "22102", "支出预算/基本支出", "335,816"),
    (3, "2210201", "支出预算/合计", "335,816"),
    (3, "2210201", "支出预算/基本支出", "335,816"),
    (3, "合计", "支出预算/合计", "12,121,164"),
    (3, "合计", "支出预算/基本支出", "9,501,164"),
    (3, "合计", "支出预算/项目支出", "2,620,000"),
    (4, "一般公共预算", "财政拨款收入/预算数", "9,501,164"),
    (4, "收入总计", "财政拨款收入/预算数", "9,501,164"),
    (4, "class:208", "财政拨款支出/合计", "8,661,624"),
    (4, "class:208", "财政拨款支出/一般公共预算", "8,661,624"),
    (4, "class:210", "财政拨款支出/一般公共预算", "503,724"),
    (4, "class:221", "财政拨款支出/一般公共预算", "335,816"),
    (4, "支出总计", "财政拨款支出/合计", "9,501,164"),
    (4, "支出总计", "财政拨款支出/一般公共预算", "9,501,164"),
    (5, "208", "一般公共预算支出/合计", "8,661,624"),
    (5, "208", "一般公共预算支出/基本支出", "8,661,624"),
    (5, "20805", "一般公共预算支出/合计", "1,696,828"),
    (5, "20805", "一般公共预算支出/基本支出", "1,696,828"),
    (5, "2080502", "一般公共预算支出/合计", "538,440"),
    (5, "2080502", "一般公共预算支出/基本支出", "538,440"),
    (5, "2080505", "一般公共预算支出/合计", "767,579"),
    (5, "2080505", "一般公共预算支出/基本支出", "767,579"),
    (5, "2080506", "一般公共预算支出/合计", "383,789"),
    (5, "2080506", "一般公共预算支出/基本支出", "383,789"),
    (5, "2080599", "一般公共预算支出/合计", "7,020"),
    (5, "2080599", "一般公共预算支出/基本支出", "7,020"),
    (5, "20810", "一般公共预算支出/合计", "6,964,796"),
    (5, "20810", "一般公共预算支出/基本支出", "6,964,796"),
    (5, "2081005", "一般公共预算支出/合计", "6,964,796"),
    (5, "2081005", "一般公共预算支出/基本支出", "6,964,796"),
    (5, "210", "一般公共预算支出/合计", "503,724"),
    (5, "210", "一般公共预算支出/基本支出", "503,724"),
    (5, "21011", "一般公共预算支出/合计", "503,724"),
    (5, "21011", "一般公共预算支出/基本支出", "503,724"),
    (5, "2101102", "一般公共预算支出/合计", "503,724"),
    (5, "2101102", "一般公共预算支出/基本支出", "503,724"),
    (5, "221", "一般公共预算支出/合计", "335,816"),
    (5, "221", "一般公共预算支出/基本支出", "335,816"),
    (5, "22102", "一般公共预算支出/合计", "335,816"),
    (5, "22102", "一般公共预算支出/基本支出", "335,816"),
    (5, "2210201", "一般公共预算支出/合计", "335,816"),
    (5, "2210201", "一般公共预算支出/基本支出", "335,816"),
    (5, "合计", "一般公共预算支出/合计", "9,501,164"),
    (5, "合计", "一般公共预算支出/基本支出", "9,501,164"),
    (8, "301", "一般公共预算基本支出/合计", "6,958,414"),
    (8, "301", "一般公共预算基本支出/人员经费", "6,958,414"),
    (8, "30101", "一般公共预算基本支出/合计", "758,448"),
    (8, "30101", "一般公共预算基本支出/人员经费", "758,448"),
    (8, "30102", "一般公共预算基本支出/合计", "225,600"),
    (8, "30102", "一般公共预算基本支出/人员经费", "225,600"),
    (8, "30107", "一般公共预算基本支出/合计", "3,580,522"),
    (8, "30107", "一般公共预算基本支出/人员经费", "3,580,522"),
    (8, "30108", "一般公共预算基本支出/合计", "767,579"),
    (8, "30108", "一般公共预算基本支出/人员经费", "767,579"),
    (8, "30109", "一般公共预算基本支出/合计", "383,789"),
    (8, "30109", "一般公共预算基本支出/人员经费", "383,789"),
    (8, "30110", "一般公共预算基本支出/合计", "503,724"),
    (8, "30110", "一般公共预算基本支出/人员经费", "503,724"),
    (8, "30112", "一般公共预算基本支出/合计", "47,972"),
    (8, "30112", "一般公共预算基本支出/人员经费", "47,972"),
    (8, "30113", "一般公共预算基本支出/合计", "335,816"),
    (8, "30113", "一般公共预算基本支出/人员经费", "335,816"),
    (8, "30199", "一般公共预算基本支出/合计", "354,964"),
    (8, "30199", "一般公共预算基本支出/人员经费", "354,964"),
    (8, "302", "一般公共预算基本支出/合计", "2,120,950"),
    (8, "302", "一般公共预算基本支出/公用经费", "2,120,950"),
    (8, "30201", "一般公共预算基本支出/合计", "69,000"),
    (8, "30201", "一般公共预算基本支出/公用经费", "69,000"),
    (8, "30202", "一般公共预算基本支出/合计", "20,000"),
    (8, "30202", "一般公共预算基本支出/公用经费", "20,000"),
    (8, "30203", "一般公共预算基本支出/合计", "60,000"),
    (8, "30203", "一般公共预算基本支出/公用经费", "60,000"),
    (8, "30204", "一般公共预算基本支出/合计", "320,000"),
    (8, "30204", "一般公共预算基本支出/公用经费", "320,000"),
    (8, "30205", "一般公共预算基本支出/合计", "15,000"),
    (8, "30205", "一般公共预算基本支出/公用经费", "15,000"),
    (8, "30206", "一般公共预算基本支出/合计", "8,000"),
    (8, "30206", "一般公共预算基本支出/公用经费", "8,000"),
    (8, "30207", "一般公共预算基本支出/合计", "88,890"),
    (8, "30207", "一般公共预算基本支出/公用经费", "88,890"),
    (8, "30208", "一般公共预算基本支出/合计", "86,400"),
    (8, "30208", "一般公共预算基本支出/公用经费", "86,400"),
    (8, "30209", "一般公共预算基本支出/合计", "1,206,000"),
    (8, "30209", "一般公共预算基本支出/公用经费", "1,206,000"),
    (8, "30210", "一般公共预算基本支出/合计", "64,000"),
    (8, "30210", "一般公共预算基本支出/公用经费", "64,000"),
    (8, "30211", "一般公共预算基本支出/合计", "116,640"),
    (8, "30211", "一般公共预算基本支出/公用经费", "116,640"),
    (8, "30212", "一般公共预算基本支出/合计", "7,020"),
    (8, "30212", "一般公共预算基本支出/公用经费", "7,020"),
    (8, "30213", "一般公共预算基本支出/合计", "60,000"),
    (8, "30213", "一般公共预算基本支出/公用经费", "60,000"),
    (8, "303", "一般公共预算基本支出/合计", "421,800"),
    (8, "303", "一般公共预算基本支出/人员经费", "421,800"),
    (8, "30301", "一般公共预算基本支出/合计", "421,800"),
    (8, "30301", "一般公共预算基本支出/人员经费", "421,800"),
    (8, "合计", "一般公共预算基本支出/合计", "9,501,164"),
    (8, "合计", "一般公共预算基本支出/人员经费", "7,380,214"),
    (8, "合计", "一般公共预算基本支出/公用经费", "2,120,950"),
    (9, "合计", "“三公”经费预算数/合计", "6.4"),
];

#[test]
fn the_filled_shanghai_template_reads_to_every_published_figure_with_no_finding() {
    let dir = tempfile::tempdir().unwrap();
    let budget = converted(&dir.path().join("out"));
    assert_eq!(budget["name"], "上海市普陀区社会福利院");
    assert_eq!(budget["code"], "");
    assert_eq!(budget["year"], 2024);
    assert_eq!(budget["amount_unit"], "元");
    assert_eq!(budget["tables"][8]["amount_unit"], "万元");
    let mut wrong = Vec::new();
    for &(table, row, column, printed) in PUBLISHED {
        // A class of a two-sided table is the item of that class.
        let row = row
            .strip_prefix("class:")
            .map_or(row.to_owned(), |c| format!("class:{c}"));
        let mut got = figure(&budget, table, &row, column);
        if got.is_none() && row.starts_with("class:") {
            got = budget["tables"][table as usize - 1]["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["item"].as_str().is_some_and(|i| i.ends_with(&row[6..])))
                .and_then(|r| r["amounts"][column].as_str().map(str::to_owned));
        }
        let want: rust_decimal::Decimal = printed.replace(',', "").parse().unwrap();
        let got_value = got
            .as_deref()
            .and_then(|g| g.parse::<rust_decimal::Decimal>().ok());
        if got_value != Some(want) {
            wrong.push(format!(
                "表{table} {row} {column}: {got:?}, published {printed}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Tables 6 and 7 are empty, each with its published sentence.
    for (n, what) in [(6, "政府性基金预算"), (7, "国有资本经营预算")] {
        let notes = &budget["tables"][n - 1]["notes"];
        assert_eq!(
            notes[0].as_str().unwrap(),
            format!("注:本单位2024年无{what}财政拨款安排的预算，故本表为空表。")
        );
    }
    // `check`: the tables have no error and no warning. The 编制说明 (checked as a 情况说明)
    // has one figure its own tables contradict, as published: “社会福利事业单位” 738.66 万元,
    // where 表5 has 6,964,796 元 (696.48 万元).
    let run = shanghai(&[
        "check".as_ref(),
        shanghai_sample().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let file = &report["files"][0];
    assert_eq!(file["unit_code"], serde_json::Value::Null);
    let findings = file["findings"].as_array().unwrap();
    let said: Vec<(&str, &str, &str)> = findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["expected"].as_str().unwrap_or(""),
                f["actual"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(said, [("N1", "6964796.00", "7386600.00")], "{findings:?}");
    // 21 figures agree, 医疗卫生与计划生育支出（类）… read as 卫生健康支出 (the class alias).
    assert_eq!(file["narrative"]["verified"], 21, "{}", file["narrative"]);
}

/// The 编制说明 and 其他相关情况说明 sheets are read as text, written back as sheets of the
/// official workbook in the edition's order, and checked against the tables: a figure planted
/// wrong is found, at its paragraph.
#[test]
fn the_text_sheets_are_kept_written_in_order_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let budget = converted(&out);
    let keys: Vec<&str> = budget["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "cover",
            "contents",
            "functions",
            "organisation",
            "terms",
            "explanation",
            "other"
        ]
    );
    let book = out.join("上海市普陀区社会福利院-2024.xlsx");
    let sheets = sheets(&book);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names[..6],
        [
            "封面",
            "目录",
            "单位职能",
            "单位机构设置",
            "名词解释",
            "单位编制说明"
        ]
    );
    assert_eq!(names[6], "单位收支总表");
    assert_eq!(names[names.len() - 2..], ["其他相关情况说明", "校验结果"]);
    assert_eq!(sheets[5].1[0][0], "2024年单位预算编制说明");
    assert!(sheets[5].1[2][0].starts_with("2024年，上海市普陀区社会福利院收入预算1,212.12万元"));

    // 财政拨款收入 950.12 written 905.12 in the budget's text: found at its paragraph.
    let mut planted = budget.clone();
    let explanation = planted["texts"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["key"] == "explanation")
        .unwrap();
    let first = explanation["paragraphs"][1].as_str().unwrap().to_owned();
    assert!(first.contains("财政拨款收入950.12万元"), "{first}");
    explanation["paragraphs"][1] = first
        .replace("财政拨款收入950.12万元", "财政拨款收入905.12万元")
        .into();
    let json = dir.path().join("planted.json");
    std::fs::write(&json, planted.to_string()).unwrap();
    let run = shanghai(&["check".as_ref(), json.as_os_str()]);
    let said = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(1), "{said}");
    assert!(
        said.contains("第 2 段“财政拨款收入”写作 905.12万元，表中为 9501164.00 元"),
        "{said}"
    );
}

#[test]
fn the_official_shanghai_workbook_is_laid_out_as_published_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let budget = converted(&out);
    let book = out.join("上海市普陀区社会福利院-2024.xlsx");
    let sheets = sheets(&book);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names[6..],
        [
            "单位收支总表",
            "单位收入总表",
            "单位支出总表",
            "单位财政拨款收支总表",
            "单位一般公共预算拨款表",
            "单位政府性基金拨款表",
            "单位国有资本经营预算拨款表",
            "单位一般公共预算拨款基本支出明细表",
            "单位“三公”经费和机关运行费预算表",
            "其他相关情况说明",
            "校验结果",
        ]
    );
    let sheets = &sheets[6..];
    let t1 = &sheets[0].1;
    assert_eq!(t1[0][0], "2024年预算单位财务收支预算总表");
    assert_eq!(t1[1][0], "编制单位：上海市普陀区社会福利院");
    assert_eq!(t1[1].last().unwrap(), "单位：元");
    let classes: Vec<&str> = t1
        .iter()
        .map(|r| r[2].as_str())
        .filter(|l| l.contains("支出") && l.contains('、'))
        .collect();
    assert_eq!(
        classes,
        [
            "一、社会保障和就业支出",
            "二、卫生健康支出",
            "三、住房保障支出"
        ]
    );
    // 合计 at the bottom, in the code columns.
    let t2 = &sheets[1].1;
    let last = t2
        .iter()
        .rposition(|r| r.iter().any(|c| !c.is_empty()))
        .unwrap();
    assert_eq!(t2[last][0], "合计");
    assert_eq!(t2[last][4], "12121164");
    let t6 = &sheets[5].1;
    assert!(
        t6.iter()
            .flatten()
            .any(|c| c == "注:本单位2024年无政府性基金预算财政拨款安排的预算，故本表为空表。"),
        "{t6:?}"
    );
    let t9 = &sheets[8].1;
    assert_eq!(t9[0][0], "2024年单位“三公”经费和机关运行经费预算表");
    assert_eq!(t9[1].last().unwrap(), "单位：万元");
    // Whole 元, thousands grouped; the “三公” table with two decimals.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(styles.contains("formatCode=\"#,##0;-#,##0;\""), "{styles}");
    assert!(
        styles.contains("formatCode=\"#,##0.00;-#,##0.00;\""),
        "{styles}"
    );
    // Read back under the same edition: the same budget.
    let again = dir.path().join("again");
    let run = shanghai(&[
        "convert".as_ref(),
        book.as_os_str(),
        "-o".as_ref(),
        again.as_os_str(),
        "--formats".as_ref(),
        "json".as_ref(),
    ]);
    exits(&run, 0);
    let read: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(again.join("上海市普陀区社会福利院-2024.json")).unwrap(),
    )
    .unwrap();
    same_figures(read, budget);
}

/// A budget's figures: its JSON without `source`, without the classes listed without figures
/// (the template's 一、一般公共服务支出: only the classes used are written, so they are not read
/// back), its rows in a stable order (the fillable template has its 合计 first, the official
/// workbook last).
fn figures(mut b: serde_json::Value) -> serde_json::Value {
    b["source"] = serde_json::Value::Null;
    for t in b["tables"].as_array_mut().unwrap() {
        let rows = t["rows"].as_array_mut().unwrap();
        rows.retain(|r| r["code"].is_null() || r["side"].is_null() || !r["amounts"].is_null());
        rows.sort_by_key(|r| r.to_string());
    }
    b
}

/// Asserts two budgets have the same figures, naming the tables that differ.
fn same_figures(read: serde_json::Value, first: serde_json::Value) {
    let (read, first) = (figures(read), figures(first));
    if read != first {
        let tables = |b: &serde_json::Value| -> Vec<String> {
            b["tables"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.to_string())
                .collect()
        };
        let differ: Vec<(String, String)> = tables(&read)
            .into_iter()
            .zip(tables(&first))
            .filter(|(a, b)| a != b)
            .collect();
        panic!(
            "read back differs: {differ:?}; texts {} / {}",
            read["texts"], first["texts"]
        );
    }
}

/// The fillable Shanghai template: prefilled from the sample it reads back to the same figures
/// and texts with no finding in the tables (its 合计 adds the 类 rows only); blank, it names no
/// unit (before, the empty cached result of the unit formula was written as 0, read as a unit
/// named “0”).
#[test]
fn the_shanghai_template_prefilled_reads_back_and_blank_names_no_unit() {
    let dir = tempfile::tempdir().unwrap();
    let budget = converted(&dir.path().join("out"));
    let filled = dir.path().join("filled.xlsx");
    shanghai_filled_template(&filled);
    let again = dir.path().join("again");
    let run = shanghai(&[
        "convert".as_ref(),
        filled.as_os_str(),
        "-o".as_ref(),
        again.as_os_str(),
        "--formats".as_ref(),
        "json".as_ref(),
    ]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{said}");
    assert!(said.contains("错误 0 项，警告 0 项"), "{said}");
    let read: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(again.join("filled.json")).unwrap()).unwrap();
    let mut read = read;
    // The template writes no empty-table sentence of the unit's own; its note cells are empty.
    for (t, b) in read["tables"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(budget["tables"].as_array().unwrap())
    {
        match b.get("notes") {
            Some(notes) => t["notes"] = notes.clone(),
            None => _ = t.as_object_mut().unwrap().remove("notes"),
        }
    }
    // Its sheets of text are input cells holding the budget's paragraphs: read back the same.
    assert_eq!(read["texts"], budget["texts"]);
    same_figures(read, budget);

    let blank = dir.path().join("blank.xlsx");
    let run = shanghai(&["template".as_ref(), "-o".as_ref(), blank.as_os_str()]);
    assert_eq!(run.status.code(), Some(0));
    let run = shanghai(&["check".as_ref(), blank.as_os_str()]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{said}");
    assert!(said.contains("找不到“编制单位：名称”行"), "{said}");
}

/// `merge` under the Shanghai unit edition writes the department in the department template
/// (`department_edition`): 编制部门, 部门… titles and sheets, one 预算数 column in 部门财务收支
/// 预算总表 (the units' 合计 added up); the workbook reads back under
/// `--edition shanghai-2026-department` and passes its checks.
#[test]
fn a_merged_shanghai_department_is_written_in_the_department_template() {
    let dir = tempfile::tempdir().unwrap();
    let mut second = converted(&dir.path().join("out"));
    second["name"] = "上海市普陀区第二社会福利院".into();
    second.as_object_mut().unwrap().remove("texts");
    let second_path = dir.path().join("second.json");
    std::fs::write(&second_path, second.to_string()).unwrap();
    let merged = dir.path().join("merged");
    let run = shanghai(&[
        "merge".as_ref(),
        shanghai_sample().as_os_str(),
        second_path.as_os_str(),
        "--code".as_ref(),
        "313".as_ref(),
        "--name".as_ref(),
        "上海市普陀区民政局".as_ref(),
        "-o".as_ref(),
        merged.as_os_str(),
    ]);
    exits(&run, 0);
    let book = merged.join("313-上海市普陀区民政局.xlsx");
    let sheets = sheets(&book);
    assert_eq!(sheets[0].0, "部门收支总表");
    let t1 = &sheets[0].1;
    assert_eq!(t1[0][0], "2024年部门财务收支预算总表");
    assert_eq!(t1[1][0], "编制部门：上海市普陀区民政局");
    assert_eq!(t1[3], ["项目", "预算数", "项目", "预算数"]);
    let totals = t1.iter().find(|r| r[0] == "收入总计").unwrap();
    assert_eq!(totals[1], "24242328");
    assert_eq!(totals[3], "24242328");
    assert_eq!(sheets[7].0, "部门一般公共预算拨款基本支出明细表");
    let run = yusuan([
        "--edition".as_ref(),
        "shanghai-2026-department".as_ref(),
        "check".as_ref(),
        book.as_os_str(),
    ]);
    let said = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{said}");
    assert!(
        said.contains("（上海市普陀区民政局）：错误 0 项，警告 0 项"),
        "{said}"
    );
}
