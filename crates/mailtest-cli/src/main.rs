//! The `mailtest` command: see the library's docs (`mailtest_cli`).

fn main() -> std::process::ExitCode {
    mailtest_cli::run()
}
