//! `mailtest`: run an SMTP sink from the command line, watch its mail in a
//! browser, assert on it from any language, or read a message file.
//!
//! ```text
//! cargo install mailtest-cli     # installs the `mailtest` command
//! ```
//!
//! ```text
//! mailtest serve [--port N] [--host ADDR] [--dir PATH] [--http PORT] [--cap N]
//! mailtest show [--html] FILE [--out DIR]
//! mailtest assert --server http://127.0.0.1:PORT [--namespace NS] [--to ADDR] [--subject TEXT]
//!                 [--search QUERY] ... [--within 10s] [--count N]
//! mailtest [COMMAND] --help | -h        mailtest [COMMAND] --version | -V
//! ```
//!
//! Bad arguments exit with status 2 and say what is wrong; a failure to
//! serve or read exits with status 1. Arguments are parsed by hand: three
//! subcommands and a few options do not justify a parser dependency.
//!
//! The library holds the whole command ([`run`]), so that a test suite can
//! build a `mailtest` binary of its own; the binary's `main` calls it.
//! `serve` and `show` are below; `serve --http` is `commands::web`,
//! `assert` is `commands::assert_cmd`, `show --html` is
//! `commands::show_html`.
//!
//! # `mailtest serve` and `mailtest show`
//!
//! ```text
//! $ mailtest serve --port 2525 --dir ./mail
//! mailtest: SMTP sink listening on 127.0.0.1:2525 (Ctrl-C to stop); filing messages in ./mail/20261121T104210.878818Z-4242-1.mbox
//! Envelope-From: shop@example.com
//! Envelope-To: zoe@example.com, audit@example.com
//! From: Shop <shop@example.com>
//! To: Zoë <zoe@example.com>
//! Subject: Grüße
//! Bcc: audit@example.com
//!
//! [text/plain]
//! Hello Zoë,
//! welcome.
//! -------------------------------------------------------------------------------
//! $ mailtest show ./mail/20261121T104210.878818Z-4242-1.mbox
//! ```
//!
//! `serve` runs a [`mailtest::SmtpSink`] and prints each message it accepts
//! as the console backend does (`EMAIL_BACKEND=console`, decoded), and with
//! `--dir` also files it as the file backend does (`EMAIL_BACKEND=file`):
//! mbox files, envelope kept, so Bcc recipients survive and
//! [`Outbox::load("./mail")`](mailtest::Outbox::load) reads them back in a
//! test. A restart with the same `--dir` reads every stored message back
//! and lists it again (`mailtest: reloaded 3 messages from ./mail (default
//! 2, ci7 1)`); a deletion through the API is made on disk too. `--host`
//! takes another address (`0.0.0.0` to listen beyond loopback). `mailtest show FILE` prints each message of an mbox or `.eml`
//! file with the [snapshot rendering](mailtest::snapshot::render), the same
//! text `assert_email_snapshot!` stores; `mailtest show --html FILE [--out
//! DIR]` writes the HTML report of the file's messages instead.
//!
//! # The web UI and the JSON API
//!
//! `mailtest serve --http PORT` adds a live web UI and a JSON API to the
//! sink, with the renderer of the HTML report a failing test writes (see
//! [mailtest-harness](https://docs.rs/mailtest-harness/latest/mailtest_harness/#the-html-report)):
//!
//! ```text
//! $ mailtest serve --port 2525 --http 8025
//! mailtest: SMTP sink listening on 127.0.0.1:2525 (Ctrl-C to stop)
//! mailtest: web UI on http://127.0.0.1:8025/ (JSON API under /api/)
//! ```
//!
//! | route | answer |
//! |---|---|
//! | `GET /` | the list, with a search box and a delete button on each row, updated as mail arrives (server-sent events at `/events`) |
//! | `GET /m/{n}` | one email, as in the report |
//! | `GET /api/messages` | JSON: `n`, `subject`, `from`, `to`, `cc`, `bcc`, `date`, `size` of each email; filters `to`, `recipient` (To, Cc, Bcc or the envelope), `from`, `subject`, `subject_contains`, `text_contains`, `html_contains` mean what the [`Query`](mailtest::Query) methods mean, `q` is a search (below) |
//! | `GET /api/messages/{n}` | one email decoded: the above plus `envelope`, `reply_to`, `message_id`, `text`, `html`, `headers`, `attachments`, `links`, `problems`, `lints` |
//! | `GET /api/messages/{n}.eml` | the bytes as captured |
//! | `GET /api/wait?…&count=N&timeout=SECONDS` | waits until at least `count` emails (default 1) match: 200 with them, or after `timeout` (default 30) 408 with `error` and the near-miss `report`; a timeout above 300 is a 400 that says so |
//! | `DELETE /api/messages` | deletes the namespace's mail |
//! | `DELETE /api/messages/{n}` | deletes one email |
//! | `GET /api/namespaces` | each namespace: `name`, `count`, `cap`, `waiting` |
//!
//! Every route but the last is per namespace: as above for the default
//! one, and under `/ns/{ns}/` for namespace `ns` (`/ns/ci7/api/wait?…`,
//! the page `/ns/ci7/`). `n` is the capture number in its namespace, from
//! 1; a deletion does not reuse numbers. A long poll whose client hangs up
//! ends at once: nothing waits for a reader that has gone. The
//! web UI listens on the sink's host: 127.0.0.1 unless `--host` says
//! otherwise. On loopback it answers only requests that name a loopback
//! host, so a web page you visit cannot read your mail through DNS
//! rebinding. Bad requests get 400, 404, 405 (with `Allow`), 413 or 431 and
//! a reason; request heads are limited to 16 KiB and 64 fields.
//!
//! # Namespaces: one server for a whole team
//!
//! Mail to `anything+NS@any.domain` lands in namespace `NS`, other mail in
//! namespace `default`. Plus-addressing, because every SMTP client and
//! every application can send to such an address, where an SMTP `MAIL
//! FROM` parameter would need a client that sends one. The tag is what
//! follows the first `+` of the local part; a name is 1 to 64 letters,
//! digits, `.`, `_` or `-`, without regard to case (`+CI7` is `ci7`). A
//! recipient whose tag is not a name is refused at `RCPT TO` with
//! `553 5.1.3` saying why, never filed elsewhere. A message to several
//! namespaces lands in each. So 64 parallel end-to-end workers share one
//! server, each sending to `user+worker17@example.com` and asking
//! `/ns/worker17/api/wait`: each namespace is an outbox of its own, with
//! its own numbers, and mail elsewhere never wakes or slows its waiters.
//!
//! **Caps.** Each namespace holds at most `--cap N` messages (default
//! 10,000). Mail to a full namespace is refused, never dropped: at `RCPT
//! TO` (or, when it filled up meanwhile, at the end of DATA) with
//! `452 4.2.2 namespace "ci7" is full: it holds 10000 messages, its cap
//! (mailtest serve --cap); delete some (DELETE /ns/ci7/api/messages) and
//! send again` — a temporary failure, so a client that retries succeeds
//! once there is room. A message is kept in all its namespaces or in none.
//! With `--dir`, namespace `ns` is filed in `DIR/+ns/` (the default one in
//! `DIR` itself); a restart reloads every folder, over the cap or not.
//!
//! # Search
//!
//! The list's search box and `q=` of `/api/messages` and `/api/wait` take
//! terms that must all hold, each found without regard to case:
//!
//! ```text
//! from:ann to:+ci7 subject:"order 42" text:refund header:X-Tag=a header:List-Id welcome
//! ```
//!
//! `from:` searches the From header, `to:` every recipient (To, Cc and the
//! envelope, so Bcc), `subject:` the subject, `text:` the text body or the
//! HTML body's text, `header:NAME=TEXT` a header's decoded value and
//! `header:NAME` its presence; a word alone searches the subject, From, the
//! recipients and the body. Double quotes keep spaces and colons in a value
//! (`"ratio: 3"`), with `\"` for a quote. An unknown field (`colour:red`)
//! is a 400 naming the fields.
//!
//! # The run's report index
//!
//! A failing test writes its HTML report (see
//! [mailtest-harness](https://docs.rs/mailtest-harness/latest/mailtest_harness/#the-html-report))
//! into `target/mailtest/<package>/<test binary>/<test>/` — the package and
//! the binary (`tests/signup.rs` is `signup`, without cargo's hash) keep
//! tests of the same name in different files apart. Beside them,
//! `target/mailtest/index.html` lists every test that left a report, with
//! the first line of its failure, and `target/mailtest/summary.md` says the
//! same in Markdown for a CI run summary
//! (`cat target/mailtest/summary.md >> "$GITHUB_STEP_SUMMARY"`). A test
//! whose capture ends without a failure removes its report from an earlier
//! run, and the index with it. Both files are rebuilt from the folders
//! whenever one changes, sorted, without times or absolute paths, so the
//! same failures give the same bytes on a rerun.
//!
//! # `mailtest assert`
//!
//! End-to-end tests in any language get mailtest's assertions from a shell:
//!
//! ```text
//! $ mailtest assert --server http://127.0.0.1:8025 --to ann@example.com --subject Welcome --within 10s
//! mailtest: ok: exactly 1 email matching to="ann@example.com", subject="Welcome"
//! $ curl -s 'http://127.0.0.1:8025/api/wait?to=ann@example.com&timeout=10'
//! ```
//!
//! `mailtest assert` asks the JSON API and exits 0, or 1 with the near-miss
//! report on standard error (`--count N` for another number, `--count 0`
//! for none within the time; `--namespace NS` asks namespace `NS`,
//! `--search QUERY` adds a search).

