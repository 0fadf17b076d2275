//! Every kind of workbook yusuan writes computes the same in two independent spreadsheet
//! engines, and is a well-formed package that stricter readers than LibreOffice accept.
//!
//! Nine kinds: the converted sample; a unit with a wrong total (flagged cells and notes); the
//! blank template; a template prefilled from a budget with nested total columns in use
//! (表9's 合计 over 小计); a batch's 汇总.xlsx; a department from `merge`; the Shanghai sample's
//! official workbook, the Shanghai blank template and a Shanghai department merged in the
//! department template (`--edition shanghai-2026`). Each is recalculated
//! by Gnumeric (`ssconvert --recalc`) and by LibreOffice, and every formula cell must equal the
//! result yusuan cached (numbers to 1e-9 relative); Gnumeric must print no warning. Each
//! package is checked too: rows and cells in order and never repeated, no formula text starting
//! with `=`, shared-string counts right, merged ranges not overlapping.
//!
//! Needs `ssconvert` and `soffice` (Debian `gnumeric`, `libreoffice-calc-nogui`, installed by
//! `.ci/run`); where one is missing the test is reported ignored, and under CI that fails.

use crate::common::*;
use calamine::{Data, Reader, Xlsx, open_workbook};
use quick_xml::events::Event;
use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// LibreOffice recalculates .xlsx formulas on load only when its profile says so.
const RECALC_ALWAYS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#;

/// Runs yusuan and asserts its exit code is one of `codes`.
fn run(args: &[&std::ffi::OsStr], codes: &[i32]) {
    let out = yusuan(args);
    assert!(
        out.status.code().is_some_and(|c| codes.contains(&c)),
        "yusuan {args:?}: {:?}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The sample with every cell's text edited: `from` replaced by `to` on sheet `sheet` (all
/// sheets for `None`).
fn edited_sample(path: &Path, sheet: Option<usize>, from: &str, to: &str) {
    copy_sample_with(
        path,
        |_| true,
        |s, _, _, text| {
            if sheet.is_none_or(|want| want == s) {
                text.replace(from, to)
            } else {
                text.to_owned()
            }
        },
    );
}

/// The nine kinds of workbook, written into `dir`.
fn workbooks(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let os = |p: &Path| p.as_os_str().to_owned();
    let arg = |s: &str| std::ffi::OsString::from(s);
    let sample = sample();
    let units = dir.join("units");
    std::fs::create_dir_all(&units).unwrap();
    std::fs::copy(&sample, units.join("313603.xlsx")).unwrap();
    edited_sample(&units.join("313604.xlsx"), None, "313603", "313604");
    // A typo in 单位支出总表's 项目支出: its 合计 and the tables it must equal are flagged.
    let typo = dir.join("typo.xlsx");
    edited_sample(&typo, Some(2), "942.64", "943.64");

    let converted = dir.join("converted");
    run(
        &[&arg("convert"), &os(&sample), &arg("-o"), &os(&converted)],
        &[0],
    );
    let flagged = dir.join("flagged");
    run(
        &[&arg("convert"), &os(&typo), &arg("-o"), &os(&flagged)],
        &[1],
    );
    let blank = dir.join("blank-template.xlsx");
    run(&[&arg("template"), &arg("-o"), &os(&blank)], &[0]);
    // The sample with 1.00 of 公务用车运行费 in 表9: 合计 adds 小计, which adds 运行费.
    let json = sample_json(dir);
    let mut budget: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let t9 = budget["tables"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["number"] == 9)
        .expect("表9");
    let row = t9["rows"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["kind"] == "detail")
        .expect("a detail row of 表9");
    row["amounts"]["当年财政拨款预算安排/公务用车购置及运行费/公务用车运行费"] = "1.00".into();
    let with_car = dir.join("with-car.json");
    std::fs::write(&with_car, budget.to_string()).unwrap();
    let prefilled = dir.join("prefilled-template.xlsx");
    run(
        &[
            &arg("template"),
            &arg("-o"),
            &os(&prefilled),
            &arg("--from"),
            &os(&with_car),
        ],
        &[0],
    );
    let batch_out = dir.join("batch");
    run(
        &[&arg("batch"), &os(&units), &arg("-o"), &os(&batch_out)],
        &[0],
    );
    let merged = dir.join("merged");
    run(
        &[
            &arg("merge"),
            &os(&units.join("313603.xlsx")),
            &os(&units.join("313604.xlsx")),
            &arg("-o"),
            &os(&merged),
            &arg("--code"),
            &arg("313"),
            &arg("--name"),
            &arg("某某厅"),
        ],
        &[0],
    );
    // The Shanghai edition: its official workbook (one-row tables, totals at the bottom, the
    // classes used) and its blank template.
    let shanghai = dir.join("shanghai");
    let edition = || [arg("--edition"), arg("shanghai-2026")];
    let [e, name] = edition();
    run(
        &[
            &e,
            &name,
            &arg("convert"),
            &os(&shanghai_sample()),
            &arg("-o"),
            &os(&shanghai),
        ],
        &[0],
    );
    // A Shanghai department merged from the sample and a copy under another name: written in
    // the department template (one 预算数 column in 部门财务收支预算总表).
    let copy = dir.join("shanghai-copy.json");
    let sample_json = shanghai.join("上海市普陀区社会福利院-2024.json");
    let mut unit: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sample_json).unwrap()).unwrap();
    unit["name"] = "上海市普陀区第二社会福利院".into();
    std::fs::write(&copy, unit.to_string()).unwrap();
    let shanghai_department = dir.join("shanghai-department");
    let [e, name] = edition();
    run(
        &[
            &e,
            &name,
            &arg("merge"),
            &os(&shanghai_sample()),
            &os(&copy),
            &arg("--code"),
            &arg("313"),
            &arg("--name"),
            &arg("上海市普陀区民政局"),
            &arg("-o"),
            &os(&shanghai_department),
        ],
        &[0],
    );
    let shanghai_blank = dir.join("shanghai-template.xlsx");
    let [e, name] = edition();
    run(
        &[
            &e,
            &name,
            &arg("template"),
            &arg("-o"),
            &os(&shanghai_blank),
        ],
        &[0],
    );
    let only_xlsx = |d: &Path| -> PathBuf {
        std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
            .unwrap_or_else(|| panic!("no workbook in {}", d.display()))
    };
    vec![
        ("converted sample", only_xlsx(&converted)),
        ("wrong total, flagged", only_xlsx(&flagged)),
        ("blank template", blank),
        ("prefilled template", prefilled),
        ("汇总.xlsx", batch_out.join("汇总.xlsx")),
        ("department", only_xlsx(&merged)),
        ("Shanghai official", only_xlsx(&shanghai)),
        ("Shanghai template", shanghai_blank),
        ("Shanghai department", only_xlsx(&shanghai_department)),
    ]
}

