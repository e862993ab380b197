//! Role sets and notes on paper: the example site's print pages printed to
//! PDF by headless Chromium, then read back with `pdftotext`/`pdfinfo`.
//!
//! Skipped (with a message) when Chromium or poppler-utils are not
//! installed, unless `CI=true`.

use std::path::{Path, PathBuf};

use crate::common::browser::{self, Poppler};
use g40site::BuildOptions;

/// Chromium and poppler, or `None` (test skipped).
fn tools() -> Option<(PathBuf, Poppler)> {
    Some((browser::chromium()?, browser::poppler()?))
}

/// Build the example site for `file://` viewing and print `page` to a PDF
/// (links are root-relative, so the base path is the output folder
/// itself; `base_url` must be http(s)).
fn print_example(dir: &Path, chromium: &Path, page: &str) -> PathBuf {
    let out = dir.join("site");
    browser::build_example(
        &out,
        BuildOptions {
            base_url: Some(format!("http://localhost{}", out.display())),
            ..Default::default()
        },
    );
    let pdf = dir.join("print.pdf");
    browser::print_pdf(
        chromium,
        &format!("file://{}", out.join(page).display()),
        &pdf,
    );
    pdf
}

#[test]
fn the_note_prints_like_a_council_document() {
    let Some((chromium, poppler)) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pdf = print_example(
        dir.path(),
        &chromium,
        "notas/2022-08-30-onderzoek-organisatie-g40/index.html",
    );
    let pages = poppler.pages(&pdf);
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
    let Some((chromium, poppler)) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pdf = print_example(
        dir.path(),
        &chromium,
        "bestuur/functies-2026/print/index.html",
    );
    let pages = poppler.pages(&pdf);
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
