//! Taxonomies declared in `site.yaml` (`taxonomies:`): the 2026 rename of
//! theme groups to opgavegroepen in every kind of document, old field
//! names and old URLs, intro texts, and that a site without a declaration
//! builds exactly as before. Every test runs the real binary in the site
//! folder.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{Fixture, PIJLERS, SITE_YAML, main_of};

/// The 2026 declaration, taken from docs/content-format.md (so that the
/// documented example is the one tested).
fn renamed() -> String {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/content-format.md"),
    )
    .unwrap();
    let at = doc
        .find("**The 2026 rename, worked out**")
        .expect("the worked example");
    let block = &doc[at..];
    let start = block.find("```yaml\n").unwrap() + 8;
    let end = start + block[start..].find("```").unwrap();
    block[start..end].replace("# site.yaml\n", "")
}

/// The groups, with `woningbouw` once called `wonen` and `armoede` merged
/// into `bestaanszekerheid`.
const GROEPEN: &str = "\
- { id: woningbouw, name: Woningbouw, pijler: fysiek, aliases: [wonen] }
- { id: bestaanszekerheid, name: Bestaanszekerheid, pijler: sociaal, aliases: [armoede] }
";

const ROLES: &str = "\
kind: roles
title: Functies
opgavegroepen: [bestaanszekerheid]
roles:
  - id: voorzitter
    title: Voorzitter
    paid: false
    duties: [Leidt de vergadering.]
    time: twee uur per week
    opgavegroepen: [woningbouw]
";

const PROGRAMME: &str = "\
kind: programme
title: Netwerkdag
date: 2026-09-10
city: Den Bosch
rooms:
  - { id: zaal1, name: Zaal 1 }
sessions:
  - time: 10.00-11.00
    title: Bouwen in de stad
    room: zaal1
    opgavegroepen: [woningbouw]
";

