//! News (issue 16): a section sorted by date and paginated (`sort_by:
//! date`, `paginate_by` in its `_index.md`), with accessible previous/next
//! navigation and `rel="prev"/"next"`; Atom feeds (RFC 4287) per section
//! and for the site, read back with a real XML parser (xmllint). Every
//! test runs the real binary in the site folder.

use std::path::Path;

use crate::common::exports::{assert_well_formed, xmllint, xpath};
use crate::common::html::start_tags;
use crate::common::{Fixture, between, line_of};

const PER_PAGE: usize = 3;

/// A site with `n` news items, dated one day apart (item 1 is the oldest).
fn news(n: usize) -> Fixture {
    let site = Fixture::new().file(
        "content/nieuws/_index.md",
        &format!("---\ntitle: Nieuws\nsort_by: date\npaginate_by: {PER_PAGE}\n---\n"),
    );
    for i in 1..=n {
        // A weight that would put the oldest first without `sort_by: date`.
        site.write(
            &format!("content/nieuws/bericht-{i}.md"),
            &format!(
                "---\ntitle: Bericht {i}\ndate: 2024-01-{i:02}\nweight: {i}\n---\nTekst {i}.\n"
            ),
        );
    }
    site
}

/// The titles listed on a listing page, in order.
fn listed(html: &str) -> Vec<String> {
    let main = between(html, "<main", "</main>");
    if !main.contains("class=\"listing\"") {
        return Vec::new();
    }
    let list = between(main, "<ul class=\"listing\">", "</ul>");
    list.split("<a href=")
        .skip(1)
        .map(|a| between(a, ">", "</a>").to_string())
        .collect()
}

/// The `href` of `<link rel=...>` in the head, if any.
fn head_link(html: &str, rel: &str) -> Option<String> {
    let head = between(html, "<head>", "</head>");
    start_tags(head)
        .into_iter()
        .find(|(name, attrs)| name == "link" && attrs.iter().any(|(k, v)| k == "rel" && v == rel))
        .and_then(|(_, attrs)| attrs.into_iter().find(|(k, _)| k == "href").map(|(_, v)| v))
}

/// The pagination navigation, if the page has one.
fn pagination_nav(html: &str) -> Option<&str> {
    html.contains("<nav class=\"pagination\"")
        .then(|| between(html, "<nav class=\"pagination\"", "</nav>"))
}

#[test]
fn pagination_edges_zero_one_exactly_n_and_n_plus_one() {
    for n in [0, 1, PER_PAGE, PER_PAGE + 1] {
        let site = news(n);
        site.run_ok(&["build"]);
        let first = site.read("nieuws/index.html");
        let expected: Vec<String> = (1..=n)
            .rev()
            .take(PER_PAGE)
            .map(|i| format!("Bericht {i}"))
            .collect();
        assert_eq!(listed(&first), expected, "{n} items, page 1");
        if n == 0 {
            assert!(first.contains("Hier staat nog niets."));
        }
        // Page 1 is never served twice: /pagina/1/ sends the reader on.
        let one = site.read("nieuws/pagina/1/index.html");
        assert!(
            one.contains("<meta http-equiv=\"refresh\" content=\"0; url=/nieuws/\">"),
            "{one}"
        );
        assert!(one.contains("<meta name=\"robots\" content=\"noindex\">"));
        if n <= PER_PAGE {
            assert!(!site.exists("nieuws/pagina/2/index.html"), "{n} items");
            assert!(pagination_nav(&first).is_none(), "{n} items: no navigation");
            assert_eq!(head_link(&first, "next"), None);
            assert_eq!(head_link(&first, "prev"), None);
        } else {
            let second = site.read("nieuws/pagina/2/index.html");
            assert_eq!(listed(&second), ["Bericht 1"]);
            assert!(!site.exists("nieuws/pagina/3/index.html"));
            // rel=prev/next in the head, both ways.
            assert_eq!(
                head_link(&first, "next").as_deref(),
                Some("/nieuws/pagina/2/")
            );
            assert_eq!(head_link(&first, "prev"), None);
            assert_eq!(head_link(&second, "prev").as_deref(), Some("/nieuws/"));
            assert_eq!(head_link(&second, "next"), None);
            // A named navigation landmark with Dutch link texts.
            let nav = pagination_nav(&first).expect("navigation on page 1");
            assert!(nav.contains("aria-label=\"Paginanavigatie\""), "{nav}");
            assert!(nav.contains("Pagina 1 van 2"), "{nav}");
            assert!(
                nav.contains("<a href=\"/nieuws/pagina/2/\" rel=\"next\">Volgende pagina"),
                "{nav}"
            );
            assert!(!nav.contains("Vorige pagina"));
            let nav = pagination_nav(&second).expect("navigation on page 2");
            assert!(nav.contains("<a href=\"/nieuws/\" rel=\"prev\">Vorige pagina"));
            assert!(nav.contains("Pagina 2 van 2"));
            assert!(second.contains("<title>Nieuws (pagina 2) · Testsite</title>"));
        }
        // Listing pages are not pages of their own for search or the sitemap.
        assert!(!site.read("sitemap.xml").contains("pagina/"));
    }
}

