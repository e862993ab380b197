//! Role sets (`kind: roles`): what the overview, the role pages and the
//! print page show, where roles appear on pillar and theme-group pages,
//! and every validation error with its location.

use std::path::Path;

use g40site::BuildOptions;
use g40site::Diagnostic;

use crate::common::{Fixture, line_of, main_of, only};

/// The site every test here starts from, before its own files.
fn site() -> Fixture {
    Fixture::empty()
        .file(
            "site.yaml",
            "title: G40 Stedennetwerk\nbase_url: https://www.example.nl\nlanguage: nl\n\
             organisation:\n  name: G40 Stedennetwerk\n",
        )
        .file("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n")
        .file(
            "content/_data/pijlers.yaml",
            "- { id: sociaal, name: Pijler Sociaal }\n- { id: fysiek, name: Pijler Fysiek }\n",
        )
        .file(
            "content/_data/themagroepen.yaml",
            "- { id: europa, name: Europa }\n\
             - { id: interbestuurlijke-samenwerking, name: Interbestuurlijke samenwerking, aliases: [ibs] }\n",
        )
        .file(
            "content/bestuur/_index.md",
            "---\ntitle: Bestuur\n---\nHet bestuur.\n",
        )
}

const ROLES: &str = "\
kind: roles
title: Beschrijving functies G40
date: 2026-04-24
summary: De bestuursfuncties van 2026.
intro: |
  Binnenkort zijn er **verkiezingen**.

  ## Planning

  | Wanneer | Wat |
  |---|---|
  | 10 september 2026 | Verkiezing tijdens de netwerkdagen |
roles:
  - id: voorzitter
    title: Voorzitter
    summary: Gezicht van de G40.
    member_of: Dagelijks Bestuur
    paid: false
    duties:
      - Is het bestuurlijke gezicht van de G40.
      - Heeft *Interbestuurlijke samenwerking* in portefeuille.
    competencies: [verbinder, netwerker, mediavaardig]
    time: twee tot vier uur per week
    themagroepen: [ibs]
    support:
      title: Algemeen secretaris
      fte: 0.75
      duties:
        - Is het centrale ambtelijke aanspreekpunt.
    contact:
      name: Marc Jaarsma
      role: algemeen secretaris
      email: secretaris@example.nl
  - id: eerste-vicevoorzitter
    title: Eerste vicevoorzitter
    member_of: Dagelijks Bestuur
    paid: false
    duties: [Vervangt de voorzitter.]
    time: twee tot maximaal vier uur per week
    pijler: sociaal
    support: { title: Plaatsvervangend algemeen secretaris, fte: 0.3 }
    contact: { role: plaatsvervangend secretaris, email: plv@example.nl }
  - id: pijler-vicevoorzitter
    title: Pijler-vicevoorzitter
    paid: true
    duties: [Denkt mee met de pijlervoorzitter.]
    time: niet vastgelegd
";

fn roles_site() -> Fixture {
    let f = site();
    f.write("content/bestuur/functies-2026.yaml", ROLES);
    f
}

