//! `mailtest serve --http`: the live web UI and the JSON API over the sink's
//! outbox, on loopback unless `--host` says otherwise.
//!
//! Routes (`n` is the capture number, from 1):
//!
//! | route | answer |
//! |---|---|
//! | `GET /` | the list, kept current by server-sent events |
//! | `GET /m/{n}` | one email, as the HTML report shows it |
//! | `GET /events` | the event stream (`email`, `cleared`, `resync`) |
//! | `GET /live.js` | the list's script |
//! | `GET /api/messages` | JSON summaries; filters as in `Query` |
//! | `DELETE /api/messages` | clears the outbox |
//! | `GET /api/messages/{n}` | one email, decoded, as JSON |
//! | `GET /api/messages/{n}.eml` | its bytes as captured |
//! | `GET /api/wait` | long poll: 200 with the matches, or 408 with the near-miss report |
//!
//! `HEAD` works wherever `GET` does; another method on a known route gets
//! 405 with `Allow`, an unknown route 404. Nothing is ever read from disk,
//! so no route can reach a file. When the server listens on loopback, a
//! request must name a loopback `Host`: a web page the developer visits
//! cannot reach it through DNS rebinding.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use mailtest::Outbox;
use mailtest_harness::__private::preview as pages;

use super::api;
use super::events::{self, Feed};
use super::http::{self, Refusal, Request, Response};

/// The most connections served at once (event streams and long polls hold
/// one each); more are answered 503 and closed.
const MAX_CONNECTIONS: usize = 256;
/// How long a client has to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// What every connection thread shares.
pub(crate) struct Server {
    pub(crate) outbox: Outbox,
    pub(crate) feed: Arc<Feed>,
    loopback_only: bool,
    open: AtomicUsize,
}

/// Starts serving on `addr`; returns the address it listens on.
pub(crate) fn start(outbox: Outbox, addr: SocketAddr) -> Result<SocketAddr, String> {
    let listener = TcpListener::bind(addr).map_err(|e| format!("cannot listen for HTTP on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| format!("cannot listen for HTTP on {addr}: {e}"))?;
    let feed = Arc::new(Feed::default());
    let server = Arc::new(Server {
        outbox: outbox.clone(),
        feed: Arc::clone(&feed),
        loopback_only: local.ip().is_loopback(),
        open: AtomicUsize::new(0),
    });
    spawn("mailtest-http-feed", move || feed.watch(outbox))?;
    spawn("mailtest-http-accept", move || {
        for stream in listener.incoming().flatten() {
            let server = Arc::clone(&server);
            if server.open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                server.open.fetch_sub(1, Ordering::SeqCst);
                let busy = Response::error(503, "/", "too many connections; try again");
                let _ = busy.write_to(&mut &stream, true);
                continue;
            }
            let spawned = spawn("mailtest-http", move || {
                serve_connection(&server, stream);
                server.open.fetch_sub(1, Ordering::SeqCst);
            });
            if let Err(problem) = spawned {
                eprintln!("mailtest: {problem}");
            }
        }
    })?;
    Ok(local)
}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Result<(), String> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(f)
        .map(drop)
        .map_err(|e| format!("cannot start a thread: {e}"))
}

fn serve_connection(server: &Server, stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(READ_TIMEOUT));
    let mut reader = &stream;
    let request = match http::read_request(&mut reader) {
        Ok(request) => request,
        Err(Refusal::Gone) => return,
        Err(Refusal::Status(status, why)) => {
            let _ = Response::error(status, "/", &why).write_to(&mut &stream, true);
            return;
        }
    };
    if let Err(why) = check_host(server, &request) {
        let _ = Response::error(400, &request.path, &why).write_to(&mut &stream, true);
        return;
    }
    if request.path == "/events" && request.method == "GET" {
        // The one answer that is not a single response: it streams.
        let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
        events::stream(&server.feed, &mut &stream);
        return;
    }
    let response = route(server, &request);
    let _ = response.write_to(&mut &stream, request.method != "HEAD");
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

/// DNS-rebinding guard: on loopback, the Host must be a loopback name.
fn check_host(server: &Server, request: &Request) -> Result<(), String> {
    let Some(host) = request.header("Host") else { return Ok(()) };
    if !server.loopback_only {
        return Ok(());
    }
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    let loopback = name.eq_ignore_ascii_case("localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(format!(
            "Host {host:?} is not a loopback name; this server answers only 127.0.0.1, [::1] and localhost"
        ))
    }
}

/// What answers a request.
type Handler = fn(&Server, &Request) -> Response;

/// The allowed methods of each route, then the answer.
fn route(server: &Server, request: &Request) -> Response {
    let path = request.path.as_str();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let (allowed, answer): (&str, Option<Handler>) = match segments.as_slice() {
        [""] => ("GET, HEAD", Some(list_page)),
        ["live.js"] => ("GET, HEAD", Some(live_script)),
        ["m", n] if number(n).is_some() => ("GET, HEAD", Some(email_page)),
        ["events"] => ("GET", None),
        ["api", "messages"] => match request.method.as_str() {
            "DELETE" => ("GET, HEAD, DELETE", Some(api::delete)),
            _ => ("GET, HEAD, DELETE", Some(api::messages)),
        },
        ["api", "messages", n] if number(n.strip_suffix(".eml").unwrap_or(n)).is_some() => {
            ("GET, HEAD", Some(if n.ends_with(".eml") { api::raw } else { api::message }))
        }
        ["api", "wait"] => ("GET, HEAD", Some(api::wait)),
        _ => return Response::error(404, path, &format!("no route {path}")),
    };
    let method = request.method.as_str();
    let permitted = allowed.split(", ").any(|m| m == method);
    match answer {
        Some(answer) if permitted => answer(server, request),
        _ => Response::error(405, path, &format!("{method} is not allowed on {path}; allowed: {allowed}"))
            .header("Allow", allowed),
    }
}

/// A capture number in a path: digits only, from 1.
pub(crate) fn number(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 19 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|&n| n > 0)
}

fn list_page(server: &Server, _: &Request) -> Response {
    Response::html(pages::list_page(&server.outbox.emails()), pages::LIVE_POLICY)
}

fn live_script(_: &Server, _: &Request) -> Response {
    Response::new(200, "text/javascript; charset=utf-8", pages::LIVE_SCRIPT)
}

fn email_page(server: &Server, request: &Request) -> Response {
    let n = request.path.rsplit('/').next().and_then(number).unwrap_or(0);
    match api::find(&server.outbox, n) {
        Some(email) => Response::html(pages::email_page(&email, n), pages::REPORT_POLICY),
        None => Response::error(
            404,
            &request.path,
            &format!("no email #{n} (numbers count from 1 in capture order)"),
        ),
    }
}
