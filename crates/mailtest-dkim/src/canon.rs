//! RFC 6376 §3.4: the two canonicalisations of headers and of the body.

/// `simple` or `relaxed`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Canonicalization {
    /// Every byte as written (headers), trailing empty lines dropped (body).
    Simple,
    /// White space folded to one space, header names lower case.
    Relaxed,
}

impl Canonicalization {
    pub(crate) fn parse(text: &str) -> Option<Canonicalization> {
        match text {
            "simple" => Some(Canonicalization::Simple),
            "relaxed" => Some(Canonicalization::Relaxed),
            _ => None,
        }
    }
}

impl std::fmt::Display for Canonicalization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Canonicalization::Simple => "simple",
            Canonicalization::Relaxed => "relaxed",
        })
    }
}

fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// `bytes` with every run of white space made one space and none at the
/// end; CR and LF dropped (unfolding); white space at the start kept as one
/// space when `keep_leading` (a body line), dropped otherwise (a header value).
fn squeeze(bytes: &[u8], keep_leading: bool, out: &mut Vec<u8>) {
    let mut pending_space = false;
    let mut started = keep_leading;
    for &b in bytes.iter().filter(|b| **b != b'\r' && **b != b'\n') {
        if is_wsp(b) {
            pending_space = started;
            continue;
        }
        if pending_space {
            out.push(b' ');
            pending_space = false;
        }
        out.push(b);
        started = true;
    }
}

/// One header field (`name`, and the bytes after its colon, folding
/// included, without the final CRLF), canonicalised, with a CRLF.
pub(crate) fn header(name: &str, value: &[u8], canon: Canonicalization, out: &mut Vec<u8>) {
    match canon {
        Canonicalization::Simple => {
            out.extend_from_slice(name.as_bytes());
            out.push(b':');
            out.extend_from_slice(value);
        }
        Canonicalization::Relaxed => {
            out.extend(name.trim_end_matches([' ', '\t']).bytes().map(|b| b.to_ascii_lowercase()));
            out.push(b':');
            // Unfolded (CRLFs dropped), white space squeezed, trimmed.
            squeeze(value, false, out);
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// The body, canonicalised (a CRLF body, see `message::crlf`).
pub(crate) fn body(body: &[u8], canon: Canonicalization) -> Vec<u8> {
    let mut out = match canon {
        Canonicalization::Simple => body.to_vec(),
        Canonicalization::Relaxed => {
            let mut out = Vec::with_capacity(body.len());
            for line in body.split_inclusive(|b| *b == b'\n') {
                let (content, ending) = match line.strip_suffix(b"\r\n") {
                    Some(content) => (content, true),
                    None => (line, false),
                };
                squeeze(content, true, &mut out);
                if ending {
                    out.extend_from_slice(b"\r\n");
                }
            }
            out
        }
    };
    // Trailing empty lines go; a body that does not end in CRLF gets one.
    while out.ends_with(b"\r\n\r\n") {
        out.truncate(out.len() - 2);
    }
    if out == b"\r\n" && canon == Canonicalization::Relaxed {
        out.clear();
    }
    if !out.is_empty() && !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    if out.is_empty() && canon == Canonicalization::Simple {
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Canonicalization::{Relaxed, Simple};

    fn canon_header(name: &str, value: &str, canon: Canonicalization) -> String {
        let mut out = Vec::new();
        header(name, value.as_bytes(), canon, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rfc_6376_example_3_4_6() {
        // A: <SP> X <CRLF> / B <SP> : <SP> Y <HTAB><CRLF> <HTAB> Z <SP><SP><CRLF>
        assert_eq!(canon_header("A", " X", Relaxed), "a:X\r\n");
        assert_eq!(canon_header("B ", " Y\t\r\n\tZ  ", Relaxed), "b:Y Z\r\n");
        assert_eq!(canon_header("B ", " Y\t\r\n\tZ  ", Simple), "B : Y\t\r\n\tZ  \r\n");
        let body_text = b" C \r\nD \t E\r\n\r\n\r\n";
        assert_eq!(body(body_text, Relaxed), b" C\r\nD E\r\n");
        assert_eq!(body(body_text, Simple), b" C \r\nD \t E\r\n");
    }

    #[test]
    fn empty_bodies() {
        assert_eq!(body(b"", Simple), b"\r\n");
        assert_eq!(body(b"\r\n\r\n", Simple), b"\r\n");
        assert_eq!(body(b"", Relaxed), b"");
        assert_eq!(body(b"\r\n", Relaxed), b"");
        assert_eq!(body(b"x", Relaxed), b"x\r\n");
    }
}
