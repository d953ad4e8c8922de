//! What the shop's tests share. Each test binary uses part of it.
#![allow(dead_code)]

pub mod http;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

/// Where the links in the emails of a test's shop point.
pub const BASE_URL: &str = "https://shop.example.com";

/// Sends `POST path` with a JSON body to the app in this task (no server,
/// no socket): the handler runs inside the test's own future.
pub async fn post(app: &Router, path: &str, json: serde_json::Value) -> StatusCode {
    let request = Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(json.to_string()))
        .unwrap();
    app.clone().oneshot(request).await.unwrap().status()
}

/// Sends `GET` for a link from an email (its path and query) to the app.
pub async fn follow(app: &Router, link: &str) -> StatusCode {
    let path = link.strip_prefix(BASE_URL).unwrap_or_else(|| panic!("{link} is not a link to {BASE_URL}"));
    app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap().status()
}
