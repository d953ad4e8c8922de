//! `snapshot::render`: the same logical email renders the same however many
//! times it is sent, and anything a recipient could notice changes the text.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lettre::Transport;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use mailtest::snapshot::{Redactions, render, render_outbox, render_with};
use mailtest::{Email, Outbox};

/// One logical email: everything a recipient could see.
#[derive(Clone, Debug)]
struct Spec {
    from: String,
    to: Vec<String>,
    cc: Vec<String>,
    bcc: Vec<String>,
    reply_to: Option<String>,
    subject: String,
    text: String,
    html: Option<String>,
    inline_image: Option<(String, Vec<u8>)>,
    attachments: Vec<(String, String, Vec<u8>)>,
    campaign: Option<String>,
}

fn welcome() -> Spec {
    Spec {
        from: "Shop <shop@example.com>".into(),
        to: vec!["Ann Lee <ann@example.com>".into()],
        cc: vec!["team@example.com".into()],
        bcc: vec!["audit@example.com".into()],
        reply_to: Some("Support <support@example.com>".into()),
        subject: "Welcome, Ann!".into(),
        text: "Hi Ann,\nconfirm your address: https://shop.example.com/confirm?t=8f3a\n".into(),
        html: Some(
            "<p>Hi Ann,</p>\n<p><img src=\"cid:logo\"> <a href=\"https://shop.example.com\">Shop</a></p>\n"
                .into(),
        ),
        inline_image: Some(("logo".into(), vec![0x89, b'P', b'N', b'G', 0, 1, 2, 3])),
        attachments: vec![("terms.pdf".into(), "application/pdf".into(), b"%PDF-1.4 terms".to_vec())],
        campaign: Some("spring".into()),
    }
}

/// An edit to a [`Spec`], for tables of cases.
type Change = fn(&mut Spec);

fn mailbox(text: &str) -> Mailbox {
    text.parse().unwrap_or_else(|err| panic!("{text:?} is not a mailbox: {err}"))
}

/// Builds `spec` with lettre, as an application would: the given Date, a
/// fresh random Message-ID (`message_id(None)`) and random MIME boundaries.
fn build(spec: &Spec, date: SystemTime) -> lettre::Message {
    let mut builder = lettre::Message::builder()
        .from(mailbox(&spec.from))
        .subject(&spec.subject)
        .date(date)
        .message_id(None);
    for to in &spec.to {
        builder = builder.to(mailbox(to));
    }
    for cc in &spec.cc {
        builder = builder.cc(mailbox(cc));
    }
    for bcc in &spec.bcc {
        builder = builder.bcc(mailbox(bcc));
    }
    if let Some(reply_to) = &spec.reply_to {
        builder = builder.reply_to(mailbox(reply_to));
    }
    if let Some(campaign) = &spec.campaign {
        let name = HeaderName::new_from_ascii_str("X-Campaign");
        builder = builder.raw_header(HeaderValue::new(name, campaign.clone()));
    }
    let text = SinglePart::plain(spec.text.clone());
    let body = match &spec.html {
        None => MultiPart::mixed().singlepart(text),
        Some(html) => {
            let html = SinglePart::html(html.clone());
            let html = match &spec.inline_image {
                None => MultiPart::related().singlepart(html),
                Some((cid, bytes)) => MultiPart::related().singlepart(html).singlepart(
                    Attachment::new_inline(cid.clone())
                        .body(bytes.clone(), ContentType::parse("image/png").expect("valid type")),
                ),
            };
            MultiPart::mixed().multipart(MultiPart::alternative().singlepart(text).multipart(html))
        }
    };
    let body = spec.attachments.iter().fold(body, |body, (name, content_type, bytes)| {
        body.singlepart(
            Attachment::new(name.clone())
                .body(bytes.clone(), ContentType::parse(content_type).expect("valid content type")),
        )
    });
    builder.multipart(body).expect("a valid message")
}

/// Sends `spec` through a capture transport and returns what was captured.
fn send(spec: &Spec, date: SystemTime) -> Email {
    let outbox = Outbox::new();
    outbox.transport().send(&build(spec, date)).expect("capture accepts the message");
    outbox.emails().remove(0)
}

fn sha256_prefix(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().take(8).map(|byte| format!("{byte:02x}")).collect()
}

