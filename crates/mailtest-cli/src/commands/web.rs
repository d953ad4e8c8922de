//! `mailtest serve --http`: the live web UI and the JSON API over the
//! mailroom, on loopback unless `--host` says otherwise.
//!
//! Every route below answers for the default namespace as it is, and for
//! namespace `ns` under the prefix `/ns/{ns}` (`/ns/ci7/api/wait`,
//! `/ns/ci7/m/3`); `n` is the capture number in its namespace, from 1.
//!
//! | route | answer |
//! |---|---|
//! | `GET /` | the list, with search, kept current by server-sent events |
//! | `GET /m/{n}` | one email, as the HTML report shows it |
//! | `GET /m/{NN}.eml` | its bytes (the email page's download link) |
//! | `GET /events` | the event stream (`email`, `deleted`, `cleared`, `resync`) |
//! | `GET /live.js` | the list's script |
//! | `GET /api/messages` | JSON summaries; filters as in `Query`, `q` a search |
//! | `DELETE /api/messages` | deletes the namespace's mail |
//! | `GET /api/messages/{n}` | one email, decoded, as JSON |
//! | `DELETE /api/messages/{n}` | deletes that email |
//! | `GET /api/messages/{n}.eml` | its bytes as captured |
//! | `GET /api/wait` | long poll: 200 with the matches, or 408 with the near-miss report |
//! | `GET /api/namespaces` | every namespace: name, count, cap, waiters |
//!
//! `HEAD` works wherever `GET` does; another method on a known route gets
//! 405 with `Allow`, an unknown route 404, `/ns/{ns}` a redirect to
//! `/ns/{ns}/` (the pages link relatively, so one page serves every
//! namespace). Nothing is ever read from disk, so no route can reach a
//! file. When the server listens on loopback, a request must name a
//! loopback `Host`: a web page the developer visits cannot reach it
//! through DNS rebinding.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use mailtest_harness::__private::preview as pages;

use super::http::{self, Refusal, Request, Response};
use super::mailroom::Mailroom;
use super::namespace::{self, DEFAULT};
use super::workers::Workers;
use super::{api, events};

/// The most connections served at once (event streams and long polls hold
/// one each); more are answered 503 and closed.
const MAX_CONNECTIONS: usize = 256;
/// How long a client has to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// What every connection thread shares.
pub(crate) struct Server {
    pub(crate) mailroom: Mailroom,
    loopback_only: bool,
    open: AtomicUsize,
}

/// One request, as a handler sees it: the namespace its path names, and the
/// connection (a long poll watches it).
pub(crate) struct Asked<'a> {
    pub(crate) request: &'a Request,
    pub(crate) ns: String,
    pub(crate) stream: &'a TcpStream,
}

