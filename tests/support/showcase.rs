//! One email that exercises everything the HTML report and the web UI show,
//! and everything they must refuse to do: shared by the report tests, the
//! web API tests and the browser tests (`#[path]`-included by each).
//!
//! It has a text part, an HTML part with a `cid:` logo (a 24×24 magenta
//! PNG, so a browser test can tell it loaded), a PDF attachment, and HTML
//! in the subject, a display name and a file name. Its HTML carries every
//! trick a hostile email could try — a `<script>`, an `onerror=` handler, a
//! `javascript:` link, a meta refresh, remote images, stylesheets, fonts and
//! backgrounds — each of which would reach `remote` (a loopback server that
//! counts requests, in the browser tests) if the report let it.

#![allow(dead_code)]

/// The logo's bytes, base64: a 24×24 PNG, every pixel #ff00ff.
pub(crate) const LOGO_PNG_BASE64: &str = "iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAAH0lEQVR42mP4z/CfKohh1KBRg0YNGjVo1KBRgwbeIACG8Xu9O70bfQAAAABJRU5ErkJggg==";

pub(crate) const SUBJECT: &str = "Your order <script>alert('subject')</script> has shipped";

/// The showcase email; `remote` is a base URL like `http://127.0.0.1:9` that
/// must never be fetched.
pub(crate) fn showcase(remote: &str) -> Vec<u8> {
    format!(
        "From: \"Shop <script>alert('name')</script>\" <shop@example.com>\r\n\
         To: Ann Lee <ann@example.com>\r\n\
         Subject: {SUBJECT}\r\n\
         Date: Tue, 07 May 2024 10:00:00 +0000\r\n\
         Message-ID: <showcase-1@shop.example.com>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"mixed\"\r\n\
         \r\n\
         --mixed\r\n\
         Content-Type: multipart/related; boundary=\"related\"\r\n\
         \r\n\
         --related\r\n\
         Content-Type: multipart/alternative; boundary=\"alt\"\r\n\
         \r\n\
         --alt\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         \r\n\
         Hi Ann, your order has shipped.\r\n\
         Track it: https://shop.example.com/track?id=42\r\n\
         --alt\r\n\
         Content-Type: text/html; charset=utf-8\r\n\
         \r\n\
         <!DOCTYPE html><html><head>\
         <meta http-equiv=\"refresh\" content=\"0; url={remote}/refresh\">\
         <link rel=\"stylesheet\" href=\"{remote}/style.css\">\
         <style>@font-face {{ font-family: Remote; src: url({remote}/font.woff); }} \
         body {{ font-family: Remote, sans-serif; }} .bg {{ background: url({remote}/background.png); }}</style>\
         </head><body>\
         <h1 id=\"greeting\">Hi Ann, your order has shipped</h1>\
         <p><img id=\"logo\" src=\"cid:logo@shop\" alt=\"Shop logo\" width=\"24\" height=\"24\"></p>\
         <p class=\"bg\"><img id=\"pixel\" src=\"{remote}/pixel.gif\" alt=\"\"></p>\
         <img id=\"broken\" src=\"x\" onerror=\"document.getElementById('greeting').textContent='onerror ran';location.href='{remote}/onerror'\">\
         <script>document.getElementById('greeting').textContent='script ran';location.href='{remote}/script';</script>\
         <p><a id=\"track\" href=\"https://shop.example.com/track?id=42&amp;ref=mail\">Track your order</a> \
         <a href=\"javascript:alert('link')\">Unsubscribe</a></p>\
         </body></html>\r\n\
         --alt--\r\n\
         --related\r\n\
         Content-Type: image/png\r\n\
         Content-ID: <logo@shop>\r\n\
         Content-Disposition: inline; filename=\"logo.png\"\r\n\
         Content-Transfer-Encoding: base64\r\n\
         \r\n\
         {LOGO_PNG_BASE64}\r\n\
         --related--\r\n\
         --mixed\r\n\
         Content-Type: application/pdf\r\n\
         Content-Disposition: attachment; filename=\"invoice <script>alert('file')</script>.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\
         \r\n\
         JVBERi0xLjQK\r\n\
         --mixed--\r\n"
    )
    .into_bytes()
}

/// A plain second email.
pub(crate) fn plain(subject: &str, to: &str) -> Vec<u8> {
    format!(
        "From: shop@example.com\r\nTo: {to}\r\nSubject: {subject}\r\nDate: Tue, 07 May 2024 11:00:00 +0000\r\n\
         Message-ID: <{}@shop.example.com>\r\n\r\nHello.\r\n",
        subject.len()
    )
    .into_bytes()
}
