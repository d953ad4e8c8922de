//! Programs some tests run (swaks, curl, python3 with aiosmtpd, cargo-insta,
//! setpriv). A missing one fails the test that needs it, naming the command
//! that installs it: a test never returns early and reports "ok" for work it
//! did not do. `.ci/run` installs every one of them.

use std::process::{Command, Stdio};

/// Fails unless `program` runs (`program version_arg` exits with success);
/// the message names `install`, the command that provides it.
#[track_caller]
pub(crate) fn require(program: &str, version_arg: &str, install: &str) {
    let runs = Command::new(program)
        .arg(version_arg)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(runs, "this test needs {program}, which is not installed: `{install}` (`.ci/run` installs it)");
}

/// Fails unless python3 can import `module`, naming the pip command.
#[track_caller]
pub(crate) fn require_python_module(module: &str) {
    require("python3", "--version", "apt-get install python3 python3-pip");
    let imports = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        imports,
        "this test needs python3 with {module}: `python3 -m pip install {module}` (`.ci/run` installs it)"
    );
}
