//! Building sites: what a reader sees in the output.

use crate::common::{Fixture, assert_in_order, between, snapshot};

fn report_site() -> Fixture {
    Fixture::new()
        .file("content/jaarverslag/_index.md", "---\ntitle: Jaarverslagen\n---\n")
        .file(
            "content/jaarverslag/2023/_index.md",
            "---\nkind: report\ntitle: Jaarverslag 2023\nyear: 2023\nsubtitle: G40 Stedennetwerk\npublished: 2024-05-01\n---\nInleiding van het verslag.\n",
        )
        .file(
            "content/jaarverslag/2023/01-voorwoord.md",
            "---\ntitle: Voorwoord\nsigned: \"Paul Depla, voorzitter\"\n---\nWoord vooraf[^1].\n\n## Terugblik\n\nTekst.\n\n[^1]: Een voetnoot.\n",
        )
        .file(
            "content/jaarverslag/2023/02-sociaal.md",
            "---\ntitle: Pijler Sociaal\npijler: sociaal\nthemagroepen: [armoede]\n---\n## Terugblik\n\nZie ook het [voorwoord](01-voorwoord.md#terugblik).\n\n## Armoede\n\nTekst.\n",
        )
        // Weight puts this chapter before the file-name order would.
        .file("content/jaarverslag/2023/03-fysiek.md", "---\ntitle: Pijler Fysiek\nweight: 1\npijler: fysiek\n---\n## Wonen\n")
}

#[test]
fn report_has_toc_in_chapter_order() {
    let site = report_site().built();
    let index = site.read("jaarverslag/2023/index.html");
    let toc = between(&index, "<nav class=\"report-toc\"", "</nav>");
    assert_in_order(
        toc,
        &[
            "href=\"/jaarverslag/2023/fysiek/\">Pijler Fysiek",
            "href=\"/jaarverslag/2023/voorwoord/\">Voorwoord",
            "href=\"/jaarverslag/2023/voorwoord/#terugblik\">Terugblik",
            "href=\"/jaarverslag/2023/sociaal/\">Pijler Sociaal",
            "href=\"/jaarverslag/2023/sociaal/#armoede\">Armoede",
        ],
    );
    assert!(index.contains("Inleiding van het verslag."));
    assert!(index.contains("<time datetime=\"2024-05-01\">woensdag 1 mei 2024</time>"));
}

#[test]
fn chapters_link_previous_and_next() {
    let site = report_site().built();
    let first = site.read("jaarverslag/2023/fysiek/index.html");
    let pager = between(&first, "<nav class=\"pager\"", "</nav>");
    assert!(
        pager.contains("rel=\"prev\" href=\"/jaarverslag/2023/\""),
        "first chapter goes back to the index: {pager}"
    );
    assert!(pager.contains("rel=\"next\" href=\"/jaarverslag/2023/voorwoord/\""));
    let last = site.read("jaarverslag/2023/sociaal/index.html");
    let pager = between(&last, "<nav class=\"pager\"", "</nav>");
    assert!(pager.contains("rel=\"prev\" href=\"/jaarverslag/2023/voorwoord/\""));
    assert!(
        !pager.contains("rel=\"next\""),
        "last chapter has no next: {pager}"
    );
    assert!(last.contains("Hoofdstuk 3"));
}

#[test]
fn chapter_has_footnotes_anchors_signature_and_resolved_links() {
    let site = report_site().built();
    let voorwoord = site.read("jaarverslag/2023/voorwoord/index.html");
    assert!(voorwoord.contains(
        "<h2 id=\"terugblik\">Terugblik <a class=\"heading-anchor\" href=\"#terugblik\""
    ));
    assert!(voorwoord.contains("href=\"#fn-1\" id=\"fnref-1\""));
    assert!(voorwoord.contains("<li id=\"fn-1\"><p>Een voetnoot."));
    assert!(voorwoord.contains("<p class=\"signed\">Paul Depla, voorzitter</p>"));
    let sociaal = site.read("jaarverslag/2023/sociaal/index.html");
    assert!(
        sociaal.contains("href=\"/jaarverslag/2023/voorwoord/#terugblik\""),
        "a link to a .md file becomes the page URL"
    );
}

