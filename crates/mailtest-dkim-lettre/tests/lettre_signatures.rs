//! The verifier against lettre's own DKIM signer: what lettre signs with
//! relaxed header canonicalisation verifies (RSA and Ed25519, over-signed
//! headers too); its simple-canonicalisation signatures fail, naming the
//! cause; each tampered variant fails with its reason; and what a
//! signature allows to change (an unsigned header, white space under
//! relaxed, content after `l=`) still verifies.
//!
//! The keys in `tests/keys/` are test keys made for these tests
//! (`openssl genrsa -traditional 2048`); they sign nothing else.

use lettre::Message;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm, DkimSigningKey,
};
use lettre::message::header::HeaderName;
use lettre::message::{MultiPart, header};
use mailtest_dkim::{DkimKey, Failure, HeaderChange, verify};

const RSA_PRIVATE: &str = include_str!("keys/rsa2048.pem");
const RSA_PUBLIC: &str = include_str!("keys/rsa2048.pub.pem");
const OTHER_PUBLIC: &str = include_str!("keys/other2048.pub.pem");
/// The Ed25519 seed: bytes 1 to 32.
const ED25519_SEED: [u8; 32] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
    29, 30, 31, 32,
];
const DOMAIN: &str = "shop.example.com";

use Algorithm::{Ed25519, Rsa};
use DkimCanonicalizationType::{Relaxed, Simple};

#[derive(Clone, Copy, Debug)]
enum Algorithm {
    Rsa,
    Ed25519,
}

fn keys() -> Vec<DkimKey> {
    let ed25519 = ed25519_dalek::SigningKey::from_bytes(&ED25519_SEED).verifying_key();
    vec![
        DkimKey::rsa_pem("rsa1", DOMAIN, RSA_PUBLIC).unwrap(),
        DkimKey::ed25519("ed1", DOMAIN, ed25519.as_bytes()).unwrap(),
    ]
}

fn message() -> Message {
    Message::builder()
        .from("Shop <shop@shop.example.com>".parse().unwrap())
        .to("Ann Lee <ann@example.com>".parse().unwrap())
        .subject("Your receipt for order 42")
        .message_id(Some("<order-42@shop.example.com>".to_owned()))
        .header(header::Date::new(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_715_076_000)))
        .multipart(MultiPart::alternative_plain_html(
            String::from("Thank you for your order 42.\n\nTea  $4.00\nTotal  $4.00\n"),
            String::from("<html lang=\"en\"><body><p>Thank you for your order 42.</p></body></html>\n"),
        ))
        .unwrap()
}

fn config(
    algorithm: Algorithm,
    header: DkimCanonicalizationType,
    body: DkimCanonicalizationType,
    headers: &[&str],
) -> DkimConfig {
    let (selector, key) = match algorithm {
        Rsa => ("rsa1", DkimSigningKey::new(RSA_PRIVATE, DkimSigningAlgorithm::Rsa).unwrap()),
        Ed25519 => {
            let seed = mailtest_mime::base64::encode(&ED25519_SEED);
            ("ed1", DkimSigningKey::new(&seed, DkimSigningAlgorithm::Ed25519).unwrap())
        }
    };
    let headers =
        headers.iter().map(|name| HeaderName::new_from_ascii((*name).to_owned()).unwrap()).collect();
    DkimConfig::new(
        selector.to_owned(),
        DOMAIN.to_owned(),
        key,
        headers,
        DkimCanonicalization { header, body },
    )
}

const SIGNED: [&str; 5] = ["From", "To", "Subject", "Date", "Message-ID"];

fn signed(algorithm: Algorithm, header: DkimCanonicalizationType, body: DkimCanonicalizationType) -> Vec<u8> {
    let mut message = message();
    message.sign(&config(algorithm, header, body, &SIGNED));
    message.formatted()
}

/// The one signature's failure (`None`: it verifies).
fn failure(raw: &[u8], keys: &[DkimKey]) -> Option<Failure> {
    let signatures = verify(raw, keys);
    assert_eq!(signatures.len(), 1, "{}", String::from_utf8_lossy(raw));
    signatures[0].failure().cloned()
}

#[test]
fn relaxed_header_signatures_verify_rsa_and_ed25519_both_body_canonicalisations() {
    for algorithm in [Rsa, Ed25519] {
        for body in [Relaxed, Simple] {
            let raw = signed(algorithm, Relaxed, body);
            assert_eq!(failure(&raw, &keys()), None, "{algorithm:?} relaxed/{body:?}");
        }
    }
}

