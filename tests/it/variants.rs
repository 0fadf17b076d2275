//! Real submissions are not the clean template. Every layout variant in
//! `tests/fixtures/variants/` (written by openpyxl and LibreOffice from the sample by
//! `make.py`: renamed and shuffled sheets, 部门 titles, messy and unmerged headers, reordered,
//! extra and missing columns, offsets and notes, whole codes and numeric codes, text amounts,
//! 元, a missing title, tables spread over several files, .xls and .ods by LibreOffice, an
//! Excel 95 .xls with GBK text) must read to exactly the canonical JSON of the clean sample.

use crate::common::*;
use std::path::{Path, PathBuf};

fn json_of(input: &Path, verbose: bool) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "convert".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        dir.path().as_os_str(),
        "--formats".as_ref(),
        "json".as_ref(),
    ];
    if verbose {
        args.push("--verbose".as_ref());
    }
    let out = yusuan(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{}: {stderr}", input.display());
    let stem = yusuan::convert::stem_of(input);
    (
        std::fs::read_to_string(dir.path().join(format!("{stem}.json"))).unwrap(),
        stderr,
    )
}

fn variant(name: &str) -> PathBuf {
    root().join("tests/fixtures/variants").join(name)
}

fn assert_same_as_sample(name: &str) -> String {
    let (want, _) = json_of(&sample(), false);
    let (got, stderr) = json_of(&variant(name), true);
    assert!(
        got == want,
        "{name} reads differently from the sample:\n{}",
        first_difference(&got, &want)
    );
    stderr
}

fn first_difference(a: &str, b: &str) -> String {
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or(0);
    format!(
        "line {}: {:?} vs {:?}",
        line + 1,
        a.lines().nth(line),
        b.lines().nth(line)
    )
}

#[test]
fn renamed_and_shuffled_sheets_with_title_prefixes() {
    assert_same_as_sample("v01-sheets-renamed-shuffled.xlsx");
}

#[test]
fn department_titles_and_short_titles() {
    assert_same_as_sample("v02-department-titles.xlsx");
}

#[test]
fn messy_unmerged_headers() {
    assert_same_as_sample("v03-messy-headers.xlsx");
}

#[test]
fn reordered_extra_and_missing_columns_are_warned_about() {
    let stderr = assert_same_as_sample("v04-columns-reordered.xlsx");
    assert!(
        stderr.contains("表6“一般公共预算支出预算表”中多余的列“备注”已忽略"),
        "{stderr}"
    );
    assert!(
        stderr.contains("表6“一般公共预算支出预算表”缺少“上年结转安排”列"),
        "{stderr}"
    );
    assert!(
        stderr.contains("工作表“一般公共预算支出预算表” G4"),
        "the extra column is located: {stderr}"
    );
}

#[test]
fn leading_blank_rows_and_columns_and_notes() {
    let stderr = assert_same_as_sample("v05-offsets-and-notes.xlsx");
    assert!(
        stderr.contains("注释行“注：本表数据来源于预算管理一体化系统。”不属于表样"),
        "{stderr}"
    );
}

#[test]
fn whole_codes_numeric_codes_and_text_amounts() {
    let stderr = assert_same_as_sample("v06-codes-and-amounts.xlsx");
    assert!(stderr.contains("科目编码在一列中"), "{stderr}");
    assert!(stderr.contains("科目编码款“8”补足为“08”"), "{stderr}");
}

#[test]
fn amounts_in_yuan_are_converted_exactly() {
    let stderr = assert_same_as_sample("v07-yuan.xlsx");
    assert!(
        stderr.contains("金额单位为元，已精确换算为万元"),
        "{stderr}"
    );
}

#[test]
fn a_table_without_title_is_found_by_its_header() {
    let stderr = assert_same_as_sample("v08-no-title.xlsx");
    assert!(
        stderr.contains("表3“单位支出总表”没有标题行，已按表头识别"),
        "{stderr}"
    );
}

#[test]
fn everything_at_once() {
    assert_same_as_sample("v09-everything.xlsx");
}

#[test]
fn tables_spread_over_several_files() {
    assert_same_as_sample("v10-split");
}

#[test]
fn xls_and_ods_written_by_libreoffice() {
    for name in [
        "v11-libreoffice.xls",
        "v11-libreoffice.ods",
        "v12-everything-libreoffice.xls",
        "v12-everything-libreoffice.ods",
    ] {
        assert_same_as_sample(name);
    }
}

#[test]
fn tables_of_different_units_in_one_directory_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let split = variant("v10-split");
    for f in std::fs::read_dir(&split).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.path().join(f.file_name().unwrap())).unwrap();
    }
    // Another unit's table 1 beside unit 313603's tables.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in sheets(&sample())[0].1.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let text = text.replace("313603-四川省人力资源和社会保障信息中心", "313604-另一单位");
            sheet.write_string(r as u32, c as u16, text).unwrap();
        }
    }
    book.save(dir.path().join("313604-x.xlsx")).unwrap();
    let outdir = tempfile::tempdir().unwrap();
    let out = convert(&[dir.path()], outdir.path(), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("单位不一致") && stderr.contains("313604-另一单位"),
        "{stderr}"
    );
}

