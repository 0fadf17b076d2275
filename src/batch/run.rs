//! A batch's run: the first pass (whose tables each file holds), the units converted in
//! parallel into the staging directory, the summaries, and the swap into place.

use super::discover::{Discovered, discover, relative};
use super::error::BatchError;
use super::narratives::{self, UnitNarrative};
use super::prefetch::Prefetched;
use super::report::{Options, Progress, Report, Status, UnitSummary};
use super::staging::Staging;
use super::summary::{self, write_summaries};
use crate::base::output::WriteMode;
use crate::check;
use crate::convert::{Target, process};
use crate::edition::{Edition, Severity};
use crate::worker::Reader;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn unreadable(
    files: Vec<String>,
    code: Option<String>,
    name: Option<String>,
    error: String,
    figures: usize,
) -> UnitSummary {
    UnitSummary {
        files,
        code,
        name,
        status: Status::Unreadable,
        year: None,
        folder: None,
        errors: 0,
        warnings: 0,
        first_error: Some(error),
        figures: vec![None; figures],
        findings: Vec::new(),
        notices: Vec::new(),
        superseded: Vec::new(),
        narratives: Vec::new(),
    }
}

/// Converts every workbook under `dir` into `outdir` (one folder per unit), writes the
/// summaries, and reports. The results replace `outdir` as a whole at the end (staged beside
/// it, then swapped in); every workbook is read with `reader`.
///
/// # Errors
///
/// [`BatchError`] when `outdir` is unsafe or busy, `dir` cannot be listed, or the summaries
/// cannot be written; a file that cannot be read or a unit that cannot be written is a row of
/// the report, not an error.
pub fn run(
    edition: &Edition,
    reader: &dyn Reader,
    dir: &Path,
    outdir: &Path,
    options: &Options,
    mut progress: impl FnMut(&Progress),
) -> Result<Report, BatchError> {
    let start = Instant::now();
    crate::base::output::place::check_batch_outdir(outdir, dir)?;
    let Discovered {
        workbooks: files,
        narratives,
    } = discover(dir).map_err(|cause| BatchError::Discover {
        path: dir.display().to_string(),
        cause,
    })?;
    if files.is_empty() {
        return Err(BatchError::NothingFound {
            path: dir.display().to_string(),
        });
    }
    let staging = Staging::begin(outdir)?;
    // Pass 1: whose tables is each file? Each is read whole while it is open, and kept for
    // pass 2 (a unit of that one file is not read again).
    let prefetched = Prefetched::new(reader, staging.path());
    let mut failed = 0;
    let total = files.len();
    let mut done = 0;
    let numbered: Vec<(usize, &PathBuf)> = files.iter().enumerate().collect();
    let scans = crate::base::parallel::run(
        &numbered,
        options.jobs,
        |&(i, f)| prefetched.scan(i, f, &relative(dir, f), options.duplicates),
        |_, r| {
            done += 1;
            if !matches!(r, Ok(Ok(_))) {
                failed += 1;
            }
            progress(&Progress::Scanned {
                done,
                total,
                failed,
            });
        },
    );
    let mut units: BTreeMap<UnitKey, Vec<PathBuf>> = BTreeMap::new();
    let mut names: BTreeMap<UnitKey, String> = BTreeMap::new();
    let mut rows = Vec::new();
    for (path, scan) in files.iter().zip(scans) {
        match scan {
            Ok(Ok(scan)) => {
                // A file without a unit line is a unit of its own (its error will say so); a
                // unit without a code (an edition that names units by name) goes by its name.
                let key = match (&scan.code, &scan.name) {
                    (Some(code), _) => UnitKey::Code(code.clone()),
                    (None, Some(name)) if !name.is_empty() => UnitKey::Name(name.clone()),
                    (None, _) => UnitKey::File(relative(dir, path)),
                };
                if let Some(name) = scan.name {
                    names.entry(key.clone()).or_insert(name);
                }
                units.entry(key).or_default().push(path.clone());
            }
            Ok(Err(e)) => rows.push(unreadable(
                vec![relative(dir, path)],
                None,
                None,
                e.to_string(),
                edition.summary.len(),
            )),
            Err(panic) => rows.push(unreadable(
                vec![relative(dir, path)],
                None,
                None,
                format!("内部错误：{panic}"),
                edition.summary.len(),
            )),
        }
    }
    let tags: Vec<&str> = units.keys().filter_map(UnitKey::tag).collect();
    let (narratives, unmatched) = narratives::assign(&narratives, &tags);
    // Pass 2: each unit from its own files.
    let job = Job {
        edition,
        reader: &prefetched,
        dir,
        root: staging.path(),
        options,
        narratives: &narratives,
    };
    let groups: Vec<(UnitKey, Vec<PathBuf>)> = units.into_iter().collect();
    // Each unit's folder, unique: two units whose names clean to the same never share one.
    let folders = crate::base::file_names::unique(groups.iter().map(|(key, paths)| {
        match (key.code(), names.get(key)) {
            (Some(code), Some(name)) => crate::base::file_names::entity(code, name),
            _ if let UnitKey::Name(name) = key => crate::base::file_names::safe(name),
            _ => crate::base::file_names::safe(&crate::convert::stem_of(&paths[0])),
        }
    }));
    let groups: Vec<(UnitKey, Vec<PathBuf>, String)> = groups
        .into_iter()
        .zip(folders)
        .map(|((key, paths), folder)| (key, paths, folder))
        .collect();
    let total = groups.len();
    let (mut done, mut failed) = (0, 0);
    let results = crate::base::parallel::run(
        &groups,
        options.jobs,
        |(code, paths, folder)| convert_unit(&job, code, names.get(code), paths, folder),
        |i, r| {
            done += 1;
            let status = match r {
                Ok(s) => s.status,
                Err(_) => Status::Unreadable,
            };
            if status != Status::Ok {
                failed += 1;
            }
            progress(&Progress::Converted {
                done,
                total,
                failed,
                unit: groups[i].0.label().to_owned(),
                status,
            });
        },
    );
    let mut converted: Vec<UnitSummary> = results
        .into_iter()
        .zip(&groups)
        .map(|(r, (code, paths, _))| {
            r.unwrap_or_else(|panic| {
                let files = paths.iter().map(|p| relative(dir, p)).collect();
                unreadable(
                    files,
                    code.code().map(str::to_owned),
                    names.get(code).cloned(),
                    format!("内部错误：{panic}"),
                    edition.summary.len(),
                )
            })
        })
        .collect();
    converted.append(&mut rows);
    drop(prefetched);
    let converted_years: Vec<(String, u16)> = converted
        .iter()
        .filter_map(|u| Some((u.code.clone()?, u.year?)))
        .collect();
    let report = Report {
        units: converted,
        files: files.len(),
        unmatched_narratives: unmatched.iter().map(|p| relative(dir, p)).collect(),
        seconds: start.elapsed().as_secs_f64(),
        title: summary::title(edition, &converted_years, options.department.as_deref()),
    };
    write_summaries(edition, &report, staging.path()).map_err(BatchError::Summary)?;
    staging.commit()?;
    Ok(report)
}

