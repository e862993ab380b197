//! Notes (`kind: note`, informatienota): the formal layout on screen, the
//! A4 print rules, the listing on pillar pages, and the errors for broken
//! front matter with their locations.

use std::collections::BTreeMap;
use std::path::Path;

use g40site::BuildOptions;
use g40site::Diagnostic;

use crate::common::{Fixture, line_of, main_of, only};

/// The site every test here starts from, before its own files.
fn site() -> Fixture {
    Fixture::empty()
        .file(
            "site.yaml",
            "title: G40 Stedennetwerk\nbase_url: https://www.example.nl\nlanguage: nl\n",
        )
        .file("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n")
        .file(
            "content/_data/pijlers.yaml",
            "- { id: sociaal, name: Pijler Sociaal }\n",
        )
        .file(
            "content/notas/_index.md",
            "---\ntitle: Raadsinformatie\n---\nNota's.\n",
        )
}

const NOTE: &str = "\
---
kind: note
title: Uitkomsten onderzoek organisatie G40 Stedennetwerk
note_type: Informatienota
organisation: Gemeente Haarlem
date: 2022-08-30
summary: Uitkomsten van een onderzoek.
kernboodschap: |
  De lichte organisatievorm **werkt**.

  Er komen accenten.
behandelvoorstel: |
  Het college biedt de nota ter kennisname aan de commissie aan.
eerdere_besluiten: \"\"
besluit:
  orgaan: College
  datum: 2022-08-30
  tekst: Het college stelt de informatienota voor de commissie vast.
ondertekening: [de secretaris, de burgemeester]
---
## 1. Inleiding

Tekst.

## 2. Kernboodschap

Meer tekst.
";

const PATH: &str = "content/notas/2022-08-30-onderzoek.md";
const URL: &str = "notas/2022-08-30-onderzoek/index.html";