/// A formula cell: its formula and the value yusuan cached.
struct FormulaCell {
    sheet: String,
    at: (u32, u32),
    formula: String,
    cached: Data,
}

fn formula_cells(path: &Path) -> Vec<FormulaCell> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = Vec::new();
    for name in book.sheet_names().to_vec() {
        let formulas = book.worksheet_formula(&name).unwrap();
        let values = book.worksheet_range(&name).unwrap();
        let (r0, c0) = formulas.start().unwrap_or((0, 0));
        for (r, c, f) in formulas.used_cells() {
            let at = (r as u32 + r0, c as u32 + c0);
            out.push(FormulaCell {
                sheet: name.clone(),
                at,
                formula: f.clone(),
                cached: values.get_value(at).cloned().unwrap_or(Data::Empty),
            });
        }
    }
    out
}

/// The values of every sheet of a recalculated workbook (or why a sheet cannot be read).
fn values(path: &Path) -> BTreeMap<String, Result<calamine::Range<Data>, String>> {
    let mut book: Xlsx<_> =
        open_workbook(path).unwrap_or_else(|e| panic!("{} does not open: {e}", path.display()));
    book.sheet_names()
        .to_vec()
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).map_err(|e| e.to_string());
            (n, range)
        })
        .collect()
}

fn number(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        Data::Empty => Some(0.0),
        Data::String(s) if s.is_empty() => Some(0.0),
        _ => None,
    }
}

/// The differences between the cached values and an engine's results.
fn differences(engine: &str, cells: &[FormulaCell], recalculated: &Path) -> Vec<String> {
    let sheets = values(recalculated);
    let mut out: Vec<String> = sheets
        .iter()
        .filter_map(|(name, r)| Some(format!("{engine}: {name}: {}", r.as_ref().err()?)))
        .collect();
    for f in cells {
        let Some(Ok(sheet)) = sheets.get(&f.sheet) else {
            continue;
        };
        let got = sheet.get_value(f.at).cloned().unwrap_or(Data::Empty);
        let same = match (number(&f.cached), number(&got)) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
            _ => data_text(&f.cached) == data_text(&got),
        };
        if !same {
            out.push(format!(
                "{engine}: {} {} ={}: cached {:?}, computed {:?}",
                f.sheet,
                cell(f.at.0, f.at.1),
                f.formula,
                f.cached,
                got
            ));
        }
    }
    out
}

