//! The HTML pages (maud: every text from a workbook or a form is escaped): the department's
//! page with the units and their status, and each unit's page to upload and see its findings.

use super::error::ApiError;
use super::records::UploadRow;
use super::state::{Shared, status_of};
use super::{api, auth, tokens};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{ConnectInfo, Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;
use std::net::SocketAddr;

/// The drag-and-drop script of the upload form (no framework: a dropped file goes into the
/// file input, and the form is sent).
const SCRIPT: &str = r#"document.querySelectorAll('[data-drop]').forEach(function (zone) {
  var input = zone.querySelector('input[type=file]');
  ['dragenter', 'dragover'].forEach(function (e) {
    zone.addEventListener(e, function (ev) { ev.preventDefault(); zone.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (e) {
    zone.addEventListener(e, function (ev) { ev.preventDefault(); zone.classList.remove('over'); });
  });
  zone.addEventListener('drop', function (ev) {
    input.files = ev.dataTransfer.files;
    zone.closest('form').submit();
  });
});
"#;

const STYLE: &str = "body{font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}\
th{background:#ddebf7;white-space:nowrap}td.errors,td.warnings,td.passed,td.missing{white-space:nowrap}.errors{color:#9c0006;font-weight:bold}.warnings{color:#9c6500}.passed{color:#006100}\
.missing{color:#777}[data-drop]{border:2px dashed #999;padding:1.5em;margin:1em 0;border-radius:6px}\
[data-drop].over{background:#fff9e5}button{font-size:1em;padding:.4em 1.2em}.note{color:#555}table.preview td,table.preview th{font-size:.85em}.flag-error{background:#ffc7ce}.flag-warning{background:#ffeb9c}";

/// A page with the server's look.
fn page(title: &str, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang="zh-CN" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) }
                    style { (maud::PreEscaped(STYLE)) }
                }
                body { h1 { (title) } (body) script src="/static/app.js" {} }
            }
        }
        .into_string(),
    )
}

/// The status word of a unit, in Chinese.
fn status_word(status: &str) -> &'static str {
    match status {
        "passed" => "通过",
        "warnings" => "仅警告",
        "errors" => "有错误",
        _ => "未报送",
    }
}

/// `GET /static/app.js`.
pub(super) async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

/// `GET /`: where to go.
pub(super) async fn home(State(state): State<Shared>) -> Html<String> {
    page(
        &format!("{}报送", state.edition.name),
        html! {
            p { "各单位请打开财政部门发送的专用报送链接上传预算工作簿；财政部门请使用启动时显示的管理链接。" }
        },
    )
}

/// A form's check token: the request's cookie, or a new one to set.
fn form_token(headers: &HeaderMap) -> (String, Option<String>) {
    match auth::cookie(headers, auth::CSRF_COOKIE).filter(|c| c.len() == 64) {
        Some(c) => (c.to_owned(), None),
        None => {
            let t = tokens::new_token().unwrap_or_default();
            (t.clone(), Some(t))
        }
    }
}

