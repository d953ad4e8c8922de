//! RFC 2047 encoded words (`=?charset?B?...?=`) in header bytes: where they
//! are ([`encoded_words`], used before decoding too: the fields reader keeps
//! raw bytes inside them for their own charset, and reports the ones that
//! could not be decoded), and the text they hold ([`decode_words`]).
//!
//! A word is `=?`, a charset of one or more bytes that are neither `?` nor
//! ASCII white space, `?`, an encoding letter (`B`, `b`, `Q`, `q`), `?`,
//! encoded text of bytes that are neither `?` nor a line end, and `?=`.
//! RFC 2047 allows no space in the encoded text, but mailers write Q words
//! with literal spaces and mail clients read them, so a space or tab is
//! taken as part of the text. No part may hold a `?`, so a word's end is
//! found without backtracking; where a candidate fails, the search goes on
//! at the next `=?`.

use std::ops::Range;

use super::charset;
use super::transfer::hex_byte;

/// One encoded word: where it is, and where its charset label is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EncodedWord {
    pub(super) whole: Range<usize>,
    pub(super) charset: Range<usize>,
}

/// Each encoded word in `bytes`, left to right, none overlapping.
pub(super) fn encoded_words(bytes: &[u8]) -> impl Iterator<Item = EncodedWord> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(offset) = memchr::memmem::find(&bytes[from..], b"=?") {
            let start = from + offset;
            match word_at(bytes, start) {
                Some(word) => {
                    from = word.whole.end;
                    return Some(word);
                }
                None => from = start + 1,
            }
        }
        from = bytes.len();
        None
    })
}

/// The encoded word that starts at `start` (at its `=?`), if one does.
fn word_at(bytes: &[u8], start: usize) -> Option<EncodedWord> {
    let charset_byte = |b: &u8| *b != b'?' && !b.is_ascii_whitespace() && *b != b'\x0b';
    let text_byte = |b: &u8| !matches!(b, b'?' | b'\r' | b'\n');
    let charset_start = start + 2;
    let charset_len = bytes[charset_start..].iter().take_while(|b| charset_byte(b)).count();
    if charset_len == 0 {
        return None;
    }
    let charset_end = charset_start + charset_len;
    let [b'?', b'B' | b'b' | b'Q' | b'q', b'?', ..] = bytes.get(charset_end..)? else { return None };
    let text_start = charset_end + 3;
    let text_end = text_start + bytes[text_start..].iter().take_while(|b| text_byte(b)).count();
    (bytes.get(text_end..text_end + 2)? == b"?=")
        .then(|| EncodedWord { whole: start..text_end + 2, charset: charset_start..charset_end })
}

/// `bytes` with each encoded word decoded. White space between two decoded
/// words goes (RFC 2047 §6.2: it only separates them); any other white
/// space is the sender's and stays. A word that cannot be decoded (base64
/// that is not base64) stays as it was written. `bytes` is UTF-8 outside
/// the words (see `fields::as_utf8`); a word's charset reads what is inside
/// it.
pub(super) fn decode_words(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let plain = |out: &mut String, between: &[u8]| out.push_str(&String::from_utf8_lossy(between));
    let (mut last, mut after_word) = (0, false);
    for word in encoded_words(bytes) {
        let between = &bytes[last..word.whole.start];
        match decode_word(bytes, &word) {
            Some(text) => {
                if !(after_word && between.iter().all(|b| matches!(b, b' ' | b'\t'))) {
                    plain(&mut out, between);
                }
                out.push_str(&text);
                after_word = true;
            }
            None => {
                plain(&mut out, &bytes[last..word.whole.end]);
                after_word = false;
            }
        }
        last = word.whole.end;
    }
    plain(&mut out, &bytes[last..]);
    out
}

