//! Every message of a corpus of real-world mail through the decoder, with
//! every accessor, the snapshot rendering, every lint and a failure report
//! called on each, under a hang limit. CI runs it on `../shared/corpus` in a debug and
//! a release build and compares the two decodings, which must be identical.
//!
//! ```text
//! cargo run --release -p mailtest-interop --bin corpus_sweep -- ../shared/corpus [--json decoded.jsonl]
//! ```
//!
//! Files directly under the corpus's sub-folders are messages; the files in
//! `_mbox/` are mailboxes, each read through `Outbox::load`. With `--json`,
//! one line per message is written with what it decoded to (the input of
//! `interop/crosscheck/crosscheck.py`, and of the debug/release comparison).
//!
//! Exits 1, naming the message, on a panic, a lint rule that failed on a
//! message (`lint-panicked`), a message that takes longer than the hang
//! limit, a mailbox that does not load, or a missing corpus.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use mailtest::lint::Profile;
use mailtest::{Email, LintConfig, MimePart, Outbox};
use sha2::{Digest, Sha256};

const HANG_LIMIT: Duration = Duration::from_secs(5);
const MAILBOX_FOLDER: &str = "_mbox";

fn main() {
    let mut args = std::env::args().skip(1);
    let mut corpus = None;
    let mut json = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => {
                json = Some(PathBuf::from(args.next().unwrap_or_else(|| fail("--json needs a path"))))
            }
            _ if corpus.is_none() => corpus = Some(PathBuf::from(arg)),
            other => fail(&format!("unexpected argument {other:?}")),
        }
    }
    let corpus = corpus.unwrap_or_else(|| fail("usage: corpus_sweep CORPUS_DIR [--json OUT.jsonl]"));
    if !corpus.is_dir() {
        fail(&format!(
            "the corpus directory {} is missing: the sweep needs the shared corpus (../shared/corpus beside \
             the project)",
            corpus.display()
        ));
    }
    let (messages, mailboxes) = list(&corpus);
    if messages.is_empty() {
        fail(&format!("no message found under {}", corpus.display()));
    }

    let mut out = json.as_ref().map(|path| {
        std::io::BufWriter::new(
            std::fs::File::create(path)
                .unwrap_or_else(|err| fail(&format!("cannot write {}: {err}", path.display()))),
        )
    });
    let worker = Worker::start();
    let started = Instant::now();
    let mut stats = Stats::default();
    for path in &messages {
        let raw =
            std::fs::read(path).unwrap_or_else(|err| fail(&format!("cannot read {}: {err}", path.display())));
        let name = relative(&corpus, path);
        let job_name = name.clone();
        let line = worker.run(&name, move || sweep_message(&job_name, Email::from_raw(raw)));
        stats.add(&line);
        if let Some(out) = out.as_mut() {
            writeln!(out, "{}", line.json)
                .unwrap_or_else(|err| fail(&format!("cannot write the JSON: {err}")));
        }
    }
    let mut mailbox_messages = 0;
    for path in &mailboxes {
        let name = relative(&corpus, path);
        let owned = path.clone();
        let lines = worker.run(&name, move || sweep_mailbox(&owned));
        match lines {
            Ok(lines) => {
                mailbox_messages += lines.len();
                for line in &lines {
                    stats.add(line);
                    if let Some(out) = out.as_mut() {
                        writeln!(out, "{}", line.json)
                            .unwrap_or_else(|err| fail(&format!("cannot write the JSON: {err}")));
                    }
                }
            }
            Err(error) => fail(&format!("{name}: Outbox::load failed: {error}")),
        }
    }
    if let Some(mut out) = out {
        out.flush().unwrap_or_else(|err| fail(&format!("cannot write the JSON: {err}")));
    }
    let build = if cfg!(debug_assertions) { "debug" } else { "release" };
    println!(
        "corpus sweep ({build}): {} messages and {} mailboxes ({mailbox_messages} messages), {} problems on {} \
         messages, {} lints on {} messages (every rule), 0 panics, 0 hangs, total {:.2} s (slowest: {} in {:.0} ms)",
        messages.len(),
        mailboxes.len(),
        stats.problems,
        stats.with_problems,
        stats.lints,
        stats.with_lints,
        started.elapsed().as_secs_f64(),
        stats.slowest.0,
        stats.slowest.1.as_secs_f64() * 1000.0,
    );
}

