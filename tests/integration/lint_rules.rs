//! One fixture per lint rule, each with a passing twin that differs in the
//! one respect the rule judges. A failing fixture must raise its code and no
//! other (so each rule is seen alone), its twin must be entirely
//! lint-clean, and the diagnostics are pinned as snapshots
//! (`snapshots/lint_*.snap`) through `assert_email_snapshot!(email.lint())`.

use mailtest::LintConfig;
use mailtest::assert_email_snapshot;
use mailtest::lint::{CODES, Profile};

use super::lint_fixtures::{LINK, Mail, html_page};

/// A rule, the email that breaks it, and its twin that does not.
struct Case {
    name: &'static str,
    code: &'static str,
    config: LintConfig,
    failing: Mail,
    passing: Mail,
    /// Codes the same mistake raises too (a misspelt `cid:` also leaves
    /// its part unreferenced).
    along: &'static [&'static str],
}

fn case(name: &'static str, code: &'static str, failing: Mail, passing: Mail) -> Case {
    Case { name, code, config: LintConfig::new(), failing, passing, along: &[] }
}

/// What the bulk fixtures share: an https and a mailto URI, one-click.
fn bulk(mail: Mail) -> Mail {
    mail.header(
        "List-Unsubscribe",
        "<https://app.example.com/unsubscribe/9f8e>, <mailto:unsubscribe@example.com>",
    )
    .header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
}

const DKIM_BOTH: &str = "v=1; a=rsa-sha256; d=example.com; s=s1;\r\n\th=From:To:Subject:Date:List-Unsubscribe:\r\n\tList-Unsubscribe-Post; bh=Zm9v; b=YmFy";
const DKIM_ONE: &str =
    "v=1; a=rsa-sha256; d=example.com; s=s1;\r\n\th=From:To:Subject:Date:List-Unsubscribe; bh=Zm9v; b=YmFy";

/// HTML of about `kib` KiB, with its text alternative intact.
fn big_html(kib: usize) -> String {
    let line = "<p>Item in your weekly digest, with enough words to be a line.</p>\n";
    let body: String = line.repeat(kib * 1024 / line.len());
    html_page(&format!("{body}<p><a href=\"{LINK}\">Reset</a></p>"))
}

