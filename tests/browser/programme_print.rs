//! The example site's networkday programme in headless Chromium: the
//! print page puts the whole grid on one A4 landscape page (its links all
//! on page 1, not shrunk), and on a phone's width the page does not scroll
//! sideways. (The rest of the programme tests are in the fast suite,
//! `programme`.)

use std::path::{Path, PathBuf};

use crate::common::browser::{build_example, chromium, run_chromium};
use crate::common::html::attrs;
use crate::common::span;
use g40site::BuildOptions;

/// Build the example site so that its pages work from `file://` (links
/// are root-relative, so the base path is the output folder itself).
fn build_example_for_browser(dir: &Path) -> PathBuf {
    let out = dir.join("site");
    build_example(
        &out,
        BuildOptions {
            base_url: Some(format!("http://localhost{}", out.display())),
            ..Default::default()
        },
    )
}

#[test]
fn print_page_puts_the_whole_grid_on_one_a4_landscape_page() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = build_example_for_browser(dir.path());
    let page = out.join("netwerkdagen/2023-02-10-haarlem/print/index.html");
    let pdf_path = dir.path().join("programma.pdf");
    let result = run_chromium(
        &bin,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf_path.display()),
            format!("file://{}", page.display()),
        ],
    );
    let bytes = std::fs::read(&pdf_path).unwrap_or_else(|e| {
        panic!(
            "no PDF ({e}); chromium said:\n{}",
            String::from_utf8_lossy(&result.stderr)
        )
    });
    let pages = g40site::testing::pdf_reader::Document::parse(&bytes)
        .expect("a PDF")
        .pages;
    assert!(pages.len() >= 2, "{} pages", pages.len());
    let (w, h) = pages[0].size();
    assert!(
        (w - 842.0).abs() < 1.5 && (h - 595.0).abs() < 1.5,
        "page 1 is {w}x{h} pt, not A4 landscape"
    );
    for (n, p) in pages.iter().enumerate().skip(1) {
        let (w, h) = p.size();
        assert!(
            (w - 595.0).abs() < 1.5 && (h - 842.0).abs() < 1.5,
            "page {} is {w}x{h} pt, not A4 portrait",
            n + 1
        );
    }
    // The grid's cells link to the descriptions (internal destinations).
    // All of them are on page 1, inside the page: the grid fits. A grid
    // that overflowed would continue on a second landscape page and leave
    // sessions off page 1.
    let sessions: std::collections::BTreeSet<String> = {
        let html = std::fs::read_to_string(&page).unwrap();
        let grid = span(&html, "<table class=\"programme-grid\">", "</table>");
        attrs(grid, "href")
            .iter()
            .map(|h| h[1..].to_string())
            .collect()
    };
    // 26: the networking room is a room open all day, not a session.
    assert_eq!(sessions.len(), 26);
    let on_page_1: std::collections::BTreeSet<String> = pages[0]
        .links
        .iter()
        .map(|(dest, _)| dest.clone())
        .collect();
    assert_eq!(on_page_1, sessions, "every grid cell is on page 1");
    for (dest, rect) in &pages[0].links {
        assert!(
            rect[0] >= 0.0 && rect[1] >= 0.0 && rect[2] <= w && rect[3] <= h,
            "link to {dest} at {rect:?} lies outside page 1"
        );
    }
    // Chromium shrinks a page that is too wide to fit: the grid would
    // still be on page 1, but smaller. Its links are lines of text of at
    // least 8pt, so a link box lower than 8pt means the grid was shrunk.
    for (dest, rect) in &pages[0].links {
        assert!(
            rect[3] - rect[1] >= 8.0,
            "link to {dest} is {:.1}pt high: the grid was shrunk to fit",
            rect[3] - rect[1]
        );
    }
    // The descriptions follow on the next pages, each session once.
    assert!(
        pages[1..]
            .iter()
            .all(|p| p.links.iter().all(|(d, _)| !sessions.contains(d)))
    );
}

