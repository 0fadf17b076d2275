//! Editions by name: `yusuan editions` lists the built-in ones, `--edition NAME|FILE` chooses
//! one on every command (`--template FILE` still works), and a run under the default edition
//! named explicitly, or under its TOML given as a file, writes exactly what a run without it
//! writes.

use crate::common::*;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The default edition's TOML with `from` replaced by `to` — once, in the part from the first
/// `after` on — written to `dir/edition.toml`.
fn edition_with(dir: &Path, after: &str, from: &str, to: &str) -> PathBuf {
    let toml = std::fs::read_to_string(root().join("templates/sichuan-2023.toml")).unwrap();
    let at = toml.find(after).expect("the place to change");
    let (before, rest) = toml.split_at(at);
    assert!(rest.contains(from), "{from}");
    let path = dir.join("edition.toml");
    std::fs::write(&path, format!("{before}{}", rest.replacen(from, to, 1))).unwrap();
    path
}

/// Runs `yusuan --edition EDITION ARGS…`.
fn under(edition: &Path, args: &[&OsStr]) -> Output {
    let mut all: Vec<&OsStr> = vec!["--edition".as_ref(), edition.as_os_str()];
    all.extend(args);
    yusuan(&all)
}

/// `yusuan --edition EDITION convert INPUT -o OUT --formats FORMATS`, which must exit 0.
fn convert_under(edition: &Path, input: &Path, out: &Path, formats: &str) {
    let run = under(
        edition,
        &[
            "convert".as_ref(),
            input.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "--formats".as_ref(),
            formats.as_ref(),
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
}

/// A budget's canonical JSON, its `source` left out.
fn budget_json(path: &Path) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["source"] = serde_json::Value::Null;
    v
}

#[test]
fn the_builtin_editions_are_listed_with_their_tables() {
    let out = yusuan(["editions"]);
    assert!(out.status.success());
    let listed = text(&out.stdout);
    assert!(
        listed.starts_with("sichuan-2023  四川省2023年单位预算（默认），13 张表"),
        "{listed}"
    );
    assert!(
        listed.contains("  表13 单位预算项目支出绩效目标表"),
        "{listed}"
    );
    let out = yusuan(["editions", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["name"], "sichuan-2023");
    assert_eq!(json[0]["default"], true);
    assert_eq!(json[0]["tables"].as_array().unwrap().len(), 13);
}

/// The canonical JSON of the sample converted with these leading arguments.
fn converted(dir: &Path, leading: &[&str]) -> String {
    let out = dir.join(leading.join("_").replace(['/', '.'], "-"));
    let mut args: Vec<std::ffi::OsString> = leading.iter().map(Into::into).collect();
    args.extend([
        "convert".into(),
        sample().into_os_string(),
        "-o".into(),
        out.clone().into_os_string(),
        "--formats".into(),
        "json,csv".into(),
    ]);
    let run = yusuan(&args);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    std::fs::read_to_string(out.join(format!("{SAMPLE_STEM}.json"))).unwrap()
        + &std::fs::read_to_string(out.join(SAMPLE_STEM).join("facts.csv")).unwrap()
}

#[test]
fn naming_the_default_edition_or_its_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let toml = root().join("templates/sichuan-2023.toml");
    let toml = toml.to_str().unwrap();
    let plain = converted(dir.path(), &[]);
    // The workers are started with the same edition: by name, or by the file's absolute path.
    assert_eq!(converted(dir.path(), &["--edition", "sichuan-2023"]), plain);
    assert_eq!(converted(dir.path(), &["--edition", toml]), plain);
    assert_eq!(converted(dir.path(), &["--template", toml]), plain);
}

#[test]
fn an_edition_that_is_neither_built_in_nor_a_file_is_one_line() {
    let out = yusuan(["--edition", "shanghai-1999", "rules"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("“shanghai-1999”") && err.contains("sichuan-2023"),
        "{err}"
    );
    let out = yusuan(["--edition", "sichuan-2023", "--template", "x.toml", "rules"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("不能与 --template"),
        "{}",
        text(&out.stderr)
    );
}

/// A table's title may carry the year before it and its sheet a name of its own (Shanghai's
/// `2026年预算单位财务收支预算总表` on the sheet `单位收支总表`); what is written so reads back
/// as the same budget.
#[test]
fn a_title_prefix_and_a_sheet_name_are_written_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let edition = edition_with(
        dir.path(),
        "",
        "number = 1\ntitle = \"单位收支总表\"\n",
        "number = 1\ntitle = \"单位收支总表\"\ntitle_prefix = \"{year}年\"\nsheet = \"收支总表\"\n",
    );
    let out = dir.path().join("out");
    convert_under(&edition, &sample(), &out, "xlsx,json");
    let book = out.join(format!("{SAMPLE_STEM}.xlsx"));
    let written = sheets(&book);
    assert_eq!(written[0].0, "收支总表");
    assert_eq!(written[0].1[0][0], "2023年单位收支总表");
    assert_eq!(written[1].0, "单位收入总表", "other tables as before");
    // Read back under the same edition: the budget that was written.
    let again = dir.path().join("again");
    convert_under(&edition, &book, &again, "json");
    assert_eq!(
        budget_json(&again.join(format!("{SAMPLE_STEM}.json"))),
        budget_json(&out.join(format!("{SAMPLE_STEM}.json")))
    );
}

/// An empty table's note may be the table's own, as published
/// (`注：本单位2023年无政府性基金预算财政拨款安排的预算，故本表为空表。`); other tables keep the
/// edition's.
#[test]
fn an_empty_table_gets_its_own_note_with_the_year() {
    let dir = tempfile::tempdir().unwrap();
    let own = "注：本单位{year}年无政府性基金预算财政拨款安排的预算，故本表为空表。";
    let edition = edition_with(
        dir.path(),
        "",
        "number = 10\n",
        &format!("number = 10\nempty_note = \"{own}\"\n"),
    );
    // The sample without the notes its empty tables were submitted with.
    let mut budget: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample_json(dir.path())).unwrap()).unwrap();
    for table in budget["tables"].as_array_mut().unwrap() {
        table.as_object_mut().unwrap().remove("notes");
    }
    let input = dir.path().join("unnoted.json");
    std::fs::write(&input, budget.to_string()).unwrap();
    let out = dir.path().join("out");
    let run = under(
        &edition,
        &[
            "convert".as_ref(),
            input.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "--formats".as_ref(),
            "xlsx".as_ref(),
        ],
    );
    assert!(
        run.status.code().is_some_and(|c| c < 2),
        "{}",
        text(&run.stderr)
    );
    let written = sheets(&out.join("unnoted.xlsx"));
    let cells = |n: usize| {
        written[n - 1]
            .1
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
    };
    let published = own.replace("{year}", "2023");
    assert!(cells(10).contains(&published), "{:?}", cells(10));
    assert!(
        cells(12).contains(&"说明：此表无数据".to_owned()),
        "{:?}",
        cells(12)
    );
}

