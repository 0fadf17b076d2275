//! The `yusuan` command line.

mod cli;

use anyhow::{Result, bail};
use cli::args::{CheckArgs, Cli, Command, OnDuplicate, ReportFormat};
use cli::console::{self, err, errln, outln};
use cli::input_paths;
use cli::narrate::NarrativeArgs;
use cli::progress::ProgressView;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use yusuan::batch::{self};
use yusuan::check::report::{JsonFile, JsonFinding, JsonReport};
use yusuan::check::{self, Located};
use yusuan::convert::{Failure, Formats, Target, Unit, process, stem_of, write_template};
use yusuan::edition::{Edition, Severity};
use yusuan::error::{Level, Problem, ReadError};
use yusuan::output::WriteMode;
use yusuan::output::place::check_outdir;
use yusuan::read::{Duplicates, Reading, input_files};
use yusuan::worker::{Reader, panic_text};

/// Exit code when a check finds errors.
const EXIT_FINDINGS: u8 = 1;
/// Exit code when an input cannot be read, or an output cannot be written.
const EXIT_UNREADABLE: u8 = 2;

fn main() -> ExitCode {
    // No panic text reaches a user: a panic while handling an input becomes that input's
    // 内部错误 (its message shown with --verbose), and any other one a single line below.
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(|| match parse() {
        Ok(cli) => run(cli),
        Err(code) => Ok(code),
    });
    let mut code = match outcome {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            errln!("错误：{e:#}");
            EXIT_UNREADABLE
        }
        Err(_) => {
            errln!("错误：内部错误，运行中止");
            EXIT_UNREADABLE
        }
    };
    if let Some(problem) = console::finish() {
        errln!("错误：{problem}");
        code = EXIT_UNREADABLE;
    }
    ExitCode::from(code)
}

/// The command line, parsed in Chinese; `Err` with the exit code when it only asked for help
/// or the version (0), or is wrong (2, the reason printed).
fn parse() -> Result<Cli, u8> {
    let mut command = cli::chinese::localize(<Cli as clap::CommandFactory>::command());
    command.build();
    cli::chinese::chinese_usages(&mut command);
    // cmd.exe and PowerShell hand `2024-结果\*\*.json` over unexpanded: the wildcards are
    // expanded here on Windows (the `wild` crate; elsewhere the shell has done it).
    command
        .try_get_matches_from(wild::args_os())
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m))
        .map_err(|e| {
            let text = cli::chinese::error_text(&e);
            if e.use_stderr() {
                err!("{text}");
                EXIT_UNREADABLE
            } else {
                outln!("{}", text.trim_end());
                0
            }
        })
}

/// Columns a text takes in a terminal: two for a Chinese character.
fn edition(path: Option<&Path>) -> Result<Edition> {
    Ok(match path {
        Some(p) => Edition::load(p)?,
        None => Edition::builtin(),
    })
}

pub(crate) fn severity_code(located: &[Located]) -> u8 {
    if located.iter().any(|l| l.severity() == Severity::Error) {
        EXIT_FINDINGS
    } else {
        0
    }
}

/// A read error as the user sees it: the detail of an internal error, or the parser's own
/// words (in English), only with `--verbose`.
pub(crate) fn describe(e: &ReadError, verbose: bool) -> String {
    match &*e.problem {
        Problem::Internal { detail } | Problem::Parser { detail } if verbose => {
            format!("{e}（{detail}）")
        }
        _ => e.to_string(),
    }
}