/// Converts one unit into its folder under `root` and summarises it.
/// Which unit a file's tables belong to: the unit code of its 单位 line; the unit's name where
/// the edition names units by name alone; or — for a file without either — the file alone (its
/// error will say so). Units with a code come first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum UnitKey {
    /// A unit code.
    Code(String),
    /// A unit's name, in an edition whose units have no code.
    Name(String),
    /// A file (relative to the batch directory) whose unit is unknown.
    File(String),
}

impl UnitKey {
    fn code(&self) -> Option<&str> {
        match self {
            UnitKey::Code(code) => Some(code),
            UnitKey::Name(_) | UnitKey::File(_) => None,
        }
    }

    /// What a narrative's file name holds to be the unit's: its code, or its name.
    fn tag(&self) -> Option<&str> {
        match self {
            UnitKey::Code(s) | UnitKey::Name(s) => Some(s),
            UnitKey::File(_) => None,
        }
    }

    /// How progress names it.
    fn label(&self) -> &str {
        match self {
            UnitKey::Code(s) | UnitKey::Name(s) | UnitKey::File(s) => s,
        }
    }
}

/// What every unit of a batch shares.
struct Job<'a> {
    edition: &'a Edition,
    reader: &'a dyn Reader,
    /// The input directory.
    dir: &'a Path,
    /// The staging directory.
    root: &'a Path,
    options: &'a Options,
    /// The narratives of each unit code.
    narratives: &'a BTreeMap<String, Vec<PathBuf>>,
}

