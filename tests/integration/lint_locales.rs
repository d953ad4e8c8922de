//! `untranslated-text`: the same email in several locales, checked as a
//! group with `Translations`. A locale that fell back to the default
//! locale's sentence fails, naming each sentence where it is (pinned in
//! `snapshots/lint_untranslated_text.snap`); names, prices, addresses and
//! URLs that every locale shares do not.

use mailtest::Email;
use mailtest::lint::Translations;

use super::lint_fixtures::{Mail, html_page, snapshot};

fn localized(subject: &str, greeting: &str, action: &str) -> Email {
    Mail::clean()
        .header("Subject", subject)
        .text(Some(&format!(
            "{greeting}\n\n{action}: https://app.example.com/reset?token=9f8e\n\nAcme Ltd, 1 High Street, London\n"
        )))
        .html(Some(&html_page(&format!(
            "<p>{greeting}</p>\n<p><a href=\"https://app.example.com/reset?token=9f8e\">{action}</a></p>\n\
             <p>Acme Ltd, 1 High Street, London</p>"
        ))))
        .email()
}

fn english() -> Email {
    localized(
        "Reset your password",
        "Someone asked to reset the password of your account.",
        "Choose a new password",
    )
}

fn german() -> Email {
    localized(
        "Passwort zurücksetzen",
        "Jemand hat das Zurücksetzen des Passworts Ihres Kontos angefordert.",
        "Neues Passwort wählen",
    )
}

#[test]
fn translated_locales_pass_and_shared_names_and_addresses_are_not_flagged() {
    let en = english();
    let de = german();
    let fr = localized(
        "Réinitialiser votre mot de passe",
        "Quelqu'un a demandé la réinitialisation du mot de passe de votre compte.",
        "Choisir un nouveau mot de passe",
    );
    Translations::new("en", &en).locale("de", &de).locale("fr", &fr).assert_translated();
}

#[test]
fn a_locale_that_fell_back_to_the_default_fails_naming_each_sentence() {
    let en = english();
    let de = german();
    // The French catalogue lacks the greeting and the subject: both fell back.
    let fr = localized(
        "Reset your password",
        "Someone asked to reset the password of your account.",
        "Choisir un nouveau mot de passe",
    );
    let group = Translations::new("en", &en).locale("de", &de).locale("fr", &fr);
    let found = group.untranslated();
    assert!(found[0].1.is_empty(), "de is translated");
    assert_eq!(
        found[1].1.codes(),
        ["untranslated-text"; 3],
        "subject, text line, HTML paragraph\n{}",
        found[1].1
    );
    let failure = group.try_assert_translated().unwrap_err();
    snapshot("lint_untranslated_text", failure.report());
}