/// A site that runs opgavegroepen, with a document of every kind naming one.
fn renamed_site() -> Fixture {
    Fixture::empty()
        .file("site.yaml", &format!("{SITE_YAML}{}", renamed()))
        .file("content/_index.md", "---\ntitle: Welkom\n---\nStart.\n")
        .file("content/_data/pijlers.yaml", PIJLERS)
        .file("content/_data/opgavegroepen.yaml", GROEPEN)
        .file(
            "content/nieuws/bouwen.md",
            "---\ntitle: Bouwen gaat door\ndate: 2026-03-01\npijler: fysiek\nopgavegroepen: [woningbouw]\n---\nTekst.\n",
        )
        .file(
            "content/notas/nota.md",
            "---\ntitle: Een nota\nkind: note\nnote_type: Informatienota\norganisation: Gemeente Oss\ndate: 2026-02-01\nopgavegroepen: [bestaanszekerheid]\nkernboodschap: Kort.\nbehandelvoorstel: Ter kennisname.\n---\nTekst.\n",
        )
        .file(
            "content/verslag/_index.md",
            "---\ntitle: Jaarverslag 2026\nkind: report\nyear: 2026\n---\nInleiding.\n",
        )
        .file(
            "content/verslag/01-wonen.md",
            "---\ntitle: Wonen\nkind: chapter\nopgavegroepen: [wonen]\n---\nHoofdstuk.\n",
        )
        .file("content/bestuur/functies.yaml", ROLES)
        .file("content/netwerkdagen/dag.yaml", PROGRAMME)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn every_kind_of_document_joins_a_renamed_taxonomy() {
    let site = renamed_site();
    let out = site.run_ok(&["build"]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let woningbouw_html = site.read("opgavegroepen/woningbouw/index.html");
    let woningbouw = main_of(&woningbouw_html);
    for title in [
        "Bouwen gaat door",
        "Wonen",
        "Voorzitter",
        "Bouwen in de stad",
    ] {
        assert!(woningbouw.contains(title), "{title} missing: {woningbouw}");
    }
    let bestaanszekerheid_html = site.read("opgavegroepen/bestaanszekerheid/index.html");
    let bestaanszekerheid = main_of(&bestaanszekerheid_html);
    for title in ["Een nota", "Functies"] {
        assert!(bestaanszekerheid.contains(title), "{title} missing");
    }
    // The labels come from the declaration, on every page that shows them.
    let overview = site.read("opgavegroepen/index.html");
    assert!(overview.contains("<h1>Opgavegroepen</h1>"), "{overview}");
    let page = site.read("nieuws/bouwen/index.html");
    assert!(page.contains("<span class=\"label\">Opgavegroepen:</span>"));
    assert!(page.contains("aria-label=\"Pijler en opgavegroepen\""));
    assert!(page.contains("href=\"/opgavegroepen/\">Opgavegroepen</a>"));
    let note = site.read("notas/nota/index.html");
    assert!(
        note.contains("<th scope=\"row\">Opgavegroepen</th>"),
        "{note}"
    );
    let index = site.read("zoeken/index.json");
    assert!(index.contains("\"Opgavegroep\""), "{index}");
    // No page says "themagroep" any more, except the redirects' own pages.
    for (path, html) in text_files(&site.out()) {
        if html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        assert!(
            !html.to_lowercase().contains("themagroep"),
            "{path} still says themagroep"
        );
    }
}

#[test]
fn the_old_field_name_works_with_a_located_warning() {
    let site = renamed_site().file(
        "content/nieuws/oud.md",
        "---\ntitle: Oud bericht\ndate: 2025-01-01\nthemagroepen: [woningbouw]\n---\nTekst.\n",
    );
    let out = site.run_ok(&["build"]);
    let err = stderr(&out);
    assert!(
        err.contains("content/nieuws/oud.md:4:1")
            && err.contains("`themagroepen` is the old name of `opgavegroepen`")
            && err.contains("rename the field to `opgavegroepen:`"),
        "{err}"
    );
    assert!(main_of(&site.read("opgavegroepen/woningbouw/index.html")).contains("Oud bericht"));
}

#[test]
fn the_code_name_is_an_unknown_field_when_the_site_does_not_use_it() {
    let declaration = renamed().replace("    old_fields: [themagroepen]\n", "");
    let site = renamed_site()
        .file("site.yaml", &format!("{SITE_YAML}{declaration}"))
        .file(
            "content/nieuws/oud.md",
            "---\ntitle: Oud bericht\nthemagroepen: [woningbouw]\n---\nTekst.\n",
        );
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/nieuws/oud.md:3:1") && err.contains("unknown field `themagroepen`"),
        "{err}"
    );
    // The hint names the site's field, not the code's.
    assert!(err.contains("opgavegroepen"), "{err}");
    assert!(!err.contains('\u{1}'), "{err:?}");
}

#[test]
fn an_unknown_term_names_the_sites_word_and_field() {
    let site = renamed_site().file(
        "content/nieuws/fout.md",
        "---\ntitle: Fout\nopgavegroepen: [woningbow]\n---\nTekst.\n",
    );
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(
        err.contains("content/nieuws/fout.md:3:1")
            && err.contains("unknown opgavegroep `woningbow`")
            && err.contains("did you mean `woningbouw`?"),
        "{err}"
    );
}

#[test]
fn old_urls_redirect_to_the_renamed_pages() {
    let site = renamed_site();
    site.run_ok(&["build"]);
    let redirect = |rel: &str| {
        let html = site.read(rel);
        assert!(html.contains("http-equiv=\"refresh\""), "{rel}: {html}");
        html
    };
    // The old path of the taxonomy and of each term, and an old id.
    assert!(redirect("themagroepen/index.html").contains("url=/opgavegroepen/\""));
    assert!(
        redirect("themagroepen/woningbouw/index.html").contains("url=/opgavegroepen/woningbouw/\"")
    );
    assert!(redirect("themagroepen/wonen/index.html").contains("url=/opgavegroepen/woningbouw/\""));
    assert!(
        redirect("opgavegroepen/armoede/index.html")
            .contains("url=/opgavegroepen/bestaanszekerheid/\"")
    );
    // Redirects are not in the sitemap.
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("/opgavegroepen/woningbouw/"));
    assert!(!sitemap.contains("/themagroepen/"), "{sitemap}");
}

#[test]
fn a_page_alias_on_a_term_url_is_a_located_collision() {
    let site = renamed_site().file(
        "content/wonen.md",
        "---\ntitle: Wonen\naliases:\n  - /opgavegroepen/woningbouw/\n---\nTekst.\n",
    );
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/wonen.md:4:5") && err.contains("/opgavegroepen/woningbouw/"),
        "{err}"
    );
}

