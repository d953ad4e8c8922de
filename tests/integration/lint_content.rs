//! `unrendered-placeholder`, `raw-translation-key` and `empty-subject`: one
//! fixture per template syntax fires wherever a reader reads it (subject,
//! text, HTML text, attributes); template code *shown* as code (`<pre>`,
//! `<code>`), CSS, Outlook's conditional comments, JSON-LD and comments do
//! not; and careful mail — lettre's builder, the shop's receipt — raises
//! none of the rules this family and the accessibility family added.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, MultiPart, SinglePart};
use mailtest::{Email, LintConfig};

use super::lint_fixtures::{LINK, Mail, html_page};

/// The codes issue 25 added: a careful email raises none of them.
const NEW_CODES: [&str; 13] = [
    "empty-subject",
    "unrendered-placeholder",
    "raw-translation-key",
    "img-alt-unhelpful",
    "link-image-no-alt",
    "empty-link",
    "vague-link-text",
    "layout-table-role",
    "heading-order",
    "low-contrast",
    "small-text",
    "justified-text",
    "text-missing-link",
];

/// One placeholder of each syntax, as a template left it.
const SYNTAXES: [(&str, &str); 13] = [
    ("Jinja, Tera, MiniJinja, Askama", "{{ user.first_name }}"),
    ("Handlebars block", "{{#if premium}}"),
    ("Handlebars triple", "{{{ greeting }}}"),
    ("Liquid and Jinja tags", "{% if order.paid %}"),
    ("Jinja comment", "{# greeting #}"),
    ("ERB and EJS", "<%= @user.name %>"),
    ("Ruby i18n", "%{name}"),
    ("Python %-format", "%(name)s"),
    ("JavaScript template literal", "${user.name}"),
    ("Fluent", "{ $name }"),
    ("positional", "{0}"),
    ("ICU MessageFormat", "{1, number}"),
    ("Mailchimp merge tag", "*|FNAME|*"),
];

fn codes(email: &Email) -> Vec<String> {
    email.lint().codes().into_iter().map(str::to_owned).collect()
}

fn only_placeholders(mail: Mail, what: &str) {
    let email = mail.email();
    let found = codes(&email);
    assert!(
        !found.is_empty() && found.iter().all(|code| code == "unrendered-placeholder"),
        "{what}: {found:?}\n{}",
        email.lint()
    );
}

#[test]
fn each_syntax_fires_in_the_subject_the_text_the_html_and_an_attribute() {
    for (syntax, placeholder) in SYNTAXES {
        only_placeholders(Mail::clean().header("Subject", &format!("Welcome, {placeholder}")), syntax);
        only_placeholders(Mail::clean().text(Some(&format!("Hi {placeholder},\n\nreset: {LINK}\n"))), syntax);
        // `<%=` is a `<` that starts no tag: text, as browsers show it.
        only_placeholders(
            Mail::clean().html(Some(&html_page(&format!(
                "<p>Hi {placeholder},</p>\n<p><a href=\"{LINK}\">Reset your password</a></p>"
            )))),
            syntax,
        );
        only_placeholders(
            Mail::clean().html(Some(&html_page(&format!(
                "<p><a href=\"{LINK}\" title=\"{placeholder}\">Reset your password</a></p>"
            )))),
            syntax,
        );
    }
}

#[test]
fn template_code_shown_as_code_or_in_css_mso_json_ld_and_comments_is_no_placeholder() {
    let quoted = html_page(&format!(
        "<p>Write the greeting as <code>{{{{ user.first_name }}}}</code>, or a block:</p>\n\
         <pre>{{% if order.paid %}}Paid{{% endif %}}\n&lt;%= @user.name %&gt; ${{user.name}} %{{name}}</pre>\n\
         <style>@media (max-width: 600px) {{ .a {{ width: 100% }} }} .b{{color:#333}}</style>\n\
         <div style=\"font-family: {{0}}\">Hi Ann,</div>\n\
         <!--[if mso]><v:roundrect href=\"{{{{ mso_only }}}}\">{{{{ outlook }}}}</v:roundrect><![endif]-->\n\
         <!-- {{{{ commented_out }}}} -->\n\
         <script type=\"application/ld+json\">{{\"@context\": \"https://schema.org\", \"name\": \"{{{{ x }}}}\"}}</script>\n\
         <p><a href=\"{LINK}\">Reset your password</a></p>"
    ));
    let email = Mail::clean().html(Some(&quoted)).email();
    assert!(email.lint().is_empty(), "{}", email.lint());

    let quoted_text = format!("Hi Ann,\n\n> Hi {{{{ name }}}}, you wrote\n\nreset: {LINK}\n");
    let email = Mail::clean().text(Some(&quoted_text)).email();
    assert!(email.lint().is_empty(), "a quoted line of a reply: {}", email.lint());
}

