//! `mailtest assert`: the query API for shell scripts and end-to-end tests
//! in any language, against a running `mailtest serve --http`.
//!
//! Exactly `--count` emails (default 1) must match, waiting up to
//! `--within` for them through `/api/wait`. Exit 0 when they do; exit 1 with
//! the near-miss report on standard error when they do not (or the server
//! cannot be asked); exit 2 for bad arguments.

use std::time::Duration;

use serde_json::Value;

use super::client;

pub(crate) const USAGE: &str = "  mailtest assert --server http://127.0.0.1:PORT [--namespace NS] [--to ADDR]
                  [--recipient ADDR] [--from ADDR] [--subject TEXT] [--subject-contains TEXT]
                  [--text-contains TEXT] [--html-contains TEXT] [--search QUERY]
                  [--within 10s] [--count N]
      check that exactly N emails (default 1) of namespace NS (default: the
      default one) match, waiting up to --within; exit 0, or 1 with the
      near-miss report on stderr";

/// A parsed `mailtest assert`.
#[derive(Debug, PartialEq)]
pub(crate) struct Assert {
    server: String,
    /// The namespace asked, when not the default one.
    namespace: Option<String>,
    /// (API parameter, value), in the order given.
    filters: Vec<(&'static str, String)>,
    within: Duration,
    count: usize,
}

pub(crate) fn parse(mut args: &[String]) -> Result<Assert, String> {
    let (mut server, mut filters, mut within, mut count) = (None, Vec::new(), Duration::ZERO, 1);
    let mut namespace = None;
    while let [option, rest @ ..] = args {
        let value = rest.first().ok_or_else(|| format!("{option} needs a value"))?;
        let filter = match option.as_str() {
            "--server" => {
                client::parse_server(value)?;
                server = Some(value.clone());
                None
            }
            "--within" => {
                within = parse_duration(value)?;
                None
            }
            "--count" => {
                count = value.parse().map_err(|_| format!("--count {value:?} is not a whole number"))?;
                None
            }
            "--namespace" => {
                namespace = Some(super::namespace::name(value).map_err(|why| format!("--namespace: {why}"))?);
                None
            }
            "--search" => Some("q"),
            "--to" => Some("to"),
            "--recipient" => Some("recipient"),
            "--from" => Some("from"),
            "--subject" => Some("subject"),
            "--subject-contains" => Some("subject_contains"),
            "--text-contains" => Some("text_contains"),
            "--html-contains" => Some("html_contains"),
            other => return Err(format!("unknown option {other:?} for assert")),
        };
        if let Some(filter) = filter {
            filters.push((filter, value.clone()));
        }
        args = &rest[1..];
    }
    let server =
        server.ok_or("assert needs --server http://127.0.0.1:PORT (what mailtest serve --http printed)")?;
    Ok(Assert { server, namespace, filters, within, count })
}

/// `10s`, `500ms`, `2m`, `1.5s`, or a number of seconds.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("--within {text:?} is not a duration like 10s, 500ms or 2m");
    let (number, unit) = match text.find(|c: char| c.is_ascii_alphabetic()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let number: f64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "ms" => number / 1000.0,
        "s" => number,
        "m" => number * 60.0,
        _ => return Err(bad()),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| bad())
}

impl Assert {
    /// What is asked for, as `Query` failure reports write it.
    fn expectation(&self) -> String {
        let wanted = match self.count {
            0 => "no email".to_owned(),
            1 => "exactly 1 email".to_owned(),
            n => format!("exactly {n} emails"),
        };
        let wanted = match &self.namespace {
            Some(ns) => format!("{wanted} in namespace {ns}"),
            None => wanted,
        };
        if self.filters.is_empty() {
            return wanted;
        }
        let labels: Vec<String> =
            self.filters.iter().map(|(name, value)| format!("{name}={value:?}")).collect();
        format!("{wanted} matching {}", labels.join(", "))
    }

    fn path(&self, route: &str, extra: &[(&str, String)]) -> String {
        let pairs: Vec<String> = self
            .filters
            .iter()
            .map(|(name, value)| (*name, value.clone()))
            .chain(extra.iter().map(|(name, value)| (*name, value.clone())))
            .map(|(name, value)| format!("{name}={}", client::encode(&value)))
            .collect();
        let scope = self.namespace.as_ref().map(|ns| format!("/ns/{ns}")).unwrap_or_default();
        format!("{scope}{route}?{}", pairs.join("&"))
    }

