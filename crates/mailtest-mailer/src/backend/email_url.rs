//! Mail settings from one URL: lettre's syntax (`smtp://`, `smtps://`,
//! `?tls=required`, as `SmtpTransport::from_url` takes it) and
//! django-environ's `EMAIL_URL` schemes (`smtp+tls://`, `smtp+ssl://`,
//! `consolemail://`, `filemail://`, `memorymail://`, `dummymail://`).
//!
//! A bad URL is an [`Error::InvalidSetting`] naming the setting, the URL
//! (its password replaced by `***`) and the part that is wrong.

use std::path::PathBuf;

use super::settings::{BackendKind, Settings, parse_bool, parse_timeout_value};
use crate::error::Error;

/// The schemes, for the error that names an unknown one.
const SCHEMES: &str = "smtp, smtps, smtp+tls, smtp+ssl, consolemail, filemail, memorymail or dummymail";

/// The query parameters an SMTP URL takes.
const PARAMETERS: &str = "tls, timeout, use_tls, use_ssl, ssl_certfile, ssl_keyfile, ssl_cafile";

/// Applies the URL `value` of the setting `name` (`EMAIL_URL`, or `URL` for
/// `from_url`) to `settings`: backend, server, credentials, TLS, timeout,
/// certificate files or file path. What the URL does not say is left as it is.
pub(crate) fn apply(settings: &mut Settings, name: &str, value: &str) -> Result<(), Error> {
    let bad =
        |expected: String| Error::InvalidSetting { name: name.to_owned(), value: redacted(value), expected };
    let (scheme, rest) = value.trim().split_once("://").ok_or_else(|| {
        bad("a URL such as smtp://user:password@smtp.example.com:587?tls=required (it has no \"://\")".into())
    })?;
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = rest.find('/').map_or((rest, ""), |at| rest.split_at(at));
    let (userinfo, hostport) = authority.rsplit_once('@').map_or((None, authority), |(u, h)| (Some(u), h));
    let (host, port) = split_host_port(hostport).map_err(&bad)?;

    let scheme = scheme.to_ascii_lowercase();
    let (backend, use_tls, use_ssl, default_port) = match scheme.as_str() {
        "smtp" => (BackendKind::Smtp, false, false, 25),
        "smtp+tls" => (BackendKind::Smtp, true, false, 587),
        "smtps" | "smtp+ssl" => (BackendKind::Smtp, false, true, 465),
        "consolemail" => (BackendKind::Console, false, false, 0),
        "filemail" => (BackendKind::File, false, false, 0),
        "memorymail" => (BackendKind::Memory, false, false, 0),
        "dummymail" => (BackendKind::Dummy, false, false, 0),
        other => return Err(bad(format!("a scheme of {SCHEMES}, not {other:?}"))),
    };
    settings.backend = backend;

    if backend != BackendKind::Smtp {
        if !host.is_empty() || port.is_some() || userinfo.is_some() {
            return Err(bad(format!(
                "nothing between \"{scheme}://\" and the path: a {scheme} URL names no server"
            )));
        }
        if backend == BackendKind::File {
            let dir = decode(path).map_err(|why| bad(format!("the path to be {why}")))?;
            if dir.is_empty() || dir == "/" {
                return Err(bad("a directory after \"filemail://\", e.g. filemail:///var/mail/app".into()));
            }
            settings.file_path = Some(PathBuf::from(dir));
        } else if !path.is_empty() {
            return Err(bad(format!("no path after \"{scheme}://\"")));
        }
        return apply_query(settings, query, false).map_err(bad);
    }

    if host.is_empty() {
        return Err(bad(format!("a host after \"{scheme}://\", e.g. {scheme}://smtp.example.com")));
    }
    if !path.is_empty() && path != "/" {
        return Err(bad(format!(
            "no path after the host ({path:?}: lettre's EHLO name is not a setting here)"
        )));
    }
    settings.host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
    settings.use_tls = use_tls;
    settings.use_ssl = use_ssl;
    settings.port = port.unwrap_or(default_port);
    if let Some(userinfo) = userinfo {
        let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
        let user = decode(user).map_err(|why| bad(format!("the user name to be {why}")))?;
        let password = decode(password).map_err(|why| bad(format!("the password to be {why}")))?;
        settings.host_user = Some(user).filter(|u| !u.is_empty());
        settings.host_password = Some(password).filter(|p| !p.is_empty());
    }
    apply_query(settings, query, true).map_err(bad)?;
    if port.is_none() {
        // `?tls=required` makes lettre's default port the submission port.
        settings.port = if settings.use_ssl {
            465
        } else if settings.use_tls {
            587
        } else {
            25
        };
    }
    if settings.use_tls && settings.use_ssl {
        return Err(bad("one TLS mode: STARTTLS (smtp://…?tls=required, smtp+tls://) or TLS from the first byte (smtps://, smtp+ssl://), not both".into()));
    }
    Ok(())
}

