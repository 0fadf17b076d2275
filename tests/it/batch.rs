//! `yusuan batch`: grouping by unit, naming safety, failure isolation, summary contents,
//! exit codes, and re-running into the same output directory.

use crate::common::synth::{Rng, rename_unit, vary, write_workbook};
use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;
use yusuan::edition::Edition;
use yusuan::model::Budget;

fn base() -> (Edition, Budget) {
    let edition = Edition::builtin();
    let budget = sample_budget(&edition);
    (edition, budget)
}

fn unit(edition: &Edition, base: &Budget, seed: u64, code: &str, name: &str) -> Budget {
    let mut b = vary(edition, base, &mut Rng(seed));
    rename_unit(&mut b, code, name);
    b
}

fn figure(b: &Budget, table: u8, item: &str, column: &str) -> String {
    let row = b
        .table(table)
        .unwrap()
        .rows
        .iter()
        .find(|r| r.item.as_deref() == Some(item))
        .unwrap();
    // As summary.csv writes amounts: plain, two decimals.
    format!("{:.2}", row.amount(column))
}

/// summary.csv as maps from column to value, by unit code (or first file for unreadable rows).
fn summary(out: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let text = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            // No field of these rows holds a comma or a quote except first_error, which is
            // quoted only when it does: split on the first 6 and last 6 commas.
            let fields: Vec<String> = split_csv(l);
            let row: BTreeMap<String, String> =
                header.iter().map(|h| h.to_string()).zip(fields).collect();
            let key = if row["unit_code"].is_empty() {
                row["files"].clone()
            } else {
                row["unit_code"].clone()
            };
            (key, row)
        })
        .collect()
}

fn split_csv(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                out.last_mut().unwrap().push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => out.last_mut().unwrap().push(c),
        }
    }
    out
}

