//! The command line in Chinese: clap's own words (headings, help and version flags, defaults,
//! usage, errors) replaced, so that no English reaches a finance clerk.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The command with every heading, built-in flag and default in Chinese.
pub fn localize(command: Command) -> Command {
    let top = command.get_name() == "yusuan";
    let mut command = command
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .mut_args(|arg| {
            let heading = if arg.is_positional() {
                "参数"
            } else {
                "选项"
            };
            let defaults: Vec<String> = arg
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            let choices: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| match v.get_help() {
                    Some(help) => format!("{} {help}", v.get_name()),
                    None => v.get_name().to_owned(),
                })
                .collect();
            let mut help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            if !choices.is_empty() && arg.get_action().takes_values() {
                help.push_str(&format!("（可选：{}）", choices.join("；")));
            }
            if !defaults.is_empty() && !arg.is_hide_default_value_set() {
                help.push_str(&format!("（默认：{}）", defaults.join(",")));
            }
            let takes_values = arg.get_action().takes_values();
            arg.help_heading(heading)
                .hide_default_value(takes_values)
                .hide_possible_values(takes_values)
                .help(help)
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    if top {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        );
    }
    command.mut_subcommands(localize)
}

/// A parse error in Chinese, with the usage and where to find help; help and version output
/// as clap renders it (already in Chinese).
pub fn error_text(error: &clap::Error) -> String {
    let value = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let arg = value(ContextKind::InvalidArg);
    let given = value(ContextKind::InvalidValue);
    let message = match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return error.to_string(),
        ErrorKind::InvalidSubcommand => {
            format!("没有“{}”这个命令", value(ContextKind::InvalidSubcommand))
        }
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令".to_owned()
        }
        ErrorKind::InvalidValue => {
            let valid = value(ContextKind::ValidValue);
            if given.is_empty() {
                format!("参数 {arg} 需要一个值")
            } else if valid.is_empty() {
                format!("参数 {arg} 的值“{given}”无效")
            } else {
                format!("参数 {arg} 的值“{given}”无效，可选：{valid}")
            }
        }
        ErrorKind::ValueValidation => {
            // The reason is ours, in Chinese: the last part of clap's sentence.
            let text = error.to_string();
            let reason = text
                .lines()
                .next()
                .and_then(|l| l.rsplit_once("': "))
                .map(|(_, r)| r.to_owned())
                .unwrap_or_default();
            format!("参数 {arg} 的值“{given}”无效：{reason}")
        }
        ErrorKind::ArgumentConflict => format!(
            "参数 {arg} 不能与 {} 同时使用",
            value(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues => {
            format!("参数 {arg} 给了太多的值")
        }
        ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {arg} 的值的个数不对")
        }
        _ => "命令行参数有误".to_owned(),
    };
    let mut out = format!("错误：{message}\n");
    let suggested = value(ContextKind::SuggestedSubcommand) + &value(ContextKind::SuggestedArg);
    if !suggested.is_empty() {
        out.push_str(&format!("  是不是要用：{suggested}\n"));
    }
    let usage = value(ContextKind::Usage);
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    if !usage.is_empty() {
        out.push_str(&format!("\n用法：{}\n", chinese_usage(usage)));
    }
    out.push_str("\n运行 yusuan --help 查看帮助。\n");
    out
}

/// clap's usage line with its placeholders in Chinese.
pub fn chinese_usage(usage: &str) -> String {
    usage
        .replace("[OPTIONS]", "[选项]")
        .replace("<COMMAND>", "<命令>")
}

/// Sets every command's usage line, as clap renders it, with Chinese placeholders.
pub fn chinese_usages(command: &mut Command) {
    let usage = command.render_usage().to_string();
    let usage = usage.trim().trim_start_matches("Usage:").trim().to_owned();
    let taken = std::mem::take(command);
    *command = taken.override_usage(chinese_usage(&usage));
    for sub in command.get_subcommands_mut() {
        chinese_usages(sub);
    }
}
