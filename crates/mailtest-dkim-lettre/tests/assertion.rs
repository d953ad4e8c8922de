//! `email.assert().dkim_verifies(&keys)` (feature `dkim`) on mail lettre
//! signs and sends through a capture: what passes, what fails and how the
//! failure reads (pinned in `snapshots/dkim_*.snap`), and what "signed and
//! verifies" means with two signatures, one of which fails.

use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm, DkimSigningKey,
};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::{Message, Transport};
use mailtest::Email;
use mailtest::dkim::{DkimKey, Failure, HeaderChange};

const RSA_PRIVATE: &str = include_str!("keys/rsa2048.pem");
const RSA_PUBLIC: &str = include_str!("keys/rsa2048.pub.pem");
const LIST_SEED: [u8; 32] = [9; 32];

fn shop_key() -> DkimKey {
    DkimKey::rsa_pem("rsa1", "shop.example.com", RSA_PUBLIC).unwrap()
}

fn list_key() -> DkimKey {
    let public = ed25519_dalek::SigningKey::from_bytes(&LIST_SEED).verifying_key();
    DkimKey::ed25519("l1", "lists.example.org", public.as_bytes()).unwrap()
}

fn receipt(body: &str, extra: Option<HeaderValue>) -> Message {
    let mut builder = Message::builder()
        .from("Shop <shop@shop.example.com>".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .subject("Your receipt for order 42")
        .message_id(Some("<order-42@shop.example.com>".to_owned()));
    if let Some(header) = extra {
        builder = builder.raw_header(header);
    }
    builder.body(body.to_owned()).unwrap()
}

fn shop_config(header: DkimCanonicalizationType) -> DkimConfig {
    DkimConfig::new(
        "rsa1".to_owned(),
        "shop.example.com".to_owned(),
        DkimSigningKey::new(RSA_PRIVATE, DkimSigningAlgorithm::Rsa).unwrap(),
        ["From", "To", "Subject", "Date", "Message-ID"].map(HeaderName::new_from_ascii_str).to_vec(),
        DkimCanonicalization { header, body: DkimCanonicalizationType::Relaxed },
    )
}

/// Sends `message` through a capture and returns what was captured.
fn captured(message: &Message) -> Email {
    let mail = mailtest::capture();
    mail.transport().send(message).unwrap();
    mail.emails().remove(0)
}

fn snapshot(name: &str, report: &str) {
    insta::with_settings!({ snapshot_path => "../../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, report);
    });
}

/// The report without its `Date` (lettre stamps the time of sending).
fn stable(report: &str) -> String {
    let date = regex_lite::Regex::new(r#"\d{1,2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}"#).unwrap();
    date.replace_all(report, "[date]").into_owned()
}

#[test]
fn a_receipt_lettre_signs_with_relaxed_headers_verifies() {
    let mut message = receipt("Thank you for your order 42.\n", None);
    message.sign(&shop_config(DkimCanonicalizationType::Relaxed));
    let email = captured(&message);
    email.assert().dkim_verifies(&[shop_key()]).subject("Your receipt for order 42");
    assert!(email.dkim(&[shop_key()])[0].verifies());
}

#[test]
fn lettres_default_simple_header_signature_fails_naming_the_refolding() {
    let mut message = receipt("Thank you for your order 42.\n", None);
    message.sign(&DkimConfig::default_config(
        "rsa1".to_owned(),
        "shop.example.com".to_owned(),
        DkimSigningKey::new(RSA_PRIVATE, DkimSigningAlgorithm::Rsa).unwrap(),
    ));
    let email = captured(&message);
    let signatures = email.dkim(&[shop_key()]);
    assert_eq!(signatures[0].failure(), Some(&Failure::HeadersChanged(HeaderChange::SignatureRefolded)));
    let failure = email.assert().try_dkim_verifies(&[shop_key()]).unwrap_err();
    snapshot("dkim_simple_header_canonicalisation", &stable(failure.report()));
}

#[test]
fn an_unsigned_email_and_a_key_for_another_domain_fail_saying_so() {
    let email = captured(&receipt("Thank you for your order 42.\n", None));
    let failure = email.assert().try_dkim_verifies(&[shop_key()]).unwrap_err();
    snapshot("dkim_unsigned", &stable(failure.report()));

    let mut message = receipt("Thank you for your order 42.\n", None);
    message.sign(&shop_config(DkimCanonicalizationType::Relaxed));
    let failure = captured(&message).assert().try_dkim_verifies(&[list_key()]).unwrap_err();
    assert!(
        failure.report().contains("no signature was made with a key the test gave"),
        "{}",
        failure.report()
    );
}

/// A mailing list adds a footer, which breaks the author's signature, and
/// signs the message itself (over the author's headers, as lists do): the list's signature verifies, the author's
/// fails. Each domain's test sees its own.
#[test]
fn with_two_signatures_each_key_judges_its_own_and_ignores_the_other() {
    let mut original = receipt("Thank you for your order 42.\n", None);
    original.sign(&shop_config(DkimCanonicalizationType::Relaxed));
    let formatted = original.formatted();
    let text = String::from_utf8_lossy(&formatted);
    let author_signature = text
        .split("\r\n")
        .skip_while(|line| !line.starts_with("DKIM-Signature:"))
        .take_while(|line| {
            line.starts_with("DKIM-Signature:") || line.starts_with(' ') || line.starts_with('\t')
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let date = text.lines().find_map(|line| line.strip_prefix("Date: ")).unwrap().to_owned();

    let mut relayed = Message::builder()
        .from("Shop <shop@shop.example.com>".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .subject("Your receipt for order 42")
        .message_id(Some("<order-42@shop.example.com>".to_owned()))
        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("Date"), date))
        .body(String::from(
            "Thank you for your order 42.\n--\nYou are on the list orders@lists.example.org\n",
        ))
        .unwrap();
    relayed.sign(&DkimConfig::new(
        "l1".to_owned(),
        "lists.example.org".to_owned(),
        DkimSigningKey::new(&mailtest_mime::base64::encode(&LIST_SEED), DkimSigningAlgorithm::Ed25519)
            .unwrap(),
        ["From", "To", "Subject", "Date", "Message-ID"].map(HeaderName::new_from_ascii_str).to_vec(),
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    ));
    // lettre keeps one DKIM-Signature (a second `sign` replaces the first):
    // the author's goes back on top, as the list received it.
    let relayed = [format!("{author_signature}\r\n").as_bytes(), &relayed.formatted()].concat();
    let mail = mailtest::capture();
    mail.capture_raw(Some("orders@lists.example.org"), &["ann@example.com"], &relayed);
    let email = mail.emails().remove(0);
    let signatures = email.dkim(&[shop_key(), list_key()]);
    let verdicts: Vec<(Option<&str>, bool)> = signatures.iter().map(|s| (s.domain(), s.verifies())).collect();
    assert_eq!(verdicts, [(Some("shop.example.com"), false), (Some("lists.example.org"), true)]);

    email.assert().dkim_verifies(&[list_key()]);
    let failure = email.assert().try_dkim_verifies(&[shop_key()]).unwrap_err();
    snapshot("dkim_list_resigned", &stable(failure.report()));
    // Both keys given: the author's signature is one of "ours" and fails.
    assert!(email.assert().try_dkim_verifies(&[shop_key(), list_key()]).is_err());
}
