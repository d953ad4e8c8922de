//! The commands added to `mailtest` for seeing the mail: the web UI and JSON
//! API of `serve --http`, `assert`, and `show --html`.

pub(crate) mod api;
pub(crate) mod assert_cmd;
pub(crate) mod client;
pub(crate) mod events;
pub(crate) mod filters;
pub(crate) mod follow;
pub(crate) mod http;
pub(crate) mod json;
pub(crate) mod show_html;
pub(crate) mod web;
