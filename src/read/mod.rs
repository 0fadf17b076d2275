//! The reader: workbooks in the edition's layout (found by title and header text, not by cell
//! position) into the canonical model.

mod assemble;
mod codes;
mod data;
mod document;
mod formula;
mod guard;
mod header;
mod rows;
mod tables;
pub(crate) mod workbook;

pub use document::{Document, Paragraph, is_document, read_document};
pub(crate) use rows::split_entity;
pub(crate) use tables::{Found, find_tables};

use crate::edition::Edition;
use crate::error::{Level, Location, Notice, Problem, ReadError};
use crate::model::{Budget, RowKind, Table};
use crate::position::InputPositions;
use std::path::{Path, PathBuf};
use workbook::Sheet;

/// A budget as read, with what the reader noticed on the way.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Reading {
    /// The budget.
    pub budget: Budget,
    /// Warnings and interpretations, in reading order.
    pub notices: Vec<Notice>,
    /// Where each table and row was read from, to locate findings in the input.
    pub positions: InputPositions,
    /// Tables found more than once (resubmissions), and which copy was used.
    #[serde(default)]
    pub duplicates: Vec<Duplicate>,
}

/// What to do when a table of one unit is found in more than one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Duplicates {
    /// Refuse: the input cannot be read (the two places are named).
    #[default]
    Error,
    /// Resubmissions: identical copies are used once; otherwise the file given first (the
    /// newest) wins and the others are superseded.
    Newest,
}

/// A table found again in another file, and not used from there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Duplicate {
    /// Table number.
    pub number: u8,
    /// The file whose table was used.
    pub kept: String,
    /// The file whose table was not used.
    pub dropped: String,
    /// Whether the two held the same table; if not, `dropped` is superseded.
    pub identical: bool,
}

/// The workbook files of an input: the file itself, or the workbooks in a directory (one
/// unit's tables spread over several files), sorted by name; temporary `~$` files skipped.
///
/// # Errors
///
/// A [`ReadError`] when a directory cannot be listed.
pub fn input_files(path: &Path) -> Result<Vec<PathBuf>, ReadError> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let unreadable = |e: std::io::Error| {
        ReadError::new(
            Location::file(path.display().to_string()),
            Problem::Io {
                cause: crate::error::io_reason(&e),
            },
        )
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(unreadable)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && is_workbook(p))
        .collect();
    files.sort();
    Ok(files)
}

/// Whether a path names a workbook yusuan reads (and not an office lock file).
pub fn is_workbook(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    !name.starts_with("~$")
        && !name.starts_with(".~lock")
        && matches!(ext.as_deref(), Some("xlsx" | "xlsm" | "xls" | "ods"))
}

/// Whether a path names an input yusuan reads: a workbook, or a data file (`.json` as
/// `convert` writes it, `.csv` in the form of `facts.csv`).
pub fn is_input(path: &Path) -> bool {
    is_workbook(path) || data::is_data(path)
}

/// Reads one input (a workbook, or a directory of one unit's workbooks) into a budget.
///
/// # Errors
///
/// A [`ReadError`] naming the file, sheet and cell of what could not be read.
///
/// ```
/// use yusuan::edition::Edition;
///
/// let edition = Edition::builtin();
/// let sample = "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx";
/// let reading = yusuan::read::read_input(&edition, sample.as_ref())?;
/// assert_eq!(reading.budget.code, "313603");
/// assert_eq!(reading.budget.tables.len(), 13);
///
/// let err = yusuan::read::read_input(&edition, "Cargo.toml".as_ref()).unwrap_err();
/// assert!(err.to_string().contains("不支持的文件类型"));
/// # Ok::<(), yusuan::error::ReadError>(())
/// ```
pub fn read_input(edition: &Edition, path: &Path) -> Result<Reading, ReadError> {
    let files = input_files(path)?;
    read_files(
        edition,
        &files,
        &path.display().to_string(),
        Duplicates::Error,
    )
}

