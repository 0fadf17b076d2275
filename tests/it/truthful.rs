//! Truthful outputs: what was submitted, flagged where wrong; no false errors on imperfect but
//! honest workbooks. Every workbook here is made by openpyxl from the sample
//! (`tests/fixtures/truthful/make.py`), not by yusuan's writer.

use crate::common::*;
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/truthful").join(name)
}

/// One part of an .xlsx as text.
fn part(xlsx: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn check_json(input: &Path, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "check".as_ref(),
        input.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let out = yusuan(args);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), json)
}

fn rules_of(json: &Value, severity: &str) -> Vec<String> {
    json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == severity)
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn outputs_carry_the_submitted_figures_and_the_workbook_flags_the_difference() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("t3-g7-changed.xlsx");
    convert(&[&input], dir.path(), 1);
    let stem = dir.path().join("t3-g7-changed");
    // JSON, table CSV and facts: the figures typed (合计 1347.44, 培训支出 合计 16.75).
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(stem.with_extension("json")).unwrap())
            .unwrap();
    assert_eq!(json["tables"][2]["rows"][0]["amounts"]["合计"], "1347.44");
    let t3 = std::fs::read_to_string(stem.join("03-单位支出总表.csv")).unwrap();
    assert!(
        t3.contains("\r\n,,,,合计,1347.44,404.80,942.64\r\n"),
        "{t3}"
    );
    assert!(
        t3.contains("\r\n205,08,03,313603,培训支出,16.75,16.57,\r\n"),
        "{t3}"
    );
    let facts = std::fs::read_to_string(stem.join("facts.csv")).unwrap();
    assert!(facts.contains("\r\n3,单位支出总表,1,,合计,313603,合计,1347.44,total,"));
    assert!(!facts.contains("1347.26"), "no figure nobody typed");
    // The workbook: live formulas, the differing totals red with a note, a warning line.
    let xlsx = stem.with_extension("xlsx");
    let book = dump(&xlsx);
    assert!(book.contains("F7 =SUM(F8:F14) -> 1347.26"), "{book}");
    let table3 = book
        .split("== sheet 3: 单位支出总表")
        .nth(1)
        .and_then(|rest| rest.split("== sheet 4").next())
        .unwrap();
    assert!(
        table3.contains("A2 \"本表校验未通过，请勿直接公开\""),
        "{table3}"
    );
    assert!(
        !book
            .split("== sheet 3")
            .next()
            .unwrap()
            .contains("本表校验未通过"),
        "only the failed table"
    );
    let notes: String = (1..=3)
        .filter_map(|i| {
            let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
            let mut text = String::new();
            zip.by_name(&format!("xl/comments{i}.xml"))
                .ok()?
                .read_to_string(&mut text)
                .ok()?;
            Some(text)
        })
        .collect();
    assert!(
        notes.contains("报送数 1,347.44；按明细计算 1,347.26（R4.1）"),
        "{notes}"
    );
    assert!(
        notes.contains("报送数 404.80；按明细计算 404.62（R4.2）"),
        "{notes}"
    );
    assert!(
        notes.contains("报送数 16.75；按明细计算 16.57（R4.1）"),
        "{notes}"
    );
    let styles = part(&xlsx, "xl/styles.xml");
    assert!(styles.contains("FFFFC7CE"), "a red fill for flagged totals");
    // It opens on 校验结果 (the 15th sheet), not on a table that looks publishable.
    let workbook = part(&xlsx, "xl/workbook.xml");
    assert!(workbook.contains("activeTab=\"14\""), "{workbook}");
    // The finding's link points at the written cell, which now shows both figures.
    let sheets = sheets(&xlsx);
    let findings = &sheets.last().unwrap().1;
    assert!(findings.iter().flatten().any(|c| c == "G7"));
}

