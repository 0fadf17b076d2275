//! The server's state, shared by every request: the edition, the worker processes that read
//! uploads, the database, the data folder, the admin token — and what several routes do
//! with them (add a unit, list the units with their status, take in an upload).

use super::error::ApiError;
use super::records::{UnitRow, UploadRow};
use super::store::Store;
use super::{clock::now, intake, tokens};
use crate::edition::Edition;
use crate::worker::Reader;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

/// The state as every handler holds it.
pub(super) type Shared = Arc<ServerState>;

/// A unit as `GET /api/units` lists it.
#[derive(Debug, Serialize)]
pub(super) struct ListedUnit {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) status: &'static str,
    pub(super) errors: i64,
    pub(super) warnings: i64,
    pub(super) last_upload: Option<String>,
}

/// The status word of a unit by its newest upload: `missing`, `errors`, `warnings`, `passed`.
pub(super) fn status_of(latest: Option<&UploadRow>) -> &'static str {
    match latest.and_then(|u| u.status.as_deref()) {
        None => "missing",
        Some("passed") => "passed",
        Some("warnings") => "warnings",
        Some(_) => "errors",
    }
}

/// One uploaded file as received.
pub(super) struct Received {
    pub(super) name: String,
    pub(super) bytes: Vec<u8>,
}

/// What an upload request answers: the `check --format json` document of the files, and the
/// unit's status by them.
#[derive(Debug, Serialize)]
pub(super) struct UploadAnswer {
    pub(super) files: Vec<crate::check::report::JsonFile>,
    pub(super) status: &'static str,
}

/// The server's state, shared by every request.
pub(crate) struct ServerState {
    pub(super) edition: Edition,
    pub(super) reader: Box<dyn Reader + Send + Sync>,
    pub(super) store: Store,
    pub(super) data: PathBuf,
    pub(super) admin_token: String,
    pub(super) base: String,
    pub(super) max_upload: u64,
}

impl ServerState {
    pub(super) fn add_unit(
        &self,
        code: &str,
        name: &str,
        address: &str,
    ) -> Result<UnitRow, ApiError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ApiError::bad_request("单位名称不能为空"));
        }
        let token = tokens::new_token().map_err(|_| ApiError::internal())?;
        let at = now();
        let unit = self.store.add_unit(code.trim(), name, &token, &at)?;
        self.store.audit(
            &at,
            "admin",
            "add_unit",
            &crate::base::text::who(code, name),
            address,
        )?;
        Ok(unit)
    }

    /// The round's public link's token (a unit not on the list registers through it), made the
    /// first time it is asked for.
    pub(super) fn round_token(&self) -> Result<String, ApiError> {
        let mut failed = false;
        let token = self.store.setting_or("round_token", || {
            tokens::new_token().unwrap_or_else(|_| {
                failed = true;
                String::new()
            })
        })?;
        if failed || token.is_empty() {
            return Err(ApiError::internal());
        }
        Ok(token)
    }

    /// Whether the department has closed the round (uploads refused).
    pub(super) fn closed(&self) -> Result<bool, ApiError> {
        Ok(self.store.setting("closed")?.as_deref() == Some("1"))
    }

    pub(super) fn upload_url(&self, unit: &UnitRow) -> String {
        format!("{}/u/{}", self.base, unit.token)
    }

    pub(super) fn unit(&self, token: &str) -> Result<UnitRow, ApiError> {
        self.store
            .unit_by_token(token)?
            .ok_or_else(ApiError::not_found)
    }

    pub(super) fn listed_units(&self) -> Result<Vec<ListedUnit>, ApiError> {
        let latest = self.store.latest_uploads()?;
        Ok(self
            .store
            .units()?
            .into_iter()
            .map(|u| {
                let last = latest.iter().find(|l| l.unit_id == u.id);
                ListedUnit {
                    status: status_of(last),
                    errors: last.map_or(0, |l| l.errors),
                    warnings: last.map_or(0, |l| l.warnings),
                    last_upload: last.map(|l| l.at.clone()),
                    code: u.code,
                    name: u.name,
                }
            })
            .collect())
    }

    /// Sniffs, stores (durably, with its row) and reads each file of an upload.
    pub(super) async fn intake(
        self: &Arc<Self>,
        unit: &UnitRow,
        files: Vec<Received>,
        address: &str,
    ) -> Result<UploadAnswer, ApiError> {
        if self.closed()? {
            return Err(ApiError::forbidden(
                "本轮报送已截止，不再接收上传；如需更正请联系财政部门",
            ));
        }
        if files.is_empty() {
            return Err(ApiError::bad_request("没有收到文件：请选择要上传的工作簿"));
        }
        // Every file is sniffed before any is stored.
        let kinds: Vec<&'static str> = files
            .iter()
            .map(|f| intake::sniff(&f.name, &f.bytes))
            .collect::<Result<_, _>>()
            .map_err(|reason| ApiError::unreadable(&reason))?;
        let mut stored = Vec::with_capacity(files.len());
        for (file, kind) in files.into_iter().zip(kinds) {
            let data = self.data.clone();
            let bytes = file.bytes;
            let size = bytes.len() as u64;
            let relative =
                tokio::task::spawn_blocking(move || intake::store_file(&data, kind, &bytes))
                    .await
                    .map_err(|_| ApiError::internal())?
                    .map_err(|e| {
                        eprintln!("无法保存上传的文件：{e}");
                        ApiError::internal()
                    })?;
            let id =
                self.store
                    .add_upload(unit.id, &file.name, &relative, size, &now(), address)?;
            stored.push((id, relative, file.name));
        }
        let files = read_all(self, stored).await?;
        let errors = files.iter().any(|f| {
            f.error.is_some()
                || f.findings
                    .iter()
                    .any(|x| x.severity == crate::edition::Severity::Error)
        });
        let status = if errors {
            "errors"
        } else if files.iter().any(|f| !f.findings.is_empty()) {
            "warnings"
        } else {
            "passed"
        };
        Ok(UploadAnswer { files, status })
    }
}

/// The files' findings, read on blocking threads (the workers are processes).
pub(super) async fn read_all(
    state: &Shared,
    stored: Vec<(i64, String, String)>,
) -> Result<Vec<crate::check::report::JsonFile>, ApiError> {
    let mut out = Vec::with_capacity(stored.len());
    // Workbooks first: a 情况说明 sent with them is checked against them.
    let (narratives, workbooks): (Vec<_>, Vec<_>) = stored.into_iter().partition(|(_, path, _)| {
        let kind = std::path::Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        intake::is_narrative(kind)
    });
    for (id, path, name) in workbooks.into_iter().chain(narratives) {
        let s = state.clone();
        let unit_id = state.store.unit_of_upload(id)?;
        // The unit's newest workbook read (for a 情况说明), as stored and named.
        let book = state
            .store
            .uploads(unit_id)?
            .into_iter()
            .find(|u| u.workbook.is_some())
            .map(|u| (u.stored, u.file_name));
        let (result, file) = tokio::task::spawn_blocking(move || {
            let kind = std::path::Path::new(&path)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("");
            if intake::is_narrative(kind) {
                let book = book.as_ref().map(|(s, n)| (s.as_str(), n.as_str()));
                intake::read_narrative(&s.edition, s.reader.as_ref(), &s.data, &path, &name, book)
            } else {
                intake::read_upload(
                    &s.edition,
                    s.reader.as_ref(),
                    &intake::options(),
                    &s.data,
                    &path,
                    &name,
                )
            }
        })
        .await
        .map_err(|_| ApiError::internal())?;
        state.store.set_result(id, &result)?;
        out.push(file);
    }
    Ok(out)
}
