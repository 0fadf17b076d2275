//! The `yusuan` command line.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use yusuan::batch::{self, Progress};
use yusuan::check::report::{JsonFile, JsonFinding, JsonReport};
use yusuan::check::{self, Checked, Located};
use yusuan::convert::{Formats, Target, process, stem_of, write_rendered, write_template};
use yusuan::edition::{Edition, Severity};
use yusuan::error::Level;
use yusuan::output::WriteMode;
use yusuan::read::{Reading, input_files, read_input};

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
        /// 输出格式，逗号分隔：xlsx,csv,json（默认全部）
        #[arg(long, value_name = "LIST", default_value = "xlsx,csv,json", value_parser = Formats::parse)]
        formats: Formats,
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
        /// 输出目录（整体替换）
        #[arg(short, long, value_name = "OUTDIR")]
        output: PathBuf,
        /// 并行任务数（默认为全部处理器核数）
        #[arg(short, long, value_name = "N")]
        jobs: Option<usize>,
        /// 输出格式，逗号分隔：xlsx,csv,json（默认全部）
        #[arg(long, value_name = "LIST", default_value = "xlsx,csv,json", value_parser = Formats::parse)]
        formats: Formats,
        /// 容差，见 check
        #[arg(long, value_name = "AMOUNT", default_value = "0", value_parser = parse_tolerance)]
        tolerance: Decimal,
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
        /// 输出格式，逗号分隔：xlsx,csv,json（默认全部）
        #[arg(long, value_name = "LIST", default_value = "xlsx,csv,json", value_parser = Formats::parse)]
        formats: Formats,
        /// 并行读取的任务数（默认为全部处理器核数）
        #[arg(short, long, value_name = "N")]
        jobs: Option<usize>,
        #[command(flatten)]
        check: CheckArgs,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// 容差（金额单位内的数值，默认 0）：差额不超过此值视为相等，如按元取整的万元表用 0.0001
    #[arg(long, value_name = "AMOUNT", default_value = "0", value_parser = parse_tolerance)]
    tolerance: Decimal,
    /// 同时显示读取时所做的解释（编码补零、单位换算等）
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

/// Exit code when a check finds errors.
const EXIT_FINDINGS: u8 = 1;
/// Exit code when an input cannot be read.
const EXIT_UNREADABLE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
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

fn run(cli: Cli) -> Result<u8> {
    let edition = edition(cli.template.as_deref())?;
    match cli.command {
        Command::Template { output } => {
            write_template(&edition, &output)?;
            eprintln!("已生成表样：{}", output.display());
            Ok(0)
        }
        Command::Convert {
            inputs,
            output,
            formats,
            check,
        } => {
            let mut status = 0;
            let mut stems = std::collections::BTreeMap::new();
            for input in &inputs {
                // Two inputs named alike would write the same outputs: the second is refused.
                if let Some(first) = stems.insert(stem_of(input), input) {
                    eprintln!(
                        "错误：{} 与 {} 的输出文件同名，未转换（请分开输出目录或改名）",
                        input.display(),
                        first.display()
                    );
                    status = EXIT_UNREADABLE;
                    continue;
                }
                // One input's failure, even an internal one, never stops the others.
                let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    convert_one(&edition, input, &output, formats, &check)
                }));
                match attempt {
                    Ok(Ok(code)) => status = status.max(code),
                    Ok(Err(e)) => {
                        eprintln!("错误：{e:#}");
                        status = EXIT_UNREADABLE;
                    }
                    Err(_) => {
                        eprintln!("错误：{}：内部错误，已跳过", input.display());
                        status = EXIT_UNREADABLE;
                    }
                }
            }
            Ok(status)
        }
        Command::Check {
            inputs,
            format,
            check,
        } => check_all(&edition, &inputs, format, &check),
        Command::Rules { format } => {
            let rules = check::catalog(&edition);
            match format {
                ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&rules)?),
                ReportFormat::Text => {
                    for r in &rules {
                        let tables: Vec<String> =
                            r.tables.iter().map(|t| format!("表{t}")).collect();
                        println!(
                            "{:<6} {} {:<12} {}",
                            r.id,
                            r.severity.word(),
                            tables.join("、"),
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
            tolerance,
        } => {
            let options = batch::Options {
                jobs: jobs(n),
                formats,
                check: check::Options { tolerance },
            };
            run_batch(&edition, &dir, &output, &options)
        }
        Command::Merge {
            inputs,
            output,
            code,
            name,
            formats,
            jobs: n,
            check,
        } => merge_all(
            &edition,
            &inputs,
            &output,
            &code,
            &name,
            formats,
            jobs(n),
            &check,
        ),
    }
}

/// Prints what the reader noticed: warnings always, interpretations with `--verbose`.
fn print_notices(reading: &Reading, verbose: bool) {
    for notice in &reading.notices {
        match notice.level {
            Level::Warning => eprintln!("警告：{notice}"),
            Level::Info if verbose => eprintln!("说明：{notice}"),
            Level::Info => {}
        }
    }
}