/// The text of one word: its bytes (B: base64, Q: quoted-printable with `_`
/// for a space) read in its charset, without the RFC 2231 `*language`.
fn decode_word(bytes: &[u8], word: &EncodedWord) -> Option<String> {
    let label = String::from_utf8_lossy(&bytes[word.charset.clone()]);
    let label = label.split('*').next().unwrap_or_default();
    let encoding = bytes[word.charset.end + 1];
    let text = &bytes[word.charset.end + 3..word.whole.end - 2];
    let decoded = if encoding.eq_ignore_ascii_case(&b'b') {
        let read = crate::base64::decode(text);
        read.clean.then_some(read.bytes)?
    } else {
        q_decode(text)
    };
    Some(charset::decode(&decoded, Some(label)).0)
}

/// RFC 2047 §4.2: `=XX` is a byte, `_` a space; a stray `=` stays.
fn q_decode(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'=' if let Some(byte) = text.get(i + 1..i + 3).and_then(hex_byte) => {
                out.push(byte);
                i += 3;
                continue;
            }
            b'_' => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(&str, &str)> {
        encoded_words(text.as_bytes())
            .map(|word| (&text[word.whole.clone()], &text[word.charset.clone()]))
            .collect()
    }

    #[test]
    fn finds_each_word_and_its_charset() {
        assert_eq!(
            words("Re: =?UTF-8?B?w6k=?= and =?iso-8859-1*fr?q?caf=E9?= =?x?Q??="),
            [
                ("=?UTF-8?B?w6k=?=", "UTF-8"),
                ("=?iso-8859-1*fr?q?caf=E9?=", "iso-8859-1*fr"),
                ("=?x?Q??=", "x")
            ]
        );
    }

    #[test]
    fn what_is_not_a_word_is_skipped_and_the_search_goes_on() {
        assert_eq!(words("=??B?x?= =?a?X?b?= =?a b?B?x?= =?a?B?x\r\ny?= =?a?B?x?"), []);
        assert_eq!(words("==?=?u?B?eA==?= =?=?u?q?y?="), [("=?u?B?eA==?=", "u"), ("=?u?q?y?=", "u")]);
        // Words do not overlap: the `=` that ends one cannot start the next.
        assert_eq!(words("=?utf-8?Q?a?=?utf-8?Q?b?="), [("=?utf-8?Q?a?=", "utf-8")]);
    }

    #[test]
    fn a_q_word_may_hold_spaces_as_mailers_write_them() {
        assert_eq!(words("=?iso-8859-1?q?this is text?="), [("=?iso-8859-1?q?this is text?=", "iso-8859-1")]);
    }

    fn decoded(text: &str) -> String {
        decode_words(text.as_bytes())
    }

    #[test]
    fn words_decode_in_their_charsets_and_adjacent_words_join() {
        assert_eq!(decoded("=?ISO-8859-1?Q?Olle_J=E4rnefors?="), "Olle Järnefors");
        assert_eq!(decoded("=?utf-8?B?w6k=?= =?utf-8?B?w6k=?=\t =?utf-8?q?_x?="), "éé x");
        assert_eq!(decoded("a =?utf-8?q?b?= c"), "a b c");
        assert_eq!(
            decoded("=?iso-8859-1*fr?q?caf=E9?=  and   more"),
            "café  and   more",
            "the sender's spaces"
        );
        assert_eq!(decoded("=?utf-8?q?50=25_off?= =?x-unknown?q?caf=C3=A9?="), "50% offcafé");
        assert_eq!(decoded("=?utf-8?q?a__b?="), "a  b", "spaces inside a word are the text's");
        assert_eq!(decoded("=?UTF-7?Q?+ZeVnLIqe-?="), "日本語");
    }

    #[test]
    fn a_word_that_cannot_be_decoded_stays_as_written() {
        assert_eq!(decoded("=?utf-8?B?not*base64?= x"), "=?utf-8?B?not*base64?= x");
        assert_eq!(decoded("=?utf-8?q?a=?= =?utf-8?q?b?="), "a=b");
        assert_eq!(decode_words(b"a \"=?utf-8?q?b?=\""), "a \"b\"");
    }
}