/// `total_row = "bottom"`: a coded table's 合计 written below the rows it adds up, its formula
/// over them; the workbook reads back as the same budget.
#[test]
fn a_total_row_written_at_the_bottom_adds_the_rows_above_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let edition = edition_with(
        dir.path(),
        "",
        "number = 3\ntitle = \"单位支出总表\"\n",
        "number = 3\ntitle = \"单位支出总表\"\ntotal_row = \"bottom\"\n",
    );
    let out = dir.path().join("out");
    convert_under(&edition, &sample(), &out, "xlsx,json");
    let book = out.join(format!("{SAMPLE_STEM}.xlsx"));
    let table3 = &sheets(&book)[2].1;
    let last = table3
        .iter()
        .rposition(|row| row.iter().any(|t| !t.is_empty()))
        .unwrap();
    assert!(
        table3[last].iter().any(|t| t.replace(' ', "") == "合计"),
        "{:?}",
        table3[last]
    );
    assert!(
        table3[last].contains(&"1347.44".to_owned()),
        "{:?}",
        table3[last]
    );
    let again = dir.path().join("again");
    convert_under(&edition, &book, &again, "json");
    let json = |p: &Path| {
        let v = budget_json(p);
        let mut rows = v["tables"][2]["rows"].as_array().unwrap().clone();
        rows.sort_by_key(|r| r.to_string());
        rows
    };
    assert_eq!(
        json(&again.join(format!("{SAMPLE_STEM}.json"))),
        json(&out.join(format!("{SAMPLE_STEM}.json")))
    );
}

