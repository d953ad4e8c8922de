//! One page for the run: `index.html` and `summary.md` at the report root,
//! over every test folder that holds a report, rebuilt when reports are
//! written or stale ones removed.
//!
//! Both are made from the folders alone — sorted by package, binary and
//! test, with no time, duration or absolute path in them — so the same
//! failures give the same bytes on every run and machine.
//!
//! Cost: a process lists the folders once, when a capture first ends (a
//! passing test asks whether it left a report in an earlier run; when none
//! did, no test asks again), and reads the pages once, on the writer's
//! thread, when its first report is written; each change of its own is
//! applied to that, and the two files are written when the writer
//! ([`super::writer`]) has caught up. So a `cargo test` binary with many
//! failures pays one scan, not one per failure. Parallel processes
//! (nextest runs a process per test) need no lock: after its first write, a
//! process looks at the folders' names again and, if another process added
//! or removed one meanwhile, reads them all and writes once more, so the
//! last writer leaves an index of what is there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use mailtest_mailer::Error;

use super::super::page;
use super::super::write::replace;
use crate::html_report::location::ReportRoot;

/// How many times a writer rewrites an index that changed under it.
const ROUNDS: usize = 5;

/// What this process knows is in each index it keeps: by root, each report
/// by its folder (`package/binary/test`), and whether the files are behind.
static KNOWN: Mutex<Vec<Known>> = Mutex::new(Vec::new());

struct Known {
    root: ReportRoot,
    /// Read from the pages on the writer's thread when first needed, not
    /// by the test whose capture first asks about `earlier`.
    model: Option<BTreeMap<String, Reported>>,
    /// The folders that held a report when this process first looked, less
    /// those it removed since: the only ones a passing test may have to
    /// remove (this process writes a test's report only when it fails).
    earlier: BTreeSet<String>,
    /// The model changed since the files were written.
    behind: bool,
    /// The files were never written by this process: after they are, look
    /// again for what other processes did meanwhile.
    first: bool,
}

/// What just changed under the root.
pub(crate) enum Change {
    /// A report was written into `folder` (`package/binary/test`).
    Wrote(Reported),
    /// The report in `folder` was removed.
    Removed(String),
}

/// One test's report, as the index lists it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
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

/// Runs `f` on what this process knows of `root`, listing the folders the
/// first time.
fn with_known<T>(root: &ReportRoot, f: impl FnOnce(&mut Known) -> T) -> T {
    let mut known = KNOWN.lock().unwrap_or_else(PoisonError::into_inner);
    let at = match known.iter().position(|known| known.root.path == root.path) {
        Some(at) => at,
        None => {
            let earlier = report_folders(&root.path)
                .into_iter()
                .map(|(package, binary, test, _)| format!("{package}/{binary}/{test}"))
                .collect();
            known.push(Known { root: root.clone(), model: None, earlier, behind: false, first: true });
            known.len() - 1
        }
    };
    f(&mut known[at])
}

impl Known {
    /// Every report under the root, read from the pages the first time.
    fn model(&mut self) -> &mut BTreeMap<String, Reported> {
        self.model.get_or_insert_with(|| by_folder(scan(&self.root.path)))
    }
}

/// Whether the folders held a report for `folder` (`package/binary/test`)
/// when this process first looked, and it has not removed it since.
pub(crate) fn holds(root: &ReportRoot, folder: &str) -> bool {
    with_known(root, |known| known.earlier.contains(folder))
}

/// Whether the folders held any report when this process first looked
/// that it has not removed since: when not, a passing test has nothing to
/// remove.
pub(crate) fn held_any(root: &ReportRoot) -> bool {
    with_known(root, |known| !known.earlier.is_empty())
}

