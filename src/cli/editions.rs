//! `yusuan editions`: the built-in editions, each with its tables, for people or as JSON.

use super::console::outln;
use super::options::ReportFormat;
use anyhow::Result;
use serde::Serialize;
use yusuan::edition::{DEFAULT_EDITION, Edition, builtin_names};

#[derive(clap::Args)]
pub(crate) struct EditionsCommand {
    /// 输出格式
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

/// One built-in edition as listed.
#[derive(Serialize)]
struct Listed {
    name: &'static str,
    title: String,
    year: u16,
    default: bool,
    tables: Vec<ListedTable>,
}

#[derive(Serialize)]
struct ListedTable {
    number: u8,
    title: String,
}

/// Lists the built-in editions; the exit code.
pub(crate) fn run(command: EditionsCommand) -> Result<u8> {
    let listed: Vec<Listed> = builtin_names()
        .filter_map(|name| {
            let edition = Edition::named(name)?;
            Some(Listed {
                name,
                title: edition.name.clone(),
                year: edition.year,
                default: name == DEFAULT_EDITION,
                tables: edition
                    .tables
                    .iter()
                    .map(|t| ListedTable {
                        number: t.number,
                        title: t.title.clone(),
                    })
                    .collect(),
            })
        })
        .collect();
    match command.format {
        ReportFormat::Json => outln!("{}", serde_json::to_string_pretty(&listed)?),
        ReportFormat::Text => {
            for e in &listed {
                let default = if e.default { "（默认）" } else { "" };
                outln!(
                    "{}  {}{default}，{} 张表（--edition {}）",
                    e.name,
                    e.title,
                    e.tables.len(),
                    e.name
                );
                for t in &e.tables {
                    outln!("  表{} {}", t.number, t.title);
                }
            }
        }
    }
    Ok(0)
}
