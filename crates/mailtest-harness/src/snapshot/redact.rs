//! What is hidden from a rendering: the volatile values every send changes
//! (found by the renderer and here), then the user's own [`Redactions`].

use std::fmt;
use std::sync::LazyLock;

use regex_lite::Regex;

/// Your own redactions, applied to the rendered text after the built-in ones:
/// each pattern, in the order added, replaces every match.
///
/// Use them for values your code generates that the built-in list cannot
/// know about: tokens in links, order numbers, timestamps in the body. The
/// replacement is expanded like [`regex_lite::Regex::replace_all`]'s, so `$1` and
/// `${name}` insert capture groups (write `$$` for a literal `$`).
///
/// ```
/// use mailtest::snapshot::{Redactions, render_with};
///
/// let email = mailtest::Email::from_raw(
///     "Subject: Confirm\r\n\r\nhttps://shop.example.com/confirm?t=8f3a9c&lang=en\r\n",
/// );
/// let redactions = Redactions::new().pattern(r"(confirm\?t=)\w+", "${1}[token]");
/// assert!(render_with(&email, &redactions).contains("https://shop.example.com/confirm?t=[token]&lang=en"));
/// ```
#[derive(Clone, Default)]
#[must_use = "a Redactions does nothing until it is passed to render_with or a snapshot macro"]
pub struct Redactions {
    rules: Vec<Rule>,
}

#[derive(Clone)]
struct Rule {
    regex: Regex,
    replacement: String,
}

impl Redactions {
    /// No redactions beyond the built-in ones.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("Subject: Hi\r\n\r\nHello\r\n");
    /// let redactions = mailtest::snapshot::Redactions::new();
    /// assert_eq!(mailtest::snapshot::render_with(&email, &redactions), mailtest::snapshot::render(&email));
    /// ```
    pub fn new() -> Redactions {
        Redactions::default()
    }

    /// Adds a rule: every match of `regex` is replaced with `replacement`
    /// (`$1`, `${name}` expand capture groups).
    ///
    /// # Panics
    ///
    /// When `regex` is not a valid regular expression, at your line, showing
    /// the pattern and what is wrong with it.
    ///
    /// ```
    /// use mailtest::snapshot::{Redactions, render_with};
    ///
    /// let email = mailtest::Email::from_raw("Subject: Order 10423 shipped\r\n\r\n.");
    /// let redactions = Redactions::new().pattern(r"Order \d+", "Order [number]");
    /// assert!(render_with(&email, &redactions).contains("Subject: Order [number] shipped"));
    /// ```
    #[track_caller]
    pub fn pattern(mut self, regex: &str, replacement: &str) -> Redactions {
        match Regex::new(regex) {
            Ok(compiled) => self.rules.push(Rule { regex: compiled, replacement: replacement.to_owned() }),
            Err(err) => panic!(
                "mailtest::snapshot::Redactions::pattern({regex:?}, ..): not a valid regular expression:\n{err}"
            ),
        }
        self
    }

    /// Whether no rule was added.
    ///
    /// ```
    /// assert!(mailtest::snapshot::Redactions::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Applies every rule, in order, to `text`.
    ///
    /// ```
    /// let redactions = mailtest::snapshot::Redactions::new().pattern(r"\d{6}", "[code]");
    /// assert_eq!(redactions.apply("your code is 123456"), "your code is [code]");
    /// ```
    pub fn apply(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for rule in &self.rules {
            if let std::borrow::Cow::Owned(replaced) =
                rule.regex.replace_all(&text, rule.replacement.as_str())
            {
                text = replaced;
            }
        }
        text
    }
}

impl fmt::Debug for Redactions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.rules.iter().map(|rule| (rule.regex.as_str(), rule.replacement.as_str())))
            .finish()
    }
}

/// The label shown for a MIME boundary that leaked into a body.
pub(crate) const BOUNDARY: &str = "[boundary]";
/// The label of a message id that is neither this email's nor a known
/// one's, but looks machine-made.
pub(crate) const GENERATED_ID: &str = "[generated-id]";

/// Boundaries shorter than this are written by hand (`b`, `xyz`) and cannot
/// vary between sends; replacing them everywhere would mangle the text.
const MIN_SCRUBBED_LEN: usize = 12;

/// A uuid, a long run of letters and digits mixed, or a long number (a
/// timestamp): how generated ids look. Hand-made ones (`order-42`) do not.
static GENERATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-z]{16,}|\d{10,}")
        .expect("valid regex")
});

/// Whether a message id looks machine-made (lettre's are 36 random letters
/// and digits at the host name).
pub(crate) fn looks_generated(id: &str) -> bool {
    let local = id.rsplit_once('@').map_or(id, |(local, _)| local);
    GENERATED.find_iter(local).any(|found| {
        let run = found.as_str();
        run.contains('-') || run.bytes().all(|b| b.is_ascii_digit()) || has_letter_and_digit(run)
    })
}

