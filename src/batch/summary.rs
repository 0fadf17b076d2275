//! The summaries of a batch: `汇总.xlsx` for people, `summary.csv` and `findings.csv` for
//! scripts.

use super::report::{Report, Status};
use crate::base::amount::plain;
use crate::base::output::{WriteMode, write_file};
use crate::edition::{Edition, Severity};
use crate::write::csv::{BOM, record};
use crate::write::xlsx::fit;
use crate::write::xlsx::{LINE_HEIGHT, Styles, f64_of, lines_of, new_workbook};
use rust_xlsxwriter::{Color, FormatAlign, XlsxError};
use std::path::Path;

/// Space kept above and below the text of a row of 汇总.xlsx, so that wrapped lines do not
/// touch the cell borders, in points.
const ROW_PADDING: f64 = 4.0;

/// Name of the summary sheet and workbook.
pub const SUMMARY_SHEET: &str = "汇总";

/// Columns of `summary.csv` before the edition's figures; after them come `folder`, the
/// unit's output folder, `superseded`, the unit's files that a newer file replaced, and
/// `narrative_contradictions`, the figures of its 情况说明 that disagree with its tables (empty
/// without one).
pub const SUMMARY_COLUMNS: [&str; 7] = [
    "files",
    "unit_code",
    "unit_name",
    "status",
    "errors",
    "warnings",
    "first_error",
];

/// Columns of `findings.csv`. A finding of a 情况说明 has its file in `files`, no table, sheet
/// or cell, and its line (paragraph of a .docx) in `line`; a warning of the reading (a unit
/// code not of digits) has its file, sheet and cell, and no rule or table.
pub const FINDINGS_COLUMNS: [&str; 13] = [
    "unit_code",
    "unit_name",
    "files",
    "rule",
    "severity",
    "table",
    "table_title",
    "sheet",
    "cell",
    "expected",
    "actual",
    "message",
    "line",
];

