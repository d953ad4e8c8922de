//! Addresses as they appear in From, To, Cc, Bcc and Reply-To.

use std::fmt;

/// One address with its optional display name, decoded.
///
/// Compares with a string on the address: the local part exactly, the
/// domain case-insensitively and in either form (`öäü.com` matches the
/// `xn--4ca9at.com` the backends write). A string in `Name <address>` form
/// also compares the name.
///
/// ```
/// use mailtest::Mailbox;
///
/// let ann = Mailbox { name: Some("Ann Lee".into()), address: "ann@Example.com".into() };
/// assert_eq!(ann, "ann@example.com");
/// assert_eq!(ann, "Ann Lee <ann@EXAMPLE.com>");
/// assert_ne!(ann, "Ann <ann@example.com>");
/// assert_ne!(ann, "ANN@example.com");
/// assert_eq!(ann.to_string(), "Ann Lee <ann@Example.com>");
///
/// let sent = Mailbox::parse("to@xn--4ca9at.com");
/// assert_eq!(sent, "to@öäü.com");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
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
    /// let ann = mailtest::Mailbox::parse("\"Lee, Ann\" <ann@example.com>");
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
    /// let ann = mailtest::Mailbox::parse("ann@example.com");
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
    /// let ann = mailtest::Mailbox::parse("Ann <ann@example.com>");
    /// assert!(ann.matches("ann@example.com"));
    /// assert!(ann.matches("Ann <ann@example.com>"));
    /// assert!(!ann.matches("Bob <ann@example.com>"));
    /// ```
    pub fn matches(&self, text: &str) -> bool {
        self.matches_parsed(&Mailbox::parse(text))
    }

    /// [`matches`](Mailbox::matches) for a description parsed once, as a
    /// criterion does before it looks at thousands of emails.
    pub(crate) fn matches_parsed(&self, wanted: &Mailbox) -> bool {
        self.same_address(&wanted.address)
            && wanted.name.as_deref().is_none_or(|name| self.name.as_deref() == Some(name))
    }
}

/// Address equality: the local part exactly, the domain in any case and in
/// either form (`öäü.com` or its ASCII form `xn--4ca9at.com`, which is what
/// the backends write).
pub(crate) fn same_address(a: &str, b: &str) -> bool {
    match (a.rsplit_once('@'), b.rsplit_once('@')) {
        (Some((local_a, domain_a)), Some((local_b, domain_b))) => {
            local_a == local_b && crate::idna::same_domain(domain_a, domain_b)
        }
        _ => a == b,
    }
}

impl PartialEq<str> for Mailbox {
    fn eq(&self, other: &str) -> bool {
        self.matches(other)
    }
}

impl PartialEq<&str> for Mailbox {
    fn eq(&self, other: &&str) -> bool {
        self.matches(other)
    }
}

impl PartialEq<String> for Mailbox {
    fn eq(&self, other: &String) -> bool {
        self.matches(other)
    }
}

impl PartialEq<Mailbox> for &str {
    fn eq(&self, other: &Mailbox) -> bool {
        other.matches(self)
    }
}

impl PartialEq<Mailbox> for str {
    fn eq(&self, other: &Mailbox) -> bool {
        other.matches(self)
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