#[test]
fn the_published_table_4_without_its_total_row_passes() {
    let input = fixture("t4-without-total-row.xlsx");
    let (code, json) = check_json(&input, &[]);
    assert_eq!(code, Some(0), "{json:#}");
    assert!(rules_of(&json, "error").is_empty(), "{json:#}");
    let r20: Vec<&Value> = json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "R20")
        .collect();
    assert_eq!(r20.len(), 1, "one warning names the missing rows");
    let message = r20[0]["message"].as_str().unwrap();
    assert!(message.contains("“收入总计”“支出总计”"), "{message}");
    // The official workbook lays the row out, derived and saying so; the data exports do not
    // invent it.
    let dir = tempfile::tempdir().unwrap();
    convert(&[&input], dir.path(), 0);
    let stem = dir.path().join("t4-without-total-row");
    let book = dump(&stem.with_extension("xlsx"));
    assert!(book.contains("B35 =SUM(B6,B10) -> 1347.44"), "{book}");
    let facts = std::fs::read_to_string(stem.join("facts.csv")).unwrap();
    assert!(
        !facts
            .lines()
            .any(|l| l.starts_with("4,") && l.contains(",收入总计,")),
        "no fact for a row nobody typed"
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(stem.with_extension("json")).unwrap())
            .unwrap();
    let items: Vec<&str> = json["tables"][3]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["item"].as_str())
        .collect();
    assert!(
        !items.contains(&"收入总计"),
        "the model holds what was submitted"
    );
}

#[test]
fn formulas_saved_without_results_are_evaluated() {
    let (code, json) = check_json(&fixture("t3-uncached-formulas.xlsx"), &[]);
    assert_eq!(code, Some(0), "{json:#}");
    // The same budget as the sample, to the cent.
    let dir = tempfile::tempdir().unwrap();
    convert(
        &[&fixture("t3-uncached-formulas.xlsx"), &sample()],
        dir.path(),
        0,
    );
    let a: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("t3-uncached-formulas.json")).unwrap(),
    )
    .unwrap();
    let b: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join(format!("{SAMPLE_STEM}.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(a["tables"], b["tables"]);
    // A formula yusuan cannot evaluate is named with its cell, never read as 0.
    let out = yusuan([
        "check".as_ref(),
        fixture("t3-unknown-formula.xlsx").as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("G6") && stderr.contains("=SUMIF(A7:A13,\"*\",G7:G13)"),
        "{stderr}"
    );
}

/// The resubmission folder copied, with modification times: the corrected file newest.
fn resubmissions(root: &Path) -> PathBuf {
    let input = root.join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    let new = old + std::time::Duration::from_secs(86_400);
    for (name, when) in [
        ("a.xlsx", old),
        ("sub/a-copy.xlsx", old),
        ("a-v2.xlsx", new),
    ] {
        std::fs::copy(fixture(&format!("resubmit/{name}")), input.join(name)).unwrap();
        std::fs::File::options()
            .write(true)
            .open(input.join(name))
            .unwrap()
            .set_modified(when)
            .unwrap();
    }
    input
}

#[test]
fn resubmissions_keep_the_unit_and_use_the_newest_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = resubmissions(dir.path());
    let out = dir.path().join("out");
    let run = batch(&input, &out, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("共 3 个工作簿、1 个单位：通过 1"),
        "{stderr}"
    );
    let summary = csv_lines(&out.join("summary.csv"));
    let mut lines = summary.iter();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with(",folder,superseded,narrative_contradictions")
    );
    let row = lines.next().unwrap();
    assert!(row.contains(",313603,") && row.contains(",ok,"), "{row}");
    assert!(row.ends_with(",a.xlsx;sub/a-copy.xlsx,"), "{row}");
    // The corrected 年度目标 is the one published.
    let unit = out.join("313603-四川省人力资源和社会保障信息中心");
    let json =
        std::fs::read_to_string(unit.join("313603-四川省人力资源和社会保障信息中心.json")).unwrap();
    assert!(json.contains("（修订）"));
    let findings = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    assert!(findings.contains(",R21,warning,"), "{findings}");
    assert!(findings.contains("相同，只用一次") && findings.contains("已被替代"));

    // The strict rule, for departments that want it.
    let strict = dir.path().join("strict");
    let run = batch(&input, &strict, &["--on-duplicate", "error"]);
    assert_eq!(run.status.code(), Some(2));
    let summary = std::fs::read_to_string(strict.join("summary.csv")).unwrap();
    assert!(summary.contains(",unreadable,") && summary.contains("出现了两次"));
}

#[test]
fn income_and_expenditure_are_compared_per_code() {
    let (code, json) = check_json(&fixture("t2-moved-6.xlsx"), &[]);
    assert_eq!(code, Some(1));
    let findings = json["files"][0]["findings"].as_array().unwrap();
    let r19: Vec<&Value> = findings.iter().filter(|f| f["rule"] == "R19").collect();
    assert_eq!(r19.len(), 2, "{json:#}");
    assert_eq!(r19[0]["table"], 2);
    assert_eq!(r19[0]["cell"], "F8");
    assert_eq!(rules_of(&json, "error"), ["R19", "R19"]);
}