#[test]
fn phone_layout_has_no_sideways_scrolling() {
    let Some(bin) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = build_example_for_browser(dir.path());
    let page = out.join("netwerkdagen/2023-02-10-haarlem/index.html");
    // Headless windows are at least 500px wide: show the page in a 390px
    // frame (an iPhone's width) and report its widths once loaded.
    let probe = page.with_file_name("probe.html");
    std::fs::write(
        &probe,
        "<!DOCTYPE html><html><body style=\"margin:0\">\
         <iframe id=\"phone\" src=\"index.html\" style=\"width:390px;height:844px;border:0\"></iframe>\
         <script>addEventListener('load', () => { const d = document.getElementById('phone').contentDocument; \
         document.body.dataset.widths = d.documentElement.scrollWidth + 'x' + d.defaultView.innerWidth; \
         document.body.dataset.articles = d.querySelectorAll('article.session').length; \
         document.body.dataset.grid = getComputedStyle(d.querySelector('.programme-grid-section')).display; });</script>\
         </body></html>",
    )
    .unwrap();
    let result = run_chromium(
        &bin,
        &[
            "--allow-file-access-from-files".into(),
            "--virtual-time-budget=5000".into(),
            "--dump-dom".into(),
            format!("file://{}", probe.display()),
        ],
    );
    let dom = String::from_utf8_lossy(&result.stdout);
    let widths = attrs(&dom, "data-widths");
    let (scroll, inner) = widths
        .first()
        .and_then(|w| w.split_once('x'))
        .unwrap_or_else(|| {
            panic!(
                "no widths reported; chromium said:\n{}",
                String::from_utf8_lossy(&result.stderr)
            )
        });
    let (scroll, inner): (u32, u32) = (scroll.parse().unwrap(), inner.parse().unwrap());
    assert_eq!(inner, 390, "viewport");
    assert!(
        scroll <= inner,
        "the page is {scroll}px wide on a {inner}px screen"
    );
    // The list (the phone layout) has every session; the grid is hidden.
    assert_eq!(attrs(&dom, "data-articles"), ["26"]);
    assert_eq!(attrs(&dom, "data-grid"), ["none"]);
}

/// The two-day example of docs/programme.md ("Events of several days"),
/// printed with `g40site build --pdf` in the site folder: each day's grid
/// on an A4 landscape page of its own, then the descriptions in portrait.
#[test]
fn an_event_of_two_days_prints_each_day_on_its_own_landscape_page() {
    let Some(_) = chromium() else { return };
    let Some(poppler) = crate::common::browser::poppler() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/programme.md")).unwrap();
    let section = span(&doc, "## Events of several days", "```\n\n");
    let yaml = &section[section.find("```yaml\n").unwrap() + 8..section.len() - 5];
    let data = |name: &str| std::fs::read_to_string(root.join("content/_data").join(name)).unwrap();
    let site = crate::common::Fixture::new()
        .file("content/_data/pijlers.yaml", &data("pijlers.yaml"))
        .file(
            "content/_data/themagroepen.yaml",
            &data("opgavegroepen.yaml"),
        )
        .file("content/netwerkdagen/2026-09-10-den-bosch.yaml", yaml);
    site.run_ok(&["build", "--pdf"]);
    let pdf: PathBuf = walkdir::WalkDir::new(site.out())
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .find(|p| {
            p.extension().is_some_and(|x| x == "pdf")
                && p.to_string_lossy().contains("2026-09-10-den-bosch")
        })
        .expect("the event's PDF");
    let bytes = std::fs::read(&pdf).unwrap();
    let pages = g40site::testing::pdf_reader::Document::parse(&bytes)
        .expect("a PDF")
        .pages;
    let texts = poppler.pages(&pdf);
    assert!(pages.len() >= 3, "{} pages: {texts:#?}", pages.len());
    let landscape = |n: usize| {
        let (w, h) = pages[n].size();
        (w - 842.0).abs() < 1.5 && (h - 595.0).abs() < 1.5
    };
    // Page 1: the first day's grid alone; page 2: the second day's.
    assert!(
        landscape(0) && landscape(1),
        "pages 1 and 2 are not landscape"
    );
    assert!(
        texts[0].contains("donderdag 10 september 2026"),
        "{}",
        texts[0]
    );
    assert!(
        texts[0].contains("Pijlerbijeenkomst Sociaal"),
        "{}",
        texts[0]
    );
    assert!(!texts[0].contains("Grote zaal"), "{}", texts[0]);
    assert!(
        texts[1].contains("vrijdag 11 september 2026"),
        "{}",
        texts[1]
    );
    assert!(texts[1].contains("Grote zaal"), "{}", texts[1]);
    assert!(!texts[1].contains("Burgerzaal"), "{}", texts[1]);
    // Then the descriptions, in portrait.
    for n in 2..pages.len() {
        assert!(!landscape(n), "page {} is landscape", n + 1);
    }
}
