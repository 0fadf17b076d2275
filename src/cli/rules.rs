//! `yusuan rules`: every rule of the edition, for people or as JSON.

use super::console::outln;
use super::options::ReportFormat;
use super::settings::Settings;
use anyhow::Result;
use yusuan::check;

#[derive(clap::Args)]
pub(crate) struct RulesCommand {
    /// 输出格式
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

/// Prints the rules; the exit code.
pub(crate) fn run(settings: &Settings, command: RulesCommand) -> Result<u8> {
    let rules = check::catalog(&settings.edition);
    match command.format {
        ReportFormat::Json => outln!("{}", serde_json::to_string_pretty(&rules)?),
        ReportFormat::Text => {
            for line in check::catalog_lines(&rules) {
                outln!("{line}");
            }
        }
    }
    Ok(0)
}
