//! What [`verify`](crate::verify) found of each signature, and why one
//! that fails fails, in words a test failure can print.

use std::fmt;

use crate::canon::Canonicalization;
use crate::tags::{Algorithm, Tags};

/// One DKIM-Signature header and its verdict.
///
/// ```
/// let raw = b"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; h=From; bh=YQ==; b=YQ==\r\n\
///             From: a@example.com\r\n\r\nHi\r\n";
/// let signatures = mailtest_dkim::verify(raw, &[]);
/// let signature = &signatures[0];
/// assert_eq!((signature.domain(), signature.selector()), (Some("example.com"), Some("s1")));
/// assert!(!signature.verifies());
/// assert_eq!(
///     signature.to_string(),
///     "d=example.com s=s1 (rsa-sha256, simple/simple): fails: no key for s1._domainkey.example.com was given \
///      (the test gave none)",
/// );
/// ```
#[derive(Clone, Debug)]
pub struct Signature {
    index: usize,
    domain: Option<String>,
    selector: Option<String>,
    described: String,
    signed_headers: Vec<String>,
    result: Result<(), Failure>,
}

impl Signature {
    pub(crate) fn new(index: usize, tags: &Tags, result: Result<(), Failure>) -> Signature {
        Signature {
            index,
            domain: Some(tags.domain.clone()),
            selector: Some(tags.selector.clone()),
            described: format!(
                "d={} s={} ({}, {}/{}{})",
                tags.domain,
                tags.selector,
                tags.algorithm,
                tags.header_canon,
                tags.body_canon,
                tags.length.map(|l| format!(", l={l}")).unwrap_or_default()
            ),
            signed_headers: tags.headers.clone(),
            result,
        }
    }

    pub(crate) fn malformed(index: usize, reason: String) -> Signature {
        Signature {
            index,
            domain: None,
            selector: None,
            described: "a DKIM-Signature".to_owned(),
            signed_headers: Vec::new(),
            result: Err(Failure::Malformed(reason)),
        }
    }

    /// What it is: `d=example.com s=s1 (rsa-sha256, relaxed/relaxed)`.
    ///
    /// ```
    /// let raw = b"DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.com; s=s1; h=From; bh=YQ==; b=YQ==\r\n\r\n";
    /// let signatures = mailtest_dkim::verify(raw, &[]);
    /// assert_eq!(signatures[0].description(), "d=example.com s=s1 (ed25519-sha256, relaxed/relaxed)");
    /// ```
    pub fn description(&self) -> &str {
        &self.described
    }

    /// Whether it verifies.
    pub fn verifies(&self) -> bool {
        self.result.is_ok()
    }

    /// Why it does not verify.
    pub fn failure(&self) -> Option<&Failure> {
        self.result.as_ref().err()
    }

    /// Its `d=` (lower case); `None` when the header could not be read.
    pub fn domain(&self) -> Option<&str> {
        self.domain.as_deref()
    }

    /// Its `s=` (lower case).
    pub fn selector(&self) -> Option<&str> {
        self.selector.as_deref()
    }

    /// Its `h=`: the headers it signs, in order, as written.
    pub fn signed_headers(&self) -> &[String] {
        &self.signed_headers
    }

    /// Where its header is among the message's fields (0: the first line).
    pub fn field_index(&self) -> usize {
        self.index
    }
}

impl fmt::Display for Signature {
    /// `d=example.com s=s1 (rsa-sha256, relaxed/relaxed): verifies`, or
    /// `…: fails: <why>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.result {
            Ok(()) => write!(f, "{}: verifies", self.described),
            Err(failure) => write!(f, "{}: fails: {failure}", self.described),
        }
    }
}

