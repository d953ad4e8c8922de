//! UTF-7 (RFC 2152), which the WHATWG Encoding Standard leaves out and
//! some mailers still send headers and bodies in: ASCII as itself, and
//! anything else as UTF-16 in base64 between `+` and an optional `-`
//! (`+-` is a `+`).

use encoding_rs::UTF_16BE;

use crate::base64;

/// `bytes` in UTF-7 as text, and whether something in them was not valid
/// UTF-7 (a byte above 0x7F, a run that is not whole UTF-16, a lone
/// surrogate); what could not be read is U+FFFD.
pub(super) fn decode(bytes: &[u8]) -> (String, bool) {
    let mut out = String::with_capacity(bytes.len());
    let mut had_errors = false;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        i += 1;
        if byte != b'+' {
            if byte.is_ascii() {
                out.push(char::from(byte));
            } else {
                out.push(char::REPLACEMENT_CHARACTER);
                had_errors = true;
            }
            continue;
        }
        let run =
            bytes[i..].iter().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/')).count();
        if run == 0 && bytes.get(i) == Some(&b'-') {
            out.push('+');
            i += 1;
            continue;
        }
        // The run is base64 digits only, so the one base64 reads it; its
        // bytes are UTF-16 big-endian (RFC 2152 §"Rule 2").
        // The bits after the last whole 16-bit unit are padding.
        let units = base64::decode(&bytes[i..i + run]).bytes;
        let (text, malformed) = UTF_16BE.decode_without_bom_handling(&units[..units.len() & !1]);
        out.push_str(&text);
        had_errors |= malformed;
        i += run;
        // A `-` right after a run ends it and is not part of the text.
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
    }
    (out, had_errors)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn the_rfc_examples() {
        assert_eq!(decode(b"Hi Mom -+Jjo--!"), ("Hi Mom -\u{263a}-!".to_owned(), false));
        assert_eq!(decode(b"+ZeVnLIqe-"), ("日本語".to_owned(), false));
        assert_eq!(decode(b"A+ImIDkQ."), ("A\u{2262}\u{391}.".to_owned(), false));
        assert_eq!(decode(b"1 +- 1"), ("1 + 1".to_owned(), false));
    }

    #[test]
    fn a_surrogate_pair_and_broken_input() {
        assert_eq!(decode(b"+2D3eAA-"), ("\u{1f600}".to_owned(), false));
        let (text, had_errors) = decode(b"+2D0- caf\xe9");
        assert_eq!(text, "\u{fffd} caf\u{fffd}");
        assert!(had_errors);
    }
}
