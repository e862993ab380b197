//! `g40site new` and `g40site init`: documented starting files.
//!
//! Every file written here builds as it is and explains its fields in
//! comments, so an editor can start from it without the manual. Nothing is
//! ever overwritten.

use std::path::{Path, PathBuf};

/// The kinds `new` can create.
pub const KINDS: [&str; 5] = ["page", "note", "report", "programme", "roles"];

/// Write the starting file(s) for a new document of `kind` at `path`
/// (relative to `content/`, e.g. `netwerkdagen/2026-09-10-zwolle`).
/// Returns the files written.
pub fn new_document(root: &Path, kind: &str, path: &str) -> Result<Vec<PathBuf>, String> {
    if !root.join("site.yaml").is_file() {
        return Err(format!(
            "no site.yaml in {}: run this in a site folder, pass --root, or create a site with `g40site init DIR`",
            root.display()
        ));
    }
    let rel = path
        .trim_start_matches("./")
        .trim_start_matches("content/")
        .trim_matches('/');
    let rel = rel
        .trim_end_matches(".md")
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml");
    if rel.is_empty()
        || rel
            .split('/')
            .any(|s| s.is_empty() || s == ".." || s == "." || s.starts_with('_'))
    {
        return Err(format!(
            "`{path}` is not a path inside content/ (e.g. netwerkdagen/2026-09-10-zwolle)"
        ));
    }
    let stem = rel.rsplit('/').next().unwrap_or(rel);
    let (date, name) = split_date(stem);
    let title = title_case(name);
    let date = date.unwrap_or_else(today);
    let content = root.join("content");
    let files: Vec<(PathBuf, String)> = match kind {
        "page" => vec![(content.join(format!("{rel}.md")), page(&title))],
        "note" => vec![(content.join(format!("{rel}.md")), note(&title, &date))],
        "report" => vec![
            (content.join(rel).join("_index.md"), report(&title, &date)),
            (content.join(rel).join("01-voorwoord.md"), chapter()),
        ],
        "programme" => vec![(
            content.join(format!("{rel}.yaml")),
            programme(&title, &date),
        )],
        "roles" => vec![(content.join(format!("{rel}.yaml")), roles(&title, &date))],
        other => {
            let hint = crate::diagnostics::suggest(other, &KINDS, "kinds");
            return Err(format!("unknown kind `{other}`: {hint}"));
        }
    };
    for (file, _) in &files {
        if file.exists() {
            return Err(format!(
                "{} already exists; not overwriting it",
                shown(root, file).display()
            ));
        }
    }
    for (file, text) in &files {
        std::fs::create_dir_all(file.parent().unwrap())
            .map_err(|e| format!("cannot create folder: {e}"))?;
        std::fs::write(file, text)
            .map_err(|e| format!("cannot write {}: {e}", shown(root, file).display()))?;
    }
    Ok(files.into_iter().map(|(f, _)| shown(root, &f)).collect())
}

