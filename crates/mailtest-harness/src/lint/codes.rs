//! The stable lint codes. A code, once released, keeps its meaning: tests
//! name them in `allow([..])`.

pub(crate) const MISSING_MESSAGE_ID: &str = "missing-message-id";
pub(crate) const MISSING_DATE: &str = "missing-date";
pub(crate) const LINE_TOO_LONG: &str = "line-too-long";
pub(crate) const HTML_WITHOUT_TEXT: &str = "html-without-text";
pub(crate) const DANGLING_CID: &str = "dangling-cid";
pub(crate) const UNREFERENCED_INLINE: &str = "unreferenced-inline";
pub(crate) const RELATIVE_URL: &str = "relative-url";
pub(crate) const LOCALHOST_URL: &str = "localhost-url";
pub(crate) const INSECURE_URL: &str = "insecure-url";
pub(crate) const OFF_BASE_URL: &str = "off-base-url";
pub(crate) const IMG_MISSING_ALT: &str = "img-missing-alt";
pub(crate) const HTML_MISSING_LANG: &str = "html-missing-lang";
pub(crate) const GMAIL_CLIP: &str = "gmail-clip";
pub(crate) const BCC_HEADER_VISIBLE: &str = "bcc-header-visible";
pub(crate) const LIST_UNSUBSCRIBE_SYNTAX: &str = "list-unsubscribe-syntax";
pub(crate) const ONE_CLICK_UNSUBSCRIBE: &str = "one-click-unsubscribe";
pub(crate) const LINT_PANICKED: &str = "lint-panicked";

/// Every lint code, in the order the rules run (see the table in the
/// [module docs](crate::lint)).
///
/// ```
/// assert!(mailtest::lint::CODES.contains(&"dangling-cid"));
/// ```
pub const CODES: &[&str] = &[
    MISSING_MESSAGE_ID,
    MISSING_DATE,
    LINE_TOO_LONG,
    HTML_WITHOUT_TEXT,
    DANGLING_CID,
    UNREFERENCED_INLINE,
    RELATIVE_URL,
    LOCALHOST_URL,
    OFF_BASE_URL,
    INSECURE_URL,
    IMG_MISSING_ALT,
    HTML_MISSING_LANG,
    GMAIL_CLIP,
    BCC_HEADER_VISIBLE,
    LIST_UNSUBSCRIBE_SYNTAX,
    ONE_CLICK_UNSUBSCRIBE,
    LINT_PANICKED,
];
