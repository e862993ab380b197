//! What the pages themselves show an editor, read back from the real
//! binary's output in the site folder: code colours with enough contrast,
//! soft hyphens in long Dutch words on pages but not in the exports, the
//! footer's address after a signature and its footnotes (issue 12). The
//! printed PDFs of the same issue are in the `browser` binary (`pdf`).

use crate::common::Fixture;

/// Every `#rrggbb` colour rule of a stylesheet: selector, colour, and the
/// rule's own background colour if it sets one.
fn colour_rules(css: &str) -> Vec<(String, [u8; 3], Option<[u8; 3]>)> {
    let mut out = Vec::new();
    let mut rest = css;
    while let (Some(open), Some(close)) = (rest.find('{'), rest.find('}')) {
        if close < open {
            rest = &rest[close + 1..];
            continue;
        }
        let selector = rest[..open].rsplit("*/").next().unwrap().trim().to_string();
        let body = &rest[open + 1..close];
        let value = |property: &str| {
            body.split(';').find_map(|d| {
                let (n, v) = d.split_once(':')?;
                (n.trim() == property)
                    .then(|| g40site::testing::parse_hex(v.trim()))
                    .flatten()
            })
        };
        if let Some(colour) = value("color") {
            out.push((selector, colour, value("background-color")));
        }
        rest = &rest[close + 1..];
    }
    out
}

#[test]
fn every_highlight_colour_of_the_default_theme_has_4_5_to_1_contrast() {
    let site = Fixture::new().file(
        "content/handleiding.md",
        "---\ntitle: Handleiding\n---\n```yaml\n# een opmerking\ntitle: Jaarverslag 2024\nyear: 2024\ndraft: true\nmenu:\n  - { title: Home, path: / }\n```\n\n```rust\nfn main() { let x = \"tekst\"; println!(\"{x}\"); } // opmerking\n```\n",
    );
    site.run_ok(&["build"]);
    let page = site.read("handleiding/index.html");
    assert!(page.contains("class=\"hl-"), "no highlighting:\n{page}");
    let highlight = site.read("highlight.css");
    // What code is drawn on: `pre.code` of the screen and print styles.
    let mut backgrounds = Vec::new();
    for sheet in ["style.css", "print.css"] {
        let css = site.read(sheet);
        for (selector, _, _) in colour_rules(&css) {
            let _ = selector;
        }
        let rule = css
            .split('}')
            .find(|r| r.trim_start().starts_with("pre.code"))
            .unwrap_or_else(|| panic!("{sheet} styles no pre.code"));
        let bg = rule
            .split(';')
            .find_map(|d| {
                let (n, v) = d.split_once(':')?;
                matches!(
                    n.trim().rsplit('{').next()?.trim(),
                    "background" | "background-color"
                )
                .then(|| g40site::testing::parse_hex(v.split_whitespace().next()?))
                .flatten()
            })
            .unwrap_or_else(|| panic!("{sheet}: pre.code has no background colour: {rule}"));
        backgrounds.push(bg);
    }
    let rules = colour_rules(&highlight);
    assert!(rules.len() > 20, "{} rules", rules.len());
    let mut failures = Vec::new();
    for (selector, colour, own) in &rules {
        let on: Vec<[u8; 3]> = match own {
            Some(bg) => vec![*bg],
            None => backgrounds.clone(),
        };
        for bg in on {
            let ratio = g40site::testing::contrast(*colour, bg);
            if ratio < 4.5 {
                failures.push(format!("{selector}: {colour:?} on {bg:?} is {ratio:.2}:1"));
            }
        }
    }
    assert!(failures.is_empty(), "below 4.5:1:\n{}", failures.join("\n"));
}

