//! The `mailtest` command, built here so that the interop tests get its
//! path (`CARGO_BIN_EXE_mailtest-for-interop`): the same `run` as mailtest-cli's binary.

fn main() -> std::process::ExitCode {
    mailtest_cli::run()
}
