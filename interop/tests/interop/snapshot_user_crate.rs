//! The snapshot macros in a real user crate (`interop/user_crate/`), which
//! depends on mailtest and lettre but not on insta: it builds, its snapshot
//! lands where insta puts it for the user's test file, a changed email fails
//! under `CI=true` and writes nothing, `INSTA_UPDATE=always` writes it, and
//! `cargo insta test --accept` fills an inline snapshot in place.
//!
//! The crate is copied under `target/tmp/` and built into the workspace's
//! target directory, as `backend_process` builds its example: what it shares
//! with our build (the same versions, from our lock file, and features) is
//! reused, and later runs reuse the rest. Neither `cargo test` nor nextest
//! holds the target directory's lock while tests run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SNAPSHOT: &str = "tests/snapshots/welcome__welcome_email.snap";

struct UserCrate {
    dir: PathBuf,
    target: PathBuf,
}

impl UserCrate {
    /// A fresh copy of `interop/user_crate`, depending on this checkout of
    /// mailtest, with the workspace's lock file so it resolves offline to
    /// what we test.
    fn copy() -> UserCrate {
        let interop = Path::new(env!("CARGO_MANIFEST_DIR"));
        let repo = interop.parent().expect("the workspace root, above interop/");
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let dir = tmp.join("user_crate");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("remove the previous copy");
        }
        for file in ["Cargo.toml", "src/lib.rs", "tests/welcome.rs", "tests/accept.rs"] {
            let to = dir.join(file);
            std::fs::create_dir_all(to.parent().expect("a parent")).expect("create the copy's folders");
            std::fs::copy(interop.join("user_crate").join(file), &to).expect("copy the user crate");
        }
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("the copied manifest");
        let repo_path = repo.display().to_string().replace('\\', "/");
        let manifest =
            manifest.replace("path = \"../..\"", &format!("path = \"{repo_path}\"")) + &Self::same_profiles();
        std::fs::write(dir.join("Cargo.toml"), manifest).expect("point the copy at this checkout");
        std::fs::copy(repo.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy the lock file");
        // target/<profile>/deps/interop-<hash> → target
        let test_exe = std::env::current_exe().expect("the test binary");
        let target = test_exe.ancestors().nth(3).expect("the target directory").to_owned();
        UserCrate { dir, target }
    }

    /// Profile settings for the copy's manifest, so that it builds what it
    /// shares with mailtest's workspace exactly as the workspace did, and
    /// reuses it. The workspace's `.cargo/config.toml` (dependencies without
    /// debug info, a few optimised) applies by itself: the copy is under
    /// `target/`, inside the checkout. What it cannot say is the debug info of
    /// mailtest's own crates — members there, path dependencies here, where
    /// `package."*"` would take it away: they get a member's
    /// (`CARGO_PROFILE_DEV_DEBUG`, as `.ci/run` sets it, or cargo's default).
    fn same_profiles() -> String {
        let mut tables = String::from("\n");
        let debug = match std::env::var("CARGO_PROFILE_DEV_DEBUG") {
            Ok(value) if value.parse::<u8>().is_ok() || value == "true" || value == "false" => value,
            Ok(value) => format!("{value:?}"),
            Err(_) => String::from("true"),
        };
        // The crates a default `mailtest` dev-dependency builds: naming others
        // would make cargo warn that they match nothing.
        let names = [
            "mailtest",
            "mailtest-capture",
            "mailtest-harness",
            "mailtest-mailer",
            "mailtest-mime",
            "mailtest-sink",
        ];
        for name in names {
            tables.push_str(&format!("\n[profile.dev.package.{name}]\ndebug = {debug}\n"));
        }
        tables
    }

    /// `program args` in the copy, with none of the outer run's insta or CI
    /// settings (cargo insta sets some for the outer run) and only `env` added.
    fn run(&self, program: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(program);
        command.args(args).current_dir(&self.dir).env("CARGO_TARGET_DIR", &self.target);
        for (name, _) in std::env::vars() {
            if name.starts_with("INSTA_")
                || ["CI", "TF_BUILD", "CARGO_BUILD_TARGET_DIR"].contains(&name.as_str())
            {
                command.env_remove(name);
            }
        }
        command.envs(env.iter().copied());
        command.output().unwrap_or_else(|err| panic!("cannot run {program}: {err}"))
    }

