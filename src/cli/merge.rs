//! `yusuan merge`: the department consolidated from its units, and what it says: units with
//! errors (refused, or consolidated as submitted with `--allow-errors`), the department's
//! findings with a rule many units share said once.

use super::console::errln;
use crate::{describe, print_notices, severity_code};
use anyhow::{Result, bail};
use yusuan::convert::Target;
use yusuan::edition::{Edition, Severity};
use yusuan::worker::Reader;

/// Runs a merge and reports it; the exit code.
pub(crate) fn merge_all(
    edition: &Edition,
    reader: &dyn Reader,
    request: &yusuan::merge::Request<'_>,
    target: &Target<'_>,
    verbose: bool,
) -> Result<u8> {
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
