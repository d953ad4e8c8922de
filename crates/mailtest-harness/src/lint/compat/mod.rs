//! Client compatibility: does the HTML use only what the mail clients you
//! name support? From caniemail.com's data (MIT), generated into
//! [`data`] by `scripts/caniemail-update`, which names its source, version
//! and date; every failure prints them.
//!
//! ```
//! use mailtest::lint::Client;
//!
//! let email = mailtest::Email::from_raw(
//!     "Content-Type: text/html\r\n\r\n<div style=\"display: flex; gap: 8px\">Hi</div>\r\n",
//! );
//! let found = email.client_support(&[Client::OUTLOOK_WINDOWS]);
//! assert_eq!(found.codes(), ["css-display-flex", "css-gap"]);
//! let failure = email.assert().try_html_supported_by(&[Client::APPLE_MAIL, Client::OUTLOOK_WINDOWS]).unwrap_err();
//! assert!(failure.report().contains("display: flex"));
//! assert!(failure.report().contains("caniemail 2.0.2"));
//! ```

#[rustfmt::skip]
mod data;
mod detect;

use std::fmt::Write as _;

use super::diagnostic::{Lint, Severity};
use super::lints::Lints;
use super::paint::Paint;
use super::source::Source;
use crate::assert::EmailAssert;
use crate::email::Email;
use crate::failure::{Failure, summary};
use mailtest_mime::html::Document;

/// One feature of the data: its slug, title, page, and for each client
/// family and platform the newest verdict (`y`, `a` partial, `n`, `u`
/// unknown) with the note of a partial one.
pub(crate) struct Feature {
    slug: &'static str,
    title: &'static str,
    url: &'static str,
    support: &'static [(&'static str, &'static str, u8, &'static str)],
}

/// A mail client (a family on some of its platforms), as caniemail names it.
///
/// ```
/// use mailtest::lint::Client;
///
/// assert_eq!(Client::OUTLOOK_WINDOWS.to_string(), "Outlook (Windows)");
/// assert_eq!(Client::GMAIL.to_string(), "Gmail");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Client {
    name: &'static str,
    family: &'static str,
    platforms: &'static [&'static str],
}

impl Client {
    /// Gmail: the web, its iOS and Android apps, and the mobile web.
    pub const GMAIL: Client =
        Client::of("Gmail", "gmail", &["desktop-webmail", "ios", "android", "mobile-webmail"]);
    /// Outlook for Windows (the desktop app, Word's renderer).
    pub const OUTLOOK_WINDOWS: Client = Client::of("Outlook (Windows)", "outlook", &["windows"]);
    /// Windows Mail, and the new Outlook for Windows.
    pub const OUTLOOK_WINDOWS_MAIL: Client =
        Client::of("Outlook (Windows Mail)", "outlook", &["windows-mail"]);
    /// Outlook for Mac.
    pub const OUTLOOK_MAC: Client = Client::of("Outlook (macOS)", "outlook", &["macos"]);
    /// Outlook.com and Outlook on the web.
    pub const OUTLOOK_WEB: Client = Client::of("Outlook.com", "outlook", &["outlook-com"]);
    /// Outlook's iOS and Android apps.
    pub const OUTLOOK_MOBILE: Client = Client::of("Outlook (iOS, Android)", "outlook", &["ios", "android"]);
    /// Apple Mail on macOS and iOS.
    pub const APPLE_MAIL: Client = Client::of("Apple Mail", "apple-mail", &["macos", "ios"]);
    /// Yahoo! Mail: the web and its apps.
    pub const YAHOO: Client = Client::of("Yahoo! Mail", "yahoo", &["desktop-webmail", "ios", "android"]);
    /// AOL: the web and its apps.
    pub const AOL: Client = Client::of("AOL", "aol", &["desktop-webmail", "ios", "android"]);
    /// Samsung Email on Android.
    pub const SAMSUNG_EMAIL: Client = Client::of("Samsung Email", "samsung-email", &["android"]);
    /// Mozilla Thunderbird.
    pub const THUNDERBIRD: Client = Client::of("Thunderbird", "thunderbird", &["macos", "windows"]);
    /// Proton Mail: the web and its apps.
    pub const PROTONMAIL: Client =
        Client::of("ProtonMail", "protonmail", &["desktop-webmail", "ios", "android"]);
    /// Fastmail.
    pub const FASTMAIL: Client = Client::of("Fastmail", "fastmail", &["desktop-webmail"]);
    /// HEY.
    pub const HEY: Client = Client::of("HEY", "hey", &["desktop-webmail"]);
    /// GMX: the web and its apps.
    pub const GMX: Client = Client::of("GMX", "gmx", &["desktop-webmail", "ios", "android"]);
    /// WEB.DE: the web and its apps.
    pub const WEB_DE: Client = Client::of("WEB.DE", "web-de", &["desktop-webmail", "ios", "android"]);
    /// Mail.ru.
    pub const MAIL_RU: Client = Client::of("Mail.ru", "mail-ru", &["desktop-webmail"]);
    /// Orange: the web and its apps.
    pub const ORANGE: Client = Client::of("Orange", "orange", &["desktop-webmail", "ios", "android"]);
    /// SFR: the web and its apps.
    pub const SFR: Client = Client::of("SFR", "sfr", &["desktop-webmail", "ios", "android"]);
    /// LaPoste.net.
    pub const LAPOSTE: Client = Client::of("LaPoste.net", "laposte", &["desktop-webmail"]);

