//! Non-ASCII domains in their ASCII form (IDNA), as Django writes them.
//!
//! A header or an SMTP command must be ASCII unless the server announced
//! SMTPUTF8 (RFC 6531), which many do not. Django therefore writes the
//! domain of every address in its ASCII-compatible form — `from@öäü.com`
//! becomes `from@xn--4ca9at.com` — in the headers (`EmailMessage.message()`)
//! and in the SMTP envelope (`smtp.EmailBackend.prep_address`). mailtest
//! does the same for every backend, so that a message that sends with Django
//! sends with mailtest.
//!
//! Only domains are encoded. A non-ASCII local part (`nø@example.dk`) has no
//! ASCII form: it stays as written, and the SMTP backend sends it only to a
//! server that offers SMTPUTF8. A domain that is already ASCII — including
//! one already in `xn--` form, which may be IDNA 2008 that IDNA 2003 would
//! spell differently — is left exactly as it is.

use std::borrow::Cow;

use lettre::Address;
#[cfg(any(feature = "smtp", test))]
use lettre::address::Envelope;
use lettre::message::header::{Bcc, Cc, From, Header, ReplyTo, Sender, To};
use lettre::message::{Mailbox, Mailboxes, Message};

/// `domain` in ASCII: itself when it is ASCII already, its IDNA form
/// otherwise, or itself again when it has none (the caller then sends it as
/// written, and a server without SMTPUTF8 refuses it with its own reply).
pub(crate) fn ascii_domain(domain: &str) -> Cow<'_, str> {
    if domain.is_ascii() {
        return Cow::Borrowed(domain);
    }
    match idna::domain_to_ascii(domain) {
        Ok(ascii) => Cow::Owned(ascii),
        Err(_) => Cow::Borrowed(domain),
    }
}

/// An address (`user@domain`) with its domain in ASCII.
pub(crate) fn ascii_address_text(address: &str) -> Cow<'_, str> {
    match address.rsplit_once('@') {
        Some((user, domain)) if !domain.is_ascii() => Cow::Owned(format!("{user}@{}", ascii_domain(domain))),
        _ => Cow::Borrowed(address),
    }
}

fn ascii_address(address: &Address) -> Option<Address> {
    let domain = address.domain();
    if domain.is_ascii() {
        return None;
    }
    Address::new(address.user(), ascii_domain(domain)).ok()
}

fn ascii_mailbox(mailbox: &Mailbox) -> Option<Mailbox> {
    ascii_address(&mailbox.email).map(|email| Mailbox::new(mailbox.name.clone(), email))
}

fn ascii_mailboxes(mailboxes: Mailboxes) -> Option<Mailboxes> {
    if !mailboxes.iter().any(|mailbox| !mailbox.email.domain().is_ascii()) {
        return None;
    }
    Some(mailboxes.into_iter().map(|mailbox| ascii_mailbox(&mailbox).unwrap_or(mailbox)).collect())
}

/// The envelope with every domain in ASCII; `None` when it is already.
#[cfg(any(feature = "smtp", test))]
pub(crate) fn ascii_envelope(envelope: &Envelope) -> Option<Envelope> {
    let non_ascii = |address: &Address| !address.domain().is_ascii();
    if !envelope.from().is_some_and(non_ascii) && !envelope.to().iter().any(non_ascii) {
        return None;
    }
    let from = envelope.from().map(|from| ascii_address(from).unwrap_or_else(|| from.clone()));
    let to = envelope.to().iter().map(|to| ascii_address(to).unwrap_or_else(|| to.clone())).collect();
    Envelope::new(from, to).ok()
}

/// `message` with the domains of its address headers (From, Sender,
/// Reply-To, To, Cc, Bcc) in ASCII; `None` when they are already, so the
/// common case copies nothing. The envelope is the message's own: lettre
/// fixes it when the message is built (the SMTP backend encodes it when it
/// sends, as Django's does).
pub(crate) fn ascii_headers(message: &Message) -> Option<Message> {
    const ADDRESS_HEADERS: [&str; 6] = ["From", "Reply-To", "To", "Cc", "Bcc", "Sender"];
    // The common case, decided without parsing: every address header ASCII.
    let headers = message.headers();
    if ADDRESS_HEADERS.iter().all(|name| headers.get_raw(name).is_none_or(str::is_ascii)) {
        return None;
    }
    let mut copy = None;
    encode::<From>(message, &mut copy);
    encode::<ReplyTo>(message, &mut copy);
    encode::<To>(message, &mut copy);
    encode::<Cc>(message, &mut copy);
    encode::<Bcc>(message, &mut copy);
    if let Some(sender) = message.headers().get::<Sender>().and_then(|h| ascii_mailbox(&h.into())) {
        copy.get_or_insert_with(|| message.clone()).headers_mut().set(Sender::from(sender));
    }
    copy
}

