//! The `yusuan` command line.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use yusuan::check::report::{JsonFile, JsonFinding, JsonReport};
use yusuan::check::{self, Located};
use yusuan::convert::{Checked, Formats, stem_of, write_outputs, write_template};
use yusuan::edition::{Edition, Severity};
use yusuan::error::Level;
use yusuan::read::{Reading, read_input};

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
        common: CheckArgs,
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
        common: CheckArgs,
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

/// The worst outcome of a run so far.
#[derive(Default)]
struct Status(u8);

impl Status {
    fn note(&mut self, code: u8) {
        self.0 = self.0.max(code);
    }
}

fn run(cli: Cli) -> Result<u8> {
    let edition = edition(cli.template.as_deref())?;
    let mut status = Status::default();
    match cli.command {
        Command::Template { output } => {
            write_template(&edition, &output)?;
            eprintln!("已生成表样：{}", output.display());
        }
        Command::Convert {
            inputs,
            output,
            formats,
            common,
        } => {
            for input in &inputs {
                match convert_one(&edition, input, &output, formats, &common) {
                    Ok(code) => status.note(code),
                    Err(e) => {
                        eprintln!("错误：{e:#}");
                        status.note(EXIT_UNREADABLE);
                    }
                }
            }
        }
        Command::Check {
            inputs,
            format,
            common,
        } => {
            let mut report = JsonReport::default();
            for input in &inputs {
                let file = input.display().to_string();
                match read_and_check(&edition, input, &common) {
                    Ok((reading, located)) => {
                        status.note(if located.iter().any(|l| l.severity() == Severity::Error) {
                            EXIT_FINDINGS
                        } else {
                            0
                        });
                        match format {
                            ReportFormat::Text => {
                                print_findings(&file, &reading, &located, &mut std::io::stdout())?
                            }
                            ReportFormat::Json => report.files.push(JsonFile {
                                file,
                                unit_code: Some(reading.budget.code.clone()),
                                error: None,
                                findings: located.iter().map(JsonFinding::from).collect(),
                            }),
                        }
                    }
                    Err(e) => {
                        status.note(EXIT_UNREADABLE);
                        match format {
                            ReportFormat::Text => eprintln!("错误：{e:#}"),
                            ReportFormat::Json => report.files.push(JsonFile {
                                file,
                                unit_code: None,
                                error: Some(format!("{e:#}")),
                                findings: vec![],
                            }),
                        }
                    }
                }
            }
            if format == ReportFormat::Json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            }
        }
    }
    Ok(status.0)
}

/// Reads an input, prints what the reader noticed, and checks the budget.
fn read_and_check(
    edition: &Edition,
    input: &Path,
    args: &CheckArgs,
) -> Result<(Reading, Vec<Located>)> {
    let reading = read_input(edition, input)?;
    for notice in &reading.notices {
        match notice.level {
            Level::Warning => eprintln!("警告：{notice}"),
            Level::Info if args.verbose => eprintln!("说明：{notice}"),
            Level::Info => {}
        }
    }
    let findings = check::check(
        edition,
        &reading.budget,
        &check::Options {
            tolerance: args.tolerance,
        },
    );
    let located = check::locate_all(edition, &reading.budget, &findings, &reading.positions);
    Ok((reading, located))
}

/// Prints the findings of one input for people.
fn print_findings(
    file: &str,
    reading: &Reading,
    located: &[Located],
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let errors = located
        .iter()
        .filter(|l| l.severity() == Severity::Error)
        .count();
    let b = &reading.budget;
    writeln!(
        out,
        "{file}（{}-{}）：错误 {errors} 项，警告 {} 项",
        b.code,
        b.name,
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
    let (reading, located) = read_and_check(edition, input, args)?;
    print_findings(
        &input.display().to_string(),
        &reading,
        &located,
        &mut std::io::stderr(),
    )?;
    let findings: Vec<_> = located.iter().map(|l| l.finding.clone()).collect();
    let checked = Checked {
        findings: &findings,
        input: Some(&reading.positions),
    };
    let stem = stem_of(input);
    let written = write_outputs(edition, &reading.budget, &checked, outdir, &stem, formats)
        .with_context(|| format!("转换 {} 失败", input.display()))?;
    eprintln!(
        "{}：已输出 {} 个文件到 {}",
        input.display(),
        written.len(),
        outdir.display()
    );
    Ok(if located.iter().any(|l| l.severity() == Severity::Error) {
        EXIT_FINDINGS
    } else {
        0
    })
}
