//! Shortcodes (issue 17): `{{ name(args) }}` and `{% name(args) %} ...
//! {% end %}` in Markdown bodies, each a Tera template in the theme's
//! `shortcodes/`, overridable by the site. The built-ins' output, code that
//! is never expanded, a site's own shortcode, and the located errors, all
//! through the real binary run in the site folder.

use crate::common::{Fixture, html::start_tags, line_of, main_of, span};

const STEDEN: &str = "\
- { name: Breda, provincie: Noord-Brabant, inwoners: 184000 }
- { name: Almere, provincie: Flevoland, inwoners: 220000 }
- { name: Alkmaar, provincie: Noord-Holland, inwoners: 110000 }
";

fn site() -> Fixture {
    Fixture::new()
        .file("content/_data/steden.yaml", STEDEN)
        // Wider than 960 pixels: the figure gets a srcset (checked by axe
        // and vnu below).
        .bytes(
            "content/kaart.png",
            &crate::common::images::png(1000, 600, 0),
        )
        .file(
            "content/jaarverslag/voorwoord.md",
            "---\ntitle: Voorwoord\n---\nTekst.\n",
        )
        .file(
            "content/jaarverslag/concept.md",
            "---\ntitle: Concept\ndraft: true\n---\nTekst.\n",
        )
}

/// Build `body` as content/over.md with the binary; the page's `<main>`.
fn page(site: &Fixture, body: &str) -> String {
    site.write("content/over.md", &format!("---\ntitle: Over\n---\n{body}"));
    site.run_ok(&["build"]);
    main_of(&site.read("over/index.html")).to_string()
}

