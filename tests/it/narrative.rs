//! The 情况说明: `check --narrative` against the sample, with narratives written by us
//! (`tests/fixtures/narrative/`: `agree.txt` agrees with the sample, `altered.md` is it with
//! figures changed at known lines, `agree.docx` is `agree.txt` saved by LibreOffice Writer with
//! `make.sh`), and `narrate` checked by `check --narrative` and opened by LibreOffice.

use crate::common::*;
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use yusuan::edition::{Edition, Layout, Select};
use yusuan::model::{Budget, RowKind};
use yusuan::narrative::{Verdict, check_narrative};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/narrative").join(name)
}

/// `check INPUT --narrative FILE` (and more arguments).
fn check_with(input: &Path, narrative: &Path, more: &[&str]) -> std::process::Output {
    let mut args: Vec<std::ffi::OsString> = vec![
        "check".into(),
        input.as_os_str().to_owned(),
        "--narrative".into(),
        narrative.as_os_str().to_owned(),
    ];
    args.extend(more.iter().map(Into::into));
    yusuan(&args)
}

/// `check --format json` of the sample with a narrative (and more arguments).
fn check_json(narrative: &Path, more: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["--format", "json"];
    args.extend(more);
    let out = check_with(&sample(), narrative, &args);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code(), json)
}

fn counts(json: &Value) -> (u64, u64, u64, u64) {
    let n = &json["files"][0]["narrative"];
    let get = |k: &str| n[k].as_u64().unwrap();
    (
        get("figures"),
        get("verified"),
        get("unverifiable"),
        get("contradictions"),
    )
}

/// The narrative findings: (rule, line).
fn narrative_findings(json: &Value) -> Vec<(String, u64)> {
    json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with('N'))
        .map(|f| {
            assert!(f["table"].is_null() && f["sheet"].is_null() && f["cell"].is_null());
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_narrative_that_agrees_verifies_every_figure_the_tables_give() {
    let (code, json) = check_json(&fixture("agree.txt"), &[]);
    // The sample has warnings only: exit 0.
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(
        json["files"][0]["narrative"]["file"],
        fixture("agree.txt").display().to_string()
    );
    // 49 statements: 39 agree; 10 the tables cannot tell — two changes against last year and
    // two 持平 without --previous, two counts (0 辆, 10 个), four figures of the sections the
    // unit fills (政府采购, 绩效).
    assert_eq!(counts(&json), (49, 39, 10, 0));
    assert!(narrative_findings(&json).is_empty());
}

#[test]
fn a_word_document_is_checked_paragraph_by_paragraph() {
    let (code, json) = check_json(&fixture("agree.docx"), &[]);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(counts(&json), (49, 39, 10, 0));
    // The same text with figures altered, as a .docx written by yusuan: paragraphs numbered.
    let text = std::fs::read_to_string(fixture("agree.txt")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("altered.docx");
    std::fs::write(
        &docx,
        word_document(&text.replace("404.80万元", "404.08万元")),
    )
    .unwrap();
    let (code, json) = check_json(&docx, &[]);
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(narrative_findings(&json), [("N1".to_owned(), 10)]);
    let message = json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("第 10 段“基本支出”写作 404.08万元，表中为 404.80 万元"),
        "{message}"
    );
}

/// A minimal Word document with one paragraph per line of `text`.
/// The parts that make a zip a Word package: content types and the package relationships
/// naming `main` as the office document.
fn package_parts(zip: &mut zip::ZipWriter<impl std::io::Write + std::io::Seek>, main: &str) {
    use std::io::Write;
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).unwrap();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/{main}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
    )
    .unwrap();
    zip.start_file("_rels/.rels", options).unwrap();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{main}"/></Relationships>"#
    )
    .unwrap();
}