fn has_letter_and_digit(run: &str) -> bool {
    run.bytes().any(|b| b.is_ascii_digit()) && run.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Every MIME boundary declared anywhere in `raw` (nested messages too),
/// longest first, that is long enough to be scrubbed safely.
pub(crate) fn boundaries(raw: &[u8]) -> Vec<String> {
    let mut found: Vec<String> = boundary_params(raw)
        .map(|value| String::from_utf8_lossy(value).into_owned())
        .filter(|boundary| boundary.len() >= MIN_SCRUBBED_LEN)
        .collect();
    found.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    found.dedup();
    found
}

/// The value of each `boundary=` parameter in `raw`, quoted (`"…"`, on one
/// line) or not (up to white space, `;` or `"`); the name in any case, as a
/// word of its own. Scanned by hand: a regex engine would walk every byte of
/// a large message, and `boundary` is rare.
fn boundary_params(raw: &[u8]) -> impl Iterator<Item = &[u8]> {
    const NAME: &[u8] = b"boundary";
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let space = |from: usize| from + raw[from..].iter().take_while(|b| b.is_ascii_whitespace()).count();
    memchr::memchr2_iter(b'b', b'B', raw).filter_map(move |at| {
        let name = raw.get(at..at + NAME.len())?;
        if !name.eq_ignore_ascii_case(NAME) || (at > 0 && is_word(raw[at - 1])) {
            return None;
        }
        let equals = space(at + NAME.len());
        if raw.get(equals) != Some(&b'=') {
            return None;
        }
        let start = space(equals + 1);
        if raw.get(start) == Some(&b'"') {
            let len = raw[start + 1..].iter().take_while(|b| !matches!(b, b'"' | b'\r' | b'\n')).count();
            (len > 0 && raw.get(start + 1 + len) == Some(&b'"')).then(|| &raw[start + 1..start + 1 + len])
        } else {
            let len = raw[start..]
                .iter()
                .take_while(|b| !(b.is_ascii_whitespace() || matches!(b, b';' | b'"')))
                .count();
            (len > 0).then(|| &raw[start..start + len])
        }
    })
}

/// Replaces each volatile value in `text` with its label; longer values
/// first, so one that contains another is replaced whole.
pub(crate) fn scrub(text: &str, values: &[(String, String)]) -> String {
    let mut values: Vec<&(String, String)> =
        values.iter().filter(|(value, _)| value.len() >= MIN_SCRUBBED_LEN).collect();
    values.sort_by_key(|(value, _)| std::cmp::Reverse(value.len()));
    let mut text = text.to_owned();
    for (value, label) in values {
        if text.contains(value.as_str()) {
            text = text.replace(value.as_str(), label);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_recognised_and_hand_made_ones_are_not() {
        let cases = [
            ("Xk3v9QpL2mZr7TnB4wYc8HdJ1sFg6aEu5oRi@localhost", true),
            ("3f2a9c1e-5b7d-4a4f-9e21-0c6d8b7a1f3e@mail.example.com", true),
            ("1715000000123.4242@example.com", true),
            ("CAJ4fZ2r1p9x8w7v6u5t4s3q2@mail.gmail.com", true),
            ("order-42@shop.example.com", false),
            ("welcome.2024-05-01@shop.example.com", false),
            ("thread-root@example.com", false),
            ("abcdefghijklmnopqrstuvwxyz@example.com", false),
        ];
        for (id, generated) in cases {
            assert_eq!(looks_generated(id), generated, "{id}");
        }
    }

    #[test]
    fn boundaries_are_found_quoted_or_not_and_short_ones_are_left_alone() {
        let raw = b"Content-Type: multipart/mixed; boundary=\"AbCdEfGhIjKlMnOp\"\r\n\r\n\
            --AbCdEfGhIjKlMnOp\r\nContent-Type: multipart/alternative; BOUNDARY=qrstuvwxyz0123456789\r\n\
            \r\n--b\r\nContent-Type: multipart/related; boundary=b\r\n";
        assert_eq!(boundaries(raw), ["qrstuvwxyz0123456789", "AbCdEfGhIjKlMnOp"]);
    }

    #[test]
    fn a_boundary_parameter_is_a_word_of_its_own_with_a_value() {
        let raw = b"X: databoundary=aaaaaaaaaaaaaaaa; boundary =\r\n\t\"bbbbbbbbbbbbbbbb\"\r\n\
            boundary=\"cccccccccccc\r\ncccc\" boundary= ; Boundary=\"\" boundary:dddddddddddddddd\r\n\
            boundary=\xff\xfeeeeeeeeeeeeeeeeee;x";
        assert_eq!(boundaries(raw), ["\u{fffd}\u{fffd}eeeeeeeeeeeeeeeee", "bbbbbbbbbbbbbbbb"]);
    }

    #[test]
    fn user_rules_apply_in_order_with_capture_groups() {
        let redactions =
            Redactions::new().pattern(r"t=(\w+)", "t=[token:$1]").pattern(r"\[token:\w+\]", "[token]");
        assert_eq!(redactions.apply("a?t=abc&b?t=def"), "a?t=[token]&b?t=[token]");
    }
}
