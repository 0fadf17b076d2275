//! Converting one input into its outputs: the official workbook, CSV per table, `facts.csv`
//! and the canonical JSON.

mod draft;
mod error;
mod formats;
mod narrative;
mod one_file;
mod template;

pub use crate::write::xlsx::XLSX_ZIP_LEVEL;
pub use draft::write_draft;
pub use error::WriteError;
pub use formats::Formats;
pub use narrative::{NarrativeFormat, write_narrative};
pub use template::write_template;

use error::io;

use crate::base::output::WriteMode;
use crate::base::output::set::SetWriter;
use crate::base::parallel::both;
use crate::check::Located;
use crate::check::{self, Finding};
use crate::edition::Edition;
use crate::model::Budget;
use crate::read::Duplicates;
use crate::render::{self, Purpose};
use crate::write::positions::OutputPositions;
use crate::write::{csv, facts, xlsx};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What the checks found, for the 校验结果 sheet.
pub struct Checked<'a> {
    /// The findings.
    pub findings: &'a [Finding],
    /// The findings located in the input (in the order of `findings`), to name the input cell
    /// of each.
    pub input: Option<&'a [Located]>,
    /// Lines added to the workbook's 校验结果 after the findings' (a department's units with
    /// errors of their own).
    pub more: &'a [xlsx::FindingLine],
}

/// Where and how to write a budget's outputs.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The output directory.
    pub dir: &'a Path,
    /// The base name: `stem.xlsx`, `stem.json`, `stem/NN-….csv`.
    pub stem: &'a str,
    /// Which outputs.
    pub formats: Formats,
    /// Atomic, or straight into a staging directory.
    pub mode: WriteMode,
    /// The inputs' canonical paths: no output may replace one.
    pub inputs: &'a [PathBuf],
}

/// Writes the outputs of a budget as `target` says; returns the files written.
///
/// # Errors
///
/// [`WriteError`] when the workbook cannot be built, an output would replace a file yusuan
/// did not write (or an input), or a file cannot be written; the previous outputs then stay
/// whole.
///
/// ```
/// use yusuan::convert::{Checked, Formats, Target, write_outputs};
/// use yusuan::edition::Edition;
/// use yusuan::output::WriteMode;
///
/// let edition = Edition::builtin();
/// let sample = "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx";
/// let budget = yusuan::read::read_input(&edition, sample.as_ref())?.budget;
/// let findings = yusuan::check::check(&edition, &budget, &Default::default());
/// let out = tempfile::tempdir()?;
/// let target = Target {
///     dir: out.path(),
///     stem: "313603",
///     formats: Formats::ALL,
///     mode: WriteMode::Atomic,
///     inputs: &[],
/// };
/// let checked = Checked { findings: &findings, input: None, more: &[] };
/// let written = write_outputs(&edition, &budget, &checked, &target)?;
/// assert!(out.path().join("313603.xlsx").is_file());
/// assert_eq!(written.len(), 16); // xlsx, json, 13 table CSVs, facts.csv
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_outputs(
    edition: &Edition,
    budget: &Budget,
    checked: &Checked<'_>,
    target: &Target<'_>,
) -> Result<Vec<PathBuf>, WriteError> {
    // The JSON alone needs no layout.
    let mut rendered = if target.formats.xlsx || target.formats.csv {
        render::render_all(edition, budget, Purpose::Publish)
    } else {
        Vec::new()
    };
    write_rendered(edition, budget, &mut rendered, checked, target)
}