fn two_sends(spec: &Spec) -> (Email, Email) {
    let first = send(spec, UNIX_EPOCH + Duration::from_secs(1_715_000_000));
    let second = send(spec, UNIX_EPOCH + Duration::from_secs(1_715_086_461));
    assert_ne!(first.raw(), second.raw(), "the two sends should differ in date, id and boundaries");
    assert_ne!(first.message_id(), second.message_id());
    (first, second)
}

#[test]
fn the_same_email_sent_twice_renders_identically() {
    let shapes: [(&str, Change); 4] = [
        ("everything", |_| {}),
        ("text only", |spec| {
            spec.html = None;
            spec.attachments.clear();
        }),
        ("text and html, no image", |spec| spec.inline_image = None),
        ("two attachments", |spec| {
            spec.attachments.push(("data.csv".into(), "text/csv".into(), b"a,b\n1,2\n".to_vec()))
        }),
    ];
    for (shape, adjust) in shapes {
        let mut spec = welcome();
        adjust(&mut spec);

        let (first, second) = two_sends(&spec);

        assert_eq!(render(&first), render(&second), "{shape}");
        assert!(!render(&first).contains("boundary"), "{shape}: {}", render(&first));
    }
}

/// A small deterministic generator (xorshift64*): the property runs over
/// the same cases every time, so a failure is reproducible by its case number.
struct Cases(u64);

impl Cases {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn word(&mut self, min: usize, max: usize) -> String {
        let len = min + self.below(max - min + 1);
        (0..len).map(|_| (b'a' + self.below(26) as u8) as char).collect()
    }

    fn text(&mut self, max: usize) -> String {
        const PIECES: [&str; 12] = ["é", "€", "日本", " ", " ", "\n", ", ", ".", "=", "O'Connor", "&", "\t"];
        let len = 1 + self.below(max);
        let mut text = self.word(1, 6);
        while text.chars().count() < len {
            if self.below(3) == 0 {
                text.push_str(PIECES[self.below(PIECES.len())]);
            } else {
                text.push_str(&self.word(1, 8));
            }
        }
        text
    }

    fn address(&mut self) -> String {
        format!("{}@{}.example.com", self.word(2, 8), self.word(2, 6))
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        (0..self.below(max + 1)).map(|_| self.next() as u8).collect()
    }

    fn spec(&mut self) -> Spec {
        let html = (self.below(2) == 0).then(|| format!("<p>{}</p>", self.text(60)));
        let attachments = (0..self.below(3))
            .map(|_| {
                (format!("{}.bin", self.word(3, 8)), "application/octet-stream".to_owned(), self.bytes(80))
            })
            .collect();
        Spec {
            from: format!("{} <{}>", self.word(3, 8), self.address()),
            to: (0..1 + self.below(3)).map(|_| self.address()).collect(),
            cc: (0..self.below(2)).map(|_| self.address()).collect(),
            bcc: (0..self.below(2)).map(|_| self.address()).collect(),
            reply_to: (self.below(2) == 0).then(|| self.address()),
            subject: self.word(1, 10) + " " + &self.text(40).replace(['\n', '\t'], " "),
            text: self.text(200),
            inline_image: (html.is_some() && self.below(2) == 0).then(|| (self.word(3, 6), self.bytes(40))),
            html,
            attachments,
            campaign: (self.below(2) == 0).then(|| self.word(3, 10)),
        }
    }
}

/// Changes one thing a recipient can see; returns what changed.
fn mutate(spec: &mut Spec, cases: &mut Cases) -> &'static str {
    fn change_char(text: &mut String, cases: &mut Cases) {
        let chars: Vec<char> = text.chars().collect();
        let at = cases.below(chars.len());
        let replacement = if chars[at] == 'q' { 'z' } else { 'q' };
        *text = chars.iter().enumerate().map(|(i, &c)| if i == at { replacement } else { c }).collect();
    }
    loop {
        match cases.below(8) {
            0 => {
                change_char(&mut spec.subject, cases);
                return "subject";
            }
            1 => {
                change_char(&mut spec.text, cases);
                return "text";
            }
            2 => {
                let n = cases.below(spec.to.len());
                spec.to[n].insert(0, 'x');
                return "to";
            }
            3 => {
                spec.bcc.push(cases.address());
                return "bcc";
            }
            4 if spec.html.is_some() => {
                spec.html.as_mut().expect("html").insert(3, 'x');
                return "html";
            }
            5 if !spec.attachments.is_empty() => {
                let bytes = &mut spec.attachments[0].2;
                match bytes.first_mut() {
                    Some(first) => *first = first.wrapping_add(1),
                    None => bytes.push(0),
                }
                return "attachment bytes";
            }
            6 if !spec.attachments.is_empty() => {
                spec.attachments[0].0.insert(0, 'x');
                return "attachment filename";
            }
            7 => {
                spec.from = format!("x{}", spec.from);
                return "from";
            }
            _ => continue,
        }
    }
}

