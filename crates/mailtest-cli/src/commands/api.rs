//! The JSON API's answers, each for the namespace its path names.

use std::time::Duration;

use mailtest::{Email, Outbox};
use serde_json::{Value, json};

use super::filters::{self, param};
use super::http::Response;
use super::json;
use super::web::{Asked, Server, requested_number};

/// The longest `/api/wait` (seconds); a longer one is refused (400).
pub(crate) const MAX_WAIT_SECS: f64 = 300.0;
/// `/api/wait` without `timeout` (seconds).
const DEFAULT_WAIT_SECS: f64 = 30.0;

/// The email numbered `n`, if it is still in the outbox.
pub(crate) fn find(outbox: &Outbox, n: u64) -> Option<Email> {
    outbox.emails().into_iter().find(|email| email.sequence() == n)
}

/// 404 for an email that is not (or no longer) there.
pub(crate) fn no_such_email(asked: &Asked<'_>, n: u64) -> Response {
    let why = format!(
        "no email #{n} in namespace {:?} (numbers count from 1 in capture order, and a deleted email's is not reused)",
        asked.ns
    );
    Response::error(404, &asked.request.path, &why)
}

fn summaries(emails: &[Email]) -> Value {
    emails.iter().map(json::summary).collect()
}

/// `GET /api/messages[?filters][&q=search]`.
pub(crate) fn messages(server: &Server, asked: &Asked<'_>) -> Response {
    match filters::query(&server.mailroom.outbox(&asked.ns), &asked.request.query, &[]) {
        Ok(query) => Response::json(200, &summaries(&query.all())),
        Err(why) => Response::error(400, &asked.request.path, &why),
    }
}

/// `DELETE /api/messages`: the namespace's mail.
pub(crate) fn clear(server: &Server, asked: &Asked<'_>) -> Response {
    match server.mailroom.clear(&asked.ns) {
        Ok(deleted) => Response::json(200, &json!({ "deleted": deleted })),
        Err(why) => Response::error(500, &asked.request.path, &why),
    }
}

/// `DELETE /api/messages/{n}`.
pub(crate) fn delete(server: &Server, asked: &Asked<'_>) -> Response {
    let n = requested_number(asked.request);
    match server.mailroom.delete(&asked.ns, n) {
        Ok(true) => Response::json(200, &json!({ "deleted": 1 })),
        Ok(false) => no_such_email(asked, n),
        Err(why) => Response::error(500, &asked.request.path, &why),
    }
}

fn email_of(server: &Server, asked: &Asked<'_>) -> Result<Email, Response> {
    let n = requested_number(asked.request);
    find(&server.mailroom.outbox(&asked.ns), n).ok_or_else(|| no_such_email(asked, n))
}

/// `GET /api/messages/{n}`.
pub(crate) fn message(server: &Server, asked: &Asked<'_>) -> Response {
    match email_of(server, asked) {
        Ok(email) => Response::json(200, &json::detail(&email)),
        Err(response) => response,
    }
}

/// `GET /api/messages/{n}.eml` (and the pages' `m/{NN}.eml`): the bytes as captured.
pub(crate) fn raw(server: &Server, asked: &Asked<'_>) -> Response {
    match email_of(server, asked) {
        Ok(email) => Response::new(200, "message/rfc822", email.raw().to_vec())
            .header("Content-Disposition", format!("attachment; filename=\"{:02}.eml\"", email.sequence())),
        Err(response) => response,
    }
}

/// `GET /api/namespaces`: each namespace's name, count, cap and waiters.
pub(crate) fn namespaces(server: &Server, _: &Asked<'_>) -> Response {
    let cap = server.mailroom.cap();
    let listed: Vec<Value> = server
        .mailroom
        .namespaces()
        .into_iter()
        .map(|ns| json!({ "name": ns.name, "count": ns.count, "cap": cap, "waiting": ns.waiting }))
        .collect();
    Response::json(200, &Value::Array(listed))
}

/// `GET /api/wait?[filters]&count=N&timeout=SECONDS`: returns as soon as
/// `count` emails (default 1) match, woken by their arrival; after
/// `timeout` (default 30 s, at most 300) answers 408 with the near-miss
/// report that `Query` gives. A client that hangs up ends its wait at once.
pub(crate) fn wait(server: &Server, asked: &Asked<'_>) -> Response {
    let (params, path) = (&asked.request.query, asked.request.path.as_str());
    let count = match param(params, "count").map(str::parse::<usize>) {
        None => 1,
        Some(Ok(count)) if count >= 1 => count,
        Some(_) => {
            return Response::error(
                400,
                path,
                "count must be a whole number from 1 (for none, see /api/messages)",
            );
        }
    };
    let timeout = match param(params, "timeout").map(str::parse::<f64>) {
        None => DEFAULT_WAIT_SECS,
        Some(Ok(secs)) if secs.is_finite() && (0.0..=MAX_WAIT_SECS).contains(&secs) => secs,
        Some(Ok(secs)) if secs > MAX_WAIT_SECS => {
            let why = format!("timeout {secs} is above the maximum of {MAX_WAIT_SECS} seconds");
            return Response::error(400, path, &why);
        }
        Some(_) => return Response::error(400, path, "timeout must be a number of seconds, from 0 to 300"),
    };
    let query = match filters::query(&server.mailroom.outbox(&asked.ns), params, &["count", "timeout"]) {
        Ok(query) => query,
        Err(why) => return Response::error(400, path, &why),
    };
    let _waiting = server.mailroom.waiting(&asked.ns);
    let wait = query.within(Duration::from_secs_f64(timeout)).try_at_least_async(count);
    match super::hangup::unless_gone(wait, asked.stream) {
        Ok(Some(Ok(matches))) => Response::json(200, &summaries(&matches)),
        Ok(Some(Err(failure))) => {
            let report = failure.report();
            let headline = report.lines().next().unwrap_or_default();
            Response::json(408, &json!({ "error": headline, "report": report }))
        }
        // Nobody is left to answer.
        Ok(None) => Response::error(499, path, "the client went away"),
        Err(e) => Response::error(503, path, &format!("cannot wait: {e}")),
    }
}