#[test]
fn a_section_without_sort_by_keeps_its_order() {
    let site = news(2).file("content/nieuws/_index.md", "---\ntitle: Nieuws\n---\n");
    site.run_ok(&["build"]);
    // By weight, as before: the oldest (weight 1) first.
    assert_eq!(
        listed(&site.read("nieuws/index.html")),
        ["Bericht 1", "Bericht 2"]
    );
    assert!(!site.exists("nieuws/pagina/1/index.html"));
    assert!(!site.exists("nieuws/atom.xml"));
    assert!(!site.exists("atom.xml"));
}

/// xmllint's view of an Atom element: `path` is a list of local names
/// below `feed`, each step in the Atom namespace.
fn atom(path: &str) -> String {
    let mut x =
        String::from("/*[local-name()='feed' and namespace-uri()='http://www.w3.org/2005/Atom']");
    for step in path.split('/').filter(|s| !s.is_empty()) {
        let (name, index) = step.split_once('[').unwrap_or((step, ""));
        x.push_str(&format!(
            "/*[local-name()='{name}' and namespace-uri()='http://www.w3.org/2005/Atom']"
        ));
        if !index.is_empty() {
            x.push('[');
            x.push_str(index);
        }
    }
    x
}

/// What RFC 4287 requires of a feed and each entry, read with xmllint.
fn assert_atom(xmllint: &Path, file: &Path, entries: usize) {
    assert_well_formed(xmllint, file);
    let q = |expr: String| xpath(xmllint, file, &expr);
    // atom:feed: exactly one id, title and updated; an author (no entry has one).
    for element in ["id", "title", "updated", "author"] {
        assert_eq!(q(format!("count({})", atom(element))), "1", "{element}");
    }
    assert!(!q(format!("string({})", atom("author/name"))).is_empty());
    assert_eq!(
        q(format!("string({}[@rel='self']/@type)", atom("link"))),
        "application/atom+xml"
    );
    assert_eq!(q(format!("count({})", atom("entry"))), entries.to_string());
    for i in 1..=entries {
        let entry = format!("entry[{i}]");
        for element in ["id", "title", "updated"] {
            assert_eq!(
                q(format!("count({})", atom(&format!("{entry}/{element}")))),
                "1",
                "entry {i}: {element}"
            );
        }
        // An entry without content needs a summary and an alternate link.
        let content = q(format!("count({})", atom(&format!("{entry}/content"))));
        let summary = q(format!("count({})", atom(&format!("{entry}/summary"))));
        assert!(
            (content.as_str(), summary.as_str()) != ("0", "0"),
            "entry {i} has neither content nor summary"
        );
        let href = q(format!(
            "string({}[@rel='alternate']/@href)",
            atom(&format!("{entry}/link"))
        ));
        assert!(href.starts_with("https://example.nl/"), "entry {i}: {href}");
    }
    // Dates are RFC 3339 date-times.
    let updated = q(format!("string({})", atom("updated")));
    assert!(
        updated.len() == 20 && updated.ends_with("T00:00:00Z"),
        "{updated}"
    );
}