/// `host[:port]`, `[v6][:port]`; the port checked.
fn split_host_port(hostport: &str) -> Result<(&str, Option<u16>), String> {
    let (host, port) = match hostport.rfind(':') {
        Some(at) if !hostport[at..].contains(']') => (&hostport[..at], Some(&hostport[at + 1..])),
        _ => (hostport, None),
    };
    let Some(port) = port else { return Ok((host, None)) };
    match port.parse::<u16>() {
        Ok(port) if port > 0 => Ok((host, Some(port))),
        _ => Err(format!("the port {port:?} to be a number from 1 to 65535")),
    }
}

/// `key=value&…`: lettre's `tls`, and the settings a URL cannot say otherwise.
fn apply_query(settings: &mut Settings, query: &str, smtp: bool) -> Result<(), String> {
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(value).map_err(|why| format!("the value of ?{key}= to be {why}"))?;
        let key = key.to_ascii_lowercase();
        let key = key.strip_prefix("email_").unwrap_or(&key);
        let path = || Some(PathBuf::from(&value)).filter(|_| !value.is_empty());
        let setting = |name: &str| format!("EMAIL_{}", name.to_ascii_uppercase());
        match key {
            "tls" if smtp => match value.as_str() {
                "required" => settings.use_tls = true,
                "opportunistic" => {
                    return Err("?tls=required: mailtest's SMTP backend never falls back to plain text, \
                                which tls=opportunistic allows anyone on the path to force"
                        .into());
                }
                other => return Err(format!("?tls= to be required (STARTTLS), not {other:?}")),
            },
            "use_tls" | "use_ssl" if smtp => {
                let on = parse_bool(&setting(key), &value).map_err(|_| {
                    format!("?{key}= to be a boolean (true/false, 1/0, yes/no, on/off), not {value:?}")
                })?;
                if key == "use_tls" { settings.use_tls = on } else { settings.use_ssl = on }
            }
            "timeout" if smtp => {
                settings.timeout = parse_timeout_value(&value)
                    .ok_or_else(|| format!("?timeout= to be a positive number of seconds, not {value:?}"))?;
            }
            "ssl_certfile" if smtp => settings.ssl_certfile = path(),
            "ssl_keyfile" if smtp => settings.ssl_keyfile = path(),
            "ssl_cafile" if smtp => settings.ssl_cafile = path(),
            _ if !smtp => return Err(format!("no query parameter ({key:?}): only an SMTP URL takes them")),
            other => return Err(format!("a query parameter of {PARAMETERS}, not {other:?}")),
        }
    }
    Ok(())
}

/// Percent-decoding, as URLs carry `@`, `:` or `/` in a password.
fn decode(text: &str) -> Result<String, &'static str> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = bytes.get(at + 1..at + 3).and_then(|h| std::str::from_utf8(h).ok());
            let byte =
                hex.and_then(|h| u8::from_str_radix(h, 16).ok()).ok_or("valid percent-encoding (%XX)")?;
            out.push(byte);
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "UTF-8 once percent-decoded")
}

/// The URL with its password replaced by `***`: errors end up in logs.
pub(crate) fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else { return url.to_owned() };
    match rest[..at].split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_and_nothing_else() {
        let cases = [
            ("smtps://ann:s3cret@smtp.example.com:465", "smtps://ann:***@smtp.example.com:465"),
            ("smtp://ann@smtp.example.com", "smtp://ann@smtp.example.com"),
            ("smtp://smtp.example.com/a@b", "smtp://smtp.example.com/a@b"),
            ("not a url", "not a url"),
        ];
        for (url, shown) in cases {
            assert_eq!(redacted(url), shown, "{url}");
        }
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(decode("p%40ss%3Aw%2Fd").unwrap(), "p@ss:w/d");
        assert!(decode("%zz").is_err());
        assert!(decode("%ff").is_err());
    }
}
