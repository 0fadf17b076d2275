//! The command line: its words (`args.rs`, shared options in `options.rs`, clap's own words
//! in Chinese in `chinese.rs`), the settings they resolve to once (`settings.rs`), one file
//! per command — each only dispatching to the library —, what they print of an input
//! (`report.rs`), and standard streams that never panic (`console.rs`).

mod args;
mod batch;
mod check;
mod chinese;
pub(crate) mod console;
mod convert;
mod draft;
mod editions;
mod inputs;
mod merge;
mod narrate;
mod options;
mod progress;
mod report;
mod rules;
mod serve;
mod settings;
mod template;

use anyhow::Result;
use args::{Cli, Command};
use console::{err, outln};
use settings::Settings;

pub(crate) use report::EXIT_UNREADABLE;

/// The command line, parsed in Chinese; `Err` with the exit code when it only asked for help
/// or the version (0), or is wrong (2, the reason printed).
pub(crate) fn parse() -> Result<Cli, u8> {
    let mut command = chinese::localize(<Cli as clap::CommandFactory>::command());
    command.build();
    chinese::chinese_usages(&mut command);
    // cmd.exe and PowerShell hand `2024-结果\*\*.json` over unexpanded: the wildcards are
    // expanded here on Windows (the `wild` crate; elsewhere the shell has done it).
    // No arguments at all (a double-click on Windows): the web page, not “缺少命令”.
    let mut args: Vec<std::ffi::OsString> = wild::args_os().collect();
    let double_click = args.len() == 1;
    if double_click {
        args.push("serve".into());
    }
    command
        .try_get_matches_from(args)
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m))
        .map(|mut cli| {
            cli.double_click = double_click;
            cli
        })
        .map_err(|e| {
            let text = chinese::error_text(&e);
            if e.use_stderr() {
                err!("{text}");
                EXIT_UNREADABLE
            } else {
                outln!("{}", text.trim_end());
                0
            }
        })
}

/// Runs a command; its exit code.
///
/// # Errors
///
/// What stops the command as a whole (one line is printed for it).
pub(crate) fn run(cli: Cli) -> Result<u8> {
    let settings = Settings::resolve(
        &cli.edition()?,
        cli.command.read_args(),
        cli.command.check_args(),
    )?;
    match cli.command {
        Command::Template(c) => template::run(&settings, c),
        Command::Convert(c) => convert::run(&settings, c),
        Command::Check(c) => check::run(&settings, c),
        Command::Narrate(c) => narrate::run(&settings, c),
        Command::Rules(c) => rules::run(&settings, c),
        Command::Batch(c) => batch::run(&settings, c),
        Command::Merge(c) => merge::run(&settings, c),
        Command::Editions(c) => editions::run(c),
        Command::Edition(c) => draft::run(&settings, c),
        Command::Serve(c) => serve::run(settings, c, cli.double_click),
    }
}
