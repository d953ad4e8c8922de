//! Cross-process: another program sends with `EMAIL_BACKEND=file`; the test
//! reads its directory with `Outbox::load` and asserts as usual.
//!
//! The program is mailtest-mailer's `examples/send_with_env.rs`: a
//! production program, which depends on the mailer alone. Integration tests
//! get no `CARGO_BIN_EXE_` path for examples, so the test builds it with
//! `cargo build -p mailtest-mailer --example send_with_env` into this test's
//! own target directory, with the same features — the way `escargot` does
//! it. When every feature of mailtest is on, as in `.ci/run`'s
//! `cargo test --workspace --all-features`, it asks for that build, which
//! the run has made already: a no-op, where another feature set would
//! rebuild lettre and the crates above it.
//! A `[[bin]]` would get a path for free but would be installed with the
//! crate; an example is not.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

use mailtest::Outbox;

/// The example's path, built once per test process.
pub(crate) fn send_with_env() -> &'static PathBuf {
    static EXAMPLE: OnceLock<PathBuf> = OnceLock::new();
    EXAMPLE.get_or_init(|| build_example("send_with_env"))
}

/// Builds one of mailtest-mailer's examples (a production program: it links
/// no harness) with this test's features, into this test's target directory.
pub(crate) fn build_example(name: &str) -> PathBuf {
    // target/<profile>/deps/integration-<hash> → target
    let test_exe = std::env::current_exe().unwrap();
    let profile_dir = test_exe.parent().and_then(|deps| deps.parent()).unwrap().to_owned();
    let target_dir = profile_dir.parent().unwrap();
    let selection: Vec<String> =
        if cfg!(all(feature = "smtp", feature = "tokio", feature = "dkim", feature = "sink-tls")) {
            vec!["--workspace".into(), "--all-features".into()]
        } else {
            let mut features = Vec::new();
            if cfg!(feature = "smtp") {
                features.push("smtp");
            }
            if cfg!(feature = "tokio") {
                features.push("tokio");
            }
            vec!["-p".into(), "mailtest-mailer".into(), format!("--features={}", features.join(","))]
        };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    // What cargo set for this test's package (CARGO_MANIFEST_DIR, CARGO_PKG_*, ...) must
    // not reach the build: build scripts that track them (ring's does) would rebuild.
    for (key, _) in std::env::vars_os() {
        let var = key.to_string_lossy();
        let per_package = ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_CRATE_", "CARGO_BIN_", "CARGO_PRIMARY_"]
            .iter()
            .any(|prefix| var.starts_with(prefix));
        if per_package || var == "CARGO_TARGET_TMPDIR" || var == "OUT_DIR" {
            command.env_remove(&key);
        }
    }
    let output = command
        .args(["build", "--quiet", "--example", name])
        .args(&selection)
        .arg("--target-dir")
        .arg(target_dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo build --example");
    assert!(
        output.status.success(),
        "cargo build --example {name} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let exe = profile_dir.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(exe.is_file(), "expected the example at {}", exe.display());
    exe
}

/// Runs the example with only the given `EMAIL_*` variables.
fn run(vars: &[(&str, &str)], to: &str) -> Output {
    let mut command = Command::new(send_with_env());
    for (key, _) in std::env::vars() {
        if key.starts_with("EMAIL_") {
            command.env_remove(key);
        }
    }
    command.envs(vars.iter().copied()).arg(to).output().expect("run send_with_env")
}

#[test]
fn mail_sent_by_another_process_is_loaded_and_asserted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outgoing");

    let output =
        run(&[("EMAIL_BACKEND", "file"), ("EMAIL_FILE_PATH", path.to_str().unwrap())], "ann@example.com");

    assert!(output.status.success(), "the child failed: {}", String::from_utf8_lossy(&output.stderr));
    let outbox = Outbox::load(&path).unwrap();
    assert_eq!(outbox.len(), 2);
    let report = outbox.find().to("ann@example.com").subject("Your report is ready").one();
    assert_eq!(report.links(), ["https://app.example.com/r/42"]);
    assert_eq!(report.mime_tree().content_type(), "multipart/alternative");
    let receipt = outbox.find().to("ann@example.com").subject("Receipt #42").one();
    assert_eq!(receipt.bcc(), ["audit@example.com"]);
    assert_eq!(receipt.envelope_from(), Some("billing@example.com"));
}

#[test]
fn the_child_reports_a_bad_file_path_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "keep me").unwrap();

    let output =
        run(&[("EMAIL_BACKEND", "file"), ("EMAIL_FILE_PATH", file.to_str().unwrap())], "ann@example.com");

    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(file.to_str().unwrap()), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}

#[test]
fn the_child_reports_a_bad_setting_naming_it() {
    let output = run(&[("EMAIL_BACKEND", "file"), ("EMAIL_PORT", "abc")], "ann@example.com");

    assert!(!output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        r#"mailtest: EMAIL_PORT="abc" is not valid: expected a port number from 1 to 65535"#
    );
}

/// `EMAIL_USE_LOCALTIME` (Django's `MailTimeZoneTests`): the `Date` of every
/// message — built by `send_mail` or by lettre — in the process's time zone;
/// UTC without it. `TZ` is a POSIX rule here (UTC+1 all year, like Django's
/// Africa/Algiers), so no time zone database is needed.
#[test]
fn email_use_localtime_writes_the_date_in_the_time_zone_of_the_process() {
    let dates = |localtime: &str| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_str().unwrap().to_owned();
        let vars = [
            ("EMAIL_BACKEND", "file"),
            ("EMAIL_FILE_PATH", &path),
            ("EMAIL_USE_LOCALTIME", localtime),
            ("TZ", "XYZ-1"),
        ];
        let output = run(&vars, "ann@example.com");
        assert!(output.status.success(), "the child failed: {}", String::from_utf8_lossy(&output.stderr));
        let outbox = Outbox::load(dir.path()).unwrap();
        outbox.emails().iter().map(|email| email.header("Date").unwrap().to_owned()).collect::<Vec<_>>()
    };

    let local = dates("true");
    let utc = dates("false");

    assert_eq!(local.len(), 2);
    assert!(local.iter().all(|date| date.ends_with(" +0100")), "{local:?}");
    assert!(utc.iter().all(|date| date.ends_with(" +0000")), "{utc:?}");
}
