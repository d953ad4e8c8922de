//! The pieces of a decoded email: headers, attachments and the MIME tree.

use std::fmt;

/// One header field, unfolded and decoded (RFC 2047 encoded words become text).
///
/// ```
/// let email = mailtest::Email::from_raw("X-Campaign: =?utf-8?q?caf=C3=A9?=\r\n\r\n.");
/// let header = &email.headers()[0];
/// assert_eq!((header.name(), header.value()), ("X-Campaign", "café"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Header {
    pub(crate) name: String,
    pub(crate) value: String,
}

impl Header {
    /// The name, as written in the message.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("x-tag: a\r\n\r\n.");
    /// assert_eq!(email.headers()[0].name(), "x-tag");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value: unfolded, with encoded words decoded, trimmed.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw("X-Tag:  folded\r\n  value\r\n\r\n.");
    /// assert_eq!(email.headers()[0].value(), "folded value");
    /// ```
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.value)
    }
}

/// A part of the message that is not its text or HTML body: a file, an
/// inline image, a forwarded message.
///
/// ```
/// use lettre::message::{Attachment, MultiPart, SinglePart, header::ContentType};
///
/// let message = lettre::Message::builder()
///     .from("app@example.com".parse().unwrap())
///     .to("ann@example.com".parse().unwrap())
///     .multipart(
///         MultiPart::mixed()
///             .singlepart(SinglePart::plain(String::from("Your invoice is attached.")))
///             .singlepart(
///                 Attachment::new(String::from("invoice.pdf"))
///                     .body(b"%PDF-1.4 ...".to_vec(), ContentType::parse("application/pdf").unwrap()),
///             ),
///     )
///     .unwrap();
/// let email = mailtest::Email::from_raw(message.formatted());
/// let invoice = &email.attachments()[0];
/// assert_eq!(invoice.filename(), Some("invoice.pdf"));
/// assert_eq!(invoice.content_type(), "application/pdf");
/// assert_eq!(invoice.content(), b"%PDF-1.4 ...");
/// assert!(!invoice.is_inline());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    pub(crate) filename: Option<String>,
    pub(crate) content_type: String,
    pub(crate) content: Vec<u8>,
    pub(crate) inline: bool,
    pub(crate) content_id: Option<String>,
}

impl Attachment {
    /// The file name (RFC 2231 and RFC 2047 decoded), if the part has one.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// let logo = &email.attachments()[0];
    /// assert_eq!(logo.filename(), Some("logo.png"));
    /// ```
    pub fn filename(&self) -> Option<&str> {
        self.filename.as_deref()
    }

    /// The MIME type in lower case, without parameters: `application/pdf`.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// let logo = &email.attachments()[0];
    /// assert_eq!(logo.content_type(), "image/png");
    /// ```
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The decoded bytes (base64 and quoted-printable undone). For a
    /// forwarded `message/rfc822`, the whole forwarded message.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// let logo = &email.attachments()[0];
    /// assert_eq!(logo.content(), b"PNG");
    /// ```
    pub fn content(&self) -> &[u8] {
        &self.content
    }

    /// The decoded size in bytes.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// let logo = &email.attachments()[0];
    /// assert_eq!(logo.size(), 3);
    /// ```
    pub fn size(&self) -> usize {
        self.content.len()
    }

    /// Whether the part is shown inside the message (`Content-Disposition:
    /// inline`, or a `Content-ID` with no disposition) rather than offered
    /// as a download.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// let logo = &email.attachments()[0];
    /// assert_eq!(logo.is_inline(), true);
    /// ```
    pub fn is_inline(&self) -> bool {
        self.inline
    }

    /// The `Content-ID`, without angle brackets: what `cid:` URLs refer to.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// let logo = &email.attachments()[0];
    /// assert_eq!(logo.content_id(), Some("logo"));
    /// ```
    pub fn content_id(&self) -> Option<&str> {
        self.content_id.as_deref()
    }
}

impl fmt::Debug for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attachment")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("size", &self.content.len())
            .field("inline", &self.inline)
            .field("content_id", &self.content_id)
            .finish()
    }
}

/// A node of the message's MIME structure.
///
/// ```
/// let email = mailtest::Email::from_raw(
///     "Content-Type: multipart/alternative; boundary=b\r\n\r\n\
///      --b\r\nContent-Type: text/plain\r\n\r\nHi\r\n\
///      --b\r\nContent-Type: text/html\r\n\r\n<p>Hi</p>\r\n--b--\r\n",
/// );
/// let tree = email.mime_tree();
/// assert_eq!(tree.content_type(), "multipart/alternative");
/// let kinds: Vec<_> = tree.children().iter().map(|part| part.content_type()).collect();
/// assert_eq!(kinds, ["text/plain", "text/html"]);
/// ```
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct MimePart {
    pub(crate) content_type: String,
    pub(crate) charset: Option<String>,
    pub(crate) disposition: Option<String>,
    pub(crate) filename: Option<String>,
    pub(crate) content_id: Option<String>,
    pub(crate) transfer_encoding: Option<String>,
    pub(crate) size: usize,
    pub(crate) children: Vec<MimePart>,
}

impl MimePart {
    /// The MIME type in lower case, without parameters.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// let part = &email.mime_tree().children()[1];
    /// assert_eq!(part.content_type(), "image/png");
    /// ```
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The `charset` parameter, in lower case, if any.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// let html = &email.mime_tree().children()[0];
    /// assert_eq!(html.charset(), Some("utf-8"));
    /// ```
    pub fn charset(&self) -> Option<&str> {
        self.charset.as_deref()
    }

    /// The `Content-Disposition` type in lower case (`inline`, `attachment`).
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// let part = &email.mime_tree().children()[1];
    /// assert_eq!(part.disposition(), Some("inline"));
    /// ```
    pub fn disposition(&self) -> Option<&str> {
        self.disposition.as_deref()
    }

    /// The file name, decoded, if any.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// let part = &email.mime_tree().children()[1];
    /// assert_eq!(part.filename(), Some("logo.png"));
    /// ```
    pub fn filename(&self) -> Option<&str> {
        self.filename.as_deref()
    }

    /// The `Content-ID`, without angle brackets.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// let part = &email.mime_tree().children()[1];
    /// assert_eq!(part.content_id(), Some("logo"));
    /// ```
    pub fn content_id(&self) -> Option<&str> {
        self.content_id.as_deref()
    }

    /// The `Content-Transfer-Encoding` in lower case, if declared.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// let part = &email.mime_tree().children()[1];
    /// assert_eq!(part.transfer_encoding(), Some("base64"));
    /// ```
    pub fn transfer_encoding(&self) -> Option<&str> {
        self.transfer_encoding.as_deref()
    }

    /// The decoded size of a leaf's body in bytes; 0 for a multipart.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// let part = &email.mime_tree().children()[1];
    /// assert_eq!(part.size(), 3);
    /// ```
    pub fn size(&self) -> usize {
        self.size
    }

    /// The parts inside a multipart, or the forwarded message inside a
    /// `message/rfc822`.
    ///
    /// ```
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: multipart/related; boundary=b\r\n\r\n\
    ///      --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo\">\r\n\
    ///      --b\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=logo.png\r\n\
    ///      Content-Transfer-Encoding: base64\r\n\r\nUE5H\r\n--b--\r\n",
    /// );
    /// assert_eq!(email.mime_tree().children().len(), 2);
    /// ```
    pub fn children(&self) -> &[MimePart] {
        &self.children
    }
}
