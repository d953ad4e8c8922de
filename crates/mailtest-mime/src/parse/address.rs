//! Address lists (RFC 5322 §3.4, with the obsolete syntax of §4.4), read
//! the way mail clients read them.
//!
//! Lists are split here, as general parsers get them wrong: comments kept
//! inside display names (`Pete (A wonderful \) chap)`), obsolete source
//! routes kept in the address (`@route.tld:foo@bar.com`), the white space
//! of obsolete dotted forms (`jdoe@test . example`), two addresses missing
//! their comma joined into one. A display name's RFC 2047 words are decoded
//! as unstructured text is.
//!
//! - Comments are not part of a name or an address; an address with no name
//!   but a comment (`bob@example.com (Bob Smith)`, the old convention) takes
//!   the comment as its name.
//! - Groups (`Team: a@x, b@y;`) give their members; an empty one
//!   (`undisclosed-recipients:;`) gives none.
//! - Addresses with no comma between them are still two addresses.

use super::fields;
use crate::mailbox::Mailbox;

/// Tokens over the field's bytes: names keep their raw bytes, so that an
/// encoded word's own charset (or the raw 8-bit guess) reads them later.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    /// A run of bytes that are not white space or specials.
    Atom(Vec<u8>),
    Quoted(Vec<u8>),
    Comment(Vec<u8>),
    /// One of `< > , : ; @`.
    Special(u8),
    Space,
}

fn tokens(value: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut bytes = value.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        match b {
            b'"' => {
                let mut text = Vec::new();
                while let Some(b) = bytes.next() {
                    match b {
                        b'"' => break,
                        b'\\' => text.extend(bytes.next()),
                        b => text.push(b),
                    }
                }
                tokens.push(Token::Quoted(text));
            }
            b'(' => {
                let (mut depth, mut text) = (1, Vec::new());
                while let Some(b) = bytes.next() {
                    match b {
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        b'\\' => {
                            text.extend(bytes.next());
                            continue;
                        }
                        _ => {}
                    }
                    // Nested parentheses read as the space they stand for.
                    text.push(if matches!(b, b'(' | b')') { b' ' } else { b });
                }
                tokens.push(Token::Comment(text));
            }
            b'<' | b'>' | b',' | b':' | b';' | b'@' => tokens.push(Token::Special(b)),
            b if b.is_ascii_whitespace() => {
                while bytes.next_if(u8::is_ascii_whitespace).is_some() {}
                tokens.push(Token::Space);
            }
            b => {
                let mut atom = vec![b];
                while let Some(b) = bytes.next_if(|b| !b.is_ascii_whitespace() && !b"\"(<>,:;@".contains(b)) {
                    atom.push(b);
                }
                tokens.push(Token::Atom(atom));
            }
        }
    }
    tokens
}

/// The mailboxes of an address field, and what was wrong with it, in words.
pub(super) fn parse(value: &[u8]) -> (Vec<Mailbox>, Vec<String>) {
    let tokens = tokens(value);
    let mut mailboxes = Vec::new();
    let mut notes = Vec::new();
    let mut start = 0;
    let mut depth_angle = false;
    let mut i = 0;
    while i <= tokens.len() {
        let at_end = i == tokens.len();
        let token = tokens.get(i);
        match token {
            Some(Token::Special(b'<')) => depth_angle = true,
            Some(Token::Special(b'>')) => depth_angle = false,
            // A group's name ends at its colon: the members follow.
            Some(Token::Special(b':')) if !depth_angle && !has_address(&tokens[start..i]) => start = i + 1,
            _ => {}
        }
        let ends_entry = at_end || (!depth_angle && matches!(token, Some(Token::Special(b',' | b';'))));
        if ends_entry {
            entry(&tokens[start..i], &mut mailboxes, &mut notes);
            start = i + 1;
        }
        i += 1;
    }
    (mailboxes, notes)
}

fn has_address(tokens: &[Token]) -> bool {
    tokens.iter().any(|token| matches!(token, Token::Special(b'<' | b'@')))
}

/// One entry of the list: `Name <addr>`, `addr (Name)`, or several bare
/// addresses missing their commas.
fn entry(tokens: &[Token], mailboxes: &mut Vec<Mailbox>, notes: &mut Vec<String>) {
    if tokens.iter().all(|token| matches!(token, Token::Space | Token::Comment(_))) {
        return;
    }
    if let Some(open) = tokens.iter().position(|token| *token == Token::Special(b'<')) {
        let close = tokens[open..]
            .iter()
            .position(|token| *token == Token::Special(b'>'))
            .map_or(tokens.len(), |at| open + at);
        let address = addr_spec(&tokens[open + 1..close]);
        let name = phrase(&tokens[..open]).or_else(|| comment(tokens));
        match address {
            Some(address) => mailboxes.push(Mailbox { name, address }),
            None => notes.extend(name.map(unreadable)),
        }
        return;
    }
    // No angle brackets: one or more addr-specs, split where white space
    // separates two that each have an `@`; words before a single address
    // are its name (`Big Bug bb@bug.com`).
    let words: Vec<&[Token]> =
        tokens.split(|token| *token == Token::Space).filter(|word| !word.is_empty()).collect();
    let has_at: Vec<bool> = words
        .iter()
        .map(|word| word.contains(&Token::Special(b'@')) && word.first() != Some(&Token::Special(b'@')))
        .collect();
    if words.len() > 1 && has_at.iter().all(|&at| at) {
        for word in words {
            if let Some(address) = addr_spec(word) {
                mailboxes.push(Mailbox { name: comment(word), address });
            }
        }
        return;
    }
    let one_address_last = has_at.last() == Some(&true) && has_at.iter().filter(|&&at| at).count() == 1;
    if let Some((last, before)) = words.split_last().filter(|_| words.len() > 1 && one_address_last)
        && let Some(address) = addr_spec(last)
    {
        let name = phrase(&before.join(&Token::Space)).or_else(|| comment(tokens));
        mailboxes.push(Mailbox { name, address });
        return;
    }
    match addr_spec(tokens) {
        Some(address) if address.contains('@') => {
            mailboxes.push(Mailbox { name: comment(tokens), address });
        }
        // A local part alone (`To: noone`, RFC 822's local delivery): kept,
        // and said.
        Some(address) if words.len() == 1 => {
            notes.push(format!("the address {address:?} has no domain"));
            mailboxes.push(Mailbox { name: comment(tokens), address });
        }
        _ => notes.extend(phrase(tokens).map(unreadable)),
    }
}

