//! The lint sweep: every message of the shared real-world corpus
//! (`../shared/corpus`, or `$MAILTEST_CORPUS`) linted under every rule —
//! the bulk profile and a base URL, so that none is skipped — and its
//! diagnostics written out, plain and coloured. No rule may fail
//! (`lint-panicked`) and nothing may panic.
//!
//! Ignored by `cargo test`: `.ci/run` runs it as its own bounded step with
//! `cargo test --all-features --test integration lint_corpus -- --ignored`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mailtest::lint::Profile;
use mailtest::{Email, LintConfig};

/// The corpus holds 1,003 messages and 35 mbox files: a sweep that finds
/// far fewer is reading the wrong folder.
const AT_LEAST: usize = 1_000;

fn corpus_dir() -> PathBuf {
    match std::env::var_os("MAILTEST_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    }
}

fn files(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|err| {
        panic!(
            "cannot read the corpus at {}: {err}\n\
             The sweep needs the shared corpus next to the project (../shared/corpus); \
             point MAILTEST_CORPUS at it if it is elsewhere.",
            dir.display()
        )
    });
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files(&path, found);
        } else if path.extension().is_none_or(|ext| ext != "md") {
            found.push(path);
        }
    }
}

#[test]
#[ignore = "a sweep over the shared corpus: `.ci/run` runs it as its own step"]
fn no_lint_fails_or_panics_on_any_corpus_message() {
    let mut paths = Vec::new();
    files(&corpus_dir(), &mut paths);
    paths.sort();
    assert!(paths.len() >= AT_LEAST, "only {} files under {}", paths.len(), corpus_dir().display());

    let every_rule = LintConfig::new().profile(Profile::Bulk).base_url("https://example.com");
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut failed = Vec::new();
    for path in &paths {
        let raw = std::fs::read(path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
        let email = Email::from_raw(raw);
        for lints in [email.lint(), email.lint_with(&every_rule)] {
            let (plain, colored) = (lints.to_string(), format!("{lints:#}"));
            assert!(!plain.is_empty() && colored.len() >= plain.len());
            if lints.contains("lint-panicked") {
                failed.push(format!("{}:\n{plain}", path.display()));
            }
        }
        for lint in &email.lint_with(&every_rule) {
            *by_code.entry(lint.code().to_owned()).or_default() += 1;
        }
    }
    println!("linted {} files; lints by code (bulk profile, base URL https://example.com):", paths.len());
    for (code, count) in &by_code {
        println!("  {code:<24} {count}");
    }
    assert!(failed.is_empty(), "{} messages made a rule fail:\n\n{}", failed.len(), failed.join("\n\n"));
}
