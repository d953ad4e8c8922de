//! One page for the run: `index.html` and `summary.md` at the report root,
//! over every test folder that holds a report, rebuilt whenever a report is
//! written or a stale one removed.
//!
//! Both are made from the folders alone — sorted by package, binary and
//! test, with no time, duration or absolute path in them — so the same
//! failures give the same bytes on every run and machine.
//!
//! Cost: a process reads the folders once, at its first change, and keeps
//! what it found; each later change of its own is applied to that and the
//! two files written again. So a `cargo test` binary with many
//! failures pays one scan, not one per failure. Parallel processes (nextest
//! runs a process per test) need no lock: a process that scanned reads the
//! folders again after writing and writes once more if they changed
//! meanwhile, so the last writer leaves an index of what is there.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use mailtest_mailer::Error;

use super::super::page;
use super::super::write::replace;
use crate::html_report::location::ReportRoot;

/// The file each report folder keeps its failure's text in.
pub(crate) const FAILURE_FILE: &str = "failure.txt";

/// How many times a writer rewrites an index that changed under it.
const ROUNDS: usize = 5;

/// What this process knows is in the index: the root it scanned, and each
/// report by its folder (`package/binary/test`).
static KNOWN: Mutex<Option<(PathBuf, BTreeMap<String, Reported>)>> = Mutex::new(None);

/// What just changed under the root.
pub(crate) enum Change {
    /// A report was written into `folder` (`package/binary/test`).
    Wrote(Reported),
    /// The report in `folder` was removed.
    Removed(String),
}

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

/// Brings `index.html` and `summary.md` in `root` up to date after `change`.
pub(crate) fn refresh(root: &ReportRoot, change: Change) -> Result<(), Error> {
    let mut known = KNOWN.lock().unwrap_or_else(PoisonError::into_inner);
    let (model, scanned) = match &mut *known {
        Some((scanned, model)) if *scanned == root.path => {
            match change {
                Change::Wrote(report) => model.insert(report.folder(), report),
                Change::Removed(folder) => model.remove(&folder),
            };
            (model, false)
        }
        // The first change of this process: what is there, this change included.
        _ => (&mut known.insert((root.path.clone(), by_folder(scan(&root.path)))).1, true),
    };
    write(root, model)?;
    if scanned {
        // Other processes may have changed the folders since this one read them.
        for _ in 0..ROUNDS {
            let now = by_folder(scan(&root.path));
            if now == *model {
                break;
            }
            *model = now;
            write(root, model)?;
        }
    }
    Ok(())
}

fn by_folder(reported: Vec<Reported>) -> BTreeMap<String, Reported> {
    reported.into_iter().map(|report| (report.folder(), report)).collect()
}

fn write(root: &ReportRoot, model: &BTreeMap<String, Reported>) -> Result<(), Error> {
    let reported: Vec<&Reported> = model.values().collect();
    replace(&root.path.join("index.html"), page::run_index(&reported).as_bytes())?;
    replace(&root.path.join("summary.md"), summary(&reported, &root.shown).as_bytes())
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

/// The Markdown a CI job appends to its run summary
/// (`cat target/mailtest/summary.md >> "$GITHUB_STEP_SUMMARY"`).
fn summary(reported: &[&Reported], shown_root: &Path) -> String {
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
        use Change::Removed;
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

        refresh(&root, Removed("none/such/test".into())).unwrap();
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

        *KNOWN.lock().unwrap() = None;
        refresh(&root, Removed("none/such/test".into())).unwrap();
        assert_eq!(std::fs::read(dir.path().join("index.html")).unwrap(), index, "the same bytes");
        std::fs::remove_dir_all(dir.path().join("shop/orders")).unwrap();
        refresh(&root, Removed("shop/orders/b_test".into())).unwrap();
        let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
        assert!(!index.contains("shop/orders") && index.contains("shop/signup"), "{index}");
        // Written over the longer one in place: nothing of it is left at the end.
        let summary = std::fs::read(dir.path().join("summary.md")).unwrap();
        *KNOWN.lock().unwrap() = None;
        std::fs::remove_file(dir.path().join("index.html")).unwrap();
        std::fs::remove_file(dir.path().join("summary.md")).unwrap();
        refresh(&root, Removed("none/such/test".into())).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("index.html")).unwrap(), index, "as if new");
        assert_eq!(std::fs::read(dir.path().join("summary.md")).unwrap(), summary, "as if new");
    }
}
