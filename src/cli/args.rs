//! The command line's words: the commands and the global option (clap derives the parser from
//! them; `chinese.rs` puts clap's own words in Chinese). Each command's own options are in its
//! file; options several share are in `options.rs`.

use super::batch::BatchCommand;
use super::check::CheckCommand;
use super::convert::ConvertCommand;
use super::draft::EditionCommand;
use super::editions::EditionsCommand;
use super::merge::MergeCommand;
use super::narrate::NarrateCommand;
use super::options::{CheckArgs, ReadArgs};
use super::rules::RulesCommand;
use super::serve::ServeCommand;
use super::template::TemplateCommand;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use yusuan::edition::{EditionError, EditionSource};

/// yusuan（预算）：把单位预算工作簿转换为规范、经过校验的公开表格。
#[derive(Parser)]
#[command(version, about, long_about = None)]
pub(crate) struct Cli {
    /// 表样：内置表样的名称（yusuan editions 列出；默认 sichuan-2023，四川省2023年单位预算）或表样描述文件（.toml）
    #[arg(
        long,
        global = true,
        value_name = "NAME|FILE",
        conflicts_with = "template"
    )]
    pub(crate) edition: Option<String>,
    /// 表样描述文件（TOML），同 --edition FILE
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) template: Option<PathBuf>,
    #[command(subcommand)]
    pub(crate) command: Command,
    /// Started with no arguments at all (a double-click): the server, its page opened.
    #[arg(skip)]
    pub(crate) double_click: bool,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// 生成空白的官方表样工作簿
    Template(TemplateCommand),
    /// 读取预算（工作簿、JSON 或 CSV），校验后输出规范的 XLSX、CSV 与 JSON
    Convert(ConvertCommand),
    /// 校验预算（工作簿、JSON 或 CSV）的各表合计与表间勾稽关系
    Check(CheckCommand),
    /// 根据各表生成单位预算情况说明（.docx 或 .md）
    Narrate(NarrateCommand),
    /// 列出全部校验规则（勾稽关系）
    Rules(RulesCommand),
    /// 批量转换一个目录下的全部预算（工作簿、JSON、CSV，按单位代码归并），并生成汇总
    Batch(BatchCommand),
    /// 把单位预算汇总为部门预算
    Merge(MergeCommand),
    /// 列出内置的表样及其各表
    Editions(EditionsCommand),
    /// 表样描述：由空白表样工作簿生成草稿（edition draft）
    Edition(EditionCommand),
    /// 启动报送网页服务：各单位上传预算、即时看到校验结果，财政部门查看进度（不带参数启动时即为此命令）
    Serve(ServeCommand),
}

impl Cli {
    /// Where the edition comes from: `--edition NAME|FILE`, `--template FILE`, or the default.
    ///
    /// # Errors
    ///
    /// When `--edition` names neither a built-in edition nor a file.
    pub(crate) fn edition(&self) -> Result<EditionSource, EditionError> {
        match (&self.edition, &self.template) {
            (Some(arg), _) => EditionSource::from_arg(arg),
            (None, Some(file)) => Ok(EditionSource::File(file.clone())),
            (None, None) => Ok(EditionSource::default()),
        }
    }
}

impl Command {
    /// The reading limits of a command that reads inputs (through worker processes).
    pub(crate) fn read_args(&self) -> Option<&ReadArgs> {
        match self {
            Command::Template(c) => c.from.as_ref().map(|_| &c.read),
            Command::Convert(c) => Some(&c.read),
            Command::Check(c) => Some(&c.read),
            Command::Narrate(c) => Some(&c.read),
            Command::Batch(c) => Some(&c.read),
            Command::Merge(c) => Some(&c.read),
            Command::Edition(c) => Some(c.read_args()),
            Command::Serve(c) => Some(&c.read),
            Command::Rules(_) | Command::Editions(_) => None,
        }
    }

    /// The check's options of a command that checks.
    pub(crate) fn check_args(&self) -> Option<&CheckArgs> {
        match self {
            Command::Convert(c) => Some(&c.check),
            Command::Check(c) => Some(&c.check),
            Command::Batch(c) => Some(&c.check),
            Command::Merge(c) => Some(&c.check),
            Command::Template(_)
            | Command::Narrate(_)
            | Command::Rules(_)
            | Command::Editions(_)
            | Command::Edition(_)
            | Command::Serve(_) => None,
        }
    }
}
