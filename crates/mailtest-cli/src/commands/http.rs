//! HTTP/1.1 as `mailtest serve --http` needs it, on std alone: one request
//! per connection, bounded in every direction.
//!
//! Why no HTTP crate: the server answers a handful of GET routes, one
//! DELETE, a long poll and a server-sent event stream, to a browser and to
//! test scripts on the same machine. A thread per connection (as the SMTP
//! sink already does) makes the long poll and the event stream plain
//! blocking loops; the parsing below is about 150 lines whose limits we
//! choose and test. The small synchronous servers (tiny_http and the like)
//! would save little of that and bring their own limits and error paths;
//! async ones (hyper, axum) would bring a runtime into a tool that needs none.
//!
//! Limits: the request head is at most [`MAX_HEAD`] bytes (else 431), with
//! at most [`MAX_HEADERS`] fields (else 431); a body, which no route takes,
//! is read and dropped up to [`MAX_BODY`] bytes (else 413); anything that is
//! not a well-formed HTTP/1.0 or 1.1 request gets 400. Every response closes
//! the connection.

use std::io::{Read, Write};

/// The largest request head (request line and header fields).
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// The most header fields a request may have.
pub(crate) const MAX_HEADERS: usize = 64;
/// The largest request body read (and dropped).
pub(crate) const MAX_BODY: usize = 64 * 1024;

/// A parsed request head.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Request {
    pub(crate) method: String,
    /// The path, exactly as sent (never percent-decoded: routes match digits only).
    pub(crate) path: String,
    /// The query parameters, decoded, in order.
    pub(crate) query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

impl Request {
    /// The first header called `name` (any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Why a request was refused before routing, as the response to send.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The client sent nothing, or went away: no response.
    Gone,
    Status(u16, String),
}

fn refuse(status: u16, why: impl Into<String>) -> Refusal {
    Refusal::Status(status, why.into())
}

/// Reads one request head (and drops any body) from `stream`.
pub(crate) fn read_request(stream: &mut impl Read) -> Result<Request, Refusal> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = find_head_end(&buffer) {
            break end;
        }
        if buffer.len() > MAX_HEAD {
            return Err(refuse(431, format!("the request head is larger than {MAX_HEAD} bytes")));
        }
        match stream.read(&mut chunk) {
            Ok(0) if buffer.is_empty() => return Err(Refusal::Gone),
            Ok(0) => return Err(refuse(400, "the request ended before its head did")),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            Err(_) if buffer.is_empty() => return Err(Refusal::Gone),
            Err(_) => return Err(refuse(408, "the request head did not arrive in time")),
        }
    };
    if head_end.0 > MAX_HEAD {
        return Err(refuse(431, format!("the request head is larger than {MAX_HEAD} bytes")));
    }
    let head = std::str::from_utf8(&buffer[..head_end.0])
        .map_err(|_| refuse(400, "the request head is not UTF-8"))?;
    let request = parse_head(head)?;
    let already = buffer.len() - head_end.1;
    drop_body(&request, stream, already)?;
    Ok(request)
}

/// Where the head ends: (its length, where the body starts).
fn find_head_end(buffer: &[u8]) -> Option<(usize, usize)> {
    let crlf = buffer.windows(4).position(|w| w == b"\r\n\r\n").map(|at| (at, at + 4));
    let lf = buffer.windows(2).position(|w| w == b"\n\n").map(|at| (at, at + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn parse_head(head: &str) -> Result<Request, Refusal> {
    let mut lines = head.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line));
    let request_line = lines.next().unwrap_or_default();
    let parts: Vec<&str> = request_line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(refuse(400, "the request line is not METHOD TARGET VERSION"));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(refuse(400, format!("{method:?} is not a method")));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(refuse(400, format!("{version:?} is not HTTP/1.0 or HTTP/1.1")));
    }
    if !target.starts_with('/') {
        return Err(refuse(400, "the target must be a path starting with /"));
    }
    let mut headers = Vec::new();
    for line in lines {
        if headers.len() == MAX_HEADERS {
            return Err(refuse(431, format!("more than {MAX_HEADERS} header fields")));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(refuse(400, format!("the header line {line:?} has no colon")));
        };
        if name.is_empty()
            || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        {
            return Err(refuse(400, format!("{name:?} is not a header name")));
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let request =
        Request { method: method.to_owned(), path: path.to_owned(), query: parse_query(query)?, headers };
    if version == "HTTP/1.1" && request.header("Host").is_none() {
        return Err(refuse(400, "an HTTP/1.1 request needs a Host header"));
    }
    Ok(request)
}

/// `a=1&b=two+words` into decoded pairs.
fn parse_query(query: &str) -> Result<Vec<(String, String)>, Refusal> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode(name)?, decode(value)?))
        })
        .collect()
}

/// Percent-decoding of a query component (`+` is a space).
fn decode(text: &str) -> Result<String, Refusal> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = text
                    .get(i + 1..i + 3)
                    .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                out.push(hex.ok_or_else(|| refuse(400, format!("{text:?} has a bad %-escape")))?);
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| refuse(400, format!("{text:?} does not decode to UTF-8")))
}