/// Create a new, buildable site in `dir` (which must be empty or absent).
pub fn init_site(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!(
            "{} is not empty; choose a new folder",
            dir.display()
        ));
    }
    let files = [
        ("site.yaml", SITE_YAML.to_string()),
        (".gitignore", "/output\n".to_string()),
        ("content/_index.md", HOME.to_string()),
        ("content/over.md", page("Over ons")),
        ("content/_data/pijlers.yaml", PIJLERS.to_string()),
        ("content/_data/themagroepen.yaml", THEMAGROEPEN.to_string()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap())
            .map_err(|e| format!("cannot create folder: {e}"))?;
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

fn shown(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

/// `2026-09-10-zwolle` → (Some("2026-09-10"), "zwolle").
fn split_date(stem: &str) -> (Option<String>, &str) {
    if stem.len() > 11
        && crate::dates::Date::parse(&stem[..10]).is_ok()
        && stem.as_bytes()[10] == b'-'
    {
        (Some(stem[..10].to_string()), &stem[11..])
    } else {
        (None, crate::document::strip_order_prefix(stem))
    }
}

/// `netwerkdag-zwolle` → `Netwerkdag zwolle`.
fn title_case(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "Nieuwe pagina".into(),
    }
}

fn today() -> String {
    jiff::Zoned::now().date().strftime("%Y-%m-%d").to_string()
}

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn page(title: &str) -> String {
    format!(
        r#"---
title: {title}
# summary: Eén zin voor overzichten en zoekmachines.
# date: 2026-01-31            # JJJJ-MM-DD, optioneel
# weight: 10                  # volgorde in de sectie (laag eerst)
# draft: true                 # alleen zichtbaar met --drafts
# pijler: sociaal             # id uit content/_data/pijlers.yaml
# themagroepen: [woningmarkt] # ids uit content/_data/themagroepen.yaml
---
Schrijf hier de tekst in Markdown.

## Een tussenkop

- Een opsomming
- met punten
"#,
        title = yaml_str(title)
    )
}

fn note(title: &str, date: &str) -> String {
    format!(
        r#"---
kind: note
title: {title}
note_type: Informatienota          # soort document, bovenaan getoond
organisation: Gemeente Voorbeeld
date: {date}
kernboodschap: |
  De kern van de nota in een paar zinnen (Markdown).
behandelvoorstel: |
  Het college stuurt de informatienota ter kennisname naar de commissie.
eerdere_besluiten: ""               # Markdown; mag leeg blijven
besluit:
  orgaan: College
  datum: {date}
  tekst: Het college stelt de informatienota vast.
ondertekening: [de secretaris, de burgemeester]
---
## 1. Inleiding

De aanleiding voor deze nota.

## 2. Uitwerking

De inhoud, in genummerde hoofdstukken.
"#,
        title = yaml_str(title)
    )
}

fn report(title: &str, date: &str) -> String {
    let year = &date[..4];
    format!(
        r#"---
kind: report
title: {title}
year: {year}
subtitle: G40 Stedennetwerk
published: {date}
---
Een korte inleiding op het verslag. Elk ander .md-bestand in deze map is een
hoofdstuk; de volgorde volgt `weight` en dan de bestandsnaam (01-, 02-, ...).
"#,
        title = yaml_str(title)
    )
}

fn chapter() -> String {
    r#"---
title: Voorwoord
weight: 10
# signed: "Naam, voorzitter G40 Stedennetwerk"   # ondertekening onder het hoofdstuk
---
De tekst van het voorwoord. Kopjes met `##` verschijnen in de inhoudsopgave.
"#
    .to_string()
}

fn programme(title: &str, date: &str) -> String {
    format!(
        r#"kind: programme
title: {title}
date: {date}
city: Plaatsnaam
venue: Naam van de locatie
audience: bestuurlijk            # bestuurlijk of ambtelijk
intro: |
  Een korte inleiding op de dag (Markdown).
rooms:                           # kolommen van het schema, in deze volgorde
  - id: zaal1
    name: Plenaire zaal
  - id: zaal2
    name: Zaal 2
sessions:                        # één lijst; het schema wordt eruit afgeleid
  - time: "9.30"                 # alleen een begintijd: inloop
    kind: walk-in
    title: Inloop met koffie
  - time: "10.00-10.30"          # ook 10:00-10:30, of start:/end:
    kind: plenary                # beslaat alle zalen
    title: Opening
    room: zaal1
  - time: "10.30-10.35"
    kind: transfer               # verplaatsingstijd
  - time: "10.35-11.30"
    title: Eerste sessie
    room: zaal2
    description: |
      Waar de sessie over gaat (Markdown).
    chair: Naam van de voorzitter
    speakers:
      - name: Naam spreker
        role: functie en organisatie
  - time: "12.00-13.00"
    kind: break                  # lunch of borrel
    title: Lunch
"#,
        title = yaml_str(title)
    )
}

fn roles(title: &str, date: &str) -> String {
    format!(
        r#"kind: roles
title: {title}
date: {date}
intro: |
  Waarom deze functies worden vervuld en hoe de verkiezing verloopt (Markdown).
roles:
  - id: voorzitter
    title: Voorzitter
    member_of: Dagelijks Bestuur   # optioneel
    paid: false
    duties:                        # lijst van taken (Markdown)
      - Eerste aanspreekpunt en woordvoerder van het netwerk.
    competencies: [verbinder, netwerker]
    time: twee tot vier uur per week
    support:                       # optioneel: de ondersteunende ambtenaar
      title: Algemeen secretaris
      fte: 0.5                     # getal tussen 0 en 1
      duties:
        - Bereidt vergaderingen voor.
    contact:
      name: Secretariaat
      role: secretariaat G40
      email: secretariaat@example.nl
"#,
        title = yaml_str(title)
    )
}

const SITE_YAML: &str = r#"# De instellingen van de site. Zie docs/content-format.md.
title: Mijn G40-site
base_url: https://www.example.nl
language: nl
timezone: Europe/Amsterdam
organisation:
  name: G40 Stedennetwerk
  email: secretariaat@example.nl
menu:
  - { title: Over ons, path: /over/ }
"#;

const HOME: &str = r#"---
title: Welkom
summary: De startpagina van de site.
---
Dit is de startpagina. Pas `content/_index.md` aan, of voeg pagina's toe met
`g40site new page PAD`.
"#;

const PIJLERS: &str = "- { id: economie-werk, name: Pijler Economie en Werk }\n- { id: sociaal, name: Pijler Sociaal }\n- { id: fysiek, name: Pijler Fysiek }\n";

const THEMAGROEPEN: &str = "# Themagroepen (sinds 2026: opgavegroepen). `aliases` houden oude ids geldig.\n- { id: woningmarkt, name: Woningmarkt, pijler: fysiek }\n- { id: armoede-schulden, name: Armoede en schulden, pijler: sociaal }\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_paths() {
        assert_eq!(
            split_date("2026-09-10-zwolle"),
            (Some("2026-09-10".into()), "zwolle")
        );
        assert_eq!(split_date("01-voorwoord"), (None, "voorwoord"));
        assert_eq!(title_case("netwerkdag-zwolle"), "Netwerkdag zwolle");
    }
}
