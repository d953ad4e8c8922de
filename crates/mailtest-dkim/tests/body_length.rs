//! `l=`: only the first `l` octets of the canonical body are signed, so a
//! list's footer added after them keeps the signature valid, while a
//! change within them, or a body cut shorter than `l`, fails.
//!
//! lettre's signer writes no `l=`, so these messages are signed here, with
//! Ed25519 (relaxed/relaxed), the way RFC 6376 §5 describes.

use ed25519_dalek::Signer;
use mailtest_dkim::{Canonicalization, DkimKey, Failure, verify};
use sha2::{Digest, Sha256};

const SEED: [u8; 32] = [7; 32];
const HEADERS: &str =
    "From: Shop <shop@shop.example.com>\r\nTo: ann@example.com\r\nSubject: Your receipt\r\n";
const SIGNED_BODY: &str = "Thank you for your order 42.\r\n";

fn key() -> DkimKey {
    let public = ed25519_dalek::SigningKey::from_bytes(&SEED).verifying_key();
    DkimKey::ed25519("ed1", "shop.example.com", public.as_bytes()).unwrap()
}

/// A message whose signature covers `SIGNED_BODY` only, then `rest`.
fn signed_with_length(rest: &str) -> String {
    let length = SIGNED_BODY.len();
    let body_hash = mailtest_mime::base64::encode(&Sha256::digest(SIGNED_BODY.as_bytes()));
    let tags = format!(
        "v=1; a=ed25519-sha256; c=relaxed/relaxed; d=shop.example.com; s=ed1; l={length}; h=from:to:subject; bh={body_hash}; b="
    );
    // Relaxed: names lower case, one space runs, no space after the colon.
    let data = format!(
        "from:Shop <shop@shop.example.com>\r\nto:ann@example.com\r\nsubject:Your receipt\r\ndkim-signature:{tags}"
    );
    let signature = ed25519_dalek::SigningKey::from_bytes(&SEED).sign(&Sha256::digest(data.as_bytes()));
    let b = mailtest_mime::base64::encode(&signature.to_bytes());
    format!("DKIM-Signature: {tags}{b}\r\n{HEADERS}\r\n{SIGNED_BODY}{rest}")
}

fn failure(raw: &str) -> Option<Failure> {
    verify(raw.as_bytes(), &[key()]).remove(0).failure().cloned()
}

#[test]
fn content_after_l_may_change_and_content_within_it_may_not() {
    assert_eq!(failure(&signed_with_length("")), None);
    assert_eq!(failure(&signed_with_length("--\r\nThe list's footer, added on the way.\r\n")), None);

    let changed = signed_with_length("").replace("order 42", "order 43");
    assert_eq!(
        failure(&changed),
        Some(Failure::BodyChanged {
            canonicalization: Canonicalization::Relaxed,
            length: Some(SIGNED_BODY.len())
        })
    );
    let cut = signed_with_length("").replace(SIGNED_BODY, "Thank you\r\n");
    let failure = failure(&cut).unwrap();
    assert_eq!(failure, Failure::BodyShorterThanLength { length: SIGNED_BODY.len(), body: 11 });
    assert!(failure.to_string().contains("content was removed"), "{failure}");
}
