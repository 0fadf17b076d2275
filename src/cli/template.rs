//! `yusuan template`: the fillable template workbook, blank or prefilled from a budget.

use super::console::errln;
use super::options::ReadArgs;
use super::settings::Settings;
use anyhow::{Result, bail};
use std::path::PathBuf;
use yusuan::worker::Reader;

#[derive(clap::Args)]
pub(crate) struct TemplateCommand {
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
    pub(crate) from: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) read: ReadArgs,
}

/// Writes the template; the exit code.
pub(crate) fn run(settings: &Settings, command: TemplateCommand) -> Result<u8> {
    let output = &command.output;
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
    let prefill = match &command.from {
        Some(budget) => Some(settings.reader()?.read_input(budget)?.budget),
        None => None,
    };
    let edition = &settings.edition;
    // The year asked for; else the prefilled budget's, so that every title says the same.
    let year = command
        .year
        .or(prefill.as_ref().map(|b| b.year))
        .unwrap_or(edition.year);
    yusuan::convert::write_template(edition, output, year, prefill.as_ref(), command.rows)?;
    errln!("已生成表样：{}", output.display());
    Ok(0)
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