#[test]
fn property_equal_content_renders_equal_and_any_change_shows() {
    let mut cases = Cases(0x9e37_79b9_7f4a_7c15);
    for case in 0..48 {
        let spec = cases.spec();

        let (first, second) = two_sends(&spec);
        let mut changed = spec.clone();
        let what = mutate(&mut changed, &mut cases);
        let third = send(&changed, UNIX_EPOCH + Duration::from_secs(1_715_000_000));

        assert_eq!(render(&first), render(&second), "case {case}: {spec:#?}");
        assert_ne!(
            render(&first),
            render(&third),
            "case {case}: changing the {what} did not show: {spec:#?}"
        );
    }
}

#[test]
fn each_visible_change_shows_where_a_reviewer_looks() {
    let changed_terms_hash = format!("14 bytes, sha256 {}", sha256_prefix(b"#PDF-1.4 terms"));
    let cases: [(&str, Change, &str); 13] = [
        ("subject", |s| s.subject = "Welcome, Anne!".into(), "Subject: Welcome, Anne!\n"),
        ("one body char", |s| s.text = s.text.replace("Ann,", "Ann."), "Hi Ann.\n"),
        ("html", |s| s.html = Some(s.html.take().unwrap().replace("Shop<", "Store<")), "\">Store</a>"),
        (
            "to address",
            |s| s.to = vec!["Ann Lee <anne@example.com>".into()],
            "To: Ann Lee <anne@example.com>\n",
        ),
        ("to display name", |s| s.to = vec!["Ann Leigh <ann@example.com>".into()], "To: Ann Leigh <ann@"),
        ("cc", |s| s.cc.push("boss@example.com".into()), "Cc: team@example.com, boss@example.com\n"),
        ("bcc", |s| s.bcc = vec!["audit2@example.com".into()], "Bcc: audit2@example.com\n"),
        ("from", |s| s.from = "Shop <noreply@example.com>".into(), "From: Shop <noreply@example.com>\n"),
        ("reply-to", |s| s.reply_to = None, "Cc: team@example.com\nBcc: audit@example.com\nSubject:"),
        ("attachment bytes, same size", |s| s.attachments[0].2[0] = b'#', &changed_terms_hash),
        (
            "attachment filename",
            |s| s.attachments[0].0 = "terms-v2.pdf".into(),
            "\"terms-v2.pdf\" application/pdf",
        ),
        ("inline image bytes", |s| s.inline_image.as_mut().unwrap().1.push(4), "9 bytes"),
        ("custom header", |s| s.campaign = Some("summer".into()), "X-Campaign: summer\n"),
    ];
    let base = render(&send(&welcome(), SystemTime::now()));
    for (what, change, shown) in cases {
        let mut spec = welcome();
        change(&mut spec);

        let changed = render(&send(&spec, SystemTime::now()));

        assert_ne!(base, changed, "changing the {what} did not change the rendering");
        let differing: Vec<(&str, &str)> =
            base.lines().zip(changed.lines()).filter(|(a, b)| a != b).collect();
        assert!(
            changed.contains(shown) && !base.contains(shown),
            "changing the {what}: expected {shown:?} in the new rendering; lines that differ: {differing:#?}"
        );
    }
}