#[test]
fn facts_can_be_summed_and_concatenated() {
    let dir = tempfile::tempdir().unwrap();
    convert(&[&sample()], dir.path(), 0);
    let facts = csv_lines(&dir.path().join(SAMPLE_STEM).join("facts.csv"));
    let mut lines = facts.iter().map(String::as_str);
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        header,
        [
            "table",
            "table_title",
            "row",
            "code",
            "name",
            "unit_code",
            "column",
            "amount",
            "kind",
            "unit_name",
            "year"
        ]
    );
    let mut detail_total = rust_decimal::Decimal::ZERO;
    for line in lines {
        let f: Vec<&str> = line.rsplitn(5, ',').collect();
        let (year, unit_name, kind, amount) = (f[0], f[1], f[2], f[3]);
        assert_eq!(year, "2023", "{line}");
        assert_eq!(unit_name, "四川省人力资源和社会保障信息中心", "{line}");
        assert!(line.contains(",313603,"), "unit code on every line: {line}");
        assert!(["total", "subtotal", "detail"].contains(&kind), "{line}");
        if line.starts_with("3,") && line.contains(",合计,") && kind == "detail" {
            detail_total += amount.parse::<rust_decimal::Decimal>().unwrap();
        }
    }
    assert_eq!(
        detail_total.to_string(),
        "1347.44",
        "details alone add up to the total"
    );
    // 表13: every indicator line carries its project.
    let t13 = std::fs::read_to_string(
        dir.path()
            .join(SAMPLE_STEM)
            .join("13-单位预算项目支出绩效目标表.csv"),
    )
    .unwrap();
    let project_lines = t13
        .lines()
        .filter(|l| l.contains(",省级政务云服务费用,6.50,"))
        .count();
    assert!(project_lines >= 3, "{t13}");
}

#[test]
fn messages_say_each_thing_once_and_in_chinese() {
    // A class sum points at its rows; rules across tables show the gap; 合计 said once.
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("t3-g7-changed.xlsx");
    let out = yusuan(["check".as_ref(), input.as_os_str()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("合计合计"), "{stdout}");
    let out = yusuan(["check".as_ref(), sample().as_os_str()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("404.80 ≠ 1347.44，相差 -942.64"),
        "R7.2 shows the gap: {stdout}"
    );
    let (_, json) = check_json(&fixture("t2-moved-6.xlsx"), &[]);
    let _ = json;
    // -o naming a file: one line.
    let afile = dir.path().join("afile");
    std::fs::write(&afile, "x").unwrap();
    let out = yusuan([
        "convert".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        afile.as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("os error"), "{stderr}");
    // A missing input: the reason in Chinese, not the system's English.
    let out = yusuan([
        "check".as_ref(),
        dir.path().join("无此文件.xlsx").as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("无此文件.xlsx：无法读取：文件或目录不存在")
            && !stderr.contains("os error"),
        "{stderr}"
    );
    // Help and errors without English.
    for args in [
        vec!["--help"],
        vec!["convert", "--help"],
        vec!["batch", "--help"],
        vec!["conver"],
        vec!["convert"],
        vec!["check", "x.xlsx", "--format", "xml"],
    ] {
        let out = yusuan(&args);
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        for english in [
            "Usage",
            "Options",
            "Print help",
            "Arguments",
            "Commands",
            "error:",
            "default:",
            "possible values",
            "For more information",
        ] {
            assert!(!text.contains(english), "{args:?}: “{english}” in {text}");
        }
    }
    // `yusuan rules`: the description column starts at the same display column on every line.
    let out = yusuan(["rules"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let starts: std::collections::BTreeSet<usize> = text
        .lines()
        .map(|l| {
            // The fourth field (after id, severity and tables) is the description.
            let mut fields = 0;
            let mut prev_space = true;
            let mut start = 0;
            for (i, c) in l.char_indices() {
                if c != ' ' && prev_space {
                    fields += 1;
                    if fields == 4 {
                        start = i;
                        break;
                    }
                }
                prev_space = c == ' ';
            }
            l[..start]
                .chars()
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum::<usize>()
        })
        .collect();
    assert_eq!(starts.len(), 1, "{text}");
}

#[test]
fn a_batch_ends_with_units_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(sample(), input.join("a.xlsx")).unwrap();
    let run = batch(&input, &dir.path().join("out"), &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("共 1 个工作簿、1 个单位：通过 1"),
        "{stderr}"
    );
    assert!(!stderr.contains(" 行："), "{stderr}");
}