#[test]
fn print_page_holds_every_chapter_in_order_with_unique_ids() {
    let site = report_site().built();
    let print = site.read("jaarverslag/2023/print/index.html");
    assert!(print.contains("<h1 id=\"rapport-titel\">Jaarverslag 2023</h1>"));
    assert_in_order(
        &print,
        &[
            "Inhoudsopgave",
            "Inleiding van het verslag.",
            "id=\"hoofdstuk-fysiek\"",
            "Pijler Fysiek</h2>",
            "id=\"hoofdstuk-voorwoord\"",
            "Woord vooraf",
            "id=\"hoofdstuk-sociaal\"",
            "Armoede",
        ],
    );
    // Both chapters have a "Terugblik" heading: prefixed ids keep them apart,
    // and chapter headings are demoted below the chapter title.
    assert!(print.contains("<h3 id=\"voorwoord-terugblik\">"));
    assert!(print.contains("<h3 id=\"sociaal-terugblik\">"));
    assert_eq!(print.matches("<h1").count(), 1, "one h1 on the print page");
    let print_css = site.read("print.css");
    assert!(print_css.contains("size: A4"));
    assert!(print_css.contains(".print-edition .print-chapter { break-before: page;"));
}

#[test]
fn taxonomy_pages_list_what_refers_to_them() {
    let site = report_site().built();
    let sociaal = site.read("pijlers/sociaal/index.html");
    assert!(sociaal.contains("<h1>Pijler Sociaal</h1>"));
    assert!(sociaal.contains("href=\"/jaarverslag/2023/sociaal/\">Pijler Sociaal</a> <span class=\"context\">(Jaarverslag 2023)</span>"));
    assert!(
        sociaal.contains("href=\"/themagroepen/armoede-schulden/\">Armoede en schulden"),
        "pillar lists its theme groups"
    );
    // The alias `armoede` resolved to the group's id.
    let groep = site.read("themagroepen/armoede-schulden/index.html");
    assert!(groep.contains("href=\"/jaarverslag/2023/sociaal/\""));
    assert!(groep.contains("Onderdeel van <a href=\"/pijlers/sociaal/\">Pijler Sociaal</a>"));
    let empty = site.read("themagroepen/woningmarkt/index.html");
    assert!(empty.contains("Er verwijst nog niets naar Woningmarkt."));
    let overview = site.read("pijlers/index.html");
    assert_in_order(&overview, &["Pijler Sociaal", "Pijler Fysiek"]);
}

#[test]
fn dutch_dates_and_machine_dates() {
    let site = Fixture::new()
        .file("content/nieuws/_index.md", "---\ntitle: Nieuws\n---\n")
        .file(
            "content/nieuws/netwerkdag.md",
            "---\ntitle: Netwerkdag\ndate: 2023-02-10\nsummary: Een dag in Haarlem.\n---\n",
        )
        .built();
    let page = site.read("nieuws/netwerkdag/index.html");
    assert!(
        page.contains("<time datetime=\"2023-02-10\">vrijdag 10 februari 2023</time>"),
        "{page}"
    );
    assert!(page.contains("<meta name=\"description\" content=\"Een dag in Haarlem.\">"));
    let section = site.read("nieuws/index.html");
    assert!(section.contains("<time datetime=\"2023-02-10\">10 februari 2023</time>"));
}

#[test]
fn section_lists_pages_by_weight_then_newest() {
    let site = Fixture::new()
        .file("content/nieuws/_index.md", "---\ntitle: Nieuws\n---\n")
        .file(
            "content/nieuws/oud.md",
            "---\ntitle: Oud bericht\ndate: 2020-01-01\n---\n",
        )
        .file(
            "content/nieuws/nieuw.md",
            "---\ntitle: Nieuw bericht\ndate: 2024-01-01\n---\n",
        )
        .file(
            "content/nieuws/vast.md",
            "---\ntitle: Vastgepind\nweight: 1\n---\n",
        )
        .file(
            "content/nieuws/concept.md",
            "---\ntitle: Concept\ndraft: true\n---\n",
        )
        .built();
    let section = site.read("nieuws/index.html");
    assert_in_order(&section, &["Vastgepind", "Nieuw bericht", "Oud bericht"]);
    assert!(!section.contains("Concept"), "drafts are left out");
    assert!(!site.exists("nieuws/concept/index.html"));
}

#[test]
fn drafts_are_built_with_the_flag() {
    let site = Fixture::new().file(
        "content/concept.md",
        "---\ntitle: Concept\ndraft: true\n---\n",
    );
    site.build_with(g40site::BuildOptions {
        drafts: true,
        ..Default::default()
    })
    .unwrap();
    assert!(site.exists("concept/index.html"));
}

