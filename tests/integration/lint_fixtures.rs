//! A small builder of lint fixtures: a clean transactional email — every
//! header a server wants, text and HTML alternatives, `lang`, absolute
//! https links — that each fixture changes in one respect.

use mailtest::{Email, Outbox};

/// An email being built; [`Mail::clean`] is lint-clean under every profile
/// but `Bulk`.
#[derive(Clone)]
pub(crate) struct Mail {
    headers: Vec<(String, String)>,
    text: Option<String>,
    html: Option<String>,
    /// (Content-ID, content type) of each inline part.
    inline: Vec<(String, String)>,
    /// Text encoded quoted-printable (soft line breaks) rather than 8bit.
    text_qp: bool,
    /// Envelope-only recipients (blind copies).
    envelope_bcc: Vec<String>,
}

pub(crate) const LINK: &str = "https://app.example.com/reset?token=9f8e";

impl Mail {
    pub(crate) fn clean() -> Mail {
        Mail {
            headers: [
                ("From", "Acme <app@example.com>"),
                ("To", "Ann <ann@example.com>"),
                ("Subject", "Reset your password"),
                ("Date", "Tue, 07 May 2024 10:00:00 +0000"),
                ("Message-ID", "<reset-1@app.example.com>"),
            ]
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect(),
            text: Some(format!("Hi Ann,\n\nreset your password: {LINK}\n")),
            html: Some(html_page(&format!(
                "<p>Hi Ann,</p>\n<p><a href=\"{LINK}\">Reset your password</a></p>"
            ))),
            inline: Vec::new(),
            text_qp: false,
            envelope_bcc: Vec::new(),
        }
    }

    /// Sets a header (replacing one of the same name), or adds it.
    pub(crate) fn header(mut self, name: &str, value: &str) -> Mail {
        match self.headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            Some(header) => header.1 = value.to_owned(),
            None => self.headers.push((name.to_owned(), value.to_owned())),
        }
        self
    }

    /// Adds a header even if one of the name is there.
    pub(crate) fn add_header(mut self, name: &str, value: &str) -> Mail {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub(crate) fn without(mut self, name: &str) -> Mail {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    pub(crate) fn text(mut self, text: Option<&str>) -> Mail {
        self.text = text.map(str::to_owned);
        self
    }

    /// The HTML as given (see [`html_page`] for a page with `lang`).
    pub(crate) fn html(mut self, html: Option<&str>) -> Mail {
        self.html = html.map(str::to_owned);
        self
    }

    pub(crate) fn inline(mut self, content_id: &str, content_type: &str) -> Mail {
        self.inline.push((content_id.to_owned(), content_type.to_owned()));
        self
    }

    pub(crate) fn text_quoted_printable(mut self) -> Mail {
        self.text_qp = true;
        self
    }

    pub(crate) fn blind_copy(mut self, address: &str) -> Mail {
        self.envelope_bcc.push(address.to_owned());
        self
    }

    /// The message as sent: headers, then a body whose MIME shape follows
    /// the parts there are.
    pub(crate) fn raw(&self) -> Vec<u8> {
        let mut out = String::new();
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str("MIME-Version: 1.0\r\n");
        let alternatives = self.alternatives();
        let body = if self.inline.is_empty() {
            alternatives
        } else {
            let mut parts = vec![alternatives];
            for (id, content_type) in &self.inline {
                parts.push(format!(
                    "Content-Type: {content_type}\r\nContent-ID: <{id}>\r\nContent-Disposition: inline\r\n\
                     Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n"
                ));
            }
            multipart("related", "rel-7Hq2", &parts)
        };
        out.push_str(&body);
        out.into_bytes()
    }

    fn alternatives(&self) -> String {
        let text = self.text.as_ref().map(|text| {
            let (encoding, body) = if self.text_qp { ("quoted-printable", soft_wrap(text)) } else { ("8bit", crlf(text)) };
            format!("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n{body}")
        });
        let html = self.html.as_ref().map(|html| {
            format!(
                "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}",
                crlf(html)
            )
        });
        match (text, html) {
            (Some(text), Some(html)) => multipart("alternative", "alt-3Kx9", &[text, html]),
            (Some(one), None) | (None, Some(one)) => one,
            (None, None) => "\r\n".to_owned(),
        }
    }

    /// Captured into a fresh outbox with its envelope (blind copies in it
    /// only), as a sending test would see it.
    pub(crate) fn email(&self) -> Email {
        let outbox = Outbox::new();
        let mut to = vec!["ann@example.com".to_owned()];
        to.extend(self.envelope_bcc.iter().cloned());
        let to: Vec<&str> = to.iter().map(String::as_str).collect();
        outbox.capture_raw(Some("app@example.com"), &to, &self.raw());
        outbox.emails().remove(0)
    }
}

/// Pins `report` as `snapshots/{name}.snap`; the line naming the HTML report
/// keeps its test folder but not the machine's target directory.
pub(crate) fn snapshot(name: &str, report: &str) {
    let machine = regex_lite::Regex::new(r"(?m)^mailtest report: .*[/\\]mailtest[/\\]").unwrap();
    let report = machine.replace_all(report, "mailtest report: [target]/mailtest/");
    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, report);
    });
}

/// `<html lang="en">` around `body`.
pub(crate) fn html_page(body: &str) -> String {
    format!("<!doctype html>\n<html lang=\"en\">\n<body>\n{body}\n</body>\n</html>\n")
}

fn multipart(subtype: &str, boundary: &str, parts: &[String]) -> String {
    let mut out = format!("Content-Type: multipart/{subtype}; boundary=\"{boundary}\"\r\n\r\n");
    for part in parts {
        out.push_str(&format!("--{boundary}\r\n{part}\r\n"));
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out
}

fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// Quoted-printable for ASCII text: `=` escaped, a soft break every 72 characters.
fn soft_wrap(text: &str) -> String {
    assert!(text.is_ascii(), "soft_wrap is for ASCII text");
    let mut out = String::new();
    for line in text.lines() {
        let mut width = 0;
        for c in line.chars() {
            if width >= 72 {
                out.push_str("=\r\n");
                width = 0;
            }
            if c == '=' {
                out.push_str("=3D");
                width += 3;
            } else {
                out.push(c);
                width += 1;
            }
        }
        out.push_str("\r\n");
    }
    out
}