#[test]
fn overview_shows_the_roles_at_a_glance() {
    let out = roles_site().render().unwrap();
    let html = &out["bestuur/functies-2026/index.html"];
    assert!(html.contains(
        "<a href=\"/bestuur/\">Bestuur</a> › <span aria-current=\"page\">Beschrijving functies G40</span>"
    ));
    let page = main_of(html);
    assert!(page.contains("<h1>Beschrijving functies G40</h1>"));
    assert!(page.contains("vrijdag 24 april 2026"));
    assert!(page.contains("href=\"/bestuur/functies-2026/print/\""));
    // Who forms the Dagelijks Bestuur, and which roles are not in it.
    assert!(page.contains("<dt>Dagelijks Bestuur</dt>"));
    assert!(page.contains(
        "<a href=\"/bestuur/functies-2026/voorzitter/\">Voorzitter</a> en \
         <a href=\"/bestuur/functies-2026/eerste-vicevoorzitter/\">Eerste vicevoorzitter</a>"
    ));
    assert!(page.contains("<dt>Overige functies</dt>"));
    // The table: one row per role with time, pay and support.
    assert!(page.contains(
        "<caption>Tijdsbeslag, bezoldiging en ambtelijke ondersteuning per functie</caption>"
    ));
    let row = page
        .split("<tr>")
        .find(|r| r.contains("/voorzitter/\">Voorzitter</a></th>"))
        .expect("a row for the voorzitter");
    assert!(row.contains("<td data-label=\"Tijdsbeslag\">twee tot vier uur per week</td>"));
    assert!(row.contains("<td data-label=\"Bezoldigd\">Nee</td>"));
    assert!(row.contains("<td data-label=\"Ondersteuning\">Algemeen secretaris</td>"));
    assert!(row.contains("<data value=\"0.75\">0,75</data>"));
    let row = page
        .split("<tr>")
        .find(|r| r.contains("Pijler-vicevoorzitter</a></th>"))
        .unwrap();
    assert!(
        row.contains("<td data-label=\"Bezoldigd\">Ja</td>"),
        "paid role: {row}"
    );
    // The introduction is Markdown.
    assert!(page.contains("<strong>verkiezingen</strong>"));
    assert!(page.contains("<h2 id=\"planning\">Planning"));
    assert!(page.contains("<td>10 september 2026</td>"));
    assert!(page.contains("<a href=\"#planning\">Planning</a>"), "toc");
    // The list of roles with their summaries.
    assert!(page.contains("<p>Gezicht van de G40.</p>"));
    assert!(!page.contains("Alle functies zijn onbezoldigd"));
}

#[test]
fn each_role_has_its_own_page() {
    let out = roles_site().render().unwrap();
    let html = &out["bestuur/functies-2026/voorzitter/index.html"];
    assert!(
        html.contains("<title>Voorzitter · Beschrijving functies G40 · G40 Stedennetwerk</title>")
    );
    assert!(html.contains("<meta name=\"description\" content=\"Gezicht van de G40.\">"));
    let page = &html[html.find("<nav class=\"breadcrumbs").unwrap()..];
    assert!(page.contains("<a href=\"/bestuur/\">Bestuur</a> › <a href=\"/bestuur/functies-2026/\">Beschrijving functies G40</a> › <span aria-current=\"page\">Voorzitter</span>"));
    assert!(page.contains("Functie 1 van 3"));
    assert!(page.contains("<h1>Voorzitter</h1>"));
    assert!(page.contains("<dt>Lid van</dt><dd>Dagelijks Bestuur</dd>"));
    assert!(page.contains("<dt>Tijdsbeslag</dt><dd>twee tot vier uur per week</dd>"));
    assert!(page.contains("<dt>Bezoldiging</dt><dd>Onbezoldigd</dd>"));
    assert!(page.contains("<dt>Competenties</dt><dd>verbinder, netwerker, mediavaardig</dd>"));
    assert!(
        page.contains("<li>Heeft <em>Interbestuurlijke samenwerking</em> in portefeuille.</li>")
    );
    assert!(page.contains("<strong>Algemeen secretaris</strong>, formeel tijdsbeslag ongeveer <data value=\"0.75\">0,75</data> fte."));
    assert!(page.contains("<li>Is het centrale ambtelijke aanspreekpunt.</li>"));
    assert!(page.contains("Marc Jaarsma, algemeen secretaris"));
    assert!(page.contains("<a href=\"mailto:secretaris@example.nl\">secretaris@example.nl</a>"));
    // The alias `ibs` links to the theme group itself.
    assert!(page.contains("<a href=\"/themagroepen/interbestuurlijke-samenwerking/\">Interbestuurlijke samenwerking</a>"));
    assert!(!page.contains("rel=\"prev\""));
    assert!(page.contains(
        "<a class=\"next\" rel=\"next\" href=\"/bestuur/functies-2026/eerste-vicevoorzitter/\">"
    ));

    let page = main_of(&out["bestuur/functies-2026/eerste-vicevoorzitter/index.html"]);
    assert!(page.contains("rel=\"prev\" href=\"/bestuur/functies-2026/voorzitter/\""));
    assert!(page.contains("rel=\"next\" href=\"/bestuur/functies-2026/pijler-vicevoorzitter/\""));
    assert!(
        page.contains("Vragen over deze functie kunt u stellen aan de plaatsvervangend secretaris")
    );
    assert!(page.contains("<a href=\"/pijlers/sociaal/\">Pijler Sociaal</a>"));

    let page = main_of(&out["bestuur/functies-2026/pijler-vicevoorzitter/index.html"]);
    assert!(page.contains("<dt>Bezoldiging</dt><dd>Bezoldigd</dd>"));
    assert!(!page.contains("Lid van"), "no member_of, no row");
    assert!(
        !page.contains("Ambtelijke ondersteuning"),
        "no support, no section"
    );
    assert!(!page.contains("rel=\"next\""));
}

