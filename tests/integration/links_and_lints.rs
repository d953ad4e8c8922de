//! `email.links()` and the link lints read the same links: one tokenizer
//! decides what in the HTML is a link. A link inside a comment is none (a
//! reader cannot click it); one inside Outlook's conditional comments is
//! (Outlook's readers click it).

use mailtest::Email;

const LINK_LINTS: [&str; 3] = ["localhost-url", "insecure-url", "relative-url"];

/// The URLs the link lints complain about, in order.
fn linted_urls(email: &Email) -> Vec<String> {
    email
        .lint()
        .iter()
        .filter(|lint| LINK_LINTS.contains(&lint.code()))
        .map(|lint| lint.message().to_owned())
        .collect()
}

#[test]
fn a_link_in_a_comment_is_neither_a_link_nor_linted_and_one_for_outlook_is_both() {
    let email = Email::from_raw(
        "Content-Type: text/html\r\n\r\n<html lang=\"en\"><body>\
         <!-- <a href=\"http://localhost:3000/old-reset\">old</a> -->\
         <!--[if mso]><a href=\"http://localhost:3000/outlook-reset\">Reset</a><![endif]-->\
         <!--[if !mso]><!--><a href=\"https://app.example.com/reset\">Reset</a><!--<![endif]-->\
         </body></html>",
    );

    assert_eq!(email.links(), ["http://localhost:3000/outlook-reset", "https://app.example.com/reset"]);
    let linted = linted_urls(&email);
    assert_eq!(linted.len(), 1, "{linted:?}");
    assert!(linted[0].contains("http://localhost:3000/outlook-reset"), "{linted:?}");
    assert!(!email.html_text().unwrap_or_default().contains("old"), "a comment shows nothing");
}
