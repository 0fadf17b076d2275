//! `yusuan check`: each input read and checked, the findings printed for people or as one
//! JSON document; with `--narrative`, the unit's 情况说明 checked against its tables too.

use super::console::{errln, outln};
use super::narrate::{self, NarrativeArgs};
use super::options::{CheckArgs, ReadArgs, ReportFormat};
use super::report::{
    EXIT_FINDINGS, EXIT_UNREADABLE, To, describe, internal_error, print_findings, print_notices,
    severity_code,
};
use super::settings::Settings;
use anyhow::{Result, bail};
use std::path::PathBuf;
use yusuan::check::report::{JsonFile, JsonFinding, JsonReport};
use yusuan::check::{self, Located};
use yusuan::error::ReadError;
use yusuan::read::Reading;
use yusuan::worker::Reader;

#[derive(clap::Args)]
pub(crate) struct CheckCommand {
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
    pub(crate) read: ReadArgs,
    #[command(flatten)]
    pub(crate) check: CheckArgs,
}

/// Checks every input; the exit code: the worst of the inputs'.
pub(crate) fn run(settings: &Settings, command: CheckCommand) -> Result<u8> {
    let narrative = match &command.narrative {
        Some(_) if command.inputs.len() > 1 => {
            bail!("--narrative 只能与一个 INPUT 同用（情况说明属于一个单位）")
        }
        Some(file) => Some(NarrativeArgs {
            file,
            previous: command.previous.as_ref(),
        }),
        None => None,
    };
    let reader = settings.reader()?;
    let format = command.format;
    let mut status = 0;
    let mut report = JsonReport::default();
    for input in &command.inputs {
        let file = input.display().to_string();
        let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read_and_check(settings, reader, input)
        }));
        let result = attempt.unwrap_or_else(|panic| Err(internal_error(input, panic.as_ref())));
        let (reading, located) = match result {
            Ok(checked) => checked,
            Err(e) => {
                status = EXIT_UNREADABLE;
                let text = describe(&e, settings.verbose);
                match format {
                    ReportFormat::Text => errln!("错误：{text}"),
                    ReportFormat::Json => report.files.push(JsonFile {
                        file,
                        unit_code: None,
                        error: Some(text),
                        findings: vec![],
                        narrative: None,
                    }),
                }
                continue;
            }
        };
        print_notices(&reading, settings.verbose);
        status = status.max(severity_code(&located));
        let b = &reading.budget;
        // The 情况说明 given, or else the workbook's own sheets of text the edition checks so.
        let checked = match &narrative {
            Some(n) => Some(narrate::check(&settings.edition, reader, b, n)),
            None => narrate::check_text_sheets(&settings.edition, b, &file),
        };
        let mut error = None;
        match &checked {
            Some(Ok(c)) if narrate::has_errors(c) => status = status.max(EXIT_FINDINGS),
            Some(Err(e)) => {
                status = EXIT_UNREADABLE;
                error = Some(e.clone());
            }
            _ => {}
        }
        match format {
            ReportFormat::Text => {
                print_findings(&file, &b.who(), &located, To::Out);
                match &checked {
                    Some(Ok(c)) => narrate::print(c, settings.verbose),
                    Some(Err(e)) => errln!("错误：{e}"),
                    None => {}
                }
            }
            ReportFormat::Json => {
                let mut findings: Vec<JsonFinding> =
                    located.iter().map(JsonFinding::from).collect();
                let narrative = checked.and_then(Result::ok).map(|c| {
                    findings.extend(c.findings().map(JsonFinding::from));
                    c.json()
                });
                report.files.push(JsonFile {
                    file,
                    unit_code: (!b.code.is_empty()).then(|| b.code.clone()),
                    error,
                    findings,
                    narrative,
                })
            }
        }
    }
    if format == ReportFormat::Json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(status)
}

/// One input read and checked, its findings located in it.
fn read_and_check(
    settings: &Settings,
    reader: &dyn Reader,
    input: &std::path::Path,
) -> Result<(Reading, Vec<Located>), ReadError> {
    let reading = reader.read_input(input)?;
    let edition = &settings.edition;
    let findings = check::check(edition, &reading.budget, &settings.check);
    let located = check::locate_all(edition, &reading.budget, &findings, &reading.positions);
    Ok((reading, located))
}
