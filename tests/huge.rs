//! Huge inputs build in reasonable time (each test well under 30 s in a
//! debug build on 2 cores): a 20 MB Markdown file and a programme of
//! 10,000 sessions. Nothing in the pipeline may be quadratic in the size
//! of one file. (A binary of its own, one test at a time, so that each
//! timing is of that test alone.)

mod common;

use std::time::{Duration, Instant};

use common::Fixture;

const LIMIT: Duration = Duration::from_secs(30);

/// One huge build at a time, so the timings are not of tests competing
/// with each other for the two cores.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// Size of the big Markdown files (MB); `HUGE_MB` overrides it to measure
/// how the time grows.
fn megabytes() -> usize {
    std::env::var("HUGE_MB")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(20)
}

#[test]
fn a_20_mb_markdown_file() {
    let mut text = String::from("---\ntitle: Groot\n---\n");
    let block = "## Kop\n\nEen alinea met **nadruk**, `code`, een [link](https://example.nl) en een voetnoot[^1].\n\n- een\n- lijst\n  - genest\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> citaat\n\n";
    while text.len() < megabytes() * 1024 * 1024 {
        text.push_str(block);
    }
    text.push_str("[^1]: De noot.\n");
    let site = Fixture::new().file("content/groot.md", &text);
    let _serial = one_at_a_time();
    let started = Instant::now();
    let summary = site.build().unwrap_or_else(|e| panic!("{e}"));
    let took = started.elapsed();
    eprintln!("20 MB Markdown: {took:?}");
    assert!(took < LIMIT, "took {took:?}");
    assert!(summary.pages >= 2);
    let html = site.read("groot/index.html");
    assert!(html.len() > megabytes() * 1024 * 1024);
}

#[test]
fn a_20_mb_markdown_file_with_raw_html() {
    // The sanitiser runs over the whole page once.
    let mut text = String::from("---\ntitle: Groot\n---\n");
    let block = "Een <b>vette</b> alinea met <script>x()</script> en <a href=\"javascript:x\">link</a>.\n\n<div class=\"blok\" onclick=\"x()\">\nblok\n</div>\n\n";
    while text.len() < megabytes() * 1024 * 1024 {
        text.push_str(block);
    }
    let site = Fixture::new().file("content/groot.md", &text);
    let _serial = one_at_a_time();
    let started = Instant::now();
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let took = started.elapsed();
    eprintln!("20 MB Markdown with raw HTML: {took:?}");
    assert!(took < LIMIT, "took {took:?}");
    let html = site.read("groot/index.html");
    assert!(!html.contains("onclick") && !html.contains("javascript:"));
}

/// `n` sessions in 100 rooms, 5 minutes each, no overlaps.
fn programme(n: usize) -> String {
    let rooms = 100;
    let mut y = String::from("kind: programme\ntitle: Grote dag\ndate: 2023-02-10\nrooms:\n");
    for r in 0..rooms {
        y.push_str(&format!("  - {{ id: zaal{r}, name: Zaal {r} }}\n"));
    }
    y.push_str("sessions:\n");
    for i in 0..n {
        let start = 8 * 60 + (i / rooms) * 5;
        let end = start + 5;
        y.push_str(&format!(
            "  - time: \"{}.{:02}-{}.{:02}\"\n    title: Sessie {i}\n    room: zaal{}\n    themagroep: woningmarkt\n    description: Over *wonen*.\n",
            start / 60,
            start % 60,
            end / 60,
            end % 60,
            i % rooms
        ));
    }
    y
}

#[test]
fn a_programme_of_10000_sessions() {
    let site = Fixture::new()
        .file(
            "content/netwerkdagen/_index.md",
            "---\ntitle: Netwerkdagen\n---\n",
        )
        .file("content/netwerkdagen/groot.yaml", &programme(10_000));
    let _serial = one_at_a_time();
    let started = Instant::now();
    let summary = site.build().unwrap_or_else(|e| panic!("{e}"));
    let took = started.elapsed();
    eprintln!("10,000 sessions: {took:?}, {} files", summary.files);
    assert!(took < LIMIT, "took {took:?}");
    assert!(
        site.read("netwerkdagen/groot/index.html")
            .contains("Sessie 9999")
    );
}

#[test]
fn a_programme_of_10000_sessions_with_one_error_at_the_end() {
    let mut text = programme(10_000);
    text.push_str("  - time: 25.00\n    title: Te laat\n    room: zaal1\n");
    let lines = text.lines().count();
    let site = Fixture::new()
        .file(
            "content/netwerkdagen/_index.md",
            "---\ntitle: Netwerkdagen\n---\n",
        )
        .file("content/netwerkdagen/groot.yaml", &text);
    let _serial = one_at_a_time();
    let started = Instant::now();
    let errors = site.errors();
    let took = started.elapsed();
    eprintln!("10,000 sessions, error: {took:?}");
    assert!(took < LIMIT, "took {took:?}");
    let d = errors
        .0
        .iter()
        .find(|d| d.message.contains("`25` is not a time"))
        .unwrap_or_else(|| panic!("{errors}"));
    assert_eq!(d.line, Some(lines - 2), "{d}");
}

#[test]
fn deep_nesting_with_raw_html() {
    // Found by fuzzing: the sanitiser's HTML parser is quadratic in the
    // nesting depth. Too deep, raw HTML is shown as text instead.
    let quotes = format!(
        "---\ntitle: Diep\n---\n{}Tekst <b onclick=\"x()\">vet</b>.\n",
        "> ".repeat(500_000)
    );
    let divs = format!("---\ntitle: Diep\n---\n{}Tekst\n", "<div>".repeat(200_000));
    let site = Fixture::new()
        .file("content/citaten.md", &quotes)
        .file("content/blokken.md", &divs);
    let _serial = one_at_a_time();
    let started = Instant::now();
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let took = started.elapsed();
    eprintln!("1 MB of nesting with raw HTML, twice: {took:?}");
    assert!(took < LIMIT, "took {took:?}");
    assert!(site.read("citaten/index.html").contains("&lt;b onclick"));
    assert!(site.read("blokken/index.html").contains("&lt;div&gt;"));
}