#[test]
fn intro_texts_introduce_the_overview_and_a_term() {
    let site = renamed_site()
        .file(
            "content/opgavegroepen/_index.md",
            "---\ntitle: Onze opgavegroepen\n---\nSinds 2026 heten ze **opgavegroepen**.\n",
        )
        .file(
            "content/opgavegroepen/woningbouw.md",
            "---\ntitle: Woningbouw\n---\nDe groep over [nieuws](../nieuws/bouwen.md).\n",
        );
    site.run_ok(&["build"]);
    let overview_html = site.read("opgavegroepen/index.html");
    let overview = main_of(&overview_html);
    assert!(
        overview.contains("<h1>Onze opgavegroepen</h1>"),
        "{overview}"
    );
    assert!(
        overview.contains("<strong>opgavegroepen</strong>"),
        "{overview}"
    );
    let term_html = site.read("opgavegroepen/woningbouw/index.html");
    let term = main_of(&term_html);
    assert!(
        term.contains(
            "<div class=\"intro\"><p>De groep over <a href=\"/nieuws/bouwen/\">nieuws</a>"
        ),
        "{term}"
    );
    // Intros are not pages of their own: no collision, not in the sitemap twice.
    assert_eq!(
        site.read("sitemap.xml")
            .matches("/opgavegroepen/woningbouw/")
            .count(),
        1
    );
}

#[test]
fn an_intro_for_no_term_is_a_located_error_with_the_ids() {
    let site = renamed_site().file(
        "content/opgavegroepen/woningbow.md",
        "---\ntitle: Woningbouw\n---\nTekst.\n",
    );
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(
        err.contains("content/opgavegroepen/woningbow.md:1:1")
            && err.contains("`woningbow` is no opgavegroep of content/_data/opgavegroepen.yaml")
            && err.contains("woningbouw"),
        "{err}"
    );
}

#[test]
fn a_bad_declaration_is_located_in_site_yaml() {
    let declaration = renamed().replace("path: opgavegroepen", "path: opgave/groepen");
    let site = renamed_site().file("site.yaml", &format!("{SITE_YAML}{declaration}"));
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(
        err.contains("site.yaml:")
            && err.contains("taxonomy path `opgave/groepen` is not one URL segment"),
        "{err}"
    );
    let line = err
        .lines()
        .find(|l| l.contains("site.yaml:"))
        .unwrap()
        .to_string();
    let number: usize = line.split(':').nth(1).unwrap().trim().parse().unwrap();
    assert_eq!(
        format!("{SITE_YAML}{declaration}")
            .lines()
            .nth(number - 1)
            .unwrap()
            .trim(),
        "path: opgave/groepen",
        "{err}"
    );
}

#[test]
fn declaring_todays_names_changes_no_byte() {
    // A site without a declaration, and the same site declaring today's
    // names in full: the outputs are identical, file for file.
    let content = |f: Fixture| {
        f.file(
            "content/nieuws/bericht.md",
            "---\ntitle: Bericht\ndate: 2024-01-01\npijler: fysiek\nthemagroepen: [woningmarkt, armoede]\n---\nTekst.\n",
        )
    };
    let plain = content(Fixture::new());
    let declared = content(Fixture::new()).file(
        "site.yaml",
        &format!(
            "{SITE_YAML}taxonomies:\n  pijlers: {{ field: pijler, data: pijlers, singular: Pijler, plural: Pijlers, path: pijlers }}\n  groepen: {{ field: themagroepen, data: themagroepen, singular: Themagroep, plural: Themagroepen, path: themagroepen }}\n"
        ),
    );
    plain.run_ok(&["build"]);
    declared.run_ok(&["build"]);
    let (a, b) = (text_files(&plain.out()), text_files(&declared.out()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, html) in &a {
        assert_eq!(html, &b[path], "{path} differs");
    }
    assert!(a.contains_key("themagroepen/woningmarkt/index.html"));
}

/// Every text file of a built site, by path relative to it.
fn text_files(out: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "html" || x == "json" || x == "xml")
        })
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}
