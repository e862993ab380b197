//! Redirects (issue 16): `aliases:` on every kind of document become
//! redirect pages at the old URLs, listed nowhere else; collisions and bad
//! aliases are errors located at the alias; `redirects_file: true` adds a
//! `_redirects` file. Every test runs the real binary in the site folder.

use crate::common::html::start_tags;
use crate::common::{Fixture, line_of};

const ROLES: &str = "\
kind: roles
title: Functies
aliases:
  - /oud/functies/
roles:
  - id: voorzitter
    title: Voorzitter
    paid: false
    duties: [Leidt de vergadering.]
    time: twee uur per week
";

const PROGRAMME: &str = "\
kind: programme
title: Netwerkdag Haarlem
date: 2023-02-10
city: Haarlem
aliases: [/netwerkdag-haarlem/]
";

fn site() -> Fixture {
    Fixture::new()
        .file(
            "content/over.md",
            "---\ntitle: Over de G40\naliases:\n  - /oud/over-ons/\n  - /over.html\n---\nTekst.\n",
        )
        .file(
            "content/nieuws/_index.md",
            "---\ntitle: Nieuws\naliases: [/actueel/]\n---\n",
        )
        .file(
            "content/nieuws/bericht.md",
            "---\ntitle: Een bericht\ndate: 2024-03-01\naliases: ['/actueel/bericht/']\n---\nTekst.\n",
        )
        .file("content/bestuur/functies.yaml", ROLES)
        .file("content/netwerkdagen/haarlem.yaml", PROGRAMME)
}

/// The attributes of the first `<tag>` whose `key` attribute is `value`.
fn tag_with(html: &str, tag: &str, key: &str, value: &str) -> Option<Vec<(String, String)>> {
    start_tags(html)
        .into_iter()
        .find(|(name, attrs)| name == tag && attrs.iter().any(|(k, v)| k == key && v == value))
        .map(|(_, attrs)| attrs)
}

fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> &'a str {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no `{key}` in {attrs:?}"))
}

/// What a browser and a search engine read from a redirect page.
fn assert_redirects(html: &str, to: &str, base: &str) {
    let refresh = tag_with(html, "meta", "http-equiv", "refresh").expect("a refresh");
    assert_eq!(attr(&refresh, "content"), format!("0; url={to}"), "{html}");
    let canonical = tag_with(html, "link", "rel", "canonical").expect("a canonical link");
    assert_eq!(attr(&canonical, "href"), format!("{base}{to}"));
    let robots = tag_with(html, "meta", "name", "robots").expect("robots meta");
    assert_eq!(attr(&robots, "content"), "noindex");
    let lang = start_tags(html)
        .into_iter()
        .find(|(n, _)| n == "html")
        .expect("<html>");
    assert_eq!(attr(&lang.1, "lang"), "nl");
    // A link the reader can follow when the refresh is blocked, in Dutch.
    assert!(tag_with(html, "a", "href", to).is_some(), "{html}");
    assert!(html.contains("Deze pagina is verplaatst"), "{html}");
}

#[test]
fn aliases_of_every_kind_become_redirect_pages() {
    let site = site();
    site.run_ok(&["build"]);
    let base = "https://example.nl";
    for (file, to) in [
        ("oud/over-ons/index.html", "/over/"),
        ("over.html", "/over/"),
        ("actueel/index.html", "/nieuws/"),
        ("actueel/bericht/index.html", "/nieuws/bericht/"),
        ("oud/functies/index.html", "/bestuur/functies/"),
        ("netwerkdag-haarlem/index.html", "/netwerkdagen/haarlem/"),
    ] {
        assert_redirects(&site.read(file), to, base);
    }
    // The real pages are still there, unchanged in place.
    assert!(
        site.read("over/index.html")
            .contains("<h1>Over de G40</h1>")
    );
    // Listed nowhere else: not in the sitemap, the search index or a section.
    let sitemap = site.read("sitemap.xml");
    let index = site.read("zoeken/index.json");
    let listing = site.read("nieuws/index.html");
    for old in ["/oud/", "/over.html", "/actueel/", "/netwerkdag-haarlem/"] {
        assert!(!sitemap.contains(old), "{old} in sitemap:\n{sitemap}");
        assert!(!index.contains(old), "{old} in the search index");
        assert!(!listing.contains(old), "{old} listed in the section");
    }
    assert!(!index.contains("verplaatst"));
    // No `_redirects` unless asked for: existing sites stay the same.
    assert!(!site.exists("_redirects"));
}

#[test]
fn redirects_under_a_base_path_keep_it() {
    let site = Fixture::new()
        .file(
            "site.yaml",
            "title: Testsite\nbase_url: https://example.nl/g40/\nredirects_file: true\n",
        )
        .file(
            "content/over.md",
            "---\ntitle: Over\naliases: [/oud/, 'https://example.nl/g40/ouder/']\n---\n",
        );
    site.run_ok(&["build"]);
    assert_redirects(
        &site.read("oud/index.html"),
        "/g40/over/",
        "https://example.nl",
    );
    assert_redirects(
        &site.read("ouder/index.html"),
        "/g40/over/",
        "https://example.nl",
    );
    assert_eq!(
        site.read("_redirects"),
        "/g40/oud/ /g40/over/ 301\n/g40/ouder/ /g40/over/ 301\n/g40/themagroepen/armoede/ /g40/themagroepen/armoede-schulden/ 301\n"
    );
}

