//! HTML safety: hostile text in every field of every kind of file ends up
//! as text. Plain fields are escaped (the payload shows up as `&lt;script`),
//! Markdown fields are sanitised (tags that run script, `on*=` handlers and
//! `javascript:` URLs are gone, harmless formatting stays), and the exports
//! (.ics, schedule.json, schedule.xml) carry the exact text back when parsed
//! by a real parser.

use std::collections::BTreeMap;
use std::io::BufReader;

use crate::common::Fixture;
use crate::common::html::script_in;

/// For plain string fields: as a YAML double-quoted string.
const P: &str = r#""<script>alert(1)</script><img src=x onerror=alert(2)>\"'&amp; <a href='javascript:alert(3)'>x</a>""#;
/// What that string is.
const P_TEXT: &str = r#"<script>alert(1)</script><img src=x onerror=alert(2)>"'&amp; <a href='javascript:alert(3)'>x</a>"#;
/// For Markdown fields: raw HTML and a Markdown link that would run script.
const M: &str = r#"Tekst <b onmouseover="alert(4)">vet</b> <script>alert(5)</script> <a href="javascript:alert(6)">a</a> [md](javascript:alert(7)) <img src="x" onerror="alert(8)"> <iframe src="https://evil.example"></iframe> <sup>2</sup>"#;

fn yaml_block(indent: usize) -> String {
    let pad = " ".repeat(indent);
    format!("|\n{pad}{M}\n\n{pad}<div onclick=\"alert(9)\">\n{pad}blok\n{pad}</div>\n")
}

fn hostile_site() -> Fixture {
    let site = format!(
        "title: {P}\nbase_url: https://example.nl\ndescription: {P}\norganisation:\n  name: {P}\n  address: {P}\nmenu:\n  - {{ title: {P}, path: /over/ }}\n"
    );
    let programme = format!(
        "kind: programme\ntitle: {P}\ndate: 2023-02-10\ncity: {P}\nvenue: {P}\nsummary: {P}\nintro: {intro}rooms:\n  - {{ id: zaal1, name: {P}, location: {P} }}\n  - {{ id: zaal2, name: Zaal 2 }}\nsessions:\n  - time: 9.30\n    kind: walk-in\n    title: {P}\n  - time: 10.00-11.00\n    title: {P}\n    room: zaal1\n    moderator: {P}\n    chair: {P}\n    speakers:\n      - {{ name: {P}, role: {P} }}\n    description: {desc}  - time: 10.00-11.00\n    title: Tweede\n    room: zaal2\nnot_meeting:\n  - {{ themagroep: woningmarkt, note: {P} }}\n",
        intro = yaml_block(2),
        desc = yaml_block(6),
    );
    let roles = format!(
        "kind: roles\ntitle: {P}\ndate: 2026-04-24\nsummary: {P}\nintro: {intro}roles:\n  - id: voorzitter\n    title: {P}\n    summary: {P}\n    member_of: {P}\n    paid: false\n    duties:\n      - {M:?}\n    competencies: [{P}]\n    time: {P}\n    support:\n      title: {P}\n      fte: 0.5\n      duties: [{M:?}]\n    contact:\n      name: {P}\n      role: {P}\n      email: a@example.nl\n",
        intro = yaml_block(2),
    );
    let note = format!(
        "---\nkind: note\ntitle: {P}\nnote_type: {P}\norganisation: {P}\ndate: 2022-08-30\nsummary: {P}\nkernboodschap: {k}behandelvoorstel: {k}eerdere_besluiten: {k}besluit:\n  orgaan: {P}\n  datum: 2022-08-30\n  tekst: {k4}ondertekening: [{P}]\n---\n## Kop {M}\n\n{M}\n",
        k = yaml_block(2),
        k4 = yaml_block(4),
    );
    Fixture::empty()
        .file("site.yaml", &site)
        .file("content/_index.md", &format!("---\ntitle: {P}\nsummary: {P}\n---\n{M}\n"))
        .file(
            "content/_data/pijlers.yaml",
            &format!("- {{ id: sociaal, name: {P}, description: {P} }}\n- {{ id: fysiek, name: Fysiek }}\n"),
        )
        .file(
            "content/_data/themagroepen.yaml",
            &format!("- {{ id: woningmarkt, name: {P}, pijler: fysiek, description: {P} }}\n"),
        )
        .file(
            "content/over.md",
            &format!("---\ntitle: {P}\nsummary: {P}\npijler: sociaal\nthemagroepen: [woningmarkt]\n---\n{M}\n\n## {M}\n\nVoetnoot[^n].\n\n[^n]: {M}\n"),
        )
        .file("content/jaarverslag/2023/_index.md", &format!("---\ntitle: {P}\nkind: report\nsummary: {P}\n---\n{M}\n"))
        .file("content/jaarverslag/2023/01-hoofdstuk.md", &format!("---\ntitle: {P}\nsummary: {P}\n---\n{M}\n"))
        .file("content/notas/_index.md", &format!("---\ntitle: {P}\n---\n{M}\n"))
        .file("content/notas/2022-08-30-nota.md", &note)
        .file("content/netwerkdagen/_index.md", "---\ntitle: Netwerkdagen\n---\n")
        .file("content/netwerkdagen/2023-02.yaml", &programme)
        .file("content/bestuur/_index.md", "---\ntitle: Bestuur\n---\n")
        .file("content/bestuur/functies.yaml", &roles)
}

