//! Assembling a budget from the tables found in one or more workbooks: each table read once,
//! the unit and its amount unit taken from the lines above each table, and every table of the
//! edition accounted for.

use super::header::{self, ColumnMap};
use super::lines::{Lines, code_notice, unit_from_projects, year_in};
use super::reading::{Duplicate, Duplicates, Reading};
use super::rows::{TableReader, TableRows};
use super::tables::{Found, find_tables};
use super::workbook::Sheet;
use crate::base::amount::AmountUnit;
use crate::base::error::{Level, Location, Notice, Problem, ReadError};
use crate::edition::{Edition, TableSpec};
use crate::model::position::{InputPositions, TablePosition};
use crate::model::{Budget, Table, TextSheet};

/// One table found and read, with where it came from.
struct Placed {
    table: Table,
    location: Location,
    position: TablePosition,
}

/// The budget being assembled.
struct Assembly<'e> {
    edition: &'e Edition,
    notices: Vec<Notice>,
    /// By table number − 1.
    placed: Vec<Option<Placed>>,
    /// By table number − 1: why a table found by its title could not be read.
    first_error: Vec<Option<ReadError>>,
    /// Code, name and where the first 单位 line stands.
    entity: Option<(String, String, Location)>,
    /// Where the first 单位 line left blank stands.
    blank_entity: Option<Location>,
    entity_word: String,
    /// The budget year and the table whose title gave it first.
    year: Option<(u16, u8)>,
    /// What to do with a table found twice, and what was done.
    policy: Duplicates,
    duplicates: Vec<Duplicate>,
}

/// Reads every table of the edition from the sheets of `files` (named `input` together).
pub(super) fn assemble(
    edition: &Edition,
    files: &[(String, Vec<Sheet>)],
    input: &str,
    policy: Duplicates,
) -> Result<Reading, ReadError> {
    let mut a = Assembly {
        edition,
        notices: Vec::new(),
        placed: (0..edition.tables.len()).map(|_| None).collect(),
        first_error: vec![None; edition.tables.len()],
        entity: None,
        blank_entity: None,
        entity_word: edition.entity_word.clone(),
        year: None,
        policy,
        duplicates: Vec::new(),
    };
    for (file, sheets) in files {
        for found in find_tables(edition, sheets) {
            a.place(file, &sheets[found.sheet], &found)?;
        }
    }
    let texts = super::text_sheets::read(edition, files);
    a.finish(input, texts)
}