/// Reads one unit's tables from several workbooks into a budget; `input` names them together
/// in messages. A table found in two files is handled as `duplicates` says (for
/// [`Duplicates::Newest`], give the newest file first).
///
/// # Errors
///
/// A [`ReadError`] naming the file, sheet and cell of what could not be read.
pub fn read_files(
    edition: &Edition,
    files: &[PathBuf],
    input: &str,
    duplicates: Duplicates,
) -> Result<Reading, ReadError> {
    if files.is_empty() {
        return Err(ReadError::new(Location::file(input), Problem::NoWorkbooks));
    }
    if let [file] = files
        && data::is_data(file)
    {
        return data::read(edition, file, &file.display().to_string());
    }
    let mut loaded = Vec::with_capacity(files.len());
    for f in files {
        let display = f.display().to_string();
        loaded.push((display.clone(), workbook::load(f, &display)?));
    }
    assemble::assemble(edition, &loaded, input, duplicates)
}

/// What a quick look at a workbook tells: whose tables it holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Scan {
    /// The unit code of the first 单位 line, if any.
    pub code: Option<String>,
    /// The unit name of that line.
    pub name: Option<String>,
}

/// Looks at a workbook just enough to tell which unit its tables belong to (to group a unit's
/// tables spread over several files): sheets are read one at a time until a table's 单位 line
/// (or, failing that, a projects table's unit cell) names the unit.
///
/// # Errors
///
/// A [`ReadError`] when the workbook cannot be opened or a sheet cannot be read.
pub fn scan_file(edition: &Edition, path: &Path) -> Result<Scan, ReadError> {
    let display = path.display().to_string();
    if data::is_data(path) {
        return data::scan(edition, path, &display);
    }
    let mut book = workbook::open(path, &display)?;
    let names = book.names.clone();
    scan_sheets(edition, names.iter().map(|name| book.sheet(name)))
}

/// The unit of the first sheet with a table's 单位 line, sheets taken in order and no further;
/// failing that, a projects table's unit cell.
fn scan_sheets<S: std::borrow::Borrow<Sheet>>(
    edition: &Edition,
    sheets: impl IntoIterator<Item = Result<S, ReadError>>,
) -> Result<Scan, ReadError> {
    let mut fallback = None;
    for sheet in sheets {
        match scan_sheet(edition, sheet?.borrow()) {
            SheetScan::Unit(scan) => return Ok(scan),
            SheetScan::Projects(code) => fallback = fallback.or(Some(code)),
            SheetScan::Nothing => {}
        }
    }
    Ok(Scan {
        code: fallback,
        name: None,
    })
}

/// What one sheet tells of its unit.
enum SheetScan {
    /// A table's 单位 line.
    Unit(Scan),
    /// No 单位 line, but a projects table's unit cell.
    Projects(String),
    Nothing,
}

fn scan_sheet(edition: &Edition, sheet: &Sheet) -> SheetScan {
    let sheets = std::slice::from_ref(sheet);
    let found = find_tables(edition, sheets);
    for f in &found {
        let to = f.end_row.min(f.lines_from + header::HEADER_SEARCH_ROWS);
        if let Some((_, text, _, _)) = Lines::scan(edition, sheet, f.lines_from, to).entity {
            let (code, name) = split_entity(&text);
            if !code.is_empty() {
                return SheetScan::Unit(Scan {
                    code: Some(code),
                    name: Some(name),
                });
            }
        }
    }
    match unit_from_projects_sheet(edition, sheets, &found) {
        Some(code) => SheetScan::Projects(code),
        None => SheetScan::Nothing,
    }
}

/// A scan of a workbook, and the workbook read as a unit of its own when it could be loaded.
#[derive(Debug)]
pub struct ScanRead {
    /// As [`scan_file`] tells.
    pub scan: Result<Scan, ReadError>,
    /// As [`read_files`] with this one file reads it; `None` when the workbook could not be
    /// loaded whole (the scan then looked at it alone, sheet by sheet, as [`scan_file`]).
    pub reading: Option<Result<Reading, ReadError>>,
}

