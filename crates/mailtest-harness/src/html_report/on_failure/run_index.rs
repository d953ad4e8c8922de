//! One page for the run: `index.html` and `summary.md` at the report root,
//! over every test folder that holds a report, rebuilt whenever a report is
//! written or a stale one removed.
//!
//! Both are made from the folders alone — sorted by package, binary and
//! test, with no time, duration or absolute path in them — so the same
//! failures give the same bytes on every run and machine. Writers need no
//! lock (tests of one process and of parallel processes write at once):
//! each writes a temporary file and renames it over the old, then reads
//! the folders again and writes once more if they changed meanwhile, so
//! the last writer always leaves an index of what is there.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use mailtest_mailer::Error;

use super::super::page;
use crate::html_report::location::ReportRoot;

/// The file each report folder keeps its failure's text in.
pub(crate) const FAILURE_FILE: &str = "failure.txt";

/// How many times a writer rewrites an index that changed under it.
const ROUNDS: usize = 5;

static NEXT_TEMP: AtomicU64 = AtomicU64::new(1);

/// One test's report, as the index lists it.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Reported {
    pub(crate) package: String,
    pub(crate) binary: String,
    pub(crate) test: String,
    pub(crate) emails: usize,
    /// The first line of the failure, when an assertion failed.
    pub(crate) headline: Option<String>,
}

impl Reported {
    /// `package/binary/test`, the folder under the root.
    pub(crate) fn folder(&self) -> String {
        format!("{}/{}/{}", self.package, self.binary, self.test)
    }
}

/// Rebuilds `index.html` and `summary.md` in `root` from its folders.
pub(crate) fn refresh(root: &ReportRoot) -> Result<(), Error> {
    let mut written = None;
    for _ in 0..ROUNDS {
        let reported = scan(&root.path);
        if written.as_ref() == Some(&reported) {
            return Ok(());
        }
        write_atomically(&root.path.join("index.html"), page::run_index(&reported).as_bytes())?;
        write_atomically(&root.path.join("summary.md"), summary(&reported, &root.shown).as_bytes())?;
        written = Some(reported);
    }
    Ok(())
}

/// Every `<package>/<binary>/<test>/index.html` under `root`, sorted.
fn scan(root: &Path) -> Vec<Reported> {
    let mut reported = Vec::new();
    for (package, package_dir) in folders(root) {
        for (binary, binary_dir) in folders(&package_dir) {
            for (test, dir) in folders(&binary_dir) {
                if !dir.join("index.html").is_file() {
                    continue;
                }
                let emails = std::fs::read_dir(&dir)
                    .map(|listing| {
                        listing
                            .flatten()
                            .filter(|entry| entry.file_name().to_string_lossy().ends_with(".eml"))
                            .count()
                    })
                    .unwrap_or(0);
                let headline = std::fs::read_to_string(dir.join(FAILURE_FILE))
                    .ok()
                    .and_then(|text| text.lines().next().map(str::to_owned));
                reported.push(Reported {
                    package: package.clone(),
                    binary: binary.clone(),
                    test,
                    emails,
                    headline,
                });
            }
        }
    }
    reported.sort();
    reported
}

/// The sub-folders of `dir` (not hidden), by name.
fn folders(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(listing) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut folders: Vec<(String, PathBuf)> = listing
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .filter_map(|entry| Some((entry.file_name().into_string().ok()?, entry.path())))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    folders.sort();
    folders
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let temp = path.with_extension(format!(
        "{}.{}.tmp",
        std::process::id(),
        NEXT_TEMP.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&temp, bytes).map_err(|e| Error::io("write", &temp, &e))?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Error::io("write", path, &e)
    })
}

/// The Markdown a CI job appends to its run summary
/// (`cat target/mailtest/summary.md >> "$GITHUB_STEP_SUMMARY"`).
fn summary(reported: &[Reported], shown_root: &Path) -> String {
    let root = shown_root.display().to_string().replace('\\', "/");
    if reported.is_empty() {
        return "### mailtest: no test left a mail report\n".to_owned();
    }
    let tests = if reported.len() == 1 { "1 test".to_owned() } else { format!("{} tests", reported.len()) };
    let mut out =
        format!("### mailtest: {tests} with a mail report\n\n| Test | Emails | Why |\n|---|---:|---|\n");
    for report in reported {
        let why = report.headline.as_deref().unwrap_or("(the test failed outside mailtest's assertions)");
        out.push_str(&format!(
            "| {} › {} › {} | {} | {} |\n",
            cell(&report.package),
            cell(&report.binary),
            cell(&report.test),
            report.emails,
            cell(why)
        ));
    }
    out.push_str(&format!(
        "\nEach report: `{root}/<package>/<binary>/<test>/index.html`; all of them: `{root}/index.html` \
         (keep `{root}/` as an artifact to open them).\n"
    ));
    out
}

/// Text that stays text in a Markdown table cell (GitHub's flavour, where
/// HTML is markup too), at most 300 characters.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (count, c) in text.chars().enumerate() {
        if count == 300 {
            out.push('…');
            break;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_cells_keep_text_as_text() {
        assert_eq!(cell("a|b <script> *x* `c` [l](u)"), "a\\|b &lt;script&gt; \\*x\\* \\`c\\` \\[l\\](u)");
        assert_eq!(cell(&"x".repeat(400)).chars().count(), 301);
    }

    #[test]
    fn the_index_lists_each_report_folder_sorted_and_the_same_bytes_twice() {
        let dir = tempfile::tempdir().unwrap();
        let root = ReportRoot { path: dir.path().to_owned(), shown: PathBuf::from("target/mailtest") };
        for (folder, failure) in [
            (
                "shop/signup/b_test",
                Some("expected exactly 1 email matching to=ann@example.com; found 0\nmore"),
            ),
            ("shop/orders/b_test", None),
            ("app/app/tests.a", Some("expected no email; found 1 | <b>")),
        ] {
            let path = dir.path().join(folder);
            std::fs::create_dir_all(&path).unwrap();
            std::fs::write(path.join("index.html"), "report").unwrap();
            std::fs::write(path.join("01.eml"), "x").unwrap();
            if let Some(failure) = failure {
                std::fs::write(path.join(FAILURE_FILE), failure).unwrap();
            }
        }
        std::fs::create_dir_all(dir.path().join("shop/signup/no_report")).unwrap();

        refresh(&root).unwrap();
        let listed: Vec<String> = scan(dir.path()).iter().map(Reported::folder).collect();
        assert_eq!(listed, ["app/app/tests.a", "shop/orders/b_test", "shop/signup/b_test"]);
        let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
        assert!(summary.starts_with("### mailtest: 3 tests with a mail report\n"), "{summary}");
        assert!(
            summary.contains("| app › app › tests.a | 1 | expected no email; found 1 \\| &lt;b&gt; |\n"),
            "{summary}"
        );
        let index = std::fs::read(dir.path().join("index.html")).unwrap();
        assert!(String::from_utf8_lossy(&index).contains("href=\"shop/signup/b_test/index.html\""));

        refresh(&root).unwrap();
        assert_eq!(std::fs::read(dir.path().join("index.html")).unwrap(), index, "the same bytes");
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"));
        assert_eq!(leftovers.count(), 0);
    }
}
