//! The reader: workbooks in the edition's layout (found by title and header text, not by cell
//! position) into the canonical model.

mod guard;
mod header;
mod locate;
mod rows;
pub mod workbook;

pub use guard::Limits;
pub use locate::{Found, locate};
pub use rows::split_entity;

use crate::amount::AmountUnit;
use crate::check::{InputPositions, TablePosition};
use crate::edition::Edition;
use crate::error::{Level, Location, Notice, Problem, ReadError};
use crate::model::{Budget, RowKind, Table};
use std::path::{Path, PathBuf};
use workbook::Sheet;

/// A budget as read, with what the reader noticed on the way.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The budget.
    pub budget: Budget,
    /// Warnings and interpretations, in reading order.
    pub notices: Vec<Notice>,
    /// Where each table and row was read from, to locate findings in the input.
    pub positions: InputPositions,
}

/// The workbook files of an input: the file itself, or the workbooks in a directory (one
/// unit's tables spread over several files), sorted by name; temporary `~$` files skipped.
pub fn input_files(path: &Path) -> Result<Vec<PathBuf>, ReadError> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let unreadable = |e: std::io::Error| {
        ReadError::new(
            Location::file(path.display().to_string()),
            Problem::Unreadable(e.to_string()),
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

/// Reads one input (a workbook, or a directory of one unit's workbooks) into a budget.
pub fn read_input(edition: &Edition, path: &Path) -> Result<Reading, ReadError> {
    let files = input_files(path)?;
    read_files(edition, &files, &path.display().to_string())
}

/// Reads one unit's tables from several workbooks into a budget; `input` names them together
/// in messages.
pub fn read_files(edition: &Edition, files: &[PathBuf], input: &str) -> Result<Reading, ReadError> {
    if files.is_empty() {
        return Err(ReadError::new(
            Location::file(input),
            Problem::Unreadable("目录中没有工作簿".into()),
        ));
    }
    let mut loaded = Vec::with_capacity(files.len());
    for f in files {
        let display = f.display().to_string();
        loaded.push((display.clone(), workbook::load(f, &display)?));
    }
    assemble(edition, &loaded, input)
}

/// What a quick look at a workbook tells: whose tables it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The unit code of the first 单位 line, if any.
    pub code: Option<String>,
    /// The unit name of that line.
    pub name: Option<String>,
}

/// Looks at a workbook just enough to tell which unit its tables belong to (to group a unit's
/// tables spread over several files): sheets are read one at a time until a table's 单位 line
/// (or, failing that, a projects table's unit cell) names the unit.
pub fn scan_file(edition: &Edition, path: &Path) -> Result<Scan, ReadError> {
    let display = path.display().to_string();
    let mut book = workbook::open(path, &display)?;
    let names = book.names.clone();
    let mut fallback = None;
    for name in &names {
        let sheets = [book.sheet(name)?];
        let found = locate(edition, &sheets);
        for f in &found {
            let to = f.end_row.min(f.lines_from + header::HEADER_SEARCH_ROWS);
            if let Some((_, text, _, _)) = Lines::scan(&sheets[0], f.lines_from, to).entity {
                let (code, name) = split_entity(&text);
                if !code.is_empty() {
                    return Ok(Scan {
                        code: Some(code),
                        name: Some(name),
                    });
                }
            }
        }
        fallback = fallback.or_else(|| unit_from_projects_sheet(edition, &sheets, &found));
    }
    Ok(Scan {
        code: fallback,
        name: None,
    })
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

/// One table found and read, with where it came from.
struct Placed {
    table: Table,
    location: Location,
    position: TablePosition,
}

/// Assembles a budget from the sheets of one or more files.
fn assemble(
    edition: &Edition,
    files: &[(String, Vec<Sheet>)],
    input: &str,
) -> Result<Reading, ReadError> {
    let mut notices = Vec::new();
    let mut placed: Vec<Option<Placed>> = Vec::new();
    placed.resize_with(edition.tables.len(), || None);
    let mut first_error: Vec<Option<ReadError>> = vec![None; edition.tables.len()];
    let mut entity: Option<(String, String, Location)> = None;
    let mut entity_word = edition.entity_word.clone();
    let mut year: Option<u16> = None;
    let target = AmountUnit::parse(&edition.amount_unit).unwrap_or(AmountUnit::TenThousandYuan);
    for (file, sheets) in files {
        let file_location = Location::file(file);
        for found in locate(edition, sheets) {
            let sheet = &sheets[found.sheet];
            let location = file_location.sheet(&sheet.name);
            let index = usize::from(found.number) - 1;
            let spec = &edition.tables[index];
            let mut local = Vec::new();
            let map = match header::match_header(
                spec,
                sheet,
                found.header_from,
                found.end_row,
                &location,
                &mut local,
            ) {
                Ok(map) => map,
                Err(e) => {
                    first_error[index].get_or_insert(e);
                    continue;
                }
            };
            notices.append(&mut local);
            if found.title.is_empty() {
                notices.push(Notice {
                    level: Level::Warning,
                    location: location.at(map.header_row, 0),
                    message: format!("表{}“{}”没有标题行，已按表头识别", spec.number, spec.title),
                });
            }
            year = year.or_else(|| year_in(&found.title));
            let lines = Lines::scan(sheet, found.lines_from, map.header_row);
            if let Some((word, text, r, c)) = &lines.entity {
                let (code, name) = split_entity(text);
                match &entity {
                    None => {
                        entity_word = word.clone();
                        entity = Some((code, name, location.at(*r, *c)));
                    }
                    Some((known, known_name, _)) if *known != code => {
                        return Err(ReadError::new(
                            location.at(*r, *c),
                            Problem::EntityMismatch {
                                expected: format!("{known}-{known_name}"),
                                found: format!("{code}-{name}"),
                            },
                        ));
                    }
                    Some(_) => {}
                }
            }
            if let Some(other) = &placed[index] {
                return Err(ReadError::new(
                    location.at(found.title_row, found.title_col),
                    Problem::DuplicateTable {
                        number: spec.number,
                        title: spec.title.clone(),
                        other: other.location.to_string(),
                    },
                ));
            }
            let unit = match &lines.unit {
                Some((text, r, c)) => {
                    let unit = AmountUnit::parse(text).ok_or_else(|| {
                        ReadError::new(location.at(*r, *c), Problem::BadAmountUnit(text.clone()))
                    })?;
                    if unit != target {
                        notices.push(Notice {
                            level: Level::Info,
                            location: location.at(*r, *c),
                            message: format!(
                                "表{}“{}”的金额单位为{}，已精确换算为{}",
                                spec.number,
                                spec.title,
                                unit.name(),
                                target.name()
                            ),
                        });
                    }
                    unit
                }
                None => {
                    notices.push(Notice {
                        level: Level::Warning,
                        location: location.at(found.title_row, found.title_col),
                        message: format!(
                            "表{}“{}”没有“金额单位”行，按{}读取",
                            spec.number,
                            spec.title,
                            target.name()
                        ),
                    });
                    target
                }
            };
            let reader = rows::TableReader {
                edition,
                spec,
                sheet,
                map: &map,
                location: location.clone(),
                unit,
                target,
                end_row: found.end_row,
            };
            let read = reader.read(&mut notices)?;
            let mut columns: std::collections::BTreeMap<String, usize> = spec
                .columns
                .iter()
                .zip(&map.columns)
                .filter_map(|(col, c)| c.map(|c| (col.key.clone(), c)))
                .collect();
            if let Some(c) = map.whole_code {
                for (_, t) in spec.segment_columns() {
                    columns.insert(spec.columns[t].key.clone(), c);
                }
            }
            let position = TablePosition {
                file: file.clone(),
                sheet: sheet.name.clone(),
                title: (found.title_row, found.title_col),
                rows: read.sheet_rows,
                columns,
            };
            placed[index] = Some(Placed {
                table: Table {
                    number: spec.number,
                    title: spec.title.clone(),
                    rows: read.rows,
                    notes: read.notes,
                },
                location: location.at(found.title_row, found.title_col),
                position,
            });
        }
    }
    if placed.iter().all(Option::is_none) && first_error.iter().all(Option::is_none) {
        return Err(ReadError::new(Location::file(input), Problem::NoTables));
    }
    let mut tables = Vec::with_capacity(edition.tables.len());
    let mut positions = InputPositions::default();
    for (i, p) in placed.into_iter().enumerate() {
        match p {
            Some(p) => {
                tables.push(p.table);
                positions.tables.push(Some(p.position));
            }
            None => {
                let spec = &edition.tables[i];
                return Err(first_error[i].take().unwrap_or_else(|| {
                    ReadError::new(
                        Location::file(input),
                        Problem::MissingTable {
                            number: spec.number,
                            title: spec.title.clone(),
                        },
                    )
                }));
            }
        }
    }
    let (code, name) = match entity {
        Some((code, name, _)) if !code.is_empty() => (code, name),
        Some((_, _, location)) => return Err(ReadError::new(location, Problem::MissingEntity)),
        None => unit_from_projects(&tables)
            .ok_or_else(|| ReadError::new(Location::file(input), Problem::MissingEntity))?,
    };
    for t in &mut tables {
        t.title = t.title.replacen("单位", &entity_word, 1);
    }
    let budget = Budget {
        edition: edition.name.clone(),
        year: year.unwrap_or(edition.year),
        entity_word,
        code,
        name,
        amount_unit: edition.amount_unit.clone(),
        tables,
    };
    Ok(Reading {
        budget,
        notices,
        positions,
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
/// also `部门：`, `单位名称：`, `预算单位：`.
fn entity_line(text: &str) -> Option<(String, &str)> {
    const PREFIXES: [(&str, &str); 6] = [
        ("单位", "单位"),
        ("部门", "部门"),
        ("单位名称", "单位"),
        ("部门名称", "部门"),
        ("预算单位", "单位"),
        ("预算部门", "部门"),
    ];
    let text = text.trim_start();
    PREFIXES.iter().rev().find_map(|(prefix, word)| {
        let rest = text.strip_prefix(prefix)?.trim_start();
        let rest = rest.strip_prefix('：').or_else(|| rest.strip_prefix(':'))?;
        Some(((*word).to_owned(), rest))
    })
}

/// The entity line and amount-unit line between a title and its header.
struct Lines {
    entity: Option<(String, String, usize, usize)>,
    unit: Option<(String, usize, usize)>,
}

impl Lines {
    fn scan(sheet: &Sheet, from: usize, to: usize) -> Lines {
        let mut lines = Lines {
            entity: None,
            unit: None,
        };
        for r in from..to {
            for (c, v) in sheet.cells[r].iter().enumerate() {
                let text = v.text();
                if let Some(i) = text.find("金额单位") {
                    let rest = &text[i + "金额单位".len()..];
                    lines.unit = Some((
                        rest.trim_start_matches([':', '：', ' ']).trim().to_owned(),
                        r,
                        c,
                    ));
                }
                if lines.entity.is_none()
                    && let Some((word, rest)) = entity_line(&text)
                {
                    let rest = rest
                        .split("金额单位")
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_owned();
                    lines.entity = Some((word, rest, r, c));
                }
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn workbook_names() {
        assert!(is_workbook(Path::new("a/b.XLSX")));
        assert!(is_workbook(Path::new("b.ods")));
        assert!(!is_workbook(Path::new("~$b.xlsx")));
        assert!(!is_workbook(Path::new("b.csv")));
    }
}