/// Writes the outputs of a budget whose tables are already rendered (`rendered` may be empty
/// when neither XLSX nor CSV is asked for); tables with errors get the edition's warning line.
///
/// # Errors
///
/// As [`write_outputs`].
pub(crate) fn write_rendered(
    edition: &Edition,
    budget: &Budget,
    rendered: &mut [render::Rendered<'_>],
    checked: &Checked<'_>,
    target: &Target<'_>,
) -> Result<Vec<PathBuf>, WriteError> {
    // Tables that failed their checks say so under their title.
    render::mark_failed(rendered, checked.findings, &edition.failed_line);
    let rendered: &[render::Rendered<'_>] = rendered;
    let (stem, formats) = (target.stem, target.formats);
    let xlsx_file = PathBuf::from(format!("{stem}.xlsx"));
    let json_file = PathBuf::from(format!("{stem}.json"));
    let csv_dir = Path::new(stem);
    let csv_files: Vec<PathBuf> = rendered
        .iter()
        .map(|table| {
            csv_dir.join(format!(
                "{:02}-{}.csv",
                table.spec.number, table.plain_title
            ))
        })
        .collect();
    let facts_file = csv_dir.join("facts.csv");
    let mut files = Vec::new();
    if formats.xlsx {
        files.push(xlsx_file.clone());
    }
    if formats.json {
        files.push(json_file.clone());
    }
    if formats.csv {
        files.extend(csv_files.iter().cloned());
        files.push(facts_file.clone());
    }
    // The workbook is built on a thread of its own while the other outputs are written (two
    // cores: the department's workbook takes as long as all the CSV and JSON together). It is
    // the one output that can fail to be made: then nothing written stays (the set is dropped,
    // or the plain files just written are removed).
    let lines = formats.xlsx.then(|| {
        let mut lines = finding_lines(edition, budget, rendered, checked, &format!("{stem}.xlsx"));
        lines.extend(checked.more.iter().cloned());
        lines
    });
    let (built, written) = both(
        || {
            let lines = lines.as_deref()?;
            Some(xlsx::workbook(edition, budget, rendered, lines))
        },
        || -> Result<_, WriteError> {
            let mut sink = Sink::open(target, &files)?;
            if formats.json {
                sink.put_with(&json_file, |out| budget.write_json(out))?;
            }
            if formats.csv {
                for (table, file) in rendered.iter().zip(&csv_files) {
                    sink.put(file, csv::table(table).as_bytes())?;
                }
                sink.put_with(&facts_file, |out| facts::write_facts(out, budget, rendered))?;
            }
            Ok(sink)
        },
    );
    let mut sink = written?;
    match built {
        Some(Ok(bytes)) => sink.put(&xlsx_file, &bytes)?,
        Some(Err(source)) => {
            sink.abandon();
            return Err(WriteError::Xlsx {
                path: target.dir.join(&xlsx_file).display().to_string(),
                source,
            });
        }
        None => {}
    }
    let mut written = sink.finish()?;
    // In the order of `files` (the workbook first), whatever order they were made in.
    let order: std::collections::HashMap<PathBuf, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (target.dir.join(f), i))
        .collect();
    written.sort_by_key(|path| order.get(path).copied().unwrap_or(usize::MAX));
    Ok(written)
}

/// Where the outputs of one input go as they are made: a set replaced atomically, or plain
/// files (in a batch's own staging folder).
enum Sink<'a> {
    Set(SetWriter<'a>),
    Direct {
        dir: &'a Path,
        written: Vec<PathBuf>,
    },
}

impl<'a> Sink<'a> {
    /// Opens the outputs `files` (relative to the target's directory).
    fn open(target: &'a Target<'_>, files: &[PathBuf]) -> Result<Sink<'a>, WriteError> {
        Ok(match target.mode {
            WriteMode::Atomic => Sink::Set(SetWriter::open(
                target.dir,
                target.stem,
                files,
                target.inputs,
            )?),
            WriteMode::Direct => Sink::Direct {
                dir: target.dir,
                written: Vec::with_capacity(files.len()),
            },
        })
    }

    /// Writes one output.
    fn put(&mut self, relative: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        self.put_with(relative, |out| out.write_all(bytes))
    }

    /// Writes one output as `write` makes it.
    fn put_with(
        &mut self,
        relative: &Path,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        match self {
            Sink::Set(set) => Ok(set.put_with(relative, write)?),
            Sink::Direct { dir, written } => {
                let path = dir.join(relative);
                let create = |path: &Path| -> std::io::Result<()> {
                    let mut out = std::io::BufWriter::new(crate::base::output::create_file(path)?);
                    write(&mut out)?;
                    out.flush()
                };
                create(&path).map_err(io(&path))?;
                written.push(path);
                Ok(())
            }
        }
    }

    /// Gives up: a set is dropped (its staging folder removed), plain files just written are
    /// removed (they are this run's own).
    fn abandon(self) {
        if let Sink::Direct { written, .. } = self {
            for path in written {
                let _ = std::fs::remove_file(path);
            }
        }
    }

    /// The files written, in place.
    fn finish(self) -> Result<Vec<PathBuf>, WriteError> {
        match self {
            Sink::Set(set) => Ok(set.commit()?),
            Sink::Direct { written, .. } => Ok(written),
        }
    }
}

