//! Publication quality, checked by real checkers: axe-core (WCAG 2.1 A and
//! AA) in headless Chromium in the screen and print media, the W3C Nu HTML
//! Checker over the whole output, and the PDFs of `build --pdf` read back
//! with poppler. Plus the build errors that keep content accessible.
//!
//! The browser and checker tests are skipped (with the reason printed)
//! when a tool is missing, except with `CI=true`; `.ci/run` installs them.

use std::path::Path;

use crate::common::Fixture;
use crate::common::browser::{self, html_pages};
use g40site::BuildOptions;
use g40site::testing::StaticServer;

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
    // Redirect pages (old URLs, page 1 of a paginated listing) move the
    // browser on at once, under axe's feet; vnu checks their HTML.
    let pages: Vec<String> = html_pages(&out)
        .into_iter()
        .filter(|p| {
            let file = out.join(p.trim_start_matches('/'));
            let file = if p.ends_with('/') {
                file.join("index.html")
            } else {
                file
            };
            !std::fs::read_to_string(file)
                .unwrap_or_default()
                .contains("http-equiv=\"refresh\"")
        })
        .collect();
    assert!(pages.len() > 40, "{} pages", pages.len());
    assert_shows_a_responsive_photo(&out);
    let server = StaticServer::from_dir(&out, "").unwrap();
    let report = checkers.axe(&chromium, &server.origin(), &pages);
    verdict(
        "axe",
        &format!(
            "axe-core {} in Chromium {}: {} pages x 2 media = {} checks, {} violations; needs review (not failures): {:?}",
            report.axe_version,
            report.chromium_version,
            pages.len(),
            report.checks,
            report.violations.len(),
            report.incomplete
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
    assert_shows_a_responsive_photo(&out);
    let report = checkers.vnu(&out);
    let stylesheets = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "css"))
        .count();
    verdict(
        "vnu",
        &format!(
            "Nu HTML Checker {}: {} HTML files and {stylesheets} stylesheets, {} errors",
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

/// The report's chapter with the photo is among the pages checked, with
/// its copies (so axe and vnu see `srcset`, `sizes`, `width`, `height`),
/// on the chapter page and on the print page.
fn assert_shows_a_responsive_photo(out: &Path) {
    for page in [
        "jaarverslag/2023/deelnemende-steden/index.html",
        "jaarverslag/2023/print/index.html",
    ] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(
            html.contains("srcset=\"/jaarverslag/2023/stadsgezicht-480w.jpg 480w,")
                && html.contains(" sizes=\"")
                && html.contains("<figcaption>"),
            "{page}: no responsive photo"
        );
    }
    assert!(
        out.join("jaarverslag/2023/stadsgezicht-1600w.jpg")
            .is_file()
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
        .file("static/extra.css", "p { colr: red; }\n")
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
    assert!(
        vnu.errors
            .iter()
            .any(|(f, _, m, _)| f == "extra.css" && m.contains("colr")),
        "{}",
        vnu.describe()
    );
}

#[test]
fn an_image_without_alt_text_is_a_located_error() {
    let site = Fixture::new()
        .file(
            "content/pagina.md",
            "---\ntitle: Pagina\n---\nTekst.\n\nDe kaart: ![](kaart.png)\n\n![Kaart van de steden](kaart.png)\n",
        )
        .bytes("content/kaart.png", &crate::common::images::png(40, 30, 0));
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
    // Menu entries too.
    let site = Fixture::new()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.nl\nmenu:\n  - { title: VNG, path: \"https://vng.nl/\" }\n  - { title: Over, path: \"https://www.example.nl/over/\" }\n",
        )
        .built();
    let html = site.read("index.html");
    assert!(
        html.contains("<a href=\"https://vng.nl/\" class=\"external\">VNG<span class=\"visually-hidden\"> (externe link)</span></a>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://www.example.nl/over/\">Over</a>"),
        "{html}"
    );
}

/// The PDFs `build --pdf` writes for the example site, next to the pages
/// that link to them: (PDF, page linking to it).
const EXAMPLE_PDFS: [(&str, &str); 4] = [
    (
        "jaarverslag/2023/jaarverslag-2023.pdf",
        "jaarverslag/2023/index.html",
    ),
    (
        "netwerkdagen/2023-02-10-haarlem/programma-2023-02-10-haarlem.pdf",
        "netwerkdagen/2023-02-10-haarlem/index.html",
    ),
    (
        "bestuur/functies-2026/functies-2026.pdf",
        "bestuur/functies-2026/index.html",
    ),
    (
        "notas/2022-08-30-onderzoek-organisatie-g40/2022-08-30-onderzoek-organisatie-g40.pdf",
        "notas/2022-08-30-onderzoek-organisatie-g40/index.html",
    ),
];

#[test]
fn build_pdf_prints_every_document_tagged_with_outline_and_page_numbers() {
    let (Some(_), Some(poppler)) = (browser::chromium(), browser::poppler()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = browser::build_example(
        &dir.path().join("site"),
        BuildOptions {
            pdf: true,
            ..Default::default()
        },
    );
    for (pdf, page) in EXAMPLE_PDFS {
        let path = out.join(pdf);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{pdf}: {e}"));
        // Linked from its page.
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let href =
            format!("href=\"/{pdf}\" type=\"application/pdf\" download>Download als PDF</a>");
        assert!(html.contains(&href), "{page} does not link to {pdf}");
        // Tagged, with an outline, A4 (a programme's grid page is landscape).
        let info = poppler.info(&path);
        assert_eq!(info["Tagged"], "yes", "{pdf}");
        let doc = g40site::testing::pdf_reader::Document::parse(&bytes).expect("a PDF");
        assert!(doc.tagged, "{pdf}: no structure tree");
        assert!(doc.outline.len() >= 3, "{pdf}: outline {:?}", doc.outline);
        assert!(doc.outline.iter().all(|o| o.page.is_some()), "{pdf}");
        let count: usize = info["Pages"].parse().unwrap();
        assert_eq!(doc.pages.len(), count);
        for (n, p) in doc.pages.iter().enumerate() {
            let (w, h) = p.size();
            let (w, h) = if w > h { (h, w) } else { (w, h) };
            assert!(
                (w - 595.0).abs() < 1.5 && (h - 842.0).abs() < 1.5,
                "{pdf} page {} is {w}x{h} pt, not A4",
                n + 1
            );
        }
        // Page numbers in the margin, no browser header or footer (which
        // would show the address, the date and "n/N").
        for n in 2..=count {
            let text = poppler.page_text(&path, n, true);
            assert!(
                !text.contains("127.0.0.1"),
                "{pdf} page {n}: a browser footer"
            );
            assert!(!text.contains(&format!("{n}/{count}")), "{pdf} page {n}");
            let last = text
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            // "7", or "Pagina 7 van 13" on a programme.
            assert!(
                last.split_whitespace().any(|w| w == n.to_string()),
                "{pdf}: page {n} has no page number at the bottom: {last:?}"
            );
        }
        verdict(
            "pdf",
            &format!(
                "{pdf}: {count} pages, A4, tagged, {} outline entries",
                doc.outline.len()
            ),
        );
    }
    // The pages with their PDF links are valid HTML too.
    if let Some(checkers) = browser::checkers() {
        let report = checkers.vnu(&out);
        assert!(report.errors.is_empty(), "{}", report.describe());
    }

    // The report: its contents name the page each chapter starts on, as
    // poppler reads it back; the outline points at the same pages.
    let report = out.join(EXAMPLE_PDFS[0].0);
    let pages = poppler.pages(&report);
    let contents = poppler.page_text(&report, 2, true);
    assert!(contents.contains("Inhoudsopgave"), "{contents}");
    let entries: Vec<(String, usize)> = contents
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let (number, rest) = l.split_once(". ")?;
            number.parse::<usize>().ok()?;
            let (title, page) = rest.trim().rsplit_once(' ')?;
            Some((title.trim().to_string(), page.parse().ok()?))
        })
        .collect();
    assert_eq!(entries.len(), 6, "{contents}");
    let doc =
        g40site::testing::pdf_reader::Document::parse(&std::fs::read(&report).unwrap()).unwrap();
    for (n, (title, page)) in entries.iter().enumerate() {
        let start = pages
            .iter()
            .position(|p| p.starts_with(&format!("Hoofdstuk {} {title}", n + 1)))
            .unwrap_or_else(|| panic!("no page starts with chapter {title:?}"));
        assert_eq!(
            start + 1,
            *page,
            "the contents say {title:?} starts on page {page}"
        );
        let bookmark = doc
            .outline
            .iter()
            .find(|o| &o.title == title)
            .unwrap_or_else(|| panic!("no bookmark {title:?}: {:?}", doc.outline));
        assert_eq!(bookmark.page, Some(*page), "bookmark {title:?}");
    }
    verdict("pdf", &format!("report contents: {entries:?}"));
}

#[test]
fn build_pdf_without_chromium_names_the_flag_and_keeps_the_output() {
    let site = Fixture::new()
        .file(
            "content/notas/nota.md",
            "---\ntitle: Nota\nkind: note\ndate: 2025-01-02\nnote_type: Informatienota\norganisation: Gemeente Testdam\n---\nTekst.\n",
        )
        .built();
    let before = crate::common::snapshot(&site.out());
    let out = site.run(&["build", "--pdf", "--chromium", "/nonexistent/chromium"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--chromium"), "{stderr}");
    // None on PATH.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_g40site"))
        .args(["pdf"])
        .current_dir(site.root())
        .env("PATH", site.root().join("nothing-here"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no Chromium") || stderr.contains("none was found"),
        "{stderr}"
    );
    assert!(stderr.contains("--chromium PATH"), "{stderr}");
    // A Chromium that fails: the document is named, nothing is written.
    let out = site.run(&["pdf", "--chromium", "/bin/false"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot print /notas/nota/ to PDF"),
        "{stderr}"
    );
    assert!(stderr.contains("--> content/notas/nota.md"), "{stderr}");
    assert_eq!(
        crate::common::snapshot(&site.out()),
        before,
        "the output changed"
    );
}

/// A report below a base path: the PDF export serves and prints it there,
/// and its contents get page numbers.
#[test]
fn build_pdf_below_a_base_path() {
    let (Some(_), Some(poppler)) = (browser::chromium(), browser::poppler()) else {
        return;
    };
    let long = "Een alinea met tekst over de steden. ".repeat(120);
    let site = Fixture::new()
        .file("site.yaml", "title: T\nbase_url: https://example.nl/g40/\n")
        .file(
            "content/verslag/_index.md",
            "---\ntitle: Verslag 2025\nkind: report\n---\nInleiding.\n",
        )
        .file(
            "content/verslag/01-een.md",
            &format!("---\ntitle: Eerste hoofdstuk\n---\n{long}\n"),
        )
        .file(
            "content/verslag/02-twee.md",
            "---\ntitle: Tweede hoofdstuk\n---\nKort.\n",
        )
        .built();
    let result = site.build_with(BuildOptions {
        pdf: true,
        ..Default::default()
    });
    let summary = result.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(summary.pdfs, 1);
    let pdf = site.out().join("verslag/jaarverslag-verslag.pdf");
    let html = site.read("verslag/index.html");
    assert!(
        html.contains("href=\"/g40/verslag/jaarverslag-verslag.pdf\""),
        "{html}"
    );
    let contents = poppler.page_text(&pdf, 2, true);
    let pages = poppler.pages(&pdf);
    let first = pages
        .iter()
        .position(|p| p.starts_with("Hoofdstuk 1 Eerste hoofdstuk"))
        .unwrap()
        + 1;
    let second = pages
        .iter()
        .position(|p| p.starts_with("Hoofdstuk 2 Tweede hoofdstuk"))
        .unwrap()
        + 1;
    assert!(
        second > first + 1,
        "the first chapter is longer than a page"
    );
    for (title, page) in [("Eerste hoofdstuk", first), ("Tweede hoofdstuk", second)] {
        let line = contents
            .lines()
            .find(|l| l.contains(title))
            .unwrap_or_else(|| panic!("{title} not in the contents:\n{contents}"));
        assert!(
            line.trim_end().ends_with(&format!(" {page}")),
            "{line:?} should end in {page}"
        );
    }
    // Styles were found below the base path: the cover fills page 1.
    assert!(!pages[0].contains("Inhoudsopgave"), "{}", pages[0]);
}

#[test]
fn the_search_index_is_compact_and_groups_dutch_word_forms() {
    let site = Fixture::new()
        .file(
            "content/wonen.md",
            "---\ntitle: Wonen in de stad\nsummary: Over woningbouw.\n---\nDe woningen en de woning van het Rijk. Één café.\n",
        )
        .file("content/werk.md", "---\ntitle: Werk\n---\nBanen voor iedereen.\n")
        .built();
    let index: serde_json::Value = serde_json::from_str(&site.read("zoeken/index.json")).unwrap();
    let words = index["words"].as_object().unwrap();
    // Stop words are out; accents are gone; forms share their stem's list.
    for stop in ["de", "het", "en", "van"] {
        assert!(!words.contains_key(stop), "{stop} is indexed");
    }
    assert!(words.contains_key("cafe"));
    assert_eq!(words["woningen"], words["woning"]);
    let docs = index["docs"].as_array().unwrap();
    let wonen = docs
        .iter()
        .position(|d| d[1] == "/wonen/")
        .expect("the page is indexed");
    assert_eq!(docs[wonen][0], "Wonen in de stad");
    assert_eq!(docs[wonen][3], "Over woningbouw.");
    let group = words["woning"].as_u64().unwrap() as usize;
    let postings = index["postings"][group].as_array().unwrap();
    assert_eq!(postings.len(), 1);
    assert_eq!(postings[0][0], wonen as u64);
    // The search page works without JavaScript only to say it needs it.
    let page = site.read("zoeken/index.html");
    assert!(page.contains("<noscript><p class=\"notice\">Zoeken werkt alleen met JavaScript."));
    assert!(page.contains("role=\"search\""));
    assert!(page.contains("<label for=\"zoekterm\">Zoekwoorden</label>"));
    assert!(page.contains("id=\"zoekstatus\" class=\"search-status\" role=\"status\""));
    // Every page has the search form in its header.
    assert!(
        site.read("wonen/index.html")
            .contains("action=\"/zoeken/\"")
    );
}

#[test]
fn search_finds_word_forms_and_prefixes_in_the_browser_accessibly() {
    let (Some(chromium), Some(checkers)) = (browser::chromium(), browser::checkers()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = browser::build_example(&dir.path().join("site"), BuildOptions::default());
    let index = std::fs::metadata(out.join("zoeken/index.json"))
        .unwrap()
        .len();
    assert!(index < 150_000, "the index is {index} bytes");
    let server = StaticServer::from_dir(&out, "").unwrap();
    let dom = |query: &str| {
        let result = browser::run_chromium(
            &chromium,
            &[
                "--virtual-time-budget=10000".into(),
                "--dump-dom".into(),
                format!("{}/zoeken/?q={query}", server.origin()),
            ],
        );
        String::from_utf8_lossy(&result.stdout).into_owned()
    };
    // "woningen": the chapter on the pillar Fysiek says it; "woning" forms.
    let html = dom("woningen");
    let results = crate::common::between(
        &html,
        "<ol id=\"zoekresultaten\" class=\"search-results\">",
        "</ol>",
    );
    assert!(
        results.contains("href=\"/jaarverslag/2023/pijler-fysiek/\""),
        "{results}"
    );
    let status = crate::common::between(&html, "role=\"status\">", "</p>");
    let n = results.matches("<li>").count();
    assert!(n >= 2, "{results}");
    assert_eq!(status, format!("{n} resultaten voor ‘woningen’."));
    // A prefix finds the theme group; two words must both match.
    let html = dom("woningm");
    assert!(
        html.contains("href=\"/opgavegroepen/woningmarkt/\""),
        "{html}"
    );
    let html = dom("woningmarkt%20zzzqqq");
    assert!(
        html.contains("Geen resultaten voor ‘woningmarkt zzzqqq’."),
        "{html}"
    );
    // With the keyboard only: Tab to the field, type, Enter; focus stays
    // in the field, the status says how many, Tab reaches the results.
    let k = checkers.search_keyboard(&chromium, &server.origin(), "woningen");
    assert!(
        k["tabs"].as_u64().unwrap() < 30,
        "the field was not reached: {k}"
    );
    assert_eq!(k["afterEnter"]["id"], "zoekterm", "{k}");
    let n = k["results"].as_array().unwrap().len();
    assert!(n >= 2, "{k}");
    assert_eq!(k["status"], format!("{n} resultaten voor ‘woningen’."));
    assert_eq!(k["next"]["href"], k["results"][0], "{k}");
    assert!(
        k["url"].as_str().unwrap().ends_with("/zoeken/?q=woningen"),
        "{k}"
    );
    // The page with results passes axe too.
    let report = checkers.axe(&chromium, &server.origin(), &["/zoeken/?q=woningen".into()]);
    assert!(report.violations.is_empty(), "{}", report.describe());
}