/// Why a signature does not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// The header's tags are missing, repeated or wrong (which, is said).
    Malformed(String),
    /// No key for its selector and domain was given.
    NoKey {
        /// `s1._domainkey.example.com`.
        wanted: String,
        /// The keys that were given.
        given: Vec<String>,
    },
    /// The key for its selector is of another kind than `a=` names.
    KeyType {
        /// `a=`.
        algorithm: Algorithm,
        /// The key.
        key: String,
    },
    /// `l=` is longer than the body: content was cut after signing.
    BodyShorterThanLength {
        /// `l=`.
        length: usize,
        /// The canonical body's length now.
        body: usize,
    },
    /// The body hash (`bh=`) does not match the body: the body changed.
    BodyChanged {
        /// The body canonicalisation.
        canonicalization: Canonicalization,
        /// `l=`, when only a first part of the body is signed.
        length: Option<usize>,
    },
    /// The body is intact; the signature over the headers does not verify.
    HeadersChanged(HeaderChange),
}

/// What can be told of a header signature that does not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderChange {
    /// The DKIM-Signature header's own folding changed after signing: it
    /// verifies with the white space before `b=` as it was when signed.
    /// lettre 0.11's signatures with simple header canonicalisation do
    /// this; they are not valid, and sign with `relaxed` instead.
    SignatureRefolded,
    /// A header `h=` signs is in the message more often than `h=` names it:
    /// one was added after signing (the verifier reads the bottom one).
    Added(Vec<String>),
    /// A header `h=` signs is not in the message (removed after signing,
    /// or over-signed from the start).
    Removed(Vec<String>),
    /// The key did not make this signature (or `b=` was altered).
    OtherKey,
    /// A signed header, or a tag of the DKIM-Signature itself, changed.
    Changed {
        /// `h=`.
        signed: Vec<String>,
        /// The key made this signature, over other header data (told
        /// for RSA keys; an Ed25519 signature cannot tell).
        key_signed: bool,
    },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Malformed(reason) => write!(f, "the DKIM-Signature header is malformed: {reason}"),
            Failure::NoKey { wanted, given } if given.is_empty() => {
                write!(f, "no key for {wanted} was given (the test gave none)")
            }
            Failure::NoKey { wanted, given } => {
                write!(f, "no key for {wanted} was given (the test gave {})", given.join(", "))
            }
            Failure::KeyType { algorithm, key } => {
                write!(f, "a={algorithm}, but the key given, {key}, is of another kind")
            }
            Failure::BodyShorterThanLength { length, body } => write!(
                f,
                "the body changed: l={length} signs {length} octets, and the body now has {body} (content was removed)"
            ),
            Failure::BodyChanged { canonicalization, length } => {
                let part = match length {
                    Some(l) => format!("the first {l} octets of the body"),
                    None => "the body".to_owned(),
                };
                write!(
                    f,
                    "the body changed after signing: the hash of {part} ({canonicalization} canonicalisation) is not bh="
                )
            }
            Failure::HeadersChanged(change) => write!(f, "{change}"),
        }
    }
}

impl fmt::Display for HeaderChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderChange::SignatureRefolded => f.write_str(
                "the signature header's folding changed after signing: under simple header canonicalisation \
                 its white space counts, and it verifies only with `b=` folded back where it was when signed \
                 (lettre 0.11 signs so with `DkimConfig::default_config`; sign with relaxed header \
                 canonicalisation)",
            ),
            HeaderChange::Added(names) => write!(
                f,
                "the headers changed: the message has more {} headers than h= signs, so one was added after \
                 signing (over-sign them: name each once more in h= than it appears)",
                names.join(", ")
            ),
            HeaderChange::Removed(names) => {
                write!(
                    f,
                    "the headers changed: h= signs {}, which the message no longer has",
                    names.join(", ")
                )
            }
            HeaderChange::OtherKey => {
                f.write_str("the signature (b=) was not made with the key given, or it was altered")
            }
            HeaderChange::Changed { signed, key_signed } => {
                let who = if *key_signed { "the key given made the signature, but " } else { "" };
                write!(
                    f,
                    "{who}a signed header ({}) or a tag of the DKIM-Signature changed after signing",
                    signed.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for Failure {}