/// Gnumeric's recalculation of `xlsx` as a new .xlsx in `work`, and what it printed.
fn gnumeric(xlsx: &Path, work: &Path) -> (PathBuf, String) {
    let out_path = work.join(format!(
        "{}-gnumeric.xlsx",
        xlsx.file_stem().unwrap().to_string_lossy()
    ));
    let out = Command::new("ssconvert")
        .arg("--recalc")
        .arg(xlsx)
        .arg(&out_path)
        .output()
        .expect("ssconvert runs");
    assert!(
        out.status.success(),
        "ssconvert failed on {}: {}",
        xlsx.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let said =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    (out_path, said)
}

/// LibreOffice's recalculation of several workbooks (one process), each as a new .xlsx in
/// `work/lo`.
fn libreoffice(files: &[&Path], work: &Path) -> Vec<PathBuf> {
    let profile = work.join("lo-profile");
    std::fs::create_dir_all(profile.join("user")).unwrap();
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        RECALC_ALWAYS,
    )
    .unwrap();
    // Copies with unique names: the output takes the input's stem.
    let inputs = work.join("lo-in");
    let outdir = work.join("lo");
    std::fs::create_dir_all(&inputs).unwrap();
    let copies: Vec<PathBuf> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let copy = inputs.join(format!("book{i}.xlsx"));
            std::fs::copy(f, &copy).unwrap();
            copy
        })
        .collect();
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
        ])
        .arg(&outdir)
        .args(&copies)
        .output()
        .expect("soffice runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (0..files.len())
        .map(|i| outdir.join(format!("book{i}.xlsx")))
        .collect()
}

#[test]
#[cfg_attr(
    not(all(has_soffice, has_gnumeric)),
    ignore = "needs LibreOffice and Gnumeric: apt-get install libreoffice-calc-nogui gnumeric"
)]
fn every_workbook_computes_the_same_in_gnumeric_and_libreoffice() {
    require("ssconvert", "gnumeric");
    require("soffice", "libreoffice-calc-nogui");
    let dir = tempfile::tempdir().unwrap();
    let books = workbooks(dir.path());
    let files: Vec<&Path> = books.iter().map(|(_, p)| p.as_path()).collect();
    let by_libreoffice = libreoffice(&files, dir.path());
    let mut problems = Vec::new();
    for ((kind, book), lo) in books.iter().zip(&by_libreoffice) {
        let cells = formula_cells(book);
        // 汇总.xlsx holds figures only; every other kind has formulas.
        assert!(
            !cells.is_empty() || *kind == "汇总.xlsx",
            "{kind}: no formulas"
        );
        let (gn, said) = gnumeric(book, dir.path());
        // Gnumeric reads a cell note from its comments part and says it skips the note's
        // drawing (the VML shape Excel writes for every note too): not a problem of the file.
        for line in said.lines().map(str::trim) {
            if !line.is_empty() && line != "Unhandled object of type Note" {
                problems.push(format!("{kind}: Gnumeric says: {line}"));
            }
        }
        for d in differences("Gnumeric", &cells, &gn)
            .into_iter()
            .chain(differences("LibreOffice", &cells, lo))
        {
            problems.push(format!("{kind}: {d}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// What is wrong with the structure of an .xlsx package.
fn structural_problems(path: &Path) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut text = String::new();
        if entry.read_to_string(&mut text).is_ok() {
            parts.insert(String::from_utf8_lossy(entry.name_raw()).into_owned(), text);
        }
    }
    let mut problems = Vec::new();
    let mut string_cells = 0usize;
    for (name, xml) in &parts {
        if !(name.starts_with("xl/worksheets/sheet") && name.ends_with(".xml")) {
            continue;
        }
        let sheet = SheetCheck::run(xml);
        string_cells += sheet.string_cells;
        problems.extend(sheet.problems.into_iter().map(|p| format!("{name}: {p}")));
    }
    if let Some(sst) = parts.get("xl/sharedStrings.xml") {
        let mut reader = quick_xml::Reader::from_str(sst);
        let (mut count, mut unique, mut items) = (None, None, 0usize);
        loop {
            match reader.read_event().expect("sharedStrings.xml parses") {
                Event::Start(e) | Event::Empty(e) => match e.name().into_inner() {
                    "sst" => {
                        count = attr(&e, "count").and_then(|v| v.parse::<usize>().ok());
                        unique = attr(&e, "uniqueCount").and_then(|v| v.parse::<usize>().ok());
                    }
                    "si" => items += 1,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        if count != Some(string_cells) {
            problems.push(format!(
                "sharedStrings count {count:?}, {string_cells} string cells"
            ));
        }
        if unique != Some(items) {
            problems.push(format!(
                "sharedStrings uniqueCount {unique:?}, {items} items"
            ));
        }
    } else if string_cells > 0 {
        problems.push(format!("{string_cells} string cells, no sharedStrings.xml"));
    }
    problems
}

fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.into_inner() == key)
        .map(|a| a.value.into_owned())
}

/// (row, column), 1-based, of an A1 reference.
fn position(a1: &str) -> (u32, u32) {
    let letters: String = a1.chars().take_while(char::is_ascii_uppercase).collect();
    let col = letters
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1));
    let row = a1[letters.len()..].parse().unwrap_or(0);
    (row, col)
}

/// One worksheet's structure.
#[derive(Default)]
struct SheetCheck {
    problems: Vec<String>,
    string_cells: usize,
}

impl SheetCheck {
    fn run(xml: &str) -> SheetCheck {
        let mut check = SheetCheck::default();
        let mut reader = quick_xml::Reader::from_str(xml);
        let (mut last_row, mut row, mut last_col) = (0u32, 0u32, 0u32);
        let mut in_formula = false;
        let mut covered: HashSet<(u32, u32)> = HashSet::new();
        loop {
            let event = match reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    check.problems.push(format!("not well-formed: {e}"));
                    break;
                }
            };
            match event {
                Event::Start(e) | Event::Empty(e) => match e.name().into_inner() {
                    "row" => {
                        row = attr(&e, "r").and_then(|r| r.parse().ok()).unwrap_or(0);
                        if row <= last_row {
                            check
                                .problems
                                .push(format!("row {row} after row {last_row}"));
                        }
                        last_row = row;
                        last_col = 0;
                    }
                    "c" => {
                        let at = attr(&e, "r").unwrap_or_default();
                        let (r, c) = position(&at);
                        if r != row || c <= last_col {
                            check
                                .problems
                                .push(format!("cell {at} out of order in row {row}"));
                        }
                        last_col = c;
                        if attr(&e, "t").as_deref() == Some("s") {
                            check.string_cells += 1;
                        }
                    }
                    "f" => in_formula = true,
                    "mergeCell" => {
                        let range = attr(&e, "ref").unwrap_or_default();
                        let (a, b) = range.split_once(':').unwrap_or((&range, &range));
                        let ((r1, c1), (r2, c2)) = (position(a), position(b));
                        for r in r1..=r2 {
                            for c in c1..=c2 {
                                if !covered.insert((r, c)) {
                                    check
                                        .problems
                                        .push(format!("merged range {range} overlaps another"));
                                }
                            }
                        }
                    }
                    _ => {}
                },
                // The formula's first piece of text (an entity such as `&lt;` ends a piece).
                Event::Text(t) if in_formula => {
                    let text = t.into_inner();
                    if text.trim_start().starts_with('=') {
                        check.problems.push(format!("formula text {text:?}"));
                    }
                    in_formula = false;
                }
                Event::GeneralRef(_) => in_formula = false,
                Event::End(e) if e.name().into_inner() == "f" => in_formula = false,
                Event::Eof => break,
                _ => {}
            }
        }
        check
    }
}