/// Takes `change` into what the index will show; [`write_behind`] writes it.
pub(crate) fn note(root: &ReportRoot, change: Change) {
    // The pages are read outside the lock: passing tests' captures take it
    // as they end, and must not wait for the disk.
    if with_known(root, |known| known.model.is_none()) {
        let model = by_folder(scan(&root.path));
        with_known(root, |known| {
            known.model.get_or_insert(model);
        });
    }
    with_known(root, |known| {
        match change {
            Change::Wrote(report) => known.model().insert(report.folder(), report),
            Change::Removed(folder) => {
                known.earlier.remove(&folder);
                known.model().remove(&folder)
            }
        };
        known.behind = true;
    });
}

/// Writes `index.html` and `summary.md` of every root whose model changed
/// since they were last written. The files are written outside the lock,
/// from a copy of the model: a passing test's capture asks [`holds`] as it
/// ends, and must not wait for the disk. (Only the writer's thread changes
/// the models, so nothing is noted meanwhile that the copy lacks.)
pub(crate) fn write_behind() -> Result<(), Error> {
    let behind: Vec<(ReportRoot, BTreeMap<String, Reported>, bool)> = {
        let mut known = KNOWN.lock().unwrap_or_else(PoisonError::into_inner);
        known
            .iter_mut()
            .filter_map(|known| {
                std::mem::take(&mut known.behind)
                    .then(|| (known.root.clone(), known.model().clone(), std::mem::take(&mut known.first)))
            })
            .collect()
    };
    for (root, mut model, first) in behind {
        write(&root, &model)?;
        if !first {
            continue;
        }
        // Other processes may have changed the folders since this one read them.
        for _ in 0..ROUNDS {
            if same_folders(&root.path, &model) {
                break;
            }
            model = by_folder(scan(&root.path));
            write(&root, &model)?;
        }
        with_known(&root, |known| known.model = Some(model));
    }
    Ok(())
}

/// Brings `index.html` and `summary.md` in `root` up to date after `changes`.
#[cfg(test)]
fn refresh(root: &ReportRoot, changes: Vec<Change>) -> Result<(), Error> {
    for change in changes {
        note(root, change);
    }
    write_behind()
}

fn by_folder(reported: Vec<Reported>) -> BTreeMap<String, Reported> {
    reported.into_iter().map(|report| (report.folder(), report)).collect()
}

fn write(root: &ReportRoot, model: &BTreeMap<String, Reported>) -> Result<(), Error> {
    let reported: Vec<&Reported> = model.values().collect();
    replace(&root.path.join("index.html"), page::run_index(&reported).as_bytes())?;
    replace(&root.path.join("summary.md"), summary(&reported, &root.shown).as_bytes())
}

/// Every `<package>/<binary>/<test>/index.html` under `root`, sorted, as
/// its page says of itself.
fn scan(root: &Path) -> Vec<Reported> {
    let mut reported: Vec<Reported> = report_folders(root)
        .into_iter()
        .filter_map(|(package, binary, test, dir)| {
            let (emails, headline) = page::read_report_head(&read_head(&dir.join("index.html")))?;
            Some(Reported { package, binary, test, emails, headline })
        })
        .collect();
    reported.sort();
    reported
}

