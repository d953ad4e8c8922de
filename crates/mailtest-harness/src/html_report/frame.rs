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

use super::embed::Budget;
use crate::email::Email;
use mailtest_mime::Attachment;
use mailtest_mime::html::Document;

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

/// The document for `srcdoc` (not yet escaped for the attribute), or `None`
/// when the email has no HTML body. The `cid:` URLs are those the lints
/// read (attribute values and CSS `url(…)`, not text or comments).
pub(crate) fn srcdoc(email: &Email, budget: &mut Budget) -> Option<String> {
    let html = email.html()?;
    let mut references = Document::parse(html).cid_references();
    references.sort_by_key(|reference| reference.span.start);
    let mut document = String::with_capacity(html.len() + 400);
    document.push_str(PROLOGUE_START);
    document.push_str(FRAME_POLICY);
    document.push_str(PROLOGUE_END);
    let mut written = 0;
    for reference in references {
        let uri = find_part(email.attachments(), &reference.id)
            .and_then(|part| budget.data_uri(part.content_type(), part.content()));
        // Without one it is left as written: the policy blocks it, and the attachment list says why.
        if let Some(uri) = uri {
            document.push_str(&html[written..reference.span.start]);
            document.push_str(&uri);
            written = reference.span.end;
        }
    }
    document.push_str(&html[written..]);
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
    Document::parse(html)
        .cid_references()
        .iter()
        .any(|reference| reference.id.eq_ignore_ascii_case(content_id))
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
    fn only_urls_in_markup_are_resolved_not_text_or_comments() {
        let raw = RELATED
            .replace("<img src=\"cid:logo%40shop\">", "cid:logo@shop <!-- <img src=cid:logo@shop> -->");
        let document = srcdoc(&Email::from_raw(raw), &mut Budget::new()).unwrap();
        assert!(document.contains("cid:logo@shop <!-- <img src=cid:logo@shop> -->"), "{document}");
    }

    #[test]
    fn references_are_percent_decoded() {
        assert!(is_referenced("<img src=\"cid:LOGO%40shop\">", "logo@shop"));
        assert!(!is_referenced("<img src=\"cid:other\">", "logo@shop"));
    }

    #[test]
    fn no_html_body_gives_no_frame() {
        assert_eq!(srcdoc(&Email::from_raw("Subject: x\r\n\r\ntext"), &mut Budget::new()), None);
    }
}