fn fail(message: &str) -> ! {
    eprintln!("corpus sweep: {message}");
    std::process::exit(1);
}

/// Messages (files in the sub-folders but `_mbox`) and mailboxes (files in
/// `_mbox`), each sorted.
fn list(corpus: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut messages = Vec::new();
    let mut mailboxes = Vec::new();
    for folder in read_dir(corpus).into_iter().filter(|path| path.is_dir()) {
        let is_mailboxes = folder.file_name().is_some_and(|name| name == MAILBOX_FOLDER);
        let files = read_dir(&folder).into_iter().filter(|path| path.is_file());
        if is_mailboxes { mailboxes.extend(files) } else { messages.extend(files) }
    }
    (messages, mailboxes)
}

fn read_dir(dir: &Path) -> Vec<PathBuf> {
    let listing =
        std::fs::read_dir(dir).unwrap_or_else(|err| fail(&format!("cannot list {}: {err}", dir.display())));
    let mut paths: Vec<PathBuf> = listing.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect();
    paths.sort();
    paths
}

fn relative(corpus: &Path, path: &Path) -> String {
    path.strip_prefix(corpus).unwrap_or(path).display().to_string()
}

/// One thread that runs each job, so the main thread can give up on one
/// that hangs (and exit, naming it).
struct Worker {
    jobs: mpsc::Sender<Box<dyn FnOnce() + Send>>,
}

impl Worker {
    fn start() -> Worker {
        let (jobs, receiver) = mpsc::channel::<Box<dyn FnOnce() + Send>>();
        std::thread::spawn(move || {
            for job in receiver {
                job();
            }
        });
        Worker { jobs }
    }

    fn run<T: Send + 'static>(&self, name: &str, job: impl FnOnce() -> T + Send + 'static) -> T {
        let (done, result) = mpsc::channel();
        let started = Instant::now();
        self.jobs
            .send(Box::new(move || {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                let _ = done.send(outcome);
            }))
            .unwrap_or_else(|_| fail("the worker thread is gone"));
        match result.recv_timeout(HANG_LIMIT) {
            Ok(Ok(value)) => value,
            Ok(Err(_)) => fail(&format!("{name}: PANIC (the panic message is above)")),
            Err(_) => fail(&format!("{name}: HANG: not done after {:.1} s", started.elapsed().as_secs_f64())),
        }
    }
}

/// What one message decoded to, and how long that took.
struct Line {
    name: String,
    json: serde_json::Value,
    problems: usize,
    lints: usize,
    took: Duration,
}

#[derive(Default)]
struct Stats {
    problems: usize,
    with_problems: usize,
    lints: usize,
    with_lints: usize,
    slowest: (String, Duration),
}

impl Stats {
    fn add(&mut self, line: &Line) {
        self.problems += line.problems;
        self.with_problems += usize::from(line.problems > 0);
        self.lints += line.lints;
        self.with_lints += usize::from(line.lints > 0);
        if line.took > self.slowest.1 {
            self.slowest = (line.name.clone(), line.took);
        }
    }
}

fn sweep_mailbox(path: &Path) -> Result<Vec<Line>, String> {
    let outbox = Outbox::load(path).map_err(|err| err.to_string())?;
    let name = path.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    let lines = outbox
        .emails()
        .into_iter()
        .enumerate()
        .map(|(n, email)| sweep_message(&format!("{MAILBOX_FOLDER}/{name}#{}", n + 1), email))
        .collect();
    report_on(&outbox);
    Ok(lines)
}