/// Writes `summary.csv`, `findings.csv` and `汇总.xlsx` into `dir`.
///
/// # Errors
///
/// When a file cannot be written or the workbook cannot be built.
pub fn write_summaries(edition: &Edition, report: &Report, dir: &Path) -> std::io::Result<()> {
    // `dir` is the batch's staging directory, swapped in whole when complete.
    write_file(
        &dir.join("summary.csv"),
        summary_csv(edition, report).as_bytes(),
        WriteMode::Direct,
    )?;
    write_file(
        &dir.join("findings.csv"),
        findings_csv(report).as_bytes(),
        WriteMode::Direct,
    )?;
    let book = summary_xlsx(edition, report).map_err(std::io::Error::other)?;
    write_file(
        &dir.join(format!("{SUMMARY_SHEET}.xlsx")),
        &book,
        WriteMode::Direct,
    )
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn summary_csv(edition: &Edition, report: &Report) -> String {
    let mut out = String::from(BOM);
    let mut header: Vec<String> = SUMMARY_COLUMNS.iter().map(|s| (*s).to_owned()).collect();
    header.extend(edition.summary.iter().map(|f| f.key.clone()));
    header.push("folder".into());
    header.push("superseded".into());
    header.push("narrative_contradictions".into());
    record(&mut out, &header);
    for u in &report.units {
        let mut fields = vec![
            u.files.join(";"),
            opt(&u.code),
            opt(&u.name),
            u.status.key().to_owned(),
            u.errors.to_string(),
            u.warnings.to_string(),
            opt(&u.first_error),
        ];
        fields.extend(u.figures.iter().map(|f| f.map(plain).unwrap_or_default()));
        fields.push(opt(&u.folder));
        fields.push(u.superseded.join(";"));
        fields.push(
            u.narrative_contradictions()
                .map(|n| n.to_string())
                .unwrap_or_default(),
        );
        record(&mut out, &fields);
    }
    out
}

fn findings_csv(report: &Report) -> String {
    let mut out = String::from(BOM);
    record(&mut out, &FINDINGS_COLUMNS);
    for u in &report.units {
        for f in &u.findings {
            let severity = severity_key(f.severity());
            record(
                &mut out,
                &[
                    opt(&u.code),
                    opt(&u.name),
                    u.files.join(";"),
                    f.finding.rule.clone(),
                    severity.to_owned(),
                    f.finding.place.table.to_string(),
                    f.table_title.clone(),
                    opt(&f.sheet),
                    opt(&f.cell),
                    f.finding.expected.map(plain).unwrap_or_default(),
                    f.finding.actual.map(plain).unwrap_or_default(),
                    f.message.clone(),
                    String::new(),
                ],
            );
        }
        for n in &u.notices {
            let at = &n.location;
            record(
                &mut out,
                &[
                    opt(&u.code),
                    opt(&u.name),
                    u.files.join(";"),
                    String::new(),
                    severity_key(Severity::Warning).to_owned(),
                    String::new(),
                    String::new(),
                    opt(&at.sheet),
                    opt(&at.cell),
                    String::new(),
                    String::new(),
                    n.message.clone(),
                    at.line.map(|l| l.to_string()).unwrap_or_default(),
                ],
            );
        }
        for n in &u.narratives {
            let Ok(checked) = &n.checked else { continue };
            for f in checked.findings() {
                record(
                    &mut out,
                    &[
                        opt(&u.code),
                        opt(&u.name),
                        n.file.clone(),
                        f.rule.clone(),
                        severity_key(f.severity).to_owned(),
                        String::new(),
                        NARRATIVE_TITLE.to_owned(),
                        String::new(),
                        String::new(),
                        f.expected.clone(),
                        f.actual.clone(),
                        f.message.clone(),
                        f.line.to_string(),
                    ],
                );
            }
        }
    }
    out
}

/// The 汇总.xlsx column of the contradictions of each unit's 情况说明.
const NARRATIVE_COLUMN: &str = "情况说明不一致";

/// The `table_title` of a narrative's finding.
const NARRATIVE_TITLE: &str = "情况说明";

fn severity_key(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn summary_xlsx(edition: &Edition, report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut book = new_workbook();
    let sheet = book.add_worksheet();
    sheet.set_name(SUMMARY_SHEET)?;
    let styles = Styles::new(&edition.amount_format);
    let (header, text, amount) = (&styles.header, &styles.text, &styles.figure);
    let base = text.clone();
    let count = base.clone().set_align(FormatAlign::Center);
    let status_format = |s: Status| match s {
        Status::Ok => base
            .clone()
            .set_background_color(0xC6EFCE)
            .set_font_color(Color::RGB(0x006100)),
        Status::Findings => base
            .clone()
            .set_background_color(0xFFC7CE)
            .set_font_color(Color::RGB(0x9C0006)),
        Status::Unreadable | Status::WriteFailed => base
            .clone()
            .set_background_color(0xBFBFBF)
            .set_font_color(Color::RGB(0x000000))
            .set_bold(),
    };
    let mut titles: Vec<&str> = vec![
        "文件",
        "单位代码",
        "单位名称",
        "状态",
        "错误",
        "警告",
        "首个错误",
    ];
    titles.extend(edition.summary.iter().map(|f| f.label.as_str()));
    let mut widths: Vec<f64> = vec![30.0, 9.0, 26.0, 9.0, 5.0, 5.0, 46.0];
    widths.extend(edition.summary.iter().map(|_| 13.0));
    // The 情况说明 column only where the batch had any.
    let narratives = report.units.iter().any(|u| !u.narratives.is_empty());
    if narratives {
        titles.push(NARRATIVE_COLUMN);
        widths.push(12.0);
    }
    let width = titles.len();
    let last_col = (width - 1) as u16;
    // A title with the date, and the counts a clerk reports.
    sheet.set_row_height(0, 30)?;
    sheet.merge_range(0, 0, 0, last_col, &report.title, &styles.title)?;
    let count_of = |s: Status| report.units.iter().filter(|u| u.status == s).count();
    let units = report.units.iter().filter(|u| u.code.is_some()).count();
    let counts = format!(
        "共 {units} 个单位、{} 个工作簿：通过 {}，有错误 {}，无法读取 {}，无法写入 {}",
        report.files,
        count_of(Status::Ok),
        count_of(Status::Findings),
        count_of(Status::Unreadable),
        count_of(Status::WriteFailed),
    );
    sheet.merge_range(1, 0, 1, last_col, &counts, &styles.entity)?;
    const HEADER_ROW: u32 = 2;
    for (c, t) in titles.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, c as u16, *t, header)?;
    }
    // Tall enough for every wrapped title, beside the filter's button (two characters).
    let header_lines = titles
        .iter()
        .zip(&widths)
        .map(|(t, w)| lines_of(t, w - 2.0))
        .fold(1.0, f64::max);
    sheet.set_row_height(HEADER_ROW, header_lines * LINE_HEIGHT + ROW_PADDING)?;
    let wrap = &styles.wrap;
    for (i, u) in report.units.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        let files = u.files.join("\n");
        let name = u.name.as_deref().unwrap_or("");
        let first_error = u.first_error.as_deref().unwrap_or("");
        sheet.write_string_with_format(r, 0, &*fit(&files), wrap)?;
        sheet.write_string_with_format(r, 1, u.code.as_deref().unwrap_or(""), text)?;
        sheet.write_string_with_format(r, 2, &*fit(name), wrap)?;
        sheet.write_string_with_format(r, 3, u.status.word(), &status_format(u.status))?;
        sheet.write_number_with_format(r, 4, u.errors as f64, &count)?;
        sheet.write_number_with_format(r, 5, u.warnings as f64, &count)?;
        sheet.write_string_with_format(r, 6, &*fit(first_error), wrap)?;
        // Tall enough for every file on its line and every wrapped text.
        let lines = [(0, files.as_str()), (2, name), (6, first_error)]
            .iter()
            .map(|(c, t)| {
                t.split('\n')
                    .map(|part| lines_of(part, widths[*c]))
                    .sum::<f64>()
            })
            .fold(1.0, f64::max);
        sheet.set_row_height(r, lines * LINE_HEIGHT + ROW_PADDING)?;
        for (k, f) in u.figures.iter().enumerate() {
            let c = 7 + k as u16;
            match f {
                Some(v) => sheet.write_number_with_format(r, c, f64_of(*v), amount)?,
                None => sheet.write_blank(r, c, amount)?,
            };
        }
        if narratives {
            let c = 7 + u.figures.len() as u16;
            match u.narrative_contradictions() {
                Some(n) => sheet.write_number_with_format(r, c, n as f64, &count)?,
                None => sheet.write_blank(r, c, &count)?,
            };
        }
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    let last_row = HEADER_ROW + report.units.len() as u32;
    sheet.autofilter(HEADER_ROW, 0, last_row.max(HEADER_ROW + 1), last_col)?;
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_print_center_horizontally(true);
    sheet.set_footer("&C第 &P 页，共 &N 页");
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    book.save_to_buffer()
}