#[test]
fn print_page_has_every_role() {
    let out = roles_site().render().unwrap();
    let html = &out["bestuur/functies-2026/print/index.html"];
    assert!(html.contains("<body class=\"print-edition roles-print\">"));
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://www.example.nl/bestuur/functies-2026/\">"
    ));
    let page = main_of(html);
    assert!(page.contains("<p class=\"organisation\">G40 Stedennetwerk</p>"));
    assert!(page.contains("<time datetime=\"2026-04-24\">24 april 2026</time>"));
    // The table links within the page.
    assert!(page.contains("<a href=\"#functie-voorzitter\">Voorzitter</a></th>"));
    assert!(page.contains("<strong>verkiezingen</strong>"));
    let mut last = 0;
    for (n, id, title) in [
        (1, "voorzitter", "Voorzitter"),
        (2, "eerste-vicevoorzitter", "Eerste vicevoorzitter"),
        (3, "pijler-vicevoorzitter", "Pijler-vicevoorzitter"),
    ] {
        let heading = format!(
            "<h2 id=\"functie-{id}-titel\"><span class=\"role-number\">{n}.</span> {title}</h2>"
        );
        let at = page.find(&heading).unwrap_or_else(|| panic!("{heading}"));
        assert!(at > last, "roles in order");
        last = at;
        assert!(page.contains(&format!(
            "<article class=\"print-role\" id=\"functie-{id}\""
        )));
    }
    assert!(page.contains("<h3>Taken</h3>"));
    assert!(page.contains("<h3>Ambtelijke ondersteuning</h3>"));
    // print.css puts each role on its own A4 page.
    let css = &out["print.css"];
    assert!(css.contains(".roles-print .print-role { break-before: page;"));
    assert!(css.contains("size: A4"));
}

#[test]
fn section_lists_the_role_set_and_sitemap_has_its_pages() {
    let f = roles_site();
    f.write(
        "content/bestuur/organisatie.md",
        "---\ntitle: Organisatie\nweight: 1\n---\nTekst.\n",
    );
    let out = f.render().unwrap();
    let section = main_of(&out["bestuur/index.html"]);
    let page_at = section.find("href=\"/bestuur/organisatie/\"").unwrap();
    let set_at = section
        .find("<a href=\"/bestuur/functies-2026/\">Beschrijving functies G40</a>")
        .expect("the role set is listed");
    assert!(page_at < set_at, "weighted page first");
    assert!(section.contains("<p>De bestuursfuncties van 2026.</p>"));
    let sitemap = &out["sitemap.xml"];
    assert!(sitemap.contains("<loc>https://www.example.nl/bestuur/functies-2026/</loc>"));
    assert!(
        sitemap.contains("<loc>https://www.example.nl/bestuur/functies-2026/voorzitter/</loc>")
    );
    assert!(!sitemap.contains("/print/"));
}