fn convert_unit(
    job: &Job<'_>,
    key: &UnitKey,
    name: Option<&String>,
    paths: &[PathBuf],
    folder: &str,
) -> UnitSummary {
    let Job {
        edition,
        reader,
        dir,
        root,
        options,
        narratives,
    } = *job;
    let files: Vec<String> = paths.iter().map(|p| relative(dir, p)).collect();
    let code = key.code().map(str::to_owned);
    let folder = folder.to_owned();
    let input = files.join("、");
    // Newest first: with `Duplicates::Newest` the first file holding a table keeps it.
    let mut ordered = paths.to_vec();
    ordered.sort_by_key(|p| {
        let modified = std::fs::metadata(p).and_then(|m| m.modified()).ok();
        (std::cmp::Reverse(modified), p.clone())
    });
    let unit = crate::convert::Unit {
        files: &ordered,
        input: &input,
        duplicates: options.duplicates,
    };
    let dir = root.join(&folder);
    let target = Target {
        dir: &dir,
        stem: &folder,
        formats: options.formats,
        mode: WriteMode::Direct,
        inputs: &[],
    };
    match process(edition, reader, &unit, &target, &options.check) {
        Ok(p) => {
            let mut superseded: Vec<String> = p
                .reading
                .duplicates
                .iter()
                .filter(|d| !d.identical)
                .map(|d| relative(job.dir, Path::new(&d.dropped)))
                .collect();
            superseded.sort();
            superseded.dedup();
            let budget = &p.reading.budget;
            let mut narratives = key
                .tag()
                .and_then(|tag| narratives.get(tag))
                .map_or_else(Vec::new, |paths| {
                    narratives::check_all(edition, reader, budget, paths, job.dir)
                });
            // The workbook's own 编制说明, where the edition checks its sheets of text.
            narratives.extend(narratives::check_text_sheets(edition, budget, &input));
            let table_errors = p
                .located
                .iter()
                .filter(|l| l.severity() == Severity::Error)
                .count();
            let narrative_errors: usize = narratives.iter().map(UnitNarrative::errors).sum();
            let narrative_warnings: usize = narratives.iter().map(UnitNarrative::warnings).sum();
            let notices: Vec<_> = p
                .reading
                .notices
                .iter()
                .filter(|n| n.level == crate::base::error::Level::Warning)
                .cloned()
                .collect();
            let errors = table_errors + narrative_errors;
            UnitSummary {
                files,
                code: (!budget.code.is_empty()).then(|| budget.code.clone()),
                name: Some(budget.name.clone()),
                year: Some(budget.year),
                status: if errors > 0 {
                    Status::Findings
                } else {
                    Status::Ok
                },
                folder: Some(folder),
                errors,
                first_error: p
                    .located
                    .iter()
                    .find(|l| l.severity() == Severity::Error)
                    .map(|l| l.message.clone())
                    .or_else(|| narratives.iter().find_map(UnitNarrative::first_error)),
                figures: edition
                    .summary
                    .iter()
                    .map(|f| check::quantity_total(edition, budget, &f.quantity))
                    .collect(),
                warnings: p.located.len() - table_errors + narrative_warnings + notices.len(),
                findings: p.located,
                notices,
                superseded,
                narratives,
            }
        }
        Err(e) => {
            let write_failed = matches!(e, crate::convert::Failure::Write(_));
            let mut row = unreadable(
                files,
                code,
                name.cloned(),
                e.to_string(),
                edition.summary.len(),
            );
            if write_failed {
                row.status = Status::WriteFailed;
            }
            row
        }
    }
}
