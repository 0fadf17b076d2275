//! `yusuan merge`: unit budgets consolidated into a department budget whose totals are the
//! sums of the units' totals, which passes the same checks, named `<CODE>-<NAME>`; units of
//! different years refused; 元 and 万元 inputs brought to one unit exactly.

use crate::common::synth::{Rng, in_yuan, rename_unit, vary, write_workbook};
use crate::common::*;
use rust_decimal::Decimal;
use yusuan::edition::Edition;
use yusuan::model::{Budget, RowKind};

fn units(edition: &Edition, n: u64) -> Vec<Budget> {
    let base = yusuan::read::read_input(edition, &sample()).unwrap().budget;
    (0..n)
        .map(|i| {
            let mut b = vary(edition, &base, &mut Rng(100 + i));
            rename_unit(&mut b, &format!("50000{i}"), &format!("单位{i}"));
            b
        })
        .collect()
}

fn total(
    b: &Budget,
    table: u8,
    pick: impl Fn(&yusuan::model::Row) -> bool,
    column: &str,
) -> Decimal {
    b.table(table)
        .unwrap()
        .rows
        .iter()
        .filter(|r| pick(r))
        .map(|r| r.amount(column))
        .sum()
}

#[test]
fn a_department_is_the_sum_of_its_units() {
    let edition = Edition::builtin();
    let budgets = units(&edition, 3);
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = Vec::new();
    for (i, b) in budgets.iter().enumerate() {
        let mut written = b.clone();
        if i == 1 {
            in_yuan(&mut written); // one unit submits in 元
        }
        let path = dir.path().join(format!("u{i}.xlsx"));
        write_workbook(&edition, &written, &path);
        inputs.push(path);
    }
    let out = dir.path().join("out");
    let mut args: Vec<std::ffi::OsString> = vec!["merge".into()];
    args.extend(inputs.iter().map(|p| p.as_os_str().to_owned()));
    args.extend(
        [
            "-o",
            out.to_str().unwrap(),
            "--code",
            "900001",
            "--name",
            "某某厅",
        ]
        .map(Into::into),
    );
    let run = yusuan(&args);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    for f in [
        "900001-某某厅.xlsx",
        "900001-某某厅.json",
        "900001-某某厅/facts.csv",
        "900001-某某厅/01-部门收支总表.csv",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let merged: Budget =
        serde_json::from_str(&std::fs::read_to_string(out.join("900001-某某厅.json")).unwrap())
            .unwrap();
    assert_eq!(
        (
            merged.entity_word.as_str(),
            merged.code.as_str(),
            merged.name.as_str()
        ),
        ("部门", "900001", "某某厅")
    );
    assert_eq!(merged.table(1).unwrap().title, "部门收支总表");
    // Totals are the sums of the units' totals.
    let is_total = |r: &yusuan::model::Row| r.kind == RowKind::Total;
    let item = |id: &'static str| move |r: &yusuan::model::Row| r.item.as_deref() == Some(id);
    for (table, column) in [
        (3u8, "合计"),
        (3, "基本支出"),
        (3, "项目支出"),
        (6, "合计"),
        (7, "基本支出/合计"),
        (8, "金额"),
        (9, "当年财政拨款预算安排/合计"),
    ] {
        let sum: Decimal = budgets
            .iter()
            .map(|b| total(b, table, is_total, column))
            .sum();
        assert_eq!(
            total(&merged, table, is_total, column),
            sum,
            "表{table} {column}"
        );
    }
    let sum: Decimal = budgets
        .iter()
        .map(|b| total(b, 1, item("收入总计"), "收入/预算数"))
        .sum();
    assert_eq!(total(&merged, 1, item("收入总计"), "收入/预算数"), sum);
    // Every unit's rows are kept, with their unit codes.
    let t3_units: Vec<String> = merged
        .table(3)
        .unwrap()
        .rows
        .iter()
        .filter_map(|r| r.unit_code.clone())
        .collect();
    assert_eq!(t3_units.len(), 7 * 3);
    assert_eq!(
        merged
            .table(9)
            .unwrap()
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Detail)
            .count(),
        3
    );
    assert_eq!(
        merged
            .table(13)
            .unwrap()
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Detail)
            .count(),
        9
    );
    // The department budget passes the same checks, read back from its own workbook.
    let check = yusuan(["check".as_ref(), out.join("900001-某某厅.xlsx").as_os_str()]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn units_of_different_years_are_refused() {
    let edition = Edition::builtin();
    let mut budgets = units(&edition, 2);
    budgets[1].year = 2024;
    let err = yusuan::merge::merge(&edition, &budgets, "900001", "某某厅")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("不能汇总不同年度的预算") && err.contains("2023") && err.contains("2024"),
        "{err}"
    );
    let twice = vec![budgets[0].clone(), budgets[0].clone()];
    assert!(
        yusuan::merge::merge(&edition, &twice, "900001", "某某厅")
            .unwrap_err()
            .to_string()
            .contains("出现了两次")
    );
}

