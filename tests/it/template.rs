//! The edition description drives everything: a changed description changes the output
//! without recompiling, and a broken one is reported with the table it concerns. The fillable
//! template it makes reads back, once filled by another writer, as the budget typed into it.

use crate::common::*;

fn builtin() -> String {
    std::fs::read_to_string(root().join("templates/sichuan-2023.toml")).unwrap()
}

#[test]
fn a_changed_description_changes_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let edition = dir.path().join("next-year.toml");
    let text = builtin().replace("year = 2023", "year = 2024").replacen(
        "\"单位名称（科目）\", \"合计\", \"基本支出\"",
        "\"单位名称（科目，2024年）\", \"合计\", \"基本支出\"",
        1,
    );
    std::fs::write(&edition, text).unwrap();
    let out_path = dir.path().join("t.xlsx");
    let out = yusuan([
        "--template".as_ref(),
        edition.as_os_str(),
        "template".as_ref(),
        "-o".as_ref(),
        out_path.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book = sheets(&out_path);
    assert_eq!(book[0].0, "填表说明");
    assert_eq!(book[3].1[3][4], "单位名称（科目，2024年）");
    assert_eq!(book[13].1[0][0], "单位预算项目支出绩效目标表（2024年度）");
}

#[test]
fn a_broken_description_names_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let edition = dir.path().join("broken.toml");
    std::fs::write(
        &edition,
        builtin().replace(
            "sums = { \"合计\" = [\"当年财政拨款安排\", \"上年结转安排\"] }",
            "sums = { \"合计\" = [\"当年拨款\"] }",
        ),
    )
    .unwrap();
    let out = yusuan([
        "--template".as_ref(),
        edition.as_os_str(),
        "template".as_ref(),
        "-o".as_ref(),
        dir.path().join("t.xlsx").as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("表6“一般公共预算支出预算表”") && stderr.contains("当年拨款"),
        "{stderr}"
    );
}

/// Every 单位 of a text as 机构, except in 金额单位 (the amount-unit line keeps its word).
fn as_institution(text: &str) -> String {
    text.replace("金额单位", "\u{0}")
        .replace("单位", "机构")
        .replace('\u{0}', "金额单位")
}

#[test]
fn a_template_with_other_words_needs_no_code() {
    // An edition that says 机构 where Sichuan says 单位: titles, header, entity line and labels.
    let dir = tempfile::tempdir().unwrap();
    let edition = dir.path().join("institution.toml");
    // …and that names its findings sheet 审核结果.
    let text = as_institution(&builtin()).replace(
        "findings_sheet = \"校验结果\"",
        "findings_sheet = \"审核结果\"",
    );
    std::fs::write(&edition, text).unwrap();
    let input = dir.path().join("机构预算.xlsx");
    copy_sample_with(&input, |_| true, |_, _, _, text| as_institution(text));
    let out = dir.path().join("out");
    let run = yusuan([
        "--template".as_ref(),
        edition.as_os_str(),
        "convert".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    let book = sheets(&out.join("机构预算.xlsx"));
    assert_eq!(book[0].0, "机构收支总表");
    assert_eq!(
        book[0].1[1][0],
        "机构：313603-四川省人力资源和社会保障信息中心"
    );
    assert_eq!(book[2].1[3][3], "机构代码");
    assert_eq!(book.last().unwrap().0, "审核结果");
}

/// The sample converted to canonical JSON in `dir/sample`.
fn sample_json(dir: &std::path::Path) -> String {
    json_of(&sample(), dir, "sample")
}

/// `input` converted to canonical JSON in `dir/name` (named after the input); returns the text.
fn json_of(input: &std::path::Path, dir: &std::path::Path, name: &str) -> String {
    let out = dir.join(name);
    convert(&[input], &out, 0);
    let stem = input.file_stem().unwrap().to_string_lossy();
    std::fs::read_to_string(out.join(format!("{stem}.json"))).unwrap()
}

#[test]
fn a_template_filled_by_openpyxl_reads_as_the_budget_typed_into_it() {
    // filled.xlsx: the committed blank template's yellow cells typed by openpyxl
    // (tests/fixtures/template/fill.py) with the sample's figures; formulas left as made.
    let dir = tempfile::tempdir().unwrap();
    let filled = root().join("tests/fixtures/template/filled.xlsx");
    assert_eq!(
        json_of(&filled, dir.path(), "filled"),
        sample_json(dir.path())
    );
}

#[test]
fn a_template_prefilled_from_a_budget_reads_back_as_that_budget() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("prefilled.xlsx");
    let run = yusuan([
        "template".as_ref(),
        "-o".as_ref(),
        template.as_os_str(),
        "--rows".as_ref(),
        "3".as_ref(),
        "--from".as_ref(),
        sample().as_os_str(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let book = sheets(&template);
    assert!(
        book[1].1[1].iter().any(|c| c.contains("313603")),
        "the 单位 line is prefilled: {:?}",
        book[1].1[1]
    );
    assert_eq!(
        json_of(&template, dir.path(), "back"),
        sample_json(dir.path())
    );
    // 表13's long 年度目标 texts show whole: their rows are many lines tall.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&template).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet14.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    let tallest = xml
        .split(" ht=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse::<f64>().ok())
        .fold(0.0, f64::max);
    assert!(tallest >= 10.0 * 13.5, "tallest row {tallest} pt");
}

#[test]
fn a_prefilled_template_caches_nested_totals_right() {
    // 表9's 合计 adds 小计, which adds 公务用车运行费: with 1.00 of it prefilled, the cached 合计
    // must be 1.80 (it was 0.80: the 小计 counted as typed, i.e. zero) and read back so.
    let dir = tempfile::tempdir().unwrap();
    let mut budget: serde_json::Value = serde_json::from_str(&sample_json(dir.path())).unwrap();
    let t9 = budget["tables"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["number"] == 9)
        .unwrap();
    for row in t9["rows"].as_array_mut().unwrap() {
        let amounts = &mut row["amounts"];
        amounts["当年财政拨款预算安排/公务用车购置及运行费/公务用车运行费"] = "1.00".into();
        amounts["当年财政拨款预算安排/公务用车购置及运行费/小计"] = "1.00".into();
        amounts["当年财政拨款预算安排/合计"] = "1.80".into();
    }
    let with_car = dir.path().join("with-car.json");
    std::fs::write(&with_car, budget.to_string()).unwrap();
    let template = dir.path().join("prefilled.xlsx");
    let run = yusuan([
        "template".as_ref(),
        "-o".as_ref(),
        template.as_os_str(),
        "--from".as_ref(),
        with_car.as_os_str(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        json_of(&template, dir.path(), "back"),
        json_of(&with_car, dir.path(), "typed")
    );
}

#[test]
fn the_template_explains_itself_and_protects_all_but_the_input_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    let run = yusuan([
        "template".as_ref(),
        "-o".as_ref(),
        path.as_os_str(),
        "--rows".as_ref(),
        "5".as_ref(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let book = sheets(&path);
    assert_eq!(book.len(), 14);
    assert_eq!(book[0].0, "填表说明");
    let instructions: String = book[0].1.iter().flatten().cloned().collect();
    assert!(
        instructions.contains("R1"),
        "the rules are listed: {instructions}"
    );

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut part = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    for sheet in 2..=14 {
        let xml = part(&format!("xl/worksheets/sheet{sheet}.xml"));
        assert!(
            xml.contains("<sheetProtection"),
            "sheet {sheet} is protected"
        );
    }
    assert!(
        part("xl/styles.xml").contains(r#"locked="0""#),
        "input cells are unlocked"
    );
    // Lists where the edition gives choices (表13 指标性质), decimals where amounts are typed.
    let table13 = part("xl/worksheets/sheet14.xml");
    assert!(table13.contains(r#"type="list""#), "{table13}");
    let table3 = part("xl/worksheets/sheet4.xml");
    assert!(table3.contains(r#"type="decimal""#), "{table3}");
    // The unit is typed once: on 表1; 表2 shows it by formula. Each coded table offers the
    // note R16 looks for, as 填表说明 says.
    assert!(
        instructions.contains("其他各表自动显示")
            && instructions.contains("从下拉列表选择“说明：此表无数据”")
    );
    let table2 = part("xl/worksheets/sheet3.xml");
    assert!(
        table2.contains("<f>IF('单位收支总表'!B2=\"\",\"\",'单位收支总表'!B2)</f>"),
        "{table2}"
    );
    let table9 = part("xl/worksheets/sheet10.xml");
    assert!(table9.contains("说明：此表无数据"), "{table9}");
}

#[test]
fn input_rows_are_bounded_and_said_so_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    for rows in ["0", "5001", "许多"] {
        let run = yusuan([
            "template".as_ref(),
            "-o".as_ref(),
            path.as_os_str(),
            "--rows".as_ref(),
            rows.as_ref(),
        ]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("不在 1 到 5000 之间"), "{stderr}");
        assert!(!path.exists());
    }
}

/// Runs the binary with `args` in `dir` and returns its output, asserting the exit code is
/// below 2 (findings allowed).
fn run_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
#[cfg_attr(
    not(has_soffice),
    ignore = "needs LibreOffice: apt-get install libreoffice-calc-nogui"
)]
fn the_yearly_flow_of_the_readme_gives_2024_everywhere() {
    // README's 一年的流程, literally, for 2024: the template (pre-filled with a unit's 2023
    // budget, as a unit would amend it), the batch, the merge and the narrative with last year.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let last = d.join("2023");
    convert_readable(&sample(), &last, &["--formats", "json"]);
    std::fs::rename(
        last.join(format!("{SAMPLE_STEM}.json")),
        last.join("313603.json"),
    )
    .unwrap();
    std::fs::create_dir(d.join("收到的文件")).unwrap();
    run_in(
        d,
        &[
            "template",
            "--year",
            "2024",
            "--from",
            "2023/313603.json",
            "-o",
            "收到的文件/2024-单位预算.xlsx",
        ],
    );
    run_in(d, &["batch", "收到的文件", "-o", "2024-结果"]);
    let summary = sheets(&d.join("2024-结果/汇总.xlsx"));
    assert!(
        summary[0].1[0][0].starts_with("部门 313 2024年单位预算审核汇总（"),
        "{:?}",
        summary[0].1[0]
    );
    let folder = std::fs::read_dir(d.join("2024-结果"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .unwrap();
    let stem = folder.file_name().unwrap().to_string_lossy().into_owned();
    let json = folder.join(format!("{stem}.json"));
    let unit: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(unit["year"], 2024);
    let book = sheets(&folder.join(format!("{stem}.xlsx")));
    let t13 = book
        .iter()
        .find(|(n, _)| n == "单位预算项目支出绩效目标表")
        .unwrap();
    assert_eq!(t13.1[0][0], "单位预算项目支出绩效目标表（2024年度）");
    let relative = format!("2024-结果/{stem}/{stem}.json");
    run_in(
        d,
        &[
            "merge",
            &relative,
            "-o",
            "部门",
            "--code",
            "313",
            "--name",
            "某某厅",
        ],
    );
    let department = std::fs::read_dir(d.join("部门"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let department: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(department).unwrap()).unwrap();
    assert_eq!(department["year"], 2024);
    let narrated = run_in(
        d,
        &[
            "narrate",
            &relative,
            "-o",
            "313603-情况说明.md",
            "--previous",
            "2023/313603.json",
        ],
    );
    let stderr = String::from_utf8_lossy(&narrated.stderr);
    assert!(!stderr.contains("警告：--previous"), "{stderr}");
    let text = std::fs::read_to_string(d.join("313603-情况说明.md")).unwrap();
    assert!(text.contains("2024年单位预算情况说明"), "{}", &text[..300]);
    assert!(!text.contains("2023年"), "{text}");
    // Last year's budget that is not of the year before is said so.
    let same_year = run_in(
        d,
        &["narrate", &relative, "-o", "x.md", "--previous", &relative],
    );
    assert!(
        String::from_utf8_lossy(&same_year.stderr)
            .contains("--previous 的预算是 2024 年的，不是本年 2024 年的上一年（2023 年）")
    );
}

/// The findings of `check --format json` on `input`.
fn findings_of(input: &std::path::Path) -> Vec<serde_json::Value> {
    let out = yusuan([
        "check".as_ref(),
        input.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["files"][0]["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn errors(findings: &[serde_json::Value]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect()
}

/// The first finding, asserted to be the likely cause (R23) at this table's cell.
fn cause_first<'f>(
    findings: &'f [serde_json::Value],
    table: u8,
    cell: &str,
) -> &'f serde_json::Value {
    let first = &findings[0];
    assert_eq!(
        (&first["rule"], &first["table"], &first["cell"]),
        (&"R23".into(), &table.into(), &cell.into()),
        "{findings:#?}"
    );
    first
}

/// A committed filled template (`tests/fixtures/template/NAME`) saved again by LibreOffice, in
/// a fresh directory, with its findings.
fn saved_by_libreoffice(
    name: &str,
) -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Vec<serde_json::Value>,
) {
    require("soffice", "libreoffice-calc-nogui");
    let dir = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/template").join(name);
    let saved = recalculated_by_libreoffice(&fixture, dir.path());
    let findings = findings_of(&saved);
    (dir, saved, findings)
}

#[test]
#[cfg_attr(
    not(has_soffice),
    ignore = "needs LibreOffice: apt-get install libreoffice-calc-nogui"
)]
fn a_template_filled_like_the_published_tables_adds_up_once() {
    // filled.xlsx: openpyxl typed the sample as published — 一般公共预算支出预算表's 类 and 款
    // rows by name only, 项 rows with codes, the unit once — then LibreOffice recalculated it.
    // The 合计 adds the 项 rows (was: every row without a 款, 2694.88 for 1347.44).
    let (dir, saved, findings) = saved_by_libreoffice("filled.xlsx");
    assert_eq!(errors(&findings), Vec::<String>::new());
    assert_eq!(
        json_of(&saved, dir.path(), "saved"),
        sample_json(dir.path())
    );
}

#[test]
#[cfg_attr(
    not(has_soffice),
    ignore = "needs LibreOffice: apt-get install libreoffice-calc-nogui"
)]
fn a_wrong_subtotal_typed_by_name_is_the_finding_not_the_protected_total() {
    // 一般公共预算支出预算表's 类 row 社会保障和就业支出 typed 1285.28 for 1284.28: the findings
    // point at that row (F10 typed, E10 its row total) and name F10 first as the likely cause;
    // none points at the 合计 row (E6:G6, formulas the clerk cannot change).
    let (_dir, _, findings) = saved_by_libreoffice("filled-subtotal.xlsx");
    let first = cause_first(&findings, 6, "F10");
    assert!(first["message"].as_str().unwrap().contains("报送 1285.28"));
    let on_total: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["table"] == 6 && f["cell"].as_str().is_some_and(|c| c.ends_with('6')))
        .collect();
    assert!(on_total.is_empty(), "{on_total:#?}");
}

#[test]
#[cfg_attr(
    not(has_soffice),
    ignore = "needs LibreOffice: apt-get install libreoffice-calc-nogui"
)]
fn a_typo_in_the_filled_template_is_named_first_everywhere() {
    // The issue's case: 单位支出总表 项目支出 of 2080108 typed 597.70 for 596.70 (H8) in the
    // filled template; its row total and 合计 follow by formula. Four errors, at totals of four
    // tables; the likely cause named first is H8 — in check, and as 汇总.xlsx's and
    // summary.csv's first error.
    let (dir, saved, findings) = saved_by_libreoffice("filled-typo.xlsx");
    let first = cause_first(&findings, 3, "H8");
    assert_eq!(
        first["message"],
        "单位支出总表 H8：最可能的原因：此处报送 597.70，其他 4 处按 596.70 计算（R23）"
    );
    assert_eq!(errors(&findings).len(), 5);
    let inbox = dir.path().join("收到的文件");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::copy(&saved, inbox.join("313603.xlsx")).unwrap();
    let out = dir.path().join("结果");
    batch(&inbox, &out, &[]);
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(
        summary.contains("单位支出总表 H8：最可能的原因：此处报送 597.70"),
        "{summary}"
    );
    let book = sheets(&out.join("汇总.xlsx"));
    assert!(
        book[0]
            .1
            .iter()
            .flatten()
            .any(|c| c.starts_with("单位支出总表 H8：最可能的原因")),
        "{:?}",
        book[0].1
    );
}
