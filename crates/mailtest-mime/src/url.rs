//! URLs split as the readers of mail need them — [`links`](crate::links),
//! the link and `List-Unsubscribe` lints, the report's `cid:` images:
//! scheme, host, port and the rest, without a dependency. What does not
//! parse as `scheme:…` is relative.
//!
//! ```
//! use mailtest_mime::url::Url;
//!
//! let url = Url::parse("HTTPS://App.Example.com:8443/reset?t=1").unwrap();
//! assert_eq!((&*url.scheme, &*url.host, url.port.as_deref(), &*url.rest), ("https", "app.example.com", Some("8443"), "/reset?t=1"));
//! assert_eq!(Url::parse("/reset?t=1"), None, "relative");
//! ```

use std::borrow::Cow;
use std::fmt;

/// An absolute URL, split; borrowed from the text it was parsed from
/// wherever no normalising was needed (most URLs), so that checking the
/// hundreds of links of a newsletter allocates little.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Url<'a> {
    /// Lower case: `https`.
    pub scheme: Cow<'a, str>,
    /// Lower case and percent-decoded, brackets kept for IPv6 (`[::1]`);
    /// empty when the URL has no `//authority` (`mailto:`, `https:oops`).
    pub host: Cow<'a, str>,
    /// The port as written, if any.
    pub port: Option<Cow<'a, str>>,
    /// Path, query and fragment, as written.
    pub rest: Cow<'a, str>,
}

impl<'a> Url<'a> {
    /// Splits `text`, or `None` when it has no scheme (a relative URL).
    ///
    /// ```
    /// let mail = mailtest_mime::url::Url::parse("mailto:help@example.com").unwrap();
    /// assert_eq!((&*mail.scheme, &*mail.host, &*mail.rest), ("mailto", "", "help@example.com"));
    /// ```
    pub fn parse(text: &'a str) -> Option<Url<'a>> {
        // The scheme's characters, then its colon: read in one pass that
        // stops at the first byte no scheme has (links are checked by the
        // hundred, and most of a URL is after its scheme).
        let bytes = text.as_bytes();
        let colon = bytes
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
            .filter(|&end| bytes[end] == b':' && bytes[0].is_ascii_alphabetic())?;
        let scheme = lower(Cow::Borrowed(&text[..colon]));
        let after = &text[colon + 1..];
        let Some(authority_and_rest) = after.strip_prefix("//") else {
            return Some(Url { scheme, host: Cow::Borrowed(""), port: None, rest: Cow::Borrowed(after) });
        };
        // One pass over the authority: where it ends, its last `@`, and
        // whether anything in it needs decoding or lower-casing (rarely).
        let bytes = authority_and_rest.as_bytes();
        let mut end = bytes.len();
        let mut at_sign = None;
        let mut plain = true;
        for (index, &byte) in bytes.iter().enumerate() {
            match byte {
                b'/' | b'?' | b'#' | b'\\' => {
                    end = index;
                    break;
                }
                b'@' => at_sign = Some(index),
                b'%' | b'A'..=b'Z' => plain = false,
                _ => {}
            }
        }
        let (authority, rest) = authority_and_rest.split_at(end);
        let host_port = at_sign.map_or(authority, |at| &authority[at + 1..]);
        let (host, port) = split_port(host_port);
        Some(Url {
            scheme,
            host: if plain { Cow::Borrowed(host) } else { lower(percent_decode(host)) },
            port: port.map(Cow::Borrowed),
            rest: Cow::Borrowed(rest),
        })
    }

    /// The same URL, owning its text (for a configured base URL).
    ///
    /// ```
    /// let base = mailtest_mime::url::Url::parse(&String::from("https://app.example.com")).unwrap().into_owned();
    /// assert_eq!(base.to_string(), "https://app.example.com");
    /// ```
    pub fn into_owned(self) -> Url<'static> {
        Url {
            scheme: Cow::Owned(self.scheme.into_owned()),
            host: Cow::Owned(self.host.into_owned()),
            port: self.port.map(|port| Cow::Owned(port.into_owned())),
            rest: Cow::Owned(self.rest.into_owned()),
        }
    }

