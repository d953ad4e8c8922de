//! The file backend and `Outbox::load`: mbox files per session, read back
//! with their envelope; bad paths named; concurrent writers never corrupt.

use std::path::{Path, PathBuf};

use mailtest::{EmailBackend, Error, FileBackend, Mailer, Outbox, Settings, send_mail};

fn file_mailer(dir: &Path) -> Mailer {
    let settings =
        Settings::from_vars([("EMAIL_BACKEND", "file"), ("EMAIL_FILE_PATH", dir.to_str().unwrap())]).unwrap();
    Mailer::from_settings(&settings).unwrap()
}

fn message(to: &str, subject: &str, body: &str) -> lettre::Message {
    lettre::Message::builder()
        .from("Shop <shop@example.com>".parse().unwrap())
        .to(to.parse().unwrap())
        .bcc("audit@example.com".parse().unwrap())
        .subject(subject)
        .body(body.to_owned())
        .unwrap()
}

fn mbox_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "mbox"))
        .collect();
    files.sort();
    files
}

#[test]
fn messages_round_trip_with_envelope_and_bcc() {
    let dir = tempfile::tempdir().unwrap();
    let mailer = file_mailer(dir.path());
    let sent = message("Ann <ann@example.com>", "Welcome", "From now on, you are in.\n>From quoted, too.");

    mailer.send_messages(&[sent.clone(), message("bob@example.com", "Welcome", "Hi Bob")]).unwrap();
    drop(mailer);

    let outbox = Outbox::load(dir.path()).unwrap();
    let email = outbox.find().to("ann@example.com").subject("Welcome").one();
    assert_eq!(email.bcc(), ["audit@example.com"]);
    assert_eq!(email.envelope_from(), Some("shop@example.com"));
    assert_eq!(email.raw(), sent.formatted(), "the bytes are what was sent");
    assert_eq!(email.text(), Some("From now on, you are in.\n>From quoted, too."));
    assert_eq!(outbox.len(), 2);
    let captured = Outbox::new();
    lettre::Transport::send(&captured.transport(), &sent).unwrap();
    assert_eq!(email, captured.emails()[0], "the email read back equals the email captured");
}

#[test]
fn each_mailer_session_writes_its_own_file_and_keeps_earlier_ones() {
    let dir = tempfile::tempdir().unwrap();

    for session in 0..3 {
        let mailer = file_mailer(dir.path());
        mailer.send_messages(&[message("ann@example.com", &format!("session {session}"), "x")]).unwrap();
    }

    assert_eq!(mbox_files(dir.path()).len(), 3);
    let outbox = Outbox::load(dir.path()).unwrap();
    let subjects: Vec<String> = outbox.emails().iter().map(|e| e.subject().unwrap().to_owned()).collect();
    assert_eq!(subjects, ["session 0", "session 1", "session 2"], "sessions in the order they started");
}

#[test]
fn close_then_send_appends_to_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let mailer = file_mailer(dir.path());

    mailer.send_messages(&[message("ann@example.com", "one", "1")]).unwrap();
    mailer.close().unwrap();
    mailer.send_messages(&[message("ann@example.com", "two", "2")]).unwrap();

    assert_eq!(mbox_files(dir.path()).len(), 1);
    assert_eq!(Outbox::load(dir.path()).unwrap().len(), 2);
}

#[test]
fn a_mailer_that_sends_nothing_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();

    drop(file_mailer(dir.path()));

    assert!(mbox_files(dir.path()).is_empty());
    assert!(Outbox::load(dir.path()).unwrap().is_empty());
}

#[test]
fn the_directory_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/outgoing");

    file_mailer(&nested).send_messages(&[message("ann@example.com", "Hi", "x")]).unwrap();

    assert_eq!(Outbox::load(&nested).unwrap().len(), 1);
}

#[test]
fn a_path_that_is_a_regular_file_is_an_error_naming_it_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "precious").unwrap();
    let cases = [file.clone(), file.join("below-a-file")];

    for path in cases {
        let settings =
            Settings::from_vars([("EMAIL_BACKEND", "file"), ("EMAIL_FILE_PATH", path.to_str().unwrap())])
                .unwrap();
        let err = Mailer::from_settings(&settings).unwrap_err();

        assert!(matches!(&err, Error::Io { .. }), "{err:?}");
        assert!(
            err.to_string().contains(path.to_str().unwrap())
                || err.to_string().contains(file.to_str().unwrap()),
            "{err}"
        );
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious");
}

#[cfg(unix)]
#[test]
fn a_directory_that_is_not_writable_is_an_error_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    if std::fs::write(locked.join("probe"), "").is_ok() {
        // Root (as CI runs) writes anywhere: the case is made in a child
        // process that lacks the capabilities that override permission bits.
        return in_a_child_without_dac_override(
            "backend_file::a_directory_that_is_not_writable_is_an_error_naming_it",
        );
    }

    let err = FileBackend::new(&locked).unwrap_err();

    assert!(matches!(&err, Error::Io { kind: std::io::ErrorKind::PermissionDenied, .. }), "{err:?}");
    assert!(err.to_string().contains(locked.to_str().unwrap()), "{err}");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Runs the test `name` of this binary again, alone, in a child process