/// Calls every accessor, renders the snapshot and a failure report; the
/// JSON holds what a reader of the email sees.
fn sweep_message(name: &str, email: Email) -> Line {
    let started = Instant::now();
    let outbox = Outbox::new();
    outbox.capture_raw(Some("sweep@example.com"), &["hidden@example.com"], email.raw());
    let captured = outbox.emails().remove(0);
    let mut seen = String::new();
    for email in [&email, &captured] {
        let _ = write!(
            seen,
            "{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
            email.subject(),
            email.from(),
            email.to(),
            email.cc(),
            email.bcc(),
            email.reply_to(),
            email.envelope_from(),
            email.envelope_to(),
            email.message_id(),
            email.date(),
        );
        let _ = write!(seen, "{:?}{:?}{:?}", email.text(), email.html(), email.html_text());
        let _ = write!(seen, "{:?}{:?}{:?}", email.header("Subject"), email.headers(), email.links());
        let _ = write!(seen, "{:?}", email.header_values("Received").count());
        for attachment in email.attachments() {
            let _ = write!(
                seen,
                "{:?}{}{}{}{}{:?}",
                attachment.filename(),
                attachment.content_type(),
                attachment.content().len(),
                attachment.size(),
                attachment.is_inline(),
                attachment.content_id(),
            );
        }
        walk(email.mime_tree(), &mut seen);
        // The capture time differs from run to run: called, not recorded.
        let _ = email.captured_at();
        let _ = write!(seen, "{:?}{:?}{}{}", email.problems(), email, email.raw().len(), email.sequence());
        seen.push_str(&mailtest::snapshot::render(email));
        seen.push_str(&lint(name, email));
    }
    report_on(&outbox);
    let lints = email.lint_with(&every_rule());
    let rendered = mailtest::snapshot::render(&email);
    let json = serde_json::json!({
        "path": name,
        "subject": email.subject(),
        "from": mailboxes(email.from()),
        "to": mailboxes(email.to()),
        "cc": mailboxes(email.cc()),
        "text": email.text(),
        "html": email.html(),
        "html_text": email.html_text(),
        "attachments": email.attachments().iter().map(|attachment| serde_json::json!({
            "filename": attachment.filename(),
            "content_type": attachment.content_type(),
            "size": attachment.size(),
            "sha256": hex(&Sha256::digest(attachment.content())),
        })).collect::<Vec<_>>(),
        "problems": email.problems(),
        "lints": lints.codes(),
        "render_sha256": hex(&Sha256::digest(rendered.as_bytes())),
        "accessors_sha256": hex(&Sha256::digest(seen.as_bytes())),
    });
    Line {
        name: name.to_owned(),
        json,
        problems: email.problems().len(),
        lints: lints.len(),
        took: started.elapsed(),
    }
}

/// The lints under the bulk profile with a base URL: every rule runs.
fn every_rule() -> LintConfig {
    LintConfig::new().profile(Profile::Bulk).base_url("https://example.com")
}

/// Every lint, default and with every rule, as plain and coloured text
/// (what a debug and a release build must agree on). A rule that fails on
/// the message is a panic here, so the sweep stops and names it.
fn lint(name: &str, email: &Email) -> String {
    let mut shown = String::new();
    for lints in [email.lint(), email.lint_with(&every_rule())] {
        assert!(!lints.contains("lint-panicked"), "{name}: a lint rule failed on this message:\n{lints}");
        let _ = write!(shown, "{lints}{lints:#}");
    }
    shown
}

/// A query that matches nothing, so its failure report (every email,
/// every criterion) is built, and one that matches everything.
fn report_on(outbox: &Outbox) {
    let failure = outbox
        .find()
        .subject("no message has this subject")
        .text_contains("nor this text")
        .html_contains("nor this html")
        .try_one()
        .expect_err("no email matches");
    assert!(!failure.to_string().is_empty());
    assert_eq!(outbox.find().matching(|_| true).all().len(), outbox.len());
}

fn walk(part: &MimePart, seen: &mut String) {
    let _ = write!(
        seen,
        "{}{:?}{:?}{:?}{:?}{:?}{}",
        part.content_type(),
        part.charset(),
        part.disposition(),
        part.filename(),
        part.content_id(),
        part.transfer_encoding(),
        part.size(),
    );
    for child in part.children() {
        walk(child, seen);
    }
}

fn mailboxes(mailboxes: &[mailtest::Mailbox]) -> Vec<serde_json::Value> {
    mailboxes.iter().map(|m| serde_json::json!({"name": m.name, "address": m.address})).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}