/// Scans a workbook and reads it as a unit of its own (named `input`, a table found twice
/// handled as `duplicates` says), opening it once: a batch's first pass, where most units are
/// one file each. The scan is exactly [`scan_file`]'s, made from the sheets as saved.
pub fn scan_and_read_file(
    edition: &Edition,
    path: &Path,
    input: &str,
    duplicates: Duplicates,
) -> ScanRead {
    let display = path.display().to_string();
    if data::is_data(path) {
        return ScanRead {
            scan: scan_file(edition, path),
            reading: None,
        };
    }
    let Ok((mut sheets, uncached)) = workbook::load_raw(path, &display) else {
        return ScanRead {
            scan: scan_file(edition, path),
            reading: None,
        };
    };
    let scan = scan_sheets(edition, sheets.iter().map(Ok));
    // A reading that fails inside yusuan (a panic) is left to be read again, and reported
    // there as any reading's: the scan stands.
    let reading = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if uncached {
            formula::evaluate_all(&mut sheets);
        }
        assemble::assemble(edition, &[(display, sheets)], input, duplicates)
    }))
    .ok();
    ScanRead { scan, reading }
}

/// Without any 单位 line, the unit code of a projects table's first unit cell.
fn unit_from_projects_sheet(
    edition: &Edition,
    sheets: &[Sheet],
    found: &[Found],
) -> Option<String> {
    let f = found.iter().find(|f| {
        matches!(
            edition.tables[usize::from(f.number) - 1].layout,
            crate::edition::Layout::Projects
        )
    })?;
    let sheet = &sheets[f.sheet];
    (f.header_from..f.end_row).find_map(|r| {
        let text = sheet.get(r, 0).text();
        let (code, _) = split_entity(&text);
        (!code.is_empty() && code.chars().all(|c| c.is_ascii_digit())).then_some(code)
    })
}

/// A warning when an entity's code is not made of digits (unit codes are six digits, a
/// department's three): a code such as `a/b` is kept as typed, but is most likely a mistake.
fn code_notice(code: &str, location: Location) -> Option<Notice> {
    (!code.chars().all(|c| c.is_ascii_digit())).then(|| Notice {
        level: Level::Warning,
        location,
        message: format!("单位代码“{code}”不全是数字（单位代码通常为 6 位数字），请核对"),
    })
}

/// The unit of the first unit row of the projects table, for inputs without an entity line.
fn unit_from_projects(tables: &[Table]) -> Option<(String, String)> {
    tables
        .iter()
        .flat_map(|t| &t.rows)
        .find(|r| r.kind == RowKind::Subtotal && r.code.is_none() && r.unit_code.is_some())
        .map(|r| (r.unit_code.clone().unwrap_or_default(), r.name.clone()))
}