/// whose capability bounding set lacks `CAP_DAC_OVERRIDE` and
/// `CAP_DAC_READ_SEARCH`: there even root meets permission bits.
#[cfg(unix)]
fn in_a_child_without_dac_override(name: &str) {
    assert!(
        std::env::var_os("MAILTEST_WITHOUT_DAC_OVERRIDE").is_none(),
        "permission bits are ignored even without CAP_DAC_OVERRIDE: this case cannot be made here"
    );
    // setpriv is util-linux's, which every Debian system has (it is essential).
    let output = std::process::Command::new("setpriv")
        .args(["--bounding-set=-dac_override,-dac_read_search", "--"])
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", name, "--test-threads=1"])
        .env("MAILTEST_WITHOUT_DAC_OVERRIDE", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("1 passed"), "the test did not run in the child:\n{stdout}");
}

#[test]
fn concurrent_writers_never_corrupt_or_interleave() {
    let dir = tempfile::tempdir().unwrap();
    let shared = file_mailer(dir.path());
    const THREADS: usize = 6;
    const EACH: usize = 40;

    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            // Half the threads share one mailer (one file), half have their own.
            let mailer = if thread % 2 == 0 { shared.clone() } else { file_mailer(dir.path()) };
            scope.spawn(move || {
                for n in 0..EACH {
                    let body = format!(
                        "thread {thread} message {n}\nFrom a line that needs quoting\n{}",
                        "x".repeat(2000)
                    );
                    mailer
                        .send_messages(&[message("ann@example.com", &format!("t{thread}-n{n}"), &body)])
                        .unwrap();
                }
            });
        }
    });
    drop(shared);

    let outbox = Outbox::load(dir.path()).unwrap();
    assert_eq!(outbox.len(), THREADS * EACH);
    for thread in 0..THREADS {
        for n in 0..EACH {
            let email = outbox.find().subject(format!("t{thread}-n{n}").as_str()).one();
            let text = email.text().unwrap();
            assert!(text.starts_with(&format!("thread {thread} message {n}\nFrom a line")), "{text}");
            assert!(email.problems().is_empty(), "{:?}", email.problems());
        }
    }
    assert_eq!(mbox_files(dir.path()).len(), 1 + THREADS / 2);
}

#[test]
fn load_reads_one_file_or_a_directory_and_ignores_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let backend = FileBackend::new(dir.path()).unwrap();
    backend.send_messages(&[message("ann@example.com", "Hi", "x")]).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not mail").unwrap();
    std::fs::create_dir(dir.path().join("sub.mbox")).unwrap();

    assert_eq!(Outbox::load(backend.path()).unwrap().len(), 1);
    assert_eq!(Outbox::load(dir.path()).unwrap().len(), 1);
}

#[test]
fn load_reads_a_foreign_mbox_without_envelope_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inbox.mbox");
    std::fs::write(
        &path,
        "From ann@example.com Tue Jan  2 03:04:05 2024\nFrom: ann@example.com\nTo: bob@example.com\nSubject: one\n\n\
         >From the archive\n\nFrom MAILER-DAEMON Tue Jan  2 03:04:06 2024\nSubject: two\n\nbody\n",
    )
    .unwrap();

    let outbox = Outbox::load(&path).unwrap();

    let emails = outbox.emails();
    assert_eq!(emails.len(), 2);
    assert_eq!(emails[0].envelope_from(), Some("ann@example.com"));
    assert_eq!(emails[0].text(), Some("From the archive\n"));
    assert_eq!(emails[1].envelope_from(), None);
    outbox.find().to("bob@example.com").subject("one").one();
}

#[test]
fn load_errors_name_the_path_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let not_mbox = dir.path().join("broken.mbox");
    std::fs::write(&not_mbox, "\nSubject: no From line\n\nbody\n").unwrap();
    let missing = dir.path().join("missing");

    let malformed = Outbox::load(dir.path()).unwrap_err();
    let absent = Outbox::load(&missing).unwrap_err();

    assert!(
        matches!(&malformed, Error::MalformedMailbox { path, line: 2, .. } if *path == not_mbox),
        "{malformed:?}"
    );
    assert!(malformed.to_string().contains("broken.mbox:2: expected a `From ` line"), "{malformed}");
    assert!(matches!(&absent, Error::Io { kind: std::io::ErrorKind::NotFound, .. }), "{absent:?}");
    assert!(absent.to_string().contains(missing.to_str().unwrap()), "{absent}");
}

#[test]
fn send_mail_through_the_file_backend() {
    let dir = tempfile::tempdir().unwrap();

    let sent = send_mail("Hi", "Hello", "app@example.com", &["ann@example.com", "bob@example.com"])
        .html_message("<p>Hello</p>")
        .connection(&file_mailer(dir.path()))
        .send()
        .unwrap();

    assert_eq!(sent, 1);
    let outbox = Outbox::load(dir.path()).unwrap();
    let email = outbox.find().to("bob@example.com").one();
    assert_eq!(email.html(), Some("<p>Hello</p>"));
}
