//! The `yusuan` command line.

mod cli;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use cli::console::{self, err, errln, outln};
use rust_decimal::Decimal;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use yusuan::batch::{self, Progress};
use yusuan::check::report::{JsonFile, JsonFinding, JsonReport};
use yusuan::check::{self, Located};
use yusuan::convert::{
    Checked, Failure, Formats, Target, Unit, process, stem_of, write_rendered, write_template,
};
use yusuan::edition::{Edition, Severity};
use yusuan::error::{Level, Problem, ReadError};
use yusuan::output::WriteMode;
use yusuan::output::place::check_outdir;
use yusuan::read::{Duplicates, Reading, input_files};
use yusuan::worker::{Isolated, Limits, Reader, Size, panic_text};

/// yusuan（预算）：把单位预算工作簿转换为规范、经过校验的公开表格。
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    /// 表样描述文件（TOML）；默认使用内置的四川省2023年单位预算表样
    #[arg(long, global = true, value_name = "FILE")]
    template: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成空白的官方表样工作簿
    Template {
        /// 输出文件（.xlsx）
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// 读取预算工作簿，校验后输出规范的 XLSX、CSV 与 JSON
    Convert {
        /// 输入工作簿（.xlsx/.xls/.ods），或存放同一单位各表的目录
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// 输出目录
        #[arg(short, long, value_name = "OUTDIR")]
        output: PathBuf,
        /// 输出格式，逗号分隔：xlsx,csv,json
        #[arg(long, value_name = "LIST", default_value = "xlsx,csv,json", value_parser = Formats::parse)]
        formats: Formats,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// 校验预算工作簿的各表合计与表间勾稽关系
    Check {
        /// 输入工作簿，或存放同一单位各表的目录
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// 输出格式
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// 列出全部校验规则（勾稽关系）
    Rules {
        /// 输出格式
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// 批量转换一个目录下的全部工作簿（按单位代码归并），并生成汇总
    Batch {
        /// 存放各单位工作簿的目录（含子目录）
        dir: PathBuf,
        /// 输出目录：须为新目录、空目录或以前的批量结果（整体替换）
        #[arg(short, long, value_name = "OUTDIR")]
        output: PathBuf,
        /// 并行任务数（默认为全部处理器核数）
        #[arg(short, long, value_name = "N")]
        jobs: Option<usize>,
        /// 输出格式，逗号分隔：xlsx,csv,json
        #[arg(long, value_name = "LIST", default_value = "xlsx,csv,json", value_parser = Formats::parse)]
        formats: Formats,
        /// 同一单位的同一张表出现在多个文件中时：newest 内容相同的只用一次、不同的采用最新的文件（按修改时间）；error 判定该单位无法读取
        #[arg(long, value_enum, value_name = "POLICY", default_value_t = OnDuplicate::Newest)]
        on_duplicate: OnDuplicate,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// 把单位预算汇总为部门预算
    Merge {
        /// 各单位的工作簿（或存放同一单位各表的目录）
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// 输出目录
        #[arg(short, long, value_name = "OUTDIR")]
        output: PathBuf,
        /// 部门代码
        #[arg(long)]
        code: String,
        /// 部门名称
        #[arg(long)]
        name: String,
        /// 输出格式，逗号分隔：xlsx,csv,json
        #[arg(long, value_name = "LIST", default_value = "xlsx,csv,json", value_parser = Formats::parse)]
        formats: Formats,
        /// 并行读取的任务数（默认为全部处理器核数）
        #[arg(short, long, value_name = "N")]
        jobs: Option<usize>,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// 内部使用：在受限的子进程中读取工作簿
    #[command(hide = true)]
    ReadWorker {
        /// 本进程的内存上限（字节）
        #[arg(long, value_name = "SIZE")]
        max_memory: Size,
    },
}

/// Limits of reading, for every command that reads workbooks.
#[derive(clap::Args)]
struct ReadArgs {
    /// 读取每个输入时的内存上限（如 2G、512M），超出即判定该文件无法读取
    #[arg(long, value_name = "SIZE", default_value = "2G")]
    max_memory: Size,
    /// 读取每个输入的时限（秒），超出即判定该文件无法读取
    #[arg(long, value_name = "SECONDS", default_value = "120", value_parser = parse_seconds)]
    timeout: Duration,
}

impl ReadArgs {
    /// The reader: worker processes of this binary under these limits.
    fn reader(&self, template: Option<&Path>) -> Result<Isolated> {
        let limits = Limits {
            max_memory: self.max_memory.0,
            timeout: self.timeout,
        };
        Ok(Isolated::current(template, limits)?)
    }
}

#[derive(clap::Args)]
struct CheckArgs {
    /// 容差（金额单位内的数值）：差额不超过此值视为相等，如按元取整的万元表用 0.0001
    #[arg(long, value_name = "AMOUNT", default_value = "0", value_parser = parse_tolerance)]
    tolerance: Decimal,
    /// 同时显示读取时所做的解释（编码补零、单位换算等）和内部错误的详情
    #[arg(short, long)]
    verbose: bool,
}

impl CheckArgs {
    fn options(&self) -> check::Options {
        check::Options {
            tolerance: self.tolerance,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OnDuplicate {
    /// 采用最新的文件
    Newest,
    /// 判定为错误
    Error,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// 供人阅读的文字
    Text,
    /// 一个 JSON 文档
    Json,
}

fn parse_tolerance(s: &str) -> Result<Decimal, String> {
    let v: Decimal = s.parse().map_err(|_| format!("“{s}”不是数"))?;
    if v.is_sign_negative() {
        return Err("容差不能为负".into());
    }
    Ok(v)
}

fn parse_seconds(s: &str) -> Result<Duration, String> {
    let v: Decimal = s.parse().map_err(|_| format!("“{s}”不是秒数"))?;
    let millis: u64 = (v * Decimal::from(1000))
        .trunc()
        .try_into()
        .map_err(|_| format!("“{s}”超出范围"))?;
    if millis == 0 {
        return Err("时限须大于 0".into());
    }
    Ok(Duration::from_millis(millis))
}

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
    command
        .try_get_matches()
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

/// Table numbers as people list them: `表1、表3`, runs of three or more as `表1-12`.
fn table_list(numbers: &[u8]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        if j >= i + 2 {
            parts.push(format!("表{}-{}", numbers[i], numbers[j]));
        } else {
            parts.extend(numbers[i..=j].iter().map(|n| format!("表{n}")));
        }
        i = j + 1;
    }
    parts.join("、")
}

/// Columns a text takes in a terminal: two for a Chinese character.
fn display_width(text: &str) -> usize {
    yusuan::text::display_width(text).round() as usize
}

fn edition(path: Option<&Path>) -> Result<Edition> {
    Ok(match path {
        Some(p) => Edition::load(p)?,
        None => Edition::builtin(),
    })
}

fn jobs(n: Option<usize>) -> usize {
    n.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1)
}

fn severity_code(located: &[Located]) -> u8 {
    if located.iter().any(|l| l.severity() == Severity::Error) {
        EXIT_FINDINGS
    } else {
        0
    }
}

/// A read error as the user sees it: the detail of an internal error only with `--verbose`.
fn describe(e: &ReadError, verbose: bool) -> String {
    match &*e.problem {
        Problem::Internal { detail } if verbose => format!("{e}（{detail}）"),
        _ => e.to_string(),
    }
}

/// The canonical paths of the files of every input: no output may replace one.
fn input_paths(inputs: &[PathBuf]) -> Vec<PathBuf> {
    inputs
        .iter()
        .flat_map(|i| input_files(i).unwrap_or_else(|_| vec![i.clone()]))
        .filter_map(|f| std::fs::canonicalize(f).ok())
        .collect()
}

fn run(cli: Cli) -> Result<u8> {
    let edition = edition(cli.template.as_deref())?;
    let template = cli.template.as_deref();
    match cli.command {
        Command::ReadWorker { max_memory } => {
            yusuan::worker::serve(&edition, max_memory.0)?;
            Ok(0)
        }
        Command::Template { output } => {
            if output.is_dir() {
                bail!("{} 是目录：请指定要生成的 .xlsx 文件", output.display());
            }
            write_template(&edition, &output)?;
            errln!("已生成表样：{}", output.display());
            Ok(0)
        }
        Command::Convert {
            inputs,
            output,
            formats,
            read,
            check,
        } => {
            check_outdir(&output, &inputs)?;
            let reader = read.reader(template)?;
            convert_all(&edition, &reader, &inputs, &output, formats, &check)
        }
        Command::Check {
            inputs,
            format,
            read,
            check,
        } => {
            let reader = read.reader(template)?;
            check_all(&edition, &reader, &inputs, format, &check)
        }
        Command::Rules { format } => {
            let rules = check::catalog(&edition);
            match format {
                ReportFormat::Json => outln!("{}", serde_json::to_string_pretty(&rules)?),
                ReportFormat::Text => {
                    // Columns aligned by display width: a Chinese character takes two.
                    let tables: Vec<String> = rules.iter().map(|r| table_list(&r.tables)).collect();
                    let width = tables.iter().map(|t| display_width(t)).max().unwrap_or(0);
                    for (r, t) in rules.iter().zip(&tables) {
                        outln!(
                            "{:<6} {} {}{} {}",
                            r.id,
                            r.severity.word(),
                            t,
                            " ".repeat(width - display_width(t)),
                            r.description
                        );
                    }
                }
            }
            Ok(0)
        }
        Command::Batch {
            dir,
            output,
            jobs: n,
            formats,
            on_duplicate,
            read,
            check,
        } => {
            let options = batch::Options {
                jobs: jobs(n),
                formats,
                check: check.options(),
                duplicates: match on_duplicate {
                    OnDuplicate::Newest => Duplicates::Newest,
                    OnDuplicate::Error => Duplicates::Error,
                },
            };
            let reader = read.reader(template)?;
            run_batch(&edition, &reader, &dir, &output, &options, check.verbose)
        }
        Command::Merge {
            inputs,
            output,
            code,
            name,
            formats,
            jobs: n,
            read,
            check,
        } => {
            check_outdir(&output, &inputs)?;
            let reader = read.reader(template)?;
            let target = Target {
                dir: &output,
                stem: &yusuan::file_names::entity(&code, &name),
                formats,
                mode: WriteMode::Atomic,
                inputs: &input_paths(&inputs),
            };
            merge_all(
                &edition,
                &reader,
                &inputs,
                &target,
                (&code, &name),
                jobs(n),
                &check,
            )
        }
    }
}

/// Prints what the reader noticed: warnings always, interpretations with `--verbose`.
fn print_notices(reading: &Reading, verbose: bool) {
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
                match format {
                    ReportFormat::Text => {
                        print_findings(&file, &b.code, &b.name, &located, To::Out)
                    }
                    ReportFormat::Json => report.files.push(JsonFile {
                        file,
                        unit_code: Some(b.code.clone()),
                        error: None,
                        findings: located.iter().map(JsonFinding::from).collect(),
                    }),
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

/// Progress on standard error: a bar redrawn in place on a terminal, plain lines otherwise.
struct ProgressView {
    terminal: bool,
    start: Instant,
}

impl ProgressView {
    fn show(&self, p: &Progress) {
        let secs = self.start.elapsed().as_secs_f64();
        let (phase, done, total, failed) = match p {
            Progress::Scanned {
                done,
                total,
                failed,
            } => ("扫描", *done, *total, *failed),
            Progress::Converted {
                done,
                total,
                failed,
                ..
            } => ("转换", *done, *total, *failed),
        };
        let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
        if self.terminal {
            const WIDTH: usize = 30;
            let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
            err!(
                "\r{phase} [{}{}] {done}/{total}  失败 {failed}  用时 {secs:.1}s  {rate:.0} 个/秒 ",
                "#".repeat(filled),
                "-".repeat(WIDTH - filled)
            );
            if done == total {
                errln!("");
            }
        } else if let Progress::Converted { unit, status, .. } = p {
            errln!(
                "{phase} {done}/{total} {unit} {}（失败 {failed}，{secs:.1}s）",
                status.word()
            );
        } else if done == total {
            errln!("{phase} {done}/{total}（失败 {failed}，{secs:.1}s）");
        }
    }
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
    let unwritable = match count(batch::Status::WriteFailed) {
        0 => String::new(),
        n => format!("，无法写入 {n}"),
    };
    errln!(
        "共 {} 个工作簿、{units} 个单位：通过 {}，有错误 {}，无法读取 {}{unwritable}；用时 {:.1}s。汇总见 {}",
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

fn merge_all(
    edition: &Edition,
    reader: &dyn Reader,
    inputs: &[PathBuf],
    target: &Target<'_>,
    (code, name): (&str, &str),
    jobs: usize,
    args: &CheckArgs,
) -> Result<u8> {
    let mut consolidation = yusuan::merge::Consolidation::new(edition, code, name);
    let mut problems = Vec::new();
    batch::read_each(reader, inputs, jobs, |i, reading| match reading {
        Ok(r) => {
            print_notices(&r, args.verbose);
            if let Err(e) = consolidation.add(i, r.budget) {
                problems.push(e.to_string());
            }
        }
        Err(e) => problems.push(e),
    });
    if !problems.is_empty() {
        for p in &problems {
            errln!("错误：{p}");
        }
        bail!("有 {} 个单位的预算无法汇总，未输出", problems.len());
    }
    let merged = consolidation.finish()?;
    let findings = check::check(edition, &merged, &args.options());
    let checked = Checked {
        findings: &findings,
        input: None,
    };
    let mut rendered =
        yusuan::render::render_all(edition, &merged, yusuan::render::Purpose::Publish);
    let written = write_rendered(edition, &merged, &mut rendered, &checked, target)?;
    let file = format!("{}.xlsx", target.stem);
    let positions = yusuan::write::positions::OutputPositions::new(&file, &merged, &rendered);
    let located = check::locate_all(edition, &merged, &findings, &positions);
    print_findings(&file, code, name, &located, To::Err);
    errln!(
        "已汇总 {} 个单位，输出 {} 个文件到 {}",
        inputs.len(),
        written.len(),
        target.dir.display()
    );
    Ok(severity_code(&located))
}