fn with_cookies(mut response: Response, cookies: &[String]) -> Response {
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// `?token=` of the admin link.
#[derive(Debug, Deserialize)]
pub(super) struct AdminQuery {
    token: Option<String>,
    status: Option<String>,
}

/// `GET /admin`: the link with the token sets the admin cookie and comes back without it in
/// the address; with the cookie, the round's units and their status.
pub(super) async fn admin(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<AdminQuery>,
) -> Result<Response, ApiError> {
    if let Some(token) = &query.token {
        if !tokens::same(token, &state.admin_token) {
            return Err(ApiError::forbidden("管理令牌不正确"));
        }
        let response = Redirect::to("/admin").into_response();
        return Ok(with_cookies(
            response,
            &[auth::set_cookie(auth::ADMIN_COOKIE, token)],
        ));
    }
    if !auth::admin_page(&headers, &state.admin_token) {
        return Err(ApiError::forbidden("请使用启动时显示的管理链接打开本页"));
    }
    let (csrf, new) = form_token(&headers);
    let units = state.listed_units()?;
    let all = state.store.units()?;
    let latest = state.store.latest_uploads()?;
    let shown: Vec<_> = units
        .iter()
        .zip(&all)
        .filter(|(u, _)| query.status.as_deref().is_none_or(|s| s == u.status))
        .collect();
    let count = |s: &str| units.iter().filter(|u| u.status == s).count();
    let closed = state.closed()?;
    let round = state.round_token()?;
    let department = (
        state.store.setting("department_code")?.unwrap_or_default(),
        state.store.setting("department_name")?.unwrap_or_default(),
    );
    let body = html! {
        p {
            "共 " (units.len()) " 个单位："
            @for (s, word) in [("missing", "未报送"), ("errors", "有错误"), ("warnings", "仅警告"), ("passed", "通过")] {
                a href={ "/admin?status=" (s) } { (word) " " (count(s)) } " "
            }
            a href="/admin" { "全部" }
        }
        table {
            tr { th { "单位代码" } th { "单位名称" } th { "状态" } th { "错误" } th { "警告" } th { "第一项" } th { "最近上传" } th { "报送链接" } }
            @for (u, row) in &shown {
                @let first = latest.iter().find(|l| l.unit_id == row.id).and_then(|l| l.first_finding.clone());
                tr {
                    td { (u.code) } td { (u.name) }
                    td class=(u.status) { (status_word(u.status)) }
                    td { (u.errors) } td { (u.warnings) }
                    td { (first.unwrap_or_default()) }
                    td { (u.last_upload.clone().unwrap_or_default()) }
                    td {
                        a href=(state.upload_url(row)) { "链接" }
                        form method="post" action={ "/admin/units/" (row.id) "/link" } style="display:inline" {
                            input type="hidden" name="csrf" value=(csrf);
                            " " button title="原链接立即失效" { "换新链接" }
                        }
                    }
                }
            }
        }
        h2 { "下载与汇总" }
        p {
            a href="/admin/summary.xlsx" { "下载汇总.xlsx" } "　"
            a href="/admin/workbooks.zip" { "下载各单位官方公开表（.zip）" } "　"
            a href="/admin/department.xlsx" { "下载汇总后的部门预算" }
            span class="note" { "（各单位均无错误时才能汇总）" }
        }
        form method="post" action="/admin/department" {
            input type="hidden" name="csrf" value=(csrf);
            label { "部门代码 " input name="code" value=(department.0); } " "
            label { "部门名称 " input name="name" value=(department.1) required; } " "
            button { "保存" }
        }
        @if closed {
            p class="errors" { "本轮报送已截止：不再接收上传。" }
        } @else {
            form method="post" action="/admin/close" {
                input type="hidden" name="csrf" value=(csrf);
                button { "截止本轮报送" } " " span class="note" { "截止后各单位不能再上传。" }
            }
        }
        h2 { "添加单位" }
        form method="post" action="/admin/units" {
            input type="hidden" name="csrf" value=(csrf);
            label { "单位代码 " input name="code"; } " "
            label { "单位名称 " input name="name" required; } " "
            button { "添加" }
        }
        h2 { "导入单位名单" }
        form method="post" action="/admin/import" enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(csrf);
            input type="file" name="file" accept=".csv,.xlsx,.xls,.ods";
            " " button { "导入" }
            span class="note" { " Excel 工作簿（第一张工作表）或 CSV 文件，第一行为列名“单位代码”“单位名称”；已有的单位代码不重复添加。" }
        }
        p class="note" {
            "每个单位有一个专用报送链接，请发送给该单位；单位只能看到自己的报送。未列入名单的单位可通过公开登记链接首次报送并自动登记："
            a href={ "/r/" (round) } { (state.base) "/r/" (round) }
        }
    };
    let response = page(&format!("{}报送 — 管理", state.edition.name), body).into_response();
    let cookies: Vec<String> = new
        .iter()
        .map(|t| auth::set_cookie(auth::CSRF_COOKIE, t))
        .collect();
    Ok(with_cookies(response, &cookies))
}

/// The round's registration page: a unit not on the list uploads its first workbook.
pub(super) fn registration(state: &Shared, headers: &HeaderMap, token: &str) -> Response {
    let (csrf, new) = form_token(headers);
    let body = html! {
        p { "本页供尚未列入报送名单的单位首次报送：上传本单位的预算工作簿，系统按工作簿中的单位自动登记，并转到本单位的专用报送页面（请收藏该页面地址）。" }
        form method="post" action={ "/r/" (token) "/upload" } enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(csrf);
            div data-drop {
                p { "把预算工作簿（.xlsx、.xls、.ods）拖到这里，或选择文件：" }
                input type="file" name="file" accept=".xlsx,.xlsm,.xls,.ods";
                " " button { "登记并上传" }
            }
        }
    };
    let response = page(&format!("{}报送 — 单位登记", state.edition.name), body).into_response();
    let cookies: Vec<String> = new
        .iter()
        .map(|t| auth::set_cookie(auth::CSRF_COOKIE, t))
        .collect();
    with_cookies(response, &cookies)
}