/// Starts serving on `addr`; returns the address it listens on.
pub(crate) fn start(mailroom: Mailroom, addr: SocketAddr) -> Result<SocketAddr, String> {
    let listener = TcpListener::bind(addr).map_err(|e| format!("cannot listen for HTTP on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| format!("cannot listen for HTTP on {addr}: {e}"))?;
    let server =
        Arc::new(Server { mailroom, loopback_only: local.ip().is_loopback(), open: AtomicUsize::new(0) });
    let accept = move || {
        let workers = Workers::new("mailtest-http", |(server, stream): (Arc<Server>, TcpStream)| {
            serve_connection(&server, stream);
            server.open.fetch_sub(1, Ordering::SeqCst);
        });
        for stream in listener.incoming().flatten() {
            if server.open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                server.open.fetch_sub(1, Ordering::SeqCst);
                let busy = Response::error(503, "/", "too many connections; try again");
                let _ = busy.write_to(&mut &stream, true);
                continue;
            }
            if let Err(problem) = workers.run((Arc::clone(&server), stream)) {
                server.open.fetch_sub(1, Ordering::SeqCst);
                eprintln!("mailtest: {problem}");
            }
        }
    };
    std::thread::Builder::new()
        .name("mailtest-http-accept".to_owned())
        .spawn(accept)
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    Ok(local)
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
    let (ns, rest) = match scope(&request.path) {
        Ok(scoped) => scoped,
        Err(response) => {
            let _ = response.write_to(&mut &stream, request.method != "HEAD");
            return;
        }
    };
    if rest == "/events" && request.method == "GET" {
        // The one answer that is not a single response: it streams.
        let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
        events::stream(server.mailroom.feed(), &ns, &mut &stream);
        return;
    }
    let asked = Asked { request: &request, ns, stream: &stream };
    let response = route(server, &asked, rest);
    let _ = response.write_to(&mut &stream, request.method != "HEAD");
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

/// The namespace a path names (`/ns/{ns}/…`, else the default one) and the
/// route within it; a redirect for `/ns/{ns}` without its slash, 404 for a
/// name that is not one.
fn scope(path: &str) -> Result<(String, &str), Response> {
    let Some(scoped) = path.strip_prefix("/ns/") else { return Ok((DEFAULT.to_owned(), path)) };
    let (name, rest) = scoped.find('/').map_or((scoped, ""), |at| scoped.split_at(at));
    let ns = namespace::name(name).map_err(|why| Response::error(404, path, &why))?;
    if rest.is_empty() {
        let to = format!("/ns/{ns}/");
        return Err(
            Response::new(308, "text/plain; charset=utf-8", format!("see {to}\n")).header("Location", to)
        );
    }
    Ok((ns, rest))
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
type Handler = fn(&Server, &Asked<'_>) -> Response;

/// The allowed methods of each route, then the answer.
fn route(server: &Server, asked: &Asked<'_>, path: &str) -> Response {
    let request = asked.request;
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let method = request.method.as_str();
    let (allowed, answer): (&str, Option<Handler>) = match segments.as_slice() {
        [""] => ("GET, HEAD", Some(list_page)),
        ["live.js"] => ("GET, HEAD", Some(live_script)),
        ["m", n] if number(n).is_some() => ("GET, HEAD", Some(email_page)),
        ["m", eml] if eml_number(eml).is_some() => ("GET, HEAD", Some(api::raw)),
        ["events"] => ("GET", None),
        ["api", "messages"] if method == "DELETE" => ("GET, HEAD, DELETE", Some(api::clear)),
        ["api", "messages"] => ("GET, HEAD, DELETE", Some(api::messages)),
        ["api", "messages", n] if eml_number(n).is_some() => ("GET, HEAD", Some(api::raw)),
        ["api", "messages", n] if number(n).is_some() && method == "DELETE" => {
            ("GET, HEAD, DELETE", Some(api::delete))
        }
        ["api", "messages", n] if number(n).is_some() => ("GET, HEAD, DELETE", Some(api::message)),
        ["api", "wait"] => ("GET, HEAD", Some(api::wait)),
        ["api", "namespaces"] => ("GET, HEAD", Some(api::namespaces)),
        _ => return Response::error(404, &request.path, &format!("no route {}", request.path)),
    };
    let permitted = allowed.split(", ").any(|m| m == method);
    match answer {
        Some(answer) if permitted => answer(server, asked),
        _ => Response::error(
            405,
            &request.path,
            &format!("{method} is not allowed on {}; allowed: {allowed}", request.path),
        )
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

/// `03.eml`: the number of an email's bytes.
pub(crate) fn eml_number(text: &str) -> Option<u64> {
    number(text.strip_suffix(".eml")?)
}

/// The number a request's last path segment names (`3`, `3.eml`, `03.eml`).
pub(crate) fn requested_number(request: &Request) -> u64 {
    let last = request.path.rsplit('/').next().unwrap_or_default();
    number(last).or_else(|| eml_number(last)).unwrap_or(0)
}

fn list_page(server: &Server, asked: &Asked<'_>) -> Response {
    let search = super::filters::param(&asked.request.query, "q").unwrap_or_default();
    let outbox = server.mailroom.outbox(&asked.ns);
    let emails = match super::search::apply(outbox.find(), search) {
        Ok(query) => query.all(),
        Err(why) => return Response::error(400, &asked.request.path, &why),
    };
    let namespaces: Vec<(String, usize)> =
        server.mailroom.namespaces().into_iter().map(|ns| (ns.name, ns.count)).collect();
    Response::html(pages::list_page(&emails, &asked.ns, &namespaces, search), pages::LIVE_POLICY)
}

fn live_script(_: &Server, _: &Asked<'_>) -> Response {
    Response::new(200, "text/javascript; charset=utf-8", pages::LIVE_SCRIPT)
}

fn email_page(server: &Server, asked: &Asked<'_>) -> Response {
    let n = requested_number(asked.request);
    match api::find(&server.mailroom.outbox(&asked.ns), n) {
        Some(email) => Response::html(pages::email_page(&email, n), pages::REPORT_POLICY),
        None => api::no_such_email(asked, n),
    }
}