#[test]
fn long_dutch_words_get_soft_hyphens_on_pages_but_not_in_exports() {
    const SHY: char = '\u{AD}';
    let site = Fixture::new()
        .file(
            "content/netwerkdagen/2026-09-10-zwolle.yaml",
            "kind: programme\ntitle: Pijlerbijeenkomst\ndate: 2026-09-10\ncity: Zwolle\nrooms:\n  - { id: zaal1, name: Zaal 1 }\n  - { id: zaal2, name: Zaal 2 }\nsessions:\n  - time: 10.00-11.00\n    title: Pijlerbijeenkomst Sociaal\n    room: zaal1\n    description: Over de gemeentefinanciën.\n  - time: 10.00-11.00\n    title: Gemeentefinanciën\n    room: zaal2\n",
        )
        .file(
            "content/financien.md",
            "---\ntitle: Gemeentefinanciën\nsummary: Over Gemeentefinanciën.\n---\n## Pijlerbijeenkomst\n\n| Onderwerp | Stand |\n|---|---|\n| Gemeentefinanciën | Voortgangsrapportage |\n\nGemeentefinanciën in de lopende tekst.\n",
        );
    site.run_ok(&["build"]);
    let page = site.read_raw("financien/index.html");
    assert!(
        page.contains(">Ge\u{AD}meen\u{AD}te\u{AD}fi\u{AD}nan\u{AD}ci\u{AD}ën</h1>"),
        "title heading: {page}"
    );
    assert!(
        page.contains("Pij\u{AD}ler\u{AD}bij\u{AD}een\u{AD}komst"),
        "heading: {page}"
    );
    assert!(
        page.contains("<td>Ge\u{AD}meen\u{AD}te\u{AD}fi\u{AD}nan\u{AD}ci\u{AD}ën</td>"),
        "table cell: {page}"
    );
    // Running text, the title, ids and meta are left alone.
    assert!(
        page.contains("<p>Gemeentefinanciën in de lopende tekst.</p>"),
        "{page}"
    );
    let head = crate::common::between(&page, "<head>", "</head>");
    assert!(!head.contains(SHY), "soft hyphen in <head>:\n{head}");
    for attr in page
        .split('<')
        .filter_map(|tag| tag.split_once('>').map(|t| t.0))
    {
        assert!(!attr.contains(SHY), "soft hyphen in a tag: <{attr}>");
    }
    let grid = site.read_raw("netwerkdagen/2026-09-10-zwolle/index.html");
    assert!(
        grid.contains("Pij\u{AD}ler\u{AD}bij\u{AD}een\u{AD}komst Sociaal</a>"),
        "grid cell: {grid}"
    );
    // The exports and the search index never.
    for file in [
        "zoeken/index.json",
        "netwerkdagen/2026-09-10-zwolle/programma.ics",
        "netwerkdagen/2026-09-10-zwolle/schedule.json",
        "netwerkdagen/2026-09-10-zwolle/schedule.xml",
    ] {
        let text = site.read_raw(file);
        assert!(!text.contains(SHY), "{file} contains a soft hyphen");
        assert!(
            text.contains("Pijlerbijeenkomst") || text.contains("emeentefinanci"),
            "{file} lacks the words"
        );
    }
    assert!(!site.read_raw("sitemap.xml").contains(SHY));
    for entry in walkdir::WalkDir::new(site.out()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|x| x == "ics") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                !text.contains(SHY),
                "{} contains a soft hyphen",
                entry.path().display()
            );
        }
    }
}

#[test]
fn the_footer_shows_the_address_and_a_signature_comes_before_the_footnotes() {
    let site = Fixture::new()
        .file(
            "site.yaml",
            "title: Testsite\nbase_url: https://example.nl\norganisation:\n  name: G40 Stedennetwerk\n  address: Postbus 123, 3500 AA Utrecht\n  email: info@example.nl\n",
        )
        .file("content/jaarverslag/2023/_index.md", "---\nkind: report\ntitle: Jaarverslag 2023\nyear: 2023\n---\nInleiding.\n")
        .file(
            "content/jaarverslag/2023/01-voorwoord.md",
            "---\ntitle: Voorwoord\nsigned: Paul Depla, voorzitter\n---\nTekst met een noot.[^1]\n\n[^1]: De noot.\n",
        );
    site.run_ok(&["build"]);
    for page in ["index.html", "jaarverslag/2023/voorwoord/index.html"] {
        let html = site.read(page);
        let footer = crate::common::between(&html, "<footer", "</footer>");
        assert!(
            footer.contains("Postbus 123, 3500 AA Utrecht"),
            "{page}: no address in the footer:\n{footer}"
        );
    }
    for page in [
        "jaarverslag/2023/voorwoord/index.html",
        "jaarverslag/2023/print/index.html",
    ] {
        let html = site.read(page);
        crate::common::assert_in_order(
            &html,
            &[
                "Tekst met een noot.",
                "Paul Depla, voorzitter",
                "class=\"footnotes\"",
                "De noot.",
            ],
        );
    }
}