/// `GET /login`: the department's sign-in (where the server listens beyond this machine).
pub(super) async fn login(headers: HeaderMap) -> Response {
    let (csrf, new) = form_token(&headers);
    let body = html! {
        form method="post" action="/login" {
            input type="hidden" name="csrf" value=(csrf);
            label { "管理密码 " input type="password" name="password" required autofocus; }
            " " button { "登录" }
        }
        p class="note" { "管理密码在服务首次对其他计算机开放时显示一次；也可使用启动时显示的管理链接。" }
    };
    let response = page("财政部门登录", body).into_response();
    let cookies: Vec<String> = new
        .iter()
        .map(|t| auth::set_cookie(auth::CSRF_COOKIE, t))
        .collect();
    with_cookies(response, &cookies)
}

/// One finding of a stored report, as the page lists it.
fn findings_of(upload: &UploadRow) -> Vec<serde_json::Value> {
    upload
        .report
        .as_deref()
        .and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok())
        .and_then(|v| v["findings"].as_array().cloned())
        .unwrap_or_default()
}

/// `GET /u/TOKEN`: the unit's page.
pub(super) async fn unit(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let unit = state.unit(&token)?;
    let uploads = state.store.uploads(unit.id)?;
    let (csrf, new) = form_token(&headers);
    let latest = uploads.first();
    let status = status_of(latest);
    let body = html! {
        p { "单位：" strong { (api::unit_label(&unit)) } "　状态：" span class=(status) { (status_word(status)) } }
        form method="post" action={ "/u/" (token) "/upload" } enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(csrf);
            div data-drop {
                p { "把预算工作簿（.xlsx、.xls、.ods）和情况说明（.docx、.txt、.md，可选）拖到这里，或选择文件：" }
                input type="file" name="file" multiple accept=".xlsx,.xlsm,.xls,.ods,.docx,.txt,.md";
                " "
                button { "上传并校验" }
            }
        }
        @if let Some(last) = latest {
            h2 { "最近一次报送：" (last.file_name) "（" (last.at) "）" }
            @if let Some(path) = &last.workbook {
                @let _ = path;
                p { a href={ "/u/" (token) "/files/" (last.id) } { "下载官方公开表（.xlsx）" } }
            }
            @let findings = findings_of(last);
            @if findings.is_empty() {
                @if last.status.as_deref() == Some("unreadable") {
                    p class="errors" { "无法读取：" (last.first_finding.clone().unwrap_or_default()) }
                } @else {
                    p class="passed" { "未发现问题：各表合计与表间勾稽关系均相符。" }
                }
            } @else {
                p { "错误 " (last.errors) " 项，警告 " (last.warnings) " 项（最可能的原因排在最前）：" }
                table {
                    tr { th { "规则" } th { "级别" } th { "表" } th { "单元格" } th { "说明" } }
                    @for f in &findings {
                        @let severity = f["severity"].as_str().unwrap_or("");
                        tr {
                            td { (f["rule"].as_str().unwrap_or("")) }
                            td class=(if severity == "error" { "errors" } else { "warnings" }) {
                                (if severity == "error" { "错误" } else { "警告" })
                            }
                            td { (f["sheet"].as_str().unwrap_or("")) }
                            td { (f["cell"].as_str().unwrap_or("")) }
                            td { (f["message"].as_str().unwrap_or("")) }
                        }
                    }
                }
            }
            @if let Some(preview) = &last.preview {
                details {
                    summary { "查看各表（有问题的单元格已标出：红色为错误，黄色为警告，鼠标停留可看说明）" }
                    (maud::PreEscaped(preview))
                }
            }
            h2 { "报送记录" }
            table {
                tr { th { "时间" } th { "文件" } th { "状态" } th { "错误" } th { "警告" } }
                @for u in &uploads {
                    tr {
                        td { (u.at) } td { (u.file_name) }
                        td class=(status_of(Some(u))) { (status_word(status_of(Some(u)))) }
                        td { (u.errors) } td { (u.warnings) }
                    }
                }
            }
        }
        p class="note" { "以最新一次报送为准。本页链接是本单位专用的，请勿转发。" }
    };
    let response = page(&format!("{}报送", state.edition.name), body).into_response();
    let cookies: Vec<String> = new
        .iter()
        .map(|t| auth::set_cookie(auth::CSRF_COOKIE, t))
        .collect();
    Ok(with_cookies(response, &cookies))
}

/// `POST /u/TOKEN/upload`: the page's form; back to the page, which shows the findings.
pub(super) async fn unit_upload(
    State(state): State<Shared>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(token): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let unit = state.unit(&token)?;
    let multipart = multipart.map_err(|_| api::not_multipart())?;
    let (files, csrf) = api::receive(multipart, state.max_upload).await?;
    auth::form_checked(&headers, csrf.as_deref())?;
    state.intake(&unit, files, &from.ip().to_string()).await?;
    Ok(Redirect::to(&format!("/u/{token}")).into_response())
}
