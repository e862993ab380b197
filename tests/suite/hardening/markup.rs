//! Markup that g40site writes itself, which the HTML sanitiser never sees:
//! heading ids, classes and anchor links, ids and `href`s of footnotes and
//! sessions, `data-` attributes, `<script>` elements. Content can put any
//! text there; the output must parse into exactly the attributes the
//! build meant to write. Pages are read back with an HTML attribute
//! tokeniser (`common::html::start_tags`), not searched for strings.

use std::path::Path;

use crate::common::Fixture;
use crate::common::html::start_tags;

/// The attack from issue 13: an explicit heading id that closes the
/// attribute and adds an event handler, which runs on page load.
const BREAK: &str = "{#x\"autofocus/onfocus=\"alert(1)}";

/// Every attribute the theme and the Markdown renderer write. An attribute
/// break shows up as a name that is not here (`autofocus`, `onfocus`,
/// `x"`).
const KNOWN: [&str; 53] = [
    // The programme script's interface text, as JSON.
    "data-t",
    // The search page's messages, in the site's language.
    "data-t-too-short",
    "data-t-none",
    "data-t-one",
    "data-t-many",
    "data-t-unavailable",
    // A responsive image.
    "width",
    "height",
    "srcset",
    "sizes",
    "loading",
    "decoding",
    "defer",
    // Redirect pages (an old theme-group id of the fixture).
    "http-equiv",
    "id",
    "class",
    "href",
    "src",
    "alt",
    "title",
    "lang",
    "charset",
    "name",
    "content",
    "rel",
    "media",
    "type",
    "download",
    "datetime",
    "role",
    "tabindex",
    "value",
    "scope",
    "rowspan",
    "colspan",
    "style",
    "action",
    "method",
    "for",
    "autocomplete",
    "checked",
    "disabled",
    "start",
    "aria-label",
    "aria-hidden",
    "aria-current",
    "aria-labelledby",
    "aria-describedby",
    "data-label",
    "data-index",
    // mijn-programma.js on a programme page: its calendar, page and time zone.
    "data-ics",
    "data-programma",
    "data-tijdzone",
];

