//! Mutation fuzzing through the real binary: hostile variants of the sample `.xlsx`, a
//! LibreOffice `.xls` and `.ods`, of a 情况说明 and of the JSON and facts.csv inputs (see
//! `mutate.rs`) are run one by one; each run must end with exit code 0, 1 or 2, print no panic
//! text, finish in bounded time, and write no CSV cell a spreadsheet would run.
//!
//! `YUSUAN_FUZZ_N` (default 300) and `YUSUAN_FUZZ_SEED` (default 2026) choose the mutants;
//! `bench/fuzz.sh N` runs thousands with a release build.

mod mutate;

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A run taking longer than this has hung: the per-input timeout (20 s here) plus start-up.
const HUNG: Duration = Duration::from_secs(60);

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one run of the binary did.
struct Run {
    code: Option<i32>,
    stderr: String,
    seconds: f64,
}

impl Run {
    /// `exit N`, or `killed` for a run past the deadline.
    fn outcome(&self) -> String {
        self.code.map_or("killed".into(), |c| format!("exit {c}"))
    }

    /// What is wrong with the run of the input `name`, if anything: panic text, an exit code
    /// other than 0, 1 or 2, or an unreadable input not named.
    fn failure(&self, name: &str) -> Option<String> {
        let panic_text = ["panicked", "RUST_BACKTRACE", "stack backtrace"]
            .iter()
            .any(|p| self.stderr.contains(p));
        let unnamed = self.code == Some(2) && !self.stderr.contains(name);
        (panic_text || !matches!(self.code, Some(0..=2)) || unnamed)
            .then(|| format!("{name}: {:?}\n{}", self.code, self.stderr))
    }
}

/// Runs `yusuan convert FILE -o OUT` with a deadline; a run past it is killed and reported.
fn convert_one(file: &Path, out: &Path) -> Run {
    run_one(&[
        "convert".as_ref(),
        file.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ])
}

/// Runs the binary with `args` (and a 20 s read timeout) under the same deadline.
fn run_one(args: &[&std::ffi::OsStr]) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .args(args)
        .args(["--timeout", "20"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > HUNG {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code,
        stderr: reader.join().unwrap_or_default(),
        seconds: start.elapsed().as_secs_f64(),
    }
}

#[test]
fn mutants_never_abort_hang_or_show_a_panic() {
    let n = env_number("YUSUAN_FUZZ_N", 300) as usize;
    let seed = env_number("YUSUAN_FUZZ_SEED", 2026);
    let bases = [
        ("xlsx", std::fs::read(sample()).unwrap()),
        (
            "xls",
            std::fs::read(root().join("tests/fixtures/variants/v11-libreoffice.xls")).unwrap(),
        ),
        (
            "ods",
            std::fs::read(root().join("tests/fixtures/variants/v11-libreoffice.ods")).unwrap(),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let keep = std::env::var_os("YUSUAN_FUZZ_KEEP").map(PathBuf::from);
    let files: Vec<PathBuf> = mutate::mutants(&bases, n, seed)
        .into_iter()
        .map(|m| {
            let path = dir.path().join(format!("{}.{}", m.name, m.ext));
            std::fs::write(&path, &m.bytes).unwrap();
            path
        })
        .collect();
    let next = Mutex::new(0usize);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        *n += 1;
                        *n - 1
                    };
                    let Some(file) = files.get(i) else { break };
                    let out = tempfile::tempdir().unwrap();
                    let run = convert_one(file, out.path());
                    results.lock().unwrap().push((file.clone(), run));
                }
            });
        }
    });
    let results = results.into_inner().unwrap();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut slowest = (0.0f64, PathBuf::new());
    for (file, run) in &results {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let key = run.code.map_or("killed".into(), |c| format!("exit {c}"));
        *counts.entry(key).or_default() += 1;
        for (phrase, reason) in [
            ("超出内存上限", "memory limit"),
            ("超过时限", "time limit"),
            ("进程异常终止", "worker died"),
            ("内部错误", "internal error"),
            ("拒绝读取", "refused by inspection"),
        ] {
            if run.stderr.contains(phrase) {
                *reasons.entry(reason).or_default() += 1;
            }
        }
        if run.seconds > slowest.0 {
            slowest = (run.seconds, file.clone());
        }
        let panic_text = ["panicked", "RUST_BACKTRACE", "stack backtrace"]
            .iter()
            .any(|p| run.stderr.contains(p));
        let bad_code = !matches!(run.code, Some(0..=2));
        let unnamed = run.code == Some(2) && !run.stderr.contains(&name);
        if panic_text || bad_code || unnamed {
            failures.push(format!("{name}: {:?}\n{}", run.code, run.stderr));
        }
        // Failures, deaths of the worker and slow runs are kept where asked, to look into.
        let notable = ["超出内存上限", "进程异常终止", "内部错误", "超过时限"]
            .iter()
            .any(|p| run.stderr.contains(p));
        let kept = panic_text || bad_code || unnamed || notable || run.seconds > 2.0;
        if let Some(keep) = keep.as_ref().filter(|_| kept) {
            std::fs::create_dir_all(keep).unwrap();
            std::fs::copy(file, keep.join(&name)).unwrap();
        }
    }
    println!(
        "fuzz: {} mutants (seed {seed}): {counts:?}; {reasons:?}; slowest {:.2} s ({})",
        results.len(),
        slowest.0,
        slowest.1.file_name().unwrap_or_default().to_string_lossy()
    );
    assert_eq!(results.len(), n);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn document_mutants_never_abort_hang_or_show_a_panic() {
    let n = env_number("YUSUAN_FUZZ_N", 300) as usize / 3;
    let seed = env_number("YUSUAN_FUZZ_SEED", 2026);
    let base = std::fs::read(root().join("tests/fixtures/narrative/agree.docx")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for m in mutate::document_mutants(&base, n, seed) {
        let name = format!("{}.{}", m.name, m.ext);
        let path = dir.path().join(&name);
        std::fs::write(&path, &m.bytes).unwrap();
        let run = run_one(&[
            "check".as_ref(),
            sample().as_os_str(),
            "--narrative".as_ref(),
            path.as_os_str(),
        ]);
        *counts.entry(run.outcome()).or_default() += 1;
        failures.extend(run.failure(&name));
    }
    println!("fuzz: {n} document mutants (seed {seed}): {counts:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every CSV under `dir` whose cell could start a formula in a spreadsheet (`= + - @`, a tab
/// or a carriage return first) without being a plain number: such a cell must be guarded.
fn unguarded_cells(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "csv") {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_path(&path)
                    .unwrap();
                for record in reader.records() {
                    for cell in record.unwrap().iter() {
                        let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
                        if risky && cell.parse::<rust_decimal::Decimal>().is_err() {
                            out.push(format!("{}: {cell:?}", path.display()));
                        }
                    }
                }
            }
        }
    }
    out
}

