//! The site's language (issue 17): the theme's interface text comes from
//! one strings file per language (`strings/nl.yaml`, `strings/en.yaml`), a
//! site changes any string in `site.yaml`, and `language: en` gives pages
//! without a Dutch interface word. Every test runs the real binary in the
//! site folder.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::Fixture;

fn theme_strings(language: &str) -> BTreeMap<String, serde_yaml::Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("themes/g40/strings")
        .join(format!("{language}.yaml"));
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// An English site with a document of every kind, written in English.
fn english_site() -> Fixture {
    Fixture::empty()
        .file(
            "site.yaml",
            "title: City network\nbase_url: https://example.org\nlanguage: en\nfeed: true\n\
             organisation:\n  name: City network\nextra:\n  home_latest: 2\n\
             menu:\n  - { title: News, path: /news/ }\n  - { title: External, path: https://example.com/ }\n",
        )
        .file("content/_index.md", "---\ntitle: Welcome\n---\nThe home page.\n")
        .file(
            "content/_data/pijlers.yaml",
            "- { id: social, name: Social affairs }\n",
        )
        .file(
            "content/_data/themagroepen.yaml",
            "- { id: housing, name: Housing, pijler: social, aliases: [homes] }\n",
        )
        .file(
            "content/news/_index.md",
            "---\ntitle: News\nsort_by: date\npaginate_by: 1\nfeed: true\n---\n",
        )
        .file(
            "content/news/one.md",
            "---\ntitle: First item\ndate: 2026-03-01\npijler: social\nthemagroepen: [housing]\naliases: [/old/]\n---\n> [!WARNING]\n> Mind the gap.\n\n## Part one\n\nText.\n\n## Part two\n\nText.\n\n## Part three\n\nText with a note[^1] and [a link](https://example.com/).\n\n- [x] done\n- [ ] open\n\n[^1]: The note.\n",
        )
        .file(
            "content/news/two.md",
            "---\ntitle: Second item\ndate: 2026-04-01\n---\nText.\n",
        )
        .file(
            "content/report/_index.md",
            "---\ntitle: Annual report 2026\nkind: report\nyear: 2026\npublished: 2027-01-15\n---\nIntro.\n",
        )
        .file(
            "content/report/01-start.md",
            "---\ntitle: Start\nkind: chapter\nthemagroepen: [housing]\n---\nChapter text.\n",
        )
        .file(
            "content/report/02-end.md",
            "---\ntitle: End\nkind: chapter\n---\nMore text.\n",
        )
        .file(
            "content/notes/note.md",
            "---\ntitle: A note\nkind: note\nnote_type: Information note\norganisation: City of Example\ndate: 2026-02-01\nkernboodschap: Short.\nbehandelvoorstel: For information.\nbesluit: { orgaan: Council, datum: 2026-02-10, tekst: Agreed. }\nondertekening: [the clerk]\n---\n## One\n\nText.\n",
        )
        .file(
            "content/networkdays/2026-09-10-example.yaml",
            "kind: programme\ntitle: Networkday\ncity: Example\nvenue: Town hall\n\
             rooms:\n  - { id: hall, name: Hall }\n  - { id: side, name: Side room, all_day: Meeting each other }\n\
             days:\n  - date: 2026-09-10\n    sessions:\n      - { time: 9.30, kind: walk-in }\n      - { time: 10.00-11.00, kind: plenary, title: Opening, moderator: A. Chair }\n      - { time: 11.00-12.00, title: Housing talk, room: hall, themagroepen: [housing], speakers: [{ name: B. Speaker }] }\n  - date: 2026-09-11\n    sessions:\n      - { time: 10.00-11.00, title: Second day, room: hall, chair: C. Chair }\n",
        )
        .file(
            "content/board/roles.yaml",
            "kind: roles\ntitle: Board roles\ndate: 2026-04-24\nthemagroepen: [housing]\nroles:\n  - id: chair\n    title: Chair\n    paid: false\n    member_of: Board\n    duties: [Leads the meeting.]\n    time: two hours a week\n    support: { title: Secretary, fte: 0.75, duties: [Prepares.] }\n    contact: { role: secretary, email: info@example.org }\n  - id: member\n    title: Member\n    paid: false\n    duties: [Attends.]\n    time: one hour a week\n",
        )
}

