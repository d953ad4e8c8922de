//! A minimal HTTP/1.1 client over a TCP socket, for tests that talk to a
//! running server: one request a connection, `Connection: close`.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// `POST path` with a JSON body; the response's status code.
pub async fn post(addr: SocketAddr, path: &str, json: serde_json::Value) -> u16 {
    let body = json.to_string();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    request(addr, head + &body).await
}

/// `GET url`, where `url` is `http://HOST:PORT/path?query` on `addr`.
pub async fn get(addr: SocketAddr, url: &str) -> u16 {
    let path =
        url.strip_prefix(&format!("http://{addr}")).unwrap_or_else(|| panic!("{url} is not on {addr}"));
    request(addr, format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")).await
}

async fn request(addr: SocketAddr, request: String) -> u16 {
    let mut stream = TcpStream::connect(addr).await.unwrap_or_else(|err| panic!("connect to {addr}: {err}"));
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response);
    // "HTTP/1.1 201 Created\r\n..."
    let status = response.split(' ').nth(1).and_then(|code| code.parse().ok());
    status.unwrap_or_else(|| panic!("not an HTTP response: {response:?}"))
}
