//! `mailtest`: run an SMTP sink from the command line, or read a message file.
//!
//! ```text
//! mailtest serve [--port N] [--host ADDR] [--dir PATH]
//! mailtest show FILE
//! ```
//!
//! `serve` prints every message it accepts as a block (envelope, From, To,
//! Cc, Subject, attachments, text body) after a separator line. With
//! `--dir`, each message is also written as `message-NNNN.eml`: the RFC 5322
//! bytes as received, after two prepended headers that keep the envelope —
//! `Return-Path: <sender>` (RFC 5321 §4.4) and `X-Envelope-To: <a>, <b>` —
//! so Bcc recipients survive and `mailtest show` can print them.
//!
//! Arguments are parsed by hand: two subcommands and three options do not
//! justify a parser dependency. Bad arguments exit with status 2, a failure
//! to serve or read with status 1.

use std::fmt::Write as _;
use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use mailtest::{Email, Mailbox, SmtpSink};

const USAGE: &str = "usage:
  mailtest serve [--port N] [--host ADDR] [--dir PATH]
      run an SMTP sink (default 127.0.0.1, a free port) and print each message;
      with --dir, also write each one as an .eml file
  mailtest show FILE
      print a message file decoded";

const SEPARATOR: &str = "------------------------------------------------------------------------";

enum Command {
    Serve { addr: SocketAddr, dir: Option<PathBuf> },
    Show { file: PathBuf },
    Help,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse(&args) {
        Ok(command) => command,
        Err(problem) => {
            eprintln!("mailtest: {problem}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Help => {
            println!("{USAGE}");
            Ok(())
        }
        Command::Show { file } => show(&file),
        Command::Serve { addr, dir } => serve(addr, dir.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("mailtest: {problem}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err("no command given".to_owned());
    };
    match command.as_str() {
        "serve" => parse_serve(rest),
        "show" => match rest {
            [file] if !file.starts_with("--") => Ok(Command::Show { file: PathBuf::from(file) }),
            [] => Err("show needs a FILE".to_owned()),
            _ => Err(format!("show takes one FILE, got {}", rest.join(" "))),
        },
        "help" | "--help" | "-h" => Ok(Command::Help),
        other => Err(format!("unknown command {other:?}: use serve or show")),
    }
}

fn parse_serve(mut args: &[String]) -> Result<Command, String> {
    let (mut host, mut port, mut dir) = (IpAddr::V4(Ipv4Addr::LOCALHOST), 0u16, None);
    while let [option, rest @ ..] = args {
        let value = rest.first().ok_or_else(|| format!("{option} needs a value"))?;
        match option.as_str() {
            "--port" => {
                port =
                    value.parse().map_err(|_| format!("--port {value:?} is not a port number (0-65535)"))?
            }
            "--host" => host = value.parse().map_err(|_| format!("--host {value:?} is not an IP address"))?,
            "--dir" => dir = Some(PathBuf::from(value)),
            other => return Err(format!("unknown option {other:?} for serve")),
        }
        args = &rest[1..];
    }
    Ok(Command::Serve { addr: SocketAddr::new(host, port), dir })
}

fn serve(addr: SocketAddr, dir: Option<&Path>) -> Result<(), String> {
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create --dir {}: {e}", dir.display()))?;
    }
    let sink = SmtpSink::builder().bind(addr).start().map_err(|e| e.to_string())?;
    let outbox = sink.outbox();
    let mut stdout = std::io::stdout().lock();
    let mut banner = format!("mailtest: SMTP sink listening on {} (Ctrl-C to stop)", sink.addr());
    if let Some(dir) = dir {
        let _ = write!(banner, "; writing messages to {}", dir.display());
    }
    writeln!(stdout, "{banner}").and_then(|()| stdout.flush()).map_err(|e| e.to_string())?;
    let mut printed = 0;
    loop {
        // Woken by each arrival, not by polling; the timeout only bounds a wait.
        let Ok(emails) = outbox.find().within(Duration::from_secs(3600)).try_at_least(printed + 1) else {
            continue;
        };
        for email in &emails[printed..] {
            printed += 1;
            if let Some(dir) = dir {
                save(dir, email)?;
            }
            let block = render(email, printed, envelope(email));
            stdout.write_all(block.as_bytes()).and_then(|()| stdout.flush()).map_err(|e| e.to_string())?;
        }
    }
}

fn show(file: &Path) -> Result<(), String> {
    let raw = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let email = Email::from_raw(raw);
    // A file written by `serve --dir` keeps its envelope in two headers.
    let from = email
        .header("Return-Path")
        .map(|p| p.trim().trim_start_matches('<').trim_end_matches('>').to_owned());
    let to = email
        .header("X-Envelope-To")
        .map(|to| {
            to.split(',').map(|a| a.trim().trim_start_matches('<').trim_end_matches('>').to_owned()).collect()
        })
        .unwrap_or_default();
    print!("{}", render(&email, 1, (from, to)));
    Ok(())
}

fn envelope(email: &Email) -> (Option<String>, Vec<String>) {
    (email.envelope_from().map(str::to_owned), email.envelope_to().to_vec())
}

/// One message as a human reads it: a separator, then the envelope and the
/// headers that matter, then the text.
fn render(email: &Email, number: usize, (from, to): (Option<String>, Vec<String>)) -> String {
    let mut out = format!("{SEPARATOR}\nmessage {number}\n");
    let list = |boxes: &[Mailbox]| boxes.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    let _ = writeln!(out, "envelope from: {}", from.as_deref().filter(|f| !f.is_empty()).unwrap_or("<>"));
    let _ = writeln!(out, "envelope to:   {}", to.join(", "));
    let _ = writeln!(out, "From: {}", list(email.from()));
    let _ = writeln!(out, "To: {}", list(email.to()));
    if !email.cc().is_empty() {
        let _ = writeln!(out, "Cc: {}", list(email.cc()));
    }
    if !email.bcc().is_empty() {
        let _ = writeln!(out, "Bcc: {}", list(email.bcc()));
    }
    let _ = writeln!(out, "Subject: {}", email.subject().unwrap_or("(none)"));
    for attachment in email.attachments() {
        let name = attachment.filename().unwrap_or("(unnamed)");
        let _ = writeln!(
            out,
            "Attachment: {name} ({}, {} bytes)",
            attachment.content_type(),
            attachment.content().len()
        );
    }
    for problem in email.problems() {
        let _ = writeln!(out, "Problem: {problem}");
    }
    out.push('\n');
    match (email.text(), email.html_text()) {
        (Some(text), _) => out.push_str(text),
        (None, Some(html)) => out.push_str(html),
        (None, None) => out.push_str("(no text body)"),
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Writes `message-NNNN.eml`, the first free number, never overwriting.
fn save(dir: &Path, email: &Email) -> Result<(), String> {
    let mut bytes = format!("Return-Path: <{}>\r\n", email.envelope_from().unwrap_or(""));
    let to: Vec<String> = email.envelope_to().iter().map(|a| format!("<{a}>")).collect();
    let _ = write!(bytes, "X-Envelope-To: {}\r\n", to.join(", "));
    let mut bytes = bytes.into_bytes();
    bytes.extend_from_slice(email.raw());
    for n in 1.. {
        let path = dir.join(format!("message-{n:04}.eml"));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                return file.write_all(&bytes).map_err(|e| format!("cannot write {}: {e}", path.display()));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot write {}: {e}", path.display())),
        }
    }
    unreachable!("there is always a free file name")
}
