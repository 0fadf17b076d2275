//! `yusuan serve`: the collection round as a web application. Units upload their workbooks
//! through a private link and see their findings at once; the department watches the round.
//! Everything is kept in one data folder (`yusuan.db`, SQLite, and the stored files);
//! uploads are read by the same worker processes, under the same limits, as `check` reads.
//!
//! One file per part: `store.rs` the database, `tokens.rs` the secrets, `auth.rs` who may do
//! what, `intake.rs` an upload from bytes to findings, `api.rs` the JSON API, `pages.rs` the
//! HTML pages, `error.rs` the error answers, `clock.rs` the records' time.

mod api;
mod auth;
mod clock;
mod downloads;
mod error;
mod export;
mod forms;
mod intake;
mod pages;
mod password;
mod preview;
mod records;
mod register;
mod state;
mod store;
mod tokens;

pub use clock::now;
pub use error::ApiError;
pub use export::{ExportError, export};
pub use intake::sniff;
pub use store::Store;

use crate::edition::Edition;
use crate::worker::Reader;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use state::{ServerState, Shared};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How the server is started.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The data folder (`./yusuan-data`).
    pub data: PathBuf,
    /// The address to listen on (`127.0.0.1:8080`; port 0: any free port).
    pub listen: SocketAddr,
    /// The largest upload accepted, in bytes (20 MB).
    pub max_upload: u64,
}

/// What a started server tells: where it listens, and the department's link.
#[derive(Debug, Clone)]
pub struct Started {
    /// `http://ADDR`.
    pub base: String,
    /// `http://ADDR/admin?token=ADMIN_TOKEN`.
    pub admin_url: String,
    /// The department's password, made up at the first start that listens beyond this machine:
    /// shown this once (only its hash is kept).
    pub new_password: Option<String>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The data folder or its database.
    #[error("数据目录 {path} 无法使用：{reason}")]
    Data {
        /// The folder.
        path: String,
        /// Why.
        reason: String,
    },
    /// The address.
    #[error("无法在 {address} 上监听：{reason}（端口可能已被占用，可用 --listen 换一个）")]
    Listen {
        /// The address.
        address: SocketAddr,
        /// Why.
        reason: String,
    },
}

/// The application's routes.
fn router(state: Shared) -> Router {
    let limit = usize::try_from(state.max_upload)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
    Router::new()
        .route("/", get(pages::home))
        .route("/admin", get(pages::admin))
        .route("/login", get(pages::login).post(forms::login))
        .route("/admin/units", post(forms::admin_add_unit))
        .route("/admin/units/{id}/link", post(forms::admin_new_link))
        .route("/admin/import", post(forms::admin_import))
        .route("/admin/close", post(forms::admin_close))
        .route("/admin/workbooks.zip", get(downloads::workbooks))
        .route("/admin/summary.xlsx", get(downloads::summary))
        .route("/admin/department.xlsx", get(downloads::department))
        .route("/admin/department", post(forms::admin_department))
        .route("/r/{token}", get(register::page))
        .route("/r/{token}/upload", post(register::upload))
        .route("/u/{token}", get(pages::unit))
        .route("/u/{token}/upload", post(pages::unit_upload))
        .route("/u/{token}/files/{id}", get(api::file))
        .route("/static/app.js", get(pages::script))
        .route("/api/units", post(api::create_unit).get(api::list_units))
        .route("/u/{token}/api/uploads", post(api::upload))
        .route("/u/{token}/api/files/{id}", get(api::file))
        .layer(DefaultBodyLimit::max(limit))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(ApiError::internal())
        }))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_secs(300),
        ))
        .with_state(state)
}

/// Opens the data folder and its database, and the admin token (made the first time).
fn open_data(data: &Path) -> Result<(Store, String), ServeError> {
    let fail = |reason: String| ServeError::Data {
        path: data.display().to_string(),
        reason,
    };
    std::fs::create_dir_all(data).map_err(|e| fail(e.to_string()))?;
    let store = Store::open(&data.join("yusuan.db")).map_err(|e| fail(e.to_string()))?;
    let mut failed = None;
    let admin = store
        .setting_or("admin_token", || {
            tokens::new_token().unwrap_or_else(|e| {
                failed = Some(e.to_string());
                String::new()
            })
        })
        .map_err(|e| fail(e.to_string()))?;
    match failed {
        Some(reason) => Err(fail(reason)),
        None => Ok((store, admin)),
    }
}

/// The department's password: none yet, one is made up, its hash stored, and it is returned
/// to be shown once.
fn ensure_password(store: &Store) -> Result<Option<String>, String> {
    if store
        .setting("admin_password")
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Ok(None);
    }
    let password = password::new_password().map_err(|e| e.to_string())?;
    let hash = password::hash(&password).ok_or("无法生成管理密码")?;
    store
        .set_setting("admin_password", &hash)
        .map_err(|e| e.to_string())?;
    Ok(Some(password))
}

/// Runs the server until the process is stopped; `started` is told where it listens first.
///
/// # Errors
///
/// A [`ServeError`] when the data folder or the address cannot be used.
pub fn run(
    edition: Edition,
    reader: Box<dyn Reader + Send + Sync>,
    options: &ServeOptions,
    started: impl FnOnce(&Started),
) -> Result<(), ServeError> {
    let (store, admin_token) = open_data(&options.data)?;
    // Reachable from other machines: the department signs in with a password too.
    let new_password = if options.listen.ip().is_loopback() {
        None
    } else {
        ensure_password(&store).map_err(|reason| ServeError::Data {
            path: options.data.display().to_string(),
            reason,
        })?
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Listen {
            address: options.listen,
            reason: e.to_string(),
        })?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|e| ServeError::Listen {
                address: options.listen,
                reason: e.to_string(),
            })?;
        let address = listener.local_addr().map_err(|e| ServeError::Listen {
            address: options.listen,
            reason: e.to_string(),
        })?;
        let base = format!("http://{address}");
        started(&Started {
            admin_url: format!("{base}/admin?token={admin_token}"),
            base: base.clone(),
            new_password,
        });
        let state = Arc::new(ServerState {
            edition,
            reader,
            store,
            data: options.data.clone(),
            admin_token,
            base,
            max_upload: options.max_upload,
        });
        let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app)
            .await
            .map_err(|e| ServeError::Listen {
                address,
                reason: e.to_string(),
            })
    })
}
