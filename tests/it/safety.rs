//! Data safety: no command deletes, moves or overwrites a file it did not write; outputs are
//! replaced as a set; a busy or foreign output directory is refused; closed or full standard
//! streams end a run cleanly; directory links do not loop.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Every file under `dir` with its size and a hash of its content.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (usize, u64)> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let kind = e.file_type().unwrap();
            if kind.is_dir() {
                stack.push(e.path());
            } else if kind.is_file() {
                let bytes = std::fs::read(e.path()).unwrap();
                let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                    (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
                });
                files.insert(e.path(), (bytes.len(), hash));
            }
        }
    }
    files
}

/// A batch input folder: the sample, a copy in a subfolder, and a note of the user's.
fn input_folder(root: &Path) -> PathBuf {
    let input = root.join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    std::fs::copy(sample(), input.join("a.xlsx")).unwrap();
    std::fs::write(input.join("notes.txt"), "the user's own notes").unwrap();
    input
}

fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let out = yusuan(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code(), stderr)
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn batch_never_writes_into_onto_or_around_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = input_folder(dir.path());
    let before = snapshot(dir.path());
    for (outdir, phrase) in [
        (input.clone(), "就是输入"),
        (input.join("sub"), "位于输入目录"),
        (dir.path().to_path_buf(), "包含输入"),
    ] {
        let (code, stderr) = run(&[os("batch"), input.as_os_str(), os("-o"), outdir.as_os_str()]);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(stderr.contains(phrase), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "one clear line: {stderr}");
        assert_eq!(snapshot(dir.path()), before, "nothing touched");
    }
}

