//! One character reference (`&eacute;`, `&#233;`, `&#xE9;`) to the text it
//! stands for, as a browser reads it.
//!
//! Named references come from the HTML Standard's list ([`NAMED`], generated
//! by `scripts/html-entities.py`); case matters (`&AMP;` is one, `&Amp;` is
//! not). Numeric references follow the standard's "numeric character
//! reference end state": what no character can be (0, a surrogate, past
//! U+10FFFF) reads as U+FFFD, and 0x80–0x9F read as windows-1252 has them,
//! because that is what the pages that write `&#150;` mean and what every
//! browser shows. Other controls and noncharacters stay the code point.

use std::borrow::Cow;

use super::entities::NAMED;

/// `reference`, a whole terminated reference from `&` to `;`, decoded;
/// `None` when it is not one: an unknown name, a number without digits, or
/// text that is not `&…;`.
pub(crate) fn decode(reference: &str) -> Option<Cow<'static, str>> {
    let name = reference.strip_prefix('&')?.strip_suffix(';')?;
    if let Some(number) = name.strip_prefix('#') {
        return numeric(number).map(|c| Cow::Owned(c.to_string()));
    }
    let at = NAMED.binary_search_by(|(known, _)| known.cmp(&name)).ok()?;
    Some(Cow::Borrowed(NAMED[at].1))
}

/// The first value past the last code point: every larger number reads the same.
const PAST_UNICODE: u32 = 0x11_0000;

/// `&#` is read; `number` is decimal digits or `x`/`X` and hex digits.
fn numeric(number: &str) -> Option<char> {
    let (digits, radix) = match number.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value = 0u32;
    for digit in digits.chars() {
        // Held at PAST_UNICODE once past it, so a thousand digits cannot
        // overflow (PAST_UNICODE * 16 + 15 fits a u32), while leading
        // zeros of any length still count for nothing.
        value = (value * radix + digit.to_digit(radix)?).min(PAST_UNICODE);
    }
    Some(code_point(value))
}

/// What the standard makes of a numeric reference's value.
fn code_point(value: u32) -> char {
    match value {
        0 => char::REPLACEMENT_CHARACTER,
        // The standard's table for these is windows-1252's (the five bytes
        // windows-1252 leaves undefined stay the C1 control, there and in
        // encoding_rs): the charset decoder's own table reads them.
        0x80..=0x9f => {
            let byte = [value as u8];
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(&byte)
                .0
                .chars()
                .next()
                .unwrap_or('\u{fffd}')
        }
        // `from_u32` refuses exactly the surrogates and what is past U+10FFFF.
        _ => char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER),
    }
}

#[cfg(test)]
mod tests {
    use super::{NAMED, decode};

    fn decoded(reference: &str) -> Option<String> {
        decode(reference).map(|text| text.into_owned())
    }

    #[test]
    fn the_table_is_sorted_for_the_binary_search() {
        let unsorted = NAMED.windows(2).find(|pair| pair[0].0 >= pair[1].0);
        assert_eq!(unsorted, None);
    }

    #[test]
    fn named_references_decode_and_case_matters() {
        let cases = [
            ("&amp;", "&"),
            ("&lt;", "<"),
            ("&quot;", "\""),
            ("&nbsp;", "\u{a0}"),
            ("&eacute;", "é"),
            ("&Eacute;", "É"),
            ("&euro;", "€"),
            ("&hellip;", "…"),
            ("&AMP;", "&"),
            ("&Afr;", "\u{1d504}"),
            // Two characters: ≂ and a combining long solidus.
            ("&NotEqualTilde;", "\u{2242}\u{338}"),
        ];
        for (reference, text) in cases {
            assert_eq!(decoded(reference).as_deref(), Some(text), "{reference}");
        }
    }

    #[test]
    fn numeric_references_decode_as_the_html_standard_says() {
        let cases = [
            ("&#233;", "é"),
            ("&#xE9;", "é"),
            ("&#XE9;", "é"),
            ("&#xe9;", "é"),
            ("&#039;", "'"),
            ("&#x1F600;", "😀"),
            ("&#0000000000000000000000000065;", "A"),
            // C1 values mean windows-1252; its five gaps stay controls.
            ("&#128;", "€"),
            ("&#x96;", "–"),
            ("&#159;", "Ÿ"),
            ("&#x81;", "\u{81}"),
            // What no character can be.
            ("&#0;", "\u{fffd}"),
            ("&#xD800;", "\u{fffd}"),
            ("&#xDFFF;", "\u{fffd}"),
            ("&#x110000;", "\u{fffd}"),
            ("&#99999999999999999999999999999;", "\u{fffd}"),
            ("&#xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF;", "\u{fffd}"),
            // Noncharacters and other controls are kept.
            ("&#xFFFF;", "\u{ffff}"),
            ("&#x10FFFF;", "\u{10ffff}"),
            ("&#1;", "\u{1}"),
            ("&#x7F;", "\u{7f}"),
        ];
        for (reference, text) in cases {
            assert_eq!(decoded(reference).as_deref(), Some(text), "{reference}");
        }
    }

    #[test]
    fn what_is_not_a_reference_is_none() {
        let cases = [
            "&Amp;",
            "&nosuchname;",
            "&;",
            "&#;",
            "&#x;",
            "&#12a;",
            "&#xG1;",
            "&#+65;",
            "&# 65;",
            "&amp",
            "amp;",
            "&",
            "",
            "&#٣;",
        ];
        for reference in cases {
            assert_eq!(decoded(reference), None, "{reference}");
        }
    }
}
