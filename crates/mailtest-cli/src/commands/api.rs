//! The JSON API's answers.

use std::time::Duration;

use mailtest::{Email, Outbox};
use serde_json::{Value, json};

use super::filters::{self, param};
use super::http::{Request, Response};
use super::json;
use super::web::{Server, number};

/// The longest `/api/wait` (seconds); longer asks are cut to it.
pub(crate) const MAX_WAIT_SECS: f64 = 300.0;
/// `/api/wait` without `timeout` (seconds).
const DEFAULT_WAIT_SECS: f64 = 30.0;

/// The email numbered `n`, if it is still in the outbox.
pub(crate) fn find(outbox: &Outbox, n: u64) -> Option<Email> {
    outbox.emails().into_iter().find(|email| email.sequence() == n)
}

fn summaries(emails: &[Email]) -> Value {
    emails.iter().map(json::summary).collect()
}

/// `GET /api/messages[?filters]`.
pub(crate) fn messages(server: &Server, request: &Request) -> Response {
    match filters::query(&server.outbox, &request.query, &[]) {
        Ok(query) => Response::json(200, &summaries(&query.all())),
        Err(why) => Response::error(400, &request.path, &why),
    }
}

/// `DELETE /api/messages`.
pub(crate) fn delete(server: &Server, _: &Request) -> Response {
    let deleted = server.feed.clear(&server.outbox);
    Response::json(200, &json!({ "deleted": deleted }))
}

fn email_of(server: &Server, request: &Request) -> Result<Email, Response> {
    let last = request.path.rsplit('/').next().unwrap_or_default();
    let n = number(last.strip_suffix(".eml").unwrap_or(last)).unwrap_or(0);
    find(&server.outbox, n).ok_or_else(|| {
        Response::error(404, &request.path, &format!("no email #{n} (numbers count from 1 in capture order)"))
    })
}

/// `GET /api/messages/{n}`.
pub(crate) fn message(server: &Server, request: &Request) -> Response {
    match email_of(server, request) {
        Ok(email) => Response::json(200, &json::detail(&email)),
        Err(response) => response,
    }
}

/// `GET /api/messages/{n}.eml`: the bytes as captured.
pub(crate) fn raw(server: &Server, request: &Request) -> Response {
    match email_of(server, request) {
        Ok(email) => Response::new(200, "message/rfc822", email.raw().to_vec())
            .header("Content-Disposition", format!("attachment; filename=\"{:02}.eml\"", email.sequence())),
        Err(response) => response,
    }
}

/// `GET /api/wait?[filters]&count=N&timeout=SECONDS`: returns as soon as
/// `count` emails (default 1) match, woken by their arrival; after
/// `timeout` (default 30 s, at most 300) answers 408 with the near-miss
/// report that `Query` gives.
pub(crate) fn wait(server: &Server, request: &Request) -> Response {
    let params = &request.query;
    let count = match param(params, "count").map(str::parse::<usize>) {
        None => 1,
        Some(Ok(count)) if count >= 1 => count,
        Some(_) => {
            return Response::error(
                400,
                &request.path,
                "count must be a whole number from 1 (for none, see /api/messages)",
            );
        }
    };
    let timeout = match param(params, "timeout").map(str::parse::<f64>) {
        None => DEFAULT_WAIT_SECS,
        Some(Ok(secs)) if secs.is_finite() && secs >= 0.0 => secs.min(MAX_WAIT_SECS),
        Some(_) => return Response::error(400, &request.path, "timeout must be a number of seconds, from 0"),
    };
    let query = match filters::query(&server.outbox, params, &["count", "timeout"]) {
        Ok(query) => query,
        Err(why) => return Response::error(400, &request.path, &why),
    };
    match query.within(Duration::from_secs_f64(timeout)).try_at_least(count) {
        Ok(matches) => Response::json(200, &summaries(&matches)),
        Err(failure) => {
            let report = failure.report();
            let headline = report.lines().next().unwrap_or_default();
            Response::json(408, &json!({ "error": headline, "report": report }))
        }
    }
}