/// Encodes header `H` into `copy` (made from `message` on the first change).
/// `set` replaces a header where it stands, so the order is kept.
fn encode<H>(message: &Message, copy: &mut Option<Message>)
where
    H: Header + Into<Mailboxes> + std::convert::From<Mailboxes>,
{
    if let Some(ascii) = message.headers().get::<H>().and_then(|h| ascii_mailboxes(h.into())) {
        copy.get_or_insert_with(|| message.clone()).headers_mut().set(H::from(ascii));
    }
}

/// The message's bytes as the backends send them: formatted with the
/// domains of its address headers in ASCII.
pub(crate) fn formatted(message: &Message) -> Vec<u8> {
    match ascii_headers(message) {
        Some(ascii) => ascii.formatted(),
        None => message.formatted(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_encoded_as_django_encodes_them() {
        let cases = [
            ("öäü.com", "xn--4ca9at.com"),
            ("discussão.example.org", "xn--discusso-xza.example.org"),
            ("漢字.example.com", "xn--p8s937b.example.com"),
            ("éxample.com", "xn--xample-9ua.com"),
            ("exampl€.com", "xn--exampl-nc1c.com"),
            // Already ASCII, IDNA 2008 forms included: untouched.
            ("xn--fa-hia.example.com", "xn--fa-hia.example.com"),
            ("Example.COM", "Example.COM"),
        ];
        for (domain, ascii) in cases {
            assert_eq!(ascii_domain(domain), ascii, "{domain}");
        }
    }

    #[test]
    fn only_the_domain_of_an_address_is_encoded() {
        assert_eq!(ascii_address_text("to@öäü.com"), "to@xn--4ca9at.com");
        assert_eq!(ascii_address_text("nø@example.dk"), "nø@example.dk");
        assert_eq!(ascii_address_text("localpartonly"), "localpartonly");
    }

    #[test]
    fn headers_keep_names_and_order_and_an_ascii_message_is_not_copied() {
        let message = Message::builder()
            .from("Gestor de listas <lists@discussão.example.org>".parse().unwrap())
            .to("To Example <to@漢字.example.com>".parse().unwrap())
            .cc("cc@example.com".parse().unwrap())
            .subject("Hi")
            .body(String::from("Hello"))
            .unwrap();

        let encoded = ascii_headers(&message).unwrap();

        let text = String::from_utf8(encoded.formatted()).unwrap();
        assert!(
            text.starts_with("From: \"Gestor de listas\" <lists@xn--discusso-xza.example.org>\r\n"),
            "{text}"
        );
        assert!(text.contains("\r\nTo: \"To Example\" <to@xn--p8s937b.example.com>\r\n"), "{text}");
        assert!(text.contains("\r\nCc: cc@example.com\r\n"), "{text}");
        assert!(text.is_ascii(), "{text}");
        assert!(ascii_headers(&encoded).is_none(), "already ASCII");
    }

    #[test]
    fn envelopes_are_encoded_and_ascii_ones_left_alone() {
        let envelope = Envelope::new(
            Some("from@öäü.com".parse().unwrap()),
            vec!["to@öäü.com".parse().unwrap(), "ann@example.com".parse().unwrap()],
        )
        .unwrap();

        let ascii = ascii_envelope(&envelope).unwrap();

        assert_eq!(ascii.from().unwrap().to_string(), "from@xn--4ca9at.com");
        let to: Vec<String> = ascii.to().iter().map(ToString::to_string).collect();
        assert_eq!(to, ["to@xn--4ca9at.com", "ann@example.com"]);
        assert!(ascii_envelope(&ascii).is_none());
    }
}