fn build_note(text: &str) -> BTreeMap<String, String> {
    let f = site();
    f.write(PATH, text);
    f.render().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn note_renders_as_a_formal_document() {
    let out = build_note(NOTE);
    let html = &out[URL];
    assert!(html.contains("<title>Uitkomsten onderzoek organisatie G40 Stedennetwerk · Informatienota Gemeente Haarlem · G40 Stedennetwerk</title>"));
    assert!(html.contains("<body class=\"note-document\">"));
    let page = main_of(html);
    // Letterhead: organisation and document type.
    assert!(page.contains("<p class=\"note-letterhead\"><span class=\"note-org\">Gemeente Haarlem</span> <span class=\"note-type\">Informatienota</span></p>"));
    // The metadata table.
    assert!(page.contains("<tr><th scope=\"row\">Documenttype</th><td>Informatienota</td></tr>"));
    assert!(page.contains("<tr><th scope=\"row\">Onderwerp</th><td><h1 id=\"nota-titel\">Uitkomsten onderzoek organisatie G40 Stedennetwerk</h1></td></tr>"));
    assert!(page.contains("<tr><th scope=\"row\">Organisatie</th><td>Gemeente Haarlem</td></tr>"));
    assert!(page.contains("<tr><th scope=\"row\">Datum</th><td><time datetime=\"2022-08-30\">30 augustus 2022</time></td></tr>"));
    // Kernboodschap and behandelvoorstel are Markdown.
    assert!(page.contains("<th scope=\"row\">Kernboodschap</th><td><p>De lichte organisatievorm <strong>werkt</strong>.</p>\n<p>Er komen accenten.</p>"));
    assert!(page.contains("<th scope=\"row\">Behandelvoorstel</th><td><p>Het college biedt de nota ter kennisname aan de commissie aan.</p>"));
    // Empty earlier decisions are shown as such, like on the paper form.
    assert!(page.contains(
        "<th scope=\"row\">Relevante eerdere besluiten</th><td><p class=\"none\">Geen.</p></td>"
    ));
    // The decision block: orgaan, datum, besluit.
    assert!(page.contains("<th scope=\"row\">Besluit <span class=\"orgaan\">College</span><br>d.d. <time datetime=\"2022-08-30\">30 augustus 2022</time></th>"));
    assert!(
        page.contains("<td><p>Het college stelt de informatienota voor de commissie vast.</p>")
    );
    // Signatures, in order.
    let secretaris = page
        .find("<span class=\"signature-space\" aria-hidden=\"true\"></span>de secretaris,</p>")
        .unwrap();
    let burgemeester = page.find("de burgemeester,</p>").unwrap();
    assert!(secretaris < burgemeester);
    // Chapters as the author numbered them; no extra numbers.
    assert!(page.contains("<article class=\"note\" "));
    assert!(page.contains("<h2 id=\"1-inleiding\">1. Inleiding"));
    assert!(page.contains("<ol class=\"plain\"><li><a href=\"#1-inleiding\">1. Inleiding</a></li><li><a href=\"#2-kernboodschap\">2. Kernboodschap</a></li></ol>"));
    // Metadata and summary come before the body.
    assert!(page.find("note-summary").unwrap() < page.find("note-body").unwrap());
}

#[test]
fn unnumbered_chapters_are_numbered_by_the_theme() {
    let out = build_note(
        &NOTE
            .replace("## 1. Inleiding", "## Inleiding")
            .replace("## 2. Kernboodschap", "## Kernboodschap"),
    );
    let page = main_of(&out[URL]);
    assert!(page.contains("<article class=\"note note-autonumber\" "));
    assert!(page.contains("<ol><li><a href=\"#inleiding\">Inleiding</a></li>"));
    assert!(out["style.css"].contains(".note-autonumber .note-body h2::before { counter-increment: chapter; content: counter(chapter) \". \"; }"));
}

#[test]
fn earlier_decisions_and_references_are_shown() {
    let out = build_note(
        &NOTE
            .replace(
                "eerdere_besluiten: \"\"",
                "eerdere_besluiten: Raadsbesluit van *12 mei 2021*.",
            )
            .replace("summary:", "pijler: sociaal\nsummary:"),
    );
    let page = main_of(&out[URL]);
    assert!(page.contains("<th scope=\"row\">Relevante eerdere besluiten</th><td><p>Raadsbesluit van <em>12 mei 2021</em>.</p>"));
    assert!(page.contains("<tr><th scope=\"row\">Pijler</th><td><a href=\"/pijlers/sociaal/\">Pijler Sociaal</a></td></tr>"));
    // ... and the note is listed on the pillar's page.
    let pillar = main_of(&out["pijlers/sociaal/index.html"]);
    assert!(pillar.contains("<h2 id=\"groep-1\">Raadsinformatie</h2>"));
    assert!(pillar.contains("<a href=\"/notas/2022-08-30-onderzoek/\">Uitkomsten onderzoek organisatie G40 Stedennetwerk</a> <span class=\"context\">(Gemeente Haarlem)</span>"));
}

#[test]
fn print_layout_is_an_a4_council_document() {
    let out = build_note(NOTE);
    assert!(out[URL].contains("<link rel=\"stylesheet\" href=\"/print.css\" media=\"print\">"));
    let css = &out["print.css"];
    assert!(css.contains("size: A4"));
    // Scoped to the note: the body starts on the page after the form, the
    // summary rows and the signatures are never split.
    for rule in [
        ".note-body { break-before: page;",
        ".note-summary tr { break-inside: avoid;",
        ".note-signatures { display: flex;",
        ".note-meta th, .note-meta td, .note-summary th, .note-summary td { border: 0.5pt solid #000;",
        ".note-toc { display: none; }",
    ] {
        assert!(css.contains(rule), "print.css lacks {rule}");
    }
}

#[test]
fn the_example_note_builds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let outputs = g40site::build_in_memory(root, &BuildOptions::default())
        .unwrap_or_else(|e| panic!("the example site must build:\n{e}"));
    let note = outputs
        .iter()
        .find(|o| o.path == "notas/2022-08-30-onderzoek-organisatie-g40/index.html")
        .expect("the Haarlem note");
    let html = String::from_utf8_lossy(&note.bytes);
    assert!(html.contains("<span class=\"note-org\">Gemeente Haarlem</span>"));
    assert!(html.contains("Besluit <span class=\"orgaan\">College</span>"));
    assert!(html.contains("<h2 id=\"5-bijlage\">5. Bijlage"));
}

// --- validation -------------------------------------------------------------