#[test]
fn section_and_site_feeds_are_valid_atom() {
    let Some(xmllint) = xmllint() else { return };
    let site = news(PER_PAGE + 1)
        .file(
            "site.yaml",
            "title: Testsite\nbase_url: https://example.nl\nfeed: true\norganisation:\n  name: G40 Stedennetwerk\n",
        )
        .file(
            "content/nieuws/_index.md",
            "---\ntitle: Nieuws\nsort_by: date\npaginate_by: 3\nfeed: true\n---\n",
        )
        .file(
            "content/nieuws/bericht-2.md",
            "---\ntitle: Bericht 2 & <meer>\ndate: 2024-01-02\nsummary: Kort \"samengevat\".\n---\nTekst.\n",
        )
        .file(
            "content/verslag.md",
            "---\ntitle: Verslag\ndate: 2023-06-01\n---\nEen [link](/nieuws/).\n",
        );
    site.run_ok(&["build"]);
    let out = site.out();
    let section = out.join("nieuws/atom.xml");
    assert_atom(&xmllint, &section, PER_PAGE + 1);
    let q = |file: &Path, expr: String| xpath(&xmllint, file, &expr);
    // `updated` is the newest entry's date, not the time of the build.
    assert_eq!(
        q(&section, format!("string({})", atom("updated"))),
        "2024-01-04T00:00:00Z"
    );
    assert_eq!(
        q(&section, format!("string({})", atom("entry[1]/id"))),
        "https://example.nl/nieuws/bericht-4/"
    );
    assert_eq!(
        q(&section, format!("string({})", atom("entry[4]/title"))),
        "Bericht 1"
    );
    // Titles and summaries are escaped text, read back as written.
    assert_eq!(
        q(&section, format!("string({})", atom("entry[3]/title"))),
        "Bericht 2 & <meer>"
    );
    assert_eq!(
        q(&section, format!("string({})", atom("entry[3]/summary"))),
        "Kort \"samengevat\"."
    );
    assert_eq!(
        q(&section, format!("string({})", atom("author/name"))),
        "G40 Stedennetwerk"
    );
    // The whole site: every dated page, the page outside the section too.
    let whole = out.join("atom.xml");
    assert_atom(&xmllint, &whole, PER_PAGE + 2);
    assert_eq!(
        q(&whole, format!("string({})", atom("entry[5]/id"))),
        "https://example.nl/verslag/"
    );
    // Full content where there is no summary, its links absolute via xml:base.
    let content = q(&whole, format!("string({})", atom("entry[5]/content")));
    assert!(
        content.contains("<a href=\"/nieuws/\">link</a>"),
        "{content}"
    );
    assert_eq!(
        q(&whole, "string(/*/@xml:base)".into()),
        "https://example.nl/"
    );
    // The pages concerned announce their feeds in the head.
    let listing = site.read("nieuws/index.html");
    let alternates: Vec<String> = start_tags(between(&listing, "<head>", "</head>"))
        .into_iter()
        .filter(|(n, a)| {
            n == "link"
                && a.iter()
                    .any(|(k, v)| k == "type" && v == "application/atom+xml")
                && a.iter().any(|(k, v)| k == "rel" && v == "alternate")
        })
        .filter_map(|(_, a)| a.into_iter().find(|(k, _)| k == "href").map(|(_, v)| v))
        .collect();
    assert_eq!(alternates, ["/atom.xml", "/nieuws/atom.xml"]);
    assert!(head_link(&site.read("nieuws/pagina/2/index.html"), "alternate").is_some());
    assert_eq!(
        head_link(&site.read("verslag/index.html"), "alternate").as_deref(),
        Some("/atom.xml")
    );
    // Reproducible: a second build writes the same feeds.
    let before = (site.read("atom.xml"), site.read("nieuws/atom.xml"));
    site.run_ok(&["build"]);
    assert_eq!(
        before,
        (site.read("atom.xml"), site.read("nieuws/atom.xml"))
    );
}

#[test]
fn an_empty_feed_is_still_valid() {
    let Some(xmllint) = xmllint() else { return };
    let site = news(0).file(
        "content/nieuws/_index.md",
        "---\ntitle: Nieuws\nfeed: true\n---\n",
    );
    site.run_ok(&["build"]);
    assert_atom(&xmllint, &site.out().join("nieuws/atom.xml"), 0);
}

#[test]
fn bad_listing_fields_are_located() {
    let index = "---\ntitle: Nieuws\nsort_by: titel\npaginate_by: 0\n---\n";
    let page = "---\ntitle: Bericht\nfeed: true\n---\n";
    let site = Fixture::new()
        .file("content/nieuws/_index.md", index)
        .file("content/nieuws/bericht.md", page);
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (file, text, needle, says) in [
        (
            "content/nieuws/_index.md",
            index,
            "sort_by:",
            "unknown `sort_by: titel`",
        ),
        (
            "content/nieuws/_index.md",
            index,
            "paginate_by:",
            "at least 1",
        ),
        (
            "content/nieuws/bericht.md",
            page,
            "feed:",
            "`feed` is only used on sections",
        ),
    ] {
        let at = format!("{file}:{}:1", line_of(text, needle));
        assert!(
            stderr
                .split("\n\n")
                .any(|b| b.contains(&at) && b.contains(says) && b.contains("hint:")),
            "no `{says}` at {at}:\n{stderr}"
        );
    }
}

