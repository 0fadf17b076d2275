//! The rows the server keeps: a unit, an upload with its result.

/// A unit of the round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    /// Its row id.
    pub id: i64,
    /// 单位代码 (may be empty where the edition names units by name).
    pub code: String,
    /// 单位名称.
    pub name: String,
    /// Its private token (the upload link's last part).
    pub token: String,
}

/// An upload and, once read, its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRow {
    /// Its row id (the `ID` of `/api/files/ID`).
    pub id: i64,
    /// The unit's row id.
    pub unit_id: i64,
    /// The file's name as the client gave it (shown, never used as a path).
    pub file_name: String,
    /// Where it is stored, relative to the data folder (a generated name).
    pub stored: String,
    /// When, as RFC 3339 UTC.
    pub at: String,
    /// `errors`, `warnings`, `passed` or `unreadable`; `None` while being read.
    pub status: Option<String>,
    /// Its errors and warnings.
    pub errors: i64,
    /// Its warnings.
    pub warnings: i64,
    /// The first finding (the likely cause first), or why it could not be read.
    pub first_finding: Option<String>,
    /// The `check --format json` entry of the file.
    pub report: Option<String>,
    /// The official workbook written, relative to the data folder.
    pub workbook: Option<String>,
    /// The tables as HTML, findings marked.
    pub preview: Option<String>,
}

/// What reading an upload found, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadResult {
    /// `errors`, `warnings`, `passed` or `unreadable`.
    pub status: String,
    /// Errors.
    pub errors: i64,
    /// Warnings.
    pub warnings: i64,
    /// The first finding, or why it could not be read.
    pub first_finding: Option<String>,
    /// The `check --format json` entry of the file.
    pub report: String,
    /// The official workbook, relative to the data folder.
    pub workbook: Option<String>,
    /// The tables as HTML, findings marked.
    pub preview: Option<String>,
}

pub(super) fn unit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UnitRow> {
    Ok(UnitRow {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        token: r.get(3)?,
    })
}

pub(super) fn upload_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UploadRow> {
    Ok(UploadRow {
        id: r.get(0)?,
        unit_id: r.get(1)?,
        file_name: r.get(2)?,
        at: r.get(3)?,
        status: r.get(4)?,
        errors: r.get(5)?,
        warnings: r.get(6)?,
        first_finding: r.get(7)?,
        report: r.get(8)?,
        workbook: r.get(9)?,
        stored: r.get(10)?,
        preview: r.get(11)?,
    })
}
