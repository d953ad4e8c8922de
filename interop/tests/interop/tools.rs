//! Programs the interop tests drive (swaks, curl, python3 with aiosmtpd,
//! cargo-insta). A missing one fails the test that needs it, naming the
//! command that installs it: a test never returns early and reports "ok"
//! for work it did not do. `.ci/install-tools` installs every one of them.

use std::process::{Command, Stdio};

/// Fails unless `program args..` runs and exits with success; the message
/// names `install`, the command that provides the program.
#[track_caller]
pub(crate) fn require_command(program: &str, args: &[&str], install: &str) {
    let runs = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        runs,
        "this test needs `{program} {}`, which does not run here: `{install}` (`.ci/install-tools` installs it)",
        args.join(" ")
    );
}

/// Fails unless `program version_arg` runs, naming `install`.
#[track_caller]
pub(crate) fn require(program: &str, version_arg: &str, install: &str) {
    require_command(program, &[version_arg], install);
}

/// Fails unless python3 can import `module`, naming the pip command.
#[track_caller]
pub(crate) fn require_python_module(module: &str) {
    require("python3", "--version", "apt-get install python3 python3-pip");
    require_command(
        "python3",
        &["-c", &format!("import {module}")],
        &format!("python3 -m pip install {module}"),
    );
}

/// Fails unless `cargo insta` runs (cargo-insta, a cargo subcommand).
#[track_caller]
pub(crate) fn require_cargo_insta(cargo: &str) {
    require_command(
        cargo,
        &["insta", "--version"],
        "python3 -m pip install astral-dev-toolchain-cargo-insta, or cargo install cargo-insta --locked",
    );
}
