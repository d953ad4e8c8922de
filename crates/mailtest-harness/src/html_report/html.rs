//! Writing HTML so that nothing from an email can become markup.
//!
//! Markup only comes from `&'static str` literals in this crate ([`Html::tag`]);
//! every other string — a subject, a display name, a file name, the failure
//! text, the whole HTML body bound for `srcdoc` — goes through [`Html::text`],
//! which escapes it for both element content and quoted attribute values.
//! The type makes the safe path the only path: there is no way to push a
//! runtime `String` unescaped.

/// An HTML document being written.
pub(crate) struct Html {
    out: String,
}

impl Html {
    pub(crate) fn new() -> Html {
        Html { out: String::with_capacity(16 * 1024) }
    }

    /// Trusted markup, written as is: only literals of this crate.
    pub(crate) fn tag(&mut self, markup: &'static str) -> &mut Html {
        self.out.push_str(markup);
        self
    }

    /// Text from anywhere, escaped: safe as element content and inside a
    /// double- or single-quoted attribute value.
    pub(crate) fn text(&mut self, text: &str) -> &mut Html {
        escape_into(&mut self.out, text);
        self
    }

    /// A number (ids, counts, sizes): nothing to escape.
    pub(crate) fn num(&mut self, n: impl Into<u64>) -> &mut Html {
        use std::fmt::Write as _;
        let _ = write!(self.out, "{}", n.into());
        self
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'`: enough for text and for quoted
/// attribute values (an unquoted attribute is never written). A loop over
/// bytes, not `str::find` with a set of chars: the five are ASCII, so a
/// byte never falls inside a character, and the page is built in the test
/// process, compiled without optimisation as `cargo test` builds it, where
/// the char searcher cost a third of a report's time.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    for (at, byte) in bytes.iter().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(entity);
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
}

/// Reverses [`escape_into`] (for reading back what this module wrote; not
/// a reader of HTML in general).
pub(crate) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (plain, len) = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\'')]
            .iter()
            .find(|(entity, _)| rest.starts_with(entity))
            .map_or(('&', 1), |(entity, plain)| (*plain, entity.len()));
        out.push(plain);
        rest = &rest[len..];
    }
    out.push_str(rest);
    out
}

/// `text` escaped, as a new string.
#[cfg(test)]
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_reverses_escape() {
        let text = "a & b < c > d \" e ' f &amp; g &";
        assert_eq!(unescape(&escape(text)), text);
    }

    #[test]
    fn every_special_character_is_escaped() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("plain ünïcode"), "plain ünïcode");
        assert_eq!(
            escape("ü<é>&\"'ß"),
            "ü&lt;é&gt;&amp;&quot;&#39;ß",
            "specials beside multi-byte characters"
        );
        assert_eq!(escape("&"), "&amp;");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn only_literals_are_markup() {
        let mut html = Html::new();
        html.tag("<p title=\"").text("\"><img src=x onerror=alert(1)>").tag("\">").num(7u32).tag("</p>");
        assert_eq!(html.finish(), "<p title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">7</p>");
    }
}
