//! The department's forms: add a unit, import a list of units (CSV of 单位代码, 单位名称),
//! give a unit a new link (the old one stops working), close the round. Each needs the admin
//! cookie and the form's check token.

use super::error::ApiError;
use super::state::Shared;
use super::{api, auth};
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Form, Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::net::SocketAddr;

/// The department may use these forms.
fn admin(state: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    if auth::admin_page(headers, &state.admin_token) {
        Ok(())
    } else {
        Err(ApiError::forbidden("请使用启动时显示的管理链接打开本页"))
    }
}

/// The add-unit form.
#[derive(Debug, Deserialize)]
pub(super) struct UnitForm {
    csrf: Option<String>,
    #[serde(default)]
    code: String,
    name: String,
}

/// `POST /admin/units`.
pub(super) async fn admin_add_unit(
    State(state): State<Shared>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<UnitForm>, FormRejection>,
) -> Result<Response, ApiError> {
    admin(&state, &headers)?;
    let Form(form) = form.map_err(|_| ApiError::bad_request("表单内容不完整：请填写单位名称"))?;
    auth::form_checked(&headers, form.csrf.as_deref())?;
    state.add_unit(&form.code, &form.name, &from.ip().to_string())?;
    Ok(Redirect::to("/admin").into_response())
}

/// A form with its check token alone.
#[derive(Debug, Deserialize)]
pub(super) struct CheckedForm {
    csrf: Option<String>,
}

/// `POST /admin/close`: the round closed; uploads are refused after.
pub(super) async fn admin_close(
    State(state): State<Shared>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<CheckedForm>, FormRejection>,
) -> Result<Response, ApiError> {
    admin(&state, &headers)?;
    let csrf = form.ok().and_then(|Form(f)| f.csrf);
    auth::form_checked(&headers, csrf.as_deref())?;
    state.store.set_setting("closed", "1")?;
    let at = super::clock::now();
    state
        .store
        .audit(&at, "admin", "close", "", &from.ip().to_string())?;
    Ok(Redirect::to("/admin").into_response())
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub(super) struct LoginForm {
    csrf: Option<String>,
    password: String,
}

/// `POST /login`: the department's password (where one is set) gives the admin cookie.
pub(super) async fn login(
    State(state): State<Shared>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let Form(form) = form.map_err(|_| ApiError::bad_request("请填写管理密码"))?;
    auth::form_checked(&headers, form.csrf.as_deref())?;
    let hash = state.store.setting("admin_password")?;
    let at = super::clock::now();
    let address = from.ip().to_string();
    let right = match hash {
        Some(hash) => {
            tokio::task::spawn_blocking(move || super::password::verify(&form.password, &hash))
                .await
                .map_err(|_| ApiError::internal())?
        }
        None => false,
    };
    state.store.audit(
        &at,
        "admin",
        if right { "login" } else { "login_refused" },
        "",
        &address,
    )?;
    if !right {
        return Err(ApiError::forbidden("管理密码不正确"));
    }
    let mut response = Redirect::to("/admin").into_response();
    if let Ok(v) =
        axum::http::HeaderValue::from_str(&auth::set_cookie(auth::ADMIN_COOKIE, &state.admin_token))
    {
        response
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, v);
    }
    Ok(response)
}

/// The department form.
#[derive(Debug, Deserialize)]
pub(super) struct DepartmentForm {
    csrf: Option<String>,
    #[serde(default)]
    code: String,
    name: String,
}

/// `POST /admin/department`: the department's code and name, for its merged budget.
pub(super) async fn admin_department(
    State(state): State<Shared>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<DepartmentForm>, FormRejection>,
) -> Result<Response, ApiError> {
    admin(&state, &headers)?;
    let Form(form) = form.map_err(|_| ApiError::bad_request("请填写部门名称"))?;
    auth::form_checked(&headers, form.csrf.as_deref())?;
    state
        .store
        .set_setting("department_code", form.code.trim())?;
    state
        .store
        .set_setting("department_name", form.name.trim())?;
    let at = super::clock::now();
    let who = crate::base::text::who(form.code.trim(), form.name.trim());
    state
        .store
        .audit(&at, "admin", "department", &who, &from.ip().to_string())?;
    Ok(Redirect::to("/admin").into_response())
}