/// The start of a page, where it says what it is: the first 64 KiB (its
/// stylesheet is about 10).
fn read_head(page: &Path) -> String {
    use std::io::Read;
    let mut head = Vec::new();
    if let Ok(file) = std::fs::File::open(page) {
        let _ = file.take(64 * 1024).read_to_end(&mut head);
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Whether the report folders under `root` are the ones `model` lists: a
/// look at the folders' names only, for what other processes did since
/// this one read them (they write the index themselves after a change to a
/// folder's contents).
fn same_folders(root: &Path, model: &BTreeMap<String, Reported>) -> bool {
    let folders = report_folders(root);
    folders.len() == model.len()
        && folders
            .iter()
            .all(|(package, binary, test, _)| model.contains_key(&format!("{package}/{binary}/{test}")))
}

/// `(package, binary, test, folder)` of every folder under `root` that
/// holds a report (an `index.html`).
fn report_folders(root: &Path) -> Vec<(String, String, String, PathBuf)> {
    let mut found = Vec::new();
    for (package, package_dir) in folders(root) {
        for (binary, binary_dir) in folders(&package_dir) {
            for (test, dir) in folders(&binary_dir) {
                if dir.join("index.html").is_file() {
                    found.push((package.clone(), binary.clone(), test, dir));
                }
            }
        }
    }
    found
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

    /// The tests here share what the process knows ([`KNOWN`]), and one
    /// of them forgets it on purpose: one at a time.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

    /// A report page for `folder` under `root`, as an earlier run left it.
    fn earlier_report(root: &Path, folder: &str) {
        let path = root.join(folder);
        std::fs::create_dir_all(&path).unwrap();
        let email = crate::email::Email::from_raw(&b"To: ann@example.com\r\nSubject: Hi\r\n\r\nHi"[..]);
        std::fs::write(
            path.join("index.html"),
            page::report(&[email], Some("earlier"), super::super::Target::Page),
        )
        .unwrap();
    }

    #[test]
    fn passing_tests_ask_only_about_reports_an_earlier_run_left() {
        let _one = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
        let dir = tempfile::tempdir().unwrap();
        let root = ReportRoot { path: dir.path().to_owned(), shown: PathBuf::from("target/mailtest") };
        earlier_report(dir.path(), "shop/orders/left_before");
        assert!(held_any(&root) && holds(&root, "shop/orders/left_before"));
        assert!(!holds(&root, "shop/orders/other"));

        // A report this process writes is indexed, but no passing test has
        // to remove it: it is not an earlier run's.
        earlier_report(dir.path(), "shop/orders/failed_now");
        let now = Reported {
            package: "shop".into(),
            binary: "orders".into(),
            test: "failed_now".into(),
            emails: 1,
            headline: Some("now".into()),
        };
        refresh(&root, vec![Change::Wrote(now)]).unwrap();
        assert!(!holds(&root, "shop/orders/failed_now"));
        let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
        assert!(
            index.contains("shop/orders/left_before/index.html"),
            "pages read when first indexed: {index}"
        );
        assert!(index.contains("shop/orders/failed_now/index.html"), "{index}");

        std::fs::remove_dir_all(dir.path().join("shop/orders/left_before")).unwrap();
        refresh(&root, vec![Change::Removed("shop/orders/left_before".into())]).unwrap();
        assert!(!held_any(&root), "nothing left for a passing test to remove");
        let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
        assert!(!index.contains("left_before") && index.contains("failed_now"), "{index}");
    }

    #[test]
    fn the_index_lists_each_report_folder_sorted_and_the_same_bytes_twice() {
        let _one = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
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
            let email = crate::email::Email::from_raw(&b"To: ann@example.com\r\nSubject: Hi\r\n\r\nHi"[..]);
            let page = page::report(&[email], failure, super::super::Target::Page);
            std::fs::write(path.join("index.html"), page).unwrap();
        }
        std::fs::create_dir_all(dir.path().join("shop/signup/no_report")).unwrap();

        refresh(&root, vec![Removed("none/such/test".into())]).unwrap();
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

        KNOWN.lock().unwrap().clear();
        refresh(&root, vec![Removed("none/such/test".into())]).unwrap();
        assert_eq!(std::fs::read(dir.path().join("index.html")).unwrap(), index, "the same bytes");
        std::fs::remove_dir_all(dir.path().join("shop/orders")).unwrap();
        refresh(&root, vec![Removed("shop/orders/b_test".into())]).unwrap();
        let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
        assert!(!index.contains("shop/orders") && index.contains("shop/signup"), "{index}");
        // Written over the longer one in place: nothing of it is left at the end.
        let summary = std::fs::read(dir.path().join("summary.md")).unwrap();
        KNOWN.lock().unwrap().clear();
        std::fs::remove_file(dir.path().join("index.html")).unwrap();
        std::fs::remove_file(dir.path().join("summary.md")).unwrap();
        refresh(&root, vec![Removed("none/such/test".into())]).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("index.html")).unwrap(), index, "as if new");
        assert_eq!(std::fs::read(dir.path().join("summary.md")).unwrap(), summary, "as if new");
    }
}
