//! Size: `gmail-clip`. Gmail shows only the first ~102 KB of a message's
//! HTML, behind "[Message clipped] View entire message" — and what it
//! hides is the end: the footer, the unsubscribe link, the tracking pixel.

use super::codes::GMAIL_CLIP;
use super::context::Context;
use super::diagnostic::{Lint, Location, Severity};

/// Where Gmail clips: 102 KB (KiB, as Gmail counts) of HTML.
const CLIPPED: usize = 102 * 1024;
/// Where a warning starts: room for a few more lines of a template.
const NEAR: usize = 90 * 1024;

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Lint>) {
    let Some(html) = cx.email.html() else { return };
    let size = html.len();
    let (severity, message) = if size > CLIPPED {
        (Severity::Error, format!("the HTML is {} KB: Gmail clips it after 102 KB", size / 1024))
    } else if size > NEAR {
        (Severity::Warning, format!("the HTML is {} KB, close to the 102 KB where Gmail clips", size / 1024))
    } else {
        return;
    };
    out.push(
        Lint::new(GMAIL_CLIP, severity, message)
            .at(Location::in_part("text/html"))
            .with_note(format!(
                "{} bytes of HTML; Gmail shows the first {} and hides the rest behind \"[Message clipped]\", \
                 the footer and unsubscribe link included",
                thousands(size),
                thousands(CLIPPED)
            ))
            .with_help("inline less CSS, drop comments and white space, or link to the full content"),
    );
}

/// `107592` → `107,592`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
