//! The stable lint codes. A code, once released, keeps its meaning: tests
//! name them in `allow([..])`.

pub(crate) const MISSING_MESSAGE_ID: &str = "missing-message-id";
pub(crate) const MISSING_DATE: &str = "missing-date";
pub(crate) const EMPTY_SUBJECT: &str = "empty-subject";
pub(crate) const LINE_TOO_LONG: &str = "line-too-long";
pub(crate) const HTML_WITHOUT_TEXT: &str = "html-without-text";
pub(crate) const UNRENDERED_PLACEHOLDER: &str = "unrendered-placeholder";
pub(crate) const RAW_TRANSLATION_KEY: &str = "raw-translation-key";
pub(crate) const DANGLING_CID: &str = "dangling-cid";
pub(crate) const UNREFERENCED_INLINE: &str = "unreferenced-inline";
pub(crate) const RELATIVE_URL: &str = "relative-url";
pub(crate) const LOCALHOST_URL: &str = "localhost-url";
pub(crate) const INSECURE_URL: &str = "insecure-url";
pub(crate) const OFF_BASE_URL: &str = "off-base-url";
pub(crate) const IMG_MISSING_ALT: &str = "img-missing-alt";
pub(crate) const HTML_MISSING_LANG: &str = "html-missing-lang";
pub(crate) const IMG_ALT_UNHELPFUL: &str = "img-alt-unhelpful";
pub(crate) const LINK_IMAGE_NO_ALT: &str = "link-image-no-alt";
pub(crate) const EMPTY_LINK: &str = "empty-link";
pub(crate) const VAGUE_LINK_TEXT: &str = "vague-link-text";
pub(crate) const LAYOUT_TABLE_ROLE: &str = "layout-table-role";
pub(crate) const HEADING_ORDER: &str = "heading-order";
pub(crate) const LOW_CONTRAST: &str = "low-contrast";
pub(crate) const SMALL_TEXT: &str = "small-text";
pub(crate) const JUSTIFIED_TEXT: &str = "justified-text";
pub(crate) const TEXT_MISSING_LINK: &str = "text-missing-link";
pub(crate) const GMAIL_CLIP: &str = "gmail-clip";
pub(crate) const BCC_HEADER_VISIBLE: &str = "bcc-header-visible";
pub(crate) const LIST_UNSUBSCRIBE_SYNTAX: &str = "list-unsubscribe-syntax";
pub(crate) const ONE_CLICK_UNSUBSCRIBE: &str = "one-click-unsubscribe";
pub(crate) const UNTRANSLATED_TEXT: &str = "untranslated-text";
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
    EMPTY_SUBJECT,
    UNRENDERED_PLACEHOLDER,
    RAW_TRANSLATION_KEY,
    DANGLING_CID,
    UNREFERENCED_INLINE,
    RELATIVE_URL,
    LOCALHOST_URL,
    OFF_BASE_URL,
    INSECURE_URL,
    IMG_MISSING_ALT,
    HTML_MISSING_LANG,
    IMG_ALT_UNHELPFUL,
    LINK_IMAGE_NO_ALT,
    EMPTY_LINK,
    VAGUE_LINK_TEXT,
    LAYOUT_TABLE_ROLE,
    HEADING_ORDER,
    LOW_CONTRAST,
    SMALL_TEXT,
    JUSTIFIED_TEXT,
    TEXT_MISSING_LINK,
    GMAIL_CLIP,
    BCC_HEADER_VISIBLE,
    LIST_UNSUBSCRIBE_SYNTAX,
    ONE_CLICK_UNSUBSCRIBE,
    UNTRANSLATED_TEXT,
    LINT_PANICKED,
];
