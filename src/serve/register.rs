//! A unit not on the department's list registers by its first upload, through the round's
//! public link (`/r/ROUND_TOKEN`, shown on the department's page): the workbook's 单位 line
//! names the unit, which gets its private link. A unit already in the round cannot be reached
//! this way: only its own link uploads for it.

use super::error::ApiError;
use super::state::{Received, Shared};
use super::{api, auth, intake, tokens};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{ConnectInfo, Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;

/// Whether `token` is the round's public link's.
fn is_round(state: &Shared, token: &str) -> Result<(), ApiError> {
    if tokens::same(token, &state.round_token()?) {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

/// `GET /r/TOKEN`: the registration page (an upload form).
pub(super) async fn page(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    is_round(&state, &token)?;
    Ok(super::pages::registration(&state, &headers, &token))
}

/// `POST /r/TOKEN/upload`: the first workbook of a unit not yet in the round.
pub(super) async fn upload(
    State(state): State<Shared>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(token): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    is_round(&state, &token)?;
    let multipart = multipart.map_err(|_| api::not_multipart())?;
    let (files, csrf) = api::receive(multipart, state.max_upload).await?;
    auth::form_checked(&headers, csrf.as_deref())?;
    let file = match <[Received; 1]>::try_from(files) {
        Ok([file]) => file,
        Err(_) => return Err(ApiError::bad_request("请上传本单位的一个预算工作簿")),
    };
    let kind = intake::sniff(&file.name, &file.bytes).map_err(|r| ApiError::unreadable(&r))?;
    if intake::is_narrative(kind) {
        return Err(ApiError::bad_request(
            "登记时请上传预算工作簿（情况说明可在登记后上传）",
        ));
    }
    // Whose workbook it is, read under the same limits before anything is stored.
    let s = state.clone();
    let bytes = file.bytes.clone();
    let name = file.name.clone();
    let who = tokio::task::spawn_blocking(move || -> Result<(String, String), String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join(format!("upload.{kind}"));
        std::fs::write(&path, &bytes).map_err(|e| e.to_string())?;
        let reading = s
            .reader
            .read(std::slice::from_ref(&path), &name)
            .map_err(|e| e.to_string().replace(&path.display().to_string(), &name))?;
        Ok((reading.budget.code, reading.budget.name))
    })
    .await
    .map_err(|_| ApiError::internal())?
    .map_err(|reason| ApiError::unreadable(&reason))?;
    let (code, name) = who;
    let known = state
        .store
        .units()?
        .into_iter()
        .any(|u| (!code.is_empty() && u.code == code) || (code.is_empty() && u.name == name));
    if known {
        return Err(ApiError::conflict(
            "本单位已在本轮报送名单中，请使用财政部门发给本单位的专用链接上传",
        ));
    }
    let address = from.ip().to_string();
    let unit = state.add_unit(&code, &name, &address)?;
    state.intake(&unit, vec![file], &address).await?;
    Ok(Redirect::to(&format!("/u/{}", unit.token)).into_response())
}