#[test]
fn redirects_file_lists_every_redirect_in_netlify_format() {
    let site = site().file(
        "site.yaml",
        "title: Testsite\nbase_url: https://example.nl\nredirects_file: true\n",
    );
    site.run_ok(&["build"]);
    let file = site.read("_redirects");
    let lines: Vec<Vec<&str>> = file
        .lines()
        .map(|l| l.split(' ').collect::<Vec<_>>())
        .collect();
    assert_eq!(
        lines,
        [
            ["/actueel/", "/nieuws/", "301"],
            ["/actueel/bericht/", "/nieuws/bericht/", "301"],
            ["/netwerkdag-haarlem/", "/netwerkdagen/haarlem/", "301"],
            ["/oud/functies/", "/bestuur/functies/", "301"],
            ["/oud/over-ons/", "/over/", "301"],
            ["/over.html", "/over/", "301"],
            // The fixture's theme group `armoede-schulden` was once `armoede`.
            [
                "/themagroepen/armoede/",
                "/themagroepen/armoede-schulden/",
                "301"
            ],
        ]
    );
}

/// The build fails; stderr names `file:line:col` for each error.
fn failing(site: &Fixture) -> String {
    let out = site.run(&["build"]);
    assert!(!out.status.success(), "the build should fail");
    assert!(!site.exists("index.html"), "nothing is written");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn alias_on_the_url_of_a_real_page_is_located_at_the_alias() {
    let page = "---\ntitle: Nieuw\naliases:\n  - /oud/\n  - /over/\n  - /zoeken/\n---\n";
    let site = Fixture::new()
        .file("content/over.md", "---\ntitle: Over\n---\n")
        .file("content/nieuw.md", page);
    let stderr = failing(&site);
    let at = format!("content/nieuw.md:{}:5", line_of(page, "- /over/"));
    assert!(stderr.contains(&at), "{stderr}");
    assert!(
        stderr.contains("alias `/over/` is the URL of something else too: content/over.md"),
        "{stderr}"
    );
    assert!(stderr.contains("hint:"), "{stderr}");
    // A URL the site writes itself is taken too.
    let at = format!("content/nieuw.md:{}:5", line_of(page, "- /zoeken/"));
    assert!(stderr.contains(&at), "{stderr}");
    assert!(stderr.contains("the search page"), "{stderr}");
    // The alias that is free is not an error.
    assert!(!stderr.contains("`/oud/`"), "{stderr}");
}

#[test]
fn two_aliases_on_one_url_are_both_located() {
    let a = "---\ntitle: A\naliases: [/oud/]\n---\n";
    let b = "---\ntitle: B\ndate: 2024-01-01\naliases:\n  - /oud\n---\n";
    let site = Fixture::new()
        .file("content/a.md", a)
        .file("content/b.md", b)
        .file(
            "content/dag.yaml",
            "kind: programme\ntitle: Dag\ndate: 2024-02-02\ncity: Ede\naliases:\n  - /oud/\n",
        );
    let stderr = failing(&site);
    assert!(stderr.contains("content/a.md:3:11"), "{stderr}");
    assert!(stderr.contains("content/b.md:5:5"), "{stderr}");
    assert!(stderr.contains("content/dag.yaml:6:5"), "{stderr}");
    assert!(stderr.contains("alias `/oud` of content/b.md"), "{stderr}");
    // Only the alias errors, not the same collision again unlocated.
    assert!(!stderr.contains("more than one source"), "{stderr}");
}

#[test]
fn bad_aliases_are_located_with_a_hint() {
    let page = "\
---
title: Over
aliases:
  - oud/pad/
  - /a/../b/
  - https://example.org/oud/
  - //example.org/oud/
  - \"/oud\\tpad/\"
  - /oud/?id=3
---
";
    let site = Fixture::new().file("content/over.md", page);
    let stderr = failing(&site);
    for (line, says) in [
        ("- oud/pad/", "must start with `/`"),
        ("- /a/../b/", "`..` segment"),
        ("- https://example.org/oud/", "another site"),
        ("- //example.org/oud/", "another site"),
        ("\\tpad", "control character"),
        ("- /oud/?id=3", "query or fragment"),
    ] {
        let at = format!("content/over.md:{}:", line_of(page, line));
        let found = stderr
            .split("\n\n")
            .any(|block| block.contains(&at) && block.contains(says) && block.contains("hint:"));
        assert!(found, "no `{says}` at {at}:\n{stderr}");
    }
}

#[test]
fn a_site_theme_can_replace_the_redirect_template() {
    let site = site().file(
        "templates/redirect.html",
        "<!DOCTYPE html><html lang=\"nl\"><title>Weg</title><p>Naar <a href=\"{{ redirect.to }}\">{{ redirect.title }}</a></p></html>\n",
    );
    site.run_ok(&["build"]);
    let html = site.read("oud/over-ons/index.html");
    assert!(
        html.contains("<p>Naar <a href=\"/over/\">Over de G40</a></p>"),
        "{html}"
    );
}
