//! The commands added to `mailtest` for seeing the mail: the web UI and JSON
//! API of `serve --http` over the mailroom, `assert`, and `show --html`.

pub(crate) mod api;
pub(crate) mod assert_cmd;
pub(crate) mod client;
pub(crate) mod events;
pub(crate) mod filters;
pub(crate) mod hangup;
pub(crate) mod http;
pub(crate) mod json;
pub(crate) mod mail_dir;
pub(crate) mod mailroom;
pub(crate) mod namespace;
pub(crate) mod search;
pub(crate) mod show_html;
pub(crate) mod web;
pub(crate) mod workers;
