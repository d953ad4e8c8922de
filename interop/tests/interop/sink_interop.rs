//! Real SMTP clients nobody here wrote, against the sink: Python's
//! smtplib, swaks and curl. Each checks the envelope, Bcc, dot-unstuffing,
//! 8-bit content and AUTH as the client does them. A missing client fails
//! its test, naming the install command (`.ci/install-tools` installs them).
//! lettre's clients, which need no program, are in the default suite
//! (`tests/integration/sink_interop.rs`).

use std::io::Write;
use std::process::{Command, Stdio};

use crate::sink_clients::{BODY, assert_delivered, sink_with_auth};
use crate::tools::require;

#[test]
fn python_smtplib_with_auth_plain_and_login() {
    require("python3", "--version", "apt-get install python3");
    let sink = sink_with_auth();
    let script = r#"
import smtplib, sys
from email.message import EmailMessage
port = int(sys.argv[1])
body = "Grüße, Zoë!\n.a line that starts with a dot\n..and one with two\n.\nend\n"
for mechanism in ("PLAIN", "LOGIN"):
    msg = EmailMessage()
    msg["From"] = "Shop <shop@example.com>"
    msg["To"] = "Zoë <zoe@example.com>"
    msg["Subject"] = "smtplib " + mechanism
    msg.set_content(body, cte="8bit")
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        smtp.ehlo("python.test")
        assert smtp.has_extn("pipelining") and smtp.has_extn("8bitmime")
        smtp.user, smtp.password = "app", "s3cret"
        code, _ = smtp.auth(mechanism, getattr(smtp, "auth_" + mechanism.lower()), initial_response_ok=False)
        assert code == 235, code
        smtp.send_message(msg, from_addr="shop@example.com", to_addrs=["zoe@example.com", "audit@example.com"])
print("sent")
"#;

    let output = Command::new("python3").arg("-c").arg(script).arg(sink.port().to_string()).output().unwrap();

    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for subject in ["smtplib PLAIN", "smtplib LOGIN"] {
        assert_delivered(&sink.outbox().find().subject(subject).one());
    }
}

/// Writes the RFC 5322 message a command-line client uploads.
fn message_file(subject: &str) -> tempfile_path::TempFile {
    let text = format!(
        "From: Shop <shop@example.com>\r\nTo: Zoë <zoe@example.com>\r\nSubject: {subject}\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}",
        BODY.replace('\n', "\r\n")
    );
    tempfile_path::TempFile::new(text.as_bytes())
}

/// A file removed on drop, named uniquely for this process and test.
mod tempfile_path {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub(crate) struct TempFile(pub(crate) PathBuf);

    impl TempFile {
        pub(crate) fn new(bytes: &[u8]) -> TempFile {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let name =
                format!("mailtest-sink-{}-{}.eml", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
            let path = std::env::temp_dir().join(name);
            std::fs::write(&path, bytes).unwrap();
            TempFile(path)
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

#[test]
fn swaks_pipelined_with_auth_plain_and_login() {
    require("swaks", "--version", "apt-get install swaks");
    for mechanism in ["PLAIN", "LOGIN"] {
        let sink = sink_with_auth();
        let subject = format!("swaks {mechanism}");
        let file = message_file(&subject);

        let output = Command::new("swaks")
            .args(["--server", &format!("127.0.0.1:{}", sink.port())])
            .args(["--ehlo", "swaks.test", "--from", "shop@example.com"])
            .args(["--to", "zoe@example.com,audit@example.com"])
            .args(["--auth", mechanism, "--auth-user", "app", "--auth-password", "s3cret"])
            .arg("--pipeline")
            .args(["--data", &format!("@{}", file.0.display())])
            .output()
            .unwrap();

        let transcript = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{transcript}{}", String::from_utf8_lossy(&output.stderr));
        assert!(transcript.contains("235 2.7.0"), "{transcript}");
        assert_delivered(&sink.outbox().find().subject(subject.as_str()).one());
    }
}

#[test]
fn curl_smtp_upload_with_auth() {
    require("curl", "--version", "apt-get install curl");
    for mechanism in ["PLAIN", "LOGIN"] {
        let sink = sink_with_auth();
        let subject = format!("curl {mechanism}");
        let file = message_file(&subject);

        let output = Command::new("curl")
            .args(["--silent", "--show-error", &format!("smtp://127.0.0.1:{}/curl.test", sink.port())])
            .args(["--mail-from", "shop@example.com"])
            .args(["--mail-rcpt", "zoe@example.com", "--mail-rcpt", "audit@example.com"])
            .args(["--user", "app:s3cret", "--login-options", &format!("AUTH={mechanism}")])
            .args(["--upload-file", &file.0.display().to_string()])
            .stdin(Stdio::null())
            .output()
            .unwrap();

        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert_delivered(&sink.outbox().find().subject(subject.as_str()).one());
    }
}

#[test]
fn curl_with_wrong_credentials_is_refused_and_nothing_is_delivered() {
    require("curl", "--version", "apt-get install curl");
    let sink = sink_with_auth();
    let file = message_file("wrong password");
    let mut child = Command::new("curl")
        .args(["--silent", "--show-error", &format!("smtp://127.0.0.1:{}", sink.port())])
        .args(["--mail-from", "shop@example.com", "--mail-rcpt", "zoe@example.com"])
        .args(["--user", "app:wrong", "--upload-file", &file.0.display().to_string()])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(b"");
    let output = child.wait_with_output().unwrap();

    // curl's exit code 67: "the user name, password, or similar was not accepted".
    assert_eq!(output.status.code(), Some(67), "{}", String::from_utf8_lossy(&output.stderr));
    sink.outbox().assert_empty();
}