#[test]
fn translation_keys_and_what_frameworks_print_for_missing_ones() {
    let cases = [
        Mail::clean().header("Subject", "emails.password_reset.subject"),
        Mail::clean().text(Some(&format!("emails.reset.greeting\n\nreset: {LINK}\n"))),
        Mail::clean().html(Some(&html_page(&format!(
            "<h1>mail.reset.heading</h1>\n<p><a href=\"{LINK}\">Reset your password</a></p>"
        )))),
        Mail::clean()
            .text(Some(&format!("translation missing: de.emails.reset.greeting\n\nreset: {LINK}\n"))),
    ];
    for mail in cases {
        let email = mail.email();
        assert_eq!(codes(&email), ["raw-translation-key"], "{}", email.lint());
    }
    // Host names, files and versions are dotted too.
    let prose = format!("See www.example.com or report.pdf (v1.2.3).\n\nreset: {LINK}\n");
    assert!(Mail::clean().text(Some(&prose)).email().lint().is_empty());
}

#[test]
fn a_subject_written_but_not_read_is_empty_and_not_called_empty() {
    // A folded header that lost its leading white space ends the header
    // section for a reader: the Subject below it is never shown.
    let raw = "Date: Tue, 7 May 2024 10:00:00 +0000\r\nMessage-ID: <a@example.com>\r\n\
               DKIM-Signature: v=1; a=rsa-sha256;\r\nd=example.com; s=s1;\r\n\
               Subject: Your order has shipped\r\nFrom: shop@example.com\r\n\r\nHi\r\n";
    let email = Email::from_raw(raw);
    assert_eq!(email.subject(), None, "the reader's view this test is about");
    let lints = email.lint();
    let lint = lints.iter().find(|lint| lint.code() == "empty-subject").expect("empty-subject fires");
    assert_eq!(lint.message(), "the Subject header reads as empty", "{lints}");
    assert!(lint.to_string().contains("a malformed line above it ended the header section"), "{lints}");
}

#[test]
fn a_careful_lettre_email_raises_none_of_the_new_lints() {
    let html = "<!doctype html>\n<html lang=\"en\">\n<head><title>Your order has shipped</title></head>\n<body>\n\
        <div style=\"display:none;max-height:0;overflow:hidden\">Track your parcel with one click</div>\n\
        <table role=\"presentation\" width=\"100%\" bgcolor=\"#f4f4f4\"><tr><td>\n\
        <table role=\"presentation\" width=\"600\" bgcolor=\"#ffffff\" style=\"color:#333333;font-size:16px\"><tr><td>\n\
        <h1 style=\"font-size:24px\">Your order has shipped</h1>\n\
        <p>Hi Ann, order 42 is on its way.</p>\n\
        <h2 style=\"font-size:18px\">What you ordered</h2>\n\
        <table style=\"border-collapse:collapse\"><caption>Order 42</caption>\n\
        <tr><th scope=\"col\">Item</th><th scope=\"col\">Price</th></tr>\n\
        <tr><td>Tea</td><td>$4.00</td></tr></table>\n\
        <p><a href=\"https://shop.example.com/orders/42\" style=\"background-color:#1d4f8a;color:#ffffff;padding:12px\">Track your order</a></p>\n\
        <p><img src=\"https://cdn.shop.example.com/logo.png\" alt=\"Shop\" width=\"80\"> \
        <img src=\"https://cdn.shop.example.com/divider.png\" alt=\"\" width=\"600\" height=\"1\"></p>\n\
        <p style=\"font-size:13px;color:#666666\">Shop Ltd, 1 High Street. <a href=\"https://shop.example.com/help\">Get help with your order</a></p>\n\
        </td></tr></table>\n</td></tr></table>\n</body>\n</html>\n";
    let text = "Hi Ann, order 42 is on its way.\n\nTrack your order: https://shop.example.com/orders/42\n\
                Get help with your order: https://shop.example.com/help\n";
    let message = lettre::Message::builder()
        .from("Shop <shop@shop.example.com>".parse().unwrap())
        .to("Ann Lee <ann@example.com>".parse().unwrap())
        .subject("Your order has shipped")
        .message_id(None)
        .multipart(MultiPart::alternative_plain_html(text.to_owned(), html.to_owned()))
        .unwrap();
    let email = Email::from_raw(message.formatted());
    email.assert().lints_clean_with(&LintConfig::new().deny_warnings());
    let found = codes(&email);
    assert!(NEW_CODES.iter().all(|code| !found.iter().any(|f| f == code)), "{found:?}");
}

/// The shop's receipt (`examples/shop/src/emails.rs`), built the same way:
/// a text part and the receipt as a PDF.
#[test]
fn the_shops_receipt_raises_none_of_the_new_lints() {
    let text = "Thank you for your order 42.\n\nTea  $4.00\nCake  $3.50\n\nTotal  $7.50\n\nYour receipt is attached.\n";
    let message = lettre::Message::builder()
        .from("Shop <shop@example.com>".parse().unwrap())
        .to("ann@example.com".parse().unwrap())
        .subject("Your receipt for order 42")
        .message_id(None)
        .multipart(
            MultiPart::mixed().singlepart(SinglePart::plain(text.to_owned())).singlepart(
                Attachment::new("receipt-42.pdf".to_owned())
                    .body(b"%PDF-1.4\n".to_vec(), ContentType::parse("application/pdf").unwrap()),
            ),
        )
        .unwrap();
    let email = Email::from_raw(message.formatted());
    email.assert().lints_clean_with(&LintConfig::new().deny_warnings());
}