    /// `http` or `https`.
    ///
    /// ```
    /// use mailtest_mime::url::Url;
    /// assert!(Url::parse("http://example.com").unwrap().is_web());
    /// assert!(!Url::parse("tel:+4412345").unwrap().is_web());
    /// ```
    pub fn is_web(&self) -> bool {
        self.scheme == "http" || self.scheme == "https"
    }

    /// The port, unless it is the scheme's default (so `http://x:80` and
    /// `https://x` compare equal apart from the scheme).
    fn explicit_port(&self) -> Option<&str> {
        let default = match &*self.scheme {
            "http" => "80",
            "https" => "443",
            _ => "",
        };
        self.port.as_deref().filter(|port| !port.is_empty() && *port != default)
    }

    fn path(&self) -> &str {
        let end = self.rest.find(['?', '#']).unwrap_or(self.rest.len());
        &self.rest[..end]
    }

    /// Whether this URL is under `base`: same host and port, and its path
    /// starts with the base's (at a segment boundary). The scheme is not
    /// compared.
    ///
    /// ```
    /// use mailtest_mime::url::Url;
    /// let base = Url::parse("https://app.example.com/shop/").unwrap();
    /// assert!(Url::parse("http://APP.example.com/shop/cart").unwrap().is_under(&base));
    /// assert!(!Url::parse("https://app.example.com/shopping").unwrap().is_under(&base));
    /// ```
    pub fn is_under(&self, base: &Url<'_>) -> bool {
        if self.host != base.host || self.explicit_port() != base.explicit_port() {
            return false;
        }
        let prefix = base.path().trim_end_matches('/');
        let path = self.path();
        prefix.is_empty()
            || path == prefix
            || path.strip_prefix(prefix).is_some_and(|after| after.starts_with('/'))
    }

    /// `https://host[:port]`, the port only when it is not the scheme's default.
    ///
    /// ```
    /// let url = mailtest_mime::url::Url::parse("https://example.com:443/a").unwrap();
    /// assert_eq!(url.origin(), "https://example.com");
    /// ```
    pub fn origin(&self) -> String {
        match self.explicit_port() {
            Some(port) => format!("{}://{}:{port}", self.scheme, self.host),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }

    /// What `reference` (relative, or the path of an absolute URL that
    /// went wrong) would be on this base.
    ///
    /// ```
    /// let base = mailtest_mime::url::Url::parse("https://app.example.com/shop/").unwrap();
    /// assert_eq!(base.join("/reset?t=1"), "https://app.example.com/reset?t=1");
    /// assert_eq!(base.join("cart"), "https://app.example.com/shop/cart");
    /// ```
    pub fn join(&self, reference: &str) -> String {
        if reference.starts_with('/') {
            format!("{}{reference}", self.origin())
        } else {
            let directory = match self.path().rfind('/') {
                Some(slash) => &self.path()[..=slash],
                None => "/",
            };
            format!("{}{directory}{reference}", self.origin())
        }
    }
}

/// `%XX` escapes decoded (RFC 3986), broken ones left as they are: a
/// `cid:a%40b` names `<a@b>` (RFC 2392), `http://%6c%6f%63%61%6c%68%6f%73%74/`
/// is localhost.
///
/// ```
/// assert_eq!(mailtest_mime::url::percent_decode("logo%40shop%2"), "logo@shop%2");
/// ```
pub fn percent_decode(text: &str) -> Cow<'_, str> {
    if !text.bytes().any(|b| b == b'%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes.get(at + 1..at + 3).and_then(|hex| std::str::from_utf8(hex).ok());
        match (bytes[at], hex.and_then(|hex| u8::from_str_radix(hex, 16).ok())) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                at += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                at += 1;
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(&decoded).into_owned())
}

/// Lower case, allocating only when something was upper case.
fn lower(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) { Cow::Owned(text.to_ascii_lowercase()) } else { text }
}

