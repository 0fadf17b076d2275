//! The tables are written in rust_xlsxwriter's low-memory mode (rows go to a temporary file as
//! they are written). The workbook must be the one the ordinary in-memory mode writes — the same
//! cells, styles, merges and row heights — and no sheet may repeat a row: the crate writes a
//! sheet's last row twice when it has a custom height, which Excel reports as a corrupt file
//! (docs/upstream.md); yusuan ends such a sheet with a blank cell after it. The sample's 表13
//! ends in such a row. With no usable temporary directory yusuan falls back to the ordinary mode, which gives
//! the reference here; when the temporary file cannot grow (a full disk) the workbook is made
//! again in memory.

use crate::common::*;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;

/// Every part of an .xlsx by name, as text.
fn parts(xlsx: &Path) -> BTreeMap<String, String> {
    let file = std::fs::File::open(xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            (String::from_utf8_lossy(entry.name_raw()).into_owned(), text)
        })
        .collect()
}

/// A sheet's XML without what the two modes may write differently and Excel does not need the
/// same: the optional `spans` hint on rows, and the order of the merged ranges.
fn normalized(sheet: &str) -> String {
    let mut out = String::new();
    let mut rest = sheet;
    while let Some(i) = rest.find(" spans=\"") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 8..];
        rest = &after[after.find('"').unwrap() + 1..];
    }
    out.push_str(rest);
    match (out.find("<mergeCells"), out.find("</mergeCells>")) {
        (Some(a), Some(b)) => {
            let mut merges: Vec<&str> = out[a..b].split("<mergeCell ").skip(1).collect();
            merges.sort();
            format!("{}{}{}", &out[..a], merges.join("|"), &out[b..])
        }
        _ => out,
    }
}

/// The row numbers of a sheet, in the order written.
fn rows(sheet: &str) -> Vec<u32> {
    sheet
        .split("<row r=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect()
}

fn convert_with_tmpdir(outdir: &Path, tmpdir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .arg("convert")
        .arg(sample())
        .arg("-o")
        .arg(outdir)
        .args(["--formats", "xlsx"])
        .env("TMPDIR", tmpdir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn low_memory_tables_are_the_in_memory_ones_with_every_row_once() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let xlsx = format!("{SAMPLE_STEM}.xlsx");
    convert_with_tmpdir(&dir.path().join("low"), &tmp);
    convert_with_tmpdir(
        &dir.path().join("ordinary"),
        &dir.path().join("no-such-dir"),
    );
    let low = parts(&dir.path().join("low").join(&xlsx));
    let ordinary = parts(&dir.path().join("ordinary").join(&xlsx));
    assert_eq!(
        low.keys().collect::<Vec<_>>(),
        ordinary.keys().collect::<Vec<_>>()
    );
    let mut low_memory_sheets = 0;
    for (name, text) in &low {
        if name == "docProps/core.xml" {
            continue; // the time of writing
        }
        if name.starts_with("xl/worksheets/sheet") {
            let numbers = rows(text);
            assert!(
                numbers.windows(2).all(|w| w[0] < w[1]),
                "{name} repeats or reorders rows: {numbers:?}"
            );
            assert_eq!(normalized(text), normalized(&ordinary[name]), "{name}");
            low_memory_sheets += usize::from(!text.contains(" spans=\""));
        } else {
            assert_eq!(text, &ordinary[name], "{name}");
        }
    }
    // The thirteen tables went through the low-memory mode, and 表13 ends in a tall row.
    assert_eq!(low_memory_sheets, 13);
    // 表13's last project is a tall row; the empty row after it ends the sheet.
    let sheet13 = &low["xl/worksheets/sheet13.xml"];
    let starts: Vec<usize> = sheet13.match_indices("<row ").map(|(i, _)| i).collect();
    let (tall, last) = (starts[starts.len() - 2], starts[starts.len() - 1]);
    assert!(sheet13[tall..last].contains("customHeight=\"1\""));
    assert!(!sheet13[last..].contains("<c "), "{}", &sheet13[last..]);
    // Nothing is left in the temporary directory.
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}

/// A temporary file that cannot grow (here: a file size limit, as a full disk would do) while
/// a big table is written: the workbook is made in memory instead, and is the same.
#[cfg(unix)]
#[test]
fn a_temporary_file_that_cannot_grow_falls_back_to_memory() {
    use std::os::unix::process::CommandExt;
    let edition = yusuan::edition::Edition::builtin();
    let mut budget = sample_budget(&edition);
    // 表13 with 1,500 projects: about 3.3 MB of rows in its temporary file, a workbook of
    // about 1 MB; files may not grow past 2 MB.
    const LIMIT: u64 = 2 << 20;
    crate::common::synth::add_projects(&mut budget, 1500, |_| {});
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.json");
    let mut file = std::fs::File::create(&input).unwrap();
    budget.write_json(&mut file).unwrap();
    drop(file);
    let run = |out: &Path, limited: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_yusuan"));
        command
            .arg("convert")
            .arg(&input)
            .arg("-o")
            .arg(out)
            .args(["--formats", "xlsx"]);
        if limited {
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                command.pre_exec(|| {
                    // Writing past the limit fails (EFBIG) instead of killing the process.
                    libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                    let limit = libc::rlimit {
                        rlim_cur: LIMIT as libc::rlim_t,
                        rlim_max: LIMIT as libc::rlim_t,
                    };
                    if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        let output = command.output().unwrap();
        assert!(
            output.status.code().is_some_and(|c| c < 2),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        out.join("big.xlsx")
    };
    let free = run(&dir.path().join("free"), false);
    let limited = run(&dir.path().join("limited"), true);
    let free_size = std::fs::metadata(&free).unwrap().len();
    assert!(free_size < LIMIT, "the workbook itself fits: {free_size}");
    let (free, limited) = (parts(&free), parts(&limited));
    let sheet13 = "xl/worksheets/sheet13.xml";
    assert!(free[sheet13].len() as u64 > LIMIT, "表13's rows do not fit");
    for (name, text) in &free {
        if name != "docProps/core.xml" {
            assert_eq!(normalized(text), normalized(&limited[name]), "{name}");
        }
    }
    // Made in memory: 表13 has the ordinary mode's row hints.
    assert!(limited[sheet13].contains(" spans=\""));
    assert!(!free[sheet13].contains(" spans=\""));
}