#[test]
fn roles_show_up_on_pillar_and_theme_group_pages() {
    let f = roles_site();
    f.write(
        "content/bestuur/functies-2026.yaml",
        &ROLES.replace(
            "date: 2026-04-24\n",
            "date: 2026-04-24\nthemagroepen: [europa]\n",
        ),
    );
    let out = f.render().unwrap();
    let group = main_of(&out["themagroepen/interbestuurlijke-samenwerking/index.html"]);
    assert!(group.contains("<h2 id=\"groep-1\">Functies</h2>"));
    assert!(group.contains("<a href=\"/bestuur/functies-2026/voorzitter/\">Voorzitter</a> <span class=\"context\">(Beschrijving functies G40)</span>"));
    let pillar = main_of(&out["pijlers/sociaal/index.html"]);
    assert!(pillar.contains(
        "<a href=\"/bestuur/functies-2026/eerste-vicevoorzitter/\">Eerste vicevoorzitter</a>"
    ));
    // The set itself names Europa.
    let europa = main_of(&out["themagroepen/europa/index.html"]);
    assert!(europa.contains("<a href=\"/bestuur/functies-2026/\">Beschrijving functies G40</a>"));
    let overview = main_of(&out["bestuur/functies-2026/index.html"]);
    assert!(overview.contains("<a href=\"/themagroepen/europa/\">Europa</a>"));
}

#[test]
fn markdown_pages_can_link_to_a_role_set() {
    let f = roles_site();
    f.write(
        "content/bestuur/verkiezing.md",
        "---\ntitle: Verkiezing\n---\nZie [de functies](functies-2026.yaml).\n",
    );
    let out = f.render().unwrap();
    assert!(
        out["bestuur/verkiezing/index.html"]
            .contains("<a href=\"/bestuur/functies-2026/\">de functies</a>")
    );
}

#[test]
fn build_writes_all_role_pages() {
    let f = roles_site();
    let out = f.root().join("output");
    let summary = g40site::build(f.root(), &BuildOptions::default()).unwrap();
    assert_eq!(summary.output_dir, out);
    for page in [
        "",
        "voorzitter/",
        "eerste-vicevoorzitter/",
        "pijler-vicevoorzitter/",
        "print/",
    ] {
        assert!(
            out.join(format!("bestuur/functies-2026/{page}index.html"))
                .is_file(),
            "{page}"
        );
    }
}

#[test]
fn the_example_site_builds_its_role_set() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let outputs = g40site::build_in_memory(root, &BuildOptions::default())
        .unwrap_or_else(|e| panic!("the example site must build:\n{e}"));
    let find = |p: &str| {
        outputs
            .iter()
            .find(|o| o.path == p)
            .map(|o| String::from_utf8_lossy(&o.bytes).replace('\u{AD}', ""))
            .unwrap_or_else(|| panic!("no {p}"))
    };
    let overview = find("bestuur/functies-2026/index.html");
    assert!(overview.contains("<dt>Dagelijks Bestuur</dt>"));
    for id in [
        "voorzitter",
        "eerste-vicevoorzitter",
        "tweede-vicevoorzitter",
        "pijlervoorzitter",
        "pijler-vicevoorzitter",
    ] {
        assert!(find(&format!("bestuur/functies-2026/{id}/index.html")).contains("<h2>Taken</h2>"));
    }
    assert!(
        find("bestuur/functies-2026/print/index.html").contains("functie-pijler-vicevoorzitter")
    );
    assert!(find("bestuur/index.html").contains("href=\"/bestuur/functies-2026/\""));
}

/// Every complete example in docs/roles-and-notes.md (a code block right
/// after a `<!-- example: content/... -->` line) builds.
#[test]
fn documented_examples_build() {
    let docs = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/roles-and-notes.md"),
    )
    .unwrap();
    let f = site();
    let mut count = 0;
    let mut rest = docs.as_str();
    while let Some(i) = rest.find("\n<!-- example: ") {
        rest = &rest[i + "\n<!-- example: ".len()..];
        let path = &rest[..rest.find(" -->").unwrap()];
        let fence = rest.find("```").unwrap();
        let body_start = fence + rest[fence..].find('\n').unwrap() + 1;
        let body_end = body_start + rest[body_start..].find("\n```").unwrap() + 1;
        f.write(path, &rest[body_start..body_end]);
        count += 1;
        rest = &rest[body_end..];
    }
    assert_eq!(count, 2, "docs have two examples");
    let out = f
        .render()
        .unwrap_or_else(|e| panic!("the documented examples must build:\n{e}"));
    assert!(out.contains_key("bestuur/functies-2026/print/index.html"));
    assert!(
        out["notas/2022-08-30-onderzoek-organisatie-g40/index.html"].contains("note-letterhead")
    );
}

