//! A corpus of varied real-world shapes (`tests/corpus/*.eml`), each rendered
//! and snapshot-tested (`snapshots/corpus_*.snap`), with the facts the
//! rendering must show checked outright, so a snapshot cannot be accepted
//! into a wrong state unnoticed.

use std::path::{Path, PathBuf};

use mailtest::{Email, assert_email_snapshot};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn check(stem: &str, must_show: &[&str]) {
    let path = corpus_dir().join(format!("{stem}.eml"));
    let raw = std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let email = Email::from_raw(raw);

    let rendered = mailtest::snapshot::render(&email);

    for fragment in must_show {
        assert!(rendered.contains(fragment), "{stem}: expected {fragment:?} in:\n{rendered}");
    }
    insta::with_settings!({
        snapshot_path => "../../snapshots",
        prepend_module_to_snapshot => false,
        input_file => &path,
    }, {
        assert_email_snapshot!(format!("corpus_{stem}"), email);
    });
}

macro_rules! corpus {
    ($($stem:ident: [$($fragment:expr),* $(,)?],)*) => {
        $(
            #[test]
            fn $stem() {
                check(stringify!($stem), &[$($fragment),*]);
            }
        )*

        /// Every message in the corpus has a test above, and every test a message.
        #[test]
        fn every_corpus_message_is_tested() {
            let mut on_disk: Vec<String> = std::fs::read_dir(corpus_dir())
                .expect("tests/corpus exists")
                .filter_map(|entry| entry.ok()?.path().file_stem()?.to_str().map(str::to_owned))
                .filter(|stem| !stem.starts_with('.'))
                .collect();
            on_disk.sort();
            let mut tested = vec![$(stringify!($stem).to_owned()),*];
            tested.sort();
            assert_eq!(on_disk, tested);
        }
    };
}

corpus! {
    related_inline_images: [
        "multipart/related\n  multipart/alternative\n    text/plain; charset=utf-8\n    text/html; charset=utf-8\n",
        "image/png; inline; filename=\"logo.png\"; content-id=<logo@shop>; 70 bytes",
        "2. (no filename) image/gif, inline, content-id <lamp@shop>, 43 bytes, sha256 ",
    ],
    forwarded_rfc822: [
        "  message/rfc822; attachment\n    multipart/alternative\n",
        "1. (no filename) message/rfc822, attachment, forwarded message:\n    From: Carol <carol@example.org>\n",
        "    2. Café on Monday.\n",
    ],
    latin1_body: [
        "Subject: Bestätigung Ihrer Bestellung\n",
        "vielen Dank für Ihre Bestellung. Grüße aus München!\n",
        "Content-Language: de\n",
    ],
    windows1252_body: ["“Thanks” for your order – total € 42.00.\nIt’s on its way…\n"],
    quoted_printable_soft_breaks: [
        "soft line breaks so that no encoded line is longer than seventy-six characters; the reader sees it whole.",
        "1 + 1 = 2. Café crème brûlée.\n",
        "A hard break comes after this line. \n",
        "at the very end\n\\ no newline at end\n",
    ],
    rfc2231_filenames: [
        "\"Résumé Renée.pdf\" application/pdf, attachment, 39 bytes",
        "\"Quartalsübersicht 2024–Q1.csv\" text/csv, attachment",
    ],
    long_folded_headers: [
        "Subject: Résumé de la réunion de l’équipe du lundi à 10 heures and a plain-text tail that goes on for a while\n",
        "\"Lee, Dave\" <dave@example.com>, Erin <erin@example.com>\n",
        "In-Reply-To: <thread-root@example.fr>\nReferences: <thread-root@example.fr> [generated-id]\n",
    ],
    html_only: [
        "--- text/html ---\n<html><body>\n",
        "--- text/html as text ---\nHi O'Connor & friends,\nReset your password\n",
    ],
    text_only: ["--- mime ---\ntext/plain\n\n--- text/plain ---\nWelcome, Ann!\n"],
    list_headers: [
        "Reply-To: Support <support@example.com>\n",
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\nAuto-Submitted: auto-generated\n",
        "X-Campaign: may-2024\n",
    ],
    malformed: [
        "--- problems ---\n- To: no address could be read in =?utf-8?B?####?=\n",
        "- the message (multipart/mixed): the closing line `--[boundary]--` is missing",
        "- part 1 (text/plain): the charset \"no-such-charset\" is not known",
        "- Subject: an RFC 2047 encoded word could not be decoded",
        "1. \"data.bin\" application/octet-stream, attachment, 3 bytes",
        "Subject: =?utf-8?B?####?=\n",
    ],
}

#[test]
fn noise_headers_are_left_out() {
    let raw = std::fs::read(corpus_dir().join("list_headers.eml")).expect("corpus message");

    let rendered = mailtest::snapshot::render(&Email::from_raw(raw));

    for noise in ["Received", "DKIM-Signature", "Return-Path", "Delivered-To", "X-Google", "MIME-Version"] {
        assert!(!rendered.contains(noise), "{noise} should not be shown:\n{rendered}");
    }
}
