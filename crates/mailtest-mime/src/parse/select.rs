//! Which parts are the text body, the HTML body and the attachments: the
//! algorithm mail clients and JMAP servers use (RFC 8621 §4.1.4,
//! `parseStructure`).
//!
//! A text/plain part the algorithm puts in the text body is part of
//! [`text`](crate::Email::text), a text/html part in the HTML body part of
//! [`html`](crate::Email::html); every other leaf — files, inline images, a
//! text part offered as a download, a forwarded message as a whole — is an
//! attachment. So each leaf is in exactly one of the three, and nothing is
//! dropped.

use super::leaf;
use super::parameters::Parameters;
use super::tree::{Children, Part};

/// A leaf and its position (`[2, 1]` for part 2.1; `[]` for a message that
/// is not multipart).
pub(super) struct Leaf<'p, 'a> {
    pub(super) part: &'p Part<'a>,
    pub(super) path: Vec<usize>,
    pub(super) role: Role,
    pub(super) disposition: Parameters,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Role {
    Text,
    Html,
    Attachment,
}

/// Every leaf of `root`, in order, with its role.
pub(super) fn leaves<'p, 'a>(root: &'p Part<'a>) -> Vec<Leaf<'p, 'a>> {
    let mut selection = Selection { leaves: Vec::new() };
    match &root.children {
        Children::Parts(parts) => {
            let subtype = subtype(&root.content_type);
            let alternative = subtype == "alternative";
            selection.structure(parts.iter().collect(), &[], subtype, alternative, true, true);
        }
        _ => selection.structure(vec![root], &[], "mixed", false, true, true),
    }
    selection.leaves
}

struct Selection<'p, 'a> {
    leaves: Vec<Leaf<'p, 'a>>,
}

fn subtype(content_type: &str) -> &str {
    content_type.split_once('/').map_or("", |(_, sub)| sub)
}

fn is_inline_media(content_type: &str) -> bool {
    ["image/", "audio/", "video/"].iter().any(|prefix| content_type.starts_with(prefix))
}

impl<'p, 'a> Selection<'p, 'a> {
    /// `parseStructure(parts, multipartType, inAlternative, htmlBody,
    /// textBody, attachments)`, where a body set to null for the rest of a
    /// multipart is `text_body` / `html_body` turned false. `base` is the
    /// position of the multipart (`[]` and a single part: the message itself).
    fn structure(
        &mut self,
        parts: Vec<&'p Part<'a>>,
        base: &[usize],
        multipart_type: &str,
        in_alternative: bool,
        mut text_body: bool,
        mut html_body: bool,
    ) {
        let single = parts.len() == 1 && base.is_empty() && !matches!(parts[0].children, Children::Parts(_));
        for (i, part) in parts.into_iter().enumerate() {
            let mut path = base.to_vec();
            if !single {
                path.push(i + 1);
            }
            let content_type = part.content_type.as_str();
            let disposition = leaf::disposition(part);
            let is_inline = disposition.kind.as_deref() != Some("attachment")
                && (matches!(content_type, "text/plain" | "text/html") || is_inline_media(content_type))
                && (i == 0
                    || (multipart_type != "related"
                        && (is_inline_media(content_type) || leaf::filename(part, &disposition).is_none())));
            if let Children::Parts(children) = &part.children {
                let sub = subtype(content_type);
                self.structure(
                    children.iter().collect(),
                    &path,
                    sub,
                    in_alternative || sub == "alternative",
                    text_body,
                    html_body,
                );
                continue;
            }
            let mut role = Role::Attachment;
            if is_inline {
                if multipart_type == "alternative" {
                    role = match content_type {
                        "text/plain" => Role::Text,
                        "text/html" => Role::Html,
                        _ => Role::Attachment,
                    };
                } else {
                    if in_alternative {
                        match content_type {
                            "text/plain" => html_body = false,
                            "text/html" => text_body = false,
                            _ => {}
                        }
                    }
                    role = match content_type {
                        "text/plain" if text_body => Role::Text,
                        "text/html" if html_body => Role::Html,
                        _ => Role::Attachment,
                    };
                }
            }
            self.leaves.push(Leaf { part, path, role, disposition });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::tree;

    fn roles(raw: &str) -> Vec<(String, Role)> {
        let root = tree::message(raw.as_bytes(), &mut Vec::new());
        leaves(&root).iter().map(|leaf| (leaf.part.content_type.clone(), leaf.role)).collect()
    }

    #[test]
    fn alternative_with_inline_image_and_attachment() {
        let roles = roles(
            "Content-Type: multipart/mixed; boundary=m\n\n--m\n\
             Content-Type: multipart/alternative; boundary=a\n\n--a\nContent-Type: text/plain\n\nhi\n\
             --a\nContent-Type: multipart/related; boundary=r\n\n--r\nContent-Type: text/html\n\n<p>hi</p>\n\
             --r\nContent-Type: image/png; name=logo.png\n\nPNG\n--r--\n--a--\n\
             --m\nContent-Type: text/plain; name=notes.txt\n\nnotes\n--m--\n",
        );
        assert_eq!(
            roles,
            [
                ("text/plain".to_owned(), Role::Text),
                ("text/html".to_owned(), Role::Html),
                ("image/png".to_owned(), Role::Attachment),
                ("text/plain".to_owned(), Role::Attachment),
            ]
        );
    }

    #[test]
    fn inline_texts_in_mixed_are_all_body() {
        let roles = roles(
            "Content-Type: multipart/mixed; boundary=m\n\n--m\n\nA\n--m\nContent-Disposition: inline\n\nB\n--m--\n",
        );
        assert_eq!(roles, [("text/plain".to_owned(), Role::Text), ("text/plain".to_owned(), Role::Text)]);
    }
}
