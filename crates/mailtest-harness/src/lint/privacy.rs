//! Privacy: `bcc-header-visible`. A `Bcc` header in the bytes that go out
//! shows every recipient who was blind-copied.

use super::codes::BCC_HEADER_VISIBLE;
use super::context::Context;
use super::diagnostic::Lint;

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Lint>) {
    for name in ["Bcc", "Resent-Bcc"] {
        // An empty `Bcc:` is RFC 5322's way to say "there were blind copies"
        // without naming anyone: nothing leaks.
        for field in cx.headers.all(name).filter(|field| !field.value.is_empty()) {
            out.push(
                Lint::error(
                    BCC_HEADER_VISIBLE,
                    format!("the transmitted message has a {} header", field.name),
                )
                .at(cx.header_location(field, Some("every recipient can read this".to_owned())))
                .with_help(
                    "put blind recipients in the SMTP envelope only: lettre drops the Bcc header \
                         unless `.keep_bcc()` is called; a hand-made message must leave it out",
                ),
            );
        }
    }
}