mod commands;

use std::fmt::Write as _;
use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use mailtest::{ConsoleBackend, Email, Outbox, SmtpSink};
use mailtest_capture::Captured;

use commands::mailroom::{DEFAULT_CAP, Mailroom};

const SERVE_USAGE: &str = "  mailtest serve [--port N] [--host ADDR] [--dir PATH] [--http PORT] [--cap N]
      run an SMTP sink (default 127.0.0.1, a free port) and print each message
      as the console backend does; mail to NAME+NS@... lands in namespace NS,
      other mail in namespace default; each namespace holds at most --cap
      messages (default 10000; more are refused with 452 4.2.2); with --dir,
      also file them in mbox files there (DIR, and DIR/+NS for namespace NS),
      reloaded at the next start; with --http, also serve the live web UI and
      JSON API on that port (0: a free one), on the same host
";

const SHOW_USAGE: &str = "  mailtest show FILE
      print each message of an mbox or .eml file with the snapshot rendering
  mailtest show --html FILE [--out DIR]
      write the HTML report of the file's messages into DIR (default mailtest-report)
";

const OTHER_USAGE: &str = "  mailtest --help, mailtest COMMAND --help (or -h)
      this text, or a command's part of it
  mailtest --version (or -V, after any command too)
      the version
";

const VERSION: &str = concat!("mailtest ", env!("CARGO_PKG_VERSION"));