#[test]
fn a_batch_groups_isolates_and_summarises() {
    let (edition, base) = base();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let out = dir.path().join("out");
    let a = unit(&edition, &base, 1, "400001", "甲单位");
    let b = unit(&edition, &base, 2, "400002", "乙单位");
    let unsafe_name = unit(&edition, &base, 3, "400003", "丙/单位..\\名:称");
    let mut wrong = unit(&edition, &base, 4, "400004", "丁单位");
    *wrong.tables[2].rows[1].amounts.get_mut("基本支出").unwrap() += rust_decimal::Decimal::ONE;
    write_workbook(&edition, &a, &input.join("a.xlsx"));
    write_workbook(&edition, &b, &input.join("region/b.xlsx"));
    write_workbook(&edition, &unsafe_name, &input.join("region/deeper/c.xlsx"));
    write_workbook(&edition, &wrong, &input.join("d.xlsx"));
    // One unit's tables in three files; broken files; files that are not submissions.
    for f in std::fs::read_dir(root().join("tests/fixtures/variants/v10-split")).unwrap() {
        let f = f.unwrap().path();
        std::fs::create_dir_all(input.join("split")).unwrap();
        std::fs::copy(&f, input.join("split").join(f.file_name().unwrap())).unwrap();
    }
    std::fs::copy(
        root().join("tests/fixtures/hostile/h04-random-bytes.xlsx"),
        input.join("random.xlsx"),
    )
    .unwrap();
    std::fs::copy(
        root().join("tests/fixtures/hostile/h01-cell-at-XFD1048576.xlsx"),
        input.join("region/huge.xlsx"),
    )
    .unwrap();
    std::fs::write(input.join("~$a.xlsx"), b"lock").unwrap();
    std::fs::write(input.join(".hidden.xlsx"), b"x").unwrap();
    std::fs::write(input.join("notes.txt"), b"x").unwrap();

    let run = batch(&input, &out, &["--jobs", "2"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("共 9 个工作簿、5 个单位：通过 4，有错误 1，无法读取 2"),
        "{stderr}"
    );

    let rows = summary(&out);
    assert_eq!(rows.len(), 7, "{rows:#?}");
    assert_eq!(rows["400001"]["status"], "ok");
    assert_eq!(rows["400001"]["files"], "a.xlsx");
    assert_eq!(
        rows["400001"]["income_total"],
        figure(&a, 1, "收入总计", "收入/预算数")
    );
    assert_eq!(
        rows["400002"]["expenditure_total"],
        figure(&b, 1, "支出总计", "支出/预算数")
    );
    assert_eq!(rows["400004"]["status"], "findings");
    assert!(rows["400004"]["errors"].parse::<usize>().unwrap() > 0);
    assert!(
        rows["400004"]["first_error"].contains("（R"),
        "{:?}",
        rows["400004"]
    );
    assert_eq!(
        rows["313603"]["files"],
        "split/313603-a.xlsx;split/313603-b.xlsx;split/313603-c.xlsx"
    );
    assert_eq!(rows["313603"]["status"], "ok");
    assert_eq!(rows["313603"]["basic_expenditure"], "404.80");
    assert_eq!(rows["313603"]["three_public_total"], "0.80");
    assert_eq!(rows["random.xlsx"]["status"], "unreadable");
    assert!(rows["random.xlsx"]["first_error"].contains("不是有效的工作簿"));
    assert!(rows["region/huge.xlsx"]["first_error"].contains("超过上限"));

    // Folders named safely; every output of every readable unit.
    let folder = &rows["400003"]["folder"];
    assert_eq!(folder, "400003-丙_单位__名_称");
    for code in ["400001", "400002", "400003", "400004", "313603"] {
        let f = &rows[code]["folder"];
        assert!(
            !f.contains('/') && !f.contains("..") && !f.contains('\\'),
            "{f}"
        );
        for file in [
            format!("{f}.xlsx"),
            format!("{f}.json"),
            format!("{f}/facts.csv"),
            format!("{f}/03-单位支出总表.csv"),
        ] {
            assert!(out.join(f).join(&file).is_file(), "{f}/{file}");
        }
    }
    let findings = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    assert!(findings.trim_start_matches('\u{feff}').starts_with("unit_code,unit_name,files,rule,severity,table,table_title,sheet,cell,expected,actual,message,line\r\n"));
    assert!(
        findings
            .lines()
            .any(|l| l.starts_with("400004,丁单位,d.xlsx,") && l.contains(",error,")),
        "{findings}"
    );
    let book = sheets(&out.join("汇总.xlsx"));
    assert_eq!(book[0].0, "汇总");
    // Units of several departments: a title with the year and the date, no department.
    assert!(
        book[0].1[0][0].starts_with("2023年单位预算审核汇总（"),
        "a title with the year and the date: {}",
        book[0].1[0][0]
    );
    assert!(
        book[0].1[1][0].contains("个工作簿：通过 4，有错误 1，无法读取 2"),
        "the counts: {}",
        book[0].1[1][0]
    );
    assert_eq!(book[0].1[2][..4], ["文件", "单位代码", "单位名称", "状态"]);

    // Re-running replaces the results whole: a unit gone from the input is gone from the output.
    std::fs::remove_file(input.join("a.xlsx")).unwrap();
    let again = batch(&input, &out, &[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(!out.join(&rows["400001"]["folder"]).exists());
    assert!(out.join(&rows["400002"]["folder"]).exists());
    let mut siblings: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    siblings.sort();
    assert_eq!(
        siblings,
        [".out.yusuan-lock", "in", "out"],
        "no staging left beside the output, only its lock file"
    );
}

#[test]
fn exit_codes_follow_the_worst_unit() {
    let (edition, base) = base();
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean");
    write_workbook(
        &edition,
        &unit(&edition, &base, 5, "400005", "戊单位"),
        &clean.join("e.xlsx"),
    );
    let out = dir.path().join("out");
    let run = batch(&clean, &out, &[]);
    exits(&run, 0);
    let mut wrong = unit(&edition, &base, 6, "400006", "己单位");
    *wrong.tables[0].rows[0]
        .amounts
        .get_mut("收入/预算数")
        .unwrap() += rust_decimal::Decimal::ONE;
    write_workbook(&edition, &wrong, &clean.join("f.xlsx"));
    let run = batch(&clean, &out, &[]);
    assert_eq!(run.status.code(), Some(1));
}

/// A batch's first pass keeps each workbook's reading as the worker process wrote it; read back,
/// it is the reading the worker gives when asked for that unit (the second pass relies on it
/// instead of reading the workbook again). A file that cannot be read keeps nothing.
#[test]
fn a_reading_kept_by_the_worker_reads_back_as_the_unit() {
    use yusuan::read::Duplicates;
    use yusuan::worker::{Isolated, KeptReading, Limits, Reader};
    let reader = Isolated::new(
        env!("CARGO_BIN_EXE_yusuan"),
        Default::default(),
        Limits::DEFAULT,
    );
    let answer = reader.scan(&sample(), Some(("s.xlsx", Duplicates::Newest)));
    let scan = answer.scan.unwrap();
    assert_eq!(scan, reader.scan(&sample(), None).scan.unwrap());
    let stored = answer.reading.expect("a reading kept").as_bytes().to_vec();
    let kept = KeptReading::from_bytes(stored)
        .unwrap()
        .decode()
        .unwrap()
        .unwrap();
    let asked = reader
        .read_unit(&[sample()], "s.xlsx", Duplicates::Newest)
        .unwrap();
    assert_eq!(
        serde_json::to_string(&kept).unwrap(),
        serde_json::to_string(&asked).unwrap()
    );
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.xlsx");
    std::fs::write(&broken, b"PK\x03\x04 not a workbook").unwrap();
    let answer = reader.scan(&broken, Some(("broken.xlsx", Duplicates::Newest)));
    assert!(answer.scan.is_err());
    assert!(answer.reading.is_none());
}

/// A worker that died while it waited for work (killed from outside, here) is not the next
/// input's fault: the input goes to a new worker and reads.
#[cfg(target_os = "linux")]
#[test]
fn a_worker_that_died_idle_is_replaced_and_the_input_read() {
    use yusuan::worker::{Isolated, Limits, Reader};
    let reader = Isolated::new(
        env!("CARGO_BIN_EXE_yusuan"),
        Default::default(),
        Limits::DEFAULT,
    );
    reader.read_input(&sample()).unwrap();
    // The idle worker: this process's child running `read-worker`.
    let me = std::process::id().to_string();
    let workers: Vec<String> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| {
            let pid = e.ok()?.file_name().into_string().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let parent = stat
                .rsplit(')')
                .next()?
                .split_whitespace()
                .nth(1)?
                .to_owned();
            let line = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
            (parent == me && line.windows(11).any(|w| w == b"read-worker")).then_some(pid)
        })
        .collect();
    assert!(!workers.is_empty(), "an idle worker");
    for pid in &workers {
        let killed = std::process::Command::new("kill")
            .args(["-9", pid])
            .status()
            .unwrap();
        assert!(killed.success());
    }
    // Reaped by nobody yet: the pool sees it gone (or the request cannot be written) and
    // starts another.
    std::thread::sleep(std::time::Duration::from_millis(100));
    let reading = reader.read_input(&sample()).expect("read by a new worker");
    assert_eq!(reading.budget.code, "313603");
}

#[test]
fn units_whose_names_clean_alike_get_folders_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample_json(dir.path())).unwrap()).unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    // `a/b` and `a_b` both clean to `a_b`; a name with a right-to-left override would show a
    // spoofed extension.
    for (file, code, name) in [
        ("1.json", "a/b", "同名单位"),
        ("2.json", "a_b", "同名单位"),
        ("3.json", "313605", "四川\u{202E}gpj.exe"),
    ] {
        let mut unit = sample.clone();
        unit["code"] = code.into();
        unit["name"] = name.into();
        std::fs::write(input.join(file), unit.to_string()).unwrap();
    }
    let out = dir.path().join("out");
    let run = batch(&input, &out, &[]);
    assert!(
        run.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let folders: Vec<String> = csv_lines(&out.join("summary.csv"))
        .iter()
        .skip(1)
        .map(|l| l.to_owned())
        .collect();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["313605-四川gpj.exe", "a_b-同名单位", "a_b-同名单位-2"],
        "{folders:?}"
    );
    // Codes that are not digits are kept as typed, with a warning of the reading, counted
    // and listed in findings.csv (file, no rule).
    let findings = csv_lines(&out.join("findings.csv"));
    for (file, code) in [("1.json", "a/b"), ("2.json", "a_b")] {
        let line = format!(",{file},,warning,,,,,,,单位代码“{code}”不全是数字");
        assert!(findings.iter().any(|l| l.contains(&line)), "{findings:?}");
    }
    assert!(!findings.iter().any(|l| l.contains("“313605”不全是数字")));
}