#[test]
fn data_mutants_never_abort_hang_show_a_panic_or_write_a_formula() {
    // The JSON and facts.csv inputs, mutated: formula and control texts in every text field,
    // amounts beyond a budget or not amounts, wrong values, many rows, deep nesting, cuts and
    // flips. Each run ends 0, 1 or 2 naming the file, and no CSV it writes holds a cell a
    // spreadsheet would run.
    let n = env_number("YUSUAN_FUZZ_N", 300) as usize / 3;
    let seed = env_number("YUSUAN_FUZZ_SEED", 2026);
    let dir = tempfile::tempdir().unwrap();
    let json = std::fs::read_to_string(sample_json(dir.path())).unwrap();
    let csv_out = dir.path().join("csv");
    convert_readable(&sample(), &csv_out, &["--formats", "csv"]);
    let facts = std::fs::read_to_string(csv_out.join(SAMPLE_STEM).join("facts.csv")).unwrap();
    let mut failures = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for m in mutate::data_mutants(&json, facts.trim_start_matches('\u{feff}'), n, seed) {
        let name = format!("{}.{}", m.name, m.ext);
        let path = dir.path().join(&name);
        std::fs::write(&path, &m.bytes).unwrap();
        let out = dir.path().join(format!("out-{}", m.name));
        let run = convert_one(&path, &out);
        *counts.entry(run.outcome()).or_default() += 1;
        failures.extend(run.failure(&name));
        if out.is_dir() {
            failures.extend(
                unguarded_cells(&out)
                    .into_iter()
                    .map(|c| format!("{name}: {c}")),
            );
        }
    }
    println!("fuzz: {n} data mutants (seed {seed}): {counts:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The Shanghai sample mutated: read under `--edition shanghai-2026` (units by name, sheets of
/// text checked as a 情况说明) and drafted as a template (`edition draft`), never aborting,
/// hanging or showing a panic, an unreadable input named.
#[test]
fn shanghai_mutants_never_abort_hang_or_show_a_panic() {
    let n = env_number("YUSUAN_FUZZ_N", 300) as usize / 3;
    let seed = env_number("YUSUAN_FUZZ_SEED", 2026);
    let bases = [("xlsx", std::fs::read(shanghai_sample()).unwrap())];
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for m in mutate::mutants(&bases, n, seed) {
        let name = format!("{}.{}", m.name, m.ext);
        let path = dir.path().join(&name);
        std::fs::write(&path, &m.bytes).unwrap();
        let edition = ["--edition".as_ref(), "shanghai-2026".as_ref()];
        let mut check: Vec<&std::ffi::OsStr> = edition.to_vec();
        check.extend(["check".as_ref(), path.as_os_str()]);
        let draft_out = dir.path().join(format!("{}.toml", m.name));
        let draft: Vec<&std::ffi::OsStr> = vec![
            "edition".as_ref(),
            "draft".as_ref(),
            path.as_os_str(),
            "-o".as_ref(),
            draft_out.as_os_str(),
        ];
        for args in [check, draft] {
            let run = run_one(&args);
            *counts.entry(run.outcome()).or_default() += 1;
            failures.extend(run.failure(&name));
        }
    }
    println!("fuzz: {n} Shanghai mutants × check and draft (seed {seed}): {counts:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
