//! Helpers shared by the integration tests: running the real binary, paths of the committed
//! fixtures, and a text dump of a workbook read back with calamine.

pub mod synth;

use calamine::{Data, Reader, Xlsx, open_workbook};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Shanghai sample: the real Shanghai template filled with a published budget
/// (`samples/shanghai/make_sample.py`), read with `--edition shanghai-2026`.
pub fn shanghai_sample() -> PathBuf {
    root().join("samples/shanghai/上海市普陀区社会福利院-2024.xlsx")
}

/// `yusuan --edition shanghai-2026 template -o PATH --from` the Shanghai sample, which must pass.
pub fn shanghai_filled_template(path: &Path) {
    let run = yusuan([
        "--edition".as_ref(),
        "shanghai-2026".as_ref(),
        "template".as_ref(),
        "-o".as_ref(),
        path.as_os_str(),
        "--from".as_ref(),
        shanghai_sample().as_os_str(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// The bundled sample workbook.
pub fn sample() -> PathBuf {
    root().join("samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx")
}

/// The base name of the sample's outputs.
pub const SAMPLE_STEM: &str = "313603-四川省人力资源和社会保障信息中心-2023";

/// The sample's budget, as read.
pub fn sample_budget(edition: &yusuan::edition::Edition) -> yusuan::model::Budget {
    yusuan::read::read_input(edition, &sample())
        .expect("the sample reads")
        .budget
}

/// The lines of a CSV file yusuan wrote, its byte-order mark left out.
pub fn csv_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Runs `yusuan` with arguments.
pub fn yusuan<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Asserts that a run of `yusuan` ended with `code`, showing what it wrote to stderr if not.
#[track_caller]
pub fn exits(run: &Output, code: i32) {
    assert_eq!(
        run.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Runs `yusuan batch DIR -o OUTDIR` (with more arguments), whatever its exit code.
pub fn batch(dir: &Path, outdir: &Path, more: &[&str]) -> Output {
    let mut args: Vec<std::ffi::OsString> = vec![
        "batch".into(),
        dir.as_os_str().to_owned(),
        "-o".into(),
        outdir.as_os_str().to_owned(),
    ];
    args.extend(more.iter().map(Into::into));
    yusuan(&args)
}

/// Runs `yusuan convert INPUT... -o OUTDIR` and asserts it exits with `code`.
pub fn convert(inputs: &[&Path], outdir: &Path, code: i32) -> Output {
    let mut args: Vec<std::ffi::OsString> = vec!["convert".into()];
    args.extend(inputs.iter().map(|p| p.as_os_str().to_owned()));
    args.extend(["-o".into(), outdir.as_os_str().to_owned()]);
    let out = yusuan(&args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The sample converted to the canonical JSON in `dir` (its path); the run may find errors,
/// not fail.
pub fn sample_json(dir: &Path) -> PathBuf {
    let out = dir.join("sample-json");
    convert_readable(&sample(), &out, &["--formats", "json"]);
    out.join(format!("{SAMPLE_STEM}.json"))
}

/// Runs `yusuan convert INPUT -o OUTDIR` (with more arguments) and asserts the input was read:
/// exit 0 or 1 (findings are allowed).
pub fn convert_readable(input: &Path, outdir: &Path, more: &[&str]) -> Output {
    let mut args: Vec<std::ffi::OsString> = vec![
        "convert".into(),
        input.as_os_str().to_owned(),
        "-o".into(),
        outdir.as_os_str().to_owned(),
    ];
    args.extend(more.iter().map(Into::into));
    let run = yusuan(&args);
    assert!(
        run.status.code().is_some_and(|c| c < 2),
        "{}: {}",
        input.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    run
}

/// Runs LibreOffice headless: `file` converted with `filter` into `outdir`, with its own user
/// profile at `profile` (so runs never share or lock one).
pub fn soffice(
    file: &Path,
    filter: &str,
    outdir: &Path,
    profile: &Path,
) -> std::io::Result<Output> {
    Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            filter,
            "--outdir",
        ])
        .arg(outdir)
        .arg(file)
        .output()
}

/// A cell's value as text: numbers in shortest form.
pub fn data_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        other => format!("{other:?}"),
    }
}

/// Every sheet of an .xlsx as (name, rows of cell text), positions absolute.
pub fn sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book: Xlsx<_> = open_workbook(path).expect("workbook opens");
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut rows = vec![Vec::new(); r0 as usize];
            for row in range.rows() {
                let mut cells = vec![String::new(); c0 as usize];
                cells.extend(row.iter().map(data_text));
                rows.push(cells);
            }
            (name, rows)
        })
        .collect()
}

/// A reviewable text dump of an .xlsx: per sheet, in order, the merges, then every non-empty
/// cell with its value (or formula and cached result) and number format.
pub fn dump(path: &Path) -> String {
    let mut book: Xlsx<_> = open_workbook(path).expect("workbook opens");
    let mut out = String::new();
    let names = book.sheet_names().to_vec();
    for (i, name) in names.iter().enumerate() {
        writeln!(out, "== sheet {}: {name}", i + 1).unwrap();
        let mut merges: Vec<String> = book
            .merge_cells_by_sheet_name(name)
            .unwrap()
            .iter()
            .map(|d| format!("{}:{}", cell(d.start.0, d.start.1), cell(d.end.0, d.end.1)))
            .collect();
        merges.sort();
        writeln!(out, "merges: {}", merges.join(" ")).unwrap();
        let values = book.worksheet_range(name).unwrap();
        let formulas = book.worksheet_formula(name).unwrap();
        let styles = book.worksheet_style(name).unwrap();
        let mut positions: Vec<(u32, u32)> = values
            .used_cells()
            .map(|(r, c, _)| {
                let (r0, c0) = values.start().unwrap();
                (r as u32 + r0, c as u32 + c0)
            })
            .collect();
        positions.extend(formulas.used_cells().map(|(r, c, _)| {
            let (r0, c0) = formulas.start().unwrap();
            (r as u32 + r0, c as u32 + c0)
        }));
        positions.sort();
        positions.dedup();
        for (r, c) in positions {
            let value = values.get_value((r, c)).map(data_text).unwrap_or_default();
            let formula = formulas.get_value((r, c)).filter(|f| !f.is_empty());
            let format = styles
                .get((r, c))
                .and_then(|s| s.number_format.as_ref())
                .map(|n| n.format_code.clone())
                .filter(|f| f != "General")
                .map(|f| format!(" [{f}]"))
                .unwrap_or_default();
            match formula {
                Some(f) => writeln!(out, "{} ={f} -> {value}{format}", cell(r, c)).unwrap(),
                None => writeln!(out, "{} {value:?}{format}", cell(r, c)).unwrap(),
            }
        }
    }
    out
}

/// A1 name of a 0-based position.
pub fn cell(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// Copies the sample's cell values (no merges, no formats) into a new workbook, leaving out
/// the sheets for which `keep` is false.
pub fn copy_sample(path: &Path, keep: impl Fn(usize) -> bool) {
    copy_sample_with(path, keep, |_, _, _, text| text.to_owned());
}

/// As [`copy_sample`], with every cell's text passed through `edit(sheet, row, col, text)`.
pub fn copy_sample_with(
    path: &Path,
    keep: impl Fn(usize) -> bool,
    edit: impl Fn(usize, usize, usize, &str) -> String,
) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (i, (name, rows)) in sheets(&sample()).into_iter().enumerate() {
        if !keep(i) {
            continue;
        }
        let sheet = book.add_worksheet();
        sheet.set_name(&name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                let text = edit(i, r, c, text);
                if !text.is_empty() {
                    sheet.write_string(r as u32, c as u16, text).unwrap();
                }
            }
        }
    }
    book.save(path).unwrap();
}

/// Fails the test, with the package to install, unless `program` runs here. Tests that need
/// one are marked ignored where it was missing at build time (`build.rs`), so a test that
/// runs and finds it missing is a machine that changed since: say so, never pass silently.
pub fn require(program: &str, package: &str) {
    let runs = Command::new(program)
        .arg(if program.starts_with("pdf") {
            "-v"
        } else {
            "--version"
        })
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(runs, "{program} is needed: apt-get install {package}");
}

/// `xlsx` opened, recalculated and saved again by LibreOffice, as a clerk's Excel or WPS saves
/// a filled template: formulas with their results. Returns the saved file (in `dir`).
pub fn recalculated_by_libreoffice(xlsx: &Path, dir: &Path) -> PathBuf {
    let outdir = dir.join("libreoffice");
    let profile = dir.join("profile");
    let out =
        soffice(xlsx, "xlsx:Calc MS Excel 2007 XML", &outdir, &profile).expect("soffice runs");
    assert!(
        out.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    outdir.join(xlsx.file_name().unwrap())
}