fn run(cli: Cli) -> Result<u8> {
    let template = cli.template.as_deref();
    // A command that reads workbooks starts its first reading process now: it starts up while
    // this one loads the edition.
    let mut early = match cli.command.read_args() {
        Some(read) => Some(read.reader(template)?),
        None => None,
    };
    if let Some(reader) = &early {
        reader.prestart();
    }
    let edition = edition(template)?;
    match cli.command {
        Command::ReadWorker { max_memory } => {
            yusuan::worker::serve(&edition, max_memory.0)?;
            Ok(0)
        }
        Command::Template {
            output,
            rows,
            year,
            from,
            read,
        } => {
            if output.is_dir() {
                bail!("{} 是目录：请指定要生成的 .xlsx 文件", output.display());
            }
            if !output
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
            {
                bail!(
                    "{}：表样是 Excel 工作簿，文件名应以 .xlsx 结尾",
                    output.display()
                );
            }
            let prefill = match &from {
                Some(budget) => Some(
                    read.take_reader(&mut early, template)?
                        .read_input(budget)?
                        .budget,
                ),
                None => None,
            };
            let year = year.unwrap_or(edition.year);
            write_template(&edition, &output, year, prefill.as_ref(), rows)?;
            errln!("已生成表样：{}", output.display());
            Ok(0)
        }
        Command::Convert {
            inputs,
            output,
            output_formats,
            read,
            check,
        } => {
            check_outdir(&output, &inputs)?;
            let reader = read.take_reader(&mut early, template)?;
            convert_all(
                &edition,
                &reader,
                &inputs,
                &output,
                output_formats.formats,
                &check,
            )
        }
        Command::Check {
            inputs,
            format,
            narrative,
            previous,
            read,
            check,
        } => {
            let narrative = match &narrative {
                Some(_) if inputs.len() > 1 => {
                    bail!("--narrative 只能与一个 INPUT 同用（情况说明属于一个单位）")
                }
                Some(file) => Some(NarrativeArgs {
                    file,
                    previous: previous.as_ref(),
                }),
                None => None,
            };
            let reader = read.take_reader(&mut early, template)?;
            check_all(
                &edition,
                &reader,
                &inputs,
                format,
                &check,
                narrative.as_ref(),
            )
        }
        Command::Narrate {
            input,
            output,
            previous,
            read,
        } => {
            let reader = read.take_reader(&mut early, template)?;
            cli::narrate::narrate(&edition, &reader, &input, &output, previous.as_deref())
        }
        Command::Rules { format } => {
            let rules = check::catalog(&edition);
            match format {
                ReportFormat::Json => outln!("{}", serde_json::to_string_pretty(&rules)?),
                ReportFormat::Text => {
                    for line in check::catalog_lines(&rules) {
                        outln!("{line}");
                    }
                }
            }
            Ok(0)
        }
        Command::Batch {
            dir,
            output,
            jobs,
            output_formats,
            on_duplicate,
            name,
            read,
            check,
        } => {
            let options = batch::Options {
                department: name,
                jobs: jobs.count(),
                formats: output_formats.formats,
                check: check.options(),
                duplicates: match on_duplicate {
                    OnDuplicate::Newest => Duplicates::Newest,
                    OnDuplicate::Error => Duplicates::Error,
                },
            };
            let reader = read.take_reader(&mut early, template)?;
            run_batch(&edition, &reader, &dir, &output, &options, check.verbose)
        }
        Command::Merge {
            inputs,
            output,
            code,
            name,
            allow_errors,
            output_formats,
            jobs,
            read,
            check,
        } => {
            let inputs = merge_inputs(inputs)?;
            check_outdir(&output, &inputs)?;
            let reader = read.take_reader(&mut early, template)?;
            let request = yusuan::merge::Request {
                inputs: &inputs,
                code: &code,
                name: &name,
                jobs: jobs.count(),
                check: check.options(),
                allow_errors,
            };
            let target = Target {
                dir: &output,
                stem: &request.stem(),
                formats: output_formats.formats,
                mode: WriteMode::Atomic,
                inputs: &input_paths(&inputs),
            };
            cli::merge::merge_all(&edition, &reader, &request, &target, check.verbose)
        }
    }
}

/// Merge's inputs with every batch result among them replaced by its units' budgets.
fn merge_inputs(inputs: Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        match yusuan::batch::result_budgets(&input)? {
            Some(units) if units.is_empty() => {
                bail!(
                    "{} 是 batch 的结果目录，但其中没有单位的预算",
                    input.display()
                )
            }
            Some(units) => out.extend(units),
            None => out.push(input),
        }
    }
    Ok(out)
}

/// Prints what the reader noticed: warnings always, interpretations with `--verbose`.
pub(crate) fn print_notices(reading: &Reading, verbose: bool) {
    for notice in &reading.notices {
        match notice.level {
            Level::Warning => errln!("警告：{notice}"),
            Level::Info if verbose => errln!("说明：{notice}"),
            Level::Info => {}
        }
    }
}

