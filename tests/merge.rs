//! `yusuan merge`: unit budgets consolidated into a department budget whose totals are the
//! sums of the units' totals, which passes the same checks, named `<CODE>-<NAME>`; units of
//! different years refused; 元 and 万元 inputs brought to one unit exactly.

mod common;

use common::synth::{Rng, in_yuan, rename_unit, vary, write_workbook};
use common::*;
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
    common::synth::add_projects(&mut budget, 1100, |p| {
        p.texts.insert("年度目标".into(), goal.clone());
    });
    let rendered = yusuan::render::render_all(&edition, &budget, yusuan::render::Purpose::Publish);
    let written = yusuan::write::xlsx::workbook(&edition, &budget, &rendered, &[]);
    assert!(written.is_ok(), "{:?}", written.err());
}