/// `host:port` → (`host`, `port`); IPv6 hosts keep their brackets.
fn split_port(host_port: &str) -> (&str, Option<&str>) {
    if host_port.starts_with('[') {
        return match host_port.find(']') {
            Some(close) => (&host_port[..=close], host_port[close + 1..].strip_prefix(':')),
            None => (host_port, None),
        };
    }
    // A port is the digits after the last colon: the digits at the end, a
    // colon before them.
    let bytes = host_port.as_bytes();
    let digits = bytes.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    let colon = bytes.len() - digits;
    match colon.checked_sub(1) {
        Some(colon) if bytes[colon] == b':' => (&host_port[..colon], Some(&host_port[colon + 1..])),
        _ => (host_port, None),
    }
}

impl fmt::Display for Url<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.is_empty() {
            write!(f, "{}:{}", self.scheme, self.rest)
        } else {
            write!(f, "{}{}", self.origin(), self.rest)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url<'_> {
        Url::parse(text).unwrap_or_else(|| panic!("{text} should parse"))
    }

    #[test]
    fn splits_scheme_host_port_and_rest() {
        let parsed = url("HTTPS://user:pw@App.Example.com:8443/a/b?c=1#d");
        assert_eq!(
            (&*parsed.scheme, &*parsed.host, parsed.port.as_deref(), &*parsed.rest),
            ("https", "app.example.com", Some("8443"), "/a/b?c=1#d")
        );
        assert_eq!(url("http://[::1]:3000/x").host, "[::1]");
        assert_eq!(url("mailto:ann@example.com").host, "");
        assert_eq!(Url::parse("/reset?t=1"), None);
        assert_eq!(Url::parse("{{ url }}"), None);
        assert_eq!(Url::parse("é:x"), None);
        assert_eq!(Url::parse(":x"), None);
        assert_eq!(Url::parse("1http://x"), None);
        assert_eq!(Url::parse("web+x.y-z:a").map(|url| url.scheme), Some(Cow::Borrowed("web+x.y-z")));
    }

    #[test]
    fn the_port_is_the_digits_after_the_last_colon() {
        let host_port = |text: &str| {
            let parsed = url(text);
            (parsed.host.into_owned(), parsed.port.map(Cow::into_owned))
        };
        assert_eq!(host_port("http://host:/x"), ("host".to_owned(), Some(String::new())));
        assert_eq!(host_port("http://a:b:80"), ("a:b".to_owned(), Some("80".to_owned())));
        assert_eq!(host_port("http://host:8a/"), ("host:8a".to_owned(), None));
        assert_eq!(host_port("http://8080"), ("8080".to_owned(), None));
        assert_eq!(host_port("http://:8080"), (String::new(), Some("8080".to_owned())));
    }

    #[test]
    fn percent_escapes_are_decoded_and_broken_ones_left_alone() {
        assert_eq!(percent_decode("a%40b%4"), "a@b%4");
        assert_eq!(percent_decode("%zz%"), "%zz%");
        assert_eq!(url("http://%6C%6Fcalhost:3000/").host, "localhost");
    }

    #[test]
    fn is_under_compares_host_port_and_path_prefix_not_scheme() {
        let base = url("https://app.example.com/shop/");
        assert!(url("http://app.example.com/shop/cart").is_under(&base));
        assert!(url("https://app.example.com:443/shop").is_under(&base));
        assert!(!url("https://app.example.com/shopping").is_under(&base));
        assert!(!url("https://app.example.com:8443/shop/").is_under(&base));
        assert!(!url("https://staging.app.example.com/shop/").is_under(&base));
        assert!(url("https://APP.example.com/x").is_under(&url("https://app.example.com")));
    }

    #[test]
    fn join_puts_a_reference_on_the_base() {
        let base = url("https://app.example.com/shop/");
        assert_eq!(base.join("/reset?t=1"), "https://app.example.com/reset?t=1");
        assert_eq!(base.join("cart"), "https://app.example.com/shop/cart");
        assert_eq!(url("https://app.example.com").join("cart"), "https://app.example.com/cart");
    }
}
