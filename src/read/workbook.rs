//! Loading a workbook file (.xlsx, .xls, .ods) into plain sheets of cells with calamine.

use crate::base::error::{Location, Problem, ReadError};
use crate::edition::Rect;
use calamine::{Data, Ods, Reader, Sheets, Xls, Xlsx};
use std::io::Cursor;
use std::path::Path;

/// The value of one cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Nothing (also every cell covered by a merge but its top-left one).
    Empty,
    /// Text.
    Text(String),
    /// A number, as the file stores it.
    Number(f64),
    /// A formula saved without its result that could not be evaluated (without `=`).
    Formula(String),
}

impl Value {
    /// The cell as text: numbers in their shortest round-trip form (`8`, `2080108`, `596.7`).
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(t) => t.trim().to_owned(),
            Value::Number(n) => format!("{n}"),
            Value::Formula(_) => String::new(),
        }
    }

    /// Whether the cell is empty or blank text.
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            Value::Number(_) | Value::Formula(_) => false,
        }
    }
}

/// One sheet: its cells at their absolute positions (row 0 is the sheet's first row).
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// Rows of cells; rows may differ in length.
    pub cells: Vec<Vec<Value>>,
    /// Merged ranges, when the format exposes them (.xlsx, .xls; not .ods).
    pub merges: Option<Vec<Rect>>,
}

impl Sheet {
    /// The cell at a 0-based (row, column), `Empty` outside the data.
    pub fn get(&self, row: usize, col: usize) -> &Value {
        const EMPTY: Value = Value::Empty;
        self.cells
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }

    /// Number of rows.
    pub fn height(&self) -> usize {
        self.cells.len()
    }

    /// Number of columns of the widest row.
    pub fn width(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// The merge covering a cell, if merges are known.
    pub fn merge_at(&self, row: usize, col: usize) -> Option<Rect> {
        self.merges.as_ref()?.iter().copied().find(|m| {
            (m.first_row..=m.last_row).contains(&row) && (m.first_col..=m.last_col).contains(&col)
        })
    }
}

/// An open workbook whose sheets are read one at a time.
pub struct Book {
    book: Sheets<Cursor<Vec<u8>>>,
    location: Location,
    /// The sheet names, in workbook order.
    pub names: Vec<String>,
    /// Merged ranges by sheet, when the inspection found them.
    merges: Option<std::collections::HashMap<String, Vec<Rect>>>,
    /// Sheets with formulas saved without their results.
    uncached: Vec<String>,
}

/// Opens a workbook file, after checking it is safe to open.
pub fn open(path: &Path, display: &str) -> Result<Book, ReadError> {
    let location = Location::file(display);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("xlsx" | "xlsm" | "xls" | "ods") => {}
        Some("docx" | "txt" | "md") => {
            return Err(ReadError::new(location, Problem::NarrativeAsBudget));
        }
        _ => return Err(ReadError::new(location, Problem::UnsupportedFormat)),
    }
    let limits = super::guard::Limits::DEFAULT;
    let bytes = super::guard::read_file(path, &location, &limits)?;
    let inspection = super::guard::inspect(&bytes, &location, &limits)?;
    // Read from memory: the file is opened once, and calamine's many small reads and seeks
    // are not system calls.
    let data = Cursor::new(bytes);
    let opened = match ext.as_deref() {
        Some("xls") => Xls::new(data)
            .map(Sheets::Xls)
            .map_err(calamine::Error::Xls),
        Some("ods") => Ods::new(data)
            .map(Sheets::Ods)
            .map_err(calamine::Error::Ods),
        _ => Xlsx::new(data)
            .map(Sheets::Xlsx)
            .map_err(calamine::Error::Xlsx),
    };
    let book = opened.map_err(|e| ReadError::new(location.clone(), problem_of(e)))?;
    let names = book.sheet_names().to_vec();
    Ok(Book {
        book,
        location,
        names,
        merges: inspection.merges,
        uncached: inspection.uncached,
    })
}

/// Reads every sheet of a workbook file as saved, and whether some formulas were saved without
/// their results (to be evaluated before the tables are read).
pub fn load_raw(path: &Path, display: &str) -> Result<(Vec<Sheet>, bool), ReadError> {
    let mut book = open(path, display)?;
    let names = book.names.clone();
    let sheets: Vec<Sheet> = names
        .iter()
        .map(|name| book.sheet(name))
        .collect::<Result<_, _>>()?;
    Ok((sheets, !book.uncached.is_empty()))
}

impl Book {
    /// Reads one sheet.
    pub fn sheet(&mut self, name: &str) -> Result<Sheet, ReadError> {
        let location = &self.location;
        let book = &mut self.book;
        let name = name.to_owned();
        let range = book
            .worksheet_range(&name)
            .map_err(|e| ReadError::new(location.clone(), problem_of(e)))?;
        let merges = match &self.merges {
            Some(known) => Some(known.get(&name).cloned().unwrap_or_default()),
            None => merges(book, &name),
        };
        let (r0, c0) = range
            .start()
            .map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let mut cells: Vec<Vec<Value>> = vec![Vec::new(); r0];
        for row in range.rows() {
            let mut out = vec![Value::Empty; c0];
            out.extend(row.iter().map(value));
            while out.last() == Some(&Value::Empty) {
                out.pop();
            }
            cells.push(out);
        }
        if self.uncached.contains(&name) {
            // Formulas saved without results: the formula text where the value is missing.
            let formulas = book
                .worksheet_formula(&name)
                .map_err(|e| ReadError::new(location.clone(), problem_of(e)))?;
            let (fr, fc) = formulas
                .start()
                .map_or((0, 0), |(r, c)| (r as usize, c as usize));
            for (r, c, text) in formulas.used_cells() {
                let (r, c) = (fr + r, fc + c);
                if text.is_empty() {
                    continue;
                }
                if cells.len() <= r {
                    cells.resize(r + 1, Vec::new());
                }
                if cells[r].len() <= c {
                    cells[r].resize(c + 1, Value::Empty);
                }
                if cells[r][c] == Value::Empty {
                    cells[r][c] = Value::Formula(text.clone());
                }
            }
        }
        Ok(Sheet {
            name,
            cells,
            merges,
        })
    }
}

/// The problem a calamine error stands for.
fn problem_of(error: calamine::Error) -> Problem {
    use calamine::{Error, OdsError, XlsError, XlsxError};
    match error {
        Error::Xlsx(XlsxError::Password)
        | Error::Xls(XlsError::Password)
        | Error::Ods(OdsError::Password) => Problem::Encrypted,
        other => Problem::Parser {
            detail: other.to_string(),
        },
    }
}

fn merges<RS: std::io::Read + std::io::Seek>(
    book: &mut Sheets<RS>,
    name: &str,
) -> Option<Vec<Rect>> {
    let dims = match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).ok()?,
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).ok()?,
        _ => return None,
    };
    Some(
        dims.into_iter()
            .map(|d| Rect {
                first_row: d.start.0 as usize,
                first_col: d.start.1 as usize,
                last_row: d.end.0 as usize,
                last_col: d.end.1 as usize,
            })
            .collect(),
    )
}

fn value(data: &Data) -> Value {
    match data {
        Data::Empty => Value::Empty,
        Data::String(s) => Value::Text(s.clone()),
        Data::Float(f) => Value::Number(*f),
        Data::Int(i) => Value::Number(*i as f64),
        Data::Bool(b) => Value::Text(b.to_string()),
        Data::DateTime(d) => Value::Number(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Text(format!("#{e:?}")),
    }
}