impl Assembly<'_> {
    /// Reads one located table (a table whose header cannot be matched is remembered: another
    /// place may hold the same table; if none does, that is the error reported).
    fn place(&mut self, file: &str, sheet: &Sheet, found: &Found) -> Result<(), ReadError> {
        let index = usize::from(found.number) - 1;
        let spec = &self.edition.tables[index];
        let location = Location::file(file).sheet(&sheet.name);
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
                self.first_error[index].get_or_insert(e);
                return Ok(());
            }
        };
        self.notices.append(&mut local);
        if found.title.is_empty() {
            self.notices.push(Notice {
                level: Level::Warning,
                location: location.at(map.header_row, 0),
                message: format!("表{}“{}”没有标题行，已按表头识别", spec.number, spec.title),
            });
        }
        match (self.year, year_in(&found.title)) {
            (None, Some(y)) => self.year = Some((y, spec.number)),
            (Some((first, table)), Some(y)) if y != first => self.notices.push(Notice {
                level: Level::Warning,
                location: location.at(found.title_row, found.title_col),
                message: format!(
                    "表{}“{}”标题中的年度为 {y} 年，与表{table}的 {first} 年不一致，按 {first} 年读取",
                    spec.number, spec.title
                ),
            }),
            _ => {}
        }
        let lines = Lines::scan(self.edition, sheet, found.lines_from, map.header_row);
        if let Some((word, text, r, c)) = &lines.entity {
            self.entity_line(word, text, location.at(*r, *c))?;
        }
        if let (Some(other), Duplicates::Error) = (&self.placed[index], self.policy) {
            return Err(ReadError::new(
                location.at(found.title_row, found.title_col),
                Problem::DuplicateTable {
                    number: spec.number,
                    title: spec.title.clone(),
                    other: other.location.to_string(),
                },
            ));
        }
        let unit = self.amount_unit(spec, &lines, &location, found)?;
        let reader = TableReader {
            edition: self.edition,
            spec,
            sheet,
            map: &map,
            location: location.clone(),
            unit,
            target: self.edition.unit_of(spec.number),
            end_row: found.end_row,
            extra_decimals: std::cell::Cell::new(0),
        };
        let mut noticed = Vec::new();
        let read = reader.read(&mut noticed)?;
        if let Some(other) = &self.placed[index] {
            // A resubmission: the first file read (the newest) keeps the table.
            self.duplicates.push(Duplicate {
                number: spec.number,
                kept: other.position.file.clone(),
                dropped: file.to_owned(),
                identical: other.table.rows == read.rows && other.table.notes == read.notes,
            });
            return Ok(());
        }
        self.notices.append(&mut noticed);
        self.placed[index] = Some(Placed {
            position: position(spec, &map, file, sheet, found, &read),
            table: Table {
                number: spec.number,
                title: spec.title.clone(),
                amount_unit: spec.amount_unit.clone(),
                rows: read.rows,
                notes: read.notes,
            },
            location: location.at(found.title_row, found.title_col),
        });
        Ok(())
    }

    /// Takes the unit from a 单位 line; every table that names a unit must name the same one.
    /// A line left blank names none (a sheet of the template whose unit is shown by formula,
    /// or a table without data) and never conflicts.
    fn entity_line(&mut self, word: &str, text: &str, at: Location) -> Result<(), ReadError> {
        let (code, name) = self.edition.split_entity(text);
        if code.is_empty() && name.is_empty() {
            self.entity_word = word.to_owned();
            self.blank_entity.get_or_insert(at);
            return Ok(());
        }
        match &self.entity {
            None => {
                self.entity_word = word.to_owned();
                self.entity = Some((code, name, at));
            }
            Some((known, known_name, first)) if *known != code => {
                let first = match (&first.sheet, &first.cell) {
                    (Some(s), Some(c)) => format!("工作表“{s}” {c} "),
                    _ => "其他表".to_owned(),
                };
                return Err(ReadError::new(
                    at,
                    Problem::EntityMismatch {
                        expected: crate::base::text::who(known, known_name),
                        first,
                        found: crate::base::text::who(&code, &name),
                    },
                ));
            }
            Some(_) => {}
        }
        Ok(())
    }

    /// The amount unit of a table, from its 金额单位 line (the model's unit when it has none).
    fn amount_unit(
        &mut self,
        spec: &TableSpec,
        lines: &Lines,
        location: &Location,
        found: &Found,
    ) -> Result<AmountUnit, ReadError> {
        let target = self.edition.unit_of(spec.number);
        let Some((text, r, c)) = &lines.unit else {
            self.notices.push(Notice {
                level: Level::Warning,
                location: location.at(found.title_row, found.title_col),
                message: format!(
                    "表{}“{}”没有“金额单位”行，按{}读取",
                    spec.number,
                    spec.title,
                    target.name()
                ),
            });
            return Ok(target);
        };
        let unit = AmountUnit::parse(text).ok_or_else(|| {
            ReadError::new(location.at(*r, *c), Problem::BadAmountUnit(text.clone()))
        })?;
        if unit != target {
            self.notices.push(Notice {
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
        Ok(unit)
    }

    /// The budget, once every table of the edition has been read.
    fn finish(self, input: &str, texts: Vec<TextSheet>) -> Result<Reading, ReadError> {
        let Assembly {
            edition,
            mut notices,
            placed,
            mut first_error,
            entity,
            blank_entity,
            entity_word,
            year,
            duplicates,
            ..
        } = self;
        if placed.iter().all(Option::is_none) && first_error.iter().all(Option::is_none) {
            return Err(ReadError::new(Location::file(input), Problem::NoTables));
        }
        let mut tables = Vec::with_capacity(placed.len());
        let mut positions = InputPositions::default();
        for (i, p) in placed.into_iter().enumerate() {
            let Some(p) = p else {
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
            };
            tables.push(p.table);
            positions.tables.push(Some(p.position));
        }
        // The line the edition writes, with placeholders for what is missing.
        let missing = || Problem::MissingEntity {
            line: edition.entity_line_of(&edition.entity_word, "代码", "名称"),
        };
        let (code, name) = match entity {
            Some((code, name, at)) if !code.is_empty() => {
                notices.extend(code_notice(&code, at));
                (code, name)
            }
            // Named by name alone, as the edition's entity line has it.
            Some((code, name, _)) if !edition.entity_has_code() && !name.is_empty() => (code, name),
            Some((_, _, location)) => return Err(ReadError::new(location, missing())),
            None => unit_from_projects(&tables).ok_or_else(|| {
                let at = blank_entity.unwrap_or_else(|| Location::file(input));
                ReadError::new(at, missing())
            })?,
        };
        for t in &mut tables {
            t.title = edition.tables[usize::from(t.number) - 1].entity_title(&entity_word);
        }
        let budget = Budget {
            edition: edition.name.clone(),
            year: year.map_or(edition.year, |(y, _)| y),
            entity_word,
            code,
            name,
            amount_unit: edition.amount_unit.clone(),
            tables,
            texts,
        };
        Ok(Reading {
            budget,
            notices,
            positions,
            duplicates,
        })
    }
}

/// Where a table's rows and columns stand in its sheet, to locate findings in the input.
fn position(
    spec: &TableSpec,
    map: &ColumnMap,
    file: &str,
    sheet: &Sheet,
    found: &Found,
    read: &TableRows,
) -> TablePosition {
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
    TablePosition {
        file: file.to_owned(),
        sheet: sheet.name.clone(),
        title: (found.title_row, found.title_col),
        rows: read.sheet_rows.clone(),
        columns,
    }
}
