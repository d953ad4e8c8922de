//! A program that sends mail the way an application does — through
//! `Mailer::from_env()`, configured only by `EMAIL_*` variables — used by the
//! cross-process test (`tests/integration/backend_process.rs`).
//!
//! ```sh
//! EMAIL_BACKEND=file EMAIL_FILE_PATH=/tmp/mail cargo run --example send_with_env -- ann@example.com
//! EMAIL_BACKEND=console cargo run --example send_with_env -- ann@example.com
//! ```
//!
//! Sends two messages to the address given: one with `send_mail` (text and
//! HTML), one built with lettre with a Bcc to `audit@example.com`. Exits
//! non-zero with the error on stderr if either fails.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(to) = std::env::args().nth(1) else {
        eprintln!("usage: send_with_env <recipient>");
        return ExitCode::from(2);
    };
    match send(&to) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}

fn send(to: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mailer = mailtest_mailer::Mailer::from_env()?;
    mailtest_mailer::send_mail(
        "Your report is ready",
        "Download it: https://app.example.com/r/42",
        "App <app@example.com>",
        &[to],
    )
    .html_message(r#"<p><a href="https://app.example.com/r/42">Download</a> your report.</p>"#)
    .connection(&mailer)
    .send()?;
    let receipt = lettre::Message::builder()
        .from("Billing <billing@example.com>".parse()?)
        .to(to.parse()?)
        .bcc("audit@example.com".parse()?)
        .subject("Receipt #42")
        .body(String::from("Paid: 12.50 EUR"))?;
    mailer.send(&receipt)?;
    Ok(())
}