/// Every command's usage, or one command's.
fn usage(command: Option<&str>) -> String {
    let assert = commands::assert_cmd::USAGE;
    match command {
        Some("serve") => format!("usage:\n{SERVE_USAGE}"),
        Some("show") => format!("usage:\n{SHOW_USAGE}"),
        Some("assert") => format!("usage:\n{assert}\n"),
        _ => format!("usage:\n{SERVE_USAGE}{SHOW_USAGE}{assert}\n{OTHER_USAGE}"),
    }
}

/// A problem as the CLI says it: prefixed with its name once. mailtest's
/// own errors already are (`mailtest: could not …`), so they are not again.
fn said(problem: &str) -> String {
    if problem.starts_with("mailtest: ") { problem.to_owned() } else { format!("mailtest: {problem}") }
}

const SEPARATOR: &str = "------------------------------------------------------------------------";

enum Command {
    Serve {
        addr: SocketAddr,
        dir: Option<PathBuf>,
        http: Option<u16>,
        cap: usize,
    },
    Show {
        file: PathBuf,
    },
    ShowHtml {
        file: PathBuf,
        out: PathBuf,
    },
    Assert(commands::assert_cmd::Assert),
    /// `--help`: every command's usage, or one command's.
    Help(Option<&'static str>),
    Version,
}

/// Runs the `mailtest` command with the process's arguments: what the
/// binary's `main` does, kept in a library so that test suites can build a
/// `mailtest` binary of their own (`fn main() -> ExitCode { mailtest_cli::run() }`).
pub fn run() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse(&args) {
        Ok(command) => command,
        Err(problem) => {
            eprint!("{}\n\n{}", said(&problem), usage(None));
            return ExitCode::from(2);
        }
    };
    let result = match command {
        Command::Help(command) => {
            print!("{}", usage(command));
            Ok(())
        }
        Command::Version => {
            println!("{VERSION}");
            Ok(())
        }
        Command::Show { file } => show(&file),
        Command::ShowHtml { file, out } => commands::show_html::run(&file, &out),
        Command::Serve { addr, dir, http, cap } => serve(addr, dir.as_deref(), http, cap),
        Command::Assert(assert) => match assert.run() {
            Ok(true) => Ok(()),
            Ok(false) => return ExitCode::FAILURE,
            Err(problem) => Err(problem),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("{}", said(&problem));
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err("no command given".to_owned());
    };
    if let Some(name) = command_name(command) {
        // Options of serve and assert all take a value, so an option is at
        // every other place; a FILE of show is never a flag.
        let options: Vec<&String> = match name {
            "show" => rest.iter().collect(),
            _ => rest.iter().step_by(2).collect(),
        };
        if options.iter().any(|option| matches!(option.as_str(), "--help" | "-h")) {
            return Ok(Command::Help(Some(name)));
        }
        if options.iter().any(|option| matches!(option.as_str(), "--version" | "-V")) {
            return Ok(Command::Version);
        }
    }
    match command.as_str() {
        "serve" => parse_serve(rest),
        "show" => match rest {
            [html, rest @ ..] if html == "--html" => {
                commands::show_html::parse(rest).map(|(file, out)| Command::ShowHtml { file, out })
            }
            [file] if !file.starts_with("--") => Ok(Command::Show { file: PathBuf::from(file) }),
            [] => Err("show needs a FILE".to_owned()),
            _ => Err(format!("show takes one FILE, got {}", rest.join(" "))),
        },
        "help" | "--help" | "-h" => match rest.first() {
            None => Ok(Command::Help(None)),
            Some(topic) => command_name(topic)
                .map(|name| Command::Help(Some(name)))
                .ok_or_else(|| format!("no help on {topic:?}: the commands are serve, show and assert")),
        },
        "--version" | "-V" | "version" => Ok(Command::Version),
        "assert" => commands::assert_cmd::parse(rest).map(Command::Assert),
        other => Err(format!("unknown command {other:?}: use serve, show or assert")),
    }
}

/// The command `text` names, if it names one.
fn command_name(text: &str) -> Option<&'static str> {
    ["serve", "show", "assert"].into_iter().find(|name| *name == text)
}

