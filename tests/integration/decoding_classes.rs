//! Real-world decoding, one class of mail a test each, on fixtures in
//! `tests/decoding/` written for these tests: the cases where mail clients
//! and the crate once disagreed (multi-byte charsets, broken MIME structure,
//! repeated headers, odd parameters and addresses, HTML read as text).

use std::path::{Path, PathBuf};

use mailtest::{Email, Outbox};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/decoding").join(name)
}

fn email(name: &str) -> Email {
    let path = fixture(name);
    Email::from_raw(
        std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display())),
    )
}

#[test]
fn cjk_charsets_decode_in_headers_bodies_and_file_names() {
    let email = email("cjk_charsets.eml");

    assert_eq!(email.subject(), Some("日本語のテスト"));
    assert_eq!(email.from()[0].name.as_deref(), Some("김민수"));
    assert_eq!(email.text(), Some("日本語の本文です。\n中文正文\n繁體中文\nqapla'"));
    let names: Vec<Option<&str>> = email.attachments().iter().map(|a| a.filename()).collect();
    assert_eq!(names, [Some("請求書.txt")]);
    assert_eq!(email.attachments()[0].content(), b"\x83V\x83t\x83gJIS", "the Shift_JIS bytes, not UTF-8");
}

#[test]
fn a_charset_that_cannot_be_decoded_is_a_problem() {
    let email = email("cjk_charsets.eml");

    assert_eq!(
        email.problems(),
        [
            "part 5 (text/plain): the charset \"x-klingon\" is not known; the text is read as UTF-8 where it is valid \
          UTF-8, else as windows-1252"
        ]
    );
    assert!(email.text().is_some_and(|text| text.ends_with("qapla'")), "the text is still there");
}

#[test]
fn a_missing_closing_boundary_ends_at_the_enclosing_one_and_loses_nothing() {
    let email = email("missing_close.eml");

    assert_eq!(email.text(), Some("Café au lait, soft break."), "decoded, not raw quoted-printable");
    assert_eq!(email.html(), Some("<p>Café</p>"));
    let attachments: Vec<(Option<&str>, &[u8])> =
        email.attachments().iter().map(|a| (a.filename(), a.content())).collect();
    assert_eq!(attachments, [(Some("a.pdf"), &b"%PDF-1.4"[..]), (Some("b.csv"), &b"x,y\n1,2\n"[..])]);
    assert_eq!(email.problems().len(), 2, "{:?}", email.problems());
    assert!(
        email.problems()[0]
            .contains("`--outer--` is missing: the last part ends where its enclosing part ends")
    );
    assert!(
        email.problems()[1]
            .starts_with("part 1 (multipart/alternative): the closing line `--inner--` is missing")
    );
}

#[test]
fn a_message_nested_directly_in_a_message_keeps_its_siblings() {
    let email = email("nested_messages.eml");

    assert_eq!(email.text(), Some("See below."));
    let types: Vec<&str> = email.attachments().iter().map(|a| a.content_type()).collect();
    assert_eq!(types, ["message/rfc822", "image/png"]);
    let middle = Email::from_raw(email.attachments()[0].content().to_vec());
    let innermost = Email::from_raw(middle.attachments()[0].content().to_vec());
    assert_eq!((middle.subject(), innermost.subject()), (Some("Middle"), Some("Innermost")));
    assert_eq!(innermost.text(), Some("The original."));
    let tree = email.mime_tree();
    assert_eq!(tree.children()[1].children()[0].content_type(), "message/rfc822");
    assert_eq!(tree.children()[1].children()[0].children()[0].content_type(), "text/plain");
    assert!(email.problems().is_empty(), "{:?}", email.problems());
}

#[test]
fn repeated_headers_count_every_address_and_the_first_of_the_rest() {
    let email = email("repeated_headers.eml");

    assert_eq!(email.to(), ["ann@example.com", "bob@example.com", "Cy <cy@example.com>"]);
    assert_eq!(email.cc(), ["dee@example.com", "eve@example.com"]);
    assert_eq!(email.subject(), Some("First subject"));
    assert_eq!(email.subject(), email.header("Subject"), "subject() and header() agree");
    assert_eq!(email.message_id(), Some("first@example.com"));
    assert_eq!(
        email.problems(),
        [
            "To appears 2 times (RFC 5322 allows one): the addresses of every one are used",
            "Cc appears 2 times (RFC 5322 allows one): the addresses of every one are used",
            "Subject appears 2 times (RFC 5322 allows one): the first is used",
            "Message-ID appears 2 times (RFC 5322 allows one): the first is used",
        ]
    );
}

