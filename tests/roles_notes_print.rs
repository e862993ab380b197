//! Role sets and notes on paper: the example site's print pages printed to
//! PDF by headless Chromium, then read back with `pdftotext`/`pdfinfo`.
//!
//! Skipped (with a message) when Chromium or poppler-utils are not
//! installed, unless `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Command;

use g40site::BuildOptions;

fn tool(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|c| c.is_file())
    })
}

/// Chromium and poppler, or `None` (test skipped).
fn tools() -> Option<(PathBuf, PathBuf, PathBuf)> {
    let found = (
        tool(&["chromium", "chromium-browser", "google-chrome"]),
        tool(&["pdftotext"]),
        tool(&["pdfinfo"]),
    );
    match found {
        (Some(c), Some(t), Some(i)) => Some((c, t, i)),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true but chromium or poppler-utils are missing")
        }
        _ => {
            eprintln!("skipped: install the Debian packages `chromium` and `poppler-utils`");
            None
        }
    }
}

/// Build the example site for `file://` viewing and print `page` to a PDF.
fn print_example(dir: &Path, chromium: &Path, page: &str) -> PathBuf {
    let out = dir.join("site");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    g40site::build(
        root,
        &BuildOptions {
            output: Some(out.clone()),
            base_url: Some(format!("file://{}", out.display())),
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let pdf = dir.join("print.pdf");
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", out.join(page).display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start chromium");
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within two minutes");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(pdf.is_file(), "chromium wrote no PDF");
    pdf
}

/// The text of each page of `pdf`, white space collapsed (lines wrap
/// where the layout makes them).
fn pages(pdftotext: &Path, pdfinfo: &Path, pdf: &Path) -> Vec<String> {
    let info = Command::new(pdfinfo).arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let size = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or_default();
    assert!(size.contains("(A4)"), "not A4: {size}");
    let count: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    (1..=count)
        .map(|n| {
            let out = Command::new(pdftotext)
                .args(["-f", &n.to_string(), "-l", &n.to_string()])
                .arg(pdf)
                .arg("-")
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn the_note_prints_like_a_council_document() {
    let Some((chromium, pdftotext, pdfinfo)) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pdf = print_example(
        dir.path(),
        &chromium,
        "notas/2022-08-30-onderzoek-organisatie-g40/index.html",
    );
    let pages = pages(&pdftotext, &pdfinfo, &pdf);
    // Page 1: the form. Letterhead, metadata, summary, decision, signatures.
    let first = &pages[0];
    for text in [
        "Gemeente Haarlem",
        "INFORMATIENOTA",
        "Onderwerp",
        "Kernboodschap",
        "Behandelvoorstel",
        "Relevante eerdere besluiten",
        "Besluit College",
        "30 augustus 2022",
        "de secretaris,",
        "de burgemeester,",
    ] {
        assert!(first.contains(text), "page 1 lacks {text:?}:\n{first}");
    }
    assert!(!first.contains("Inleiding"), "chapters start on page 2");
    assert!(!first.contains("Raadsinformatie"), "no site menu on paper");
    // Page 2 starts with the first chapter.
    assert!(
        pages[1].starts_with("1. Inleiding"),
        "page 2:\n{}",
        pages[1]
    );
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert!(pages.last().unwrap().contains("5. Bijlage"));
}

#[test]
fn the_role_set_prints_one_role_per_page() {
    let Some((chromium, pdftotext, pdfinfo)) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pdf = print_example(
        dir.path(),
        &chromium,
        "bestuur/functies-2026/print/index.html",
    );
    let pages = pages(&pdftotext, &pdfinfo, &pdf);
    let first = &pages[0];
    assert!(first.contains("Beschrijving functies G40"));
    assert!(first.contains("De functies in één oogopslag"));
    assert!(first.contains("Tijdsbeslag, bezoldiging en ambtelijke ondersteuning per functie"));
    assert!(first.contains("0,75"));
    // Every role starts at the top of a page, in order.
    let mut last = 0;
    for (n, title) in [
        "Voorzitter",
        "Eerste vicevoorzitter",
        "Tweede vicevoorzitter",
        "Pijlervoorzitter",
        "Pijler-vicevoorzitter",
    ]
    .iter()
    .enumerate()
    {
        let heading = format!("{}. {title}", n + 1);
        let page = pages
            .iter()
            .position(|p| p.starts_with(&heading) && p.contains("Taken"))
            .unwrap_or_else(|| panic!("no page starts with {heading:?}"));
        assert!(page > last, "{heading} after the role before it");
        last = page;
    }
}
