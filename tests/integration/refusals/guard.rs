//! The guard's production side: the app of the leak table
//! (`tests/guard_leaks.rs`) as a production program still delivers.

/// The same app as a production program (`lettre_app`, built with the
/// `smtp` feature): every message of its five patterns reaches the sink,
/// where cargo put it and copied to a path like a test binary's own.
#[cfg(feature = "smtp")]
#[test]
fn the_production_app_delivers_five_of_five_wherever_it_lives() {
    use std::process::Command;

    let sink = mailtest::SmtpSink::start().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let built = crate::backend_process::build_example("lettre_app");
    let copies = [built.clone(), super::copied::copy_to(&built, dir.path(), "lettre_app-0123456789abcdef")];
    let url = format!("smtp://127.0.0.1:{}", sink.port());

    for (n, exe) in copies.iter().enumerate() {
        let to = format!("ann{n}.app@example.com");
        let output = super::copied::output_of(Command::new(exe).env_clear().env("SMTP_URL", &url).arg(&to));

        assert!(output.status.success(), "{}: {}", exe.display(), String::from_utf8_lossy(&output.stderr));
        sink.outbox().find().to(to.as_str()).count(5);
    }
}
