//! Hostile and broken files (built by `tests/fixtures/hostile/make.py`): each gets its own clear
//! error naming the file, none crashes or aborts the process, and good files given with them
//! are still converted.

use crate::common::*;
use std::path::PathBuf;

/// Each fixture with a phrase its error must contain.
const CASES: [(&str, &str); 9] = [
    ("h01-cell-at-XFD1048576.xlsx", "1048576 行 × 16384 列"),
    (
        "h02-shared-strings-4e9.xlsx",
        "共享字符串表声明了 4000000000 个字符串",
    ),
    ("h03-truncated.xlsx", "文件已损坏或不完整"),
    ("h04-random-bytes.xlsx", "不是有效的工作簿"),
    ("h05-encrypted.xlsx", "工作簿已加密"),
    ("h06-empty.xlsx", "没有找到任何预算表"),
    ("h07-no-tables.xlsx", "没有找到任何预算表"),
    ("h08-bomb-300MB.xlsx", "解压后 300 MiB，超过上限"),
    ("h09-zero-bytes.xlsx", "文件为空"),
];

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/hostile").join(name)
}

#[test]
fn each_hostile_file_gets_its_own_clear_error() {
    for (name, phrase) in CASES {
        let dir = tempfile::tempdir().unwrap();
        let out = convert(&[&fixture(name)], dir.path(), 2);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(name) && stderr.contains(phrase),
            "{name}: {stderr}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path())
                .map(|d| d.count())
                .unwrap_or(0),
            0,
            "{name}: nothing written"
        );
    }
}

#[test]
fn a_mixed_list_converts_the_good_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs: Vec<PathBuf> = CASES.iter().map(|(n, _)| fixture(n)).collect();
    inputs.insert(4, sample());
    let refs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
    let out = convert(&refs, dir.path(), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (name, phrase) in CASES {
        assert!(
            stderr.contains(name) && stderr.contains(phrase),
            "{name} in: {stderr}"
        );
    }
    assert!(dir.path().join(format!("{SAMPLE_STEM}.xlsx")).is_file());
    assert!(dir.path().join(SAMPLE_STEM).join("facts.csv").is_file());
}

