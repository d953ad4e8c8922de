//! When a process counts as a test (see the module above), and whether an
//! SMTP server is one of its sinks.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, Ordering};

use super::made_a_capture;

/// Set before `main` when the binary contains mailtest's test harness.
static TEST_HARNESS: AtomicBool = AtomicBool::new(false);

/// Tells the rule that this binary contains a test harness: mailtest-harness
/// calls it from an initializer that runs before `main` (see the
/// [module](crate::guard) docs). It only sets a flag — it may run before the
/// standard library is set up, so it allocates nothing — and it is safe to
/// call at any time; a test harness of your own may call it too.
///
/// ```
/// mailtest_capture::mark_test_harness();
/// assert!(mailtest_capture::test_process().unwrap().contains("test harness"));
/// ```
pub fn mark_test_harness() {
    TEST_HARNESS.store(true, Ordering::Relaxed);
}

/// Whether the executable is a cargo test harness or a doctest: computed once.
static HARNESS_BINARY: LazyLock<Option<String>> = LazyLock::new(|| {
    let exe = std::env::current_exe().ok()?;
    is_test_binary(&exe).then(|| exe.display().to_string())
});

/// Why this process counts as a test process, if it does (see the
/// [module](crate::guard) docs).
///
/// ```
/// // A doctest runs from a cargo test binary.
/// assert!(mailtest_capture::test_process().is_some());
/// ```
pub fn test_process() -> Option<String> {
    if TEST_HARNESS.load(Ordering::Relaxed) {
        return Some("it contains mailtest's test harness".to_owned());
    }
    if made_a_capture() {
        return Some("it made a capture".to_owned());
    }
    HARNESS_BINARY.as_ref().map(|exe| format!("it runs from a cargo test binary, {exe}"))
}

/// Cargo's harness binaries: `…/deps/<crate>-<16 hex digits>`; rustdoc's
/// doctests: anything under a `rustdoctest…` directory.
fn is_test_binary(exe: &Path) -> bool {
    let in_rustdoc_dir = exe
        .ancestors()
        .any(|dir| dir.file_name().is_some_and(|n| n.to_string_lossy().starts_with("rustdoctest")));
    if in_rustdoc_dir {
        return true;
    }
    let in_deps = exe.parent().and_then(Path::file_name).is_some_and(|dir| dir == "deps");
    let Some(stem) = exe.file_stem().map(|s| s.to_string_lossy()) else { return false };
    let hashed = stem.rsplit_once('-').is_some_and(|(name, hash)| {
        !name.is_empty() && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit())
    });
    in_deps && hashed
}

/// Whether `host:port` is a live sink of this process. Only an IP literal or
/// `localhost` can be: any other name is not resolved (a lookup could leave
/// the machine), and so is never a sink.
///
/// ```
/// assert!(!mailtest_capture::is_local_sink("smtp.example.com", 25));
/// ```
pub fn is_local_sink(host: &str, port: u16) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    let candidates: Vec<IpAddr> = if host.eq_ignore_ascii_case("localhost") {
        vec![IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)]
    } else if let Ok(ip) = host.parse::<IpAddr>() {
        vec![ip]
    } else {
        return false;
    };
    super::sinks::any(|sink| {
        sink.port() == port
            && candidates
                .iter()
                .any(|ip| *ip == sink.ip() || (sink.ip().is_unspecified() && ip.is_loopback()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_harness_binaries_are_tests_and_program_binaries_are_not() {
        let cases = [
            ("/p/target/debug/deps/integration-2456f59bbefc92a9", true),
            ("/p/target/release/deps/capture-0123456789abcdef", true),
            ("/tmp/rustdoctestAbC123/rust_out", true),
            ("/p/target/debug/shop", false),
            ("/p/target/debug/examples/quickstart", false),
            ("/usr/local/bin/shop-0123456789abcdef", false),
            ("/p/target/debug/deps/libfoo-0123456789abcdeg", false),
            ("/p/target/debug/deps/-0123456789abcdef", false),
        ];
        for (path, expected) in cases {
            assert_eq!(is_test_binary(Path::new(path)), expected, "{path}");
        }
    }

    #[test]
    fn only_registered_loopback_addresses_are_sinks() {
        let addr = "127.0.0.1:1".parse().unwrap();
        assert!(!is_local_sink("127.0.0.1", 1));
        let registration = super::super::SinkRegistration::new(addr);
        assert!(is_local_sink("127.0.0.1", 1));
        assert!(is_local_sink("localhost", 1));
        assert!(is_local_sink("LOCALHOST", 1));
        assert!(!is_local_sink("127.0.0.1", 2));
        assert!(!is_local_sink("smtp.example.com", 1));
        assert!(!is_local_sink("::1", 1));
        drop(registration);
        assert!(!is_local_sink("127.0.0.1", 1));
    }
}