fn parse_serve(mut args: &[String]) -> Result<Command, String> {
    let (mut host, mut port, mut dir, mut http) = (IpAddr::V4(Ipv4Addr::LOCALHOST), 0u16, None, None);
    let mut cap = DEFAULT_CAP;
    while let [option, rest @ ..] = args {
        let value = rest.first().ok_or_else(|| format!("{option} needs a value"))?;
        match option.as_str() {
            "--port" => {
                port =
                    value.parse().map_err(|_| format!("--port {value:?} is not a port number (0-65535)"))?
            }
            "--host" => host = value.parse().map_err(|_| format!("--host {value:?} is not an IP address"))?,
            "--dir" => dir = Some(PathBuf::from(value)),
            "--http" => {
                http = Some(
                    value.parse().map_err(|_| format!("--http {value:?} is not a port number (0-65535)"))?,
                )
            }
            "--cap" => {
                cap = value.parse().ok().filter(|&cap: &usize| cap > 0).ok_or_else(|| {
                    format!("--cap {value:?} is not a number of messages from 1 (each namespace's limit)")
                })?
            }
            other => return Err(format!("unknown option {other:?} for serve")),
        }
        args = &rest[1..];
    }
    Ok(Command::Serve { addr: SocketAddr::new(host, port), dir, http, cap })
}

