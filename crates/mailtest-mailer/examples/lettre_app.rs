//! An application that sends with its own lettre transport, as most Rust
//! applications do — `SmtpTransport::from_url(SMTP_URL)` — wrapped in
//! [`mailtest_mailer::guard`] (the one line it takes to adopt). Used by
//! mailtest's leak tests (`tests/integration/refusals/guard.rs`): as a
//! production program it must deliver every message, wherever it lives and
//! whoever starts it.
//!
//! ```sh
//! SMTP_URL=smtp://127.0.0.1:2525 cargo run -p mailtest-mailer --features smtp --example lettre_app -- ann@example.com
//! ```
//!
//! Sends five messages to the address given, the ways an app does: from
//! `main`, through a transport in a `LazyLock`, from a job thread, and a
//! digest of two sent in parallel. Exits non-zero with the error on stderr
//! if any fails.

use std::process::ExitCode;
use std::sync::LazyLock;

use lettre::transport::smtp::Error as SmtpError;
use lettre::{Message, SmtpTransport, Transport};
use mailtest_mailer::{GuardError, Guarded, guard};

/// The app's transport type: the one line that names the guard.
type Mailer = Guarded<SmtpTransport>;

/// The app's constructor: lettre's URL syntax, as it always was, wrapped.
fn mailer() -> Result<Mailer, GuardError<SmtpError>> {
    let url = std::env::var("SMTP_URL").unwrap_or_else(|_| "smtp://localhost:25".to_owned());
    Ok(guard(SmtpTransport::from_url(&url)?.build()))
}

static SHARED: LazyLock<Mailer> = LazyLock::new(|| mailer().expect("SMTP_URL"));

fn message(to: &str, subject: &str) -> Result<Message, Box<dyn std::error::Error + Send + Sync>> {
    Ok(Message::builder()
        .from("App <app@example.com>".parse()?)
        .to(to.parse()?)
        .subject(subject)
        .body(String::from("Sent by the lettre app."))?)
}

fn send(mailer: &Mailer, to: &str, subject: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    mailer.send(&message(to, subject)?)?;
    Ok(())
}

fn run(to: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let own = mailer()?;
    send(&own, to, "From main")?;
    send(&SHARED, to, "From a lazy static")?;
    let job_to = to.to_owned();
    std::thread::spawn(move || send(&SHARED, &job_to, "From a job thread")).join().expect("job thread")?;
    std::thread::scope(|scope| {
        let digests: Vec<_> =
            (1..=2).map(|n| scope.spawn(move || send(&SHARED, to, &format!("Digest part {n}")))).collect();
        digests.into_iter().try_for_each(|digest| digest.join().expect("digest thread"))
    })
}

fn main() -> ExitCode {
    let Some(to) = std::env::args().nth(1) else {
        eprintln!("usage: lettre_app <recipient>");
        return ExitCode::from(2);
    };
    match run(&to) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
