//! Where template syntax may open: the two characters one of the
//! placeholder syntaxes starts with (`{{`, `{%`, `{#`, `{0`, `{ $`, `${`,
//! `%{`, `%(`, `%7B`, `<%`, `*|`), found with `memchr`, so that text
//! without them costs next to nothing before the placeholder pattern runs.
//!
//! A part's openers are found once ([`Openers::find`]); each of its texts
//! and attributes is then tested by its span, not scanned again: a
//! newsletter has hundreds of each, nearly all without an opener.

use std::ops::Range;

/// The offsets in a part where template syntax may open, in order.
#[derive(Default)]
pub(crate) struct Openers(Vec<usize>);

impl Openers {
    pub(crate) fn find(part: &[u8]) -> Openers {
        Openers(positions(part).collect())
    }

    /// Whether a text at `span` of the part may hold template syntax: at
    /// least whenever [`may_open`] says so of the text alone (the part's
    /// bytes around the span only add openers).
    pub(crate) fn any_in(&self, span: &Range<usize>) -> bool {
        let first = self.0.partition_point(|&at| at < span.start);
        self.0.get(first).is_some_and(|&at| at < span.end)
    }
}

/// Whether `text` (on its own, not in a part) may hold template syntax.
pub(crate) fn may_open(text: &[u8]) -> bool {
    positions(text).next().is_some()
}

/// Where a placeholder may start in `text`, in order: each opener, and the
/// `$` before a `{` (`${…}` starts there; the `%` of `%{` is an opener itself).
pub(crate) fn starts(text: &[u8]) -> impl Iterator<Item = usize> + '_ {
    positions(text).flat_map(move |at| {
        let dollar = (text[at] == b'{' && at > 0 && text[at - 1] == b'$').then(|| at - 1);
        [dollar, Some(at)].into_iter().flatten()
    })
}

/// Where an opener starts, in order. `<` is searched through the `%` after
/// it: HTML has a `<` for every tag, and few `%`.
fn positions(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    memchr::memchr3_iter(b'{', b'%', b'*', bytes).flat_map(move |i| {
        let before = i.checked_sub(1).map_or(0, |before| bytes[before]);
        let (erb, opens) = match bytes[i] {
            b'{' => (
                false,
                matches!(at(i + 1), b'{' | b'%' | b'#' | b'$' | b'0'..=b'9' | b' ' | b'\t')
                    || matches!(before, b'$' | b'%'),
            ),
            b'%' => (
                before == b'<',
                matches!(at(i + 1), b'{' | b'(') || (at(i + 1) == b'7' && matches!(at(i + 2), b'B' | b'b')),
            ),
            _ => (false, at(i + 1) == b'|'),
        };
        // `<%` opens at its `<`, before any opener the `%` starts itself.
        [erb.then(|| i - 1), opens.then_some(i)].into_iter().flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_has_an_opener_whenever_its_text_alone_has_one() {
        let part = "<p>Hi {{ name }}</p><p>100%</p><p><%= x %></p><p>${y}</p><a href=\"?q=%7B%7Bz\">";
        let openers = Openers::find(part.as_bytes());
        for start in 0..part.len() {
            for end in start..=part.len() {
                if may_open(&part.as_bytes()[start..end]) {
                    assert!(openers.any_in(&(start..end)), "{:?}", &part[start..end]);
                }
            }
        }
        assert!(!openers.any_in(&(19..31)), "{:?}", &part[19..31]);
    }
}