#[test]
fn data_files_are_available_to_templates() {
    let site = Fixture::new()
        .file("content/_data/steden.yaml", "- { name: Almere, provincie: Flevoland }\n- { name: Zwolle, provincie: Overijssel }\n")
        .file("content/steden.md", "---\ntitle: Steden\ntemplate: steden.html\n---\n")
        .file(
            "templates/steden.html",
            "{% extends \"base.html\" %}{% block content %}<ul>{% for s in data.steden %}<li>{{ s.name }} ({{ s.provincie }})</li>{% endfor %}</ul>{% endblock content %}",
        )
        .built();
    let page = site.read("steden/index.html");
    assert!(
        page.contains("<li>Almere (Flevoland)</li><li>Zwolle (Overijssel)</li>"),
        "{page}"
    );
}

#[test]
fn site_templates_and_static_override_the_theme_file_by_file() {
    let site = Fixture::new()
        .file("content/over.md", "---\ntitle: Over ons\n---\nTekst.\n")
        .file(
            "templates/page.html",
            "<!DOCTYPE html><title>{{ page.title }}</title><p>Eigen sjabloon</p>\n",
        )
        .file("static/style.css", "body { color: red; }\n")
        .built();
    assert!(
        site.read("over/index.html")
            .contains("<p>Eigen sjabloon</p>")
    );
    assert_eq!(site.read("style.css"), "body { color: red; }\n");
    // Files not overridden still come from the embedded theme.
    assert!(site.read("print.css").contains("@page"));
    assert!(site.read("index.html").contains("class=\"skip-link\""));
}

#[test]
fn named_theme_folder_is_used() {
    let site = Fixture::empty()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.nl\ntheme: eigen\n",
        )
        .file("content/_index.md", "---\ntitle: Start\n---\n")
        .file(
            "themes/eigen/templates/index.html",
            "<p>Thema eigen: {{ page.title }}</p>\n",
        )
        .built();
    assert_eq!(site.read("index.html"), "<p>Thema eigen: Start</p>\n");
}

#[test]
fn embedded_theme_gives_an_accessible_dutch_page() {
    let site = Fixture::new()
        .file("content/over.md", "---\ntitle: Over ons\n---\nTekst.\n")
        .built();
    assert!(!site.root().join("themes").exists());
    let page = site.read("over/index.html");
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
    assert!(page.contains("<a class=\"skip-link\" href=\"#inhoud\">"));
    assert!(page.contains("<main id=\"inhoud\""));
    assert!(page.contains("<nav class=\"site-nav\" aria-label=\"Hoofdmenu\">"));
    assert_eq!(page.matches("<h1").count(), 1);
    assert!(site.read("style.css").contains(":focus-visible"));
}

#[test]
fn sitemap_robots_and_404() {
    let site = report_site().built();
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.nl/jaarverslag/2023/voorwoord/</loc>"));
    assert!(sitemap.contains("<loc>https://example.nl/pijlers/sociaal/</loc>"));
    assert!(
        !sitemap.contains("/print/"),
        "print pages are not in the sitemap"
    );
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.nl/sitemap.xml")
    );
    assert!(site.read("404.html").contains("Pagina niet gevonden"));
}

#[test]
fn base_url_with_path_prefixes_links() {
    let site = report_site();
    site.build_with(g40site::BuildOptions {
        base_url: Some("https://example.nl/g40/".into()),
        ..Default::default()
    })
    .unwrap();
    let index = site.read("jaarverslag/2023/index.html");
    assert!(index.contains("href=\"/g40/jaarverslag/2023/voorwoord/\""));
    assert!(index.contains("href=\"/g40/style.css\""));
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://example.nl/g40/jaarverslag/2023/</loc>")
    );
}

#[test]
fn code_blocks_are_highlighted_with_classes_and_styled() {
    let site = Fixture::new()
        .file(
            "content/code.md",
            "---\ntitle: Code\n---\n```yaml\ntitle: x\n```\n",
        )
        .built();
    let page = site.read("code/index.html");
    assert!(
        page.contains(
            "<pre class=\"code\" tabindex=\"0\"><code class=\"language-yaml\"><span class=\"hl-"
        ),
        "{page}"
    );
    assert!(site.read("highlight.css").contains(".hl-"));
    assert!(site.read("print.css").contains("pre.code"));
}

