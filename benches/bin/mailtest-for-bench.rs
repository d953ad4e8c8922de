//! The `mailtest` command, for the `serve_namespaces` benchmark
//! (`CARGO_BIN_EXE_mailtest-for-bench`); named apart from mailtest-cli's
//! binary, so the two never share a file in `target/`.

fn main() -> std::process::ExitCode {
    mailtest_cli::run()
}
