//! `yusuan edition draft TEMPLATE -o draft.toml`: a draft edition from a blank template
//! workbook, for a person to complete with rules.

use super::console::errln;
use super::options::ReadArgs;
use super::settings::Settings;
use anyhow::{Result, bail};
use std::path::PathBuf;
use yusuan::worker::Reader;

#[derive(clap::Args)]
pub(crate) struct EditionCommand {
    #[command(subcommand)]
    pub(crate) action: EditionAction,
}

#[derive(clap::Subcommand)]
pub(crate) enum EditionAction {
    /// 根据空白的表样工作簿生成表样描述草稿（.toml），再由人工补全校验规则
    Draft(DraftCommand),
}

#[derive(clap::Args)]
pub(crate) struct DraftCommand {
    /// 空白的表样工作簿（.xlsx、.xls、.ods）
    #[arg(value_name = "TEMPLATE")]
    workbook: PathBuf,
    /// 输出文件（.toml）
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    #[command(flatten)]
    pub(crate) read: ReadArgs,
}

impl EditionCommand {
    /// The reading limits of the workbook read.
    pub(crate) fn read_args(&self) -> &ReadArgs {
        match &self.action {
            EditionAction::Draft(d) => &d.read,
        }
    }
}

/// Drafts the edition; the exit code.
pub(crate) fn run(settings: &Settings, command: EditionCommand) -> Result<u8> {
    let EditionAction::Draft(command) = command.action;
    let output = &command.output;
    if !output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        bail!(
            "{}：表样描述是 TOML 文件，文件名应以 .toml 结尾",
            output.display()
        );
    }
    let draft = settings.reader()?.draft(&command.workbook)?;
    yusuan::convert::write_draft(&settings.edition, &draft, &command.workbook, output)?;
    errln!(
        "已生成表样描述草稿：{}（{} 张表、{} 张文字工作表；请核对各表并补充校验规则）",
        output.display(),
        draft.tables.len(),
        draft.text_sheets.len()
    );
    Ok(0)
}