/// Amounts in a number format of the edition's or of one table's (whole 元: `#,##0;-#,##0;`):
/// the written cells carry it; other tables keep the edition's.
#[test]
fn a_table_may_show_its_amounts_in_a_format_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let whole = "#,##0;-#,##0;";
    let edition = edition_with(
        dir.path(),
        "",
        "number = 9\n",
        &format!("number = 9\namount_format = \"{whole}\"\n"),
    );
    let styles_of = |edition: &Path, out: &Path| -> String {
        convert_under(edition, &sample(), out, "xlsx");
        let file = std::fs::File::open(out.join(format!("{SAMPLE_STEM}.xlsx"))).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut xml)
            .unwrap();
        xml
    };
    let own = styles_of(&edition, &dir.path().join("own"));
    assert!(own.contains(&format!("formatCode=\"{whole}\"")), "{own}");
    assert!(
        own.contains("formatCode=\"#,##0.00;-#,##0.00;\""),
        "other tables as before"
    );
    let plain = styles_of(
        &root().join("templates/sichuan-2023.toml"),
        &dir.path().join("plain"),
    );
    assert!(!plain.contains(&format!("formatCode=\"{whole}\"")));
}

/// `preamble = "one_row"`: the 单位 line and the 金额单位 line on one row (the unit in the last
/// column), as Shanghai's tables print them; the workbook reads back as the same budget, and
/// the fillable template is written with its unit input beside the label.
#[test]
fn a_one_row_preamble_is_written_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let edition = edition_with(
        dir.path(),
        "",
        "preamble = \"two_rows\"",
        "preamble = \"one_row\"",
    );
    let out = dir.path().join("out");
    convert_under(&edition, &sample(), &out, "xlsx,json");
    let book = out.join(format!("{SAMPLE_STEM}.xlsx"));
    let table3 = &sheets(&book)[2].1;
    assert_eq!(
        table3[1][0],
        "单位：313603-四川省人力资源和社会保障信息中心"
    );
    assert_eq!(table3[1].last().unwrap(), "金额单位：万元");
    assert_eq!(table3[2][0], "科目编码", "the header right below");
    let again = dir.path().join("again");
    convert_under(&edition, &book, &again, "json");
    assert_eq!(
        budget_json(&again.join(format!("{SAMPLE_STEM}.json"))),
        budget_json(&out.join(format!("{SAMPLE_STEM}.json")))
    );
    let template = dir.path().join("template.xlsx");
    let run = under(
        &edition,
        &[
            "template".as_ref(),
            "-o".as_ref(),
            template.as_os_str(),
            "--from".as_ref(),
            sample().as_os_str(),
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let first_table = &sheets(&template)[1].1;
    assert_eq!(first_table[1][0], "单位：");
    assert_eq!(first_table[1][1], "313603-四川省人力资源和社会保障信息中心");
    assert_eq!(first_table[1].last().unwrap(), "金额单位：万元");
}

/// `used_only = true` on the class expansion: a two-sided table lists only the classes the
/// budget has figures for, numbered in sequence (Shanghai's 一、教育支出 …), each side packed from
/// the top; what is written reads back to the same figures.
#[test]
fn only_the_classes_used_are_written_numbered_in_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let edition = edition_with(
        dir.path(),
        "",
        "items = [{ expand = \"functional_classes\", numbered = true }]",
        "items = [{ expand = \"functional_classes\", numbered = true, used_only = true }]",
    );
    let out = dir.path().join("out");
    convert_under(&edition, &sample(), &out, "xlsx,csv");
    let book = out.join(format!("{SAMPLE_STEM}.xlsx"));
    let table1 = &sheets(&book)[0].1;
    let right: Vec<&str> = table1
        .iter()
        .filter_map(|r| r.get(2))
        .map(String::as_str)
        .collect();
    // Right under the header (项 目), in sequence.
    let start = right.iter().position(|t| *t == "项 目").unwrap() + 1;
    assert_eq!(
        right[start..start + 4],
        [
            "一、教育支出",
            "二、社会保障和就业支出",
            "三、卫生健康支出",
            "四、住房保障支出"
        ],
        "{right:?}"
    );
    assert!(!right.iter().any(|t| t.contains("外交支出")), "{right:?}");
    let again = dir.path().join("again");
    convert_under(&edition, &book, &again, "xlsx,csv");
    let facts = |d: &Path| std::fs::read_to_string(d.join(SAMPLE_STEM).join("facts.csv")).unwrap();
    assert_eq!(facts(&again), facts(&out));
}