#[test]
fn file_names_with_spaces_accents_bom_and_crlf_just_work() {
    let site = Fixture::new()
        .file(
            "content/Café overzicht.md",
            "\u{feff}---\r\ntitle: Café\r\n---\r\nTekst met CRLF.\r\n",
        )
        .file(
            "content/afbeeldingen/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .built();
    assert!(
        site.read("cafe-overzicht/index.html")
            .contains("<p>Tekst met CRLF.</p>")
    );
    assert!(site.exists("afbeeldingen/logo.svg"), "assets are copied");
}

#[test]
fn same_input_gives_byte_identical_output() {
    let site = report_site().built();
    let first = snapshot(&site.out());
    site.build().unwrap();
    let second = snapshot(&site.out());
    assert_eq!(first.len(), second.len());
    assert!(first == second, "two builds differ");
}

#[test]
fn stale_files_do_not_survive_a_rebuild() {
    let site = Fixture::new()
        .file("content/weg.md", "---\ntitle: Weg\n---\n")
        .built();
    assert!(site.exists("weg/index.html"));
    std::fs::remove_file(site.root().join("content/weg.md")).unwrap();
    site.build().unwrap();
    assert!(!site.exists("weg/index.html"));
}

#[test]
fn cli_build_reports_success() {
    let site = Fixture::new();
    let out = site.run_ok(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Built ") && stderr.contains(" pages "),
        "{stderr}"
    );
    assert!(site.exists("index.html"));
    let quiet = site.run(&["build", "--quiet"]);
    assert!(quiet.stderr.is_empty());
}

#[test]
fn cli_help_explains_every_flag() {
    let site = Fixture::empty();
    let help = String::from_utf8(site.run(&["build", "--help"]).stdout).unwrap();
    for flag in ["--root", "--output", "--drafts", "--base-url", "--quiet"] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
    let top = String::from_utf8(site.run(&["--help"]).stdout).unwrap();
    assert!(top.contains("build"));
}

#[test]
fn section_slug_applies_to_the_pages_inside() {
    let site = Fixture::new()
        .file(
            "content/01-nieuws/_index.md",
            "---\ntitle: Nieuws\nslug: actueel\n---\n",
        )
        .file("content/01-nieuws/bericht.md", "---\ntitle: Bericht\n---\n")
        .built();
    assert!(site.exists("actueel/index.html"));
    assert!(
        site.exists("actueel/bericht/index.html"),
        "pages follow their section's slug"
    );
    assert!(
        site.read("actueel/index.html")
            .contains("href=\"/actueel/bericht/\"")
    );
}

#[test]
fn images_next_to_a_page_resolve_from_the_markdown() {
    let site = Fixture::new()
        .file("content/02-verslag/_index.md", "---\ntitle: Verslag\n---\n")
        .file("content/02-verslag/tekst.md", "---\ntitle: Tekst\n---\n![Kaart van de steden](<kaart met steden.svg>)\n\n[De bijlage](bijlage.pdf)\n")
        .file("content/02-verslag/kaart met steden.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file("content/02-verslag/bijlage.pdf", "%PDF-1.4\n")
        .built();
    // Assets live in their folder's URL; the page is one level deeper.
    assert!(site.exists("verslag/kaart met steden.svg"));
    let page = site.read("verslag/tekst/index.html");
    assert!(
        page.contains("src=\"/verslag/kaart%20met%20steden.svg\" alt=\"Kaart van de steden\""),
        "{page}"
    );
    assert!(page.contains("href=\"/verslag/bijlage.pdf\""));
    let summary = g40site::check(site.root(), &Default::default()).unwrap();
    assert!(
        !summary
            .problems
            .0
            .iter()
            .any(|d| d.message.contains("svg") || d.message.contains("pdf")),
        "{}",
        summary.problems
    );
}

#[test]
fn unknown_highlight_theme_is_located_in_site_yaml() {
    let site = Fixture::empty()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.nl\nmarkdown:\n  highlight_theme: Solarized\n",
        )
        .file("content/_index.md", "---\ntitle: Start\n---\n");
    let errors = site.errors();
    assert_eq!(errors.0[0].line, Some(4), "{errors}");
    assert!(
        errors.0[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("Solarized (dark)"),
        "{errors}"
    );
}

#[test]
fn a_taxonomy_without_entries_leaves_its_url_free() {
    // Only pillars: there is no theme-group overview, so a page may use its URL.
    let site = Fixture::empty()
        .file("site.yaml", "title: T\nbase_url: https://example.nl\n")
        .file("content/_index.md", "---\ntitle: Start\n---\n")
        .file("content/_data/pijlers.yaml", crate::common::PIJLERS)
        .file(
            "content/themagroepen.md",
            "---\ntitle: Onze themagroepen\n---\n",
        )
        .built();
    assert!(
        site.read("themagroepen/index.html")
            .contains("Onze themagroepen")
    );
    assert!(site.exists("pijlers/index.html"));
}