fn cases() -> Vec<Case> {
    let long_line = "word ".repeat(240);
    let long_text = format!("Hi Ann,\n{}\nreset: {LINK}\n", long_line.trim_end());
    let page = |body: &str| html_page(body);
    let with_link = |href: &str| page(&format!("<p><a href=\"{href}\">Reset your password</a></p>"));
    vec![
        case("missing_message_id", "missing-message-id", Mail::clean().without("Message-ID"), Mail::clean()),
        case(
            "missing_date_invalid",
            "missing-date",
            Mail::clean().header("Date", "yesterday at noon"),
            Mail::clean().header("Date", "Wed, 08 May 2024 09:30:00 +0200"),
        ),
        case("missing_date", "missing-date", Mail::clean().without("Date"), Mail::clean()),
        case("empty_subject", "empty-subject", Mail::clean().header("Subject", "  "), Mail::clean()),
        case("empty_subject_missing", "empty-subject", Mail::clean().without("Subject"), Mail::clean()),
        case(
            "unrendered_placeholder",
            "unrendered-placeholder",
            Mail::clean().text(Some(&format!("Hi {{{{ user.first_name }}}},\n\nreset your password: {LINK}\n"))),
            Mail::clean().text(Some(&format!("Hi Ann,\n\nreset your password: {LINK}\n"))),
        ),
        case(
            "unrendered_placeholder_in_href",
            "unrendered-placeholder",
            Mail::clean().html(Some(&with_link("{{ reset_url }}"))),
            Mail::clean().html(Some(&with_link(LINK))),
        ),
        case(
            "raw_translation_key",
            "raw-translation-key",
            Mail::clean().header("Subject", "emails.password_reset.subject"),
            Mail::clean(),
        ),
        case(
            "line_too_long",
            "line-too-long",
            Mail::clean().text(Some(&long_text)),
            Mail::clean().text(Some(&long_text)).text_quoted_printable(),
        ),
        case(
            "html_without_text",
            "html-without-text",
            Mail::clean().text(None),
            Mail::clean().text(Some("Hi Ann, reset your password: https://app.example.com/reset?token=9f8e")),
        ),
        case(
            "dangling_cid",
            "dangling-cid",
            Mail::clean().html(Some(&page("<p><img src=\"cid:logo\" alt=\"Acme\"></p>"))),
            Mail::clean()
                .html(Some(&page("<p><img src=\"cid:logo\" alt=\"Acme\"></p>")))
                .inline("logo", "image/png"),
        ),
        Case {
            along: &["unreferenced-inline"],
            ..case(
                "dangling_cid_in_css",
                "dangling-cid",
                Mail::clean()
                    .html(Some(&page("<td style=\"background: url('cid:hero')\">Sale</td>")))
                    .inline("hero@acme", "image/png"),
                Mail::clean()
                    .html(Some(&page("<td style=\"background: url('cid:hero@acme')\">Sale</td>")))
                    .inline("hero@acme", "image/png"),
            )
        },
        case(
            "unreferenced_inline",
            "unreferenced-inline",
            Mail::clean().inline("banner", "image/jpeg"),
            Mail::clean()
                .html(Some(&page("<img src=\"cid:banner\" alt=\"Spring sale\">")))
                .inline("banner", "image/jpeg"),
        ),
        case(
            "relative_url",
            "relative-url",
            Mail::clean().html(Some(&with_link("/reset?token=9f8e"))),
            Mail::clean().html(Some(&with_link(LINK))),
        ),
        case(
            "localhost_url",
            "localhost-url",
            Mail::clean()
                .text(Some("Reset: http://localhost:3000/reset?token=9f8e\n"))
                .html(Some(&with_link("http://localhost:3000/reset?token=9f8e"))),
            Mail::clean(),
        ),
        Case {
            config: LintConfig::new().base_url("https://app.example.com"),
            ..case(
                "off_base_url",
                "off-base-url",
                Mail::clean()
                    .text(Some("Reset: https://staging.example.com/reset?token=9f8e\n"))
                    .html(Some(&with_link("https://staging.example.com/reset?token=9f8e"))),
                Mail::clean(),
            )
        },
        case(
            "insecure_url",
            "insecure-url",
            Mail::clean().html(Some(&page("<img src=\"http://cdn.example.com/logo.png\" alt=\"Acme\">"))),
            Mail::clean().html(Some(&page("<img src=\"https://cdn.example.com/logo.png\" alt=\"Acme\">"))),
        ),
        case(
            "img_missing_alt",
            "img-missing-alt",
            Mail::clean().html(Some(&page("<img src=\"https://cdn.example.com/logo.png\">"))),
            Mail::clean().html(Some(&page("<img src=\"https://cdn.example.com/spacer.gif\" alt=\"\">"))),
        ),
        case(
            "img_alt_unhelpful",
            "img-alt-unhelpful",
            Mail::clean().html(Some(&page("<img src=\"https://cdn.example.com/logo.png\" alt=\"logo.png\">"))),
            Mail::clean().html(Some(&page("<img src=\"https://cdn.example.com/logo.png\" alt=\"Acme\">"))),
        ),
        case(
            "link_image_no_alt",
            "link-image-no-alt",
            Mail::clean().html(Some(&page(&format!(
                "<a href=\"{LINK}\"><img src=\"https://cdn.example.com/reset.png\" alt=\"\"></a>"
            )))),
            Mail::clean().html(Some(&page(&format!(
                "<a href=\"{LINK}\"><img src=\"https://cdn.example.com/reset.png\" alt=\"Reset your password\"></a>"
            )))),
        ),
        case(
            "empty_link",
            "empty-link",
            Mail::clean().html(Some(&page(&format!("<p>Hi Ann, <a href=\"{LINK}\"> </a></p>")))),
            Mail::clean().html(Some(&page(&format!("<p>Hi Ann, <a href=\"{LINK}\" aria-label=\"Reset your password\"> </a></p>")))),
        ),
        case(
            "vague_link_text",
            "vague-link-text",
            Mail::clean().html(Some(&page(&format!("<p>To reset your password, <a href=\"{LINK}\">click here</a>.</p>")))),
            Mail::clean(),
        ),
        case(
            "layout_table_role",
            "layout-table-role",
            Mail::clean().html(Some(&page(&format!(
                "<table width=\"600\"><tr><td><a href=\"{LINK}\">Reset your password</a></td></tr></table>"
            )))),
            Mail::clean().html(Some(&page(&format!(
                "<table role=\"presentation\" width=\"600\"><tr><td><a href=\"{LINK}\">Reset your password</a></td></tr></table>\n\
                 <table><tr><th>Item</th><th>Price</th></tr><tr><td>Tea</td><td>$4</td></tr></table>"
            )))),
        ),
        case(
            "heading_order",
            "heading-order",
            Mail::clean().html(Some(&page(&format!("<h1>Acme</h1>\n<h3>Reset your password</h3>\n<p><a href=\"{LINK}\">Reset</a></p>")))),
            Mail::clean().html(Some(&page(&format!("<h1>Acme</h1>\n<h2>Reset your password</h2>\n<p><a href=\"{LINK}\">Reset</a></p>")))),
        ),
        case(
            "low_contrast",
            "low-contrast",
            Mail::clean().html(Some(&page(&format!("<p style=\"color:#aaaaaa\">Hi Ann, <a href=\"{LINK}\">reset your password</a></p>")))),
            Mail::clean().html(Some(&page(&format!("<p style=\"color:#555555\">Hi Ann, <a href=\"{LINK}\">reset your password</a></p>")))),
        ),
        case(
            "low_contrast_on_background",
            "low-contrast",
            Mail::clean().html(Some(&page(&format!(
                "<table role=\"presentation\"><tr><td bgcolor=\"#2a6ebb\" style=\"color:#6c9bd2\"><a href=\"{LINK}\" style=\"color:#ffffff\">Reset</a> your password</td></tr></table>"
            )))),
            Mail::clean().html(Some(&page(&format!(
                "<table role=\"presentation\"><tr><td bgcolor=\"#1d4f8a\" style=\"color:#ffffff\"><a href=\"{LINK}\" style=\"color:#ffffff\">Reset</a> your password</td></tr></table>"
            )))),
        ),
        case(
            "small_text",
            "small-text",
            Mail::clean().html(Some(&page(&format!("<p><a href=\"{LINK}\">Reset your password</a></p>\n<p style=\"font-size:9px\">Acme Ltd, 1 High St</p>")))),
            Mail::clean().html(Some(&page(&format!("<p><a href=\"{LINK}\">Reset your password</a></p>\n<p style=\"font-size:13px\">Acme Ltd, 1 High St</p>\n<div style=\"display:none;font-size:1px\">preheader</div>")))),
        ),
        case(
            "justified_text",
            "justified-text",
            Mail::clean().html(Some(&page(&format!("<p style=\"text-align: justify\">Hi Ann, <a href=\"{LINK}\">reset your password</a>.</p>")))),
            Mail::clean().html(Some(&page(&format!("<p style=\"text-align: left\">Hi Ann, <a href=\"{LINK}\">reset your password</a>.</p>")))),
        ),
        case(
            "text_missing_link",
            "text-missing-link",
            Mail::clean().html(Some(&page(&format!(
                "<p><a href=\"{LINK}\">Reset your password</a></p>\n<p><a href=\"https://app.example.com/security\">Review your security settings</a></p>"
            )))),
            Mail::clean()
                .text(Some(&format!("Reset your password: {LINK}\nReview your security settings: https://app.example.com/security\n")))
                .html(Some(&page(&format!(
                    "<p><a href=\"{LINK}&amp;utm_source=mail\">Reset your password</a></p>\n<p><a href=\"https://app.example.com/security\">Review your security settings</a></p>"
                )))),
        ),
        case(
            "html_missing_lang",
            "html-missing-lang",
            Mail::clean().html(Some("<html>\n<body><p>Hi Ann</p></body>\n</html>\n")),
            Mail::clean().html(Some("<html lang=\"en\">\n<body><p>Hi Ann</p></body>\n</html>\n")),
        ),
        case(
            "gmail_clip",
            "gmail-clip",
            Mail::clean().html(Some(&big_html(105))),
            Mail::clean().html(Some(&big_html(80))),
        ),
        case(
            "gmail_clip_near",
            "gmail-clip",
            Mail::clean().html(Some(&big_html(95))),
            Mail::clean().html(Some(&big_html(80))),
        ),
        case(
            "bcc_header_visible",
            "bcc-header-visible",
            Mail::clean().header("Bcc", "audit@example.com"),
            Mail::clean().blind_copy("audit@example.com"),
        ),
        case(
            "list_unsubscribe_syntax",
            "list-unsubscribe-syntax",
            Mail::clean().header("List-Unsubscribe", "https://app.example.com/unsubscribe/9f8e"),
            Mail::clean().header("List-Unsubscribe", "<https://app.example.com/unsubscribe/9f8e>"),
        ),
        case(
            "list_unsubscribe_syntax_two_mailtos",
            "list-unsubscribe-syntax",
            Mail::clean()
                .header("List-Unsubscribe", "<mailto:unsubscribe@example.com>, <mailto:stop@example.com>"),
            Mail::clean().header(
                "List-Unsubscribe",
                "<mailto:unsubscribe@example.com>, <https://app.example.com/u/9f8e>",
            ),
        ),
        Case {
            config: LintConfig::new().profile(Profile::Bulk),
            ..case(
                "one_click_unsubscribe",
                "one-click-unsubscribe",
                Mail::clean().header("List-Unsubscribe", "<mailto:unsubscribe@example.com>"),
                bulk(Mail::clean()),
            )
        },
        Case {
            config: LintConfig::new().profile(Profile::Bulk),
            ..case(
                "one_click_unsubscribe_dkim",
                "one-click-unsubscribe",
                bulk(Mail::clean()).add_header("DKIM-Signature", DKIM_ONE),
                bulk(Mail::clean()).add_header("DKIM-Signature", DKIM_BOTH),
            )
        },
        case(
            "one_click_unsubscribe_post_value",
            "one-click-unsubscribe",
            bulk(Mail::clean()).header("List-Unsubscribe-Post", "One-Click"),
            bulk(Mail::clean()),
        ),
    ]
}