/// Every HTML file of the built site, with its path.
fn html_files(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            (
                e.path().strip_prefix(out).unwrap().display().to_string(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Panics if any tag in the built site has an attribute the build does
/// not write, an id or class with characters outside the safe set, or a
/// `<script>` with inline content.
fn assert_only_known_attributes(out: &Path) {
    let files = html_files(out);
    assert!(files.len() > 5, "too few pages: {}", files.len());
    for (path, html) in &files {
        for (tag, attributes) in start_tags(html) {
            for (name, value) in &attributes {
                assert!(
                    KNOWN.contains(&name.as_str()),
                    "{path}: <{tag}> has attribute `{name}`={value:?}: {attributes:?}"
                );
                if name == "id" && tag.len() == 2 && tag.starts_with('h') {
                    assert!(
                        value
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                        "{path}: heading id {value:?}"
                    );
                }
            }
            if tag == "script" {
                assert!(
                    attributes.iter().any(|(n, _)| n == "src"),
                    "{path}: inline <script>"
                );
            }
        }
    }
}

/// A site with Markdown in every kind of field, `hostile` written in each
/// after a heading, as heading attributes.
fn site_with_heading_attributes(attributes: &str) -> Fixture {
    let h = format!("## Kop {attributes}");
    Fixture::new()
        .file(
            "content/pagina.md",
            &format!("---\ntitle: Pagina\n---\nTekst.\n\n{h}\n\nMeer.\n"),
        )
        .file(
            "content/jaarverslag/2023/_index.md",
            "---\ntitle: Jaarverslag 2023\nkind: report\n---\nInleiding.\n",
        )
        .file(
            "content/jaarverslag/2023/01-hoofdstuk.md",
            &format!("---\ntitle: Hoofdstuk\n---\n{h}\n\nTekst.\n"),
        )
        .file(
            "content/notas/nota.md",
            &format!(
                "---\ntitle: Nota\nkind: note\ndate: 2023-02-10\nnote_type: Notitie\norganisation: G40\nkernboodschap: |\n  {h}\n\n  De kern.\n---\nTekst.\n"
            ),
        )
        .file(
            "content/netwerkdagen/_index.md",
            "---\ntitle: Netwerkdagen\n---\n",
        )
        .file(
            "content/netwerkdagen/dag.yaml",
            &format!(
                "kind: programme\ntitle: Netwerkdag\ndate: 2023-02-10\nintro: |\n  {h}\n\n  Welkom.\nrooms:\n  - {{ id: zaal1, name: Zaal 1 }}\nsessions:\n  - time: 10.00-11.00\n    title: Sessie\n    room: zaal1\n    description: |\n      {h}\n\n      Over wonen.\n"
            ),
        )
        .file(
            "content/functies/bestuur.yaml",
            &format!(
                "kind: roles\ntitle: Functies\nintro: |\n  {h}\n\n  Inleiding.\nroles:\n  - id: voorzitter\n    title: Voorzitter\n    time: 4 uur per week\n    paid: false\n    duties:\n      - |\n        {h}\n\n        Leidt de vergadering.\n"
            ),
        )
}

#[test]
fn an_attribute_break_in_a_heading_id_fails_the_build_in_every_markdown_field() {
    let site = site_with_heading_attributes(BREAK);
    let errors = site.errors();
    for file in [
        "content/pagina.md",
        "content/jaarverslag/2023/01-hoofdstuk.md",
        "content/notas/nota.md",
        "content/netwerkdagen/dag.yaml",
        "content/functies/bestuur.yaml",
    ] {
        let found: Vec<_> = errors
            .0
            .iter()
            .filter(|d| d.file == Path::new(file) && d.message.contains("heading id"))
            .collect();
        assert!(
            !found.is_empty(),
            "no heading id error in {file}:\n{errors}"
        );
        assert!(found.iter().all(|d| d.line.is_some()), "{errors}");
    }
    // Programme: intro and session description; roles: intro and duty.
    let in_file = |f: &str| errors.0.iter().filter(|d| d.file == Path::new(f)).count();
    assert_eq!(in_file("content/netwerkdagen/dag.yaml"), 2, "{errors}");
    assert_eq!(in_file("content/functies/bestuur.yaml"), 2, "{errors}");
    let page = errors
        .0
        .iter()
        .find(|d| d.file == Path::new("content/pagina.md"))
        .unwrap();
    assert_eq!((page.line, page.column), (Some(6), Some(8)), "{page}");
}

#[test]
fn the_binary_refuses_the_attack_and_writes_only_known_attributes() {
    // As an editor runs it: in the site folder, no --root.
    let site = site_with_heading_attributes(BREAK);
    let run = site.run(&["build"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("--> content/pagina.md:6:8")
            && stderr.contains("heading id `x\"autofocus/onfocus=\"alert(1)`"),
        "{stderr}"
    );
    assert!(!site.out().exists(), "a failed build wrote output");

    // Ids and classes of safe characters are written, and read back as
    // exactly those attributes; the anchor links to the id.
    let site = site_with_heading_attributes("{#eigen-kop .klasse_1 .twee}");
    site.run_ok(&["build"]);
    assert_only_known_attributes(&site.out());
    let html = site.read("pagina/index.html");
    let tags = start_tags(&html);
    let h2 = tags
        .iter()
        .position(|(t, a)| t == "h2" && a.first().is_some_and(|(_, v)| v == "eigen-kop"))
        .unwrap_or_else(|| panic!("no <h2 id=eigen-kop> in {html}"));
    assert_eq!(
        tags[h2].1,
        [
            ("id".to_string(), "eigen-kop".to_string()),
            ("class".to_string(), "klasse_1 twee".to_string())
        ]
    );
    assert_eq!(
        tags[h2 + 1],
        (
            "a".to_string(),
            vec![
                ("class".to_string(), "heading-anchor".to_string()),
                ("href".to_string(), "#eigen-kop".to_string())
            ]
        )
    );
}

#[test]
fn classes_and_other_attributes_after_a_heading_are_checked_too() {
    for (attributes, message) in [
        ("{.a\"b}", "heading class `a\"b`"),
        ("{onclick=alert(1)}", "heading attribute `onclick`"),
        ("{#ok data-x=1}", "heading attribute `data-x`"),
        ("{#één}", "heading id `één`"),
    ] {
        let site = Fixture::new().file(
            "content/pagina.md",
            &format!("---\ntitle: Pagina\n---\n## Kop {attributes}\n"),
        );
        let errors = site.errors();
        assert!(
            errors
                .0
                .iter()
                .any(|d| d.message.contains(message) && d.line == Some(4)),
            "{attributes}: {errors}"
        );
    }
}

#[test]
fn hostile_text_in_every_generated_attribute_stays_inside_it() {
    // Text that ends up in markup the build writes itself: code block
    // languages (class), footnote names (ids and hrefs), link and image
    // titles and URLs, heading text (the anchor's label), titles and ids
    // that become ids, `data-` values and `href`s in the theme.
    let evil = "x\"onmouseover=alert(1) '<b>";
    let page = format!(
        "---\ntitle: 'Pagina {q}'\nsummary: '{q}'\n---\n## Kop {q}\n\n```{lang}\ncode\n```\n\nNoot[^{note}].\n\n[link](https://vng.nl/a\"b \"t'<i>\") [intern](/a\"b) ![plaatje {evil}](k.png 't\"<i>')\n\n[^{note}]: De noot.\n",
        q = evil.replace('\'', "''"),
        lang = "x\"onclick=alert(1)",
        note = "a\"b",
    );
    let yaml_evil = evil.replace('\'', "''");
    let site = Fixture::new()
        .file(
            "site.yaml",
            &format!(
                "title: 'Site {yaml_evil}'\nbase_url: https://example.nl\ndescription: '{yaml_evil}'\nmenu:\n  - {{ title: '{yaml_evil}', path: /pagina/ }}\n  - {{ title: Extern, path: 'https://vng.nl/\"onclick=x' }}\n"
            ),
        )
        .file("content/pagina.md", &page)
        // The image exists: a missing one is an error of its own.
        .bytes("content/k.png", &crate::common::images::png(600, 300, 0))
        .file(
            "content/netwerkdagen/_index.md",
            "---\ntitle: Netwerkdagen\n---\n",
        )
        .file(
            "content/netwerkdagen/dag.yaml",
            &format!(
                "kind: programme\ntitle: 'Dag {yaml_evil}'\ndate: 2023-02-10\nrooms:\n  - {{ id: zaal1, name: 'Zaal {yaml_evil}' }}\nsessions:\n  - time: 10.00-11.00\n    title: 'Sessie {yaml_evil}'\n    room: zaal1\n"
            ),
        )
        .file(
            "content/functies/bestuur.yaml",
            &format!(
                "kind: roles\ntitle: 'Functies {yaml_evil}'\nroles:\n  - id: voorzitter\n    title: 'Voorzitter {yaml_evil}'\n    time: '{yaml_evil}'\n    paid: false\n    duties: ['{yaml_evil}']\n"
            ),
        );
    site.run_ok(&["build"]);
    assert_only_known_attributes(&site.out());
    // And the hostile text is there, as text or attribute value, not lost.
    let html = site.read("pagina/index.html");
    let tags = start_tags(&html);
    let code = tags
        .iter()
        .find(|(t, _)| t == "code")
        .expect("a code element");
    assert_eq!(code.1[0].1, "language-x&quot;onclick=alert(1)");
    let img = tags.iter().find(|(t, _)| t == "img").expect("an image");
    assert!(
        img.1
            .iter()
            .any(|(n, v)| n == "alt" && v.contains("onmouseover=alert(1)")),
        "{img:?}"
    );
}

#[test]
fn the_tokeniser_sees_an_attribute_break() {
    // The test's own reader must see what a browser sees.
    let tags = start_tags("<h2 id=\"x\"autofocus/onfocus=\"alert(1)\">Kop</h2><p class='a'>x");
    assert_eq!(
        tags[0].1,
        [
            ("id".to_string(), "x".to_string()),
            ("autofocus".to_string(), String::new()),
            ("onfocus".to_string(), "alert(1)".to_string())
        ]
    );
    assert_eq!(tags[1].1, [("class".to_string(), "a".to_string())]);
}