/// Where the findings of one input are printed.
#[derive(Clone, Copy)]
enum To {
    Out,
    Err,
}

/// Prints the findings of one input for people.
fn print_findings(file: &str, code: &str, name: &str, located: &[Located], to: To) {
    let errors = located
        .iter()
        .filter(|l| l.severity() == Severity::Error)
        .count();
    let mut lines = vec![format!(
        "{file}（{code}-{name}）：错误 {errors} 项，警告 {} 项",
        located.len() - errors
    )];
    lines.extend(
        located
            .iter()
            .map(|l| format!("  {} {}", l.severity().word(), l.message)),
    );
    for line in lines {
        match to {
            To::Out => outln!("{line}"),
            To::Err => errln!("{line}"),
        }
    }
}

fn convert_all(
    edition: &Edition,
    reader: &dyn Reader,
    inputs: &[PathBuf],
    output: &Path,
    formats: Formats,
    check: &CheckArgs,
) -> Result<u8> {
    let protected = input_paths(inputs);
    let mut status = 0;
    let mut stems = std::collections::BTreeMap::new();
    for input in inputs {
        // Two inputs named alike would write the same outputs: the second is refused.
        if let Some(first) = stems.insert(stem_of(input), input) {
            errln!(
                "错误：{} 与 {} 的输出文件同名，未转换（请分开输出目录或改名）",
                input.display(),
                first.display()
            );
            status = EXIT_UNREADABLE;
            continue;
        }
        let target = Target {
            dir: output,
            stem: &stem_of(input),
            formats,
            mode: WriteMode::Atomic,
            inputs: &protected,
        };
        // One input's failure, even an internal one, never stops the others.
        let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            convert_one(edition, reader, input, &target, check)
        }));
        let code = match attempt {
            Ok(Ok(code)) => code,
            Ok(Err(Failure::Read(e))) => {
                errln!("错误：{}", describe(&e, check.verbose));
                EXIT_UNREADABLE
            }
            Ok(Err(e)) => {
                errln!("错误：{}：{e}", input.display());
                EXIT_UNREADABLE
            }
            Err(panic) => {
                internal_error(input, panic.as_ref(), check.verbose);
                EXIT_UNREADABLE
            }
        };
        status = status.max(code);
    }
    Ok(status)
}

/// Reports a panic while handling one input.
fn internal_error(input: &Path, panic: &(dyn std::any::Any + Send), verbose: bool) {
    let e = ReadError::new(
        yusuan::error::Location::file(input.display().to_string()),
        Problem::Internal {
            detail: panic_text(panic),
        },
    );
    errln!("错误：{}", describe(&e, verbose));
}

fn convert_one(
    edition: &Edition,
    reader: &dyn Reader,
    input: &Path,
    target: &Target<'_>,
    args: &CheckArgs,
) -> Result<u8, Failure> {
    let files = input_files(input)?;
    let name = input.display().to_string();
    let unit = Unit {
        files: &files,
        input: &name,
        duplicates: Duplicates::Error,
    };
    let p = process(edition, reader, &unit, target, &args.options())?;
    print_notices(&p.reading, args.verbose);
    let b = &p.reading.budget;
    print_findings(&name, &b.code, &b.name, &p.located, To::Err);
    errln!(
        "{name}：已输出 {} 个文件到 {}",
        p.written.len(),
        target.dir.display()
    );
    Ok(severity_code(&p.located))
}

