//! The decoded `Email` view: headers, addresses, bodies, charsets, transfer
//! encodings, attachments, links and the MIME tree.

use lettre::Transport;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox as LettreMailbox, MultiPart, SinglePart};
use mailtest::Email;

fn address(text: &str) -> LettreMailbox {
    text.parse().expect("a valid address in the test")
}

/// A realistic transactional email: text + HTML alternatives, an inline logo
/// and a PDF attachment, with a Bcc.
fn welcome_message() -> lettre::Message {
    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(String::from(
            "Hello Renée,\r\nconfirm here: https://example.com/confirm?token=abc123.\r\n",
        )))
        .multipart(
            MultiPart::related()
                .singlepart(SinglePart::html(String::from(
                    "<p>Hello Ren&eacute;e,</p><img src=\"cid:logo\"><a href=\"https://example.com/confirm?token=abc123&amp;src=email\">Confirm</a>",
                )))
                .singlepart(
                    Attachment::new_inline(String::from("logo"))
                        .body(vec![0x89, b'P', b'N', b'G', 0, 1, 2, 3], ContentType::parse("image/png").unwrap()),
                ),
        );
    lettre::Message::builder()
        .from(address("Shop <shop@example.com>"))
        .reply_to(address("Support <help@example.com>"))
        .to(address("Renée Dupont <renee@example.com>"))
        .cc(address("boss@Example.COM"))
        .bcc(address("audit@example.com"))
        .subject("Bienvenue, Renée — your order ✓")
        .message_id(Some(String::from("<order-42@shop.example.com>")))
        .user_agent(String::from("shop/2.0"))
        .multipart(
            MultiPart::mixed().multipart(alternative).singlepart(
                Attachment::new(String::from("facture n°1.pdf"))
                    .body(b"%PDF-1.4 fake".to_vec(), ContentType::parse("application/pdf").unwrap()),
            ),
        )
        .expect("the test message builds")
}

fn captured_welcome() -> Email {
    let outbox = mailtest::Outbox::new();
    outbox.transport().send(&welcome_message()).unwrap();
    outbox.emails().remove(0)
}

#[test]
fn lettre_message_headers_and_addresses_are_decoded() {
    let email = captured_welcome();

    assert_eq!(email.subject(), Some("Bienvenue, Renée — your order ✓"));
    assert_eq!(email.from(), ["Shop <shop@example.com>"]);
    assert_eq!(email.to()[0].name.as_deref(), Some("Renée Dupont"));
    assert_eq!(email.to(), ["renee@example.com"]);
    assert_eq!(email.cc(), ["boss@example.com"], "domains compare in any case");
    assert_eq!(email.reply_to(), ["help@example.com"]);
    assert_eq!(email.envelope_from(), Some("shop@example.com"));
    assert_eq!(email.message_id(), Some("order-42@shop.example.com"));
    assert!(email.date().is_some());
    assert_eq!(email.header("user-agent"), Some("shop/2.0"));
}

#[test]
fn bcc_comes_from_the_envelope_because_lettre_drops_the_header() {
    let email = captured_welcome();

    assert_eq!(email.header("Bcc"), None, "lettre does not send the Bcc header");
    assert_eq!(email.bcc(), ["audit@example.com"]);
    assert_eq!(email.envelope_to().len(), 3);
}

#[test]
fn a_bcc_header_left_in_raw_bytes_counts_once() {
    let outbox = mailtest::Outbox::new();
    outbox.capture_raw(
        Some("app@example.com"),
        &["ann@example.com", "hidden@example.com", "other@example.com"],
        b"To: ann@example.com\r\nBcc: hidden@example.com\r\n\r\nHi",
    );
    let email = &outbox.emails()[0];

    assert_eq!(email.bcc(), ["hidden@example.com", "other@example.com"]);
}

#[test]
fn text_and_html_bodies_are_decoded_with_unix_line_endings() {
    let email = captured_welcome();

    assert_eq!(email.text(), Some("Hello Renée,\nconfirm here: https://example.com/confirm?token=abc123.\n"));
    let html = email.html().expect("an HTML part");
    assert!(html.starts_with("<p>Hello Ren&eacute;e,</p>"), "{html}");
    assert!(!html.contains('\r'));
}

#[test]
fn attachments_include_inline_parts_with_their_content_id() {
    let email = captured_welcome();
    let attachments = email.attachments();

    assert_eq!(attachments.len(), 2, "{attachments:?}");
    let logo = attachments.iter().find(|a| a.is_inline()).expect("the inline logo");
    assert_eq!(logo.content_id(), Some("logo"));
    assert_eq!(logo.content_type(), "image/png");
    assert_eq!(logo.content(), [0x89, b'P', b'N', b'G', 0, 1, 2, 3]);
    let invoice = attachments.iter().find(|a| !a.is_inline()).expect("the invoice");
    assert_eq!(invoice.filename(), Some("facture n°1.pdf"));
    assert_eq!(invoice.content_type(), "application/pdf");
    assert_eq!(invoice.content(), b"%PDF-1.4 fake");
    assert_eq!(invoice.size(), 13);
}