/// Today's date in the calendar (UTC), as `2026年11月29日`.
/// The title of 汇总.xlsx (the edition's `summary_title`) for units of `units` (code, year):
/// the department named, or known by the code its units share; their year (several, joined,
/// when they differ; the edition's when none was read); today's date.
pub(super) fn title(edition: &Edition, units: &[(String, u16)], name: Option<&str>) -> String {
    let n = edition.department_code_length;
    let prefix = |c: &str| {
        c.get(..n)
            .filter(|p| p.len() == n && p.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_owned)
    };
    let department = match name {
        Some(name) => name.to_owned(),
        None => {
            let mut codes = units.iter().map(|(c, _)| prefix(c));
            match codes.next().flatten() {
                Some(first) if codes.all(|c| c.as_deref() == Some(first.as_str())) => {
                    edition.summary_department.replace("{code}", &first)
                }
                _ => String::new(),
            }
        }
    };
    let mut years: Vec<u16> = units.iter().map(|(_, y)| *y).collect();
    years.sort_unstable();
    years.dedup();
    let year = match years.as_slice() {
        [] => edition.year.to_string(),
        many => many
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join("、"),
    };
    edition
        .summary_title
        .replace("{department}", &department)
        .replace("{year}", &year)
        .replace("{date}", &today())
}

fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    format!("{y}年{m}月{d}日")
}

/// The (year, month, day) of a count of days since 1970-01-01 (the proleptic Gregorian
/// calendar, after Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::{civil_from_days, title};
    use crate::edition::Edition;

    #[test]
    fn the_title_names_the_department_and_the_year() {
        let e = Edition::builtin();
        let units = |list: &[(&str, u16)]| -> Vec<(String, u16)> {
            list.iter().map(|(c, y)| (c.to_string(), *y)).collect()
        };
        let t = title(&e, &units(&[("313603", 2024), ("313604", 2024)]), None);
        assert!(t.starts_with("部门 313 2024年单位预算审核汇总（"), "{t}");
        let t = title(&e, &units(&[("313603", 2024), ("401001", 2025)]), None);
        assert!(t.starts_with("2024、2025年单位预算审核汇总（"), "{t}");
        let t = title(&e, &units(&[("a/b", 2024)]), Some("某某厅"));
        assert!(t.starts_with("某某厅2024年"), "{t}");
        assert!(title(&e, &[], None).starts_with("2023年"));
    }

    #[test]
    fn calendar_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_786), (2026, 11, 29));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