#[test]
fn feeds_parse_with_a_feed_library() {
    let site = news(PER_PAGE + 2)
        .file(
            "site.yaml",
            "title: Testsite\nbase_url: https://example.nl/g40/\nfeed: true\n",
        )
        .file(
            "content/nieuws/_index.md",
            "---\ntitle: Nieuws\nsort_by: date\npaginate_by: 3\nfeed: true\n---\n",
        );
    site.run_ok(&["build"]);
    for (file, entries) in [
        ("nieuws/atom.xml", PER_PAGE + 2),
        ("atom.xml", PER_PAGE + 2),
    ] {
        let text = site.read_raw(file);
        let feed: atom_syndication::Feed = text
            .parse()
            .unwrap_or_else(|e| panic!("{file} does not parse as Atom: {e}\n{text}"));
        assert_eq!(feed.entries().len(), entries, "{file}");
        // Newest first, absolute links under the base path, dates from the content.
        let first = &feed.entries()[0];
        assert_eq!(first.title().as_str(), format!("Bericht {entries}"));
        assert_eq!(
            first.links()[0].href(),
            format!("https://example.nl/g40/nieuws/bericht-{entries}/")
        );
        assert_eq!(
            first.updated().to_rfc3339(),
            format!("2024-01-{entries:02}T00:00:00+00:00")
        );
        assert_eq!(
            feed.updated(),
            first.updated(),
            "{file}: updated is the newest entry's"
        );
        assert!(feed.links().iter().any(|l| l.rel() == "self"), "{file}");
    }
}

#[test]
fn the_home_page_shows_as_many_latest_items_as_the_theme_variable_says() {
    let site = news(PER_PAGE + 2).file(
        "site.yaml",
        "title: Testsite\nbase_url: https://example.nl\nextra:\n  home_latest: 2\n",
    );
    site.run_ok(&["build"]);
    let home = site.read("index.html");
    let section = between(
        &home,
        "<h2 id=\"nieuws-kop\">Laatste nieuws</h2>",
        "</section>",
    );
    let titles: Vec<&str> = section
        .split("<a href=")
        .skip(1)
        .map(|a| between(a, ">", "</a>"))
        .collect();
    assert_eq!(titles, ["Bericht 5", "Bericht 4"]);
    // Without the variable the home page has no news block.
    let plain = news(PER_PAGE + 2);
    plain.run_ok(&["build"]);
    assert!(!plain.read("index.html").contains("Laatste nieuws"));
}

#[test]
fn term_pages_list_news_under_the_section_newest_first() {
    let site = news(0);
    for (i, day) in [(1, "03"), (2, "01"), (3, "02")] {
        site.write(
            &format!("content/nieuws/b{i}.md"),
            &format!("---\ntitle: Bericht {i}\ndate: 2024-02-{day}\nthemagroepen: [woningmarkt]\n---\nTekst.\n"),
        );
    }
    site.write(
        "content/over.md",
        "---\ntitle: Over wonen\nthemagroepen: [woningmarkt]\n---\nTekst.\n",
    );
    site.run_ok(&["build"]);
    let page = site.read("themagroepen/woningmarkt/index.html");
    let news = between(&page, ">Nieuws</h2>", "</section>");
    let order: Vec<&str> = news
        .split("<a href=")
        .skip(1)
        .map(|a| between(a, ">", "</a>"))
        .collect();
    assert_eq!(order, ["Bericht 1", "Bericht 3", "Bericht 2"]);
    // A page outside the news section keeps its own group.
    assert!(between(&page, ">Pagina&#39;s</h2>", "</section>").contains("Over wonen"));
}

#[test]
fn the_home_page_names_the_next_networkday_from_the_build_date() {
    let programme = |date: &str, city: &str| {
        format!(
            "kind: programme\ntitle: Netwerkdag {city}\ndate: {date}\ncity: {city}\nvenue: Stadhuis\n"
        )
    };
    let site = Fixture::new()
        .file(
            "content/netwerkdagen/_index.md",
            "---\ntitle: Netwerkdagen\n---\n",
        )
        .file(
            "content/netwerkdagen/a.yaml",
            &programme("2026-02-10", "Haarlem"),
        )
        .file(
            "content/netwerkdagen/b.yaml",
            &programme("2026-09-10", "Den Bosch"),
        )
        .file(
            "content/netwerkdagen/c.yaml",
            &programme("2027-02-12", "Zwolle"),
        );
    site.run_ok(&["build", "--today", "2026-05-01"]);
    let home = site.read("index.html");
    let block = between(&home, "<h2 id=\"netwerkdag-kop\">", "</section>");
    assert!(
        block.contains("<a href=\"/netwerkdagen/b/\">Netwerkdag Den Bosch</a>")
            && block.contains("<time datetime=\"2026-09-10\">")
            && block.contains("Den Bosch (Stadhuis)"),
        "{block}"
    );
    // After the last one there is none to name.
    site.run_ok(&["build", "--today", "2027-03-01"]);
    assert!(!site.read("index.html").contains("netwerkdag-kop"));
}