// --- validation -------------------------------------------------------------

/// Build the fixture with `roles` as the role set; its errors.
fn role_errors(roles: &str) -> Vec<Diagnostic> {
    let f = site();
    f.write("content/bestuur/functies.yaml", roles);
    f.render_errors()
}

#[test]
fn missing_required_field_is_located() {
    let text = ROLES.replace("    time: niet vastgelegd\n", "");
    let errors = role_errors(&text);
    let e = only(&errors);
    assert_eq!(
        e.message,
        "role `pijler-vicevoorzitter`: missing field `time`"
    );
    assert_eq!(e.file, Path::new("content/bestuur/functies.yaml"));
    assert_eq!(e.line, Some(line_of(&text, "- id: pijler-vicevoorzitter")));
}

#[test]
fn wrong_type_is_located() {
    let text = ROLES.replace("    paid: true\n", "    paid: nee\n");
    let errors = role_errors(&text);
    let e = only(&errors);
    assert!(
        e.message
            .contains("`paid` must be `true` or `false`, not `nee`"),
        "{}",
        e.message
    );
    assert!(e.hint.as_deref().unwrap().contains("write `false`"));
    assert_eq!(e.line, Some(line_of(&text, "paid: nee")));
}

#[test]
fn unknown_field_is_located() {
    let text = ROLES.replace("      fte: 0.75\n", "      fte: 0.75\n      ftee: 1\n");
    let errors = role_errors(&text);
    let e = only(&errors);
    assert!(
        e.message
            .starts_with("role `voorzitter` (support): unknown field `ftee`"),
        "{}",
        e.message
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean `fte`?"));
    assert_eq!(e.line, Some(line_of(&text, "ftee: 1")));
    assert_eq!(e.column, Some(7));
}

#[test]
fn fte_written_with_a_comma_is_explained() {
    let text = ROLES.replace("fte: 0.75", "fte: 0,75");
    let errors = role_errors(&text);
    let e = only(&errors);
    assert!(
        e.message.contains("`fte` must be a number"),
        "{}",
        e.message
    );
    assert!(e.message.contains("write `0.75`"), "{}", e.message);
    assert_eq!(e.line, Some(line_of(&text, "fte: 0,75")));
    assert_eq!(e.column, Some(12));
}

#[test]
fn fte_out_of_range_is_located() {
    let text = ROLES
        .replace("fte: 0.75", "fte: 1.5")
        .replace("fte: 0.3", "fte: 0");
    let errors = role_errors(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let e = errors
        .iter()
        .find(|e| e.message.contains("is 1.5"))
        .unwrap();
    assert!(
        e.message
            .contains("`fte` of role `voorzitter` is 1.5, outside the range 0–1")
    );
    assert_eq!(e.line, Some(line_of(&text, "fte: 1.5")));
    assert_eq!(e.column, Some(7));
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .contains("more than 0 and at most 1")
    );
    let e = errors
        .iter()
        .find(|e| e.message.contains("is 0,"))
        .unwrap_or_else(|| errors.iter().find(|e| e.message.contains("is 0")).unwrap());
    assert!(e.message.contains("role `eerste-vicevoorzitter`"));
    // A flow mapping: the column points at `fte` inside the braces.
    let line = line_of(&text, "fte: 0 }");
    assert_eq!(e.line, Some(line));
    let col = text.lines().nth(line - 1).unwrap().find("fte:").unwrap() + 1;
    assert_eq!(e.column, Some(col));
}

#[test]
fn duplicate_role_ids_are_located() {
    let text = ROLES.replace("  - id: pijler-vicevoorzitter", "  - id: voorzitter");
    let errors = role_errors(&text);
    let e = only(&errors);
    assert_eq!(e.message, "role id `voorzitter` is used twice");
    let last = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("- id: voorzitter"))
        .last()
        .unwrap()
        .0
        + 1;
    assert_eq!(e.line, Some(last));
    assert_eq!(e.column, Some(5));
    let first = line_of(&text, "- id: voorzitter");
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .contains(&format!("line {first}")),
        "{:?}",
        e.hint
    );
}

