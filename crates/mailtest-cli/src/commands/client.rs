//! A minimal HTTP/1.1 client for `mailtest assert`: one GET to a
//! `mailtest serve --http` server, plain HTTP.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// `http://host:port` (a trailing `/` allowed), as a host and port.
pub(crate) fn parse_server(url: &str) -> Result<(String, u16), String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| {
        format!("--server {url:?} must be an http:// URL (mailtest serve --http speaks plain HTTP)")
    })?;
    let authority = rest.trim_end_matches('/');
    if authority.contains('/') || authority.is_empty() {
        return Err(format!("--server {url:?} must be http://HOST:PORT, without a path"));
    }
    let (host, port) = authority
        .rsplit_once(':')
        .ok_or_else(|| format!("--server {url:?} needs a port: http://HOST:PORT"))?;
    let port = port.parse().map_err(|_| format!("--server {url:?}: {port:?} is not a port number"))?;
    Ok((host.to_owned(), port))
}

/// GETs `path` from `host:port`; returns the status and the body.
pub(crate) fn get(host: &str, port: u16, path: &str, timeout: Duration) -> Result<(u16, String), String> {
    let name = host.trim_start_matches('[').trim_end_matches(']');
    let addr = (name, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot resolve {host}"))?;
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
        .map_err(|e| format!("cannot reach http://{host}:{port}: {e}"))?;
    stream.set_read_timeout(Some(timeout)).map_err(|e| e.to_string())?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).map_err(|e| format!("cannot send to http://{host}:{port}: {e}"))?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).map_err(|e| format!("no answer from http://{host}:{port}: {e}"))?;
    let text = String::from_utf8_lossy(&response);
    let (head, body) =
        text.split_once("\r\n\r\n").ok_or_else(|| "the server's answer is not HTTP".to_owned())?;
    let status = head.split(' ').nth(1).and_then(|code| code.parse().ok()).ok_or_else(|| {
        format!("the server's answer is not HTTP: {:?}", head.lines().next().unwrap_or_default())
    })?;
    Ok((status, body.to_owned()))
}

/// Percent-encodes a query value.
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls() {
        assert_eq!(parse_server("http://127.0.0.1:8025/"), Ok(("127.0.0.1".into(), 8025)));
        assert_eq!(parse_server("http://[::1]:8025"), Ok(("[::1]".into(), 8025)));
        assert!(parse_server("https://127.0.0.1:8025").unwrap_err().contains("must be an http:// URL"));
        assert!(parse_server("http://127.0.0.1").unwrap_err().contains("needs a port"));
        assert!(parse_server("http://127.0.0.1:1/api").unwrap_err().contains("without a path"));
    }

    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(encode("Grüße & <more>"), "Gr%C3%BC%C3%9Fe%20%26%20%3Cmore%3E");
    }
}
