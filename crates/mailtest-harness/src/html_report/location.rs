//! Where a failure report goes: `$MAILTEST_REPORT_DIR/<package>/<test
//! binary>/<test path>/`, by default under `<target dir>/mailtest/`.
//!
//! The package (`CARGO_PKG_NAME`, which cargo and nextest set for a test)
//! and the test binary (`tests/signup.rs` runs as `signup`, a crate's unit
//! tests as the crate) come before the test's path, so two tests of the
//! same name in different files or packages never share a folder; the
//! binary's build hash is left out, so a rebuilt test writes where it wrote
//! before and its report is replaced, not doubled.
//!
//! A failure message names the report, and a failure message is a value a
//! test may pin: so it names the default place as `target/mailtest/…`
//! (the target directory by its own name, not by where it sits on this
//! machine), which reads the same on every machine and opens from the
//! workspace root. A `MAILTEST_REPORT_DIR`, a place the user chose, is named
//! in full.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The folder that holds one folder per test: where it is, and how a
/// failure message names it.
#[derive(Clone, Debug)]
pub(crate) struct ReportRoot {
    pub(crate) path: PathBuf,
    pub(crate) shown: PathBuf,
}

/// The folder that holds one folder per test. Read once a process, like
/// the rest of the report's place: every test's capture asks.
pub(crate) fn report_root() -> &'static ReportRoot {
    static ROOT: OnceLock<ReportRoot> = OnceLock::new();
    ROOT.get_or_init(find_report_root)
}

fn find_report_root() -> ReportRoot {
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
/// `CACHEDIR.TAG` when it creates it, and with its `.rustc_info.json` on
/// every build (the tag is missing when something else made the folder: a
/// CI script, a cache restored): that finds it whatever `CARGO_TARGET_DIR`,
/// `--target` or the runner (cargo test, nextest) was. Doctests run from a
/// temporary folder, so then `CARGO_TARGET_DIR`, then the nearest `target/`
/// with a mark above `CARGO_MANIFEST_DIR` (a workspace shares one), then
/// `./target`.
fn target_dir() -> PathBuf {
    let tagged = |dir: &Path| dir.join("CACHEDIR.TAG").is_file() || dir.join(".rustc_info.json").is_file();
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

/// The running test's folder under the report root:
/// `<package>/<binary>/<test path>`.
pub(crate) fn test_folder() -> PathBuf {
    static PACKAGE_AND_BINARY: OnceLock<PathBuf> = OnceLock::new();
    let above = PACKAGE_AND_BINARY.get_or_init(|| {
        let package = std::env::var("CARGO_PKG_NAME").ok().filter(|name| !name.is_empty());
        [sanitise(package.as_deref().unwrap_or("unknown-package")), binary_name()].iter().collect()
    });
    above.join(test_folder_name())
}

/// The test binary's name without cargo's build hash: `signup-0a1b2c3d4e5f6a7b`
/// is `signup`.
fn binary_name() -> String {
    let exe = std::env::current_exe().ok();
    let stem =
        exe.as_deref().and_then(Path::file_stem).and_then(|stem| stem.to_str()).unwrap_or("unknown-binary");
    let name = match stem.rsplit_once('-') {
        Some((name, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => name,
        _ => stem,
    };
    sanitise(name)
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
    fn package_and_binary_keep_same_named_tests_apart() {
        let folder = test_folder();
        let parts: Vec<_> = folder.iter().map(|part| part.to_str().unwrap()).collect();
        assert_eq!(
            parts,
            [
                "mailtest-harness",
                "mailtest_harness",
                "html_report.location.tests.package_and_binary_keep_same_named_tests_apart"
            ]
        );
    }

    #[test]
    fn the_target_dir_of_this_test_binary_is_found() {
        let dir = target_dir();
        assert!(dir.join(".rustc_info.json").is_file(), "{}", dir.display());
    }
}