/// A four-digit year followed by 年 in a title (`2023年`, `（2023年度）`).
fn year_in(title: &str) -> Option<u16> {
    let chars: Vec<char> = title.chars().collect();
    chars.windows(5).find_map(|w| {
        let digits: String = w[..4].iter().collect();
        (w[4] == '年' && digits.chars().all(|c| c.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
    })
}

/// The entity word and the rest of an entity line: `单位：313603-…` → (`单位`, `313603-…`);
/// the labels are the edition's (`部门：`, `单位名称：`, `预算单位：` …), the longest first, and
/// each stands for the entity word it contains.
fn entity_line<'t>(edition: &Edition, text: &'t str) -> Option<(String, &'t str)> {
    let text = text.trim_start();
    let mut labels: Vec<&String> = edition.entity_labels.iter().collect();
    labels.sort_by_key(|l| std::cmp::Reverse(l.chars().count()));
    labels.into_iter().find_map(|label| {
        let rest = text.strip_prefix(label.as_str())?.trim_start();
        let rest = rest.strip_prefix('：').or_else(|| rest.strip_prefix(':'))?;
        let word = if label.contains(&edition.department_word) {
            &edition.department_word
        } else {
            &edition.entity_word
        };
        Some((word.clone(), rest))
    })
}

/// The entity line and amount-unit line between a title and its header.
struct Lines {
    entity: Option<(String, String, usize, usize)>,
    unit: Option<(String, usize, usize)>,
}

impl Lines {
    fn scan(edition: &Edition, sheet: &Sheet, from: usize, to: usize) -> Lines {
        let label = edition.amount_unit_label();
        let mut lines = Lines {
            entity: None,
            unit: None,
        };
        for r in from..to {
            for (c, v) in sheet.cells[r].iter().enumerate() {
                let text = v.text();
                if let Some(i) = text.find(label).filter(|_| !label.is_empty()) {
                    let rest = &text[i + label.len()..];
                    lines.unit = Some((
                        rest.trim_start_matches([':', '：', ' ']).trim().to_owned(),
                        r,
                        c,
                    ));
                }
                if lines.entity.is_none()
                    && let Some((word, rest)) = entity_line(edition, &text)
                {
                    let before_unit =
                        |t: &str| t.split(label).next().unwrap_or("").trim().to_owned();
                    let mut rest = before_unit(rest);
                    let mut at = c;
                    // A label alone (the fillable template): the entity is in the next cell
                    // (where it is typed, and where a message points), unless that cell is
                    // already the amount-unit line (a blank entity).
                    if rest.is_empty() {
                        at = c + 1;
                        if let Some((k, t)) = sheet.cells[r]
                            .iter()
                            .enumerate()
                            .skip(c + 1)
                            .map(|(k, v)| (k, v.text()))
                            .find(|(_, t)| !t.trim().is_empty())
                        {
                            rest = before_unit(&t);
                            if !rest.is_empty() {
                                at = k;
                            }
                        }
                    }
                    lines.entity = Some((word, rest, r, at));
                }
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use workbook::Value;

    #[test]
    fn years_in_titles() {
        assert_eq!(
            year_in("单位预算项目支出绩效目标表（2023年度）"),
            Some(2023)
        );
        assert_eq!(year_in("2024年单位收支总表"), Some(2024));
        assert_eq!(year_in("单位收支总表"), None);
    }

    #[test]
    fn entity_lines() {
        let e = Edition::builtin();
        let entity_line = |t| super::entity_line(&e, t);
        assert_eq!(
            entity_line("单位：313603-某中心"),
            Some(("单位".into(), "313603-某中心"))
        );
        assert_eq!(
            entity_line("部门: 313-某厅"),
            Some(("部门".into(), " 313-某厅"))
        );
        assert_eq!(
            entity_line("单位名称：313603-某中心"),
            Some(("单位".into(), "313603-某中心"))
        );
        assert_eq!(entity_line("单位支出总表"), None);
    }

    fn row(cells: &[&str]) -> Vec<Value> {
        cells
            .iter()
            .map(|t| match *t {
                "" => Value::Empty,
                t => Value::Text(t.to_owned()),
            })
            .collect()
    }

    #[test]
    fn an_entity_label_alone_takes_the_next_cell_but_not_the_unit_line() {
        let e = Edition::builtin();
        let sheet = |cells| Sheet {
            name: "表".into(),
            cells: vec![row(cells)],
            merges: None,
        };
        let entity = |cells| Lines::scan(&e, &sheet(cells), 0, 1).entity.map(|x| x.1);
        assert_eq!(
            entity(&["单位：", "", "313603-某中心", "金额单位：万元"]),
            Some("313603-某中心".to_owned())
        );
        assert_eq!(
            entity(&["单位：", "", "", "金额单位：万元"]),
            Some(String::new())
        );
        assert_eq!(
            entity(&["单位：313603-某中心 金额单位：万元"]),
            Some("313603-某中心".to_owned())
        );
    }

    #[test]
    fn workbook_names() {
        assert!(is_workbook(Path::new("a/b.XLSX")));
        assert!(is_workbook(Path::new("b.ods")));
        assert!(!is_workbook(Path::new("~$b.xlsx")));
        assert!(!is_workbook(Path::new("b.csv")));
    }
}
