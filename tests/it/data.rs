//! Official workbooks from data: the canonical JSON and the long form of `facts.csv` read back
//! by `convert`, `check` and `batch`; round trips exact; malformed data named with its line.

use crate::common::*;
use std::path::Path;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The sample converted, then its JSON and its facts converted again.
fn round_trip() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    convert(&[&sample()], &first, 0);
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(
        first.join(format!("{SAMPLE_STEM}.json")),
        data.join("from-json.json"),
    )
    .unwrap();
    std::fs::copy(
        first.join(SAMPLE_STEM).join("facts.csv"),
        data.join("from-facts.csv"),
    )
    .unwrap();
    convert(
        &[&data.join("from-json.json"), &data.join("from-facts.csv")],
        &dir.path().join("second"),
        0,
    );
    dir
}

#[test]
fn json_round_trips_exactly() {
    let dir = round_trip();
    let d = dir.path();
    assert!(
        read(&d.join(format!("first/{SAMPLE_STEM}.json")))
            == read(&d.join("second/from-json.json")),
        "xlsx → json → model: the same model"
    );
    // The same workbook content; only 校验结果's column of input cells is empty, since a JSON
    // file has no cells.
    let tables = |path: &Path| {
        let text = dump(path);
        text[..text.find("== sheet 15").unwrap()].to_owned()
    };
    let (a, b) = (
        tables(&d.join(format!("first/{SAMPLE_STEM}.xlsx"))),
        tables(&d.join("second/from-json.xlsx")),
    );
    let first_difference = a.lines().zip(b.lines()).find(|(x, y)| x != y);
    assert!(a == b, "xlsx → json → xlsx differs: {first_difference:?}");
}

#[test]
fn facts_round_trip_the_amounts_and_labels() {
    let dir = round_trip();
    let d = dir.path();
    // Tables 1–12 are amounts and labels only: identical. Table 13's annual goals and
    // indicator lines are not in facts.csv (they travel in the JSON).
    for n in 1..=12 {
        let name = std::fs::read_dir(d.join("first").join(SAMPLE_STEM))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|f| f.starts_with(&format!("{n:02}-")))
            .unwrap();
        assert!(
            read(&d.join("first").join(SAMPLE_STEM).join(&name))
                == read(&d.join("second/from-facts").join(&name)),
            "{name} differs"
        );
    }
    // facts → xlsx → facts: the same lines for tables 1–12 (表13's rows are numbered by its
    // indicator lines, which facts.csv does not carry).
    let lines = |path: &Path| -> Vec<String> {
        read(path)
            .lines()
            .filter(|l| !l.starts_with("13,"))
            .map(str::to_owned)
            .collect()
    };
    let (a, b) = (
        lines(&d.join("first").join(SAMPLE_STEM).join("facts.csv")),
        lines(&d.join("second/from-facts/facts.csv")),
    );
    let first_difference = a.iter().zip(&b).find(|(x, y)| x != y);
    assert!(a == b, "facts differ: {first_difference:?}");
}

#[test]
fn malformed_data_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("bad.json");
    std::fs::write(
        &json,
        "{\"edition\": \"x\",\n \"year\": 2023,\n \"tables\": [1, 2]\n}",
    )
    .unwrap();
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        "table,row,code,name,unit_code,column,amount\n1,1,,一、一般公共预算拨款收入,313603,收入/预算数,1347.44\n1,2,,x,313603,收入/预算数,abc\n",
    )
    .unwrap();
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "a,b\n1,2\n").unwrap();
    // An unclosed quote would take in every line after it: it is named, with its line.
    let unclosed = dir.path().join("unclosed.csv");
    std::fs::write(
        &unclosed,
        "table,row,code,name,unit_code,column,amount\n1,1,,\"一、一般公共预算拨款收入,313603,收入/预算数,1347.44\n1,2,,x,313603,收入/预算数,1\n",
    )
    .unwrap();
    // The JSON parser's words are English: what a budget file meets is said in Chinese.
    let huge = dir.path().join("huge.json");
    std::fs::write(
        &huge,
        "{\"edition\": \"x\", \"year\": 2023, \"entity_word\": \"单位\", \"code\": \"1\",\n \"name\": \"x\", \"amount_unit\": \"万元\", \"tables\": [{\"number\": 3, \"title\": \"t\",\n \"rows\": [{\"kind\": \"total\", \"name\": \"合计\", \"amounts\": {\"合计\": \"1e400\"}}]}]}",
    )
    .unwrap();
    for (file, phrase) in [
        (
            &huge,
            "huge.json 第 3 行：数据文件有误：不是 yusuan 的预算数据：“1e400”不是有效的金额",
        ),
        (&json, "bad.json 第 3 行：数据文件有误"),
        (&csv, "bad.csv 第 3 行：数据文件有误：金额“abc”不是数"),
        (&other, "other.csv 第 1 行：数据文件有误：缺少“table”列"),
        (&unclosed, "unclosed.csv 第 2 行：数据文件有误：引号未闭合"),
    ] {
        let out = yusuan(["check".as_ref(), file.as_os_str()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(phrase), "{stderr}");
        assert!(
            !stderr.contains("expected") && !stderr.contains("invalid"),
            "{stderr}"
        );
    }
}

#[test]
fn a_batch_reads_data_files_beside_workbooks() {
    let dir = round_trip();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(
        dir.path().join("data/from-json.json"),
        input.join("313603.json"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = batch(&input, &out, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("共 1 个工作簿、1 个单位：通过 1"),
        "{stderr}"
    );
}

#[test]
fn an_amount_under_an_unknown_column_is_refused_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample_json(dir.path())).unwrap();
    // 表9's 合计 written as its leaf, not its key: the 0.80 would be read as nothing.
    let edited = text.replacen("\"当年财政拨款预算安排/合计\"", "\"合计\"", 1);
    assert_ne!(edited, text);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, edited).unwrap();
    let run = yusuan(["check".as_ref(), bad.as_os_str()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("表9没有“合计”列"), "{stderr}");
}

#[test]
fn a_facts_csv_saved_as_gbk_reads_as_the_utf8_one() {
    // Excel on Chinese Windows saves "CSV" in GBK (GB18030); bytes that are neither UTF-8 nor
    // GBK are an error naming the line.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    convert_readable(&sample(), &d.join("csv"), &["--formats", "csv"]);
    let utf8 = std::fs::read_to_string(d.join("csv").join(SAMPLE_STEM).join("facts.csv")).unwrap();
    let (gbk, _, lossy) = encoding_rs::GB18030.encode(utf8.trim_start_matches('\u{feff}'));
    assert!(!lossy);
    std::fs::write(d.join("gbk.csv"), &gbk).unwrap();
    std::fs::write(d.join("utf8.csv"), &utf8).unwrap();
    for name in ["gbk", "utf8"] {
        convert_readable(
            &d.join(format!("{name}.csv")),
            &d.join(name),
            &["--formats", "json"],
        );
    }
    assert_eq!(
        read(&d.join("gbk/gbk.json")),
        read(&d.join("utf8/utf8.json"))
    );
    let mut broken = utf8.into_bytes();
    let third_line = broken
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .unwrap()
        .0;
    broken[third_line + 3] = 0xFF;
    broken[third_line + 4] = 0xFF;
    std::fs::write(d.join("broken.csv"), broken).unwrap();
    let out = yusuan(["check".as_ref(), d.join("broken.csv").as_os_str()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "broken.csv 第 3 行：数据文件有误：既不是 UTF-8 也不是 GBK（GB18030）编码的文本"
        ),
        "{stderr}"
    );
}