#[test]
fn a_file_system_error_is_one_chinese_sentence() {
    // It was the system's English text, twice: once in the message, once as its cause.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(sample(), input.join("a.xlsx")).unwrap();
    let file = dir.path().join("afile");
    std::fs::write(&file, "").unwrap();
    let out = batch(&input, &file.join("out"), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("无法写入") && stderr.contains("afile"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("os error") && !stderr.is_ascii(),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"",
        "the file is left as it was"
    );
}

#[test]
fn a_folder_without_budgets_is_an_error_and_a_result_folder_merges_whole() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("说明.docx"), "x").unwrap();
    let out = batch(&empty, &dir.path().join("out"), &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("empty 及其子目录中没有找到任何预算文件"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists(), "nothing written");
    // `merge RESULT` takes each unit's budget of a batch result (no shell wildcard needed).
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(sample(), input.join("a.xlsx")).unwrap();
    let result = dir.path().join("result");
    assert_eq!(batch(&input, &result, &[]).status.code(), Some(0));
    let merged = yusuan([
        "merge".as_ref(),
        result.as_os_str(),
        "-o".as_ref(),
        dir.path().join("dept").as_os_str(),
        "--code".as_ref(),
        "313".as_ref(),
        "--name".as_ref(),
        "某某厅".as_ref(),
    ]);
    let stderr = String::from_utf8_lossy(&merged.stderr);
    assert_eq!(merged.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("已汇总 1 个单位"), "{stderr}");
    // An output whose extension says another kind of file is refused.
    let t = yusuan([
        "template".as_ref(),
        "-o".as_ref(),
        dir.path().join("t.docx").as_os_str(),
    ]);
    assert_eq!(t.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&t.stderr).contains("文件名应以 .xlsx 结尾"));
    assert!(!dir.path().join("t.docx").exists());
}