/// Prints the findings of one input for people.
fn print_findings(
    file: &str,
    code: &str,
    name: &str,
    located: &[Located],
    out: &mut dyn Write,
) -> Result<()> {
    let errors = located
        .iter()
        .filter(|l| l.severity() == Severity::Error)
        .count();
    writeln!(
        out,
        "{file}（{code}-{name}）：错误 {errors} 项，警告 {} 项",
        located.len() - errors
    )?;
    for l in located {
        writeln!(out, "  {} {}", l.severity().word(), l.message)?;
    }
    Ok(())
}

fn convert_one(
    edition: &Edition,
    input: &Path,
    outdir: &Path,
    formats: Formats,
    args: &CheckArgs,
) -> Result<u8> {
    let files = input_files(input)?;
    let name = input.display().to_string();
    let stem = stem_of(input);
    let target = Target {
        dir: outdir,
        stem: &stem,
        formats,
        mode: WriteMode::Atomic,
    };
    let p = process(edition, &files, &name, &target, &args.options())?;
    print_notices(&p.reading, args.verbose);
    let b = &p.reading.budget;
    print_findings(&name, &b.code, &b.name, &p.located, &mut std::io::stderr())?;
    eprintln!(
        "{name}：已输出 {} 个文件到 {}",
        p.written.len(),
        outdir.display()
    );
    Ok(severity_code(&p.located))
}

fn check_all(
    edition: &Edition,
    inputs: &[PathBuf],
    format: ReportFormat,
    args: &CheckArgs,
) -> Result<u8> {
    let mut status = 0;
    let mut report = JsonReport::default();
    for input in inputs {
        let file = input.display().to_string();
        match read_input(edition, input) {
            Ok(reading) => {
                print_notices(&reading, args.verbose);
                let findings = check::check(edition, &reading.budget, &args.options());
                let located =
                    check::locate_all(edition, &reading.budget, &findings, &reading.positions);
                status = status.max(severity_code(&located));
                let b = &reading.budget;
                match format {
                    ReportFormat::Text => {
                        print_findings(&file, &b.code, &b.name, &located, &mut std::io::stdout())?
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
                match format {
                    ReportFormat::Text => eprintln!("错误：{e}"),
                    ReportFormat::Json => report.files.push(JsonFile {
                        file,
                        unit_code: None,
                        error: Some(e.to_string()),
                        findings: vec![],
                    }),
                }
            }
        }
    }
    if format == ReportFormat::Json {
        println!("{}", serde_json::to_string_pretty(&report)?);
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
            eprint!(
                "\r{phase} [{}{}] {done}/{total}  失败 {failed}  用时 {secs:.1}s  {rate:.0} 个/秒 ",
                "#".repeat(filled),
                "-".repeat(WIDTH - filled)
            );
            if done == total {
                eprintln!();
            }
        } else if let Progress::Converted { unit, status, .. } = p {
            eprintln!(
                "{phase} {done}/{total} {unit} {}（失败 {failed}，{secs:.1}s）",
                status.word()
            );
        } else if done == total {
            eprintln!("{phase} {done}/{total}（失败 {failed}，{secs:.1}s）");
        }
    }
}

fn run_batch(edition: &Edition, dir: &Path, output: &Path, options: &batch::Options) -> Result<u8> {
    if !dir.is_dir() {
        bail!("{} 不是目录", dir.display());
    }
    let view = ProgressView {
        terminal: std::io::stderr().is_terminal(),
        start: Instant::now(),
    };
    let report = batch::run(edition, dir, output, options, |p| view.show(p))
        .with_context(|| format!("批量转换 {} 失败", dir.display()))?;
    let count = |s| report.units.iter().filter(|u| u.status == s).count();
    eprintln!(
        "共 {} 个工作簿、{} 行：通过 {}，有错误 {}，无法读取 {}；用时 {:.1}s。汇总见 {}",
        report.files,
        report.units.len(),
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

#[allow(clippy::too_many_arguments)]
fn merge_all(
    edition: &Edition,
    inputs: &[PathBuf],
    output: &Path,
    code: &str,
    name: &str,
    formats: Formats,
    jobs: usize,
    args: &CheckArgs,
) -> Result<u8> {
    let mut consolidation = yusuan::merge::Consolidation::new(edition, code, name);
    let mut problems = Vec::new();
    yusuan::batch::read_each(edition, inputs, jobs, |i, reading| match reading {
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
            eprintln!("错误：{p}");
        }
        bail!("有 {} 个单位的预算无法汇总，未输出", problems.len());
    }
    let merged = consolidation.finish()?;
    let units = inputs.len();
    let findings = check::check(edition, &merged, &args.options());
    let stem = yusuan::names::entity(code, name);
    let checked = Checked {
        findings: &findings,
        input: None,
    };
    let target = Target {
        dir: output,
        stem: &stem,
        formats,
        mode: WriteMode::Atomic,
    };
    let rendered = yusuan::render::render_all(edition, &merged, yusuan::render::Purpose::Publish);
    let written = write_rendered(edition, &merged, &rendered, &checked, &target)?;
    let positions = check::OutputPositions::new(&format!("{stem}.xlsx"), &merged, &rendered);
    let located = check::locate_all(edition, &merged, &findings, &positions);
    print_findings(
        &format!("{stem}.xlsx"),
        code,
        name,
        &located,
        &mut std::io::stderr(),
    )?;
    eprintln!(
        "已汇总 {} 个单位，输出 {} 个文件到 {}",
        units,
        written.len(),
        output.display()
    );
    Ok(severity_code(&located))
}
