//! The department's downloads: every unit's official workbook (its newest upload's) as one
//! .zip, the round's 汇总.xlsx as `batch` writes it, and the department merged from its units
//! as `merge` writes it (refused while a unit's budget has errors, as `merge` refuses).

use super::error::ApiError;
use super::state::Shared;
use super::{auth, export};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use std::io::Write as _;

/// An attachment answer.
fn attachment(bytes: Vec<u8>, content_type: &'static str, ascii_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii_name}\""),
            ),
        ],
        Body::from(bytes),
    )
        .into_response()
}

/// `GET /admin/workbooks.zip`: `CODE-NAME.xlsx` for every unit whose newest upload was read.
pub(super) async fn workbooks(
    State(state): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !auth::admin_page(&headers, &state.admin_token) {
        return Err(ApiError::forbidden("请使用启动时显示的管理链接打开本页"));
    }
    let units = state.store.units()?;
    let latest = state.store.latest_uploads()?;
    let data = state.data.clone();
    let bytes = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<u8>> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for unit in &units {
            let Some(book) = latest
                .iter()
                .find(|u| u.unit_id == unit.id)
                .and_then(|u| u.workbook.clone())
            else {
                continue;
            };
            let name = crate::base::file_names::entity(&unit.code, &unit.name);
            zip.start_file(format!("{name}.xlsx"), options)
                .map_err(std::io::Error::other)?;
            zip.write_all(&std::fs::read(data.join(book))?)?;
        }
        Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
    })
    .await
    .map_err(|_| ApiError::internal())?
    .map_err(|e| {
        eprintln!("无法打包官方公开表：{e}");
        ApiError::internal()
    })?;
    Ok(attachment(bytes, "application/zip", "workbooks.zip"))
}

/// `GET /admin/summary.xlsx`: the round read as `batch` reads a folder, its 汇总.xlsx.
pub(super) async fn summary(
    State(state): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !auth::admin_page(&headers, &state.admin_token) {
        return Err(ApiError::forbidden("请使用启动时显示的管理链接打开本页"));
    }
    let s = state.clone();
    let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, ApiError> {
        let out = tempfile::tempdir().map_err(|_| ApiError::internal())?;
        let outdir = out.path().join("round");
        let options = crate::batch::Options {
            jobs: 1,
            formats: crate::convert::Formats {
                xlsx: false,
                csv: false,
                json: false,
            },
            check: super::intake::options(),
            duplicates: crate::read::Duplicates::Newest,
            department: None,
        };
        match export::export(&s.edition, s.reader.as_ref(), &s.data, &outdir, &options) {
            Ok(_) => std::fs::read(outdir.join(format!("{}.xlsx", crate::batch::SUMMARY_SHEET)))
                .map_err(|_| ApiError::internal()),
            Err(export::ExportError::Nothing) => Err(ApiError::not_found()),
            Err(e) => {
                eprintln!("无法生成汇总：{e}");
                Err(ApiError::internal())
            }
        }
    })
    .await
    .map_err(|_| ApiError::internal())??;
    Ok(attachment(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "summary.xlsx",
    ))
}

/// `GET /admin/department.xlsx`: the units' newest uploads merged as the department (its code
/// and name as the department gave them on its page).
pub(super) async fn department(
    State(state): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !auth::admin_page(&headers, &state.admin_token) {
        return Err(ApiError::forbidden("请使用启动时显示的管理链接打开本页"));
    }
    let code = state.store.setting("department_code")?.unwrap_or_default();
    let name = state.store.setting("department_name")?.unwrap_or_default();
    if name.is_empty() {
        return Err(ApiError::conflict("请先在管理页面填写部门代码和部门名称"));
    }
    let latest = state.store.latest_uploads()?;
    if latest
        .iter()
        .any(|u| u.status.as_deref() != Some("passed") && u.status.as_deref() != Some("warnings"))
    {
        return Err(ApiError::conflict(
            "有单位的预算有错误或无法读取，暂不能汇总；请待各单位改正后再下载",
        ));
    }
    if latest.is_empty() {
        return Err(ApiError::conflict("还没有单位报送，没有可汇总的内容"));
    }
    let s = state.clone();
    let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, ApiError> {
        let inputs: Vec<std::path::PathBuf> =
            latest.iter().map(|u| s.data.join(&u.stored)).collect();
        let request = crate::merge::Request {
            inputs: &inputs,
            code: &code,
            name: &name,
            jobs: 2,
            check: super::intake::options(),
            allow_errors: false,
        };
        let out = tempfile::tempdir().map_err(|_| ApiError::internal())?;
        let stem = request.stem();
        let target = crate::convert::Target {
            dir: out.path(),
            stem: &stem,
            formats: crate::convert::Formats {
                xlsx: true,
                csv: false,
                json: false,
            },
            mode: crate::base::output::WriteMode::Atomic,
            inputs: &inputs,
        };
        match crate::merge::run(&s.edition, s.reader.as_ref(), &request, &target, |_| {}) {
            Ok(_) => std::fs::read(out.path().join(format!("{stem}.xlsx")))
                .map_err(|_| ApiError::internal()),
            Err(e) => Err(ApiError::conflict(&e.to_string())),
        }
    })
    .await
    .map_err(|_| ApiError::internal())??;
    Ok(attachment(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "department.xlsx",
    ))
}
