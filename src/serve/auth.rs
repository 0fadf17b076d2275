//! Who may do what: the department by its admin token (a `Bearer` header for the API, a
//! cookie for the pages, set from the link printed at start), a unit by the token in its link;
//! every form carries a check token equal to a `SameSite=Strict` cookie (a page of another
//! site can neither read the cookie nor send it).

use super::error::ApiError;
use super::tokens;
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};

/// The admin cookie's name.
pub(super) const ADMIN_COOKIE: &str = "yusuan_admin";
/// The form-check cookie's name.
pub(super) const CSRF_COOKIE: &str = "yusuan_csrf";

/// A cookie's value from the request.
pub(super) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether an API call carries the admin token: 401 without one, 403 with another.
pub(super) fn admin_api(headers: &HeaderMap, admin: &str) -> Result<(), ApiError> {
    let given = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(ApiError::unauthorized)?;
    if tokens::same(given.trim(), admin) {
        Ok(())
    } else {
        Err(ApiError::forbidden("管理令牌不正确"))
    }
}

/// Whether a page request carries the admin cookie.
pub(super) fn admin_page(headers: &HeaderMap, admin: &str) -> bool {
    cookie(headers, ADMIN_COOKIE).is_some_and(|t| tokens::same(t, admin))
}

/// Whether a form's check token is the one of its cookie.
pub(super) fn form_checked(headers: &HeaderMap, field: Option<&str>) -> Result<(), ApiError> {
    match (cookie(headers, CSRF_COOKIE), field) {
        (Some(c), Some(f)) if !c.is_empty() && tokens::same(c, f) => Ok(()),
        _ => Err(ApiError::forbidden(
            "表单校验失败（页面已过期或来自其他网站），请刷新页面后重试",
        )),
    }
}

/// A `Set-Cookie` value: HTTP only, same site only, for the whole server.
pub(super) fn set_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_bearer_tokens_are_read_and_compared() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, "a=1; yusuan_csrf=xyz".parse().unwrap());
        assert_eq!(cookie(&h, CSRF_COOKIE), Some("xyz"));
        assert!(form_checked(&h, Some("xyz")).is_ok());
        assert!(form_checked(&h, Some("xy")).is_err());
        assert!(form_checked(&h, None).is_err());
        assert_eq!(admin_api(&h, "s").unwrap_err().status, 401);
        h.insert(AUTHORIZATION, "Bearer s".parse().unwrap());
        assert!(admin_api(&h, "s").is_ok());
        assert_eq!(admin_api(&h, "t").unwrap_err().status, 403);
    }
}