/// Reads and drops a body: no route takes one, but a client may send one.
fn drop_body(request: &Request, stream: &mut impl Read, already: usize) -> Result<(), Refusal> {
    if request.header("Transfer-Encoding").is_some() {
        return Err(refuse(400, "request bodies with Transfer-Encoding are not accepted"));
    }
    let Some(length) = request.header("Content-Length") else { return Ok(()) };
    let length: usize =
        length.parse().map_err(|_| refuse(400, format!("Content-Length {length:?} is not a number")))?;
    if length > MAX_BODY {
        return Err(refuse(413, format!("the request body is larger than {MAX_BODY} bytes")));
    }
    let left = length.saturating_sub(already) as u64;
    let read = std::io::copy(&mut stream.take(left), &mut std::io::sink()).unwrap_or(0);
    if read < left {
        return Err(refuse(400, "the request body ended early"));
    }
    Ok(())
}

/// A response: status, extra headers, body.
pub(crate) struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    pub(crate) fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response { status, headers: vec![("Content-Type", content_type.to_owned())], body: body.into() }
    }

    pub(crate) fn html(body: String, policy: &str) -> Response {
        Response::new(200, "text/html; charset=utf-8", body).header("Content-Security-Policy", policy)
    }

    pub(crate) fn json(status: u16, value: &serde_json::Value) -> Response {
        let mut body = serde_json::to_vec_pretty(value).unwrap_or_default();
        body.push(b'\n');
        Response::new(status, "application/json", body)
    }

    /// An error: JSON under `/api/` (and a namespace's `/ns/{ns}/api/`),
    /// plain text elsewhere.
    pub(crate) fn error(status: u16, path: &str, why: &str) -> Response {
        let scoped =
            path.strip_prefix("/ns/").and_then(|rest| rest.split_once('/')).map_or(path, |(_, rest)| rest);
        if path.starts_with("/api/") || scoped.starts_with("api/") {
            Response::json(status, &serde_json::json!({ "error": why }))
        } else {
            Response::new(
                status,
                "text/plain; charset=utf-8",
                format!("{status} {}: {why}\n", reason(status)),
            )
        }
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    /// Writes the response; for `HEAD`, without its body.
    pub(crate) fn write_to(&self, out: &mut impl Write, with_body: bool) -> std::io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        head.push_str(COMMON_HEADERS);
        // One write: head and body in two would leave the body to Nagle's
        // algorithm, waiting for the client's delayed ACK of the head (up
        // to 40 ms on Linux) — the tail of every long poll's wake-up.
        let mut whole = head.into_bytes();
        if with_body {
            whole.extend_from_slice(&self.body);
        }
        out.write_all(&whole)?;
        out.flush()
    }
}

/// Sent with every response: never cached, never sniffed, never framed
/// by another site, no referrer, and the connection closes.
pub(crate) const COMMON_HEADERS: &str = "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
    X-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n";

pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        499 => "Client Closed Request",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Request, Refusal> {
        read_request(&mut &bytes[..])
    }

    fn status(bytes: &[u8]) -> u16 {
        match read(bytes) {
            Ok(_) => 200,
            Err(Refusal::Status(status, _)) => status,
            Err(Refusal::Gone) => 0,
        }
    }

    #[test]
    fn a_request_head_is_parsed_and_its_query_decoded() {
        let request = read(
            b"GET /api/messages?to=ann%40example.com&subject=Hi+there&x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        )
        .unwrap();
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, "/api/messages");
        assert_eq!(
            request.query,
            [
                ("to".into(), "ann@example.com".into()),
                ("subject".into(), "Hi there".into()),
                ("x".into(), String::new())
            ]
        );
        assert_eq!(request.header("host"), Some("127.0.0.1"));
    }

    #[test]
    fn bad_requests_get_400_and_never_panic() {
        let cases: &[&[u8]] = &[
            b"GET\r\n\r\n",
            b"GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
            b"get / HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET / HTTP/2\r\nHost: x\r\n\r\n",
            b"GET http://evil/ HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n",
            b"GET /?a=%zz HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /?a=%ff HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /?a=% HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /?a=%+f HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: \xff\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nshort",
            b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\n",
        ];
        for case in cases {
            assert_eq!(status(case), 400, "{:?}", String::from_utf8_lossy(case));
        }
        assert_eq!(status(b""), 0, "a connection closed at once gets no answer");
    }

    #[test]
    fn heads_and_bodies_are_bounded() {
        let mut many = b"GET / HTTP/1.1\r\nHost: x\r\n".to_vec();
        for n in 0..MAX_HEADERS {
            many.extend_from_slice(format!("X-{n}: 1\r\n").as_bytes());
        }
        many.extend_from_slice(b"\r\n");
        assert_eq!(status(&many), 431, "too many fields");

        let mut long = b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: ".to_vec();
        long.resize(MAX_HEAD + 10, b'a');
        assert_eq!(status(&long), 431, "a head that never ends within the limit");

        let big = format!("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", MAX_BODY + 1);
        assert_eq!(status(big.as_bytes()), 413);
        assert_eq!(status(b"DELETE /api/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"), 200);
        assert_eq!(status(b"GET / HTTP/1.0\n\n"), 200, "bare LF and HTTP/1.0 without Host");
    }

    #[test]
    fn responses_close_the_connection_and_head_has_no_body() {
        let response = Response::error(404, "/api/messages/9", "no email #9");
        let mut out = Vec::new();
        response.write_to(&mut out, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"), "{text}");
        assert!(text.ends_with("Connection: close\r\n\r\n"), "{text}");
    }
}