#[test]
fn links_come_from_html_hrefs_then_text_each_once() {
    let email = captured_welcome();

    assert_eq!(
        email.links(),
        ["https://example.com/confirm?token=abc123&src=email", "https://example.com/confirm?token=abc123"]
    );
}

#[test]
fn mime_tree_shows_the_structure() {
    let email = captured_welcome();
    let tree = email.mime_tree();

    fn shape(part: &mailtest::MimePart) -> String {
        if part.children().is_empty() {
            part.content_type().to_owned()
        } else {
            let children: Vec<String> = part.children().iter().map(shape).collect();
            format!("{}[{}]", part.content_type(), children.join(", "))
        }
    }
    assert_eq!(
        shape(tree),
        "multipart/mixed[multipart/alternative[text/plain, multipart/related[text/html, image/png]], application/pdf]"
    );
    let pdf = &tree.children()[1];
    assert_eq!(
        (pdf.disposition(), pdf.filename(), pdf.size()),
        (Some("attachment"), Some("facture n°1.pdf"), 13)
    );
    assert_eq!(tree.children()[0].children()[0].charset(), Some("utf-8"));
}

#[test]
fn rfc2047_encoded_words_are_decoded_in_every_header() {
    let email = Email::from_raw(
        "From: =?ISO-8859-1?Q?Andr=E9?= Pirard <pirard@example.be>\r\n\
         To: =?utf-8?B?0JDQvdC90LA=?= <anna@example.ru>\r\n\
         Subject: =?utf-8?q?caf=C3=A9?= =?utf-8?q?_cr=C3=A8me?=\r\n\
         X-Label: =?windows-1252?q?=93quoted=94?=\r\n\r\nbody",
    );

    assert_eq!(email.from()[0].name.as_deref(), Some("André Pirard"));
    assert_eq!(email.to()[0].name.as_deref(), Some("Анна"));
    assert_eq!(email.subject(), Some("café crème"), "adjacent encoded words join without a space");
    assert_eq!(email.header("x-label"), Some("\u{201c}quoted\u{201d}"));
    assert!(email.problems().is_empty(), "{:?}", email.problems());
}

#[test]
fn folded_headers_are_unfolded_with_white_space_folded() {
    let email = Email::from_raw(
        "Subject: a subject that is long enough\r\n  to be folded\r\nX-Long: one\r\n\ttwo\r\n\r\n.",
    );

    assert_eq!(email.subject(), Some("a subject that is long enough to be folded"));
    assert_eq!(email.header("X-Long"), Some("one two"));
}

#[test]
fn rfc2231_filenames_are_decoded_including_continuations() {
    let email = Email::from_raw(
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
         --b\r\nContent-Type: text/plain\r\n\
         Content-Disposition: attachment; filename*=utf-8''na%C3%AFve%20r%C3%A9sum%C3%A9.txt\r\n\r\nA\r\n\
         --b\r\nContent-Type: application/octet-stream\r\n\
         Content-Disposition: attachment;\r\n filename*0*=iso-8859-1''%E9t%E9;\r\n filename*1=\"_report.bin\"\r\n\r\nB\r\n\
         --b--\r\n",
    );
    let names: Vec<Option<&str>> = email.attachments().iter().map(|a| a.filename()).collect();

    assert_eq!(names, [Some("naïve résumé.txt"), Some("été_report.bin")]);
    assert_eq!(email.text(), Some("see attached"));
}

#[test]
fn quoted_printable_soft_breaks_are_joined() {
    let email = Email::from_raw(
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
         This line is so long that the encoder had to break it, and the break is =\r\n\
         soft. A =E2=82=AC sign, an equals =3D sign.\r\nSecond line.\r\n",
    );

    assert_eq!(
        email.text(),
        Some(
            "This line is so long that the encoder had to break it, and the break is soft. \
             A € sign, an equals = sign.\nSecond line.\n"
        )
    );
}

#[test]
fn base64_bodies_are_decoded() {
    let email = Email::from_raw(
        "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n\
         PHA+SGVsbG8sIHfDtnJsZCE8L3A+\r\n",
    );

    assert_eq!(email.html(), Some("<p>Hello, wörld!</p>"));
}