fn unreadable(entry: String) -> String {
    format!("no address could be read in {entry}")
}

/// An address from the tokens inside `<…>` or of a bare entry: comments
/// and white space dropped, an obsolete route (`@a,@b:`) skipped, a quoted
/// local part kept quoted only when it needs to be.
fn addr_spec(tokens: &[Token]) -> Option<String> {
    let route_end = tokens.iter().rposition(|token| *token == Token::Special(b':')).map_or(0, |at| at + 1);
    let mut address = Vec::new();
    for token in &tokens[route_end..] {
        match token {
            Token::Atom(atom) => address.extend_from_slice(atom),
            Token::Quoted(text)
                if text.iter().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~.".contains(b)) =>
            {
                address.extend_from_slice(text);
            }
            Token::Quoted(text) => {
                address.push(b'"');
                for &b in text {
                    if matches!(b, b'"' | b'\\') {
                        address.push(b'\\');
                    }
                    address.push(b);
                }
                address.push(b'"');
            }
            Token::Special(b'@') => address.push(b'@'),
            Token::Special(_) | Token::Space | Token::Comment(_) => {}
        }
    }
    let address = fields::lossless_text(&address);
    let address = address.trim_matches('.');
    (!address.is_empty() && !address.starts_with('@')).then(|| address.to_owned())
}

/// A display name: its words (quoted ones unquoted), RFC 2047 decoded, with
/// comments left out.
fn phrase(tokens: &[Token]) -> Option<String> {
    let mut raw = Vec::new();
    for token in tokens {
        match token {
            Token::Atom(text) | Token::Quoted(text) => raw.extend_from_slice(text),
            Token::Special(c) => raw.push(*c),
            Token::Space => raw.push(b' '),
            Token::Comment(_) => {}
        }
    }
    name(&raw)
}

/// The text of the entry's comments, as a name.
fn comment(tokens: &[Token]) -> Option<String> {
    let mut raw = Vec::new();
    for token in tokens {
        if let Token::Comment(text) = token {
            raw.extend_from_slice(text);
            raw.push(b' ');
        }
    }
    name(&raw)
}

/// Raw name bytes decoded (RFC 2047 words, raw 8-bit), white space folded.
fn name(raw: &[u8]) -> Option<String> {
    let name = fields::text(raw.trim_ascii());
    let name = name.trim().trim_matches('"').split_whitespace().collect::<Vec<_>>().join(" ");
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn shown(value: &str) -> Vec<String> {
        parse(value.as_bytes()).0.iter().map(ToString::to_string).collect()
    }
    #[test]
    fn names_quoted_encoded_and_in_comments() {
        assert_eq!(
            shown("\"Lee, Ann\" <ann@example.com>, bob@example.com (Bob Smith)"),
            ["\"Lee, Ann\" <ann@example.com>", "Bob Smith <bob@example.com>"]
        );
        assert_eq!(shown("=?utf-8?q?Ren=C3=A9e?= <renee@example.com>"), ["Renée <renee@example.com>"]);
        assert_eq!(
            shown("Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)>"),
            ["Pete <pete@silly.test>"]
        );
    }

    #[test]
    fn obsolete_forms() {
        assert_eq!(
            shown("Mary Smith <@machine.tld:mary@example.net>, jdoe@test   . example"),
            ["Mary Smith <mary@example.net>", "jdoe@test.example"]
        );
        assert_eq!(shown("<@route1.tld,@route2:foo@bar.com>"), ["foo@bar.com"]);
        assert_eq!(shown("a@example.com b@example.com"), ["a@example.com", "b@example.com"]);
        assert_eq!(shown("\"big bug bb\"@bug.com"), ["\"big bug bb\"@bug.com"]);
        assert_eq!(shown("Big Bug bb@bug.com"), ["Big Bug <bb@bug.com>"]);
    }

    #[test]
    fn groups() {
        assert_eq!(shown("undisclosed-recipients:;"), [] as [&str; 0]);
        assert_eq!(shown("Team: a@x.com, Bo <b@x.com>;, c@x.com"), ["a@x.com", "Bo <b@x.com>", "c@x.com"]);
        assert_eq!(shown("bob"), ["bob"]);
        assert_eq!(parse(b"bob").1, ["the address \"bob\" has no domain"]);
        assert_eq!(parse(b"Just A Name").1, ["no address could be read in Just A Name"]);
    }
}
