//! The HTML report and the live web UI in a real headless Chromium, driven
//! over WebDriver (Debian's `chromium` + `chromium-driver`).
//!
//! What a person would check, checked by the browser: the subject shows;
//! the HTML body renders in its frame with its `cid:` logo loaded; neither
//! a `<script>` nor an `onerror=` of the email runs; nothing remote is
//! fetched (a loopback server counting requests sees none, after a control
//! page shows it would); the phone / tablet / full switch changes the
//! frame's width; the live list shows a new email without a reload; in a
//! namespace, a search narrows the list and a delete removes one email, and
//! "Delete all" empties that namespace and no other.
//!
//! They belong to the interop package, which runs only when asked
//! (`cargo test -p mailtest-interop`, after `.ci/install-tools`): a missing
//! browser fails them, naming the install command. Screenshots land in
//! `target/tmp/browser/` (the workspace target).

mod counter;
mod webdriver;

#[path = "../support/serve.rs"]
mod serve;
#[path = "../../../tests/support/showcase.rs"]
mod showcase;

use std::path::PathBuf;
use std::time::Duration;

use counter::Counter;
use serve::Serve;
use webdriver::Browser;

/// How long the browser gets to do something it should (a live update, a
/// resize); the tests only wait that long when something is wrong.
const PATIENCE: Duration = Duration::from_secs(20);
/// How long after a page's load event anything the page might still fetch
/// by itself (a zero-second refresh, a late handler) gets, before the fence.
const SETTLE: Duration = Duration::from_millis(1500);

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Proves the counter is reachable and a script that may run is seen to:
/// without this, "nothing was fetched" and "no script ran" could pass
/// because the browser could not have done either.
fn control(browser: &Browser, counter: &Counter) {
    browser.goto(&format!("{}/control", counter.base));
    let greeting = browser.find("#greeting");
    assert_eq!(browser.text(&greeting), "script ran", "the control page's script runs");
    let seen = counter.take();
    assert!(seen.contains(&"/control-pixel.gif".to_owned()), "the browser reaches the counter: {seen:?}");
}

/// After `SETTLE`, loads a fence page from the counter: every request the
/// counter saw before it came from the page under test.
fn requests_before_fence(browser: &Browser, counter: &Counter) -> Vec<String> {
    std::thread::sleep(SETTLE);
    browser.goto(&format!("{}/fence", counter.base));
    let mut seen = counter.take();
    let fence = seen.iter().position(|path| path == "/fence").expect("the fence page was fetched");
    seen.truncate(fence);
    seen
}

/// Inside the email's frame (the current one): the body rendered, its
/// logo loaded from the `cid:` part, and no script of it ran.
fn check_frame(browser: &Browser, frame_css: &str) {
    let frame = browser.find(frame_css);
    browser.frame(Some(&frame));
    assert_eq!(browser.script("return location.href"), "about:srcdoc", "the frame never navigated");
    let greeting = browser.find("#greeting");
    assert_eq!(browser.text(&greeting), "Hi Ann, your order has shipped", "no <script> and no onerror= ran");
    let logo = browser.script("const img = document.getElementById('logo'); return [img.complete, img.naturalWidth, img.naturalHeight];");
    assert_eq!(logo, serde_json::json!([true, 24, 24]), "the cid: logo loaded from its part");
    let pixel = browser.script("return document.getElementById('pixel').naturalWidth");
    assert_eq!(pixel, 0, "the remote image did not load");
    browser.frame(None);
}

/// The width switch: phone and tablet narrow the frame, full width restores it.
fn check_widths(browser: &Browser, n: u64) {
    let frame = browser.find(&format!("#m-{n} iframe"));
    let full = browser.width(&frame);
    assert!(full > 800.0, "full width at first: {full}");
    for (button, width) in [("phone", 375.0), ("tablet", 768.0), ("full", full)] {
        browser.click(&browser.find(&format!("label[for='w-{n}-{button}']")));
        assert!(
            browser.wait_for(PATIENCE, |b| (b.width(&frame) - width).abs() < 0.5),
            "{button}: the frame is {} wide, expected {width}",
            browser.width(&frame)
        );
    }
}

#[test]
fn the_report_from_file_shows_the_mail_and_runs_or_fetches_nothing() {
    let browser = Browser::start();
    let counter = Counter::start();
    control(&browser, &counter);

    let outbox = mailtest::Outbox::new();
    outbox.capture_raw(Some("shop@example.com"), &["ann@example.com"], &showcase::showcase(&counter.base));
    outbox.capture_raw(None, &["bob@example.com"], &showcase::plain("Welcome, Bob", "bob@example.com"));
    let dir = tempfile::tempdir().unwrap();
    let index = outbox.write_report(dir.path()).unwrap();
    browser.goto(&format!("file://{}", index.display()));

    assert_eq!(browser.title(), "mailtest report: 2 emails");
    assert_eq!(browser.text(&browser.find("#m-1 h2")), format!("#1 {}", showcase::SUBJECT));
    assert_eq!(browser.text(&browser.find("#m-2 h2")), "#2 Welcome, Bob");
    assert_eq!(browser.script("return document.scripts.length"), 0, "the report has no script of its own");
    check_frame(&browser, "#m-1 iframe");
    check_widths(&browser, 1);
    browser.screenshot(&screenshots().join("report.png"));

    assert_eq!(requests_before_fence(&browser, &counter), Vec::<String>::new(), "nothing remote was fetched");
}

