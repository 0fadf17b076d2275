//! The command line's words: commands, options and their Chinese help (clap derives the
//! parser from them; `chinese.rs` puts clap's own words in Chinese).

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::time::Duration;
use yusuan::check;
use yusuan::convert::Formats;
use yusuan::worker::{Isolated, Limits, Size};

/// yusuan（预算）：把单位预算工作簿转换为规范、经过校验的公开表格。
#[derive(Parser)]
#[command(version, about, long_about = None)]
pub(crate) struct Cli {
    /// 表样描述文件（TOML）；默认使用内置的四川省2023年单位预算表样
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) template: Option<PathBuf>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// 生成空白的官方表样工作簿
    Template {
        /// 输出文件（.xlsx）
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// 每张表留出的空白填报行数（1–5000）
        #[arg(long, value_name = "N", default_value = "30", value_parser = parse_rows)]
        rows: usize,
        /// 预算年度，写入各表标题（如 2024；默认为表样描述的年度）
        #[arg(long, value_name = "YEAR", value_parser = parse_year)]
        year: Option<u16>,
        /// 以已有的预算（工作簿、JSON 或 CSV）预先填好各表，单位只需修改
        #[arg(long, value_name = "BUDGET")]
        from: Option<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// 读取预算（工作簿、JSON 或 CSV），校验后输出规范的 XLSX、CSV 与 JSON
    Convert {
        /// 输入：工作簿（.xlsx/.xls/.ods）、yusuan 的 JSON 或 CSV（facts.csv 格式），或存放同一单位各表的目录
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// 输出目录
        #[arg(short, long, value_name = "OUTDIR")]
        output: PathBuf,
        #[command(flatten)]
        output_formats: FormatsArg,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// 校验预算（工作簿、JSON 或 CSV）的各表合计与表间勾稽关系
    Check {
        /// 输入：工作簿（.xlsx/.xls/.ods）、yusuan 的 JSON 或 CSV，或存放同一单位各表的目录
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// 输出格式
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// 同时核对情况说明（.docx、.txt 或 .md）中的数字与各表是否一致（只能有一个 INPUT）
        #[arg(long, value_name = "FILE")]
        narrative: Option<PathBuf>,
        /// 上年的预算（工作簿、JSON 或 CSV）：据此核对情况说明中与上年比较的增减
        #[arg(long, value_name = "LAST_YEAR_INPUT", requires = "narrative")]
        previous: Option<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// 根据各表生成单位预算情况说明（.docx 或 .md）
    Narrate {
        /// 输入工作簿（或 JSON、CSV），或存放同一单位各表的目录
        #[arg(value_name = "INPUT")]
        input: PathBuf,
        /// 输出文件：.docx（Word 文档）或 .md，按扩展名
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// 上年的预算：据此写出与上年比较的增减；不给出时留空待填
        #[arg(long, value_name = "LAST_YEAR_INPUT")]
        previous: Option<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// 列出全部校验规则（勾稽关系）
    Rules {
        /// 输出格式
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// 批量转换一个目录下的全部预算（工作簿、JSON、CSV，按单位代码归并），并生成汇总
    Batch {
        /// 存放各单位工作簿（或 JSON、CSV）的目录（含子目录）
        dir: PathBuf,
        /// 输出目录：须为新目录、空目录或以前的批量结果（整体替换）
        #[arg(short, long, value_name = "OUTDIR")]
        output: PathBuf,
        #[command(flatten)]
        jobs: JobsArg,
        #[command(flatten)]
        output_formats: FormatsArg,
        /// 同一单位的同一张表出现在多个文件中时：newest 内容相同的只用一次、不同的采用最新的文件（按修改时间）；error 判定该单位无法读取
        #[arg(long, value_enum, value_name = "POLICY", default_value_t = OnDuplicate::Newest)]
        on_duplicate: OnDuplicate,
        /// 部门名称，写入“汇总.xlsx”的标题（默认写各单位代码共有的部门代码）
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        check: CheckArgs,
    },
    /// 把单位预算汇总为部门预算
    Merge {
        /// 各单位的预算：工作簿、JSON 或 CSV，存放同一单位各表的目录，或 batch 的结果目录（取其中每个单位的 JSON）
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
        /// 各单位预算有错误时仍照报送数汇总（默认拒绝汇总并列出有错误的单位）
        #[arg(long)]
        allow_errors: bool,
        #[command(flatten)]
        output_formats: FormatsArg,
        #[command(flatten)]
        jobs: JobsArg,
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

/// The outputs to write, for every command that writes a budget.
#[derive(clap::Args)]
pub(crate) struct FormatsArg {
    /// 输出格式，逗号分隔：xlsx,csv,json
    #[arg(long, value_name = "LIST", default_value = "xlsx,csv,json", value_parser = Formats::parse)]
    pub(crate) formats: Formats,
}

/// Parallelism, for every command that reads many inputs.
#[derive(clap::Args)]
pub(crate) struct JobsArg {
    /// 并行任务数（默认为全部处理器核数）
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
}

impl JobsArg {
    /// The number of threads: as asked, or one per core.
    pub(crate) fn count(&self) -> usize {
        self.jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
            .max(1)
    }
}

/// Limits of reading, for every command that reads workbooks.
#[derive(clap::Args)]
pub(crate) struct ReadArgs {
    /// 读取每个输入时的内存上限（如 2G、512M），超出即判定该文件无法读取
    #[arg(long, value_name = "SIZE", default_value = "2G")]
    pub(crate) max_memory: Size,
    /// 读取每个输入的时限（秒），超出即判定该文件无法读取
    #[arg(long, value_name = "SECONDS", default_value = "120", value_parser = parse_seconds)]
    pub(crate) timeout: Duration,
}

impl Command {
    /// The reading options of a command that reads workbooks (through worker processes).
    pub(crate) fn read_args(&self) -> Option<&ReadArgs> {
        match self {
            Command::Template {
                from: Some(_),
                read,
                ..
            }
            | Command::Convert { read, .. }
            | Command::Check { read, .. }
            | Command::Narrate { read, .. }
            | Command::Batch { read, .. }
            | Command::Merge { read, .. } => Some(read),
            _ => None,
        }
    }
}

impl ReadArgs {
    /// The reader: worker processes of this binary under these limits.
    pub(crate) fn reader(&self, template: Option<&Path>) -> Result<Isolated> {
        let limits = Limits {
            max_memory: self.max_memory.0,
            timeout: self.timeout,
        };
        Ok(Isolated::current(template, limits)?)
    }

    /// The reader started early for this command (`early`, taken), or a new one.
    pub(crate) fn take_reader(
        &self,
        early: &mut Option<Isolated>,
        template: Option<&Path>,
    ) -> Result<Isolated> {
        match early.take() {
            Some(reader) => Ok(reader),
            None => self.reader(template),
        }
    }
}

#[derive(clap::Args)]
pub(crate) struct CheckArgs {
    /// 容差（金额单位内的数值）：差额不超过此值视为相等，如按元取整的万元表用 0.0001
    #[arg(long, value_name = "AMOUNT", default_value = "0", value_parser = parse_tolerance)]
    pub(crate) tolerance: Decimal,
    /// 同时显示读取时所做的解释（编码补零、单位换算等）和内部错误的详情
    #[arg(short, long)]
    pub(crate) verbose: bool,
}

impl CheckArgs {
    pub(crate) fn options(&self) -> check::Options {
        check::Options {
            tolerance: self.tolerance,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OnDuplicate {
    /// 采用最新的文件
    Newest,
    /// 判定为错误
    Error,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
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

/// Input rows per table of the fillable template: enough for the largest unit, small enough
/// to write in seconds.
fn parse_rows(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n @ 1..=5000) => Ok(n),
        _ => Err(format!("“{s}”不在 1 到 5000 之间")),
    }
}

fn parse_year(s: &str) -> Result<u16, String> {
    match s.parse::<u16>() {
        Ok(y @ 2000..=2099) => Ok(y),
        _ => Err(format!("“{s}”不是 2000 到 2099 之间的年度")),
    }
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
