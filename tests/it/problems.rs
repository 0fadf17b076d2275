//! Problems in otherwise readable workbooks are named the way a finance clerk recognises them
//! (table number and official title, column) and located to the file, sheet and cell.

use crate::common::*;

fn stderr_of(input: &std::path::Path, code: i32) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = convert(&[input], &dir.path().join("out"), code);
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_text_in_an_amount_cell_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad-amount.xlsx");
    copy_sample_with(
        &input,
        |_| true,
        |s, r, c, t| {
            if (s, r, c) == (2, 6, 6) {
                "约三百".into()
            } else {
                t.into()
            }
        },
    );
    let stderr = stderr_of(&input, 2);
    assert!(stderr.contains("bad-amount.xlsx 工作表“单位支出总表” G7：表3“单位支出总表”“基本支出”列的“约三百”不是金额"), "{stderr}");
}

#[test]
fn a_malformed_code_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad-code.xlsx");
    copy_sample_with(
        &input,
        |_| true,
        |s, r, c, t| {
            if (s, r, c) == (2, 8, 1) {
                "0一".into()
            } else {
                t.into()
            }
        },
    );
    let stderr = stderr_of(&input, 2);
    assert!(
        stderr.contains("工作表“单位支出总表” B9：表3“单位支出总表”的科目编码“0一”无效"),
        "{stderr}"
    );
}

#[test]
fn an_unmatched_header_names_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad-header.xlsx");
    copy_sample_with(
        &input,
        |_| true,
        |s, r, _, t| {
            if (s, r) == (2, 3) {
                "？".into()
            } else {
                t.into()
            }
        },
    );
    let stderr = stderr_of(&input, 2);
    assert!(
        stderr.contains("工作表“单位支出总表” A1：表3“单位支出总表”的表头与表样不符"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_item_of_a_two_sided_table_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad-item.xlsx");
    copy_sample_with(
        &input,
        |_| true,
        |s, r, c, t| {
            if (s, r, c) == (0, 7, 0) {
                "三、其他拨款".into()
            } else {
                t.into()
            }
        },
    );
    let stderr = stderr_of(&input, 2);
    assert!(
        stderr.contains(
            "工作表“单位收支总表” A8：表1“单位收支总表”收入方的项目“三、其他拨款”不在表样中"
        ),
        "{stderr}"
    );
}

#[test]
fn a_table_given_twice_is_named_with_both_places() {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("313603");
    std::fs::create_dir(&unit).unwrap();
    std::fs::copy(sample(), unit.join("a.xlsx")).unwrap();
    copy_sample(&unit.join("b.xlsx"), |i| i == 2);
    let stderr = stderr_of(&unit, 2);
    assert!(
        stderr.contains("表3“单位支出总表”出现了两次")
            && stderr.contains("a.xlsx")
            && stderr.contains("b.xlsx"),
        "{stderr}"
    );
}

#[test]
fn amounts_finer_than_the_model_unit_are_kept_and_reported_once_per_table() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("yuan-cents.xlsx");
    // 表3 in 元, one amount with cents: 167512.34 元 = 16.751234 万元.
    copy_sample_with(
        &input,
        |_| true,
        |s, r, c, t| match (s, r, c) {
            (2, 2, 0) => "金额单位：元".into(),
            (2, 6, 6) => "167512.34".into(),
            _ => t.into(),
        },
    );
    let quiet = yusuan(["check".as_ref(), input.as_os_str()]);
    let stderr = String::from_utf8_lossy(&quiet.stderr);
    assert_eq!(stderr.matches("超出两位小数").count(), 1, "{stderr}");
    // Every amount of the table read in 元 as if it were 万元-sized: 18 of them.
    assert!(
        stderr.contains("表3“单位支出总表”有 18 个金额换算为万元后超出两位小数"),
        "{stderr}"
    );
    let verbose = yusuan(["check".as_ref(), input.as_os_str(), "--verbose".as_ref()]);
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    assert!(stderr.contains("工作表“单位支出总表” G7：表3“单位支出总表”“基本支出”列的金额 16.751234 万元 超出两位小数"), "{stderr}");
    let stdout = String::from_utf8_lossy(&verbose.stdout);
    assert!(
        stdout.contains("16.751234"),
        "the exact amount is checked, not a rounded one: {stdout}"
    );
}