/// `POST /admin/units/ID/link`: the unit's link replaced by a new one.
pub(super) async fn admin_new_link(
    State(state): State<Shared>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Result<Form<CheckedForm>, FormRejection>,
) -> Result<Response, ApiError> {
    admin(&state, &headers)?;
    let csrf = form.ok().and_then(|Form(f)| f.csrf);
    auth::form_checked(&headers, csrf.as_deref())?;
    let token = super::tokens::new_token().map_err(|_| ApiError::internal())?;
    if !state.store.replace_token(id, &token)? {
        return Err(ApiError::not_found());
    }
    let at = super::clock::now();
    state.store.audit(
        &at,
        "admin",
        "new_link",
        &id.to_string(),
        &from.ip().to_string(),
    )?;
    Ok(Redirect::to("/admin").into_response())
}

/// `POST /admin/import`: units from a workbook's first sheet (read by the worker processes) or a
/// CSV (UTF-8, with or without BOM, or GBK as Excel saves it on Chinese Windows) whose first
/// row names 单位代码 and 单位名称; a code already in the round is left as it is.
pub(super) async fn admin_import(
    State(state): State<Shared>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    admin(&state, &headers)?;
    let multipart = multipart.map_err(|_| api::not_multipart())?;
    let (files, csrf) = api::receive(multipart, state.max_upload).await?;
    auth::form_checked(&headers, csrf.as_deref())?;
    let file = files
        .first()
        .ok_or_else(|| ApiError::bad_request("没有收到单位名单文件"))?;
    let units = match super::intake::sniff(&file.name, &file.bytes) {
        // A workbook: its first sheet, read by the worker processes under their limits.
        Ok(kind) if !super::intake::is_narrative(kind) => {
            let s = state.clone();
            let bytes = file.bytes.clone();
            let name = file.name.clone();
            tokio::task::spawn_blocking(move || -> Result<Vec<(String, String)>, String> {
                let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
                let path = dir.path().join(format!("units.{kind}"));
                std::fs::write(&path, &bytes).map_err(|e| e.to_string())?;
                let rows = s
                    .reader
                    .read_rows(&path)
                    .map_err(|e| e.to_string().replace(&path.display().to_string(), &name))?;
                units_of(&rows)
            })
            .await
            .map_err(|_| ApiError::internal())?
        }
        _ => csv_rows(&file.bytes).and_then(|rows| units_of(&rows)),
    }
    .map_err(|reason| ApiError::unreadable(&reason))?;
    let known: Vec<String> = state.store.units()?.into_iter().map(|u| u.code).collect();
    let address = from.ip().to_string();
    for (code, name) in units {
        if !code.is_empty() && known.contains(&code) {
            continue;
        }
        state.add_unit(&code, &name, &address)?;
    }
    Ok(Redirect::to("/admin").into_response())
}

/// The rows of a CSV unit list (UTF-8, with or without BOM, or GBK).
fn csv_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    };
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .enumerate()
        .map(|(line, record)| {
            record
                .map(|r| r.iter().map(str::to_owned).collect())
                .map_err(|_| format!("单位名单第 {} 行无法读取", line + 1))
        })
        .collect()
}

/// The (单位代码, 单位名称) of a unit list's rows: the first row names the columns.
fn units_of(rows: &[Vec<String>]) -> Result<Vec<(String, String)>, String> {
    let header = rows.first().map(Vec::as_slice).unwrap_or_default();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| crate::base::text::compact(h) == name)
    };
    let (Some(code), Some(name)) = (column("单位代码"), column("单位名称")) else {
        return Err("单位名单的第一行应为列名“单位代码”“单位名称”".to_owned());
    };
    let get = |row: &[String], i: usize| row.get(i).map_or(String::new(), |s| s.trim().to_owned());
    Ok(rows[1..]
        .iter()
        .filter(|row| !get(row, name).is_empty())
        .map(|row| (get(row, code), get(row, name)))
        .collect())
}

/// The units of a CSV unit list.
#[cfg(test)]
fn unit_list(bytes: &[u8]) -> Result<Vec<(String, String)>, String> {
    csv_rows(bytes).and_then(|rows| units_of(&rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_list_is_read_in_utf_8_or_gbk_by_its_header() {
        let utf8 = "\u{feff}序号,单位代码,单位名称\n1,313603,某中心\n2,,某院\n3,313605,\n";
        assert_eq!(
            unit_list(utf8.as_bytes()).unwrap(),
            [
                ("313603".to_owned(), "某中心".to_owned()),
                (String::new(), "某院".to_owned())
            ]
        );
        let (gbk, _, _) = encoding_rs::GB18030.encode("单位代码,单位名称\n313603,某中心\n");
        assert_eq!(unit_list(&gbk).unwrap()[0].1, "某中心");
        assert!(
            unit_list(b"code,name\n1,a\n")
                .unwrap_err()
                .contains("单位代码")
        );
    }
}
