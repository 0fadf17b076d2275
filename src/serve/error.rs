//! What the server answers when something is wrong: a status and `{"error": "中文说明"}` —
//! never a stack trace or a panic's text.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An answer that is not a success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, in Chinese.
    pub message: String,
}

impl ApiError {
    /// 401: no token where one is needed.
    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "需要管理令牌（Authorization: Bearer …）",
        )
    }

    /// 403: a token that is not the round's, or a form without its check.
    pub fn forbidden(message: &str) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }

    /// 404: nothing here for this token.
    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "没有找到：链接不正确，或已失效")
    }

    /// 413: an upload over the limit.
    pub fn too_large(limit: u64) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "上传的文件超过 {} MB 的上限，请检查是否选错了文件",
                limit / (1024 * 1024)
            ),
        )
    }

    /// 422: an upload that is not a workbook, or cannot be read.
    pub fn unreadable(message: &str) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 409: what the round's state does not allow yet.
    pub fn conflict(message: &str) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, message)
    }

    /// 400: a request that says too little.
    pub fn bad_request(message: &str) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    /// 500: the server's own failure, its detail kept out of the answer.
    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "服务器内部错误，请稍后再试或联系财政部门",
        )
    }

    fn new(status: StatusCode, message: &str) -> ApiError {
        ApiError {
            status,
            message: message.to_owned(),
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> ApiError {
        eprintln!("数据库错误：{e}");
        ApiError::internal()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message });
        (self.status, Json(body)).into_response()
    }
}