#[test]
fn excel_95_with_gbk_text() {
    // The fixture really holds GBK bytes (code page 936), not Unicode.
    let bytes = std::fs::read(variant("v13-gbk-biff5.xls")).unwrap();
    let gbk_title: &[u8] = &[
        0xB5, 0xA5, 0xCE, 0xBB, 0xCA, 0xD5, 0xD6, 0xA7, 0xD7, 0xDC, 0xB1, 0xED,
    ]; // 单位收支总表
    assert!(bytes.windows(gbk_title.len()).any(|w| w == gbk_title));
    assert_same_as_sample("v13-gbk-biff5.xls");
}

/// Labels of another year: a class (卫生健康支出 was 医疗卫生与计划生育支出 until 2018) and an
/// item under another wording are read as the edition's where the edition gives them as
/// aliases, and refused (naming the cell) where it does not.
#[test]
fn labels_the_edition_lists_as_aliases_are_read_as_their_item() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("old-labels.xlsx");
    copy_sample_with(
        &book,
        |_| true,
        // 表1 (the first sheet) only: a coded table keeps a 科目's name as typed.
        |sheet, _, _, text| match sheet {
            0 => text
                .replace("卫生健康支出", "医疗卫生与计划生育支出")
                .replace("一、一般公共预算拨款收入", "1、一般公共预算资金"),
            _ => text.to_owned(),
        },
    );
    let toml = std::fs::read_to_string(root().join("templates/sichuan-2023.toml")).unwrap();
    let plain = dir.path().join("plain.toml");
    std::fs::write(&plain, &toml).unwrap();
    let out = yusuan([
        "--edition".as_ref(),
        plain.as_os_str(),
        "check".as_ref(),
        book.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1、一般公共预算资金"), "{err}");
    let aliased = toml
        .replace(
            r#"{ code = "210", name = "卫生健康支出" }"#,
            r#"{ code = "210", name = "卫生健康支出", aliases = ["医疗卫生与计划生育支出"] }"#,
        )
        .replace(
            r#"{ id = "一般公共预算拨款收入", label = "一、一般公共预算拨款收入" }"#,
            r#"{ id = "一般公共预算拨款收入", label = "一、一般公共预算拨款收入", aliases = ["一般公共预算资金"] }"#,
        );
    assert_ne!(aliased, toml);
    let with_aliases = dir.path().join("aliases.toml");
    std::fs::write(&with_aliases, aliased).unwrap();
    let json = |edition: &Path, input: &Path| {
        let out = yusuan([
            "--edition".as_ref(),
            edition.as_os_str(),
            "convert".as_ref(),
            input.as_os_str(),
            "-o".as_ref(),
            dir.path().join("out").as_os_str(),
            "--formats".as_ref(),
            "json".as_ref(),
        ]);
        exits(&out, 0);
        let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(dir.path().join("out").join(stem + ".json")).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["source"] = serde_json::Value::Null;
        v
    };
    // Read under the aliases, the old labels give the sample's budget, labels as the edition's.
    let (old, new) = (json(&with_aliases, &book), json(&with_aliases, &sample()));
    assert!(
        old == new,
        "{}",
        first_difference(&old.to_string(), &new.to_string())
    );
}

/// 合计 typed in the code columns, below the rows it adds up (as Shanghai's tables have it):
/// the same total row, the same findings as the sample, where it stands.
#[test]
fn a_total_in_the_code_columns_at_the_bottom_is_the_total_row() {
    let original = sheets(&sample());
    let table3 = &original[2].1;
    let total = table3
        .iter()
        .position(|row| {
            row.iter().any(|t| t.replace(' ', "") == "合计") && row.iter().any(|t| t == "1347.44")
        })
        .expect("表3 has a 合计 row");
    let last = table3
        .iter()
        .rposition(|row| row.iter().any(|t| !t.is_empty()))
        .unwrap();
    // Rows below the 合计 move up one; the 合计 goes last, its label in column A alone.
    let moved = |r: usize, c: usize| -> String {
        let row = match r {
            r if r >= total && r < last => &table3[r + 1],
            r if r == last => &table3[total],
            r => &table3[r],
        };
        let text = row.get(c).cloned().unwrap_or_default();
        if r == last && text.replace(' ', "") == "合计" {
            return String::new();
        }
        match (r == last, c) {
            (true, 0) => "合计".to_owned(),
            _ => text,
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("total-at-bottom.xlsx");
    copy_sample_with(
        &book,
        |_| true,
        |s, r, c, text| match s {
            2 => moved(r, c),
            _ => text.to_owned(),
        },
    );
    let check = |input: &Path| {
        let out = yusuan([
            "check".as_ref(),
            input.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let rules: Vec<String> = report["files"][0]["findings"]
            .as_array()
            .filter(|_| out.status.code() != Some(2))
            .unwrap_or_else(|| panic!("{report}"))
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect();
        (out.status.code(), rules)
    };
    assert_eq!(check(&book), check(&sample()));
    let (json, _) = json_of(&book, false);
    let budget: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = budget["tables"][2]["rows"].as_array().unwrap();
    let last_row = rows.last().unwrap();
    assert_eq!(last_row["kind"], "total");
    assert_eq!(last_row["amounts"]["合计"], "1347.44");
}