#[test]
fn over_signed_headers_verify_and_keep_a_header_from_being_added() {
    let over = [
        "From",
        "From",
        "To",
        "Subject",
        "Subject",
        "Date",
        "List-Unsubscribe",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
        "List-Unsubscribe-Post",
    ];
    for algorithm in [Rsa, Ed25519] {
        let mut message = Message::builder()
            .from("Shop <shop@shop.example.com>".parse().unwrap())
            .to("ann@example.com".parse().unwrap())
            .subject("Spring sale")
            .raw_header(header::HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                "<https://shop.example.com/u/9f8e>".to_owned(),
            ))
            .raw_header(header::HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ))
            .body(String::from("Our spring sale starts today.\n"))
            .unwrap();
        message.sign(&config(algorithm, Relaxed, Relaxed, &over));
        let raw = message.formatted();
        assert_eq!(failure(&raw, &keys()), None, "{algorithm:?}");

        // A second Subject on top: the over-signed h= has room for none.
        let added = [b"Subject: Win a prize\r\n".as_slice(), &raw].concat();
        assert_eq!(
            failure(&added, &keys()),
            Some(Failure::HeadersChanged(HeaderChange::Added(vec!["subject".to_owned()])))
        );
    }
}

#[test]
fn lettres_simple_header_signatures_fail_saying_the_signature_header_was_refolded() {
    for algorithm in [Rsa, Ed25519] {
        let mut message = message();
        let (selector, key) = match algorithm {
            Rsa => ("rsa1", DkimSigningKey::new(RSA_PRIVATE, DkimSigningAlgorithm::Rsa).unwrap()),
            Ed25519 => (
                "ed1",
                DkimSigningKey::new(
                    &mailtest_mime::base64::encode(&ED25519_SEED),
                    DkimSigningAlgorithm::Ed25519,
                )
                .unwrap(),
            ),
        };
        // lettre's default: simple header, relaxed body canonicalisation.
        message.sign(&DkimConfig::default_config(selector.to_owned(), DOMAIN.to_owned(), key));
        let failure =
            failure(&message.formatted(), &keys()).expect("lettre's simple signatures do not verify");
        assert_eq!(failure, Failure::HeadersChanged(HeaderChange::SignatureRefolded), "{algorithm:?}");
        assert!(failure.to_string().contains("the signature header's folding changed after signing"));
    }
}

/// Replaces the first `from` in the message with `to`.
fn replaced(raw: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(raw.to_vec()).unwrap();
    assert!(text.contains(from), "{from:?} is not in the message");
    text.replacen(from, to, 1).into_bytes()
}

/// Replaces a tag's value in the DKIM-Signature header.
fn retagged(raw: &[u8], tag: &str, value: &str) -> Vec<u8> {
    let text = String::from_utf8(raw.to_vec()).unwrap();
    let pattern = regex_lite_tag(tag);
    let start = text.find(&pattern).unwrap_or_else(|| panic!("no {pattern} in\n{text}")) + pattern.len();
    let end = start + text[start..].find(';').unwrap();
    format!("{}{value}{}", &text[..start], &text[end..]).into_bytes()
}

fn regex_lite_tag(tag: &str) -> String {
    format!(" {tag}=")
}