    /// Runs the check: `Ok(true)` when it holds, `Ok(false)` when it does
    /// not (the report is on standard error), `Err` when the server could
    /// not be asked.
    pub(crate) fn run(&self) -> Result<bool, String> {
        let (host, port) = client::parse_server(&self.server)?;
        let patience = self.within + Duration::from_secs(30);
        if self.count == 0 {
            // "None arrives in time": watch the whole window, then look.
            std::thread::sleep(self.within);
            let (status, body) = client::get(&host, port, &self.path("/api/messages", &[]), patience)?;
            return self.judge(status, &body);
        }
        let timeout = format!("{}", self.within.as_secs_f64());
        let path = self.path("/api/wait", &[("count", self.count.to_string()), ("timeout", timeout)]);
        let (status, body) = client::get(&host, port, &path, patience)?;
        self.judge(status, &body)
    }

    fn judge(&self, status: u16, body: &str) -> Result<bool, String> {
        let value: Value = serde_json::from_str(body)
            .map_err(|_| format!("the server answered {status} with something that is not JSON: {body:?}"))?;
        match (status, value) {
            (200, Value::Array(matches)) if matches.len() == self.count => {
                println!("mailtest: ok: {}", self.expectation());
                Ok(true)
            }
            (200, Value::Array(matches)) => {
                let mut report = format!("expected {}; found {}:", self.expectation(), matches.len());
                for email in &matches {
                    report.push_str(&format!("\n  {}", line(email)));
                }
                eprintln!("{report}");
                Ok(false)
            }
            (408, value) => {
                eprintln!("{}", value["report"].as_str().unwrap_or(body));
                Ok(false)
            }
            (status, value) => {
                Err(format!("the server answered {status}: {}", value["error"].as_str().unwrap_or(body)))
            }
        }
    }
}

/// `#3 from a@example.com to b@example.com: "Subject"`, from a JSON summary.
fn line(email: &Value) -> String {
    let list = |field: &str| -> String {
        let names: Vec<&str> =
            email[field].as_array().into_iter().flatten().filter_map(|m| m["address"].as_str()).collect();
        if names.is_empty() { "(none)".to_owned() } else { names.join(", ") }
    };
    let subject = email["subject"].as_str().map_or_else(|| "(no subject)".to_owned(), |s| format!("{s:?}"));
    format!("#{} from {} to {}: {subject}", email["n"], list("from"), list("to"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn options_parse_and_durations_have_units() {
        let parsed =
            parse(&args("--server http://127.0.0.1:1 --to a@x --subject Hi --within 1.5s --count 2"))
                .unwrap();
        assert_eq!(parsed.within, Duration::from_millis(1500));
        assert_eq!(parsed.count, 2);
        assert_eq!(parsed.expectation(), "exactly 2 emails matching to=\"a@x\", subject=\"Hi\"");
        assert_eq!(
            parsed.path("/api/wait", &[("count", "2".into())]),
            "/api/wait?to=a%40x&subject=Hi&count=2"
        );
        assert_eq!(
            parse(&args("--server http://127.0.0.1:1 --recipient a@x")).unwrap().path("/api/wait", &[]),
            "/api/wait?recipient=a%40x"
        );
        let scoped = parse(&args("--server http://127.0.0.1:1 --namespace CI7 --search subject:hi")).unwrap();
        assert_eq!(scoped.path("/api/wait", &[]), "/ns/ci7/api/wait?q=subject%3Ahi");
        assert!(
            parse(&args("--server http://127.0.0.1:1 --namespace a/b"))
                .unwrap_err()
                .starts_with("--namespace: ")
        );
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("1h").is_err());
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        assert_eq!(
            parse(&args("--to a@x")).unwrap_err(),
            "assert needs --server http://127.0.0.1:PORT (what mailtest serve --http printed)"
        );
        assert_eq!(
            parse(&args("--server http://127.0.0.1:1 --bcc a")).unwrap_err(),
            "unknown option \"--bcc\" for assert"
        );
        assert_eq!(parse(&args("--server")).unwrap_err(), "--server needs a value");
    }
}