fn check_all(
    edition: &Edition,
    reader: &dyn Reader,
    inputs: &[PathBuf],
    format: ReportFormat,
    args: &CheckArgs,
    narrative: Option<&NarrativeArgs<'_>>,
) -> Result<u8> {
    let mut status = 0;
    let mut report = JsonReport::default();
    for input in inputs {
        let file = input.display().to_string();
        let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            reader.read_input(input).map(|reading| {
                let findings = check::check(edition, &reading.budget, &args.options());
                let located =
                    check::locate_all(edition, &reading.budget, &findings, &reading.positions);
                (reading, located)
            })
        }));
        let result = attempt.unwrap_or_else(|panic| {
            Err(ReadError::new(
                yusuan::error::Location::file(file.clone()),
                Problem::Internal {
                    detail: panic_text(panic.as_ref()),
                },
            ))
        });
        match result {
            Ok((reading, located)) => {
                print_notices(&reading, args.verbose);
                status = status.max(severity_code(&located));
                let b = &reading.budget;
                let checked = narrative.map(|n| cli::narrate::check(edition, reader, b, n));
                let mut error = None;
                match &checked {
                    Some(Ok(c)) if cli::narrate::has_errors(c) => {
                        status = status.max(EXIT_FINDINGS)
                    }
                    Some(Err(e)) => {
                        status = EXIT_UNREADABLE;
                        error = Some(e.clone());
                    }
                    _ => {}
                }
                match format {
                    ReportFormat::Text => {
                        print_findings(&file, &b.code, &b.name, &located, To::Out);
                        match &checked {
                            Some(Ok(c)) => cli::narrate::print(c, args.verbose),
                            Some(Err(e)) => errln!("错误：{e}"),
                            None => {}
                        }
                    }
                    ReportFormat::Json => {
                        let mut findings: Vec<JsonFinding> =
                            located.iter().map(JsonFinding::from).collect();
                        let narrative = checked.and_then(Result::ok).map(|c| {
                            findings.extend(c.findings().map(JsonFinding::from));
                            c.json()
                        });
                        report.files.push(JsonFile {
                            file,
                            unit_code: Some(b.code.clone()),
                            error,
                            findings,
                            narrative,
                        })
                    }
                }
            }
            Err(e) => {
                status = EXIT_UNREADABLE;
                let text = describe(&e, args.verbose);
                match format {
                    ReportFormat::Text => errln!("错误：{text}"),
                    ReportFormat::Json => report.files.push(JsonFile {
                        file,
                        unit_code: None,
                        error: Some(text),
                        findings: vec![],
                        narrative: None,
                    }),
                }
            }
        }
    }
    if format == ReportFormat::Json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(status)
}

fn run_batch(
    edition: &Edition,
    reader: &dyn Reader,
    dir: &Path,
    output: &Path,
    options: &batch::Options,
    verbose: bool,
) -> Result<u8> {
    if !dir.is_dir() {
        bail!("{} 不是目录", dir.display());
    }
    let view = ProgressView {
        terminal: std::io::stderr().is_terminal(),
        start: Instant::now(),
    };
    let report = batch::run(edition, reader, dir, output, options, |p| view.show(p))?;
    if verbose {
        for unit in &report.units {
            if let (batch::Status::Unreadable | batch::Status::WriteFailed, Some(e)) =
                (unit.status, &unit.first_error)
            {
                errln!("{}：{e}", unit.files.join("、"));
            }
        }
    }
    let count = |s| report.units.iter().filter(|u| u.status == s).count();
    let units = report
        .units
        .iter()
        .filter(|u| u.status != batch::Status::Unreadable || u.code.is_some())
        .count();
    if !report.unmatched_narratives.is_empty() {
        errln!(
            "警告：以下情况说明的文件名中没有任何单位的代码，未核对：{}",
            report.unmatched_narratives.join("、")
        );
    }
    let narratives: usize = report.units.iter().map(|u| u.narratives.len()).sum();
    let narratives = match narratives {
        0 => String::new(),
        n => format!("（另有情况说明 {n} 份）"),
    };
    let unwritable = match count(batch::Status::WriteFailed) {
        0 => String::new(),
        n => format!("，无法写入 {n}"),
    };
    errln!(
        "共 {} 个工作簿{narratives}、{units} 个单位：通过 {}，有错误 {}，无法读取 {}{unwritable}；用时 {:.1}s。汇总见 {}",
        report.files,
        count(batch::Status::Ok),
        count(batch::Status::Findings),
        count(batch::Status::Unreadable),
        report.seconds,
        output
            .join(format!("{}.xlsx", batch::SUMMARY_SHEET))
            .display()
    );
    Ok(report.exit_code())
}