#[test]
fn each_rule_fires_alone_on_its_fixture_and_its_twin_is_clean() {
    for case in cases() {
        let failing = case.failing.email();
        let lints = failing.lint_with(&case.config);
        assert!(!lints.is_empty(), "{}: no lint on the failing fixture", case.name);
        assert!(
            lints.iter().any(|lint| lint.code() == case.code)
                && lints.iter().all(|lint| lint.code() == case.code || case.along.contains(&lint.code())),
            "{}: expected only {} lints, got {:?}\n{lints}",
            case.name,
            case.code,
            lints.codes()
        );
        let passing = case.passing.email();
        let clean = passing.lint_with(&case.config);
        assert!(clean.is_empty(), "{}: the passing twin has lints:\n{clean}", case.name);

        insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false }, {
            assert_email_snapshot!(format!("lint_{}", case.name), lints);
        });
    }
}

#[test]
fn every_code_has_a_fixture() {
    let cases = cases();
    // `untranslated-text` judges a group of emails: `lint_locales.rs`.
    for code in CODES.iter().filter(|code| !["lint-panicked", "untranslated-text"].contains(code)) {
        assert!(cases.iter().any(|case| case.code == *code), "no fixture for {code}");
    }
    // `lint-panicked` reports a bug in a rule: no valid fixture can raise it.
}

#[test]
fn the_clean_fixture_is_clean_with_warnings_denied_and_its_twins_are_realistic() {
    let email = Mail::clean().email();
    email.assert().lints_clean_with(&LintConfig::new().deny_warnings());
    assert_eq!(email.links(), [LINK]);

    let blind = Mail::clean().blind_copy("audit@example.com").email();
    assert_eq!(blind.bcc(), ["audit@example.com"], "the twin of bcc-header-visible still blind-copies");
    let wrapped = Mail::clean().text(Some(&"x".repeat(1200))).text_quoted_printable().email();
    assert_eq!(wrapped.text().map(str::trim_end), Some("x".repeat(1200).as_str()), "soft breaks decode away");
}