fn note_errors(text: &str) -> Vec<Diagnostic> {
    let f = site();
    f.write(PATH, text);
    f.render_errors()
}

#[test]
fn missing_required_fields_are_all_reported() {
    let text = NOTE
        .replace("note_type: Informatienota\n", "")
        .replace("organisation: Gemeente Haarlem\n", "")
        .replace("date: 2022-08-30\nsummary", "summary");
    let errors = note_errors(&text);
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "a note needs `date`",
            "a note needs `note_type`",
            "a note needs `organisation`"
        ]
    );
    for e in &errors {
        assert_eq!(e.file, Path::new(PATH));
        assert_eq!(e.line, Some(2));
        assert!(e.hint.as_deref().unwrap().starts_with("add `"));
    }
}

#[test]
fn decision_block_needs_its_fields() {
    let text = NOTE.replace("  orgaan: College\n", "");
    let e = &note_errors(&text)[0];
    assert_eq!(e.message, "besluit: missing field `orgaan`");
    // serde points into the besluit block.
    let line = e.line.unwrap();
    assert!(
        (line_of(&text, "besluit:")..=line_of(&text, "  tekst:")).contains(&line),
        "{e}"
    );

    let text = NOTE.replace("  orgaan: College", "  organ: College");
    let e = &note_errors(&text)[0];
    assert!(
        e.message
            .contains("unknown field `organ`, expected one of `orgaan`, `datum`, `tekst`"),
        "{}",
        e.message
    );
    assert_eq!(e.line, Some(line_of(&text, "organ: College")));

    let text = NOTE.replace("  datum: 2022-08-30", "  datum: 30-08-2022");
    let e = &note_errors(&text)[0];
    assert!(
        e.message
            .contains("invalid date `30-08-2022`: expected YYYY-MM-DD"),
        "{}",
        e.message
    );
    assert!(e.line.is_some());
}

#[test]
fn wrong_types_are_located() {
    let text = NOTE.replace(
        "behandelvoorstel: |\n  Het college biedt de nota ter kennisname aan de commissie aan.\n",
        "behandelvoorstel: [a, b]\n",
    );
    let e = only(&note_errors(&text)).clone();
    // In plain words, not serde's "invalid type: sequence, expected a string".
    assert_eq!(e.message, "`behandelvoorstel` must be text, not a list");
    assert!(
        e.hint.as_deref().is_some_and(|h| h.contains("quotes")),
        "{e:?}"
    );
    assert_eq!(e.line, Some(line_of(&text, "behandelvoorstel:")));
    assert_eq!(e.column, Some(19));

    let text = NOTE.replace(
        "ondertekening: [de secretaris, de burgemeester]",
        "ondertekening: de secretaris",
    );
    let e = only(&note_errors(&text)).clone();
    assert!(
        e.message
            .contains("`ondertekening` must be a list, not the single text `de secretaris`"),
        "{}",
        e.message
    );
    assert!(e.hint.as_deref().unwrap().contains("`[de secretaris]`"));
    assert_eq!(e.line, Some(line_of(&text, "ondertekening:")));
}

#[test]
fn unknown_pillar_is_located() {
    let text = NOTE.replace("summary:", "pijler: sociale\nsummary:");
    let errors = note_errors(&text);
    let e = only(&errors);
    assert_eq!(e.message, "unknown pijler `sociale`");
    assert_eq!(e.line, Some(line_of(&text, "pijler: sociale")));
    assert_eq!(e.hint.as_deref(), Some("did you mean `sociaal`?"));
}

#[test]
fn note_fields_on_another_kind_are_rejected() {
    let text = NOTE
        .replace("kind: note\n", "")
        .replace("note_type: Informatienota\n", "");
    let errors = note_errors(&text);
    let kern = errors
        .iter()
        .find(|e| e.message == "`kernboodschap` is only used on notes (`kind: note`)")
        .unwrap_or_else(|| panic!("{errors:#?}"));
    assert_eq!(kern.line, Some(line_of(&text, "kernboodschap:")));
    assert_eq!(
        kern.hint.as_deref(),
        Some("remove `kernboodschap`, or set the right `kind`")
    );
    assert!(
        errors
            .iter()
            .any(|e| e.message.starts_with("`besluit` is only used on notes"))
    );
}