/// A department's workbook repeats its texts (合计, 科目 names, units' names) hundreds of
/// times: its shared-string table counts many more string cells than strings. It reads back.
#[test]
fn a_department_workbook_of_many_units_reads_back() {
    let edition = Edition::builtin();
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<std::ffi::OsString> = vec!["merge".into()];
    for (i, b) in units(&edition, 40).iter().enumerate() {
        let path = dir.path().join(format!("u{i}.xlsx"));
        write_workbook(&edition, b, &path);
        args.push(path.into_os_string());
    }
    let out = dir.path().join("out");
    args.extend(["-o".into(), out.clone().into_os_string()]);
    args.extend(["--code", "900001", "--name", "某某厅", "--formats", "xlsx"].map(Into::into));
    let run = yusuan(&args);
    assert!(
        run.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let run = yusuan([
        "check".as_ref(),
        out.join("900001-某某厅.xlsx").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.code().is_some_and(|c| c < 2), "{stderr}");
}

/// Excel allows 1,023 manual page breaks in a sheet: a department whose 表13 would need more
/// (one project a page) is still written, its first pages broken between projects.
#[test]
fn a_projects_table_needing_more_page_breaks_than_excel_allows_is_written() {
    let edition = Edition::builtin();
    let mut budget = sample_budget(&edition);
    let goal = "保障系统正常运行，完成年度建设与运维任务。".repeat(40);
    crate::common::synth::add_projects(&mut budget, 1100, |p| {
        p.texts.insert("年度目标".into(), goal.clone());
    });
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("900001.xlsx");
    crate::common::synth::write_workbook(&edition, &budget, &book);
    assert!(book.is_file());
}

/// The sample as another unit (`code`), every sheet but 表13 (whose unit column still names
/// 313603, as a copied workbook does), with each text passed through `edit(sheet, text)`.
fn unit_copy(path: &std::path::Path, code: &str, edit: impl Fn(usize, &str) -> String) {
    copy_sample_with(
        path,
        |_| true,
        |s, _, _, text| {
            let text = if s == 12 {
                text.to_owned()
            } else {
                text.replace("313603", code)
            };
            edit(s, &text)
        },
    );
}

/// `yusuan merge INPUTS -o OUT --code 313 --name 某某厅` with more arguments.
fn merge_units(inputs: &[std::path::PathBuf], out: &std::path::Path, more: &[&str]) -> Output {
    let mut args: Vec<std::ffi::OsString> = vec!["merge".into()];
    args.extend(inputs.iter().map(|p| p.as_os_str().to_owned()));
    args.extend(["-o".into(), out.as_os_str().to_owned()]);
    args.extend(["--code", "313", "--name", "某某厅"].map(Into::into));
    args.extend(more.iter().map(Into::into));
    yusuan(&args)
}

use std::process::Output;

/// The sample, and a copy with a typo in 单位支出总表 (597.70 for 596.70) and 公务接待费 1.80
/// for 0.80 in 表9's unit row.
fn with_a_unit_with_errors(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let good = dir.join("313603.xlsx");
    std::fs::copy(sample(), &good).unwrap();
    let bad = dir.join("313604.xlsx");
    let seen_t9 = std::cell::Cell::new(false);
    unit_copy(&bad, "313604", |s, text| match (s, text) {
        (2, "596.7") => "597.7".to_owned(),
        // 表9: the unit row's 公务接待费 (its 合计 and the table's total stay 0.80).
        (8, "0.8") if !seen_t9.replace(true) => "0.8".to_owned(),
        (8, "0.8") => "1.8".to_owned(),
        _ => text.to_owned(),
    });
    vec![good, bad]
}

#[test]
fn a_unit_with_errors_stops_the_merge_naming_its_file_and_first_error() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = with_a_unit_with_errors(dir.path());
    let check = yusuan(["check".as_ref(), inputs[1].as_os_str()]);
    assert_eq!(check.status.code(), Some(1), "the copy has errors");
    let out = dir.path().join("out");
    let run = merge_units(&inputs, &out, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!out.exists(), "nothing is written");
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("错误：单位"))
        .collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    let line = lines[0];
    assert!(line.contains("313604"), "{line}");
    assert!(line.contains(&inputs[1].display().to_string()), "{line}");
    // Its first error: rule, table and cell.
    assert!(
        line.contains("项错误，第一项：") && line.contains("（R") && line.contains("表 "),
        "{line}"
    );
    assert!(stderr.contains("--allow-errors"), "{stderr}");
}

