//! Addresses as they appear in From, To, Cc, Bcc and Reply-To.

use std::fmt;
use std::hash::{Hash, Hasher};

/// One address with its optional display name, decoded.
///
/// Two `Mailbox`es are equal when they are the same mailbox: the same
/// display name, and the same address — the local part exactly, the domain
/// in any case and in either form, `öäü.com` or the `xn--4ca9at.com` the
/// backends write (RFC 5321 leaves the local part to the receiving server,
/// the domain is case-insensitive and IDNA maps one form to the other). That is an equivalence, and `Hash` agrees
/// with it, so a `HashSet<Mailbox>` holds each mailbox once.
///
/// A `Mailbox` also compares with a string that describes it, in that order
/// (`mailbox == "…"`, not `"…" == mailbox`): a bare address compares the
/// address, so `email.to() == ["ann@example.com"]` holds whatever Ann's
/// display name is; `Name <address>` compares the name too. That is
/// [`matches`](Mailbox::matches); the string side is a description, not a
/// mailbox, so it is not implemented the other way round.
///
/// ```
/// use mailtest_mime::Mailbox;
///
/// let ann = Mailbox { name: Some("Ann Lee".into()), address: "ann@Example.com".into() };
/// assert_eq!(ann, "ann@example.com");
/// assert_eq!(ann, "Ann Lee <ann@EXAMPLE.com>");
/// assert_ne!(ann, "Ann <ann@example.com>");
/// assert_ne!(ann, "ANN@example.com");
/// assert_eq!(ann.to_string(), "Ann Lee <ann@Example.com>");
///
/// assert_eq!(ann, Mailbox::parse("Ann Lee <ann@example.COM>"));
/// assert_ne!(ann, Mailbox::parse("ann@example.com"), "another display name is another mailbox");
/// let sent = Mailbox::parse("to@xn--4ca9at.com");
/// assert_eq!(sent, "to@öäü.com");
/// ```
#[derive(Clone)]
pub struct Mailbox {
    /// The display name (`Ann Lee` in `Ann Lee <ann@example.com>`), decoded.
    pub name: Option<String>,
    /// The address (`ann@example.com`).
    pub address: String,
}

impl Mailbox {
    /// Parses `ann@example.com` or `Ann Lee <ann@example.com>` (a quoted name
    /// loses its quotes). Surrounding white space is ignored.
    ///
    /// ```
    /// let ann = mailtest_mime::Mailbox::parse("\"Lee, Ann\" <ann@example.com>");
    /// assert_eq!(ann.name.as_deref(), Some("Lee, Ann"));
    /// assert_eq!(ann.address, "ann@example.com");
    /// ```
    pub fn parse(text: &str) -> Mailbox {
        let text = text.trim();
        match (text.rfind('<'), text.ends_with('>')) {
            (Some(open), true) => {
                let name = text[..open].trim().trim_matches('"').trim();
                Mailbox {
                    name: (!name.is_empty()).then(|| name.to_owned()),
                    address: text[open + 1..text.len() - 1].trim().to_owned(),
                }
            }
            _ => Mailbox { name: None, address: text.to_owned() },
        }
    }

    /// Whether `other` is the same address: local part exactly, domain in
    /// any case.
    ///
    /// ```
    /// let ann = mailtest_mime::Mailbox::parse("ann@example.com");
    /// assert!(ann.same_address("ann@EXAMPLE.COM"));
    /// assert!(!ann.same_address("bob@example.com"));
    /// ```
    pub fn same_address(&self, other: &str) -> bool {
        same_address(&self.address, other)
    }

    /// Whether this mailbox is what `text` describes: the address, and the
    /// name too when `text` has the `Name <address>` form.
    ///
    /// ```
    /// let ann = mailtest_mime::Mailbox::parse("Ann <ann@example.com>");
    /// assert!(ann.matches("ann@example.com"));
    /// assert!(ann.matches("Ann <ann@example.com>"));
    /// assert!(!ann.matches("Bob <ann@example.com>"));
    /// ```
    pub fn matches(&self, text: &str) -> bool {
        self.matches_parsed(&Mailbox::parse(text))
    }

    /// [`matches`](Mailbox::matches) for a description parsed once, as a
    /// criterion does before it looks at thousands of emails.
    ///
    /// ```
    /// use mailtest_mime::Mailbox;
    ///
    /// let wanted = Mailbox::parse("Ann <ann@example.com>");
    /// assert!(Mailbox::parse("Ann <ann@EXAMPLE.com>").matches_parsed(&wanted));
    /// assert!(!Mailbox::parse("ann@example.com").matches_parsed(&wanted));
    /// ```
    pub fn matches_parsed(&self, wanted: &Mailbox) -> bool {
        self.same_address(&wanted.address)
            && wanted.name.as_deref().is_none_or(|name| self.name.as_deref() == Some(name))
    }
}