/// `single_row = true`: a table of one row of figures and no codes or names (Shanghai's 三公
/// table) — that row is the table's total: written once (not a total plus a detail), its row
/// total a formula, read back the same; the fillable template has one input row for it.
#[test]
fn a_one_row_table_is_its_total_written_read_and_filled_once() {
    let dir = tempfile::tempdir().unwrap();
    let table11 = r#"header = [
  ["单位编码", "单位名称（科目）", "当年财政拨款预算安排", "<", "<", "<", "<", "<"],
  ["^", "^", "合计", "因公出国（境）费用", "公务用车购置及运行费", "<", "<", "公务接待费"],
  ["^", "^", "^", "^", "小计", "公务用车购置费", "公务用车运行费", "^"],
]
columns = ["unit", "name", "amount", "amount", "amount", "amount", "amount", "amount"]
widths = [10, 34, 12, 14, 12, 14, 14, 12]
checks = { rows = "R11.1", totals = "R11.2" }"#;
    let one_row = r#"single_row = true
header = [
  ["当年财政拨款预算安排", "<", "<", "<", "<", "<"],
  ["合计", "因公出国（境）费用", "公务用车购置及运行费", "<", "<", "公务接待费"],
  ["^", "^", "小计", "公务用车购置费", "公务用车运行费", "^"],
]
columns = ["amount", "amount", "amount", "amount", "amount", "amount"]
widths = [12, 14, 12, 14, 14, 12]
checks = { rows = "R11.1" }"#;
    // 表9 is laid out alike: the block after `number = 11` is 表11's.
    let edition = edition_with(dir.path(), "number = 11\n", table11, one_row);
    // The sample with figures in 表11: 公务接待费 0.30 and its totals.
    let mut budget: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample_json(dir.path())).unwrap()).unwrap();
    let t11 = &mut budget["tables"][10];
    t11.as_object_mut().unwrap().remove("notes");
    t11["rows"] = serde_json::json!([{ "kind": "total", "name": "合计", "amounts": {
        "当年财政拨款预算安排/合计": "0.30",
        "当年财政拨款预算安排/公务接待费": "0.30"
    } }]);
    let input = dir.path().join("one-row.json");
    std::fs::write(&input, budget.to_string()).unwrap();
    let under = |args: &[&OsStr]| under(&edition, args);
    let out = dir.path().join("out");
    let run = under(&[
        "convert".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--formats".as_ref(),
        "xlsx,csv".as_ref(),
    ]);
    // The sample's own warnings only (R7.2, R15): none about 表11.
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert!(!text(&run.stderr).contains("R11") && !text(&run.stderr).contains("R16"));
    let table11 = &sheets(&out.join("one-row.xlsx"))[10].1;
    let figures: Vec<&Vec<String>> = table11
        .iter()
        .filter(|r| r.iter().any(|t| t == "0.3" || t == "0.30"))
        .collect();
    assert_eq!(figures.len(), 1, "one row of figures: {table11:?}");
    let again = dir.path().join("again");
    let run = under(&[
        "convert".as_ref(),
        out.join("one-row.xlsx").as_os_str(),
        "-o".as_ref(),
        again.as_os_str(),
        "--formats".as_ref(),
        "csv".as_ref(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let facts = |d: &Path| std::fs::read_to_string(d.join("one-row").join("facts.csv")).unwrap();
    assert_eq!(facts(&again), facts(&out));
    // The template from that budget: one input row with 0.30, read back as the budget.
    let template = dir.path().join("template.xlsx");
    let run = under(&[
        "template".as_ref(),
        "-o".as_ref(),
        template.as_os_str(),
        "--from".as_ref(),
        input.as_os_str(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let filled = dir.path().join("filled");
    let run = under(&[
        "convert".as_ref(),
        template.as_os_str(),
        "-o".as_ref(),
        filled.as_os_str(),
        "--formats".as_ref(),
        "csv".as_ref(),
    ]);
    assert!(
        run.status.code().is_some_and(|c| c < 2),
        "{}",
        text(&run.stderr)
    );
    let table11_facts = |d: &Path, stem: &str| -> Vec<String> {
        std::fs::read_to_string(d.join(stem).join("facts.csv"))
            .unwrap()
            .lines()
            .filter(|l| l.contains("三公") && l.contains("政府性基金"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        table11_facts(&filled, "template"),
        table11_facts(&out, "one-row")
    );
}

/// An edition whose entity line is `{entity}：{name}` names units by name alone: a budget
/// without a code is written so and read back without one; a batch tells two such units apart
/// by name (one folder each, named by name), and a merge refuses the same name twice.
#[test]
fn units_without_a_code_are_named_and_told_apart_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let edition = edition_with(
        dir.path(),
        "",
        "entity_line = \"{entity}：{code}-{name}\"",
        "entity_line = \"{entity}：{name}\"",
    );
    // The sample's budget without its code, under two names.
    let mut json = budget_json(&sample_json(dir.path()));
    json.as_object_mut().unwrap().remove("source");
    json["code"] = "".into();
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    for (file, name) in [("a.json", "某区某福利院"), ("b.json", "某区-某中心")] {
        json["name"] = name.into();
        std::fs::write(inputs.join(file), json.to_string()).unwrap();
    }
    let out = dir.path().join("out");
    convert_under(&edition, &inputs.join("b.json"), &out, "xlsx");
    let book = out.join("b.xlsx");
    assert_eq!(sheets(&book)[2].1[1][0], "单位：某区-某中心");
    let again = dir.path().join("again");
    convert_under(&edition, &book, &again, "json");
    let read = budget_json(&again.join("b.json"));
    assert_eq!(
        (read["code"].as_str(), read["name"].as_str()),
        (Some(""), Some("某区-某中心"))
    );
    // Under the default edition the part before the dash is taken for a code, and doubted.
    let run = yusuan([
        "convert".as_ref(),
        book.as_os_str(),
        "-o".as_ref(),
        dir.path().join("default").as_os_str(),
    ]);
    assert!(
        text(&run.stderr).contains("单位代码“某区”不全是数字"),
        "{}",
        text(&run.stderr)
    );

    std::fs::copy(&book, inputs.join("b.xlsx")).unwrap();
    std::fs::remove_file(inputs.join("b.json")).unwrap();
    let batch = dir.path().join("batch");
    let run = under(
        &edition,
        &[
            "batch".as_ref(),
            inputs.as_os_str(),
            "-o".as_ref(),
            batch.as_os_str(),
        ],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let mut folders: Vec<String> = std::fs::read_dir(&batch)
        .unwrap()
        .filter_map(|e| e.ok().filter(|e| e.path().is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(folders, ["某区-某中心", "某区某福利院"]);

    let merged = dir.path().join("merged");
    let merge = |inputs: &[&Path]| {
        let mut args: Vec<&OsStr> = vec!["merge".as_ref()];
        args.extend(inputs.iter().map(|p| p.as_os_str()));
        args.extend(["--code", "313", "--name", "某区民政局", "-o"].map(OsStr::new));
        args.push(merged.as_os_str());
        under(&edition, &args)
    };
    let run = merge(&[&inputs.join("a.json"), &inputs.join("b.xlsx")]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let run = merge(&[&inputs.join("a.json"), &inputs.join("a.json")]);
    assert_ne!(run.status.code(), Some(0));
    assert!(
        text(&run.stderr).contains("某区某福利院"),
        "{}",
        text(&run.stderr)
    );
}

/// `amount_unit` on a table: its figures stay in its own unit (the “三公” table in 万元 where
/// the edition counts in 元), its amount-unit line says so, the JSON records it, and rules
/// across tables compare exactly in the edition's unit (R12.1: 公务接待费 in 万元 against
/// 30217 in 元 finds nothing the default edition does not).
#[test]
fn a_table_in_a_unit_of_its_own_is_kept_in_it_and_compared_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let edition = edition_with(
        dir.path(),
        "[edition]",
        "amount_unit = \"万元\"",
        "amount_unit = \"元\"",
    );
    let toml = std::fs::read_to_string(&edition).unwrap().replacen(
        "title = \"一般公共预算“三公”经费支出预算表\"",
        "title = \"一般公共预算“三公”经费支出预算表\"\namount_unit = \"万元\"",
        1,
    );
    std::fs::write(&edition, toml).unwrap();
    let out = dir.path().join("out");
    convert_under(&edition, &sample(), &out, "xlsx,json");
    let json = budget_json(&out.join(format!("{SAMPLE_STEM}.json")));
    let default = budget_json(&sample_json(dir.path()));
    let table = |j: &serde_json::Value, n: usize| j["tables"][n - 1].clone();
    assert_eq!(json["amount_unit"], "元");
    assert_eq!(table(&json, 9)["amount_unit"], "万元");
    assert_eq!(table(&json, 9)["rows"], table(&default, 9)["rows"]);
    assert_eq!(
        table(&default, 7)["rows"][0]["amounts"]["基本支出/合计"],
        "404.80"
    );
    assert_eq!(
        table(&json, 7)["rows"][0]["amounts"]["基本支出/合计"],
        "4048000.00"
    );
    let book = out.join(format!("{SAMPLE_STEM}.xlsx"));
    let sheets = sheets(&book);
    let unit_line = |n: usize| {
        sheets[n]
            .1
            .iter()
            .flatten()
            .find(|c| c.starts_with("金额单位"))
            .cloned()
    };
    assert_eq!(unit_line(8).as_deref(), Some("金额单位：万元"));
    assert_eq!(unit_line(6).as_deref(), Some("金额单位：元"));
    // The same findings as under the default edition, rule by rule.
    let rules = |args: &[&OsStr], edition: Option<&Path>| {
        let mut all: Vec<&OsStr> = vec!["check".as_ref()];
        all.extend(args);
        all.extend(["--format", "json"].map(OsStr::new));
        let run = match edition {
            Some(e) => under(e, &all),
            None => yusuan(&all),
        };
        let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let mut ids: Vec<String> = report["files"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    let own = rules(&[book.as_os_str()], Some(&edition));
    assert_eq!(own, rules(&[sample().as_os_str()], None));
    // Read back, the figures are the same.
    let again = dir.path().join("again");
    convert_under(&edition, &book, &again, "json");
    assert_eq!(
        budget_json(&again.join(format!("{SAMPLE_STEM}.json"))),
        json
    );
}