    /// The clients most mail is read in: Gmail, Apple Mail, every Outlook,
    /// Yahoo! Mail, Samsung Email.
    pub const MAJOR: &'static [Client] = &[
        Client::GMAIL,
        Client::APPLE_MAIL,
        Client::OUTLOOK_WINDOWS,
        Client::OUTLOOK_WINDOWS_MAIL,
        Client::OUTLOOK_MAC,
        Client::OUTLOOK_WEB,
        Client::OUTLOOK_MOBILE,
        Client::YAHOO,
        Client::SAMSUNG_EMAIL,
    ];

    const fn of(name: &'static str, family: &'static str, platforms: &'static [&'static str]) -> Client {
        Client { name, family, platforms }
    }
}

impl std::fmt::Display for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Where the data comes from, for a report.
fn source_line() -> String {
    format!(
        "data: caniemail.com (MIT), from the npm package caniemail {}, updated {}; refresh: scripts/caniemail-update",
        data::VERSION,
        data::DATE
    )
}

fn platform_name(family: &str, platform: &str) -> String {
    let family_name = data::FAMILIES.iter().find(|(f, _)| *f == family).map_or(family, |(_, name)| name);
    let platform_name =
        data::PLATFORMS.iter().find(|(p, _)| *p == platform).map_or(platform, |(_, name)| name);
    format!("{family_name} ({platform_name})")
}

/// `Gmail (Desktop Webmail, iOS), Outlook (Windows)`: platforms grouped by family.
fn grouped(pairs: &[(&str, &str)]) -> String {
    let mut families: Vec<(&str, Vec<&str>)> = Vec::new();
    for (family, platform) in pairs {
        let platform_name =
            data::PLATFORMS.iter().find(|(p, _)| p == platform).map_or(*platform, |(_, name)| name);
        match families.iter_mut().find(|(f, _)| f == family) {
            Some((_, platforms)) => platforms.push(platform_name),
            None => families.push((family, vec![platform_name])),
        }
    }
    let named: Vec<String> = families
        .iter()
        .map(|(family, platforms)| {
            let family_name =
                data::FAMILIES.iter().find(|(f, _)| f == family).map_or(*family, |(_, name)| name);
            format!("{family_name} ({})", platforms.join(", "))
        })
        .collect();
    named.join(", ")
}

