//! Text patterns: a literal string or a regular expression.

use std::fmt;

/// What a text criterion looks for: a literal string or a regular expression.
///
/// Every method that takes a pattern takes `impl Into<Pattern>`, so a `&str`
/// or `String` works as it is and [`regex()`] builds the other kind. A literal
/// means *equal to* for exact criteria (`subject`) and *contains* for
/// `*_contains` criteria; a regex is searched for in both.
///
/// Opaque on purpose: which regex engine mailtest uses is not part of its
/// API, so a new major version of that engine changes nothing for you. Build
/// a regex pattern from its source text with [`regex()`]; for any other test
/// of an email, use `matching(|email| ..)`.
///
/// ```
/// use mailtest::{Pattern, regex};
///
/// let literal: Pattern = "Welcome".into();
/// assert!(literal.is_match_exact("Welcome"));
/// assert!(!literal.is_match_exact("Welcome, Ann"));
/// assert!(literal.is_found_in("Welcome, Ann"));
///
/// let pattern = regex(r"^Welcome, \w+$");
/// assert!(pattern.is_match_exact("Welcome, Ann"));
/// assert_eq!(pattern.to_string(), r#"regex(r"^Welcome, \w+$")"#);
/// ```
#[derive(Clone)]
pub struct Pattern {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Literal(String),
    /// Searched, not anchored, unless the source anchors it.
    Regex(regex_lite::Regex),
}

/// Builds a regular-expression [`Pattern`], usable wherever a text pattern is
/// taken. The syntax is that of the `regex` crate (Perl-like, no
/// look-around, no back-references), read by `regex-lite`, which a cold test
/// build compiles in a fraction of the time. Its Unicode support is basic:
///
/// - it matches character by character, so `.`, `[^,]` and literal `é` work
///   on any text;
/// - `\w`, `\d`, `\s` and `\b` are ASCII: write `[\w\u{80}-\u{10FFFF}]`
///   or `[^\s,]` for words with accents, `\S+` for "anything but spaces";
/// - `(?i)` folds ASCII letters only: write `[éÉ]` for others;
/// - Unicode classes (`\p{L}`) are refused, with that error, when the
///   pattern is built.
///
/// # Panics
///
/// When `pattern` is not a valid regular expression; the message shows the
/// pattern and the error, at your line.
///
/// ```
/// // Accented words: `\w` is ASCII, so name the characters you mean.
/// assert!(mailtest::regex(r"^Hallo, [^,!]+!$").is_match_exact("Hallo, Jürgen!"));
/// assert!(!mailtest::regex(r"^Hallo, \w+!$").is_match_exact("Hallo, Jürgen!"));
/// ```
///
/// ```
/// let mail = mailtest::capture();
/// mail.capture_raw(None, &["ann@example.com"], b"Subject: Your code is 123456\r\n\r\nHi");
/// mail.find().subject(mailtest::regex(r"code is \d{6}")).one();
/// ```
#[track_caller]
pub fn regex(pattern: &str) -> Pattern {
    match regex_lite::Regex::new(pattern) {
        Ok(re) => Pattern { kind: Kind::Regex(re) },
        Err(err) => panic!("mailtest::regex({pattern:?}) is not a valid regular expression:\n{err}"),
    }
}

impl Pattern {
    /// Whether `text` equals the literal, or the regex matches somewhere in it.
    ///
    /// ```
    /// assert!(mailtest::Pattern::from("Hi").is_match_exact("Hi"));
    /// assert!(mailtest::regex("^H").is_match_exact("Hi there"));
    /// ```
    pub fn is_match_exact(&self, text: &str) -> bool {
        match &self.kind {
            Kind::Literal(literal) => literal == text,
            Kind::Regex(re) => re.is_match(text),
        }
    }

    /// Whether `text` contains the literal, or the regex matches somewhere in it.
    ///
    /// ```
    /// assert!(mailtest::Pattern::from("there").is_found_in("Hi there"));
    /// ```
    pub fn is_found_in(&self, text: &str) -> bool {
        match &self.kind {
            Kind::Literal(literal) => text.contains(literal.as_str()),
            Kind::Regex(re) => re.is_match(text),
        }
    }

    /// The literal text, when this is not a regex.
    pub(crate) fn literal(&self) -> Option<&str> {
        match &self.kind {
            Kind::Literal(literal) => Some(literal),
            Kind::Regex(_) => None,
        }
    }

    /// The text as written: the literal, or the regex's source.
    pub(crate) fn source(&self) -> &str {
        match &self.kind {
            Kind::Literal(literal) => literal,
            Kind::Regex(re) => re.as_str(),
        }
    }
}

impl fmt::Display for Pattern {
    /// `"text"` for a literal, `regex("…")` for a regex: how reports show it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Literal(literal) => write!(f, "{literal:?}"),
            // As the user would write it in code: a raw string when it has backslashes.
            Kind::Regex(re) => match re.as_str() {
                source if source.contains('"') => write!(f, "regex(r#\"{source}\"#)"),
                source if source.contains('\\') => write!(f, "regex(r\"{source}\")"),
                source => write!(f, "regex(\"{source}\")"),
            },
        }
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<&str> for Pattern {
    fn from(literal: &str) -> Self {
        Pattern { kind: Kind::Literal(literal.to_owned()) }
    }
}

impl From<String> for Pattern {
    fn from(literal: String) -> Self {
        Pattern { kind: Kind::Literal(literal) }
    }
}

impl From<&String> for Pattern {
    fn from(literal: &String) -> Self {
        Pattern::from(literal.as_str())
    }
}

impl From<&Pattern> for Pattern {
    fn from(pattern: &Pattern) -> Self {
        pattern.clone()
    }
}
