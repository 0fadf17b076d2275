//! One uploaded file, from bytes to findings: sniffed (a `.xlsx` that is not a zip is refused
//! before it is stored), stored under a generated name (never the client's) and made durable,
//! then read by the worker processes under their limits, checked, and written as the official
//! workbook — what `check --format json` says of it, and what the unit sees.

use super::records::UploadResult;
use crate::base::output::WriteMode;
use crate::check::report::{JsonFile, JsonFinding};
use crate::check::{self, Options};
use crate::convert::{Failure, Formats, Target, Unit, process};
use crate::edition::{Edition, Severity};
use crate::read::Duplicates;
use crate::worker::Reader;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The kind of workbook a file is by its name, and whether its first bytes say so too; the
/// reason, in Chinese, when not.
///
/// ```
/// use yusuan::serve::sniff;
/// assert_eq!(sniff("预算.XLSX", b"PK\x03\x04rest"), Ok("xlsx"));
/// assert!(sniff("预算.xlsx", b"<html>").unwrap_err().contains("不是有效的 .xlsx"));
/// assert!(sniff("预算.exe", b"MZ").is_err());
/// ```
///
/// # Errors
///
/// The reason a file is refused.
pub fn sniff(file_name: &str, bytes: &[u8]) -> Result<&'static str, String> {
    let ext = Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    const ZIP: &[u8] = b"PK\x03\x04";
    const CFB: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let (kind, magic): (&'static str, &[u8]) = match ext.as_deref() {
        Some("xlsx") => ("xlsx", ZIP),
        Some("xlsm") => ("xlsm", ZIP),
        Some("ods") => ("ods", ZIP),
        Some("xls") => ("xls", CFB),
        // A 情况说明: a Word document, or text (no NUL byte in it).
        Some("docx") => ("docx", ZIP),
        Some(kind @ ("txt" | "md")) if !bytes.contains(&0) => {
            return Ok(if kind == "txt" { "txt" } else { "md" });
        }
        _ => {
            return Err(format!(
                "“{file_name}”不是预算工作簿或情况说明：请上传 .xlsx、.xls、.ods 工作簿，或 .docx、.txt、.md 情况说明"
            ));
        }
    };
    if bytes.starts_with(magic) {
        Ok(kind)
    } else {
        Err(format!(
            "“{file_name}”不是有效的 .{kind} 工作簿（文件内容与扩展名不符），未保存"
        ))
    }
}

