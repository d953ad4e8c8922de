//! Parts embedded as `data:` URIs, within a size budget, so a report is one
//! self-contained file; what does not fit is left in the `.eml` beside it.

/// The largest part embedded (decoded bytes). Larger parts are linked to
/// the message's `.eml` instead.
pub(crate) const PART_LIMIT: usize = 1024 * 1024;
/// The most one page embeds in all (decoded bytes), so that an outbox of
/// large attachments still gives a page a browser opens quickly.
pub(crate) const PAGE_LIMIT: usize = 16 * 1024 * 1024;

/// What is left of one page's budget. Parts are embedded in page order, so
/// the same emails always embed the same parts.
pub(crate) struct Budget {
    left: usize,
}

impl Budget {
    pub(crate) fn new() -> Budget {
        Budget { left: PAGE_LIMIT }
    }

    /// `content` as a `data:` URI of `content_type`, or `None` when it is too
    /// large for a part or for what is left of the page.
    pub(crate) fn data_uri(&mut self, content_type: &str, content: &[u8]) -> Option<String> {
        if content.len() > PART_LIMIT || content.len() > self.left {
            return None;
        }
        self.left -= content.len();
        let mut uri = format!("data:{};base64,", safe_type(content_type));
        mailtest_mime::base64::encode_into(content, &mut uri);
        Some(uri)
    }
}

/// The type to declare in a `data:` URI: the part's own when it is a plain
/// `type/subtype`, else `application/octet-stream` (a header could hold
/// anything, and a `data:` URI must not be bent by it).
pub(crate) fn safe_type(content_type: &str) -> &str {
    let token =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b));
    match content_type.split_once('/') {
        Some((kind, sub)) if token(kind) && token(sub) => content_type,
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_is_embedded_while_it_fits() {
        let mut budget = Budget::new();
        assert_eq!(budget.data_uri("image/png", b"PNG").as_deref(), Some("data:image/png;base64,UE5H"));
        assert_eq!(budget.data_uri("image/png", &vec![0; PART_LIMIT + 1]), None);
        for _ in 0..PAGE_LIMIT / PART_LIMIT {
            assert!(budget.data_uri("application/pdf", &vec![0; PART_LIMIT - 1]).is_some());
        }
        assert_eq!(budget.data_uri("image/png", &[0; 17]), None, "page budget spent: 16 bytes left");
    }

    #[test]
    fn an_odd_content_type_becomes_octet_stream() {
        assert_eq!(safe_type("image/svg+xml"), "image/svg+xml");
        assert_eq!(safe_type("text/html;,<script>"), "application/octet-stream");
        assert_eq!(safe_type("image"), "application/octet-stream");
        assert_eq!(safe_type("/png"), "application/octet-stream");
    }
}