fn outputs(site: &Fixture) -> BTreeMap<String, String> {
    let outputs = g40site::build_in_memory(site.root(), &Default::default())
        .unwrap_or_else(|e| panic!("build failed:\n{e}"));
    outputs
        .into_iter()
        .map(|o| (o.path, String::from_utf8_lossy(&o.bytes).into_owned()))
        .collect()
}

#[test]
fn no_field_of_any_kind_runs_script() {
    let out = outputs(&hostile_site());
    let pages: Vec<_> = out.iter().filter(|(p, _)| p.ends_with(".html")).collect();
    assert!(pages.len() > 10, "{:?}", out.keys());
    for (path, html) in &pages {
        // The theme's own search forms (action: the site's search page),
        // the search page's script and the programme page's are the only
        // ones allowed; content may not bring any.
        // A programme page's own script (mijn-programma.js), whose data-
        // attributes are the page's URLs.
        let mut html = html.to_string();
        if let Some(at) = html.find("<script src=\"/mijn-programma.js\" defer data-") {
            let end = at + html[at..].find("</script>").unwrap() + "</script>".len();
            html.replace_range(at..end, "");
        }
        // The networkdays' section offers its calendar feed to subscribe
        // to (webcal:, the theme's, built from base_url).
        let html = html.replacen(
            "href=\"webcal://example.nl/",
            "href=\"https://example.nl/",
            1,
        );
        let html = html
            .replacen("<script src=\"/zoeken.js\" defer></script>", "", 1)
            .replacen(
                "<form class=\"site-search\" role=\"search\" action=\"/zoeken/\"",
                "<div",
                1,
            )
            .replacen(
                "<form class=\"search-form\" role=\"search\" action=\"/zoeken/\"",
                "<div",
                1,
            );
        if let Some(why) = script_in(&html) {
            panic!("{path}: {why}");
        }
    }
    // Plain fields show the payload as text, on the page of each kind.
    for page in [
        "index.html",
        "over/index.html",
        "jaarverslag/2023/index.html",
        "jaarverslag/2023/hoofdstuk/index.html",
        "jaarverslag/2023/print/index.html",
        "notas/2022-08-30-nota/index.html",
        "netwerkdagen/2023-02/index.html",
        "bestuur/functies/index.html",
        "bestuur/functies/voorzitter/index.html",
        "pijlers/sociaal/index.html",
    ] {
        let html = out
            .get(page)
            .unwrap_or_else(|| panic!("no {page} in {:?}", out.keys()));
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
                || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}: plain field not escaped text"
        );
        // Markdown fields keep harmless formatting.
        if !page.starts_with("pijlers") {
            assert!(
                html.contains("<b>vet</b>") || page.contains("functies/index"),
                "{page}: formatting lost"
            );
        }
    }
}