#[test]
fn the_live_ui_lists_new_mail_without_a_reload_and_shows_it_safely() {
    let browser = Browser::start();
    let counter = Counter::start();
    control(&browser, &counter);
    let serve = Serve::start();
    serve.send("shop@example.com", &["ann@example.com"], &showcase::showcase(&counter.base));
    assert_eq!(serve.get("/api/wait?count=1&timeout=10").0, 200);

    browser.goto(&serve.url("/"));
    assert_eq!(browser.title(), "mailtest: default");
    assert_eq!(browser.text(&browser.find("#messages tbody tr[data-n='1'] a")), showcase::SUBJECT);
    assert!(
        browser.wait_for(PATIENCE, |b| b.text(&b.find("#status")) == "live"),
        "the event stream connected"
    );
    browser.script("window.mailtestMarker = 'still the same page'; return null");

    serve.send(
        "shop@example.com",
        &["bob@example.com"],
        &showcase::plain("Arrived while watching", "bob@example.com"),
    );
    assert!(
        browser.wait_for(PATIENCE, |b| b.find_all("#messages tbody tr[data-n='2']").len() == 1),
        "the new email appeared in the list"
    );
    assert_eq!(browser.text(&browser.find("#messages tbody tr[data-n='2'] a")), "Arrived while watching");
    assert_eq!(browser.text(&browser.find("#count")), "2");
    assert_eq!(browser.script("return window.mailtestMarker"), "still the same page", "no reload");
    browser.screenshot(&screenshots().join("live-list.png"));

    browser.click(&browser.find("#messages tbody tr[data-n='1'] a"));
    assert_eq!(browser.text(&browser.find("#m-1 h2")), format!("#1 {}", showcase::SUBJECT));
    check_frame(&browser, "#m-1 iframe");
    check_widths(&browser, 1);
    browser.screenshot(&screenshots().join("live-email.png"));
    assert_eq!(requests_before_fence(&browser, &counter), Vec::<String>::new(), "nothing remote was fetched");

    browser.goto(&serve.url("/"));
    assert!(browser.wait_for(PATIENCE, |b| b.text(&b.find("#status")) == "live"));
    browser.click(&browser.find("#clear"));
    assert!(
        browser.wait_for(PATIENCE, |b| b.find_all("#messages tbody tr").is_empty()),
        "Delete all empties the list"
    );
    assert_eq!(serve.get("/api/messages").1.trim(), "[]");
}

/// The rows of the live list, as their numbers.
fn rows(browser: &Browser) -> Vec<String> {
    let numbers =
        browser.script("return [...document.querySelectorAll('#messages tbody tr')].map(tr => tr.dataset.n)");
    numbers.as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_owned()).collect()
}

#[test]
#[ignore = "needs Chromium: apt-get install chromium chromium-driver; then cargo test --all-features --test browser -- --ignored"]
fn in_a_namespace_the_live_ui_searches_and_deletes_and_leaves_other_namespaces_alone() {
    let browser = Browser::start();
    let serve = Serve::start();
    for (to, subject) in [
        ("ann+team@example.com", "Order 42 shipped"),
        ("bob+team@example.com", "Order 43 shipped"),
        ("carl+team@example.com", "Welcome, Carl"),
        ("dan@example.com", "Order 42 shipped elsewhere"),
    ] {
        serve.send("shop@example.com", &[to], &showcase::plain(subject, to));
    }
    assert_eq!(serve.get("/ns/team/api/wait?count=3&timeout=10").0, 200);

    browser.goto(&serve.url("/ns/team/"));
    assert_eq!(browser.title(), "mailtest: team");
    assert!(
        browser.wait_for(PATIENCE, |b| b.text(&b.find("#status")) == "live"),
        "the event stream connected"
    );
    assert_eq!(rows(&browser), ["1", "2", "3"]);
    assert_eq!(browser.text(&browser.find("nav.namespaces a[aria-current]")), "team");

    browser.type_into(&browser.find("#search"), "subject:\"order 42\"");
    assert!(
        browser.wait_for(PATIENCE, |b| rows(b) == ["1"]),
        "the search narrowed the list: {:?}",
        rows(&browser)
    );
    assert_eq!(browser.text(&browser.find("#messages tbody tr a")), "Order 42 shipped");
    assert_eq!(
        browser.script("return location.search"),
        "?q=subject%3A%22order%2042%22",
        "the search is in the URL"
    );
    browser.screenshot(&screenshots().join("live-search.png"));

    browser.script("const s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input')); return null");
    assert!(browser.wait_for(PATIENCE, |b| rows(b) == ["1", "2", "3"]), "all three again");
    browser.click(&browser.find("#messages tbody tr[data-n='2'] button.delete"));
    assert!(browser.wait_for(PATIENCE, |b| rows(b) == ["1", "3"]), "#2 deleted: {:?}", rows(&browser));
    assert_eq!(browser.text(&browser.find("#count")), "2");
    let left: serde_json::Value = serde_json::from_str(&serve.get("/ns/team/api/messages").1).unwrap();
    assert_eq!(left.as_array().unwrap().len(), 2, "deleted on the server too");

    browser.click(&browser.find("#clear"));
    assert!(browser.wait_for(PATIENCE, |b| rows(b).is_empty()), "Delete all empties the namespace");
    assert_eq!(serve.get("/ns/team/api/messages").1.trim(), "[]");
    let other: serde_json::Value = serde_json::from_str(&serve.get("/api/messages").1).unwrap();
    assert_eq!(other[0]["subject"], "Order 42 shipped elsewhere", "the default namespace keeps its mail");
}