#[test]
fn attachment_bytes_of_the_same_size_change_only_the_hash() {
    let mut spec = welcome();
    let base = render(&send(&spec, SystemTime::now()));
    spec.attachments[0].2[0] = b'#';

    let changed = render(&send(&spec, SystemTime::now()));

    let differing: Vec<(&str, &str)> = base.lines().zip(changed.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(differing.len(), 1, "{differing:#?}");
    assert!(differing[0].0.contains("14 bytes, sha256 ") && differing[0].1.contains("14 bytes, sha256 "));
}

#[test]
fn replies_in_an_outbox_name_the_email_they_answer() {
    let outbox = Outbox::new();
    let question = build(&welcome(), SystemTime::now());
    let question_id = question.headers().get_raw("Message-ID").expect("lettre adds a Message-ID").to_owned();
    let answer = lettre::Message::builder()
        .from(mailbox("ann@example.com"))
        .to(mailbox("support@example.com"))
        .subject("Re: Welcome, Ann!")
        .message_id(None)
        .in_reply_to(question_id.clone())
        .references(format!("<thread-root@example.com> {question_id}"))
        .body(String::from("Thanks!"))
        .expect("a valid message");
    outbox.transport().send(&question).expect("captured");
    outbox.transport().send(&answer).expect("captured");

    let all = render_outbox(&outbox);
    let alone = render(&outbox.emails()[1]);

    assert!(all.contains("Message-ID: [message-id #1]\n"), "{all}");
    assert!(all.contains("Message-ID: [message-id #2]\n"), "{all}");
    assert!(
        all.contains("In-Reply-To: [message-id #1]\nReferences: <thread-root@example.com> [message-id #1]\n")
    );
    assert!(
        alone.contains("In-Reply-To: [generated-id]\nReferences: <thread-root@example.com> [generated-id]\n")
    );
    assert!(!all.contains(question_id.trim_matches(['<', '>'])), "{all}");
}

#[test]
fn a_boundary_that_leaks_into_a_body_is_redacted() {
    let email = Email::from_raw(
        "Content-Type: multipart/mixed; boundary=\"Zq81mXo3vL5tRb2K\"\r\n\r\n\
         --Zq81mXo3vL5tRb2K\r\nContent-Type: text/plain\r\n\r\n\
         The boundary Zq81mXo3vL5tRb2K is random.\r\n--Zq81mXo3vL5tRb2K--\r\n",
    );

    let text = render(&email);

    assert!(text.contains("The boundary [boundary] is random."), "{text}");
    assert!(!text.contains("Zq81mXo3vL5tRb2K"), "{text}");
}

#[test]
fn the_message_id_is_redacted_wherever_it_appears() {
    let email = Email::from_raw(
        "Message-ID: <Xk3v9QpL2mZr7TnB4wYc8HdJ1sFg6aEu5oRi@localhost>\r\n\r\n\
         Track: https://t.example.com/o?m=Xk3v9QpL2mZr7TnB4wYc8HdJ1sFg6aEu5oRi@localhost\r\n",
    );

    let text = render(&email);

    assert!(text.contains("Message-ID: [message-id]\n"), "{text}");
    assert!(text.contains("Track: https://t.example.com/o?m=[message-id]\n"), "{text}");
}

#[test]
fn user_redactions_apply_after_the_built_in_ones_in_order() {
    let email = Email::from_raw(
        "Subject: Code 493817 for order 1042\r\nDate: Tue, 7 May 2024 10:00:00 +0000\r\n\r\n\
         https://shop.example.com/confirm?t=8f3a9c&lang=en\r\n",
    );
    let redactions = Redactions::new()
        .pattern(r"\b\d{6}\b", "[code]")
        .pattern(r"(confirm\?t=)\w+", "${1}[token]")
        .pattern(r"\[date\]", "[when]");

    let text = render_with(&email, &redactions);

    assert!(text.starts_with("Subject: Code [code] for order 1042\nDate: [when]\n"), "{text}");
    assert!(text.contains("https://shop.example.com/confirm?t=[token]&lang=en\n"), "{text}");
}

#[test]
fn control_characters_and_missing_final_newlines_are_visible() {
    let email = Email::from_raw("Subject: Hi\r\n\r\nred: \x1b[31mstop\x1b[0m\r\nend");

    let text = render(&email);

    assert!(
        text.ends_with("--- text/plain ---\nred: \\u{1b}[31mstop\\u{1b}[0m\nend\n\\ no newline at end\n"),
        "{text}"
    );
}

#[test]
fn an_invalid_redaction_pattern_says_which_and_why() {
    let payload = std::panic::catch_unwind(|| Redactions::new().pattern("token=(\\w+", "[token]"))
        .expect_err("an invalid regex should panic");
    let message = payload.downcast_ref::<String>().cloned().unwrap_or_default();

    insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("redactions_invalid_pattern", message);
    });
}

#[test]
fn an_empty_outbox_renders_as_such() {
    assert_eq!(render_outbox(&Outbox::new()), "no emails captured\n");
}