#[test]
fn contact_email_must_look_like_an_address() {
    let text = ROLES
        .replace(
            "email: secretaris@example.nl",
            "email: secretaris@ example.nl",
        )
        .replace("email: plv@example.nl", "email: plv.example.nl");
    let errors = role_errors(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors[0].message.contains("contact email `secretaris@ example.nl` of role `voorzitter` does not look like an address: it contains a space"));
    assert_eq!(
        errors[0].line,
        Some(line_of(&text, "email: secretaris@ example.nl"))
    );
    assert_eq!(errors[0].column, Some(7));
    assert!(errors[1].message.contains("it has no `@`"));
    assert_eq!(errors[1].line, Some(line_of(&text, "plv.example.nl")));
}

#[test]
fn unknown_references_are_located_with_suggestions() {
    let text = ROLES
        .replace("themagroepen: [ibs]", "themagroepen: [ibs, eurpoa]")
        .replace("pijler: sociaal", "pijler: sociale")
        .replace(
            "date: 2026-04-24\n",
            "date: 2026-04-24\npijler: fysiek-domein\n",
        );
    let errors = role_errors(&text);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    let e = errors
        .iter()
        .find(|e| e.message.contains("eurpoa"))
        .unwrap();
    assert_eq!(e.message, "unknown themagroep `eurpoa` (role `voorzitter`)");
    assert_eq!(e.hint.as_deref(), Some("did you mean `europa`?"));
    let line = line_of(&text, "[ibs, eurpoa]");
    assert_eq!(e.line, Some(line));
    assert_eq!(
        e.column,
        Some(text.lines().nth(line - 1).unwrap().find("eurpoa").unwrap() + 1)
    );
    let e = errors
        .iter()
        .find(|e| e.message.contains("sociale"))
        .unwrap();
    assert_eq!(
        e.message,
        "unknown pijler `sociale` (role `eerste-vicevoorzitter`)"
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean `sociaal`?"));
    assert_eq!(e.line, Some(line_of(&text, "pijler: sociale")));
    let e = errors
        .iter()
        .find(|e| e.message.contains("fysiek-domein"))
        .unwrap();
    assert_eq!(e.message, "unknown pijler `fysiek-domein`");
    assert_eq!(e.line, Some(line_of(&text, "pijler: fysiek-domein")));
}

#[test]
fn empty_values_and_bad_ids_are_all_reported() {
    let text = ROLES
        .replace("title: Beschrijving functies G40", "title: \"\"")
        .replace("- id: eerste-vicevoorzitter", "- id: Eerste Vicevoorzitter")
        .replace(
            "    duties: [Denkt mee met de pijlervoorzitter.]\n",
            "    duties: []\n",
        )
        .replace("time: niet vastgelegd", "time: \" \"");
    let errors = role_errors(&text);
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(errors.len(), 4, "{messages:#?}");
    assert!(messages.contains(&"`title` is empty"));
    assert!(messages.contains(&"role id `Eerste Vicevoorzitter` is not a single URL segment"));
    assert!(messages.contains(&"role `pijler-vicevoorzitter` has no `duties`"));
    assert!(messages.contains(&"`time` of role `pijler-vicevoorzitter` is empty"));
    let e = errors
        .iter()
        .find(|e| e.message.contains("URL segment"))
        .unwrap();
    assert_eq!(
        e.hint.as_deref(),
        Some("use lowercase letters, digits and dashes, e.g. `eerste-vicevoorzitter`")
    );
    assert_eq!(e.line, Some(line_of(&text, "Eerste Vicevoorzitter")));
    let e = errors
        .iter()
        .find(|e| e.message.contains("no `duties`"))
        .unwrap();
    assert_eq!(e.line, Some(line_of(&text, "duties: []")));
    // Errors come sorted by line.
    let lines: Vec<usize> = errors.iter().map(|e| e.line.unwrap()).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
}

#[test]
fn a_role_set_needs_roles() {
    let errors = role_errors("kind: roles\ntitle: Functies\nroles: []\n");
    let e = only(&errors);
    assert_eq!(e.message, "a role set needs at least one role");
    assert_eq!(e.line, Some(3));
    let errors = role_errors("kind: roles\ntitle: Functies\n");
    assert!(only(&errors).message.contains("missing field `roles`"));
}

#[test]
fn misspelt_kind_is_suggested() {
    let errors = role_errors(&ROLES.replace("kind: roles", "kind: role"));
    let e = only(&errors);
    assert_eq!(e.message, "unknown kind `role`");
    assert_eq!(e.line, Some(1));
    assert_eq!(e.hint.as_deref(), Some("did you mean `roles`?"));
}

#[test]
fn role_urls_take_part_in_the_collision_check() {
    let f = roles_site();
    f.write(
        "content/bestuur/functies-2026/voorzitter.md",
        "---\ntitle: Over de voorzitter\n---\nTekst.\n",
    );
    let errors = f.render_errors();
    let e = only(&errors);
    assert!(
        e.message.contains(
            "URL `/bestuur/functies-2026/voorzitter/` is produced by more than one source"
        ),
        "{}",
        e.message
    );
    assert!(
        e.message
            .contains("role `voorzitter` of content/bestuur/functies-2026.yaml")
    );

    let errors = role_errors(&ROLES.replace("- id: pijler-vicevoorzitter", "- id: print"));
    assert_eq!(
        only(&errors).message,
        "role id `print` is taken by the print page of the role set"
    );
}

#[test]
fn draft_role_sets_are_left_out() {
    let f = site();
    f.write(
        "content/bestuur/functies-2026.yaml",
        &ROLES.replace("date: 2026-04-24\n", "date: 2026-04-24\ndraft: true\n"),
    );
    let out = f.render().unwrap();
    assert!(!out.contains_key("bestuur/functies-2026/index.html"));
    assert!(!out["bestuur/index.html"].contains("functies-2026"));
    let outputs = g40site::build_in_memory(
        f.root(),
        &BuildOptions {
            drafts: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        outputs
            .iter()
            .any(|o| o.path == "bestuur/functies-2026/index.html")
    );
}

/// Broken input is an error, never a panic: every truncation of the
/// example, and some odd shapes.
#[test]
fn truncated_and_odd_files_never_panic() {
    let f = site();
    let lines: Vec<&str> = ROLES.lines().collect();
    for n in 0..=lines.len() {
        f.write("content/bestuur/functies.yaml", &lines[..n].join("\n"));
        let _ = f.render();
    }
    for odd in [
        "kind: roles\ntitle: x\nroles: [{ id: a, title: A, paid: no, duties: [x], time: t, support: { title: S, fte: 2 } }, { id: a }]\n",
        "kind: roles\ntitle: x\nroles:\n- id: ä\n  title: Ä\n  paid: false\n  duties: [é]\n  time: t\n  contact: { naam: Zoë, email: ö@ }\n",
        "kind: roles\ntitle: x\nroles:\n  - id: a\n    title: A\n    paid: false\n    duties: [x]\n    time: t\n    support: { title: S, fte: .nan }\n",
        "kind: roles\nroles: 3\n",
        "kind: roles\n\u{feff}title: x\n",
        "- kind: roles\n",
    ] {
        f.write("content/bestuur/functies.yaml", odd);
        assert!(f.render().is_err(), "{odd}");
    }
}

#[test]
fn problems_and_unknown_references_come_in_one_build() {
    let text = ROLES
        .replace("fte: 0.75", "fte: 1.5")
        .replace("pijler: sociaal", "pijler: sociale");
    let errors = role_errors(&text);
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`fte` of role `voorzitter` is 1.5, outside the range 0–1",
            "unknown pijler `sociale` (role `eerste-vicevoorzitter`)",
        ]
    );
}