impl Email {
    /// Each HTML feature the email uses that one of `clients` does not
    /// support (an error, code: the caniemail slug) or supports in part (a
    /// warning, with caniemail's note).
    ///
    /// ```
    /// use mailtest::lint::Client;
    ///
    /// let email = mailtest::Email::from_raw("Content-Type: text/html\r\n\r\n<p style=\"color: #333\">Hi</p>");
    /// assert!(email.client_support(Client::MAJOR).is_empty());
    /// ```
    pub fn client_support(&self, clients: &[Client]) -> Lints {
        let Some(html) = self.html() else { return Lints::default() };
        let doc = Document::parse(html);
        let source = Source::new("text/html", html.as_bytes());
        let mut lints = Vec::new();
        for found in detect::features(&doc) {
            let Some(feature) = data::FEATURES.iter().find(|feature| feature.slug == found.slug) else {
                continue;
            };
            let mut broken = Vec::new();
            let mut partial = Vec::new();
            for client in clients {
                for (family, platform, verdict, note) in feature.support {
                    if *family != client.family || !client.platforms.contains(platform) {
                        continue;
                    }
                    match verdict {
                        b'n' => broken.push((*family, *platform)),
                        b'a' => partial.push(format!(
                            "{}{}",
                            platform_name(family, platform),
                            if note.is_empty() { String::new() } else { format!(": {note}") }
                        )),
                        _ => {}
                    }
                }
            }
            let (severity, label) = match (broken.is_empty(), partial.is_empty()) {
                (false, _) => (Severity::Error, format!("not supported by {}", grouped(&broken))),
                (true, false) => (Severity::Warning, "partly supported".to_owned()),
                (true, true) => continue,
            };
            let what = format!("`{}` ({})", found.shown, feature.title);
            let message = match severity {
                Severity::Error => format!("{what} does not work in {}", grouped(&broken)),
                Severity::Warning => format!("{what} is only partly supported"),
            };
            let mut lint =
                Lint::new(feature.slug, severity, message).at(source.locate(found.span.clone(), Some(label)));
            if found.count > 1 {
                lint = lint.with_note(format!("used {} times; the first is shown", found.count));
            }
            for partly in &partial {
                lint = lint.with_note(format!("partly in {partly}"));
            }
            lints.push(lint.with_help(format!("see {} for what to use instead", feature.url)));
        }
        Lints::new(lints)
    }
}

impl<'a> EmailAssert<'a> {
    /// The HTML uses only what each of `clients` supports, by caniemail's
    /// data (features a client supports in part are shown in a failure, and
    /// do not fail).
    ///
    /// # Panics
    ///
    /// Otherwise, at your line: each feature, the element or declaration
    /// that uses it, the clients it breaks in, and the data's source and date.
    ///
    /// ```
    /// use mailtest::lint::Client;
    ///
    /// let email = mailtest::Email::from_raw(
    ///     "Content-Type: text/html\r\n\r\n<table role=\"presentation\"><tr><td style=\"padding: 8px\">Hi</td></tr></table>",
    /// );
    /// email.assert().html_supported_by(Client::MAJOR);
    /// ```
    #[track_caller]
    pub fn html_supported_by(self, clients: &[Client]) -> Self {
        match self.try_html_supported_by(clients) {
            Ok(chain) => chain,
            Err(failure) => failure.panic(),
        }
    }

    /// [`html_supported_by`](EmailAssert::html_supported_by), returning the
    /// report instead of panicking.
    ///
    /// ```
    /// use mailtest::lint::Client;
    ///
    /// let email = mailtest::Email::from_raw("Content-Type: text/html\r\n\r\n<svg width=\"10\"></svg>");
    /// assert!(email.assert().try_html_supported_by(&[Client::GMAIL]).is_err());
    /// ```
    pub fn try_html_supported_by(self, clients: &[Client]) -> Result<Self, Failure> {
        let lints = self.email().client_support(clients);
        if lints.error_count() == 0 {
            return Ok(self);
        }
        let render = |paint: Paint| {
            let named: Vec<String> = clients.iter().map(ToString::to_string).collect();
            let mut out = paint.bold(&format!(
                "{} uses {} HTML feature{} that {} {} not support",
                summary(self.email()),
                lints.error_count(),
                if lints.error_count() == 1 { "" } else { "s" },
                named.join(", "),
                if clients.len() == 1 { "does" } else { "do" },
            ));
            out.push_str("\n\n");
            let _ = lints.write_diagnostics(&mut out, paint);
            let _ = write!(out, "\n\n{}", source_line());
            out
        };
        Err(Failure::from_text(render(Paint::new(false)), render(Paint::new(true)))
            .showing_email(self.email()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_probe_has_data_and_the_data_is_dated() {
        for (slug, _) in detect::PROBES {
            assert!(
                data::FEATURES.iter().any(|feature| feature.slug == *slug),
                "{slug} has no data: run scripts/caniemail-update"
            );
        }
        assert!(data::DATE.starts_with("20"));
    }

    #[test]
    fn the_newest_entry_decides_not_the_largest_version_as_text() {
        // Outlook for Mac lists 2011: y, 2016: y, 16.80: n. "2016" sorts
        // after "16.80" as text, but 16.80 is the newest entry.
        let feature = data::FEATURES.iter().find(|feature| feature.slug == "css-at-font-face").unwrap();
        let mac = feature
            .support
            .iter()
            .find(|(family, platform, _, _)| *family == "outlook" && *platform == "macos")
            .unwrap();
        assert_eq!(mac.2, b'n', "Outlook for Mac 16.80 does not load web fonts");
    }
}
