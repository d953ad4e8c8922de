//! Bytes in a declared charset to text.
//!
//! A label is looked up as browsers and mail clients look it up (the WHATWG
//! Encoding Standard, through encoding_rs): `iso-8859-1` and `us-ascii` read
//! as windows-1252, `ks_c_5601-1987` as EUC-KR, `gb2312` as GBK. Labels that
//! standard does not know are looked up among IANA's aliases and
//! Microsoft's names ([`aliases`]), which also bring UTF-7 and IBM850. A
//! charset neither knows, or bytes that are not valid in the one declared,
//! become a problem on the email; the text is still shown (as UTF-8, or
//! windows-1252 where that is not valid, with U+FFFD for what could not be
//! read).

mod aliases;
mod ibm850;
mod utf7;

use aliases::Alias;
use encoding_rs::{Encoding, REPLACEMENT, UTF_8, WINDOWS_1252};

fn lookup(label: &str) -> Option<Alias> {
    let label = label.trim().trim_matches('"').trim();
    match Encoding::for_label_no_replacement(label.as_bytes()) {
        Some(encoding) => Some(Alias::Whatwg(encoding)),
        // `iso-2022-kr`, `hz-gb-2312`: WHATWG reads them as one U+FFFD, which
        // is not reading them.
        None if Encoding::for_label(label.as_bytes()) == Some(REPLACEMENT) => None,
        None => aliases::lookup(label),
    }
}

/// Whether `label` names a charset this crate can read.
pub(super) fn is_known(label: &str) -> bool {
    lookup(label).is_some()
}

/// `bytes` as text, with a problem when the charset is unknown or the bytes
/// are not valid in it. No charset (or US-ASCII, which 8-bit bytes break)
/// reads as UTF-8 when the bytes are valid UTF-8, else as windows-1252, as
/// mail clients guess.
pub(super) fn decode(bytes: &[u8], label: Option<&str>) -> (String, Option<String>) {
    let label = label.map(str::trim).filter(|label| !label.is_empty());
    let declared_ascii = label.is_none_or(|label| {
        matches!(label.to_ascii_lowercase().as_str(), "us-ascii" | "ascii" | "ansi_x3.4-1968" | "iso646-us")
    });
    if declared_ascii {
        return (guess(bytes), None);
    }
    let label = label.unwrap_or_default();
    match lookup(label) {
        // A single-byte label (IBM850 too) on bytes that are valid UTF-8 with
        // multi-byte sequences in them: mislabelled UTF-8 (no real text in a
        // single-byte charset forms such sequences by chance, line after line).
        Some(alias) if alias.is_single_byte() && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() => {
            (String::from_utf8_lossy(bytes).into_owned(), Some(mislabelled(label)))
        }
        Some(Alias::Whatwg(encoding)) => {
            let (text, had_errors) = if encoding == UTF_8 || encoding.name().starts_with("UTF-16") {
                let (text, _, had_errors) = encoding.decode(bytes);
                (text, had_errors)
            } else {
                encoding.decode_without_bom_handling(bytes)
            };
            match (had_errors, std::str::from_utf8(bytes)) {
                // Not valid in the multi-byte charset declared, valid UTF-8:
                // mislabelled UTF-8 too.
                (true, Ok(utf8)) if encoding != UTF_8 => (utf8.to_owned(), Some(mislabelled(label))),
                (true, _) => (text.into_owned(), Some(not_valid(label))),
                (false, _) => (text.into_owned(), None),
            }
        }
        Some(Alias::Ibm850) => (ibm850::decode(bytes), None),
        Some(Alias::Utf7) => {
            let (text, had_errors) = utf7::decode(bytes);
            (text, had_errors.then(|| not_valid(label)))
        }
        None => {
            let problem = format!(
                "the charset {label:?} is not known; the text is read as UTF-8 where it is valid UTF-8, else as windows-1252"
            );
            (guess(bytes), Some(problem))
        }
    }
}

fn not_valid(label: &str) -> String {
    format!("bytes that are not valid {label} were replaced with U+FFFD")
}

fn mislabelled(label: &str) -> String {
    format!("declared {label} but the bytes are UTF-8: read as UTF-8")
}

/// Valid UTF-8 as it is, anything else as windows-1252 (every byte is a
/// character there, so nothing is lost).
fn guess(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_charsets_decode() {
        let cases: [(&str, &[u8], &str); 6] = [
            ("iso-2022-jp", b"\x1b$BF|K\\8l\x1b(B", "日本語"),
            ("shift_jis", b"\x93\xfa\x96\x7b\x8c\xea", "日本語"),
            ("euc-jp", b"\xc6\xfc\xcb\xdc\xb8\xec", "日本語"),
            ("ks_c_5601-1987", b"\xc7\xd1\xb1\xb9\xbe\xee", "한국어"),
            ("gb2312", b"\xd6\xd0\xce\xc4", "中文"),
            ("big5", b"\xa4\xa4\xa4\xe5", "中文"),
        ];
        for (label, bytes, text) in cases {
            assert_eq!(decode(bytes, Some(label)), (text.to_owned(), None), "{label}");
        }
    }

    #[test]
    fn unknown_and_broken_charsets_are_problems() {
        let (text, problem) = decode(b"caf\xc3\xa9", Some("x-unknown"));
        assert_eq!(text, "café");
        assert!(problem.unwrap().contains("\"x-unknown\" is not known"));
        let (text, problem) = decode(b"\x82\xa0\xff", Some("shift_jis"));
        assert!(text.contains('\u{fffd}'));
        assert!(problem.unwrap().contains("not valid shift_jis"));
        assert!(!is_known("iso-2022-kr"));
    }

    #[test]
    fn mislabelled_utf8_reads_as_utf8() {
        let (text, problem) = decode("Счет".as_bytes(), Some("x-mac-cyrillic"));
        assert_eq!(text, "Счет");
        assert!(problem.unwrap().contains("declared x-mac-cyrillic but the bytes are UTF-8"));
        assert_eq!(decode(b"caf\xe9", Some("iso-8859-1")), ("café".to_owned(), None));
        let (text, problem) = decode("Café".as_bytes(), Some("cp850"));
        assert_eq!(text, "Café");
        assert!(problem.unwrap().contains("declared cp850 but the bytes are UTF-8"));
        let (text, problem) = decode("你好！".as_bytes(), Some("gb2312"));
        assert_eq!(text, "你好！");
        assert!(problem.is_some());
    }

    #[test]
    fn undeclared_eight_bit_is_utf8_or_windows_1252() {
        assert_eq!(decode(b"caf\xc3\xa9", None).0, "café");
        assert_eq!(decode(b"caf\xe9 \x80", Some("us-ascii")).0, "café €");
        assert_eq!(decode(b"+ZeVnLIqe-", Some("utf-7")).0, "日本語");
    }
}