/// Build `body` as content/over.md, expecting failure: what the binary
/// printed on stderr.
fn failing(body: &str) -> String {
    let site = site();
    site.write("content/over.md", &format!("---\ntitle: Over\n---\n{body}"));
    let out = site.run(&["build"]);
    assert!(!out.status.success(), "the build should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The printed error for `content/over.md` at `line:column` (the file's
/// lines, front matter included): its block up to the hint.
fn error_at(stderr: &str, line: usize, column: usize) -> &str {
    let at = format!("content/over.md:{line}:{column}");
    let i = stderr
        .find(&at)
        .unwrap_or_else(|| panic!("no error at {at} in:\n{stderr}"));
    let start = stderr[..i].rfind("error:").unwrap_or(0);
    let end = stderr[i..].find("= hint:").map_or(stderr.len(), |h| {
        i + h + stderr[i + h..].find('\n').unwrap_or(stderr.len() - i - h)
    });
    &stderr[start..end]
}

#[test]
fn figure_becomes_a_figure_with_caption_and_credit() {
    let main = page(
        &site(),
        "Intro.\n\n{{ figure(src=\"kaart.png\", alt=\"Kaart van de G40-steden\", caption=\"De 41 steden\", credit=\"G40\") }}\n",
    );
    let figure = span(&main, "<figure", "</figure>");
    let img = start_tags(figure)
        .into_iter()
        .find(|(n, _)| n == "img")
        .expect("an img");
    let attr = |k: &str| img.1.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(attr("src").as_deref(), Some("/kaart.png"));
    assert_eq!(attr("alt").as_deref(), Some("Kaart van de G40-steden"));
    assert!(
        figure.contains(
            "<figcaption>De 41 steden <span class=\"figure-credit\">Beeld: G40</span></figcaption>"
        ),
        "{figure}"
    );
    // A figure alone on its line is not wrapped in a paragraph.
    assert!(
        !main.contains("<p><figure") && !main.contains("<p>\n<figure"),
        "{main}"
    );
}

#[test]
fn doc_links_to_a_document_by_its_source_file() {
    let main = page(
        &site(),
        "Lees {{ doc(path=\"jaarverslag/voorwoord.md\", text=\"het voorwoord\") }} eerst.\n",
    );
    assert!(
        main.contains("<p>Lees <a href=\"/jaarverslag/voorwoord/\">het voorwoord</a> eerst.</p>"),
        "{main}"
    );
}

#[test]
fn data_table_is_an_accessible_sorted_table() {
    let main = page(
        &site(),
        "{{ data_table(file=\"steden\", caption=\"Steden naar inwoners\", columns=\"name, inwoners\", sort=\"inwoners\") }}\n",
    );
    let table = span(&main, "<table", "</table>");
    assert!(
        table.contains("<caption>Steden naar inwoners</caption>"),
        "{table}"
    );
    assert_eq!(table.matches("<th scope=\"col\">").count(), 2, "{table}");
    assert!(table.contains("<th scope=\"col\">Name</th><th scope=\"col\">Inwoners</th>"));
    // Sorted by number, ascending; the unchosen column is left out.
    let alkmaar = table.find("Alkmaar").unwrap();
    let breda = table.find("Breda").unwrap();
    let almere = table.find("Almere").unwrap();
    assert!(alkmaar < breda && breda < almere, "{table}");
    assert!(!table.contains("Flevoland"));
}

#[test]
fn steden_lists_the_member_cities() {
    let main = page(&site(), "{{ steden() }}\n");
    let list = span(&main, "<ul class=\"steden\">", "</ul>");
    assert_eq!(list.matches("<li>").count(), 3, "{list}");
    assert!(list.contains("<li>Breda</li>"));
}

#[test]
fn code_blocks_and_inline_code_are_never_expanded() {
    let main = page(
        &site(),
        "Schrijf `{{ steden() }}` zo.\n\n```\n{{ bestaat_niet() }}\n```\n\nEn {{ page.title }} blijft tekst.\n",
    );
    assert!(main.contains("<code>{{ steden() }}</code>"), "{main}");
    assert!(main.contains("{{ bestaat_niet() }}"), "{main}");
    assert!(main.contains("En {{ page.title }} blijft tekst."), "{main}");
    assert!(!main.contains("class=\"steden\""));
}

#[test]
fn a_site_overrides_a_shortcode_and_adds_its_own() {
    let site = site()
        .file(
            "templates/shortcodes/figure.html",
            "{# args: src: string, alt: string, caption: string?, credit: string? #}\n<figure class=\"eigen\"><img src=\"{{ url }}\" alt=\"{{ alt }}\"></figure>\n",
        )
        .file(
            "templates/shortcodes/kader.html",
            "{# args: kop: string, breed: bool? #}\n<div class=\"kader{% if breed %} breed{% endif %}\"><p><strong>{{ kop }}</strong></p>{{ body | safe }}</div>\n",
        );
    let main = page(
        &site,
        "{{ figure(src=\"kaart.png\", alt=\"Kaart\") }}\n\n{% kader(kop=\"Let wel\", breed=true) %}\nDit is **vet**.\n{% end %}\n\nNa.\n",
    );
    assert!(
        main.contains("<figure class=\"eigen\"><img src=\"/kaart.png\" alt=\"Kaart\"></figure>"),
        "{main}"
    );
    assert!(
        main.contains("<div class=\"kader breed\"><p><strong>Let wel</strong></p><p>Dit is <strong>vet</strong>.</p>\n</div>"),
        "{main}"
    );
    assert!(main.contains("<p>Na.</p>"));
}

#[test]
fn an_unknown_shortcode_is_located_with_the_list_as_hint() {
    let err = failing("Tekst.\n\nEen {{ kaartje(a=1) }} hier.\n");
    let e = error_at(&err, 6, 5);
    assert!(e.contains("there is no shortcode `kaartje`"), "{e}");
    assert!(
        e.contains("`data_table`, `doc`, `figure`, `netwerkdagen`, `steden`"),
        "{e}"
    );
}

#[test]
fn a_missing_or_wrongly_typed_argument_is_located_with_the_argument_list() {
    let err =
        failing("{{ figure(src=\"kaart.png\") }}\n\n{{ figure(src=\"kaart.png\", alt=3) }}\n");
    let sig =
        "figure(src: string, alt: string, caption: string (optional), credit: string (optional))";
    let missing = error_at(&err, 4, 1);
    assert!(
        missing.contains("shortcode `figure` needs the argument `alt`"),
        "{missing}"
    );
    assert!(missing.contains(sig), "{missing}");
    let typed = error_at(&err, 6, 1);
    assert!(
        typed.contains("argument `alt` must be a string, not a number"),
        "{typed}"
    );
    assert!(typed.contains(sig), "{typed}");
}

#[test]
fn a_malformed_call_is_located_at_the_fault() {
    let body = "{{ figure(src=\"kaart.png\" alt=\"x\") }}\n\n{{ doc(path=weg, text=\"x\") }}\n\n{% doc(path=\"x.md\", text=\"y\") %}\nnooit dicht\n";
    let err = failing(body);
    let comma = error_at(&err, 4, 27);
    assert!(
        comma.contains("expected `,` or `)` after argument `src`"),
        "{comma}"
    );
    assert!(
        comma.contains("arguments: figure(src: string, alt: string"),
        "{comma}"
    );
    let unquoted = error_at(&err, 6, 13);
    assert!(unquoted.contains("`weg` is not a value"), "{unquoted}");
    assert!(
        unquoted.contains("arguments: doc(path: string, text: string)"),
        "{unquoted}"
    );
    let unclosed = error_at(&err, 8, 1);
    assert!(
        unclosed.contains("is not closed with `{% end %}`"),
        "{unclosed}"
    );
}

#[test]
fn doc_to_a_missing_or_draft_document_is_the_link_error() {
    let body = "{{ doc(path=\"jaarverslag/voorwoort.md\", text=\"x\") }}\n\n{{ doc(path=\"jaarverslag/concept.md\", text=\"y\") }}\n";
    let err = failing(body);
    let missing = error_at(&err, 4, 1);
    assert!(
        missing.contains("there is no such content file"),
        "{missing}"
    );
    assert!(
        missing.contains("did you mean `jaarverslag/voorwoord.md`?"),
        "{missing}"
    );
    let draft = error_at(&err, 6, 1);
    assert!(draft.contains("that document is a draft"), "{draft}");
}

#[test]
fn data_table_with_an_unknown_file_or_column_is_located() {
    let body = "{{ data_table(file=\"gemeenten\", caption=\"G\") }}\n\n{{ data_table(file=\"steden\", caption=\"S\", columns=\"name, zetels\") }}\n";
    let err = failing(body);
    let file = error_at(&err, 4, 1);
    assert!(
        file.contains("there is no data file `content/_data/gemeenten.yaml`"),
        "{file}"
    );
    assert!(file.contains("`steden`"), "{file}");
    let column = error_at(&err, 6, 1);
    assert!(
        column.contains("`steden.yaml` has no column `zetels`"),
        "{column}"
    );
    assert!(
        column.contains("columns in `steden.yaml`: name, provincie, inwoners"),
        "{column}"
    );
}

#[test]
fn lines_after_a_multi_line_call_keep_their_numbers() {
    // The call spans two lines; the broken link below it is still
    // reported on its own line.
    let body = "{{ figure(src=\"kaart.png\",\n   alt=\"Kaart\") }}\n\nZie [weg](weg.md).\n";
    let err = failing(body);
    let file = format!("---\ntitle: Over\n---\n{body}");
    let line = line_of(&file, "[weg]");
    assert!(err.contains(&format!("content/over.md:{line}:")), "{err}");
}

#[test]
fn netwerkdagen_lists_every_programme_with_date_city_and_link() {
    let site = site()
        .file(
            "content/netwerkdagen/_index.md",
            "---\ntitle: Netwerkdagen\n---\nAlle dagen.\n",
        )
        .file(
            "content/netwerkdagen/najaar.yaml",
            "kind: programme\ntitle: Netwerkdag najaar\ndate: 2024-11-01\ncity: Deventer\n",
        )
        .file(
            "content/netwerkdagen/voorjaar.yaml",
            "kind: programme\ntitle: Netwerkdag voorjaar\ndate: 2023-02-10\ncity: Haarlem\n",
        );
    let main = page(&site, "{{ netwerkdagen() }}\n");
    let list = span(&main, "<ul class=\"netwerkdagen\">", "</ul>");
    assert_eq!(list.matches("<li>").count(), 2, "{list}");
    // Oldest first, each with its date, city and a link to its page.
    let first = list.find("Netwerkdag voorjaar").unwrap();
    let second = list.find("Netwerkdag najaar").unwrap();
    assert!(first < second, "{list}");
    assert!(
        list.contains("<li><a href=\"/netwerkdagen/voorjaar/\"><time datetime=\"2023-02-10\">10 februari 2023</time>, Haarlem</a>: Netwerkdag voorjaar</li>"),
        "{list}"
    );
    assert!(site.exists("netwerkdagen/voorjaar/index.html"));
}

#[test]
fn thousands_of_broken_calls_and_code_spans_end_quickly_with_errors() {
    // Unclosed blocks, unknown shortcodes and code spans by the thousand:
    // the build fails with located errors in bounded time, no hang.
    let mut body = String::new();
    for n in 0..20_000 {
        body.push_str(&format!(
            "`{{{{ x() }}}}` {{% blok{n}() %}} {{{{ weg{n}() }}}}\n"
        ));
    }
    let started = std::time::Instant::now();
    let err = failing(&body);
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(
        err.contains("content/over.md:4:"),
        "{}",
        &err[..err.len().min(2000)]
    );
}

#[test]
fn a_page_with_callouts_and_shortcodes_passes_axe_and_vnu() {
    let site = site().file(
        "content/jaarverslag/_index.md",
        "---\ntitle: Jaarverslag\n---\nHet jaar.\n",
    );
    page(
        &site,
        "Intro.\n\n> [!WARNING]\n> De locatie is gewijzigd.\n\n> [!TIP]\n> Lees {{ doc(path=\"jaarverslag/voorwoord.md\", text=\"het voorwoord\") }}.\n\n{{ figure(src=\"kaart.png\", alt=\"Kaart van de G40-steden\", caption=\"De steden\", credit=\"G40\") }}\n\n{{ data_table(file=\"steden\", caption=\"Steden\", columns=\"name, provincie\", sort=\"name\") }}\n\n{{ steden() }}\n",
    );
    // Where the checkers are installed (always in CI; see docs/testing.md).
    let (Some(chromium), Some(checkers)) = (
        crate::common::browser::chromium(),
        crate::common::browser::checkers(),
    ) else {
        return;
    };
    let server = g40site::testing::StaticServer::from_dir(&site.out(), "").unwrap();
    let axe = checkers.axe(&chromium, &server.origin(), &["/over/".to_string()]);
    assert!(axe.violations.is_empty(), "{}", axe.describe());
    let vnu = checkers.vnu(&site.out());
    let on_page: Vec<_> = vnu
        .errors
        .iter()
        .filter(|(file, ..)| file.contains("over"))
        .collect();
    assert!(on_page.is_empty(), "{}", vnu.describe());
}

#[test]
fn an_unreadable_args_line_is_an_error_in_the_template() {
    let site = site().file(
        "templates/shortcodes/kader.html",
        "{# args: kop: tekst #}\n<div>{{ kop }}</div>\n",
    );
    site.write("content/over.md", "---\ntitle: Over\n---\nTekst.\n");
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("shortcode argument type `tekst` is not known"),
        "{stderr}"
    );
    assert!(
        stderr.contains("templates/shortcodes/kader.html:1:1"),
        "{stderr}"
    );
    assert!(stderr.contains("types string, number, bool"), "{stderr}");
}

#[test]
fn arguments_are_escaped_and_a_script_address_is_refused() {
    let main = page(
        &site(),
        "{{ figure(src=\"kaart.png\", alt=\"Een \\\"kaart\\\" <script>x()</script>\", caption=\"<b onclick=x()>c</b>\") }}\n",
    );
    assert!(
        main.contains("alt=\"Een &quot;kaart&quot; &lt;script&gt;x()&lt;/script&gt;\""),
        "{main}"
    );
    assert!(
        main.contains("<figcaption>&lt;b onclick=x()&gt;c&lt;/b&gt;</figcaption>"),
        "{main}"
    );
    assert!(crate::common::html::script_in(&main).is_none(), "{main}");
    let err = failing("{{ figure(src=\"javascript:alert(1)\", alt=\"x\") }}\n");
    assert!(
        error_at(&err, 4, 1).contains("is not a safe address"),
        "{err}"
    );
}