/// The sample with one zip entry rewritten (or added when absent) by `edit`.
fn sample_with(edits: &[(&str, &dyn Fn(String) -> String)]) -> Vec<u8> {
    use std::io::{Read, Write};
    let bytes = std::fs::read(sample()).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut entries: Vec<(String, String)> = (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut text = String::new();
            e.read_to_string(&mut text).unwrap();
            (String::from_utf8_lossy(e.name_raw()).into_owned(), text)
        })
        .collect();
    for (name, edit) in edits {
        match entries.iter_mut().find(|(n, _)| n == name) {
            Some((_, text)) => *text = edit(std::mem::take(text)),
            None => entries.push((name.to_string(), edit(String::new()))),
        }
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in &entries {
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A far cell added to the first row of table 1's sheet, spelled as given.
fn far_cell(cell: &'static str) -> Vec<u8> {
    sample_with(&[("xl/worksheets/sheet1.xml", &|t: String| {
        t.replacen("</row>", &format!("{cell}</row>"), 1)
    })])
}

/// Converts `files` (written into a fresh folder under their names) and returns the exit code
/// and standard error, asserting no panic text.
fn run_convert(
    files: &[(&str, Vec<u8>)],
    extra: &[&str],
) -> (Option<i32>, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut args: Vec<std::ffi::OsString> = vec!["convert".into()];
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        args.push(path.into_os_string());
    }
    args.extend(["-o".into(), dir.path().join("out").into_os_string()]);
    args.extend(extra.iter().map(std::ffi::OsString::from));
    let out = yusuan(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
    (out.status.code(), stderr, dir)
}

#[test]
fn far_cells_in_every_spelling_are_refused_not_aborted() {
    let cases: [(&str, &str); 7] = [
        ("newline", "<c\nr=\"XFD1048576\"><v>1</v></c>"),
        ("tab", "<c\tr=\"XFD1048576\"><v>1</v></c>"),
        ("spaces", "<c r = \"XFD1048576\"><v>1</v></c>"),
        ("single-quotes", "<c r='XFD1048576'><v>1</v></c>"),
        (
            "prefixed",
            "<x:c xmlns:x=\"urn:x\" x:r=\"XFD1048576\"><x:v>1</x:v></x:c>",
        ),
        ("huge-row", "<c r=\"A99999999999999999999\"><v>1</v></c>"),
        // A `>` inside a quoted attribute does not end the tag, for the parser or the guard.
        ("quoted-angle", "<c foo=\">\" r=\"XFD1048576\"><v>1</v></c>"),
    ];
    for (what, cell) in cases {
        let name = format!("far-{what}.xlsx");
        let (code, stderr, _dir) = run_convert(&[(&name, far_cell(cell))], &[]);
        assert_eq!(code, Some(2), "{what}: {stderr}");
        assert!(
            stderr.contains(&name) && stderr.contains("单元格区域"),
            "{what}: {stderr}"
        );
    }
    // A cell without `r` in the last row of the sheet, beside one in column XFD.
    let no_ref = sample_with(&[("xl/worksheets/sheet1.xml", &|t: String| {
        t.replacen(
            "</sheetData>",
            "<row r=\"1048576\"><c><v>1</v></c></row><row r=\"1048575\"><c r=\"XFD1048575\"><v>1</v></c></row></sheetData>",
            1,
        )
    })]);
    let (code, stderr, _dir) = run_convert(&[("no-ref.xlsx", no_ref)], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("no-ref.xlsx") && stderr.contains("拒绝读取"),
        "{stderr}"
    );
}

#[test]
fn lying_shared_string_counts_are_refused_wherever_they_stand() {
    let padding = " ".repeat(10_000);
    for (what, sst) in [
        (
            "single-quotes",
            "<sst xmlns='x' uniqueCount='4000000000'><si><t>a</t></si></sst>".to_owned(),
        ),
        (
            "after-4k",
            format!(
                "<?xml version=\"1.0\"?>{padding}<sst xmlns=\"x\" count=\"1\" uniqueCount=\"4000000000\"><si><t>a</t></si></sst>"
            ),
        ),
        // `count` is the number of string cells, which may well exceed the strings (a merged
        // department: 307,462 cells of 40,000 strings): never a reason to refuse.
        (
            "count-of-cells",
            "<sst xmlns='x' count='4000000000' uniqueCount='1'><si><t>a</t></si></sst>".to_owned(),
        ),
    ] {
        let bytes = sample_with(&[
            ("xl/sharedStrings.xml", &|_| sst.clone()),
            ("xl/_rels/workbook.xml.rels", &|t: String| {
                t.replace("</Relationships>", "<Relationship Id=\"rIdSst\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>")
            }),
        ]);
        let name = format!("sst-{what}.xlsx");
        let (code, stderr, _dir) = run_convert(&[(&name, bytes)], &[]);
        if what == "count-of-cells" {
            assert!(!stderr.contains("共享字符串表声明了"), "{what}: {stderr}");
            continue;
        }
        assert_eq!(code, Some(2), "{what}: {stderr}");
        assert!(
            stderr.contains(&name) && stderr.contains("共享字符串表声明了 4000000000"),
            "{what}: {stderr}"
        );
    }
}

#[test]
fn many_sheets_of_two_million_cells_are_refused_together() {
    let edit = |t: String| t.replacen("</row>", "<c r=\"T100000\"><v>1</v></c></row>", 1);
    let edits: Vec<(String, _)> = (1..=13)
        .map(|i| (format!("xl/worksheets/sheet{i}.xml"), edit))
        .collect();
    let refs: Vec<(&str, &dyn Fn(String) -> String)> = edits
        .iter()
        .map(|(n, e)| (n.as_str(), e as &dyn Fn(String) -> String))
        .collect();
    let (code, stderr, _dir) = run_convert(&[("many.xlsx", sample_with(&refs))], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("many.xlsx") && stderr.contains("合计超过上限"),
        "{stderr}"
    );
}

#[test]
fn ods_repeat_counts_are_refused() {
    use std::io::{Read, Write};
    let bytes = std::fs::read(root().join("tests/fixtures/variants/v11-libreoffice.ods")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        let name = String::from_utf8_lossy(e.name_raw()).into_owned();
        if name == "content.xml" {
            let text = String::from_utf8(data).unwrap().replacen(
                "<table:table-row ",
                "<table:table-row table:number-rows-repeated=\"1048576\" ",
                1,
            );
            let text = text.replacen(
                "<table:table-cell office:value-type=",
                "<table:table-cell table:number-columns-repeated=\"16384\" office:value-type=",
                1,
            );
            data = text.into_bytes();
        }
        let options = zip::write::SimpleFileOptions::default();
        out.start_file(name, options).unwrap();
        out.write_all(&data).unwrap();
    }
    let bytes = out.finish().unwrap().into_inner();
    let (code, stderr, _dir) = run_convert(&[("repeats.ods", bytes)], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("repeats.ods") && stderr.contains("拒绝读取"),
        "{stderr}"
    );
}

/// Mutants that made calamine panic or allocate without bound, and one very wide sheet.
const FUZZ_FINDS: [(&str, &str); 6] = [
    ("h10-xls-header-panic.xls", "内部错误"),
    ("h11-xls-record-panic.xls", "内部错误"),
    ("h12-xls-truncated-panic.xls", "内部错误"),
    ("h13-xls-flipped-panic.xls", "内部错误"),
    ("h14-xls-grows-past-2GiB.xls", "读取时超出内存上限 2 GiB"),
    ("h15-xls-wide-sheet.xls", ""),
];

#[test]
fn parser_panics_and_runaway_memory_are_that_input_s_error() {
    for (name, phrase) in FUZZ_FINDS {
        let out = yusuan(["check".as_ref(), fixture(name).as_os_str()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        if phrase.is_empty() {
            assert!(matches!(out.status.code(), Some(0..=2)), "{name}: {stderr}");
        } else {
            assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
            assert!(
                stderr.contains(name) && stderr.contains(phrase),
                "{name}: {stderr}"
            );
        }
    }
    // The panic message is for --verbose only.
    let out = yusuan([
        "check".as_ref(),
        fixture("h10-xls-header-panic.xls").as_os_str(),
        "--verbose".as_ref(),
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("index out of bounds"));
    // A lower limit is the one named.
    let out = yusuan([
        "check".as_ref(),
        fixture("h14-xls-grows-past-2GiB.xls").as_os_str(),
        "--max-memory".as_ref(),
        "512M".as_ref(),
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("读取时超出内存上限 512 MiB"));
    // A limit too low for any workbook: a decompressor that cannot allocate its state panics
    // in the worker ("MemError"); that is the memory limit, named, not an internal error.
    for file in [sample(), root().join("samples/official-layout.xlsx")] {
        let out = yusuan([
            "check".as_ref(),
            file.as_os_str(),
            "--max-memory".as_ref(),
            "8M".as_ref(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("读取时超出内存上限 8 MiB"), "{stderr}");
        assert!(!stderr.contains("内部错误"), "{stderr}");
    }
}

#[test]
fn a_crashing_file_first_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("sample-copy.xlsx");
    std::fs::copy(sample(), &copy).unwrap();
    let out = convert(
        &[
            &fixture("h14-xls-grows-past-2GiB.xls"),
            &fixture("h10-xls-header-panic.xls"),
            &sample(),
            &copy,
        ],
        &dir.path().join("out"),
        2,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        dir.path()
            .join("out")
            .join(format!("{SAMPLE_STEM}.xlsx"))
            .is_file(),
        "{stderr}"
    );
    assert!(
        dir.path().join("out/sample-copy.xlsx").is_file(),
        "{stderr}"
    );
}

#[test]
fn an_input_past_its_time_limit_is_that_input_s_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = yusuan([
        "check".as_ref(),
        sample().as_os_str(),
        "--timeout".as_ref(),
        "0.001".as_ref(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("读取超过时限 0.001 秒"), "{stderr}");
    drop(dir);
}

#[cfg(unix)]
#[test]
fn a_fifo_is_named_for_what_it_is_and_never_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.xlsx");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let out = yusuan([
        "check".as_ref(),
        fifo.as_os_str(),
        "--timeout".as_ref(),
        "20".as_ref(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("pipe.xlsx") && stderr.contains("不是普通文件"),
        "{stderr}"
    );
}

#[test]
fn a_parser_error_is_one_chinese_sentence_its_detail_with_verbose() {
    // An entity XML does not know: calamine's XML parser refuses the sheet.
    let broken = sample_with(&[("xl/worksheets/sheet1.xml", &|t: String| {
        t.replacen("<sheetData>", "<sheetData><row r=\"999\"><c r=\"A999\" t=\"inlineStr\"><is><t>&foo;</t></is></c></row>", 1)
    })]);
    let (code, stderr, _dir) = run_convert(&[("entity.xlsx", broken.clone())], &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("entity.xlsx") && stderr.contains("无法作为工作簿打开"),
        "{stderr}"
    );
    assert!(
        !stderr.to_lowercase().contains("error"),
        "English detail: {stderr}"
    );
    let (_, verbose, _dir) = run_convert(&[("entity.xlsx", broken)], &["--verbose"]);
    assert!(verbose.to_lowercase().contains("error"), "{verbose}");
}
