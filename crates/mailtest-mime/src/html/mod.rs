//! HTML, read once and the same way by every reader of it: the text a
//! reader sees ([`html_to_text`]), the links
//! ([`links`](crate::links)), the lints, the report's `cid:` images.
//!
//! [`tokenize`] is the one tokenizer: tags with their attributes (quoted or
//! not, character references decoded on request), text, comments, raw-text
//! elements (`script`, `style`, `textarea`, `title`, …), each with its byte
//! span for a diagnostic to quote. [`Document`] keeps the start tags and
//! `<style>` sheets for readers that go over them more than once.
//!
//! # Comments
//!
//! What is in a comment is not markup: a link in `<!-- <a href=…> -->` is
//! no link a reader can click, so neither `links()` nor the lints see it.
//! Outlook's conditional comments (`<!--[if mso]>…<![endif]-->`) are the
//! exception: their content is the markup Outlook renders (VML buttons, the
//! fixed-width tables), so it is tokenized as markup, between
//! [`Kind::ConditionalStart`] and [`Kind::ConditionalEnd`]: `links()` and the
//! lints read it, as Outlook's readers click and load it. The text a
//! reader sees leaves it out, as every other client does.
//!
//! # Why hand-written
//!
//! The readers need none of a tree builder's work (implied tags, misnesting
//! repair, a DOM), and the tokenizing crates report no source offsets by
//! default and would be compiled into every test binary of every user. This
//! is one forward pass over the bytes with `memchr`, allocation-free.

mod document;
mod entities;
mod reference;
mod text;
mod tokens;

pub use document::{CidReference, Document, Element, Node};
pub use text::{decode_entities, html_to_text};
pub use tokens::{Attr, Kind, Tag, Token, Tokens, tokenize};