/// `html` with the values of attributes that hold addresses and names
/// for code (classes, ids) emptied: they are not text a reader reads.
fn without_addresses(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = [
        "href=\"",
        "src=\"",
        "action=\"",
        "data-index=\"",
        "content=\"0; url=",
        "class=\"",
        "id=\"",
        "for=\"",
        "aria-labelledby=\"",
        "aria-describedby=\"",
    ]
    .iter()
    .filter_map(|a| rest.find(a).map(|i| (i, a.len())))
    .min()
    {
        let (i, len) = at;
        out.push_str(&rest[..i + len]);
        rest = &rest[i + len..];
        let end = rest.find('"').unwrap_or(rest.len());
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Every HTML page of the built site, by path.
fn pages(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            (
                e.path().strip_prefix(out).unwrap().display().to_string(),
                std::fs::read_to_string(e.path())
                    .unwrap()
                    .replace('\u{AD}', ""),
            )
        })
        .collect()
}

#[test]
fn both_languages_have_every_key() {
    let (nl, en) = (theme_strings("nl"), theme_strings("en"));
    assert_eq!(
        nl.keys().collect::<Vec<_>>(),
        en.keys().collect::<Vec<_>>(),
        "strings/nl.yaml and strings/en.yaml must have the same keys"
    );
}

#[test]
fn an_english_site_has_no_dutch_interface_text() {
    let site = english_site();
    site.run_ok(&["build"]);
    let (nl, en) = (theme_strings("nl"), theme_strings("en"));
    // Every Dutch string that differs from its English one, as a piece of
    // text that must not appear (the placeholders cut out).
    let mut dutch: Vec<String> = Vec::new();
    for (key, value) in &nl {
        let (Some(n), Some(e)) = (value.as_str(), en[key].as_str()) else {
            continue;
        };
        if n == e {
            continue;
        }
        for piece in n.split(['{', '}']).filter(|p| p.trim().len() >= 4) {
            // A Dutch piece that is also part of English text ("Pagina" in
            // "Pagination") says nothing.
            let english = en.values().filter_map(|v| v.as_str());
            if !e.contains(piece.trim()) && !english.clone().any(|v| v.contains(piece.trim())) {
                dutch.push(piece.trim().to_string());
            }
        }
    }
    let months = nl["date"]["months"].as_sequence().unwrap();
    dutch.extend(
        months
            .iter()
            .map(|m| format!(" {} 20", m.as_str().unwrap())),
    );
    assert!(dutch.len() > 80, "{dutch:?}");
    let built = pages(&site.out());
    assert!(built.len() > 15, "{}", built.len());
    for (path, html) in &built {
        assert!(html.contains("<html lang=\"en\""), "{path}");
        // Addresses stay the same in every language (`/zoeken/`,
        // `/pagina/2/`), as do classes and ids.
        let html = &without_addresses(html);
        for word in &dutch {
            if let Some(at) = html.find(word.as_str()) {
                let from = html[..at]
                    .char_indices()
                    .rev()
                    .nth(80)
                    .map_or(0, |(i, _)| i);
                let to = html[at..]
                    .char_indices()
                    .nth(80)
                    .map_or(html.len(), |(i, _)| at + i);
                panic!("{path} contains the Dutch `{word}`: …{}…", &html[from..to]);
            }
        }
    }
    // English dates, labels and filled-in text where the pages show them.
    let report = site.read("report/index.html");
    assert!(
        report.contains("Published on <time datetime=\"2027-01-15\">Friday 15 January 2027</time>"),
        "{report}"
    );
    assert!(site.read("report/start/index.html").contains("Chapter 1"));
    assert!(
        site.read("board/roles/chair/index.html")
            .contains("Role 1 of 2")
    );
    assert!(site.read("board/roles/chair/index.html").contains("0.75"));
    let group = site.read("themagroepen/housing/index.html");
    assert!(
        group.contains(">Annual reports</h2>") && group.contains(">Roles</h2>"),
        "{group}"
    );
    assert!(group.contains(">News</h2>"), "{group}");
    let item = site.read("news/one/index.html");
    assert!(item.contains("aria-label=\"Warning\""), "{item}");
    // What the Markdown stage writes itself.
    for english in [
        "Link to Part one",
        "(external link)",
        "aria-label=\"Footnote 1\"",
        "aria-label=\"Footnotes\"",
        "Back to the text",
        "aria-label=\"done\"",
    ] {
        assert!(item.contains(english), "{english}: {item}");
    }
    assert!(item.contains("Pillar and theme groups"), "{item}");
    let day = site.read("networkdays/2026-09-10-example/index.html");
    assert!(day.contains("10 and 11 September 2026"), "{day}");
    // The printed programme's page counter ("Page 1 of 2", programme.css).
    let print = site.read("networkdays/2026-09-10-example/print/index.html");
    assert!(
        print.contains("style=\"--t-page: &quot;Page&quot;; --t-of: &quot;of&quot;\""),
        "{print}"
    );
    // A session without a title gets its kind's title in the language.
    assert!(day.contains(">Walk-in</h3>"), "{day}");
    assert!(
        day.contains(">10:00</time>–<time") && day.contains("Add to your calendar"),
        "{day}"
    );
    assert!(
        day.contains("data-t=\"{") && day.contains("My programme"),
        "{day}"
    );
    let index = site.read("zoeken/index.json");
    assert!(index.contains("\"Annual report\""), "{index}");
    assert!(!index.contains("\"Jaarverslag\""), "{index}");
}