/// The lines of the 校验结果 sheet: each finding located in the written workbook (for the
/// hyperlink) and in the input.
fn finding_lines(
    edition: &Edition,
    budget: &Budget,
    rendered: &[render::Rendered<'_>],
    checked: &Checked<'_>,
    file: &str,
) -> Vec<xlsx::FindingLine> {
    let output = OutputPositions::new(file, budget, rendered);
    let here = check::locate_all(edition, budget, checked.findings, &output);
    here.iter()
        .enumerate()
        .map(|(i, l)| {
            let source = checked.input.and_then(|there| {
                let t = there.get(i)?;
                let sheet = t.sheet.as_ref()?;
                Some(match &t.cell {
                    Some(cell) => format!("工作表“{sheet}” {cell}"),
                    None => format!("工作表“{sheet}”"),
                })
            });
            xlsx::FindingLine {
                severity: l.finding.severity,
                rule: l.finding.rule.clone(),
                table: l.table_title.clone(),
                source,
                target: l.sheet.clone().zip(l.cell.clone()),
                expected: l.finding.expected,
                actual: l.finding.actual,
                message: l.message.clone(),
                amounts: edition
                    .table(l.finding.place.table)
                    .and_then(|t| Some(t.columns[t.find_column(&l.finding.place.column)?].kind))
                    .is_none_or(|kind| kind == crate::edition::ColumnKind::Amount),
            }
        })
        .collect()
}

/// Sets every total of `budget` — total and subtotal rows, total items, total columns — to the
/// exact sum of what it adds up, as the written workbook's formulas compute it: for a budget
/// built by a program. (A submitted budget is never changed so: its typed totals are shown as
/// typed, and those that differ are findings.)
///
/// ```
/// use yusuan::edition::Edition;
/// use yusuan::model::Budget;
///
/// let edition = Edition::builtin();
/// let sample = "samples/313603-四川省人力资源和社会保障信息中心-2023.xlsx";
/// let mut budget: Budget = yusuan::read::read_input(&edition, sample.as_ref())?.budget;
/// let grand_total = |b: &Budget| b.tables[2].rows[0].amount("合计"); // 表3's 合计 row
/// let before = grand_total(&budget);
/// let training = &mut budget.tables[2].rows[1]; // 培训支出, 项目支出 from nothing to 1.00
/// training.amounts.insert("项目支出".into(), "1.00".parse().unwrap());
/// yusuan::convert::recompute_totals(&edition, &mut budget);
/// assert_eq!(grand_total(&budget), before + rust_decimal::Decimal::ONE);
/// # Ok::<(), yusuan::error::ReadError>(())
/// ```
pub fn recompute_totals(edition: &Edition, budget: &mut Budget) {
    render::totals::recompute(edition, budget);
}

/// The output base name of an input: its file name without extension (the directory's name
/// for a directory input).
pub fn stem_of(input: &Path) -> String {
    let name = if input.is_dir() {
        input.file_name()
    } else {
        input.file_stem()
    };
    name.map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "budget".into())
}

/// Why an input could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// It could not be read.
    #[error(transparent)]
    Read(#[from] crate::base::error::ReadError),
    /// Its outputs could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// One unit read, checked and written.
#[derive(Debug)]
pub struct Processed {
    /// What was read.
    pub reading: crate::read::Reading,
    /// The findings, located in the input.
    pub located: Vec<check::Located>,
    /// The files written.
    pub written: Vec<PathBuf>,
}

/// One unit's input: its workbook files and how to treat a table found in two of them.
#[derive(Debug, Clone, Copy)]
pub struct Unit<'a> {
    /// The workbook files (for [`Duplicates::Newest`], newest first).
    pub files: &'a [PathBuf],
    /// The files named together in messages.
    pub input: &'a str,
    /// What to do with a table found in two files.
    pub duplicates: Duplicates,
}

/// Reads a unit's workbooks with `reader`, checks the budget and writes its outputs as
/// `target` says.
///
/// # Errors
///
/// [`Failure::Read`] when the input cannot be read, [`Failure::Write`] when an output cannot
/// be written.
pub fn process(
    edition: &Edition,
    reader: &dyn crate::worker::Reader,
    unit: &Unit<'_>,
    target: &Target<'_>,
    options: &check::Options,
) -> Result<Processed, Failure> {
    let reading = reader.read_unit(unit.files, unit.input, unit.duplicates)?;
    // The tables are laid out on a thread of their own while the budget is checked.
    let budget = &reading.budget;
    let layout = target.formats.xlsx || target.formats.csv;
    let (mut rendered, (findings, located)) = both(
        || match layout {
            true => render::render_all(edition, budget, Purpose::Publish),
            false => Vec::new(),
        },
        || {
            let mut findings = check::check(edition, budget, options);
            findings.extend(check::duplicate_findings(edition, &reading));
            let located = check::locate_all(edition, budget, &findings, &reading.positions);
            (findings, located)
        },
    );
    let checked = Checked {
        findings: &findings,
        input: Some(&located),
        more: &[],
    };
    let written = write_rendered(edition, &reading.budget, &mut rendered, &checked, target)?;
    Ok(Processed {
        reading,
        located,
        written,
    })
}