/// Stores `bytes` in `DATA/files/` under a generated name ending in `.kind`, durably (written,
/// synced, renamed into place, the folder synced); returns its path relative to `data`.
///
/// # Errors
///
/// When the file cannot be written.
pub(super) fn store_file(data: &Path, kind: &str, bytes: &[u8]) -> std::io::Result<String> {
    let dir = data.join("files");
    std::fs::create_dir_all(&dir)?;
    let name = format!(
        "{}.{kind}",
        super::tokens::new_token().map_err(std::io::Error::other)?
    );
    let mut file = tempfile::NamedTempFile::new_in(&dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist_noclobber(dir.join(&name))
        .map_err(|e| e.error)?;
    if let Ok(folder) = std::fs::File::open(&dir) {
        let _ = folder.sync_all();
    }
    Ok(format!("files/{name}"))
}

/// Reads a stored upload (`stored`, relative to `data`; named `file_name` in messages) with
/// `reader`, checks it and writes its official workbook under `DATA/out/`: the stored result
/// and the `check --format json` entry.
pub(super) fn read_upload(
    edition: &Edition,
    reader: &dyn Reader,
    options: &Options,
    data: &Path,
    stored: &str,
    file_name: &str,
) -> (UploadResult, JsonFile) {
    let path = data.join(stored);
    let out = Path::new(stored)
        .file_stem()
        .map(|s| format!("out/{}", s.to_string_lossy()))
        .unwrap_or_else(|| "out/upload".to_owned());
    let files = [path.clone()];
    let unit = Unit {
        files: &files,
        input: file_name,
        duplicates: Duplicates::Error,
    };
    let dir: PathBuf = data.join(&out);
    let target = Target {
        dir: &dir,
        stem: "官方公开表",
        formats: Formats {
            xlsx: true,
            csv: false,
            json: false,
        },
        mode: WriteMode::Atomic,
        inputs: &files,
    };
    match process(edition, reader, &unit, &target, options) {
        Ok(p) => {
            let errors = p
                .located
                .iter()
                .filter(|l| l.severity() == Severity::Error)
                .count();
            let warnings = p.located.len() - errors;
            let b = &p.reading.budget;
            let mut findings: Vec<JsonFinding> = p.located.iter().map(JsonFinding::from).collect();
            // The workbook's own 编制说明, where the edition checks its sheets of text.
            let narrative =
                crate::narrative::text_sheets_document(edition, b).and_then(|(sheets, doc)| {
                    let name = format!("{file_name} {sheets}");
                    crate::narrative::check_narrative(edition, b, None, &doc, &name).ok()
                });
            let narrative_errors = narrative.as_ref().map_or(0, |c| {
                c.findings()
                    .filter(|f| f.severity == Severity::Error)
                    .count()
            });
            let narrative_json = narrative.map(|c| {
                findings.extend(c.findings().map(JsonFinding::from));
                c.json()
            });
            let errors = errors + narrative_errors;
            let status = match (errors, warnings) {
                (0, 0) => "passed",
                (0, _) => "warnings",
                _ => "errors",
            };
            let first = findings
                .iter()
                .find(|f| f.severity == Severity::Error)
                .or(findings.first())
                .map(|f| f.message.clone());
            let file = JsonFile {
                file: file_name.to_owned(),
                unit_code: (!b.code.is_empty()).then(|| b.code.clone()),
                error: None,
                findings,
                narrative: narrative_json,
            };
            let result = UploadResult {
                status: status.to_owned(),
                errors: errors as i64,
                warnings: warnings as i64,
                first_finding: first,
                report: serde_json::to_string(&file).unwrap_or_default(),
                workbook: Some(format!("{out}/官方公开表.xlsx")),
                preview: Some(super::preview::preview(edition, b, options)),
            };
            (result, file)
        }
        Err(failure) => {
            // Named as the unit named it: the stored name is the server's own.
            let reason = match failure {
                Failure::Read(e) => e
                    .to_string()
                    .replace(&path.display().to_string(), file_name),
                Failure::Write(e) => {
                    eprintln!("官方公开表无法写出：{e}");
                    "官方公开表无法写出，请稍后再试或联系财政部门".to_owned()
                }
            };
            unreadable(file_name, reason)
        }
    }
}

/// An upload that could not be read: its error, as stored and as answered.
fn unreadable(file_name: &str, reason: String) -> (UploadResult, JsonFile) {
    let file = JsonFile {
        file: file_name.to_owned(),
        unit_code: None,
        error: Some(reason.clone()),
        findings: Vec::new(),
        narrative: None,
    };
    let result = UploadResult {
        status: "unreadable".to_owned(),
        errors: 1,
        warnings: 0,
        first_finding: Some(reason),
        report: serde_json::to_string(&file).unwrap_or_default(),
        workbook: None,
        preview: None,
    };
    (result, file)
}

/// Whether a stored file is a 情况说明 (checked against the unit's tables), not a workbook.
pub(super) fn is_narrative(kind: &str) -> bool {
    matches!(kind, "docx" | "txt" | "md")
}

/// Reads a stored 情况说明 and checks it against the unit's newest readable workbook
/// (`workbook`, stored, and its name), as `check --narrative` does.
pub(super) fn read_narrative(
    edition: &Edition,
    reader: &dyn Reader,
    data: &Path,
    stored: &str,
    file_name: &str,
    workbook: Option<(&str, &str)>,
) -> (UploadResult, JsonFile) {
    let failed = |reason: String| unreadable(file_name, reason);
    let Some((book, book_name)) = workbook else {
        return failed(format!(
            "“{file_name}”是情况说明：请先上传（或同时上传）本单位的预算工作簿，情况说明按其中各表核对"
        ));
    };
    let budget = match reader.read(&[data.join(book)], book_name) {
        Ok(reading) => reading.budget,
        Err(e) => return failed(e.to_string()),
    };
    let path = data.join(stored);
    let document = match reader.read_document(&path) {
        Ok(d) => d,
        Err(e) => {
            return failed(
                e.to_string()
                    .replace(&path.display().to_string(), file_name),
            );
        }
    };
    match crate::narrative::check_narrative(edition, &budget, None, &document, file_name) {
        Ok(checked) => {
            let findings: Vec<JsonFinding> = checked.findings().map(JsonFinding::from).collect();
            let errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            let warnings = findings.len() - errors;
            let status = match (errors, warnings) {
                (0, 0) => "passed",
                (0, _) => "warnings",
                _ => "errors",
            };
            let file = JsonFile {
                file: file_name.to_owned(),
                unit_code: (!budget.code.is_empty()).then(|| budget.code.clone()),
                error: None,
                findings,
                narrative: Some(checked.json()),
            };
            let result = UploadResult {
                status: status.to_owned(),
                errors: errors as i64,
                warnings: warnings as i64,
                first_finding: file.findings.first().map(|f| f.message.clone()),
                report: serde_json::to_string(&file).unwrap_or_default(),
                workbook: None,
                preview: None,
            };
            (result, file)
        }
        Err(e) => failed(e.to_string()),
    }
}

/// The check's options of a round: exact, as `check` is by default.
pub(super) fn options() -> Options {
    check::Options::default()
}