#[test]
fn a_site_changes_a_string_in_site_yaml() {
    let site = Fixture::new().file(
        "site.yaml",
        "title: Testsite\nbase_url: https://example.nl\nstrings:\n  search_button: Zoek\n",
    );
    site.run_ok(&["build"]);
    assert!(
        site.read("index.html")
            .contains("<button type=\"submit\">Zoek</button>")
    );
}

#[test]
fn an_unknown_string_is_a_located_error_with_a_suggestion() {
    let site = Fixture::new().file(
        "site.yaml",
        "title: Testsite\nbase_url: https://example.nl\nstrings:\n  search_buton: Zoek\n",
    );
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("site.yaml:4:3")
            && err.contains("`strings: search_buton` is not a string of the theme")
            && err.contains("did you mean `search_button`?"),
        "{err}"
    );
}

#[test]
fn a_language_without_strings_is_a_located_error() {
    let site = Fixture::new().file(
        "site.yaml",
        "title: Testsite\nbase_url: https://example.nl\nlanguage: fr\n",
    );
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("site.yaml:3:1")
            && err.contains("no interface text for language `fr`")
            && err.contains("`en` and `nl`"),
        "{err}"
    );
}

#[test]
fn a_theme_adds_a_language_with_its_own_strings_file() {
    let mut frisian = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/g40/strings/nl.yaml"),
    )
    .unwrap();
    frisian = frisian.replace("search_button: Zoeken", "search_button: Sykje");
    let site = Fixture::new()
        .file(
            "site.yaml",
            "title: Testsite\nbase_url: https://example.nl\nlanguage: fy\n",
        )
        .file("strings/fy.yaml", &frisian);
    site.run_ok(&["build"]);
    let home = site.read("index.html");
    assert!(home.contains("<html lang=\"fy\">") && home.contains(">Sykje</button>"));
    // A strings file that leaves out keys says which.
    let site = site.file("strings/fy.yaml", "search_button: Sykje\n");
    let out = site.run(&["build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("strings for `fy` lack") && err.contains("`skip_link`"),
        "{err}"
    );
}

#[test]
fn serves_error_overlay_speaks_the_sites_language() {
    let site = english_site().file("content/news/broken.md", "---\ntitle: [\n---\n");
    let served = crate::common::serve_bin::Served::start(site.root(), &[]);
    let (status, _, page) = served.get("/");
    assert_eq!(status, 500, "{page}");
    assert!(
        page.contains("<html lang=\"en\">") && page.contains("The site could not be built"),
        "{page}"
    );
    let (_, _, script) = served.get("/__g40site/reload.js");
    assert!(
        script.contains(
            "\"Fix the error and save the file; this message then goes away by itself.\""
        ),
        "{script}"
    );
    assert!(!script.contains("Herstel"), "{script}");
}
