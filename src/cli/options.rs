//! Options shared by several commands: outputs, parallelism, the limits of reading, the
//! check's tolerance, the report's format.

use clap::ValueEnum;
use rust_decimal::Decimal;
use std::time::Duration;
use yusuan::check;
use yusuan::convert::Formats;
use yusuan::worker::{Limits, Size};

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
    max_memory: Size,
    /// 读取每个输入的时限（秒），超出即判定该文件无法读取
    #[arg(long, value_name = "SECONDS", default_value = "120", value_parser = parse_seconds)]
    timeout: Duration,
    /// 每个输入读取结果的大小上限（如 256M），超出即判定该文件无法读取；默认为 --max-memory 的 1/16
    #[arg(long, value_name = "SIZE")]
    max_answer: Option<Size>,
}

impl ReadArgs {
    /// The limits each input is read under.
    pub(crate) fn limits(&self) -> Limits {
        Limits {
            max_memory: self.max_memory.0,
            timeout: self.timeout,
            answer: self.max_answer.map(|s| s.0),
        }
    }
}

/// The check's settings, for every command that checks.
#[derive(clap::Args)]
pub(crate) struct CheckArgs {
    /// 容差（金额单位内的数值）：差额不超过此值视为相等，如按元取整的万元表用 0.0001
    #[arg(long, value_name = "AMOUNT", default_value = "0", value_parser = parse_tolerance)]
    tolerance: Decimal,
    /// 同时显示读取时所做的解释（编码补零、单位换算等）和内部错误的详情
    #[arg(short, long)]
    pub(crate) verbose: bool,
}

impl CheckArgs {
    /// The options of the check.
    pub(crate) fn options(&self) -> check::Options {
        check::Options {
            tolerance: self.tolerance,
        }
    }
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