#[test]
fn twenty_tampered_variants_are_each_caught_with_the_reason() {
    let rsa = signed(Rsa, Relaxed, Relaxed);
    let rsa_simple_body = signed(Rsa, Relaxed, Simple);
    let ed = signed(Ed25519, Relaxed, Relaxed);
    let other_key = [DkimKey::rsa_pem("rsa1", DOMAIN, OTHER_PUBLIC).unwrap()];
    let ours = keys();
    let changed = |key_signed| {
        Failure::HeadersChanged(HeaderChange::Changed {
            signed: SIGNED_LOWER.iter().map(|s| (*s).to_owned()).collect(),
            key_signed,
        })
    };
    let body_changed = |canonicalization| Failure::BodyChanged { canonicalization, length: None };
    use mailtest_dkim::Canonicalization as C;
    let cases: Vec<(&str, Vec<u8>, &[DkimKey], Failure)> = vec![
        (
            "a word of the body",
            replaced(&rsa, "order 42.\r\n", "order 43.\r\n"),
            &ours,
            body_changed(C::Relaxed),
        ),
        (
            "a line added to the body",
            replaced(&rsa, "Total  $4.00\r\n", "Total  $4.00\r\nP.S. a new line\r\n"),
            &ours,
            body_changed(C::Relaxed),
        ),
        (
            "a line removed from the body",
            replaced(&rsa, "Tea  $4.00\r\n", ""),
            &ours,
            body_changed(C::Relaxed),
        ),
        (
            "white space in a simple body",
            replaced(&rsa_simple_body, "Tea  $4.00", "Tea $4.00"),
            &ours,
            body_changed(C::Simple),
        ),
        ("the HTML part", replaced(&rsa, "<p>Thank you", "<p>Thanks"), &ours, body_changed(C::Relaxed)),
        (
            "the Subject",
            replaced(&rsa, "Subject: Your receipt", "Subject: Your refund"),
            &ours,
            changed(true),
        ),
        ("the From", replaced(&rsa, "From: Shop <shop@", "From: Shop <ceo@"), &ours, changed(true)),
        ("the To", replaced(&rsa, "<ann@example.com>", "<bob@example.com>"), &ours, changed(true)),
        ("the Date", replaced(&rsa, "07 May 2024", "08 May 2024"), &ours, changed(true)),
        ("the Message-ID", replaced(&rsa, "<order-42@", "<order-43@"), &ours, changed(true)),
        (
            "a From added on top",
            [b"From: ceo@shop.example.com\r\n".as_slice(), &rsa].concat(),
            &ours,
            Failure::HeadersChanged(HeaderChange::Added(vec!["from".to_owned()])),
        ),
        (
            "the Subject removed",
            replaced(&rsa, "Subject: Your receipt for order 42\r\n", ""),
            &ours,
            Failure::HeadersChanged(HeaderChange::Removed(vec!["subject".to_owned()])),
        ),
        (
            "d= changed",
            retagged(&rsa, "d", "example.org"),
            &ours,
            Failure::NoKey {
                wanted: "rsa1._domainkey.example.org".to_owned(),
                given: ours.iter().map(ToString::to_string).collect(),
            },
        ),
        (
            "s= changed",
            retagged(&rsa, "s", "rsa2"),
            &ours,
            Failure::NoKey {
                wanted: "rsa2._domainkey.shop.example.com".to_owned(),
                given: ours.iter().map(ToString::to_string).collect(),
            },
        ),
        (
            "bh= changed",
            retagged(&rsa, "bh", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
            &ours,
            body_changed(C::Relaxed),
        ),
        (
            "h= without To",
            retagged(&rsa, "h", "from:subject:date:message-id"),
            &ours,
            Failure::HeadersChanged(HeaderChange::Changed {
                signed: ["from", "subject", "date", "message-id"].map(String::from).to_vec(),
                key_signed: true,
            }),
        ),
        (
            "a= changed",
            retagged(&rsa, "a", "ed25519-sha256"),
            &ours,
            Failure::KeyType {
                algorithm: mailtest_dkim::Algorithm::Ed25519Sha256,
                key: "rsa1._domainkey.shop.example.com (rsa)".to_owned(),
            },
        ),
        (
            "v= changed",
            retagged(&rsa, "v", "2"),
            &ours,
            Failure::Malformed("`v=2`: only DKIM version 1 exists".to_owned()),
        ),
        ("the key is another", rsa.clone(), &other_key, Failure::HeadersChanged(HeaderChange::OtherKey)),
        (
            "Ed25519: the Subject",
            replaced(&ed, "Subject: Your receipt", "Subject: Your refund"),
            &ours,
            changed(false),
        ),
        (
            "Ed25519: the body",
            replaced(&ed, "order 42.\r\n", "order 43.\r\n"),
            &ours,
            body_changed(C::Relaxed),
        ),
    ];
    assert!(cases.len() >= 20);
    for (name, raw, keys, expected) in cases {
        let found = failure(&raw, keys);
        assert_eq!(found.as_ref(), Some(&expected), "{name}");
        println!("{name}: {}", expected);
    }
}

const SIGNED_LOWER: [&str; 5] = ["from", "to", "subject", "date", "message-id"];

#[test]
fn what_a_relaxed_signature_allows_still_verifies() {
    for algorithm in [Rsa, Ed25519] {
        let raw = signed(algorithm, Relaxed, Relaxed);
        let allowed: Vec<(&str, Vec<u8>)> = vec![
            (
                "an unsigned header on top",
                [b"Received: from mx.example.com by mx2.example.net\r\n".as_slice(), &raw].concat(),
            ),
            (
                "an unsigned header below",
                replaced(&raw, "MIME-Version: 1.0\r\n", "MIME-Version: 1.0\r\nX-Spam-Score: 0.1\r\n"),
            ),
            (
                "white space in a signed header",
                replaced(&raw, "Subject: Your receipt for", "Subject:   Your  receipt\tfor"),
            ),
            (
                "a signed header refolded",
                replaced(&raw, "Subject: Your receipt for", "Subject: Your receipt\r\n for"),
            ),
            ("white space at line ends of the body", replaced(&raw, "Tea  $4.00\r\n", "Tea  $4.00  \r\n")),
            ("empty lines at the end of the body", [raw.as_slice(), b"\r\n\r\n"].concat()),
        ];
        for (name, raw) in allowed {
            assert_eq!(failure(&raw, &keys()), None, "{algorithm:?}: {name}");
        }
    }
}