#[test]
fn exports_carry_the_exact_text() {
    let out = outputs(&hostile_site());
    // iCalendar: the parser gives back the title exactly.
    let ics = out
        .iter()
        .find(|(p, _)| p.starts_with("netwerkdagen/2023-02/") && p.ends_with(".ics"))
        .unwrap_or_else(|| panic!("no .ics in {:?}", out.keys()))
        .1;
    let mut summaries = Vec::new();
    for cal in ical::IcalParser::new(BufReader::new(ics.as_bytes())) {
        for event in cal.expect("valid iCalendar").events {
            for p in event.properties {
                if p.name == "SUMMARY" {
                    summaries.push(unescape_ics(&p.value.unwrap_or_default()));
                }
            }
        }
    }
    assert!(summaries.iter().any(|s| s == P_TEXT), "{summaries:?}");
    // JSON: a string, whatever its content.
    let json: serde_json::Value =
        serde_json::from_str(&out["netwerkdagen/2023-02/schedule.json"]).expect("valid JSON");
    assert!(
        json.to_string()
            .contains(&serde_json::to_string(P_TEXT).unwrap()[1..20])
    );
    let titles = find_strings(&json);
    assert!(titles.iter().any(|t| t == P_TEXT), "{titles:?}");
    // XML: escaped text, no markup of ours.
    let xml = &out["netwerkdagen/2023-02/schedule.xml"];
    assert!(!xml.contains("<script") && !xml.contains("<img"), "{xml}");
    assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    for (path, text) in &out {
        // XML is markup: the payload must be escaped there. (JSON and
        // iCalendar carry it as the text it is, checked above.)
        if path.ends_with(".xml") {
            assert!(!text.contains("<script"), "{path}");
        }
        // Script URLs from Markdown links are not passed on as text either.
        if path.ends_with(".ics") || path.ends_with(".json") || path.ends_with(".xml") {
            assert!(!text.contains("javascript:alert(7)"), "{path}");
        }
    }
}

fn unescape_ics(s: &str) -> String {
    s.replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\n", "\n")
        .replace("\\\\", "\\")
}

fn find_strings(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(a) => a.iter().flat_map(find_strings).collect(),
        serde_json::Value::Object(o) => o.values().flat_map(find_strings).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn unsafe_html_true_keeps_raw_html() {
    let site = Fixture::new()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.nl\nmarkdown:\n  unsafe_html: true\n",
        )
        .file(
            "content/over.md",
            "---\ntitle: Over\n---\n<div class=\"eigen\" data-x=\"1\">Eigen</div>\n",
        );
    let out = outputs(&site);
    assert!(out["over/index.html"].contains("<div class=\"eigen\" data-x=\"1\">Eigen</div>"));
}

/// The detector the tests above rely on finds what it must.
#[test]
fn the_script_detector_sees_handlers_schemes_and_elements() {
    assert!(script_in("<p onclick=\"x\">").is_some());
    assert!(script_in("<a href=\"java&#x09;script:x\">").is_some());
    assert!(script_in("<a href=\"javascript&colon;x\">").is_some());
    assert!(script_in("<SCRIPT>").is_some());
    assert!(script_in("<p style=\"background:url(x)\">").is_some());
    assert!(
        script_in("<p>&lt;script&gt; on click=</p><a href=\"/x\" title=\"javascript:\">").is_none()
    );
    assert!(script_in("<a href=\"https://g40.nl/a:b\" class=x>").is_none());
}
