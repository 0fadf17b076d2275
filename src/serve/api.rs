//! The JSON API under the pages, kept exactly as issue #23 names it:
//! `POST /api/units` and `GET /api/units` (admin, `Authorization: Bearer ADMIN_TOKEN`),
//! `POST /u/UNIT_TOKEN/api/uploads` (multipart, field `file`, one or more) and
//! `GET /u/UNIT_TOKEN/api/files/ID`; errors `{"error": "中文说明"}` with their status.

use super::auth;
use super::error::ApiError;
use super::records::UnitRow;
use super::state::{ListedUnit, Received, Shared, UploadAnswer};
use axum::Json;
use axum::body::Body;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

/// `POST /api/units`'s body.
#[derive(Debug, Deserialize)]
pub(super) struct NewUnit {
    #[serde(default)]
    code: String,
    name: String,
}

/// A unit as `POST /api/units` answers it.
#[derive(Debug, Serialize)]
struct CreatedUnit {
    code: String,
    name: String,
    upload_url: String,
}

/// Adds a unit and gives its private upload link.
pub(super) async fn create_unit(
    State(state): State<Shared>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    auth::admin_api(&headers, &state.admin_token)?;
    let unit: NewUnit = serde_json::from_slice(&body).map_err(|_| {
        ApiError::bad_request("请求体应为 JSON：{\"code\": \"单位代码\", \"name\": \"单位名称\"}")
    })?;
    let unit = state.add_unit(&unit.code, &unit.name, &from.ip().to_string())?;
    let body = CreatedUnit {
        upload_url: state.upload_url(&unit),
        code: unit.code,
        name: unit.name,
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Lists the units with their status.
pub(super) async fn list_units(
    State(state): State<Shared>,
    headers: HeaderMap,
) -> Result<Json<Vec<ListedUnit>>, ApiError> {
    auth::admin_api(&headers, &state.admin_token)?;
    Ok(Json(state.listed_units()?))
}

/// Receives the `file` fields of a multipart body (and its form-check field, if any), each
/// within the upload limit.
pub(super) async fn receive(
    mut multipart: Multipart,
    limit: u64,
) -> Result<(Vec<Received>, Option<String>), ApiError> {
    let mut files = Vec::new();
    let mut csrf = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::too_large(limit));
            }
            Err(_) => return Err(ApiError::bad_request("上传的内容不完整，请重新上传")),
        };
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::too_large(limit));
            }
            Err(_) => return Err(ApiError::bad_request("上传的内容不完整，请重新上传")),
        };
        match name.as_str() {
            "file" => {
                if bytes.len() as u64 > limit {
                    return Err(ApiError::too_large(limit));
                }
                // A file input left empty sends a part with no name and no bytes.
                if bytes.is_empty() && file_name.as_deref().unwrap_or("").is_empty() {
                    continue;
                }
                files.push(Received {
                    name: file_name.unwrap_or_else(|| "未命名.xlsx".to_owned()),
                    bytes: bytes.to_vec(),
                });
            }
            "csrf" => csrf = Some(String::from_utf8_lossy(&bytes).into_owned()),
            _ => {}
        }
    }
    Ok((files, csrf))
}

/// `POST /u/TOKEN/api/uploads`.
pub(super) async fn upload(
    State(state): State<Shared>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<UploadAnswer>, ApiError> {
    let unit = state.unit(&token)?;
    let multipart = multipart.map_err(|_| not_multipart())?;
    let (files, _) = receive(multipart, state.max_upload).await?;
    let answer = state.intake(&unit, files, &from.ip().to_string()).await?;
    if let Some(reason) = answer
        .files
        .iter()
        .find_map(|f| f.error.clone())
        .filter(|_| answer.files.iter().all(|f| f.error.is_some()))
    {
        return Err(ApiError::unreadable(&reason));
    }
    Ok(Json(answer))
}

/// `GET /u/TOKEN/api/files/ID`: the unit's own official workbook of upload ID; any other → 404.
pub(super) async fn file(
    State(state): State<Shared>,
    path: Result<Path<(String, i64)>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path((token, id)) = path.map_err(|_| ApiError::not_found())?;
    let unit = state.unit(&token)?;
    let upload = state
        .store
        .uploads(unit.id)?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or_else(ApiError::not_found)?;
    let relative = upload.workbook.ok_or_else(ApiError::not_found)?;
    let path = state.data.join(&relative);
    let bytes = tokio::task::spawn_blocking(move || std::fs::read(path))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(|_| ApiError::not_found())?;
    let name = format!(
        "{}-官方公开表.xlsx",
        crate::base::file_names::safe(&unit.name)
    );
    let disposition = format!(
        "attachment; filename=\"official.xlsx\"; filename*=UTF-8''{}",
        percent(&name)
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from(bytes),
    )
        .into_response())
}

/// What a request that is not a multipart upload is told.
pub(super) fn not_multipart() -> ApiError {
    ApiError::bad_request("请以 multipart/form-data 上传，文件字段名为 file")
}

/// A file name as a `filename*` parameter: every byte outside the unreserved set percent-coded.
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A unit's answer to the intake, reused by the page.
pub(super) fn unit_label(unit: &UnitRow) -> String {
    crate::base::text::who(&unit.code, &unit.name)
}