fn serve(addr: SocketAddr, dir: Option<&Path>, http: Option<u16>, cap: usize) -> Result<(), String> {
    let (mailroom, reloaded) = Mailroom::open(cap, dir)?;
    let (console, printed) = std::sync::mpsc::channel::<Captured>();
    mailroom.print_to(console);
    let sink =
        SmtpSink::builder().bind(addr).deliver_to(mailroom.clone()).start().map_err(|e| e.to_string())?;
    let mut banner = format!("mailtest: SMTP sink listening on {} (Ctrl-C to stop)", sink.addr());
    if let Some(dir) = mailroom.dir() {
        let _ = write!(banner, "; filing messages in {}", dir.display());
    }
    println!("{banner}");
    if let (Some(dir), false) = (mailroom.dir(), reloaded.is_empty()) {
        println!("{}", reloaded_line(dir, &reloaded, cap));
    }
    if let Some(port) = http {
        let web = commands::web::start(mailroom.clone(), SocketAddr::new(addr.ip(), port))?;
        println!("mailtest: web UI on http://{web}/ (JSON API under /api/, namespace NS under /ns/NS/)");
    }
    flush()?;
    let console = ConsoleBackend::stdout();
    // In the order the mailroom kept them; the sink lives as long as this loop.
    for mail in printed {
        console.write_captured(&mail).map_err(|e| e.to_string())?;
        flush()?;
    }
    drop(sink);
    Ok(())
}

/// `mailtest: reloaded 3 messages from ./mail (default 2, ci7 1)`, and which
/// namespaces are over the cap.
fn reloaded_line(dir: &Path, reloaded: &[(String, usize)], cap: usize) -> String {
    let total: usize = reloaded.iter().map(|(_, count)| count).sum();
    let each: Vec<String> = reloaded.iter().map(|(ns, count)| format!("{ns} {count}")).collect();
    let mut line =
        format!("mailtest: reloaded {total} messages from {} ({})", dir.display(), each.join(", "));
    for (ns, count) in reloaded.iter().filter(|(_, count)| *count >= cap) {
        let _ = write!(
            line,
            "\nmailtest: namespace {ns} holds {count} messages, at or over its cap of {cap}: new mail to it is refused until some is deleted"
        );
    }
    line
}

fn flush() -> Result<(), String> {
    std::io::stdout().flush().map_err(|e| format!("cannot write to standard output: {e}"))
}

fn show(file: &Path) -> Result<(), String> {
    let raw = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let emails = if raw.starts_with(b"From ") {
        Outbox::load(file).map_err(|e| e.to_string())?.emails()
    } else {
        vec![Email::from_raw(raw)]
    };
    for (n, email) in emails.iter().enumerate() {
        if n > 0 {
            println!("{SEPARATOR}");
        }
        print!("{}", mailtest::snapshot::render(email));
    }
    Ok(())
}
