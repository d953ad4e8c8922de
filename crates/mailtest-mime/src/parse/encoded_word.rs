//! Where RFC 2047 encoded words (`=?charset?B?...?=`) are in header bytes,
//! found without decoding them: the fields reader keeps raw bytes inside them
//! for their own charset, and reports the ones that could not be decoded.
//!
//! A word is `=?`, a charset of one or more bytes that are neither `?` nor
//! ASCII white space, `?`, an encoding letter (`B`, `b`, `Q`, `q`), `?`,
//! encoded text of bytes that are neither `?` nor white space, and `?=`.
//! No part may hold a `?`, so a word's end is found without backtracking;
//! where a candidate fails, the search goes on at the next `=?`.

use std::ops::Range;

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
    let word_byte = |b: &u8| *b != b'?' && !b.is_ascii_whitespace() && *b != b'\x0b';
    let charset_start = start + 2;
    let charset_len = bytes[charset_start..].iter().take_while(|b| word_byte(b)).count();
    if charset_len == 0 {
        return None;
    }
    let charset_end = charset_start + charset_len;
    let [b'?', b'B' | b'b' | b'Q' | b'q', b'?', ..] = bytes.get(charset_end..)? else { return None };
    let text_start = charset_end + 3;
    let text_end = text_start + bytes[text_start..].iter().take_while(|b| word_byte(b)).count();
    (bytes.get(text_end..text_end + 2)? == b"?=")
        .then(|| EncodedWord { whole: start..text_end + 2, charset: charset_start..charset_end })
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
        assert_eq!(words("=??B?x?= =?a?X?b?= =?a b?B?x?= =?a?B?x y?= =?a?B?x?"), []);
        assert_eq!(words("==?=?u?B?eA==?= =?=?u?q?y?="), [("=?u?B?eA==?=", "u"), ("=?u?q?y?=", "u")]);
        // Words do not overlap: the `=` that ends one cannot start the next.
        assert_eq!(words("=?utf-8?Q?a?=?utf-8?Q?b?="), [("=?utf-8?Q?a?=", "utf-8")]);
    }
}
