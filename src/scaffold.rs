//! `g40site new` and `g40site init`: documented starting files.
//!
//! Every file written here builds as it is and explains its fields in
//! comments, so an editor can start from it without the manual. Nothing is
//! ever overwritten.

use std::path::{Path, PathBuf};

/// The kinds `new` can create.
pub(crate) const KINDS: [&str; 5] = ["page", "note", "report", "programme", "roles"];

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
    // What the path says is used: the date in `2026-09-10-zwolle`, the
    // city after it, the year in `jaarverslag/2024`.
    let stem = rel.rsplit('/').next().unwrap_or(rel);
    let (date, name) = split_date(stem);
    let title = title_case(name);
    let year = year_in(rel);
    let date_or_today = date.clone().unwrap_or_else(today);
    let content = root.join("content");
    let files: Vec<(PathBuf, String)> = match kind {
        "page" => vec![(content.join(format!("{rel}.md")), page(&title, true))],
        "note" => vec![(
            content.join(format!("{rel}.md")),
            note(&title, &date_or_today),
        )],
        "report" => {
            let title = match (year, rel.rsplit_once('/')) {
                (Some(y), Some((parent, _))) if stem == y.to_string() => {
                    format!(
                        "{} {y}",
                        title_case(parent.rsplit('/').next().unwrap_or(parent))
                    )
                }
                _ => title,
            };
            vec![
                (content.join(rel).join("_index.md"), report(&title, year)),
                (content.join(rel).join("01-voorwoord.md"), chapter()),
            ]
        }
        "programme" => {
            let city = date.as_ref().map(|_| city_name(name));
            let title = match &city {
                Some(c) => format!("Netwerkdag {c}"),
                None => title,
            };
            vec![(
                content.join(format!("{rel}.yaml")),
                programme(&title, &date_or_today, city.as_deref()),
            )]
        }
        "roles" => vec![(
            content.join(format!("{rel}.yaml")),
            roles(&title, &date_or_today),
        )],
        other => {
            let hint = crate::diagnostics::suggest(other, &KINDS, "kinds");
            return Err(format!("unknown kind `{other}`: {hint}"));
        }
    };
    // The site's own names for its taxonomy fields (`taxonomies:` in
    // site.yaml), so that a new document uses them; today's names when
    // site.yaml cannot be read (the build will say why).
    let taxa = crate::config::SiteConfig::load(root)
        .map(|c| c.taxonomies)
        .unwrap_or_default();
    let files: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|(f, text)| (f, with_taxonomy_names(&text, &taxa)))
        .collect();
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

/// `text` (a new document) with the taxonomy fields and data files named
/// as the site names them.
fn with_taxonomy_names(text: &str, taxa: &crate::config::Taxonomies) -> String {
    let mut out = text.to_string();
    for (level, internal, data) in [
        (&taxa.groepen, "themagroepen", "themagroepen"),
        (&taxa.pijlers, "pijler", "pijlers"),
    ] {
        out = out
            .replace(
                &format!("_data/{data}.yaml"),
                &format!("_data/{}.yaml", level.data),
            )
            .replace(&format!("{internal}: "), &format!("{}: ", level.field));
    }
    out
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
        (".gitignore", "/output\n/.g40site-cache/\n".to_string()),
        ("content/_index.md", HOME.to_string()),
        // Every menu item has its page, so the new site has no dead links.
        ("content/over.md", page("Over ons", false)),
        (
            "content/jaarverslag/_index.md",
            section("Jaarverslagen", "jaarverslag/2026", "report"),
        ),
        (
            "content/netwerkdagen/_index.md",
            section(
                "Netwerkdagen",
                "netwerkdagen/2026-09-10-zwolle",
                "programme",
            ),
        ),
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
        (None, crate::util::slug::strip_order_prefix(stem))
    }
}

/// The year a path names (`jaarverslag/2024` → 2024): the last segment
/// that is a plausible year.
fn year_in(rel: &str) -> Option<i32> {
    rel.rsplit('/').find_map(|segment| {
        let digits = segment.get(..4)?;
        let year: i32 = digits.parse().ok()?;
        let whole = segment.len() == 4 || segment.as_bytes()[4] == b'-';
        (whole && (1900..=2999).contains(&year)).then_some(year)
    })
}

/// `den-bosch` → `Den Bosch`: each word capitalised, as place names are.
fn city_name(name: &str) -> String {
    name.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The line that keeps a new document out of the published site until
/// the editor removes it.
const DRAFT_LINE: &str =
    "draft: true                     # concept: verwijder deze regel om te publiceren";

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

fn page(title: &str, draft: bool) -> String {
    let draft = if draft {
        format!("{DRAFT_LINE}\n")
    } else {
        "# draft: true                 # alleen zichtbaar met --drafts\n".to_string()
    };
    format!(
        r#"---
title: {title}
{draft}# summary: Eén zin voor overzichten en zoekmachines.
# date: 2026-01-31            # JJJJ-MM-DD, optioneel
# weight: 10                  # volgorde in de sectie (laag eerst)
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
{DRAFT_LINE}
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

fn report(title: &str, year: Option<i32>) -> String {
    let year = match year {
        Some(y) => format!("year: {y}"),
        None => "# year: 2026                    # het jaar waarover het verslag gaat".to_string(),
    };
    format!(
        r#"---
kind: report
title: {title}
{DRAFT_LINE}
{year}
subtitle: G40 Stedennetwerk
# published: JJJJ-MM-DD          # de dag van verschijnen
---
Een korte inleiding op het verslag. Elk ander .md-bestand in deze map is een
hoofdstuk; de volgorde volgt `weight` en dan de bestandsnaam (01-, 02-, ...).
Zolang hier `draft: true` staat, blijven ook de hoofdstukken onzichtbaar.
"#,
        title = yaml_str(title)
    )
}

/// A section's `_index.md` for `init`: it lists what is added to its folder.
fn section(title: &str, example: &str, kind: &str) -> String {
    format!(
        r#"---
title: {title}
---
Hier verschijnt een overzicht van wat in deze map staat. Voeg iets toe met
`g40site new {kind} {example}`.
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

fn programme(title: &str, date: &str, city: Option<&str>) -> String {
    let city = match city {
        Some(c) => format!("city: {}", yaml_str(c)),
        None => "# city: Zwolle                  # de stad van de netwerkdag".to_string(),
    };
    format!(
        r#"kind: programme
title: {title}
{DRAFT_LINE}
date: {date}
{city}
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
{DRAFT_LINE}
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
  - { title: Jaarverslagen, path: /jaarverslag/ }
  - { title: Netwerkdagen, path: /netwerkdagen/ }
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
        assert_eq!(year_in("jaarverslag/2024"), Some(2024));
        assert_eq!(year_in("jaarverslag/2024-concept"), Some(2024));
        assert_eq!(year_in("netwerkdagen/zwolle"), None);
        assert_eq!(year_in("x/20245"), None);
        assert_eq!(city_name("den-bosch"), "Den Bosch");
    }
}
