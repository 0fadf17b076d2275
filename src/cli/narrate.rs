//! The command line's narrative parts: `yusuan narrate`, and the narrative of
//! `check --narrative`.

use super::console::{errln, outln};
use super::inputs::input_paths;
use super::options::ReadArgs;
use super::settings::Settings;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};
use yusuan::edition::{Edition, Severity};
use yusuan::model::Budget;
use yusuan::narrative::{NarrativeCheck, Verdict, check_narrative};
use yusuan::worker::Reader;

/// The narrative to check with the tables of the one input, and last year's budget.
pub(crate) struct NarrativeArgs<'a> {
    /// The 情况说明.
    pub(crate) file: &'a Path,
    /// Last year's budget, for the comparisons with last year.
    pub(crate) previous: Option<&'a PathBuf>,
}

/// Reads and checks a narrative against a budget; `Err` with the line to print when the
/// narrative or last year's budget cannot be read.
pub(crate) fn check(
    edition: &Edition,
    reader: &dyn Reader,
    budget: &Budget,
    args: &NarrativeArgs<'_>,
) -> Result<NarrativeCheck, String> {
    let document = reader.read_document(args.file).map_err(|e| e.to_string())?;
    let previous = match args.previous {
        Some(path) => Some(reader.read_input(path).map_err(|e| e.to_string())?.budget),
        None => None,
    };
    if let Some(last) = &previous {
        warn_if_not_last_year(budget, last);
    }
    let file = args.file.display().to_string();
    check_narrative(edition, budget, previous.as_ref(), &document, &file).map_err(|e| e.to_string())
}

/// Checks the sheets of text of a workbook that the edition checks as a 情况说明 (Shanghai's
/// 编制说明), named as sheets of `file`; `None` when it has none.
pub(crate) fn check_text_sheets(
    edition: &Edition,
    budget: &Budget,
    file: &str,
) -> Option<Result<NarrativeCheck, String>> {
    let (sheets, document) = yusuan::narrative::text_sheets_document(edition, budget)?;
    let name = format!("{file} {sheets}");
    Some(check_narrative(edition, budget, None, &document, &name).map_err(|e| e.to_string()))
}

/// Says so when "last year's" budget is another unit's, or not of an earlier year: the
/// comparisons are then made as asked, but are likely not what the clerk meant.
fn warn_if_not_last_year(budget: &Budget, last: &Budget) {
    if last.code != budget.code {
        errln!(
            "警告：--previous 的预算是 {}-{}，不是本单位 {}-{} 的",
            last.code,
            last.name,
            budget.code,
            budget.name
        );
    }
    if last.year.checked_add(1) != Some(budget.year) {
        errln!(
            "警告：--previous 的预算是 {} 年的，不是本年 {} 年的上一年（{} 年）",
            last.year,
            budget.year,
            budget.year.saturating_sub(1)
        );
    }
}

/// Whether a narrative's check found an error.
pub(crate) fn has_errors(checked: &NarrativeCheck) -> bool {
    checked.findings().any(|f| f.severity == Severity::Error)
}

/// Prints a narrative's check for people: counts, contradictions, and with `verbose` every
/// statement with its verdict.
pub(crate) fn print(checked: &NarrativeCheck, verbose: bool) {
    outln!(
        "情况说明 {}：数字 {} 个，与表一致 {} 个，无法核对 {} 个，不一致 {} 个",
        checked.file,
        checked.figures(),
        checked.verified(),
        checked.unverifiable(),
        checked.contradictions()
    );
    for o in &checked.outcomes {
        let what = o.figure.as_ref().map_or("？", |f| f.name.as_str());
        match &o.verdict {
            Verdict::Contradiction(f) => outln!("  {} {}", f.severity.word(), f.message),
            Verdict::Verified if verbose => {
                outln!("  第 {} 行 {} → {what}：一致", o.line, o.written)
            }
            Verdict::Unverifiable(why) if verbose => {
                outln!(
                    "  第 {} 行 {} → {what}：无法核对（{why}）",
                    o.line,
                    o.written
                )
            }
            _ => {}
        }
    }
}

#[derive(clap::Args)]
pub(crate) struct NarrateCommand {
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
    pub(crate) read: ReadArgs,
}

/// `yusuan narrate`: the 情况说明 of one input written to `output` (.docx or .md); the exit
/// code.
pub(crate) fn run(settings: &Settings, command: NarrateCommand) -> Result<u8> {
    let NarrateCommand {
        input,
        output,
        previous,
        ..
    } = &command;
    let reader = settings.reader()?;
    let Some(format) = yusuan::convert::NarrativeFormat::of(output) else {
        bail!("{}：情况说明只能输出为 .docx 或 .md", output.display());
    };
    if output.is_dir() {
        bail!(
            "{} 是目录：请指定要生成的 .docx 或 .md 文件",
            output.display()
        );
    }
    let budget = reader.read_input(input)?.budget;
    let last = match previous {
        Some(path) => Some(reader.read_input(path)?.budget),
        None => None,
    };
    if let Some(last) = &last {
        warn_if_not_last_year(&budget, last);
    }
    let given: Vec<PathBuf> = std::iter::once(input).chain(previous).cloned().collect();
    let inputs = input_paths(&given);
    let edition = &settings.edition;
    yusuan::convert::write_narrative(edition, &budget, last.as_ref(), output, format, &inputs)?;
    errln!("已生成情况说明：{}", output.display());
    Ok(0)
}