#[test]
fn a_text_attachment_is_its_transfer_decoded_bytes_exactly() {
    let email = email("text_attachment.eml");

    let csv = &email.attachments()[0];
    assert_eq!(csv.filename(), Some("export.csv"));
    assert_eq!(csv.content(), b"name;city\r\nRen\xe9e;M\xfcnchen", "latin-1 and CRLF, as in the file");
    assert_eq!(csv.size(), 24);
    assert!(
        mailtest::snapshot::render(&email)
            .contains("1. \"export.csv\" text/csv, attachment, 24 bytes, sha256")
    );
}

#[test]
fn a_parameter_folded_right_after_the_equals_sign_is_read() {
    let email = email("folded_parameters.eml");

    assert_eq!(email.text(), Some("See the report."), "the boundary was found");
    assert_eq!(email.attachments()[0].filename(), Some("quarterly report.pdf"));
    assert_eq!(email.attachments()[0].content(), b"%PDF");
}

#[test]
fn a_boundary_string_in_the_middle_of_a_line_is_content() {
    let email = email("boundary_mid_line.eml");

    assert_eq!(
        email.text(),
        Some("The separator is --sep and this line goes on.\n--separate is a longer word, not ours.")
    );
    assert_eq!(email.html(), Some("<p>HTML --sep too</p>"));
}

#[test]
fn a_type_without_subtype_is_text_plain() {
    let email = email("text_without_subtype.eml");

    assert_eq!(email.text(), Some("Plain after all.\n"));
    assert_eq!(email.mime_tree().content_type(), "text/plain");
    assert!(email.attachments().is_empty());
}

#[test]
fn an_encoded_file_name_folded_over_lines_has_no_folding_white_space() {
    let email = email("folded_encoded_filename.eml");

    assert_eq!(email.attachments()[0].filename(), Some("Solidarność.pdf"));
    assert_eq!(email.attachments()[0].content(), b"%PDF", "unpadded base64 keeps its last bytes");
}

#[test]
fn obsolete_address_forms_stray_brackets_and_comments() {
    let email = email("obsolete_addresses.eml");

    assert_eq!(email.from(), ["Ann Lee <ann@example.com>"], "a comment after the address is its name");
    assert_eq!(email.to(), ["Pete <pete@silly.test>", "bob@example.com", "cy@example.com"]);
    assert_eq!(email.cc(), ["dee@example.com", "eve@example.com"], "a missing comma loses no one");
}

#[test]
fn undisclosed_recipients_are_shown_as_written() {
    let email = email("undisclosed_recipients.eml");

    assert!(email.to().is_empty());
    assert_eq!(email.header("To"), Some("undisclosed-recipients:;"));
    assert!(mailtest::snapshot::render(&email).contains("To: undisclosed-recipients:;\n"));
}

#[test]
fn an_empty_message_has_a_plain_mime_line() {
    let email = Email::from_raw(Vec::new());

    let rendered = mailtest::snapshot::render(&email);

    assert!(rendered.contains("--- mime ---\ntext/plain\n"), "{rendered}");
    assert!(!rendered.contains("; 0 bytes"), "{rendered}");
}

#[test]
fn an_outlook_msg_file_is_a_problem() {
    let email = email("outlook.msg");

    assert_eq!(
        email.problems(),
        ["this is an Outlook .msg file (an OLE compound file), not an RFC 5322 message: export it as .eml"]
    );
}

#[test]
fn an_mbox_starting_with_a_byte_order_mark_loads() {
    let outbox = Outbox::load(fixture("bom.mbox")).expect("loads");

    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox.emails()[0].subject(), Some("After a BOM"));
}

#[test]
fn html_as_text_separates_cells_rows_and_blocks() {
    let email = email("receipt.eml");

    assert_eq!(
        email.html_text(),
        Some(
            "Thank you\nItem Qty Price\nBlue mug 2 12.50 EUR\nRed mug 1 6.25 EUR\nFree shipping\n\
             Returns within 30 days\nShop Ltd\nMain St 1\nSpringfield"
        )
    );
    email.assert().html_contains("Blue mug 2 12.50 EUR").html_in_order(["Blue mug", "Red mug", "Shop Ltd"]);
    let outbox = Outbox::new();
    outbox.capture_raw(None, &["ann@example.com"], email.raw());
    let report = outbox.find().html_contains("Green mug").try_one().unwrap_err().to_string();
    assert!(report.contains("Blue mug 2 12.50 EUR"), "the report shows the text as read:\n{report}");
}

#[test]
fn every_fixture_is_used() {
    let source = include_str!("decoding_classes.rs");
    for entry in std::fs::read_dir(fixture("")).expect("tests/decoding exists") {
        let name = entry.expect("a directory entry").file_name().to_string_lossy().into_owned();
        assert!(source.contains(&format!("\"{name}\"")), "tests/decoding/{name} is not used by a test");
    }
}