/// Address equality: the local part exactly, the domain in any case and in
/// either form (`öäü.com` or its ASCII form `xn--4ca9at.com`, which is what
/// the backends write).
pub fn same_address(a: &str, b: &str) -> bool {
    match (a.rsplit_once('@'), b.rsplit_once('@')) {
        (Some((local_a, domain_a)), Some((local_b, domain_b))) => {
            local_a == local_b && crate::domain::same_domain(domain_a, domain_b)
        }
        _ => a == b,
    }
}

impl PartialEq for Mailbox {
    /// The same display name and the same address (the domain in any case).
    fn eq(&self, other: &Mailbox) -> bool {
        self.name == other.name && same_address(&self.address, &other.address)
    }
}

impl Eq for Mailbox {}

impl Hash for Mailbox {
    /// Agrees with `==`: the domain is hashed in its ASCII form, in lower case.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        match self.address.rsplit_once('@') {
            Some((local, domain)) => {
                local.hash(state);
                crate::domain::ascii_domain(domain).to_ascii_lowercase().hash(state);
            }
            None => self.address.hash(state),
        }
    }
}

impl PartialEq<str> for Mailbox {
    /// Whether this is the mailbox `other` describes; see [`Mailbox::matches`].
    fn eq(&self, other: &str) -> bool {
        self.matches(other)
    }
}

impl PartialEq<&str> for Mailbox {
    /// Whether this is the mailbox `other` describes; see [`Mailbox::matches`].
    fn eq(&self, other: &&str) -> bool {
        self.matches(other)
    }
}

impl PartialEq<String> for Mailbox {
    /// Whether this is the mailbox `other` describes; see [`Mailbox::matches`].
    fn eq(&self, other: &String) -> bool {
        self.matches(other)
    }
}

impl fmt::Display for Mailbox {
    /// `Ann Lee <ann@example.com>`, or the bare address when there is no name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) if name.contains([',', '"', '<', '>', '@', ';', ':']) => {
                write!(f, "\"{}\" <{}>", name.replace('"', "\\\""), self.address)
            }
            Some(name) => write!(f, "{name} <{}>", self.address),
            None => f.write_str(&self.address),
        }
    }
}

impl fmt::Debug for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mailbox({self})")
    }
}

impl From<&str> for Mailbox {
    fn from(text: &str) -> Self {
        Mailbox::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    use super::Mailbox;

    fn hash(mailbox: &Mailbox) -> u64 {
        let mut hasher = DefaultHasher::new();
        mailbox.hash(&mut hasher);
        hasher.finish()
    }

    const DESCRIPTIONS: [&str; 9] = [
        "ann@example.com",
        "ann@EXAMPLE.com",
        "Ann@example.com",
        "Ann <ann@example.com>",
        "Ann <ann@Example.COM>",
        "Anne <ann@example.com>",
        "bob@example.com",
        "Ann <bob@example.com>",
        "not an address",
    ];

    #[test]
    fn equality_is_an_equivalence_that_hash_agrees_with() {
        let mailboxes: Vec<Mailbox> = DESCRIPTIONS.iter().map(|d| Mailbox::parse(d)).collect();
        for a in &mailboxes {
            assert_eq!(a, a);
            for b in &mailboxes {
                assert_eq!(a == b, b == a, "{a} / {b}");
                if a == b {
                    assert_eq!(hash(a), hash(b), "{a} / {b}");
                }
                for c in &mailboxes {
                    if a == b && b == c {
                        assert_eq!(a, c, "{a} / {b} / {c}");
                    }
                }
            }
        }
    }

    #[test]
    fn comparing_with_a_description_is_transitive_through_equal_mailboxes() {
        let mailboxes: Vec<Mailbox> = DESCRIPTIONS.iter().map(|d| Mailbox::parse(d)).collect();
        for a in &mailboxes {
            for b in mailboxes.iter().filter(|b| *b == a) {
                for description in DESCRIPTIONS {
                    assert_eq!(*a == description, *b == description, "{a} / {b} / {description}");
                }
            }
        }
    }

    #[test]
    fn a_bare_address_describes_a_mailbox_whatever_its_name() {
        let ann = Mailbox::parse("Ann Lee <ann@example.com>");
        assert_eq!(ann, "ann@EXAMPLE.com");
        assert_ne!(ann, "Ann <ann@example.com>");
        assert_ne!(ann, Mailbox::parse("ann@example.com"));
    }
}
