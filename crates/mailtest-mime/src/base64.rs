//! Base64 (RFC 4648 §4, the standard alphabet), the one codec of the
//! workspace: a message's transfer encoding, SMTP AUTH's SASL strings and
//! the HTML report's `data:` URIs all go through it.
//!
//! Decoding reads as mail clients read (RFC 2045 §6.8): line breaks and
//! white space are skipped, unpadded input decodes to its last whole byte,
//! and `=` padding ends the data. What it met on the way is reported, so a
//! caller that needs the strict form (SASL) asks for it, and one that shows
//! mail (the decoder) shows the bytes and names the problem.
//!
//! ```
//! use mailtest_mime::base64;
//!
//! assert_eq!(base64::encode(b"Hello"), "SGVsbG8=");
//! let lenient = base64::decode(b"SGVs\r\nbG8");
//! assert_eq!(lenient.bytes, b"Hello");
//! assert!(lenient.clean && !lenient.canonical);
//! assert_eq!(base64::decode_canonical("SGVsbG8="), Some(b"Hello".to_vec()));
//! assert_eq!(base64::decode_canonical("SGVsbG8"), None);
//! ```

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Not a base64 digit: white space, padding, anything else.
const NOT_DIGIT: u8 = 0xff;

/// Each byte's value as a base64 digit, or `NOT_DIGIT`.
const VALUES: [u8; 256] = {
    let mut values = [NOT_DIGIT; 256];
    let mut i = 0;
    while i < 64 {
        values[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    values
};

/// What [`decode`] read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base64 {
    /// The decoded bytes, up to the padding or the end.
    pub bytes: Vec<u8>,
    /// Only base64 digits, white space and trailing padding: nothing was
    /// skipped that the encoding does not allow.
    pub clean: bool,
    /// The exact RFC 4648 form: clean, no white space, whole groups of four
    /// with the padding they need, and nothing after it.
    pub canonical: bool,
}

/// Decodes `input` leniently; see the module docs for what is skipped.
///
/// ```
/// let read = mailtest_mime::base64::decode(b"SGk= ignored");
/// assert_eq!(read.bytes, b"Hi");
/// assert!(!read.clean, "text after the padding is not base64");
/// ```
pub fn decode(input: &[u8]) -> Base64 {
    let mut bytes = Vec::with_capacity(input.len() / 4 * 3 + 3);
    let (mut clean, mut spaced) = (true, false);
    let (mut acc, mut bits, mut digits, mut padding) = (0u32, 0u32, 0usize, 0usize);
    for (i, &byte) in input.iter().enumerate() {
        let value = VALUES[usize::from(byte)];
        if value != NOT_DIGIT {
            acc = (acc << 6) | u32::from(value);
            bits += 6;
            digits += 1;
            if bits >= 8 {
                bits -= 8;
                bytes.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        } else if byte == b'=' {
            let rest = &input[i..];
            padding = rest.iter().take_while(|&&b| b == b'=').count();
            let after = &rest[padding..];
            clean &= after.iter().all(|&b| b == b'=' || b.is_ascii_whitespace());
            spaced |= !after.is_empty();
            break;
        } else if byte.is_ascii_whitespace() {
            spaced = true;
        } else {
            clean = false;
        }
    }
    let whole_groups = (digits + padding).is_multiple_of(4) && padding <= 2 && digits % 4 != 1;
    let canonical = clean && !spaced && whole_groups && (padding == 0 || !digits.is_multiple_of(4));
    Base64 { bytes, clean, canonical }
}

/// The bytes of `text` when it is base64 in the exact RFC 4648 form, as
/// SASL (SMTP AUTH) requires; `None` otherwise.
///
/// ```
/// assert_eq!(mailtest_mime::base64::decode_canonical("AGFwcABzZWNyZXQ="), Some(b"\0app\0secret".to_vec()));
/// assert_eq!(mailtest_mime::base64::decode_canonical("ab!d"), None);
/// ```
pub fn decode_canonical(text: &str) -> Option<Vec<u8>> {
    let read = decode(text.as_bytes());
    read.canonical.then_some(read.bytes)
}

/// `bytes` as padded base64 on one line.
///
/// ```
/// assert_eq!(mailtest_mime::base64::encode(b"Username:"), "VXNlcm5hbWU6");
/// ```
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    encode_into(bytes, &mut out);
    out
}

/// [`encode`], appended to `out` (a `data:` URI's prefix, say).
///
/// ```
/// let mut uri = String::from("data:image/png;base64,");
/// mailtest_mime::base64::encode_into(b"PNG", &mut uri);
/// assert_eq!(uri, "data:image/png;base64,UE5H");
/// ```
pub fn encode_into(bytes: &[u8], out: &mut String) {
    out.reserve(bytes.len().div_ceil(3) * 4);
    let digit = |bits: u32, shift: u32| char::from(ALPHABET[(bits >> shift & 63) as usize]);
    let mut chunks = bytes.chunks_exact(3);
    for chunk in &mut chunks {
        let bits = u32::from_be_bytes([0, chunk[0], chunk[1], chunk[2]]);
        out.extend([digit(bits, 18), digit(bits, 12), digit(bits, 6), digit(bits, 0)]);
    }
    match *chunks.remainder() {
        [a] => {
            let bits = u32::from(a) << 16;
            out.extend([digit(bits, 18), digit(bits, 12), '=', '=']);
        }
        [a, b] => {
            let bits = u32::from(a) << 16 | u32::from(b) << 8;
            out.extend([digit(bits, 18), digit(bits, 12), digit(bits, 6), '=']);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_length_and_every_byte() {
        for len in 0..10 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 250) as u8).collect();
            assert_eq!(decode_canonical(&encode(&bytes)), Some(bytes));
        }
        let every: Vec<u8> = (0..=255).collect();
        assert_eq!(decode(encode(&every).as_bytes()).bytes, every);
        assert_eq!(encode(b"\0app\0secret"), "AGFwcABzZWNyZXQ=");
    }

    #[test]
    fn lenient_decoding_as_mail_needs_it() {
        let read = |input: &[u8]| {
            let read = decode(input);
            (read.bytes, read.clean)
        };
        assert_eq!(read(b"SGVsbG8=\r\n"), (b"Hello".to_vec(), true));
        assert_eq!(read(b"SGVsbG8"), (b"Hello".to_vec(), true));
        assert_eq!(read(b"SGk=\r\n"), (b"Hi".to_vec(), true));
        assert_eq!(read(b"SGk= ignored"), (b"Hi".to_vec(), false));
        assert_eq!(read(b"SG#k="), (b"Hi".to_vec(), false));
        assert_eq!(read(b" S G\tk = = \n"), (b"Hi".to_vec(), true));
    }

    #[test]
    fn the_canonical_form_is_what_sasl_takes() {
        for good in ["", "SGk=", "SGVsbG8=", "SGVsbA==", "AAAA"] {
            assert!(decode(good.as_bytes()).canonical, "{good}");
        }
        for bad in ["abc", "ab=c", "a===", "ab==abcd", "ab!d", "SGk=\r\n", "SG k=", "AAAA====", "SGk==", "A"]
        {
            assert_eq!(decode_canonical(bad), None, "{bad}");
        }
    }
}
