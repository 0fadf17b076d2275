//! `yusuan batch`: every budget under a folder converted, one folder per unit, with the
//! summaries; progress shown while it runs, the counts at the end.

use super::console::errln;
use super::options::{CheckArgs, FormatsArg, JobsArg, ReadArgs};
use super::progress::ProgressView;
use super::settings::Settings;
use anyhow::{Result, bail};
use clap::ValueEnum;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;
use yusuan::batch::{self, Status};
use yusuan::read::Duplicates;

#[derive(clap::Args)]
pub(crate) struct BatchCommand {
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
    pub(crate) read: ReadArgs,
    #[command(flatten)]
    pub(crate) check: CheckArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OnDuplicate {
    /// 采用最新的文件
    Newest,
    /// 判定为错误
    Error,
}

/// Runs the batch and reports it; the exit code.
pub(crate) fn run(settings: &Settings, command: BatchCommand) -> Result<u8> {
    let BatchCommand { dir, output, .. } = &command;
    if !dir.is_dir() {
        bail!("{} 不是目录", dir.display());
    }
    let options = batch::Options {
        department: command.name.clone(),
        jobs: command.jobs.count(),
        formats: command.output_formats.formats,
        check: settings.check,
        duplicates: match command.on_duplicate {
            OnDuplicate::Newest => Duplicates::Newest,
            OnDuplicate::Error => Duplicates::Error,
        },
    };
    let view = ProgressView {
        terminal: std::io::stderr().is_terminal(),
        start: Instant::now(),
    };
    let reader = settings.reader()?;
    let report = batch::run(&settings.edition, reader, dir, output, &options, |p| {
        view.show(p)
    })?;
    if settings.verbose {
        for unit in &report.units {
            if let (Status::Unreadable | Status::WriteFailed, Some(e)) =
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
        .filter(|u| u.status != Status::Unreadable || u.code.is_some())
        .count();
    if !report.unmatched_narratives.is_empty() {
        errln!(
            "警告：以下情况说明的文件名中没有任何单位的代码，未核对：{}",
            report.unmatched_narratives.join("、")
        );
    }
    let narratives: usize = report
        .units
        .iter()
        .flat_map(|u| &u.narratives)
        .filter(|n| !n.in_workbook)
        .count();
    let narratives = match narratives {
        0 => String::new(),
        n => format!("（另有情况说明 {n} 份）"),
    };
    let unwritable = match count(Status::WriteFailed) {
        0 => String::new(),
        n => format!("，无法写入 {n}"),
    };
    errln!(
        "共 {} 个工作簿{narratives}、{units} 个单位：通过 {}，有错误 {}，无法读取 {}{unwritable}；用时 {:.1}s。汇总见 {}",
        report.files,
        count(Status::Ok),
        count(Status::Findings),
        count(Status::Unreadable),
        report.seconds,
        output
            .join(format!("{}.xlsx", batch::SUMMARY_SHEET))
            .display()
    );
    Ok(report.exit_code())
}
