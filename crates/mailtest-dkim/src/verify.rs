//! RFC 6376 §6.1: each DKIM-Signature checked on its own, with the keys
//! the test gave; and, when one fails, what changed.

use rsa::BigUint;
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};

use crate::canon::{self, Canonicalization};
use crate::key::{DkimKey, PublicKey};
use crate::message::{Field, Message, crlf};
use crate::tags::Tags;
use crate::verdict::{Failure, HeaderChange, Signature};

/// Every DKIM-Signature of `raw`, top first (the newest signature first,
/// as each signer adds its own above the rest), each verified with the
/// key of its `d=` and `s=` among `keys`. No DNS is asked: a signature
/// whose key is not among `keys` fails with [`Failure::NoKey`].
///
/// The clock is not read: `t=` and `x=` are not compared with the time
/// of the test (a fixture signed once must keep verifying).
///
/// ```
/// let signatures = mailtest_dkim::verify(b"From: a@example.com\r\nSubject: Hi\r\n\r\nHi\r\n", &[]);
/// assert!(signatures.is_empty(), "not signed");
/// ```
pub fn verify(raw: &[u8], keys: &[DkimKey]) -> Vec<Signature> {
    let raw = crlf(raw);
    let message = Message::parse(&raw);
    message
        .fields
        .iter()
        .enumerate()
        .filter(|(_, field)| field.is("DKIM-Signature"))
        .map(|(index, field)| check(&message, index, field, keys))
        .collect()
}

fn check(message: &Message<'_>, index: usize, field: &Field<'_>, keys: &[DkimKey]) -> Signature {
    let tags = match Tags::parse(field.value()) {
        Ok(tags) => tags,
        Err(reason) => return Signature::malformed(index, reason),
    };
    let result = verify_tags(message, field, &tags, keys);
    Signature::new(index, &tags, result)
}

fn verify_tags(
    message: &Message<'_>,
    field: &Field<'_>,
    tags: &Tags,
    keys: &[DkimKey],
) -> Result<(), Failure> {
    let key = keys.iter().find(|key| key.domain == tags.domain && key.selector == tags.selector).ok_or_else(
        || Failure::NoKey {
            wanted: format!("{}._domainkey.{}", tags.selector, tags.domain),
            given: keys.iter().map(ToString::to_string).collect(),
        },
    )?;
    let wanted_kind = match tags.algorithm {
        crate::Algorithm::RsaSha256 => "rsa",
        crate::Algorithm::Ed25519Sha256 => "ed25519",
    };
    if key.kind() != wanted_kind {
        return Err(Failure::KeyType { algorithm: tags.algorithm, key: key.to_string() });
    }

    // The body first: a changed body is the likelier, and the cheaper, finding.
    let body = canon::body(message.body, tags.body_canon);
    let hashed = match tags.length {
        Some(length) if length > body.len() => {
            return Err(Failure::BodyShorterThanLength { length, body: body.len() });
        }
        Some(length) => &body[..length],
        None => &body[..],
    };
    if Sha256::digest(hashed).as_slice() != tags.body_hash.as_slice() {
        return Err(Failure::BodyChanged { canonicalization: tags.body_canon, length: tags.length });
    }

    let data =
        header_data(message, field, tags, tags.header_canon, field.value(), tags.b_value.clone(), None);
    if !signed_by(key, &Sha256::digest(&data), &tags.signature) {
        return Err(Failure::HeadersChanged(diagnose(message, field, tags, key)));
    }
    // RFC 6376 §8.15: a header RFC 5322 allows once, found twice, is one
    // added above the signed one, which the signature does not cover.
    let doubled = doubled_singletons(message, tags);
    if doubled.is_empty() { Ok(()) } else { Err(Failure::HeadersChanged(HeaderChange::Added(doubled))) }
}

/// Headers RFC 5322 §3.6 allows at most once.
const SINGLETONS: [&str; 11] = [
    "from",
    "sender",
    "reply-to",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "message-id",
    "in-reply-to",
    "references",
];

/// The signed headers that appear more often than once, where only one is allowed.
fn doubled_singletons(message: &Message<'_>, tags: &Tags) -> Vec<String> {
    let mut doubled: Vec<String> = Vec::new();
    for name in &tags.headers {
        let lower = name.to_ascii_lowercase();
        if SINGLETONS.contains(&lower.as_str())
            && !doubled.contains(&lower)
            && message.fields.iter().filter(|field| field.is(name)).count() > 1
        {
            doubled.push(lower);
        }
    }
    doubled
}

/// What the header hash covers: each header `h=` names (the bottom-most
/// instance not yet used; none left: nothing, which is how over-signing
/// keeps a header from being added), then this DKIM-Signature with its
/// `b=` value emptied, without its final CRLF. `value` is the signature
/// field's value as it is to be hashed, `b_value` where its `b=` value is;
/// the field at `skipped`, if any, is read as not there.
fn header_data(
    message: &Message<'_>,
    field: &Field<'_>,
    tags: &Tags,
    canon: Canonicalization,
    value: &[u8],
    b_value: std::ops::Range<usize>,
    skipped: Option<usize>,
) -> Vec<u8> {
    let mut data = Vec::new();
    let mut used: Vec<usize> = skipped.into_iter().collect();
    for name in &tags.headers {
        let instance = message
            .fields
            .iter()
            .enumerate()
            .rev()
            .find(|(at, candidate)| candidate.is(name) && !used.contains(at));
        if let Some((at, found)) = instance {
            used.push(at);
            canon::header(found.name, found.value(), canon, &mut data);
        }
    }
    let mut emptied = value.get(..b_value.start).unwrap_or(value).to_vec();
    emptied.extend_from_slice(value.get(b_value.end..).unwrap_or_default());
    canon::header(field.name, &emptied, canon, &mut data);
    data.truncate(data.len().saturating_sub(2));
    data
}