#[test]
fn allowed_errors_are_consolidated_as_submitted_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = with_a_unit_with_errors(dir.path());
    let out = dir.path().join("out");
    let run = merge_units(&inputs, &out, &["--allow-errors"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let summary = stderr.lines().next().unwrap();
    assert!(
        summary.contains("1 个单位报送的预算另有错误") && !summary.contains("错误 0 项"),
        "{summary}"
    );
    let merged: Budget =
        serde_json::from_str(&std::fs::read_to_string(out.join("313-某某厅.json")).unwrap())
            .unwrap();
    // The typed 597.70 stands in the department (not the recomputed 596.70) …
    let t3 = merged.table(3).unwrap();
    assert!(
        t3.rows
            .iter()
            .any(|r| r.unit_code.as_deref() == Some("313604")
                && r.amount("合计") == Decimal::new(59770, 2)),
        "{t3:?}"
    );
    // … and the 三公 total is what the units reported between them (0.80 + 0.80), while its
    // rows add up to 0.80 + 1.80: the department's check says so.
    let t9 = merged.table(9).unwrap();
    let t9_total = t9.rows.iter().find(|r| r.kind == RowKind::Total).unwrap();
    assert_eq!(
        t9_total.amount("当年财政拨款预算安排/合计"),
        Decimal::new(160, 2)
    );
    assert!(stderr.contains("R11.2"), "{stderr}");
    // The workbook lists the unit with errors in its 校验结果 and flags the totals.
    let book = sheets(&out.join("313-某某厅.xlsx"));
    let (_, findings) = book.iter().find(|(n, _)| n == "校验结果").unwrap();
    assert!(
        findings
            .iter()
            .flatten()
            .any(|c| c.contains("单位 313604") && c.contains("报送的预算有")),
        "{findings:?}"
    );
    let dump = dump(&out.join("313-某某厅.xlsx"));
    assert!(
        dump.contains("报送数") || dump.contains("不符"),
        "a warning line or note"
    );
}

#[test]
fn projects_of_different_units_are_never_merged() {
    // Three units made from one workbook, as units copy a colleague's: the unit line changed,
    // the project tables (表8, 表13) still naming 313603 — each unit passes its own checks, and
    // all have the standard project 单位运转项目(不可细化).
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = vec![dir.path().join("313603.xlsx")];
    std::fs::copy(sample(), &inputs[0]).unwrap();
    for code in ["313604", "313605"] {
        let path = dir.path().join(format!("{code}.xlsx"));
        copy_sample_with(
            &path,
            |_| true,
            |s, _, _, text| {
                if s == 12 || (s == 7 && !text.contains("单位：")) {
                    text.to_owned()
                } else {
                    text.replace("313603", code)
                }
            },
        );
        inputs.push(path);
    }
    let out = dir.path().join("out");
    let run = merge_units(&inputs, &out, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let merged: Budget =
        serde_json::from_str(&std::fs::read_to_string(out.join("313-某某厅.json")).unwrap())
            .unwrap();
    let t13 = merged.table(13).unwrap();
    let units: Vec<Option<&str>> = t13
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Subtotal)
        .map(|r| r.unit_code.as_deref())
        .collect();
    assert_eq!(units, [Some("313603"), Some("313604"), Some("313605")]);
    for unit in ["313603", "313604", "313605"] {
        let projects = t13
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Detail && r.unit_code.as_deref() == Some(unit))
            .count();
        assert_eq!(projects, 3, "{unit}");
    }
    // Each project's weights stand alone (90 each, as published), never 270; and the nine
    // identical warnings are one line naming the three units.
    assert!(!stderr.contains("270"), "{stderr}");
    let r15: Vec<&str> = stderr.lines().filter(|l| l.contains("（R15）")).collect();
    assert_eq!(r15.len(), 1, "{stderr}");
    assert!(
        r15[0].contains("同一规则共 9 处") && r15[0].contains("313603、313604、313605"),
        "{}",
        r15[0]
    );
}
