//! Publication quality, checked by real checkers: axe-core (WCAG 2.1 A and
//! AA) in headless Chromium in the screen and print media, the W3C Nu HTML
//! Checker over the whole output, and the PDFs of `build --pdf` read back
//! with poppler. Plus the build errors that keep content accessible.
//!
//! The browser and checker tests are skipped (with the reason printed)
//! when a tool is missing, except with `CI=true`; `.ci/run` installs them.

mod common;

use std::path::Path;

use common::Fixture;
use common::browser::{self, html_pages};
use g40site::BuildOptions;
use g40site::static_server::StaticServer;

/// Print the checkers' verdicts where `cargo test -- --nocapture` shows them.
fn verdict(what: &str, text: &str) {
    eprintln!("[{what}] {text}");
}

#[test]
fn every_page_of_the_example_site_passes_axe_in_screen_and_print() {
    let (Some(chromium), Some(checkers)) = (browser::chromium(), browser::checkers()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = browser::build_example(&dir.path().join("site"), BuildOptions::default());
    let pages = html_pages(&out);
    assert!(pages.len() > 40, "{} pages", pages.len());
    let server = StaticServer::from_dir(&out, "").unwrap();
    let report = checkers.axe(&chromium, &server.origin(), &pages);
    verdict(
        "axe",
        &format!(
            "axe-core {} in Chromium {}: {} pages x 2 media = {} checks, {} violations",
            report.axe_version,
            report.chromium_version,
            pages.len(),
            report.checks,
            report.violations.len()
        ),
    );
    assert_eq!(report.checks, pages.len() * 2);
    assert!(
        report.violations.is_empty(),
        "axe found violations:\n{}",
        report.describe()
    );
}

#[test]
fn the_whole_output_of_the_example_site_is_valid_html() {
    let Some(checkers) = browser::checkers() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = browser::build_example(&dir.path().join("site"), BuildOptions::default());
    let report = checkers.vnu(&out);
    verdict(
        "vnu",
        &format!(
            "Nu HTML Checker {}: {} HTML files, {} errors",
            report.version,
            html_pages(&out).len(),
            report.errors.len()
        ),
    );
    assert!(
        report.errors.is_empty(),
        "the Nu HTML Checker found errors:\n{}",
        report.describe()
    );
}

/// A site whose own template plants violations: the checkers must fail it.
#[test]
fn planted_violations_fail_both_checkers() {
    let (Some(chromium), Some(checkers)) = (browser::chromium(), browser::checkers()) else {
        return;
    };
    let site = Fixture::new()
        .file("content/pagina.md", "---\ntitle: Een pagina\n---\nTekst.\n")
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>\
             <p style=\"color:#bbb;background:#fff\">Te weinig contrast.</p>\
             <img src=\"/kaart.png\">\
             <p id=\"dubbel\">Een</p><p id=\"dubbel\">Twee</p>{% endblock content %}",
        )
        .built();
    let server = StaticServer::from_dir(&site.out(), "").unwrap();
    let report = checkers.axe(&chromium, &server.origin(), &["/pagina/".to_string()]);
    let rules = report.rules();
    for rule in ["color-contrast", "image-alt"] {
        assert!(
            rules.iter().any(|r| r == rule),
            "axe missed {rule}: {rules:?}"
        );
    }
    // Both media found them.
    assert!(report.violations.iter().any(|v| v.media == "print"));
    assert!(report.violations.iter().any(|v| v.media == "screen"));
    let vnu = checkers.vnu(&site.out());
    assert!(
        vnu.errors
            .iter()
            .any(|(f, _, m, _)| f == "pagina/index.html" && m.contains("Duplicate ID")),
        "{}",
        vnu.describe()
    );
    assert!(
        vnu.errors
            .iter()
            .any(|(f, _, m, _)| f == "pagina/index.html" && m.contains("alt")),
        "{}",
        vnu.describe()
    );
}

#[test]
fn an_image_without_alt_text_is_a_located_error() {
    let site = Fixture::new().file(
        "content/pagina.md",
        "---\ntitle: Pagina\n---\nTekst.\n\nDe kaart: ![](kaart.png)\n\n![Kaart van de steden](kaart.png)\n",
    );
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors}");
    let e = &errors.0[0];
    assert_eq!(e.file, Path::new("content/pagina.md"));
    assert_eq!((e.line, e.column), (Some(6), Some(11)));
    assert!(e.message.contains("alt text"), "{}", e.message);
    assert!(e.hint.as_deref().unwrap_or("").contains("!["));
}

#[test]
fn links_to_other_sites_are_marked_and_open_in_the_same_tab() {
    let site = Fixture::new()
        .file(
            "content/pagina.md",
            "---\ntitle: Pagina\n---\nZie [de VNG](https://vng.nl/) en [onze site](https://example.nl/over/).\n",
        )
        .built();
    let html = site.read("pagina/index.html");
    assert!(
        html.contains("<a href=\"https://vng.nl/\" class=\"external\">de VNG<span class=\"visually-hidden\"> (externe link)</span></a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"https://example.nl/over/\">onze site</a>"));
    assert!(!html.contains("target="));
}
