//! The `yusuan` command line.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use yusuan::convert::{Formats, stem_of, write_outputs, write_template};
use yusuan::edition::Edition;
use yusuan::error::Level;
use yusuan::read::read_input;

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
    /// 读取预算工作簿，输出规范的 XLSX、CSV 与 JSON
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
        /// 同时显示读取时所做的解释（编码补零、单位换算等）
        #[arg(short, long)]
        verbose: bool,
    },
}

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
            verbose,
        } => {
            let mut status = 0;
            for input in &inputs {
                match convert_one(&edition, input, &output, formats, verbose) {
                    Ok(()) => {}
                    Err(e) => {
                        eprintln!("错误：{e:#}");
                        status = EXIT_UNREADABLE;
                    }
                }
            }
            Ok(status)
        }
    }
}

fn convert_one(
    edition: &Edition,
    input: &Path,
    outdir: &Path,
    formats: Formats,
    verbose: bool,
) -> Result<()> {
    let reading = read_input(edition, input)?;
    for notice in &reading.notices {
        match notice.level {
            Level::Warning => eprintln!("警告：{notice}"),
            Level::Info if verbose => eprintln!("说明：{notice}"),
            Level::Info => {}
        }
    }
    let stem = stem_of(input);
    let written = write_outputs(edition, &reading.budget, outdir, &stem, formats)
        .with_context(|| format!("转换 {} 失败", input.display()))?;
    eprintln!(
        "{}：已输出 {} 个文件到 {}",
        input.display(),
        written.len(),
        outdir.display()
    );
    Ok(())
}