fn document_part(text: &str) -> String {
    let paragraphs: String = text
        .lines()
        .map(|l| format!("<w:p><w:r><w:t>{l}</w:t></w:r></w:p>"))
        .collect();
    format!(r#"<w:document xmlns:w="w"><w:body>{paragraphs}</w:body></w:document>"#)
}

/// A Word package whose main part holds `text`, a paragraph per line; with `decoy`, the usual
/// `word/document.xml` holds the decoy while the relationships name another main part.
fn word_package(text: &str, decoy: Option<&str>) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let main = if decoy.is_some() {
        "word/main.xml"
    } else {
        "word/document.xml"
    };
    package_parts(&mut zip, main);
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file(main, options).unwrap();
    zip.write_all(document_part(text).as_bytes()).unwrap();
    if let Some(decoy) = decoy {
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(document_part(decoy).as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn word_document(text: &str) -> Vec<u8> {
    word_package(text, None)
}

#[test]
fn the_main_part_is_the_one_the_relationships_name() {
    // Word shows the part `_rels/.rels` names; a reader of `word/document.xml` by name would
    // check an unreferenced decoy that agrees with the tables, and find nothing.
    let text = std::fs::read_to_string(fixture("agree.txt")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("evasive.docx");
    let shown = text.replace("404.80万元", "9999.99万元");
    std::fs::write(&docx, word_package(&shown, Some(&text))).unwrap();
    let (code, json) = check_json(&docx, &[]);
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(narrative_findings(&json), [("N1".to_owned(), 10)]);
    // A package whose main part is not a WordprocessingML document is refused.
    let odd = dir.path().join("spreadsheet.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&odd).unwrap());
    {
        use std::io::Write;
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(br#"<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#).unwrap();
        zip.start_file("_rels/.rels", options).unwrap();
        zip.write_all(br#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).unwrap();
        zip.start_file("xl/workbook.xml", options).unwrap();
        zip.write_all(b"<workbook/>").unwrap();
    }
    zip.finish().unwrap();
    let run = check_with(&sample(), &odd, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("不是 Word 文档"), "{stderr}");
}

#[test]
fn altered_figures_are_flagged_at_their_lines_and_nothing_else() {
    let (code, json) = check_json(&fixture("altered.md"), &[]);
    assert_eq!(code, Some(1), "{json}");
    // Altered: 基本支出 (line 10), 社会保障和就业支出 in 财政拨款 (13), the share of 教育支出 (19),
    // 信息化建设 (22), "三公"经费 written in 元 (29). Also altered, and rightly not flagged: the
    // change against last year (4: no --previous) and 政府采购 (41: the tables do not say).
    assert_eq!(
        narrative_findings(&json),
        [
            ("N1".to_owned(), 10),
            ("N1".to_owned(), 13),
            ("N2".to_owned(), 19),
            ("N1".to_owned(), 22),
            ("N1".to_owned(), 29),
        ]
    );
    assert_eq!(counts(&json), (49, 34, 10, 5));
    let findings = json["files"][0]["findings"].as_array().unwrap();
    let share = findings.iter().find(|f| f["rule"] == "N2").unwrap();
    assert_eq!(share["expected"], "1.24%");
    assert_eq!(share["actual"], "1.25%");
    assert!(
        share["sentence"]
            .as_str()
            .unwrap()
            .starts_with("教育支出16.75万元，占1.25%"),
        "{share}"
    );
    let yuan = findings.iter().find(|f| f["line"] == 29).unwrap();
    assert_eq!(
        (yuan["expected"].as_str(), yuan["actual"].as_str()),
        (Some("0.80"), Some("0.90"))
    );
}

/// The sample as a JSON budget, edited, written to `dir/name`.
fn edited_sample(dir: &Path, name: &str, edit: impl Fn(&mut Value)) -> PathBuf {
    let path = sample_json(&dir.join(format!("{name}.d")));
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut json);
    let edited = dir.join(name);
    std::fs::write(&edited, serde_json::to_string(&json).unwrap()).unwrap();
    edited
}

/// Last year's budget: the sample with its totals 45.39 lower (收支总数, 财政拨款收支总数,
/// 一般公共预算当年拨款), the 公务接待费 unchanged.
fn last_year(dir: &Path) -> PathBuf {
    edited_sample(dir, "313603-2022.json", |json| {
        json["year"] = 2022.into();
        let lower = |v: &mut Value| {
            let d = Decimal::from_str(v.as_str().unwrap()).unwrap()
                - Decimal::from_str("45.39").unwrap();
            *v = d.to_string().into();
        };
        for table in json["tables"].as_array_mut().unwrap() {
            let number = table["number"].as_u64().unwrap();
            for row in table["rows"].as_array_mut().unwrap() {
                let item = row["item"].as_str().unwrap_or_default().to_owned();
                let total = row["kind"] == "total";
                let column = match (number, item.as_str(), total) {
                    (1 | 4, "收入总计", _) => "收入/预算数",
                    (6, _, true) => "合计",
                    _ => continue,
                };
                lower(&mut row["amounts"][column]);
            }
        }
    })
}

#[test]
fn a_narrative_saying_no_fund_money_is_contradicted_by_a_fund_table_with_money() {
    let dir = tempfile::tempdir().unwrap();
    let funded = edited_sample(dir.path(), "313603-funded.json", |json| {
        let table = json["tables"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|t| t["number"] == 10)
            .unwrap();
        table["rows"][0]["amounts"] = serde_json::json!({
            "本年政府性基金预算支出/合计": "12.00",
            "本年政府性基金预算支出/项目支出": "12.00"
        });
    });
    let out = check_with(&funded, &fixture("agree.txt"), &["--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        narrative_findings(&json).contains(&("N3".to_owned(), 34)),
        "{json}"
    );
}

#[test]
fn with_last_year_the_comparisons_are_checked_too() {
    let dir = tempfile::tempdir().unwrap();
    let previous = last_year(dir.path());
    let previous = previous.to_str().unwrap();
    let (code, json) = check_json(&fixture("agree.txt"), &["--previous", previous]);
    assert_eq!(code, Some(0), "{json}");
    // The two changes of 45.39 and the two 持平 are verified now.
    assert_eq!(counts(&json), (49, 43, 6, 0));
    let (code, json) = check_json(&fixture("altered.md"), &["--previous", previous]);
    assert_eq!(code, Some(1));
    let found = narrative_findings(&json);
    assert!(found.contains(&("N4".to_owned(), 4)), "{found:?}");
    let change = json["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "N4")
        .unwrap()
        .clone();
    assert_eq!(
        (change["expected"].as_str(), change["actual"].as_str()),
        (Some("45.39"), Some("54.39"))
    );
}

/// Runs `narrate`, returning the file written.
fn narrate(dir: &Path, name: &str, previous: Option<&str>) -> PathBuf {
    let out = dir.join(name);
    let mut args = vec![
        "narrate".into(),
        sample().into_os_string(),
        "-o".into(),
        out.clone().into_os_string(),
    ];
    if let Some(p) = previous {
        args.extend(["--previous".into(), p.into()]);
    }
    let run = yusuan(args);
    exits(&run, 0);
    out
}

#[test]
fn a_written_narrative_checks_out_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let previous = last_year(dir.path());
    for (name, previous) in [
        ("说明.md", None),
        ("说明.docx", None),
        ("对比.md", previous.to_str()),
    ] {
        let written = narrate(dir.path(), name, previous);
        let mut more = vec![];
        if let Some(p) = previous {
            more.extend(["--previous", p]);
        }
        let (code, json) = check_json(&written, &more);
        assert_eq!(code, Some(0), "{name}: {json}");
        let (figures, verified, unverifiable, contradictions) = counts(&json);
        assert!(figures >= 40, "{name}: {figures}");
        assert_eq!(
            (verified, unverifiable, contradictions),
            (figures, 0, 0),
            "{name}: every figure written is verified"
        );
    }
    let text = std::fs::read_to_string(dir.path().join("说明.md")).unwrap();
    assert!(text.starts_with("# 四川省人力资源和社会保障信息中心2023年单位预算情况说明\n"));
    assert!(text.contains("基本支出404.80万元，占30.04%；项目支出942.64万元，占69.96%"));
    assert!(text.contains("比上年增加（减少）____万元，主要原因是____"));
    assert!(text.contains("没有使用政府性基金预算拨款安排的支出"));
    assert!(text.contains("### （二）政府采购情况"));
    let compared = std::fs::read_to_string(dir.path().join("对比.md")).unwrap();
    assert!(compared.contains("收支预算总数1347.44万元，比上年增加45.39万元，主要原因是____"));
    assert!(compared.contains("公务接待费与上年持平"));
}

#[test]
#[cfg_attr(
    not(has_soffice),
    ignore = "needs LibreOffice Writer: apt-get install libreoffice-writer-nogui"
)]
fn libreoffice_opens_the_written_word_document() {
    let dir = tempfile::tempdir().unwrap();
    let docx = narrate(dir.path(), "说明.docx", None);
    let run = soffice(
        &docx,
        "txt:Text (encoded):UTF8",
        &dir.path().join("lo"),
        &dir.path().join("lo-profile"),
    );
    let text = std::fs::read_to_string(dir.path().join("lo/说明.txt"));
    let (Ok(_), Ok(text)) = (run, text) else {
        panic!("LibreOffice Writer did not convert it: apt-get install libreoffice-writer-nogui");
    };
    let paragraphs: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        paragraphs[0],
        "四川省人力资源和社会保障信息中心2023年单位预算情况说明"
    );
    assert!(paragraphs.contains(&"一、收支预算情况说明"), "{text}");
    assert!(
        paragraphs.contains(&"（三）一般公共预算当年拨款具体使用情况"),
        "{text}"
    );
    assert!(text.contains("基本支出404.80万元，占30.04%"), "{text}");
    assert!(text.contains("单位现有公务用车____辆"), "{text}");
}

#[test]
fn narrate_refuses_what_it_cannot_write_and_never_replaces_a_user_s_file() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = dir.path().join("情况说明.md");
    std::fs::write(&theirs, "单位自己写的说明").unwrap();
    for target in [theirs.clone(), dir.path().join("说明.pdf")] {
        let run = yusuan([
            "narrate".as_ref(),
            sample().as_os_str(),
            "-o".as_ref(),
            target.as_os_str(),
        ]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(&theirs).unwrap(),
        "单位自己写的说明"
    );
    // Its own output it replaces.
    let ours = narrate(dir.path(), "说明.md", None);
    narrate(dir.path(), "说明.md", None);
    assert!(ours.is_file());
}

#[test]
fn check_narrative_needs_one_input_and_a_readable_file() {
    let run = yusuan([
        "check".as_ref(),
        sample().as_os_str(),
        sample().as_os_str(),
        "--narrative".as_ref(),
        fixture("agree.txt").as_os_str(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("gbk.txt", &b"\xca\xd5\xd6\xa7 1347.44 \xcd\xf2\xd4\xaa"[..]),
        ("broken.docx", b"PK\x03\x04 not really"),
        ("说明.pdf", b"%PDF-1.4"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let run = check_with(&sample(), &path, &[]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(name), "{name}: {stderr}");
        assert!(!stderr.contains("panick"), "{stderr}");
    }
}

#[test]
fn a_compressed_bomb_of_a_document_is_refused() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    package_parts(&mut zip, "word/document.xml");
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("word/document.xml", options).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..8 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    let run = check_with(&sample(), &path, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("疑似压缩炸弹"), "{stderr}");
}

/// Adds 0.01 to the cells a figure reads, in a budget (property below).
fn bump(edition: &Edition, budget: &mut Budget, figure: &yusuan::narrative::Figure) {
    let spec = edition
        .narrative
        .as_ref()
        .unwrap()
        .figure(&figure.key)
        .unwrap();
    let q = &spec.quantity;
    let side = edition.table(q.table).and_then(|t| match &t.layout {
        Layout::TwoSided(ts) => Some(
            ts.sides[t.columns[t.find_column(&q.column)?].side?]
                .name
                .clone(),
        ),
        _ => None,
    });
    let table = budget
        .tables
        .iter_mut()
        .find(|t| t.number == q.table)
        .unwrap();
    let cent = Decimal::new(1, 2);
    let mut bumped = 0;
    for row in &mut table.rows {
        if side.is_some() && row.side != side {
            continue;
        }
        let takes = match &q.select {
            Select::Item(id) => row.item.as_deref() == Some(id.as_str()),
            Select::TotalRow => row.kind == RowKind::Total,
            Select::ClassItems | Select::Level(_) => {
                row.kind != RowKind::Total && row.code == figure.code
            }
            other => panic!("no bump for {other:?}"),
        };
        if takes {
            *row.amounts.get_or_zero(&q.column) += cent;
            bumped += 1;
        }
    }
    assert_eq!(bumped, 1, "{}", figure.name);
}

#[test]
fn changing_any_amount_the_narrative_states_fails_it_at_that_line() {
    let edition = Edition::builtin();
    let budget = sample_budget(&edition);
    let document = yusuan::read::read_document(&fixture("agree.txt")).unwrap();
    let agreed = check_narrative(&edition, &budget, None, &document, "agree.txt").unwrap();
    assert_eq!(agreed.contradictions(), 0);
    let spec = edition.narrative.as_ref().unwrap();
    let figures = yusuan::narrative::Figures::of(&edition, spec, &budget);
    let mut tried = 0;
    for figure in &figures.all {
        // The lines where the narrative states this figure's amount, verified.
        let lines: Vec<usize> = agreed
            .outcomes
            .iter()
            .filter(|o| {
                o.verdict == Verdict::Verified
                    && o.figure.as_ref() == Some(figure)
                    && !o.written.ends_with('%')
                    && !o.written.contains("没有使用")
            })
            .map(|o| o.line)
            .collect();
        if lines.is_empty() {
            continue;
        }
        let mut changed = budget.clone();
        bump(&edition, &mut changed, figure);
        let checked = check_narrative(&edition, &changed, None, &document, "agree.txt").unwrap();
        let failed: Vec<usize> = checked.findings().map(|f| f.line).collect();
        for line in &lines {
            assert!(
                failed.contains(line),
                "{} changed: line {line} not flagged ({failed:?})",
                figure.name
            );
        }
        tried += 1;
    }
    // Every distinct amount the narrative states: 收支总数, 收入预算, the income, 支出预算, 基本 and
    // 项目支出, four classes twice over, three 项, 人员/公用经费 and the "三公" figures…
    assert!(tried >= 20, "{tried}");
}

#[test]
fn a_batch_checks_each_unit_s_narrative_by_the_code_in_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(sample(), input.join("313603.xlsx")).unwrap();
    std::fs::copy(fixture("altered.md"), input.join("313603-情况说明.md")).unwrap();
    std::fs::write(input.join("说明.txt"), "不属于任何单位").unwrap();
    let out = dir.path().join("out");
    let run = batch(&input, &out, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("未核对：说明.txt"), "{stderr}");
    assert!(
        stderr.contains("共 1 个工作簿（另有情况说明 1 份）"),
        "{stderr}"
    );
    let summary = csv_lines(&out.join("summary.csv"));
    let mut lines = summary.iter();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with(",superseded,narrative_contradictions")
    );
    let row = lines.next().unwrap();
    assert!(row.contains(",findings,5,") && row.ends_with(",5"), "{row}");
    let findings = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    let narrative: Vec<&str> = findings
        .lines()
        .filter(|l| l.contains(",313603-情况说明.md,N"))
        .collect();
    assert_eq!(narrative.len(), 5, "{findings}");
    assert!(
        narrative[0].contains(",N1,error,,情况说明,,,404.80,404.90,"),
        "{}",
        narrative[0]
    );
    assert!(narrative[0].ends_with(",10"), "{}", narrative[0]);
}

#[test]
fn another_province_s_wording_is_data() {
    let dir = tempfile::tempdir().unwrap();
    // Another wording: a heading, a sentence and a name of a figure.
    let edition = yusuan::edition::SICHUAN_2023
        .replace(
            "heading = \"四、一般公共预算基本支出情况说明\"",
            "heading = \"四、基本支出情况\"",
        )
        .replace(
            "\"{unit}{year}年一般公共预算基本支出{general_basic}，其中：\"",
            "\"本年度基本经费{general_basic}，其中：\"",
        )
        .replace(
            "names = [\"一般公共预算基本支出\"]",
            "names = [\"基本经费\"]",
        );
    let template = dir.path().join("edition.toml");
    std::fs::write(&template, edition).unwrap();
    let out = dir.path().join("说明.md");
    let run = yusuan([
        "--template".as_ref(),
        template.as_os_str(),
        "narrate".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    exits(&run, 0);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("## 四、基本支出情况\n\n本年度基本经费404.80万元，其中："),
        "{text}"
    );
    assert!(!text.contains("一般公共预算基本支出"), "{text}");
    // The same edition checks what it wrote: 基本经费 is a name of the figure now.
    let run = yusuan([
        "--template".as_ref(),
        template.as_os_str(),
        "check".as_ref(),
        sample().as_os_str(),
        "--narrative".as_ref(),
        out.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let json: Value = serde_json::from_slice(&run.stdout).unwrap();
    let (figures, verified, _, contradictions) = counts(&json);
    assert_eq!((verified, contradictions), (figures, 0), "{json}");
}

#[test]
fn an_edition_without_a_narrative_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let text = yusuan::edition::SICHUAN_2023;
    let without = &text[..text.find("\n[narrative]").unwrap()];
    let template = dir.path().join("edition.toml");
    std::fs::write(&template, without).unwrap();
    let sample_path = sample();
    let written = dir.path().join("说明.md");
    let narrate: Vec<&std::ffi::OsStr> = vec![
        "narrate".as_ref(),
        sample_path.as_os_str(),
        "-o".as_ref(),
        written.as_os_str(),
    ];
    let agree = fixture("agree.txt");
    let check: Vec<&std::ffi::OsStr> = vec![
        "check".as_ref(),
        sample_path.as_os_str(),
        "--narrative".as_ref(),
        agree.as_os_str(),
    ];
    for args in [narrate, check] {
        let run = yusuan(
            ["--template".as_ref(), template.as_os_str()]
                .into_iter()
                .chain(args),
        );
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("没有定义情况说明"), "{stderr}");
    }
}

#[test]
fn a_name_followed_by_other_words_does_not_decide_the_figure() {
    let edition = Edition::builtin();
    let budget = sample_budget(&edition);
    let text = [
        // 项目支出 is named, but 596.7 is what 信息化建设 is given: not compared with 942.64.
        "项目支出主要用于信息化建设596.7万元。",
        // Fillers between name and number: compared.
        "基本支出为404.80万元，项目支出共计942.64万元。",
        "一般公共预算当年拨款比上年增加45.39万元。",
    ];
    let document = yusuan::read::Document {
        paragraphs: text
            .iter()
            .enumerate()
            .map(|(i, t)| yusuan::read::Paragraph {
                line: i + 1,
                text: (*t).to_owned(),
            })
            .collect(),
        word: false,
    };
    let checked = check_narrative(&edition, &budget, None, &document, "t.txt").unwrap();
    let verdicts: Vec<(usize, bool)> = checked
        .outcomes
        .iter()
        .map(|o| (o.line, o.verdict == Verdict::Verified))
        .collect();
    assert_eq!(verdicts, [(1, false), (2, true), (2, true), (3, false)]);
    assert_eq!(checked.contradictions(), 0);
    assert_eq!(checked.outcomes[3].figure.as_ref().unwrap().key, "general");
}

#[test]
fn a_previous_budget_that_is_not_last_year_s_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("说明.md");
    let run = yusuan([
        "narrate".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--previous".as_ref(),
        sample().as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("警告：--previous 的预算是 2023 年的，不是本年 2023 年的上一年（2022 年）"),
        "{stderr}"
    );
    // Last year's proper: no warning.
    let previous = last_year(dir.path());
    let run = yusuan([
        "narrate".as_ref(),
        sample().as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--previous".as_ref(),
        previous.as_os_str(),
    ]);
    assert!(!String::from_utf8_lossy(&run.stderr).contains("警告"));
}
