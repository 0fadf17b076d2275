//! `yusuan convert`: each input read, checked and written as its official workbook, table
//! CSVs and JSON.

use super::console::errln;
use super::inputs::input_paths;
use super::options::{CheckArgs, FormatsArg, ReadArgs};
use super::report::{
    EXIT_UNREADABLE, To, describe, internal_error, print_findings, print_notices, severity_code,
};
use super::settings::Settings;
use anyhow::Result;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use yusuan::convert::{Failure, Target, Unit, process, stem_of};
use yusuan::output::WriteMode;
use yusuan::output::place::check_outdir;
use yusuan::read::{Duplicates, input_files};
use yusuan::worker::Reader;

#[derive(clap::Args)]
pub(crate) struct ConvertCommand {
    /// 输入：工作簿（.xlsx/.xls/.ods）、yusuan 的 JSON 或 CSV（facts.csv 格式），或存放同一单位各表的目录
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// 输出目录
    #[arg(short, long, value_name = "OUTDIR")]
    output: PathBuf,
    #[command(flatten)]
    output_formats: FormatsArg,
    #[command(flatten)]
    pub(crate) read: ReadArgs,
    #[command(flatten)]
    pub(crate) check: CheckArgs,
}

/// Converts every input; one input's failure, even an internal one, never stops the others.
/// The exit code: the worst of the inputs'.
pub(crate) fn run(settings: &Settings, command: ConvertCommand) -> Result<u8> {
    let ConvertCommand {
        inputs,
        output,
        output_formats,
        ..
    } = &command;
    check_outdir(output, inputs)?;
    let reader = settings.reader()?;
    let protected = input_paths(inputs);
    let mut status = 0;
    let mut stems = BTreeMap::new();
    for input in inputs {
        // Two inputs named alike would write the same outputs: the second is refused.
        if let Some(first) = stems.insert(stem_of(input), input) {
            errln!(
                "错误：{} 与 {} 的输出文件同名，未转换（请分开输出目录或改名）",
                input.display(),
                first.display()
            );
            status = EXIT_UNREADABLE;
            continue;
        }
        let target = Target {
            dir: output,
            stem: &stem_of(input),
            formats: output_formats.formats,
            mode: WriteMode::Atomic,
            inputs: &protected,
        };
        let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            convert_one(settings, reader, input, &target)
        }));
        let code = match attempt {
            Ok(Ok(code)) => code,
            Ok(Err(Failure::Read(e))) => {
                errln!("错误：{}", describe(&e, settings.verbose));
                EXIT_UNREADABLE
            }
            Ok(Err(e)) => {
                errln!("错误：{}：{e}", input.display());
                EXIT_UNREADABLE
            }
            Err(panic) => {
                let e = internal_error(input, panic.as_ref());
                errln!("错误：{}", describe(&e, settings.verbose));
                EXIT_UNREADABLE
            }
        };
        status = status.max(code);
    }
    Ok(status)
}

fn convert_one(
    settings: &Settings,
    reader: &dyn Reader,
    input: &Path,
    target: &Target<'_>,
) -> Result<u8, Failure> {
    let files = input_files(input)?;
    let name = input.display().to_string();
    let unit = Unit {
        files: &files,
        input: &name,
        duplicates: Duplicates::Error,
    };
    let p = process(&settings.edition, reader, &unit, target, &settings.check)?;
    print_notices(&p.reading, settings.verbose);
    let b = &p.reading.budget;
    print_findings(&name, &b.who(), &p.located, To::Err);
    errln!(
        "{name}：已输出 {} 个文件到 {}",
        p.written.len(),
        target.dir.display()
    );
    Ok(severity_code(&p.located))
}
