//! The arguments of `MAIL FROM:` and `RCPT TO:`: a path in angle brackets,
//! then parameters (RFC 5321 §4.1.2).
//!
//! The path is read as the RFC writes it, with two liberties a test sink
//! can afford: a mailbox without a domain is taken (RFC 5321 requires
//! `<postmaster>` to be), and the domain is not checked (UTF-8 comes with
//! SMTPUTF8). A local part may be a quoted string (`"john doe"@example.com`,
//! with `\"` and `\\` inside) and keeps its quotes. What is refused: no
//! angle brackets, a space or `<` outside quotes, and any control
//! character (NUL, TAB, CR, LF, DEL, …) anywhere: an address is stored and
//! shown, and a CR in it would forge a header line wherever it is written.

/// Why a path was refused (the reply text says which).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathError {
    /// Not `KEYWORD:<path>`: a missing keyword, bracket or quote.
    Syntax,
    /// A control character inside the brackets.
    ControlCharacter,
}

/// `FROM:<path> params` / `TO:<path> params` (the keyword in any case, a
/// space after the colon tolerated): the path without its brackets (and
/// without a source route, which RFC 5321 says to ignore) and the
/// parameters.
pub(crate) fn parse_path<'s>(args: &'s str, keyword: &str) -> Result<(String, Vec<&'s str>), PathError> {
    let head = args.get(..keyword.len()).ok_or(PathError::Syntax)?;
    if !head.eq_ignore_ascii_case(keyword) {
        return Err(PathError::Syntax);
    }
    let rest = args[keyword.len()..].trim_start_matches(' ');
    let rest = rest.strip_prefix('<').ok_or(PathError::Syntax)?;
    let end = closing_bracket(rest)?;
    let path = &rest[..end];
    if path.chars().any(|c| c.is_control()) {
        return Err(PathError::ControlCharacter);
    }
    // A source route (`@a,@b:user@c`, RFC 5321 §4.1.2) is accepted and dropped.
    let path = match path.split_once(':') {
        Some((route, mailbox)) if route.starts_with('@') && !route.contains('"') => mailbox,
        _ => path,
    };
    let params = rest[end + 1..].split_ascii_whitespace().collect();
    Ok((path.to_owned(), params))
}

/// Where the `>` closing the path is: the first one outside a quoted
/// string. A space or `<` outside quotes, or an unclosed quote, is a
/// syntax error; control characters are left for the caller to name.
fn closing_bracket(rest: &str) -> Result<usize, PathError> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '>' if !quoted => return Ok(i),
            ' ' | '<' if !quoted => return Err(PathError::Syntax),
            _ => {}
        }
    }
    // No closing bracket: a control character in an unclosed path is still
    // refused as one (it is the more useful thing to say).
    if rest.chars().any(|c| c.is_control()) {
        return Err(PathError::ControlCharacter);
    }
    Err(PathError::Syntax)
}

#[cfg(test)]
mod tests {
    use super::{PathError, parse_path};

    #[test]
    fn paths_parse_as_rfc_5321_writes_them() {
        type Parsed<'a> = Result<(&'a str, &'a [&'a str]), PathError>;
        let syntax = Err(PathError::Syntax);
        let control = Err(PathError::ControlCharacter);
        let cases: &[(&str, &str, Parsed<'_>)] = &[
            ("FROM:<a@example.com>", "FROM:", Ok(("a@example.com", &[]))),
            (
                "from: <a@example.com> SIZE=10 BODY=8BITMIME",
                "FROM:",
                Ok(("a@example.com", &["SIZE=10", "BODY=8BITMIME"])),
            ),
            ("FROM:<>", "FROM:", Ok(("", &[]))),
            ("TO:<postmaster>", "TO:", Ok(("postmaster", &[]))),
            ("TO:<@relay.example:b@example.com>", "TO:", Ok(("b@example.com", &[]))),
            ("TO:<jörg@bücher.example>", "TO:", Ok(("jörg@bücher.example", &[]))),
            ("TO:<\"john doe\"@example.com>", "TO:", Ok(("\"john doe\"@example.com", &[]))),
            ("TO:<\"a>b<c\"@example.com> X=1", "TO:", Ok(("\"a>b<c\"@example.com", &["X=1"]))),
            ("TO:<\"say \\\"hi\\\"\"@example.com>", "TO:", Ok(("\"say \\\"hi\\\"\"@example.com", &[]))),
            ("TO:<\"a:b\"@example.com>", "TO:", Ok(("\"a:b\"@example.com", &[]))),
            ("TO:b@example.com", "TO:", syntax),
            ("TO:<b@example.com", "TO:", syntax),
            ("TO:<\"b@example.com>", "TO:", syntax),
            ("TO:<john doe@example.com>", "TO:", syntax),
            ("TO:<a<b@example.com>", "TO:", syntax),
            ("FROM <a@example.com>", "FROM:", syntax),
            ("", "TO:", syntax),
            ("FROM:<a@x\rBcc:evil@x>", "FROM:", control),
            ("FROM:<a\0@x>", "FROM:", control),
            ("TO:<a\t@x>", "TO:", control),
            ("TO:<a\x7f@x>", "TO:", control),
            ("TO:<\"a\tb\"@x>", "TO:", control),
            ("TO:<\"a\rb\"@x", "TO:", control),
        ];
        for (args, keyword, expected) in cases {
            let parsed = parse_path(args, keyword);
            let parsed = parsed.as_ref().map(|(p, params)| (p.as_str(), params.as_slice())).map_err(|e| *e);
            assert_eq!(parsed, *expected, "{}", args.escape_debug());
        }
    }
}