/// (charset, encoded body bytes, expected text)
const CHARSET_CASES: &[(&str, &[u8], &str)] = &[
    ("iso-8859-1", b"Gr\xfc\xdfe, Fran\xe7ois", "Grüße, François"),
    ("ISO-8859-2", b"Za\xbf\xf3\xb3\xe6 g\xea\xb6l\xb1", "Zażółć gęślą"),
    ("iso-8859-5", b"\xbf\xe0\xd8\xd2\xd5\xe2", "Привет"),
    ("iso-8859-7", b"\xe3\xe5\xe9\xdc", "γειά"),
    ("iso-8859-15", b"\xa4 10", "€ 10"),
    ("windows-1252", b"\x93quotes\x94 \x80 \x85", "\u{201c}quotes\u{201d} € …"),
    ("windows-1250", b"\x9fluty", "źluty"),
    ("windows-1251", b"\xcf\xf0\xe8\xe2\xe5\xf2", "Привет"),
    ("cp1252", b"na\xefve", "naïve"),
];

#[test]
fn single_byte_charsets_are_decoded() {
    for (charset, body, expected) in CHARSET_CASES {
        let mut raw = format!("Content-Type: text/plain; charset={charset}\r\n\r\n").into_bytes();
        raw.extend_from_slice(body);

        let email = Email::from_raw(raw);

        assert_eq!(email.text(), Some(*expected), "charset {charset}");
    }
}

#[test]
fn several_text_parts_are_joined_in_order() {
    let email = Email::from_raw(
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nfirst\r\n\
         --b\r\nContent-Type: image/gif\r\nContent-Disposition: inline\r\n\r\nGIF\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--b--\r\n",
    );

    assert_eq!(email.text(), Some("first\nsecond"));
    assert_eq!(email.attachments().len(), 1);
}

#[test]
fn a_forwarded_message_is_one_attachment_with_its_own_tree() {
    let email = Email::from_raw(
        "Subject: Fwd\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n\
         --outer\r\nContent-Type: text/plain\r\n\r\nsee below\r\n\
         --outer\r\nContent-Type: message/rfc822\r\n\r\n\
         Subject: original\r\nContent-Type: text/plain\r\n\r\nthe original text\r\n\
         --outer--\r\n",
    );

    assert_eq!(email.text(), Some("see below"));
    let forwarded = &email.attachments()[0];
    assert_eq!(forwarded.content_type(), "message/rfc822");
    assert_eq!(Email::from_raw(forwarded.content()).subject(), Some("original"));
    assert_eq!(email.mime_tree().children()[1].children()[0].content_type(), "text/plain");
}

#[test]
fn html_only_and_text_only_messages() {
    let html_only = Email::from_raw("Content-Type: text/html\r\n\r\n<b>hi</b>");
    let text_only = Email::from_raw("Subject: plain\r\n\r\nhi\r\nthere");

    assert_eq!((html_only.text(), html_only.html()), (None, Some("<b>hi</b>")));
    assert_eq!((text_only.text(), text_only.html()), (Some("hi\nthere"), None));
}

#[test]
fn headers_keep_order_names_and_repeats() {
    let email = Email::from_raw("X-Tag: one\r\nsubject: Hi\r\nx-tag: two\r\n\r\n.");
    let headers: Vec<(&str, &str)> = email.headers().iter().map(|h| (h.name(), h.value())).collect();

    assert_eq!(headers, [("X-Tag", "one"), ("subject", "Hi"), ("x-tag", "two")]);
    assert_eq!(email.header_values("X-TAG").collect::<Vec<_>>(), ["one", "two"]);
}

#[test]
fn each_message_is_parsed_once_and_shared_by_every_handle() {
    let mail = mailtest::capture();
    mail.capture_raw(None, &["ann@example.com"], b"Subject: cached\r\n\r\nbody");

    let first = mail.emails()[0].subject().unwrap().as_ptr();
    let second = mail.emails()[0].subject().unwrap().as_ptr();

    assert_eq!(first, second, "two inspections share one parsed view");
}

#[test]
fn raw_bytes_are_kept_exactly() {
    let raw = b"Subject: exact\r\n\r\nline one\r\nline two\r\n";
    let mail = mailtest::capture();

    mail.capture_raw(None, &["ann@example.com"], raw);

    assert_eq!(mail.emails()[0].raw(), raw);
}

#[test]
fn list_headers_keep_their_angle_brackets() {
    let email = Email::from_raw(
        "List-Unsubscribe: <https://example.com/u?id=1>,\r\n <mailto:unsub@example.com>\r\n\
         List-Id: Shop news <news.shop.example.com>\r\n\r\n.",
    );

    assert_eq!(
        email.header("List-Unsubscribe"),
        Some("<https://example.com/u?id=1>, <mailto:unsub@example.com>")
    );
    assert_eq!(email.header("list-id"), Some("Shop news <news.shop.example.com>"));
}