fn signed_by(key: &DkimKey, digest: &[u8], signature: &[u8]) -> bool {
    match &key.key {
        PublicKey::Rsa(key) => key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), digest, signature).is_ok(),
        PublicKey::Ed25519(key) => ed25519_dalek::Signature::from_slice(signature)
            .is_ok_and(|signature| key.verify_strict(digest, &signature).is_ok()),
    }
}

/// Why the header hash does not verify, as far as can be told from the
/// message and the key.
fn diagnose(message: &Message<'_>, field: &Field<'_>, tags: &Tags, key: &DkimKey) -> HeaderChange {
    // lettre 0.11 signs its DKIM-Signature folded one way (`b=` empty at
    // the end of a line) and sends it folded another (`b=` on a line of
    // its own): under simple canonicalisation that white space counts.
    if tags.header_canon == Canonicalization::Simple
        && let Some((refolded, b_value)) = unfold_before_b(field.value(), tags)
    {
        let data = header_data(message, field, tags, Canonicalization::Simple, &refolded, b_value, None);
        if signed_by(key, &Sha256::digest(&data), &tags.signature) {
            return HeaderChange::SignatureRefolded;
        }
    }
    // A header added on top of an over-signed one: without it, it verifies.
    for (at, candidate) in message.fields.iter().enumerate() {
        if !tags.headers.iter().any(|name| candidate.is(name)) {
            continue;
        }
        let data = header_data(
            message,
            field,
            tags,
            tags.header_canon,
            field.value(),
            tags.b_value.clone(),
            Some(at),
        );
        if signed_by(key, &Sha256::digest(&data), &tags.signature) {
            return HeaderChange::Added(vec![candidate.name.trim().to_ascii_lowercase()]);
        }
    }
    let absent: Vec<String> = tags
        .headers
        .iter()
        .filter(|name| !message.fields.iter().any(|field| field.is(name)))
        .map(|name| name.to_ascii_lowercase())
        .collect();
    let signer = match &key.key {
        PublicKey::Rsa(rsa_key) => Some(rsa_digest(rsa_key, &tags.signature).is_some()),
        PublicKey::Ed25519(_) => None,
    };
    match signer {
        Some(false) => HeaderChange::OtherKey,
        _ if !absent.is_empty() => HeaderChange::Removed(absent),
        Some(true) => HeaderChange::Changed { signed: tags.headers.clone(), key_signed: true },
        None => HeaderChange::Changed { signed: tags.headers.clone(), key_signed: false },
    }
}

/// The DKIM-Signature value with the folding right before `b=` made one
/// space, as lettre hashed it, and where its `b=` value now is; `None`
/// when `b=` starts no line.
fn unfold_before_b(value: &[u8], tags: &Tags) -> Option<(Vec<u8>, std::ops::Range<usize>)> {
    let eq = tags.b_value.start.checked_sub(1)?;
    let tag_start = value[..eq].iter().rposition(|b| *b == b';').map_or(0, |semi| semi + 1);
    let gap = &value[tag_start..eq];
    let name_at = tag_start + gap.iter().rposition(|b| !b.is_ascii_whitespace())?;
    let space = &value[tag_start..name_at];
    if !space.windows(2).any(|pair| pair == b"\r\n") {
        return None;
    }
    let mut refolded = value[..tag_start].to_vec();
    refolded.push(b' ');
    refolded.extend_from_slice(&value[name_at..]);
    let shift = name_at - tag_start - 1;
    Some((refolded, tags.b_value.start - shift..tags.b_value.end - shift))
}

/// The SHA-256 digest an RSA PKCS#1 v1.5 signature carries, if this key
/// made it: the padding and DigestInfo are there only when it did.
fn rsa_digest(key: &rsa::RsaPublicKey, signature: &[u8]) -> Option<Vec<u8>> {
    /// DigestInfo's DER prefix for SHA-256 (RFC 8017 §9.2 note 1).
    const SHA256_PREFIX: [u8; 19] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
        0x04, 0x20,
    ];
    let size = key.size();
    let s = BigUint::from_bytes_be(signature);
    if signature.len() != size || &s >= key.n() {
        return None;
    }
    let m = rsa::hazmat::rsa_encrypt(key, &s).ok()?.to_bytes_be();
    let mut em = vec![0; size.checked_sub(m.len())?];
    em.extend_from_slice(&m);
    let rest = em.strip_prefix(&[0x00, 0x01])?;
    let padding = rest.iter().take_while(|b| **b == 0xff).count();
    let rest = rest[padding..].strip_prefix(&[0x00])?;
    let digest = rest.strip_prefix(&SHA256_PREFIX[..])?;
    (padding >= 8 && digest.len() == 32).then(|| digest.to_vec())
}
