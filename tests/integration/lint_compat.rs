//! `email.assert().html_supported_by(&clients)`: the features caniemail's
//! npm checker misses are found (inline `<svg>`, CSS variables,
//! `linear-gradient()`, `!important`, `@media (prefers-color-scheme)`); the
//! failure names each feature, the element and the clients that break,
//! with the data's source and date (pinned in
//! `snapshots/lint_client_support.snap`); plain table mail passes.

use mailtest::lint::Client;

use super::lint_fixtures::{LINK, Mail, html_page, snapshot};

fn modern() -> Mail {
    Mail::clean().html(Some(&html_page(&format!(
        "<style>:root {{ --brand: #1d4f8a; }}\n\
         @media (prefers-color-scheme: dark) {{ .card {{ background: #111 !important; }} }}</style>\n\
         <div class=\"card\" style=\"background-image: linear-gradient(#fff, #eee); color: var(--brand)\">\n\
         <svg width=\"24\" height=\"24\" role=\"img\" aria-label=\"Acme\"><circle cx=\"12\" cy=\"12\" r=\"10\"/></svg>\n\
         <p><a href=\"{LINK}\">Reset your password</a></p>\n</div>"
    ))))
}

#[test]
fn what_the_npm_checker_misses_is_found() {
    let email = modern().email();
    let found = email.client_support(Client::MAJOR);
    for slug in [
        "html-svg",
        "css-variables",
        "css-linear-gradient",
        "css-important",
        "css-at-media-prefers-color-scheme",
    ] {
        assert!(found.contains(slug), "{slug} not found:\n{found}");
    }
}

#[test]
fn the_failure_names_the_feature_the_element_the_clients_and_the_data() {
    let email = modern().email();
    let failure =
        email.assert().try_html_supported_by(&[Client::GMAIL, Client::OUTLOOK_WINDOWS]).unwrap_err();
    let report = failure.report();
    assert!(
        report
            .contains("data: caniemail.com (MIT), from the npm package caniemail 2.0.2, updated 2026-05-13")
    );
    assert!(report.contains("<svg>"), "{report}");
    snapshot("lint_client_support", report);
}

#[test]
fn plain_table_mail_works_everywhere_major() {
    let html = html_page(&format!(
        "<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\">\n\
         <tr><td bgcolor=\"#ffffff\" style=\"padding: 24px; font-family: Arial, sans-serif; font-size: 16px; color: #333333\">\n\
         <p>Hi Ann,</p>\n<p><a href=\"{LINK}\" style=\"color: #1d4f8a\">Reset your password</a></p>\n\
         <img src=\"https://cdn.example.com/logo.png\" alt=\"Acme\" width=\"80\" height=\"24\">\n\
         </td></tr></table>"
    ));
    let email = Mail::clean().html(Some(&html)).email();
    email.assert().html_supported_by(Client::MAJOR);
}