#[test]
fn batch_replaces_only_what_it_made() {
    let dir = tempfile::tempdir().unwrap();
    let input = input_folder(dir.path());
    // A folder of the user's own files.
    let theirs = dir.path().join("theirs");
    std::fs::create_dir_all(&theirs).unwrap();
    std::fs::write(theirs.join("report.docx"), "mine").unwrap();
    // A file where a folder is expected.
    let afile = dir.path().join("afile");
    std::fs::write(&afile, "mine too").unwrap();
    let before = snapshot(dir.path());
    let (code, stderr) = run(&[os("batch"), input.as_os_str(), os("-o"), theirs.as_os_str()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("输出目录") && stderr.contains("不是空目录，也不是 yusuan 的批量结果"),
        "{stderr}"
    );
    let (code, stderr) = run(&[os("batch"), input.as_os_str(), os("-o"), afile.as_os_str()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("不是目录"), "{stderr}");
    assert_eq!(snapshot(dir.path()), before, "nothing touched");

    // An empty folder, and then its own previous result, are replaced.
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    for _ in 0..2 {
        let (code, stderr) = run(&[os("batch"), input.as_os_str(), os("-o"), out.as_os_str()]);
        assert_eq!(code, Some(0), "{stderr}");
        assert!(out.join("summary.csv").is_file());
        assert!(
            out.join(".yusuan-batch").is_file(),
            "marked as a batch result"
        );
    }
}

#[test]
fn a_second_batch_into_the_same_folder_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let input = input_folder(dir.path());
    let out = dir.path().join("out");
    // Another run holds the lock.
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join(".out.yusuan-lock"))
        .unwrap();
    lock.lock().unwrap();
    std::fs::write(dir.path().join(".out.yusuan-lock"), "4242").unwrap();
    let (code, stderr) = run(&[os("batch"), input.as_os_str(), os("-o"), out.as_os_str()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("另一个 yusuan batch") && stderr.contains("4242"),
        "{stderr}"
    );
    assert!(!out.exists());
    drop(lock);
    let (code, stderr) = run(&[os("batch"), input.as_os_str(), os("-o"), out.as_os_str()]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn convert_never_overwrites_an_input_or_a_file_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(sample(), d.join("a.xlsx")).unwrap();
    let before = snapshot(d);
    // Into the input's own folder: a.xlsx would be written over itself.
    let (code, stderr) = run(&[
        os("convert"),
        d.join("a.xlsx").as_os_str(),
        os("-o"),
        d.as_os_str(),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("就是输入文件"), "{stderr}");
    assert_eq!(snapshot(d), before, "input untouched, nothing written");

    // A file of the user's where an output would go.
    let out = d.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("a.json"), "the user's json").unwrap();
    let (code, stderr) = run(&[
        os("convert"),
        d.join("a.xlsx").as_os_str(),
        os("-o"),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("不是 yusuan 生成的文件"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.join("a.json")).unwrap(),
        "the user's json"
    );
    assert!(!out.join("a.xlsx").exists(), "nothing of the set written");

    // Its own outputs are replaced on the next run.
    let fresh = d.join("fresh");
    for _ in 0..2 {
        let (code, stderr) = run(&[
            os("convert"),
            d.join("a.xlsx").as_os_str(),
            os("-o"),
            fresh.as_os_str(),
        ]);
        assert_eq!(code, Some(0), "{stderr}");
    }

    // -o naming a file: one line, the file untouched.
    let (code, stderr) = run(&[
        os("convert"),
        d.join("a.xlsx").as_os_str(),
        os("-o"),
        d.join("a.xlsx").as_os_str(),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("是已有的文件，不是目录"), "{stderr}");
    assert_eq!(
        std::fs::read(d.join("a.xlsx")).unwrap(),
        std::fs::read(sample()).unwrap()
    );
}

/// Runs yusuan with the size of any file it writes capped at `bytes` (a full disk, as far as
/// the process can tell).
#[cfg(unix)]
fn with_file_size_limit(args: &[&std::ffi::OsStr], bytes: u64) -> (Option<i32>, String) {
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(env!("CARGO_BIN_EXE_yusuan"));
    command.args(args);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code(), stderr)
}

#[cfg(unix)]
#[test]
fn a_full_disk_leaves_the_previous_outputs_whole_and_says_it_could_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, stderr) = run(&[
        os("convert"),
        sample().as_os_str(),
        os("-o"),
        out.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let before = snapshot(&out);
    // The workbook (~40 KB) no longer fits; the CSVs would.
    let (code, stderr) = with_file_size_limit(
        &[
            os("convert"),
            sample().as_os_str(),
            os("-o"),
            out.as_os_str(),
        ],
        20_000,
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("无法写入"), "{stderr}");
    assert!(
        !stderr.contains("无法读取") && !stderr.contains("无法作为工作簿打开"),
        "{stderr}"
    );
    let after = snapshot(&out);
    assert_eq!(
        after, before,
        "all old: no new file beside a stale one, no staging left"
    );

    // In a batch, a unit that cannot be written is reported as such.
    let input = input_folder(dir.path());
    let bout = dir.path().join("bout");
    let (code, stderr) = with_file_size_limit(
        &[os("batch"), input.as_os_str(), os("-o"), bout.as_os_str()],
        20_000,
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("无法写入 1"), "{stderr}");
    let summary = std::fs::read_to_string(bout.join("summary.csv")).unwrap();
    assert!(summary.contains(",write_failed,"), "{summary}");
}

#[test]
fn closed_or_full_standard_streams_end_cleanly() {
    // check … | head -c1
    let mut child = Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .args([
            "check".as_ref(),
            sample().as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut one = [0u8; 1];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut one).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{:?} {stderr}",
        out.status
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    let full = || std::fs::File::options().write(true).open("/dev/full");
    if let Ok(dev_full) = full() {
        // rules > /dev/full
        let out = Command::new(env!("CARGO_BIN_EXE_yusuan"))
            .arg("rules")
            .stdout(dev_full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("无法写入标准输出"), "{stderr}");

        // batch … 2>/dev/full still commits its results and removes its staging.
        let dir = tempfile::tempdir().unwrap();
        let input = input_folder(dir.path());
        let outdir = dir.path().join("out");
        let out = Command::new(env!("CARGO_BIN_EXE_yusuan"))
            .args([
                "batch".as_ref(),
                input.as_os_str(),
                "-o".as_ref(),
                outdir.as_os_str(),
            ])
            .stderr(full().unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(outdir.join("summary.csv").is_file());
        assert!(!dir.path().join(".out.partial").exists());
    }
}

#[cfg(unix)]
#[test]
fn directory_links_are_not_followed_and_files_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let input = input_folder(dir.path());
    std::os::unix::fs::symlink(".", input.join("loop")).unwrap();
    std::os::unix::fs::symlink(input.join("a.xlsx"), input.join("sub/same-as-a.xlsx")).unwrap();
    let out = dir.path().join("out");
    let (code, stderr) = run(&[os("batch"), input.as_os_str(), os("-o"), out.as_os_str()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("共 1 个工作簿、1 个单位：通过 1"),
        "{stderr}"
    );
}

/// Whether a CSV field could run as a formula in a spreadsheet: it starts with `= + - @`, a
/// tab or a carriage return and is not a plain number.
fn could_run(field: &str) -> bool {
    let plain_number = {
        let digits = field.strip_prefix(['-', '+']).unwrap_or(field);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    };
    field.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain_number
}

/// Every field of every CSV file under `dir` that could run as a formula.
fn runnable_fields(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for (path, _) in snapshot(dir) {
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        for record in reader.records() {
            for field in record.unwrap().iter().filter(|f| could_run(f)) {
                out.push(format!("{}: {field:?}", path.display()));
            }
        }
    }
    out
}

#[test]
fn no_csv_field_can_run_as_a_formula_whatever_the_input_holds() {
    let dir = tempfile::tempdir().unwrap();
    let sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample_json(dir.path())).unwrap()).unwrap();
    // Every text field of the model gets an injection prefix, DDE forms included.
    let prefixes = [
        "=cmd|' /C calc'!A0",
        "+HYPERLINK(\"http://x\")",
        "-2+3",
        "@SUM(1)",
        "\tx",
        "\rx",
    ];
    let mut budget = sample.clone();
    budget["code"] = prefixes[0].into();
    budget["name"] = prefixes[3].into();
    let mut i = 0;
    for table in budget["tables"].as_array_mut().unwrap() {
        for row in table["rows"].as_array_mut().unwrap() {
            let row = row.as_object_mut().unwrap();
            let pick = |i: usize| format!("{}{i}", prefixes[i % prefixes.len()]);
            if row["kind"] != "total" {
                row.insert("name".into(), pick(i).into());
            }
            if row.contains_key("unit_code") {
                row.insert("unit_code".into(), pick(i + 1).into());
            }
            if let Some(texts) = row.get_mut("texts").and_then(|t| t.as_object_mut()) {
                for v in texts.values_mut() {
                    *v = pick(i + 2).into();
                }
            }
            i += 1;
        }
    }
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let json = input.join("hostile.json");
    std::fs::write(&json, budget.to_string()).unwrap();
    let out = dir.path().join("out");
    convert_readable(&json, &out, &[]);
    let batch_out = dir.path().join("batch");
    let run = batch(&input, &batch_out, &[]);
    assert!(
        run.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut found = runnable_fields(&out);
    found.extend(runnable_fields(&batch_out));
    assert!(found.is_empty(), "{}", found.join("\n"));
    // The facts read back as the texts they were.
    let facts = snapshot(&out)
        .into_keys()
        .find(|p| p.ends_with("facts.csv"))
        .unwrap();
    let back = dir.path().join("back");
    convert_readable(&facts, &back, &["--formats", "json"]);
    let json_back = snapshot(&back)
        .into_keys()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let text = std::fs::read_to_string(json_back).unwrap();
    assert!(text.contains("\"code\": \"=cmd|' /C calc'!A0\""), "{text}");
}
