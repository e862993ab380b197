//! Content mistakes as an editor makes them, and what the real binary says
//! about them (issue 12, items 5, 6, 7, 10, 11 and 12): run in the site
//! folder with no `--root`, files saved by writing a temporary file and
//! renaming it over the old one, the messages read from standard error
//! the way a person reads them.

use std::path::Path;
use std::process::Command;

use crate::common::{Fixture, PIJLERS, THEMAGROEPEN, snapshot};

/// A small valid site whose menu leads somewhere.
fn site() -> Fixture {
    Fixture::empty()
        .file(
            "site.yaml",
            "title: Testsite\nbase_url: https://example.nl\nmenu:\n  - { title: Over, path: /over/ }\n",
        )
        .file(
            "content/_index.md",
            "---\ntitle: Welkom\n---\nDe startpagina.\n",
        )
        .file("content/over.md", "---\ntitle: Over ons\n---\nOver ons.\n")
        .file("content/_data/pijlers.yaml", PIJLERS)
        .file("content/_data/themagroepen.yaml", THEMAGROEPEN)
}

/// Save as many editors do: write a temporary file, rename it over.
fn save(site: &Fixture, rel: &str, text: &str) {
    save_in(site.root(), rel, text)
}

fn save_in(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let tmp = path.with_extension("tmp~");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

/// Run the binary in the site folder: exit code and standard error.
fn run(site: &Fixture, args: &[&str]) -> (i32, String) {
    run_in(site.root(), args)
}

fn run_in(root: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_g40site"))
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("run g40site");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The `error: ...` lines, in the order printed.
fn errors(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("error:")).collect()
}

const PROGRAMME: &str = "kind: programme\ntitle: Netwerkdag Zwolle\ndate: 2026-09-10\ncity: Zwolle\nrooms:\n  - { id: zaal1, name: Zaal 1 }\nsessions:\n  - time: \"10.00-10.30\"\n    title: Opening\n    room: zaal1\n";

// --- Item 5: one mistake, one error -------------------------------------

#[test]
fn broken_documents_give_one_error_each_and_links_to_them_none() {
    let site = site()
        .file(
            "content/netwerkdagen/2026-09-10-zwolle.yaml",
            &PROGRAMME.replace("city: Zwolle", "city: Zwolle: Spoorzone"),
        )
        .file(
            "content/bestuur/functies.yaml",
            "kind: roles\ntitle: Functies\nroles:\n  - id: voorzitter\n   title: Voorzitter\n",
        )
        .file(
            "content/geen-titel.md",
            "---\nsummary: Vergeten titel\n---\nTekst.\n",
        );
    save(
        &site,
        "content/over.md",
        "---\ntitle: Over ons\n---\nZie de [netwerkdag](netwerkdagen/2026-09-10-zwolle.yaml),\nde [functies](bestuur/functies.yaml) en [dit](geen-titel.md).\n\nNog eens: [netwerkdag](netwerkdagen/2026-09-10-zwolle.yaml#opening).\n",
    );
    let (code, stderr) = run(&site, &["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains("no such content file"), "{stderr}");
    let errors = errors(&stderr);
    assert_eq!(errors.len(), 3, "one error per broken file:\n{stderr}");
    for file in [
        "--> content/netwerkdagen/2026-09-10-zwolle.yaml:4:",
        "--> content/bestuur/functies.yaml:5:",
        "--> content/geen-titel.md:",
    ] {
        assert!(stderr.contains(file), "`{file}` missing in:\n{stderr}");
    }
    assert!(stderr.contains("Build failed with 3 errors"), "{stderr}");
}

#[test]
fn a_link_to_a_draft_says_it_is_a_draft() {
    let site = site().file(
        "content/concept.md",
        "---\ntitle: Concept\ndraft: true\n---\nNog niet af.\n",
    );
    save(
        &site,
        "content/over.md",
        "---\ntitle: Over ons\n---\nLees ook het [concept](concept.md).\n",
    );
    let (code, stderr) = run(&site, &["build"]);
    assert_eq!(code, 1, "{stderr}");
    let errors = errors(&stderr);
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("is a draft"), "{stderr}");
    assert!(stderr.contains("--> content/over.md:4:24"), "{stderr}");
    assert!(stderr.contains("remove `draft: true`"), "{stderr}");
    // In a preview with drafts the link works.
    let (code, stderr) = run(&site, &["build", "--drafts"]);
    assert_eq!(code, 0, "{stderr}");
    // A chapter of a draft report: the hint names the file to change.
    save(
        &site,
        "content/over.md",
        "---\ntitle: Over ons\n---\nHet [voorwoord](jaarverslag/2026/01-voorwoord.md).\n",
    );
    save(
        &site,
        "content/jaarverslag/2026/_index.md",
        "---\nkind: report\ntitle: Jaarverslag 2026\ndraft: true\n---\n",
    );
    save(
        &site,
        "content/jaarverslag/2026/01-voorwoord.md",
        "---\ntitle: Voorwoord\n---\nTekst.\n",
    );
    let (code, stderr) = run(&site, &["build"]);
    assert_eq!(code, 1, "{stderr}");
    let chapter_errors = stderr.lines().filter(|l| l.starts_with("error:")).count();
    assert_eq!(chapter_errors, 1, "{stderr}");
    assert!(
        stderr.contains("hint: remove `draft: true` from content/jaarverslag/2026/_index.md"),
        "{stderr}"
    );
}

#[test]
fn a_broken_taxonomy_file_is_the_only_error_not_every_page_naming_a_pillar() {
    let site = site();
    save(
        &site,
        "content/over.md",
        "---\ntitle: Over ons\npijler: sociaal\nthemagroepen: [woningmarkt]\n---\nTekst.\n",
    );
    save(
        &site,
        "content/_data/pijlers.yaml",
        "- { id: sociaal, name: Pijler Sociaal }\n- id: fysiek\n  name: Pijler: Fysiek\n",
    );
    let (code, stderr) = run(&site, &["build"]);
    assert_eq!(code, 1, "{stderr}");
    let errors = errors(&stderr);
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        stderr.contains("--> content/_data/pijlers.yaml:3:"),
        "{stderr}"
    );
}

// --- Item 6: check judges every internal link, once --------------------

fn report_site() -> Fixture {
    site()
        .file(
            "content/jaarverslag/2025/_index.md",
            "---\nkind: report\ntitle: Jaarverslag 2025\nyear: 2025\n---\nInleiding.\n",
        )
        .file(
            "content/jaarverslag/2025/01-voorwoord.md",
            "---\ntitle: Voorwoord\n---\n## Inleiding\n\nTekst.\n",
        )
}

#[test]
fn check_judges_links_written_as_urls_once_at_the_line_they_are_on() {
    let site = report_site();
    save(
        &site,
        "content/jaarverslag/2025/02-visie.md",
        "---\ntitle: Visie\n---\nZie [a](../voorwoord/#bestaat-niet) en [b](/jaarverslag/2025/voorwoord/#bestaat-niet).\n\nGoed: [c](../voorwoord/#inleiding) en [d](/jaarverslag/2025/voorwoord/).\n\nWeg: [e](../../2024/voorwoord/).\n",
    );
    let (code, stderr) = run(&site, &["check"]);
    assert_eq!(code, 1, "{stderr}");
    let errors = errors(&stderr);
    assert_eq!(errors.len(), 3, "each broken link once:\n{stderr}");
    for place in [
        "--> content/jaarverslag/2025/02-visie.md:4:9",
        "--> content/jaarverslag/2025/02-visie.md:4:44",
        "--> content/jaarverslag/2025/02-visie.md:8:10",
    ] {
        assert!(stderr.contains(place), "`{place}` missing in:\n{stderr}");
    }
    assert!(
        !stderr.contains("output:"),
        "blamed on a template:\n{stderr}"
    );
    assert!(!stderr.contains("print"), "{stderr}");
    // Fixed, the same command passes.
    save(
        &site,
        "content/jaarverslag/2025/02-visie.md",
        "---\ntitle: Visie\n---\nZie [a](../voorwoord/#inleiding).\n",
    );
    let (code, stderr) = run(&site, &["check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("no problems"), "{stderr}");
}

#[test]
fn check_and_build_know_the_base_path() {
    let site = site()
        .file(
            "site.yaml",
            "title: Testsite\nbase_url: https://example.org/g40/\nmenu:\n  - { title: Over, path: /over/ }\n",
        )
        .file(
            "content/kernboodschappen.md",
            "---\ntitle: Kernboodschappen\n---\nDe kern.\n",
        );
    save(
        &site,
        "content/over.md",
        "---\ntitle: Over ons\n---\nLees de [kernboodschappen](/kernboodschappen/).\n",
    );
    let (code, stderr) = run(&site, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let html = site.read("over/index.html");
    assert!(
        html.contains("href=\"/g40/kernboodschappen/\""),
        "a site-absolute link is put under the base path:\n{html}"
    );
    let (code, stderr) = run(&site, &["check"]);
    assert_eq!(code, 0, "{stderr}");
    // Raw HTML is not rewritten: check says where it leads nowhere.
    save(
        &site,
        "content/over.md",
        "---\ntitle: Over ons\n---\nLees de <a href=\"/kernboodschappen/\">kernboodschappen</a>.\n",
    );
    let (code, stderr) = run(&site, &["check"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("outside the site's base path"), "{stderr}");
    assert!(stderr.contains("--> content/over.md:4:"), "{stderr}");
}

// --- Item 7: a missing file is a located build error --------------------

#[test]
fn a_miscased_or_mistyped_file_name_is_a_build_error_with_did_you_mean() {
    let site = site()
        .bytes(
            "content/Deelnemers-2024.png",
            &crate::common::images::png(300, 200, 0),
        )
        .file("content/bijlagen/rapport.pdf", "%PDF");
    save(
        &site,
        "content/over.md",
        "---\ntitle: Over ons\n---\n![Deelnemers in 2024](deelnemers-2024.png)\n\nHet [rapport](bijlagen/rapprt.pdf).\n",
    );
    let (code, stderr) = run(&site, &["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(errors(&stderr).len(), 2, "{stderr}");
    assert!(stderr.contains("--> content/over.md:4:23"), "{stderr}");
    assert!(
        stderr.contains("did you mean `Deelnemers-2024.png`?"),
        "{stderr}"
    );
    assert!(stderr.contains("--> content/over.md:6:15"), "{stderr}");
    assert!(
        stderr.contains("did you mean `bijlagen/rapport.pdf`?"),
        "{stderr}"
    );
    assert!(!site.out().exists(), "nothing is written");
    // Fixed, the image is in the output where the page points.
    save(
        &site,
        "content/over.md",
        "---\ntitle: Over ons\n---\n![Deelnemers in 2024](Deelnemers-2024.png)\n",
    );
    let (code, stderr) = run(&site, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        site.read("over/index.html")
            .contains("src=\"/Deelnemers-2024.png\"")
    );
    assert!(site.exists("Deelnemers-2024.png"));
}

#[test]
fn a_missing_image_in_a_chapter_is_reported_once() {
    let site = report_site();
    save(
        &site,
        "content/jaarverslag/2025/02-visie.md",
        "---\ntitle: Visie\n---\n![Kaart van de steden](kaart.png)\n",
    );
    for command in ["build", "check"] {
        let (code, stderr) = run(&site, &[command]);
        assert_eq!(code, 1, "{command}: {stderr}");
        let errors = errors(&stderr);
        assert_eq!(errors.len(), 1, "{command}, once:\n{stderr}");
        assert!(
            stderr.contains("--> content/jaarverslag/2025/02-visie.md:4:24"),
            "{command}: {stderr}"
        );
    }
}

// --- Item 10: `new` and `init` --------------------------------------------

#[test]
fn new_takes_year_date_and_city_from_the_path() {
    let site = site();
    let (code, stderr) = run(&site, &["new", "report", "jaarverslag/2024"]);
    assert_eq!(code, 0, "{stderr}");
    let report =
        std::fs::read_to_string(site.root().join("content/jaarverslag/2024/_index.md")).unwrap();
    assert!(report.contains("\nyear: 2024\n"), "{report}");
    assert!(report.contains("\ndraft: true"), "{report}");
    let this_year = jiff::Zoned::now().year().to_string();
    assert!(
        !report
            .lines()
            .any(|l| !l.starts_with('#') && l.starts_with("published: ")),
        "no made-up publication date:\n{report}"
    );
    if this_year != "2024" {
        assert!(!report.contains(&format!("year: {this_year}")), "{report}");
    }
    let (code, stderr) = run(
        &site,
        &["new", "programme", "netwerkdagen/2026-09-10-zwolle"],
    );
    assert_eq!(code, 0, "{stderr}");
    let programme = std::fs::read_to_string(
        site.root()
            .join("content/netwerkdagen/2026-09-10-zwolle.yaml"),
    )
    .unwrap();
    assert!(programme.contains("\ndate: 2026-09-10\n"), "{programme}");
    assert!(programme.contains("\ncity: \"Zwolle\"\n"), "{programme}");
    assert!(!programme.contains("Plaatsnaam"), "{programme}");
    assert!(programme.contains("\ndraft: true"), "{programme}");
}

/// The binary with a fixed "today", so two builds can be compared.
fn build_on_a_fixed_day(root: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_g40site"))
        .args(["build", "--today", "2026-01-01", "--quiet"])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn new_then_build_publishes_nothing_from_the_scaffold() {
    let site = site();
    build_on_a_fixed_day(site.root());
    let before = snapshot(&site.out());
    for (kind, path) in [
        ("page", "over/team"),
        ("note", "notas/2026-01-15-begroting"),
        ("report", "jaarverslag/2025"),
        ("programme", "netwerkdagen/2026-09-10-zwolle"),
        ("roles", "bestuur/functies-2027"),
    ] {
        let (code, stderr) = run(&site, &["new", kind, path]);
        assert_eq!(code, 0, "new {kind}: {stderr}");
    }
    build_on_a_fixed_day(site.root());
    let after = snapshot(&site.out());
    let names = |s: &[(std::path::PathBuf, Vec<u8>)]| {
        s.iter()
            .map(|(p, _)| p.display().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&before), names(&after), "files were added");
    assert!(before == after, "a published page changed");
    // With drafts (a preview) every scaffold builds.
    let (code, stderr) = run(&site, &["build", "--drafts"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(site.exists("netwerkdagen/2026-09-10-zwolle/index.html"));
}

#[test]
fn init_makes_a_site_whose_menu_leads_somewhere() {
    let parent = Fixture::empty();
    let out = parent.run(&["init", "nieuw"]);
    assert!(out.status.success());
    let root = parent.root().join("nieuw");
    let (code, stderr) = run_in(&root, &["check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("no problems"), "{stderr}");
    // A first networkday, published: the menu's Netwerkdagen lists it.
    let (code, stderr) = run_in(
        &root,
        &["new", "programme", "netwerkdagen/2026-09-10-zwolle"],
    );
    assert_eq!(code, 0, "{stderr}");
    let rel = "content/netwerkdagen/2026-09-10-zwolle.yaml";
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    let published: String = text
        .lines()
        .filter(|l| !l.starts_with("draft:"))
        .map(|l| format!("{l}\n"))
        .collect();
    save_in(&root, rel, &published);
    let (code, stderr) = run_in(&root, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let read = |rel: &str| std::fs::read_to_string(root.join("output").join(rel)).unwrap();
    let home = read("index.html");
    assert!(home.contains("href=\"/netwerkdagen/\""), "{home}");
    let listing = read("netwerkdagen/index.html");
    assert!(
        listing.contains("href=\"/netwerkdagen/2026-09-10-zwolle/\""),
        "{listing}"
    );
    let (code, stderr) = run_in(&root, &["check"]);
    assert_eq!(code, 0, "{stderr}");
}

// --- Item 11: task lists, a second h1 ------------------------------------

#[test]
fn task_list_checkboxes_have_an_accessible_name() {
    let site = site();
    save(
        &site,
        "content/over.md",
        "---\ntitle: Over ons\n---\n- [x] Begroting vastgesteld\n- [ ] Jaarverslag gepubliceerd\n",
    );
    let (code, stderr) = run(&site, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let html = site.read("over/index.html");
    let boxes: Vec<&str> = html
        .match_indices("<input type=\"checkbox\"")
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
        .collect();
    assert_eq!(boxes.len(), 2, "{html}");
    assert!(
        boxes[0].contains("checked") && boxes[0].contains("aria-label=\"gedaan\""),
        "{}",
        boxes[0]
    );
    assert!(
        !boxes[1].contains("checked") && boxes[1].contains("aria-label=\"niet gedaan\""),
        "{}",
        boxes[1]
    );
    assert!(boxes.iter().all(|b| b.contains("disabled")));
    // And axe agrees, where it is installed (always in CI).
    let (Some(chromium), Some(checkers)) = (
        crate::common::browser::chromium(),
        crate::common::browser::checkers(),
    ) else {
        return;
    };
    let server = g40site::testing::StaticServer::from_dir(&site.out(), "").unwrap();
    let report = checkers.axe(&chromium, &server.origin(), &["/over/".to_string()]);
    assert!(
        !report.rules().iter().any(|r| r == "label"),
        "{}",
        report.describe()
    );
}

#[test]
fn a_hash_heading_in_a_page_is_a_warning_with_a_hint() {
    let site = site();
    save(
        &site,
        "content/over.md",
        "---\ntitle: Over ons\n---\nInleiding.\n\n# Onze missie\n\nTekst.\n",
    );
    for command in ["build", "check"] {
        let (code, stderr) = run(&site, &[command]);
        assert_eq!(code, 0, "{command}: a warning does not fail:\n{stderr}");
        assert!(
            stderr.contains("warning: a `#` heading"),
            "{command}: {stderr}"
        );
        assert!(stderr.contains("--> content/over.md:6:1"), "{stderr}");
        assert!(stderr.contains("hint: start the sections of the text at `##`"));
        assert!(errors(&stderr).is_empty(), "{stderr}");
    }
}

// --- Item 12: messages an editor can act on -------------------------------

#[test]
fn yaml_mistakes_get_plain_messages_and_hints() {
    let site = site()
        .file(
            "content/a-dubbelepunt.md",
            "---\ntitle: Over: ons\n---\nx\n",
        )
        .file(
            "content/b-tab.md",
            "---\ntitle: Tab\nextra:\n\tkleur: rood\n---\nx\n",
        )
        .file("content/c-nee.md", "---\ntitle: Nee\ndraft: nee\n---\nx\n")
        .file(
            "content/d-lijst.md",
            "---\ntitle: Lijst\nthemagroepen: woningmarkt, armoede\n---\nx\n",
        )
        .file(
            "content/netwerkdagen/e-inspringen.yaml",
            &PROGRAMME.replace(
                "  - time: \"10.00-10.30\"",
                "  - time: \"9.30\"\n    kind: walk-in\n   - time: \"10.00-10.30\"",
            ),
        )
        .file(
            "content/netwerkdagen/f-tab.yaml",
            &PROGRAMME.replace("    room: zaal1", "\troom: zaal1"),
        );
    let (code, stderr) = run(&site, &["build"]);
    assert_eq!(code, 1, "{stderr}");
    for bare in [
        "mapping values are not allowed",
        "did not find expected",
        "found a tab character",
        "cannot start any token",
        "invalid type: string",
    ] {
        assert!(!stderr.contains(bare), "`{bare}` came through:\n{stderr}");
    }
    assert_eq!(errors(&stderr).len(), 6, "{stderr}");
    for expected in [
        "hint: put the text between quotes, e.g. `title: \"Over: ons\"`",
        // The tab is shown, and the caret is on it.
        "4 | →kleur: rood\n  | ^",
        "indented with a tab",
        "`draft` must be `true` or `false`, not `nee`",
        "hint: write `false`",
        "`themagroepen` must be a list",
        "hint: write the items between brackets: `[woningmarkt, armoede]`",
        "this list item is not lined up with the items above it",
        "10 | →room: zaal1",
    ] {
        assert!(
            stderr.contains(expected),
            "`{expected}` missing in:\n{stderr}"
        );
    }
}

#[test]
fn all_unknown_fields_of_a_file_are_reported_in_one_build() {
    let mut sessions = String::new();
    for i in 0..10 {
        let title = if i == 9 { "Lunch" } else { "Sessie" };
        sessions.push_str(&format!(
            "  - time: \"{h}.00-{h}.30\"\n    title: {title} {n}\n    room: zaal1\n",
            h = 9 + i,
            n = i + 1
        ));
        if i == 2 {
            sessions.push_str("    sprekers:\n      - name: Jan\n");
        }
        if i == 9 {
            sessions.push_str("    zaal: zaal1\n");
        }
    }
    let site = site()
        .file(
            "content/nieuws.md",
            "---\ntitle: Nieuws\ntitel: Nieuws\ndatum: 2026-01-01\nsamenvatting: Kort.\n---\nx\n",
        )
        .file(
            "content/netwerkdagen/2026-09-10-zwolle.yaml",
            &format!(
                "kind: programme\ntitle: Netwerkdag\ndate: 2026-09-10\nrooms:\n  - {{ id: zaal1, name: Zaal 1 }}\nsessions:\n{sessions}"
            ),
        );
    let (code, stderr) = run(&site, &["build"]);
    assert_eq!(code, 1, "{stderr}");
    let errors = errors(&stderr);
    assert_eq!(errors.len(), 5, "{stderr}");
    for field in ["titel", "datum", "samenvatting"] {
        assert!(
            stderr.contains(&format!("unknown field `{field}`")),
            "{field}: {stderr}"
        );
    }
    assert!(stderr.contains("hint: did you mean `date`?"), "{stderr}");
    assert!(
        stderr.contains("error: session 3 (“Sessie 3”): unknown field `sprekers`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: session 10 (“Lunch 10”): unknown field `zaal`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `room`?"), "{stderr}");
    assert!(!stderr.contains("sessions["), "{stderr}");
}
