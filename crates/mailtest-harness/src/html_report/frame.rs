//! The HTML body as a document of its own, for `<iframe sandbox srcdoc=…>`.
//!
//! Three walls keep an email's HTML from doing anything but being seen:
//! - the iframe's `sandbox` has neither `allow-scripts` nor
//!   `allow-same-origin`: no script, no event handler, no access to the page
//!   around it, and no automatic refresh or navigation of the top page;
//! - a Content-Security-Policy that is the first element of the document, so
//!   it is in force before the email's own markup: nothing is loaded from
//!   anywhere — no tracking pixel, remote image, font or stylesheet — except
//!   `data:` URIs;
//! - `cid:` references are resolved here, before the browser sees them, to
//!   `data:` URIs of the message's own parts.

use std::sync::LazyLock;

use super::embed::Budget;
use crate::email::Email;
use mailtest_mime::Attachment;

/// The policy inside the frame: only inline styles and `data:` media.
pub(crate) const FRAME_POLICY: &str = "default-src 'none'; img-src data:; media-src data:; font-src data:; \
     style-src 'unsafe-inline' data:; form-action 'none'; base-uri 'none'";

/// The `sandbox` tokens: links the reader clicks may open a new tab, nothing more.
pub(crate) const SANDBOX: &str = "allow-popups allow-popups-to-escape-sandbox";

/// The head put before the email's HTML. A `<meta>` before the email's own
/// `<html>`/`<head>` is parsed into the head, so the policy comes first.
const PROLOGUE_START: &str =
    "<!DOCTYPE html><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"";
const PROLOGUE_END: &str = "\"><meta name=\"referrer\" content=\"no-referrer\"><base target=\"_blank\">\n";

/// `cid:` URLs: everything up to a quote, space, bracket or parenthesis.
static CID: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r#"(?i)\bcid:([^\s"'<>()]+)"#).expect("valid regex"));

/// The document for `srcdoc` (not yet escaped for the attribute), or `None`
/// when the email has no HTML body.
pub(crate) fn srcdoc(email: &Email, budget: &mut Budget) -> Option<String> {
    let html = email.html()?;
    let resolved = CID.replace_all(html, |found: &regex::Captures<'_>| {
        let id = percent_decode(&found[1]);
        match find_part(email.attachments(), &id)
            .and_then(|part| budget.data_uri(part.content_type(), part.content()))
        {
            Some(uri) => uri,
            // Left as written: the policy blocks it, and the attachment list says why.
            None => found[0].to_owned(),
        }
    });
    let mut document = String::with_capacity(resolved.len() + 400);
    document.push_str(PROLOGUE_START);
    document.push_str(FRAME_POLICY);
    document.push_str(PROLOGUE_END);
    document.push_str(&resolved);
    Some(document)
}

/// The part a `cid:` URL names: its Content-ID, exactly or in another case.
pub(crate) fn find_part<'a>(parts: &'a [Attachment], id: &str) -> Option<&'a Attachment> {
    parts.iter().find(|part| part.content_id() == Some(id)).or_else(|| {
        parts.iter().find(|part| part.content_id().is_some_and(|cid| cid.eq_ignore_ascii_case(id)))
    })
}

/// Whether the HTML refers to the part by `cid:`.
pub(crate) fn is_referenced(html: &str, content_id: &str) -> bool {
    CID.captures_iter(html).any(|found| percent_decode(&found[1]).eq_ignore_ascii_case(content_id))
}

/// RFC 2392: a `cid:` URL is the Content-ID with `%hh` escapes.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RELATED: &str = "Content-Type: multipart/related; boundary=b\r\n\r\n\
        --b\r\nContent-Type: text/html\r\n\r\n<img src=\"cid:logo%40shop\"><img src='CID:missing'>\r\n\
        --b\r\nContent-Type: image/png\r\nContent-ID: <logo@shop>\r\nContent-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n";

    #[test]
    fn cid_images_become_data_uris_and_the_policy_comes_first() {
        let email = Email::from_raw(RELATED);
        let document = srcdoc(&email, &mut Budget::new()).unwrap();

        assert!(document.starts_with(PROLOGUE_START), "{document}");
        assert!(document.contains("<img src=\"data:image/png;base64,UE5H\">"), "{document}");
        assert!(document.contains("<img src='CID:missing'>"), "an unknown part stays as written: {document}");
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(percent_decode("logo%40shop%2"), "logo@shop%2");
        assert!(is_referenced("<img src=\"cid:LOGO%40shop\">", "logo@shop"));
        assert!(!is_referenced("<img src=\"cid:other\">", "logo@shop"));
    }

    #[test]
    fn no_html_body_gives_no_frame() {
        assert_eq!(srcdoc(&Email::from_raw("Subject: x\r\n\r\ntext"), &mut Budget::new()), None);
    }
}
