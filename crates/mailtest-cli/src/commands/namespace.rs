//! The namespace rule: which mailbox of a shared `mailtest serve` a
//! recipient's mail lands in.
//!
//! Plus-addressing: `anything+<ns>@any.domain` lands in namespace `<ns>`,
//! because every SMTP client and every application can send to such an
//! address (a `MAIL FROM` parameter would need a client that sends one).
//! The tag is what follows the first `+` of the local part; a namespace
//! name is 1 to 64 letters, digits, `.`, `_` or `-`, and compares without
//! regard to case (`Worker7` is `worker7`). A recipient without a tag lands
//! in the namespace [`DEFAULT`]; a tag that is not a name is refused at
//! `RCPT TO` (`553 5.1.3`), never guessed at.

/// Where mail to an address without a `+tag` lands.
pub(crate) const DEFAULT: &str = "default";

/// The longest namespace name.
pub(crate) const MAX_NAME: usize = 64;

/// The namespace of `recipient` (as written in `RCPT TO`), or why it has
/// none.
pub(crate) fn of_recipient(recipient: &str) -> Result<String, String> {
    // A quoted local part may hold `@` and `+`: the tag is in the local
    // part, before the last `@`.
    let local = recipient.rsplit_once('@').map_or(recipient, |(local, _)| local);
    let local = local.strip_prefix('"').and_then(|l| l.strip_suffix('"')).unwrap_or(local);
    match local.split_once('+') {
        None => Ok(DEFAULT.to_owned()),
        Some((_, tag)) => name(tag).map_err(|why| format!("{recipient}: {why}")),
    }
}

/// `text` as a namespace name (lower case), or why it is not one.
pub(crate) fn name(text: &str) -> Result<String, String> {
    let valid = !text.is_empty()
        && text.len() <= MAX_NAME
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && !text.starts_with('.');
    if valid {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(format!(
            "{text:?} is not a namespace name: 1 to {MAX_NAME} letters, digits, '.', '_' or '-', not starting with '.'"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plus_tag_names_the_namespace() {
        let cases = [
            ("ann@example.com", Ok("default")),
            ("ann+worker7@example.com", Ok("worker7")),
            ("ann+Worker7@example.com", Ok("worker7")),
            ("+ci-run_1.2@example.com", Ok("ci-run_1.2")),
            ("\"ann+q\"@example.com", Ok("q")),
            ("\"a@b\"@example.com", Ok("default")),
            ("postmaster", Ok("default")),
            ("ann+@example.com", Err("ann+@example.com: \"\" is not a namespace name")),
            ("ann+a+b@example.com", Err("ann+a+b@example.com: \"a+b\" is not a namespace name")),
            ("ann+..@example.com", Err("ann+..@example.com: \"..\" is not a namespace name")),
        ];
        for (recipient, expected) in cases {
            match (of_recipient(recipient), expected) {
                (Ok(ns), Ok(wanted)) => assert_eq!(ns, wanted, "{recipient}"),
                (Err(why), Err(wanted)) => assert!(why.starts_with(wanted), "{recipient}: {why}"),
                (got, wanted) => panic!("{recipient}: got {got:?}, wanted {wanted:?}"),
            }
        }
        assert!(name(&"a".repeat(MAX_NAME)).is_ok());
        assert!(name(&"a".repeat(MAX_NAME + 1)).is_err());
    }
}