/// 200,000 grand-total rows in 表3 and one detail row, as facts.csv lines.
fn many_totals_csv(path: &std::path::Path) {
    let mut text = String::from("table,row,code,name,unit_code,column,amount,kind\n");
    for i in 1..=200_000 {
        text.push_str(&format!("3,{i},,合计,313603,合计,1.00,total\n"));
    }
    text.push_str("3,200001,2050803,培训支出,313603,合计,1.00,detail\n");
    std::fs::write(path, text).unwrap();
}

#[test]
fn many_total_rows_are_checked_in_linear_time_and_reported_in_brief() {
    // Every grand total adds up the same top level: found once, summed once per column (it was
    // rows × total rows: an hour for a million). The findings of one rule in one table are
    // listed up to a thousand, and the rest counted.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("totals.csv");
    many_totals_csv(&csv);
    let out = yusuan(["check".as_ref(), csv.as_os_str()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    exits(&out, 1);
    let r41 = stdout.lines().filter(|l| l.contains("（R4.1）")).count();
    assert_eq!(r41, yusuan::check::MAX_PER_RULE + 1, "{}", &stdout[..500]);
    assert!(
        stdout.contains("同类问题另有 199001 项未逐一列出（本表共 200001 项）"),
        "{}",
        &stdout[..500]
    );
}

#[test]
fn amounts_beyond_a_budget_are_input_errors_naming_the_place() {
    let dir = tempfile::tempdir().unwrap();
    // A workbook cell of 7.9E+28 (near the largest decimal) in 单位支出总表's 合计.
    let xlsx = dir.path().join("huge.xlsx");
    copy_sample_with(
        &xlsx,
        |_| true,
        |s, _, _, t| {
            if s == 2 && t == "1347.44" {
                "79000000000000000000000000000".to_owned()
            } else {
                t.to_owned()
            }
        },
    );
    let stderr = stderr_of(&xlsx, 2);
    assert!(
        stderr.contains("huge.xlsx")
            && stderr.contains("超出预算金额的范围")
            && stderr.contains("F"),
        "{stderr}"
    );
    // The same through JSON and facts.csv: the line or row is named, nothing overflows.
    let json_path = sample_json(dir.path());
    let text = std::fs::read_to_string(&json_path).unwrap();
    let json = dir.path().join("huge.json");
    std::fs::write(
        &json,
        text.replacen("\"1347.44\"", "\"79000000000000000000000000000\"", 1),
    )
    .unwrap();
    let csv = dir.path().join("huge.csv");
    std::fs::write(
        &csv,
        "table,row,code,name,unit_code,column,amount\n3,1,,合计,313603,合计,1000000000000\n",
    )
    .unwrap();
    for (input, phrase) in [(&json, "表1第"), (&csv, "huge.csv 第 2 行")] {
        for command in [
            &["check"][..],
            &["merge", "--code", "1", "--name", "x", "-o"][..],
        ] {
            let mut args: Vec<std::ffi::OsString> = command.iter().map(Into::into).collect();
            if command[0] == "merge" {
                args.push(dir.path().join("dept").into_os_string());
            }
            args.push(input.as_os_str().to_owned());
            let out = yusuan(&args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
            assert!(
                stderr.contains(phrase) && stderr.contains("超出预算金额的范围"),
                "{command:?}: {stderr}"
            );
            assert!(
                !stderr.contains("overflow") && !stderr.contains("panicked"),
                "{stderr}"
            );
        }
    }
}

#[test]
fn texts_up_to_excels_limit_are_written_and_longer_ones_cut() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample_json(dir.path())).unwrap();
    for (len, whole) in [(32_767usize, true), (40_000, false)] {
        let name = "项".repeat(len);
        let json = dir.path().join(format!("long{len}.json"));
        std::fs::write(&json, text.replace("省级政务云服务费用", &name)).unwrap();
        let out = dir.path().join(format!("out{len}"));
        let run = convert_readable(&json, &out, &[]);
        // A cut text is a warning naming its table, so nobody takes it for what was submitted.
        let report = String::from_utf8_lossy(&run.stdout).into_owned()
            + &String::from_utf8_lossy(&run.stderr);
        let r22 = report
            .lines()
            .filter(|l| {
                l.contains("一般公共预算项目支出预算表：文字超过 Excel 单元格上限 32767 个字符")
            })
            .filter(|l| l.contains("共 40000 个字符（R22）"))
            .count();
        assert_eq!(r22, usize::from(!whole), "{len}");
        let book = sheets(&out.join(format!("long{len}.xlsx")));
        let longest = book
            .iter()
            .flat_map(|(_, rows)| rows.iter().flatten())
            .map(|c| c.encode_utf16().count())
            .max()
            .unwrap();
        assert_eq!(longest, 32_767, "{len}");
        let cut = book
            .iter()
            .flat_map(|(_, rows)| rows.iter().flatten())
            .any(|c| c.starts_with("项项") && c.ends_with('…'));
        assert_eq!(cut, !whole, "{len}");
    }
}

#[test]
fn a_reading_too_large_for_the_main_process_is_refused_naming_the_input() {
    // The main process builds its model from the worker's answer: an answer past a sixteenth
    // of --max-memory is refused before it is parsed. 200,000 total rows in a JSON budget
    // answer about 11.7 MiB; under --max-memory 170M the worker reads them (it needs about
    // 160 MiB) and the answer limit is 10.6 MiB.
    let dir = tempfile::tempdir().unwrap();
    let mut budget: serde_json::Value =
        serde_json::from_slice(&std::fs::read(sample_json(dir.path())).unwrap()).unwrap();
    let t3 = &mut budget["tables"][2];
    assert_eq!(t3["number"], 3);
    let total = serde_json::json!({"kind": "total", "name": "合计", "amounts": {"合计": "1.00"}});
    t3["rows"] = serde_json::Value::Array(vec![total; 200_000]);
    let json = dir.path().join("totals.json");
    std::fs::write(&json, serde_json::to_vec(&budget).unwrap()).unwrap();
    let out = yusuan([
        "check".as_ref(),
        json.as_os_str(),
        "--max-memory".as_ref(),
        "170M".as_ref(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("totals.json：拒绝读取：读取结果达")
            && stderr.contains("超过上限 10.62 MiB（--max-memory 170 MiB 的 1/16"),
        "{stderr}"
    );
}

#[test]
fn an_input_that_is_not_a_budget_is_named_for_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    for (name, phrase) in [
        (
            "情况说明.docx",
            "这是情况说明（.docx、.txt、.md），不是预算表：请用 --narrative 指定",
        ),
        ("说明.txt", "请用 --narrative 指定"),
        ("说明.md", "请用 --narrative 指定"),
        (
            "预算.pdf",
            "不支持的文件类型（预算表应为 .xlsx、.xlsm、.xls、.ods 工作簿，或 yusuan 的 .json、.csv 数据文件）",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, "x").unwrap();
        let out = yusuan(["check".as_ref(), path.as_os_str()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(name) && stderr.contains(phrase), "{stderr}");
    }
}

#[test]
fn titles_of_different_years_are_a_warning_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("years.xlsx");
    copy_sample_with(
        &xlsx,
        |_| true,
        |s, r, c, t| {
            if s == 0 && (r, c) == (0, 0) {
                format!("2024年{t}")
            } else {
                t.to_owned()
            }
        },
    );
    let out = yusuan(["check".as_ref(), xlsx.as_os_str()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("表13“单位预算项目支出绩效目标表”标题中的年度为 2023 年，与表1的 2024 年不一致，按 2024 年读取"),
        "{stderr}"
    );
}

#[test]
fn the_unit_typed_once_reads_and_two_units_name_both_cells() {
    // The template asks for the unit on the first table only; the other sheets show it by a
    // formula, which a filler that does not recalculate leaves blank: a blank unit line names
    // no unit and never conflicts.
    let dir = tempfile::tempdir().unwrap();
    let once = dir.path().join("once.xlsx");
    copy_sample_with(
        &once,
        |_| true,
        |s, _, _, t| {
            if s > 0 && t.starts_with("单位：") {
                "单位：".to_owned()
            } else {
                t.to_owned()
            }
        },
    );
    let out = yusuan(["check".as_ref(), once.as_os_str()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("（313603-"));
    // Two different units: both texts and both cells are named.
    let two = dir.path().join("two.xlsx");
    copy_sample_with(
        &two,
        |_| true,
        |s, _, _, t| {
            if s == 2 && t.starts_with("单位：") {
                "单位：313604-别的单位".to_owned()
            } else {
                t.to_owned()
            }
        },
    );
    let out = yusuan(["check".as_ref(), two.as_os_str()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("工作表“单位支出总表” A2：单位不一致：此处为“313604-别的单位”，工作表“单位收支总表” A2 为“313603-四川省人力资源和社会保障信息中心”"),
        "{stderr}"
    );
}