    fn cargo_test(&self, test: &str, env: &[(&str, &str)]) -> Output {
        self.run(&cargo(), &["test", "--offline", "--test", test], env)
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.dir.join(file)).unwrap_or_else(|err| panic!("{file}: {err}"))
    }

    /// Every file insta writes for review, anywhere in the crate.
    fn pending(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.to_string_lossy().ends_with(".snap.new")
                    || path.to_string_lossy().ends_with(".pending-snap")
                {
                    found.push(path);
                }
            }
        }
        let mut found = Vec::new();
        walk(&self.dir, &mut found);
        found
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| String::from("cargo"))
}

fn report(output: &Output) -> String {
    format!(
        "exit: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn a_user_crate_without_insta_snapshots_its_emails() {
    let user = UserCrate::copy();
    let manifest = user.read("Cargo.toml");
    assert!(!manifest.lines().any(|line| line.trim_start().starts_with("insta")), "{manifest}");

    // Not under CI, told to write: the snapshot is created where insta puts
    // it for tests/welcome.rs, and records the user's expression.
    let created = user.cargo_test("welcome", &[("INSTA_UPDATE", "always")]);
    assert!(created.status.success(), "{}", report(&created));
    let snapshot = user.read(SNAPSHOT);
    assert!(snapshot.contains("\nexpression: email\n"), "{snapshot}");
    assert!(!snapshot.contains("__private") && !snapshot.contains("email_snapshot("), "{snapshot}");
    assert!(snapshot.contains("\nSubject: Welcome!\nDate: [date]\nMessage-ID: [message-id]\n"), "{snapshot}");

    // Under CI, the same email matches (new date, id: still equal).
    let matching = user.cargo_test("welcome", &[("CI", "true")]);
    assert!(matching.status.success(), "{}", report(&matching));

    // Under CI, a changed email fails with insta's diff and writes nothing.
    let changed = user.cargo_test("welcome", &[("CI", "true"), ("WELCOME_SUBJECT", "Welcome back!")]);
    assert!(!changed.status.success(), "a changed snapshot must fail under CI\n{}", report(&changed));
    assert!(
        report(&changed).contains("+Subject: Welcome back!"),
        "insta's diff is shown\n{}",
        report(&changed)
    );
    assert_eq!(user.pending(), Vec::<PathBuf>::new(), "nothing may be written under CI");
    assert_eq!(user.read(SNAPSHOT), snapshot, "the accepted snapshot is left alone");

    // Outside CI, the same change is written for review next to it.
    let for_review = user.cargo_test("welcome", &[("WELCOME_SUBJECT", "Welcome back!")]);
    assert!(!for_review.status.success(), "{}", report(&for_review));
    assert_eq!(user.pending(), [user.dir.join(format!("{SNAPSHOT}.new"))]);

    accept_inline_with_cargo_insta(&user);
}

/// `cargo insta test --accept` rewrites the empty `@""` in tests/accept.rs.
fn accept_inline_with_cargo_insta(user: &UserCrate) {
    crate::tools::require_cargo_insta(&cargo());

    for pending in user.pending() {
        std::fs::remove_file(pending).expect("remove what the previous step left for review");
    }

    let accepted = user.run(
        &cargo(),
        &["insta", "test", "--accept", "--test-runner", "cargo-test", "--test", "accept"],
        &[("CARGO_NET_OFFLINE", "true")],
    );

    assert!(
        accepted.status.success(),
        "{}\n(cargo-insta reads every crate of the lock file, offline: `.ci/install-tools` fetches them)",
        report(&accepted)
    );
    let source = user.read("tests/accept.rs");
    assert!(!source.contains("@\"\""), "the inline snapshot should be filled:\n{source}");
    assert!(source.contains("=== email 1 of 1 ===\n") && source.contains("Subject: Hello Bob\n"), "{source}");
    let again = user.cargo_test("accept", &[("CI", "true")]);
    assert!(again.status.success(), "the accepted inline snapshot should match\n{}", report(&again));
}
