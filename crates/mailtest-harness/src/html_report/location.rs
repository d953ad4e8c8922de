//! Where a failure report goes: `$MAILTEST_REPORT_DIR/<test name>/`, by
//! default `<target dir>/mailtest/<test name>/`.
//!
//! A failure message names the report, and a failure message is a value a
//! test may pin: so it names the default place as `target/mailtest/…`
//! (the target directory by its own name, not by where it sits on this
//! machine), which reads the same on every machine and opens from the
//! workspace root. A `MAILTEST_REPORT_DIR`, a place the user chose, is named
//! in full.

use std::path::{Path, PathBuf};

/// The folder that holds one folder per test: where it is, and how a
/// failure message names it.
pub(crate) struct ReportRoot {
    pub(crate) path: PathBuf,
    pub(crate) shown: PathBuf,
}

/// The folder that holds one folder per test.
pub(crate) fn report_root() -> ReportRoot {
    match std::env::var_os("MAILTEST_REPORT_DIR").filter(|dir| !dir.is_empty()) {
        Some(dir) => {
            let path = PathBuf::from(dir);
            ReportRoot { shown: std::path::absolute(&path).unwrap_or_else(|_| path.clone()), path }
        }
        None => {
            let target = target_dir();
            let name = target.file_name().map_or_else(|| PathBuf::from("target"), PathBuf::from);
            ReportRoot { path: target.join("mailtest"), shown: name.join("mailtest") }
        }
    }
}

/// The cargo target directory of the package under test.
///
/// A test binary lives in `<target>/<profile>/deps/` (or
/// `<target>/<triple>/<profile>/deps/`), and cargo marks `<target>` with a
/// `CACHEDIR.TAG`: that finds it whatever `CARGO_TARGET_DIR`, `--target` or
/// the runner (cargo test, nextest) was. Doctests run from a temporary
/// folder, so then `CARGO_TARGET_DIR`, then the nearest `target/` with the
/// tag above `CARGO_MANIFEST_DIR` (a workspace shares one), then `./target`.
fn target_dir() -> PathBuf {
    let tagged = |dir: &Path| dir.join("CACHEDIR.TAG").is_file();
    if let Ok(exe) = std::env::current_exe() {
        // deps, profile, then the target dir or a triple, then the target dir.
        if let Some(dir) = exe.ancestors().skip(2).take(3).find(|dir| tagged(dir)) {
            return dir.to_owned();
        }
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).filter(|dir| tagged(dir)) {
        return dir;
    }
    if let Some(manifest) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) {
        if let Some(dir) = manifest.ancestors().map(|dir| dir.join("target")).find(|dir| tagged(dir)) {
            return dir;
        }
        return manifest.join("target");
    }
    PathBuf::from("target")
}

/// The folder name for the running test: libtest names each test's thread
/// after the test (`module::test_name`), which becomes `module.test_name`.
/// Anything but letters, digits, `_`, `-` and `.` becomes `_`, a leading dot
/// is dropped (no hidden folder, never `..`), and the name is kept short.
pub(crate) fn test_folder_name() -> String {
    sanitise(std::thread::current().name().unwrap_or("unnamed-thread"))
}

pub(crate) fn sanitise(name: &str) -> String {
    const MAX: usize = 120;
    let mut out: String = name
        .replace("::", ".")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '_' })
        .collect();
    out = out.trim_start_matches('.').to_owned();
    out.truncate(MAX);
    if out.is_empty() { "unnamed".to_owned() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_names_become_safe_folder_names() {
        let cases = [
            ("sink::refuses_relay", "sink.refuses_relay"),
            ("..", "unnamed"),
            ("../../etc/passwd", "_.._etc_passwd"),
            ("a/b\\c d", "a_b_c_d"),
            ("<script>", "_script_"),
            ("", "unnamed"),
            ("tëst", "t_st"),
        ];
        for (name, folder) in cases {
            assert_eq!(sanitise(name), folder, "{name:?}");
        }
        assert_eq!(sanitise(&"x".repeat(500)).len(), 120);
    }

    #[test]
    fn the_test_thread_names_the_folder() {
        assert_eq!(test_folder_name(), "html_report.location.tests.the_test_thread_names_the_folder");
    }

    #[test]
    fn the_target_dir_of_this_test_binary_is_found() {
        let dir = target_dir();
        assert!(dir.join("CACHEDIR.TAG").is_file(), "{}", dir.display());
    }
}