#[test]
fn every_workbook_is_a_well_formed_package() {
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for (kind, book) in workbooks(dir.path()) {
        problems.extend(
            structural_problems(&book)
                .into_iter()
                .map(|p| format!("{kind}: {p}")),
        );
    }
    // The committed template is one of the workbooks users get.
    let committed = root().join("templates/sichuan-2023-单位预算.xlsx");
    problems.extend(
        structural_problems(&committed)
            .into_iter()
            .map(|p| format!("committed template: {p}")),
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_structural_check_sees_what_it_must() {
    let sheet = |body: &str| {
        SheetCheck::run(&format!(
            "<worksheet><sheetData>{body}</sheetData></worksheet>"
        ))
        .problems
    };
    assert!(sheet(r#"<row r="1"><c r="A1"/><c r="B1"/></row><row r="2"/>"#).is_empty());
    assert_eq!(sheet(r#"<row r="2"/><row r="2"/>"#).len(), 1);
    assert_eq!(sheet(r#"<row r="1"><c r="B1"/><c r="A1"/></row>"#).len(), 1);
    assert_eq!(
        sheet(r#"<row r="1"><c r="A1"><f>=SUM(B1)</f></c></row>"#).len(),
        1
    );
    assert!(sheet(r#"<row r="1"><c r="A1"><f>IF(B1&lt;=C1,1,0)</f></c></row>"#).is_empty());
    let merges = SheetCheck::run(
        r#"<worksheet><mergeCells><mergeCell ref="A1:B2"/><mergeCell ref="B2:C3"/></mergeCells></worksheet>"#,
    );
    assert_eq!(merges.problems.len(), 1);
}
