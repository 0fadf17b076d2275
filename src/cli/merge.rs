//! `yusuan merge`: the department consolidated from its units, and what it says: units with
//! errors (refused, or consolidated as submitted with `--allow-errors`), the department's
//! findings with a rule many units share said once.

use super::console::errln;
use super::inputs::input_paths;
use super::options::{CheckArgs, FormatsArg, JobsArg, ReadArgs};
use super::report::{describe, print_notices, severity_code};
use super::settings::Settings;
use anyhow::{Result, bail};
use std::path::PathBuf;
use yusuan::convert::Target;
use yusuan::edition::Severity;
use yusuan::output::WriteMode;
use yusuan::output::place::check_outdir;

#[derive(clap::Args)]
pub(crate) struct MergeCommand {
    /// 各单位的预算：工作簿、JSON 或 CSV，存放同一单位各表的目录，或 batch 的结果目录（取其中每个单位的 JSON）
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// 输出目录
    #[arg(short, long, value_name = "OUTDIR")]
    output: PathBuf,
    /// 部门代码
    #[arg(long)]
    code: String,
    /// 部门名称
    #[arg(long)]
    name: String,
    /// 各单位预算有错误时仍照报送数汇总（默认拒绝汇总并列出有错误的单位）
    #[arg(long)]
    allow_errors: bool,
    #[command(flatten)]
    output_formats: FormatsArg,
    #[command(flatten)]
    jobs: JobsArg,
    #[command(flatten)]
    pub(crate) read: ReadArgs,
    #[command(flatten)]
    pub(crate) check: CheckArgs,
}

/// Runs a merge and reports it; the exit code.
pub(crate) fn run(settings: &Settings, command: MergeCommand) -> Result<u8> {
    let inputs = merge_inputs(command.inputs)?;
    check_outdir(&command.output, &inputs)?;
    let reader = settings.reader()?;
    let request = yusuan::merge::Request {
        inputs: &inputs,
        code: &command.code,
        name: &command.name,
        jobs: command.jobs.count(),
        check: settings.check,
        allow_errors: command.allow_errors,
    };
    let target = &Target {
        dir: &command.output,
        stem: &request.stem(),
        formats: command.output_formats.formats,
        mode: WriteMode::Atomic,
        inputs: &input_paths(&inputs),
    };
    let (edition, verbose) = (&settings.edition, settings.verbose);
    let request = &request;
    let merged = yusuan::merge::run(edition, reader, request, target, |r| {
        print_notices(r, verbose)
    });
    let merged = match merged {
        Ok(m) => m,
        Err(yusuan::merge::MergeFailure::Units(problems)) => {
            for p in &problems {
                match p {
                    yusuan::merge::UnitProblem::Read(e) => errln!("错误：{}", describe(e, verbose)),
                    other => errln!("错误：{other}"),
                }
            }
            bail!("有 {} 个单位的预算无法汇总，未输出", problems.len());
        }
        Err(e @ yusuan::merge::MergeFailure::UnitErrors(_)) => {
            if let yusuan::merge::MergeFailure::UnitErrors(units) = &e {
                for u in units {
                    errln!("错误：{u}");
                }
            }
            errln!("{e}");
            return Ok(1);
        }
        Err(e) => return Err(e.into()),
    };
    let file = format!("{}.xlsx", target.stem);
    let located = &merged.located;
    let errors = located
        .iter()
        .filter(|l| l.severity() == Severity::Error)
        .count();
    let unit_errors: usize = merged.unit_errors.iter().map(|u| u.errors).sum();
    let units_part = if merged.unit_errors.is_empty() {
        String::new()
    } else {
        format!(
            "；{} 个单位报送的预算另有错误 {unit_errors} 项（照报送数汇总）",
            merged.unit_errors.len()
        )
    };
    errln!(
        "{file}（{}-{}）：错误 {errors} 项，警告 {} 项{units_part}",
        request.code,
        request.name,
        located.len() - errors
    );
    for u in &merged.unit_errors {
        errln!("  错误 {u}");
    }
    // A rule that many units share is one line, with the units named.
    for group in yusuan::merge::group_by_rule(&merged.budget, located) {
        let l = group.first;
        match group.count {
            1 => errln!("  {} {}", l.severity().word(), l.message),
            n => errln!(
                "  {} {}；同一规则共 {n} 处{}",
                l.severity().word(),
                l.message,
                match group.units.len() {
                    0 => String::new(),
                    k => format!("，涉及 {k} 个单位：{}", group.units.join("、")),
                }
            ),
        }
    }
    errln!(
        "已汇总 {} 个单位，输出 {} 个文件到 {}",
        request.inputs.len(),
        merged.written.len(),
        target.dir.display()
    );
    let units_code = if merged.unit_errors.is_empty() { 0 } else { 1 };
    Ok(severity_code(located).max(units_code))
}

/// Merge's inputs with every batch result among them replaced by its units' budgets.
fn merge_inputs(inputs: Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        match yusuan::batch::result_budgets(&input)? {
            Some(units) if units.is_empty() => {
                bail!(
                    "{} 是 batch 的结果目录，但其中没有单位的预算",
                    input.display()
                )
            }
            Some(units) => out.extend(units),
            None => out.push(input),
        }
    }
    Ok(out)
}
