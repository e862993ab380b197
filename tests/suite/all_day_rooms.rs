//! Rooms open all day for one purpose (issue 15, "Rooms and sessions that
//! today cannot be expressed"): `all_day:` on a room, built with the real
//! binary in the site folder from the example in docs/programme.md; the
//! grid keeps the plenaries, transfers and the borrel over every room and
//! fills the room's column between them; the located errors.

use std::path::Path;

use crate::common::exports::{events, schedule, schedule_validator};
use crate::common::{failed_build, networkday_site as site, read_text, span};

/// The example of docs/programme.md, "A room open all day".
fn documented_example() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/programme.md")).unwrap();
    let section = span(&doc, "## A room open all day", "```\n\n");
    section[section.find("```yaml\n").unwrap() + 8..section.len() - 5].to_string()
}

/// The grid's body row that starts at `start` (`11.30`).
fn row<'a>(html: &'a str, start: &str) -> &'a str {
    let at = html
        .match_indices("<th scope=\"row\" class=\"time\"><time datetime=")
        .map(|(i, _)| i)
        .find(|&i| {
            html[i..]
                .split("</time>")
                .next()
                .unwrap()
                .ends_with(&format!(">{start}"))
        })
        .unwrap_or_else(|| panic!("no row {start}"));
    let rest = &html[at..];
    &rest[..rest.find("</tr>").unwrap()]
}

#[test]
fn the_documented_all_day_room_fills_its_column_between_the_plenaries() {
    let site = site(&[("netwerkdagen/2024-06-14-zwolle.yaml", &documented_example())]);
    site.run_ok(&["build"]);
    let dir = "output/netwerkdagen/2024-06-14-zwolle/";
    let html = read_text(site.root(), &format!("{dir}index.html"));
    let grid = span(&html, "<table class=\"programme-grid\">", "</table>");
    // The room is a column.
    assert!(
        grid.contains(
            "<th scope=\"col\">Netwerkruimte<span class=\"room-location\">Foyer</span></th>"
        ),
        "{grid}"
    );
    // The opening and the transfer still span every room, the all-day room too.
    assert!(
        row(grid, "10.00").contains("colspan=\"3\"><a href=\"#opening\">Opening</a>"),
        "{grid}"
    );
    assert!(row(grid, "11.30").contains("colspan=\"3\""), "{grid}");
    assert!(
        row(grid, "16.00").contains("colspan=\"3\"><a href=\"#borrel\">Borrel</a>"),
        "{grid}"
    );
    // Between them: the room's purpose, in words, over both rows of the round.
    let all_day = "<td class=\"all-day\" rowspan=\"2\">Ruimte om te netwerken<span class=\"cell-time\">hele dag</span></td>";
    assert!(
        row(grid, "10.30").contains(all_day),
        "{}",
        row(grid, "10.30")
    );
    assert!(row(grid, "11.35").contains("<td class=\"all-day\">Ruimte om te netwerken"));
    assert_eq!(grid.matches("class=\"all-day\"").count(), 2, "{grid}");
    // The list says it once.
    assert!(html.contains("<p class=\"all-day-note\">De hele dag in Netwerkruimte (Foyer): Ruimte om te netwerken.</p>"));
    // The print page too.
    let print = read_text(site.root(), &format!("{dir}print/index.html"));
    assert!(print.contains(all_day), "{print}");
    // Not an appointment: no calendar event; schedule.json stays valid.
    let ics = read_text(site.root(), &format!("{dir}programma.ics"));
    assert_eq!(events(&ics).len(), 6);
    assert!(!ics.contains("Ruimte om te netwerken"));
    let json = schedule(&read_text(site.root(), &format!("{dir}schedule.json")));
    assert!(schedule_validator().is_valid(&json));

    // The example is the other features' too: the pillar of a session and
    // the theme groups of no pillar, with the legend; the page's script
    // for Mijn programma; the calendar feed of every networkday.
    assert!(
        grid.contains("<span class=\"cell-pijler\">Pijler Sociaal</span>"),
        "{grid}"
    );
    assert!(
        grid.contains("<span class=\"cell-pijler\">Pijleroverstijgend</span>"),
        "{grid}"
    );
    assert!(html.contains(
        "<p class=\"pijler-legend-title\" id=\"legenda-rooster\">Kleuren in het rooster</p>"
    ));
    assert!(html.contains("<script src=\"/mijn-programma.js\" defer data-ics=\"/netwerkdagen/2024-06-14-zwolle/programma.ics\" data-programma=\"/netwerkdagen/2024-06-14-zwolle/\" data-tijdzone=\"Europe/Amsterdam\" data-t=\"{"));
    let feed = events(&read_text(
        site.root(),
        "output/netwerkdagen/netwerkdagen.ics",
    ));
    assert_eq!(feed.len(), 6);
}

#[test]
fn a_session_in_an_all_day_room_and_an_empty_purpose_are_located() {
    let yaml = documented_example()
        .replace("    room: zaal2\n    themagroep: financien", "    room: netwerkruimte\n    themagroep: financien")
        .replace("  - { id: zaal2, name: Zaal 2 }", "  - { id: zaal2, name: Zaal 2 }\n  - { id: stil, name: Stilteruimte, all_day: \"  \" }");
    let site = site(&[("netwerkdagen/dag.yaml", &yaml)]);
    let out = failed_build(&site);
    let line = |needle: &str| yaml.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(
        out.contains(&format!(
            "content/netwerkdagen/dag.yaml:{}:5",
            line("room: netwerkruimte")
        )),
        "{out}"
    );
    assert!(out.contains("session “Themagroep Financiën”: room `netwerkruimte` is open all day for “Ruimte om te netwerken”: no session can be held in it"), "{out}");
    assert!(
        out.contains(
            "hint: choose another room (`zaal1`, `zaal2`), or remove `all_day` from the room"
        ),
        "{out}"
    );
    assert!(out.contains("room `stil`: `all_day` is empty"), "{out}");
    assert!(
        out.contains(&format!(
            "content/netwerkdagen/dag.yaml:{}:",
            line("Stilteruimte")
        )),
        "{out}"
    );
    // Nothing was written.
    assert!(
        !site
            .root()
            .join("output/netwerkdagen/dag/index.html")
            .exists()
    );
}

#[test]
fn the_haarlem_day_has_its_networking_room_all_day() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let haarlem =
        std::fs::read_to_string(root.join("content/netwerkdagen/2023-02-10-haarlem.yaml")).unwrap();
    let site = site(&[("netwerkdagen/2023-02-10-haarlem.yaml", &haarlem)]);
    site.run_ok(&["build"]);
    let html = read_text(
        site.root(),
        "output/netwerkdagen/2023-02-10-haarlem/index.html",
    );
    let grid = span(&html, "<table class=\"programme-grid\">", "</table>");
    assert!(grid.contains("<th scope=\"col\">Netwerkruimte</th>"));
    // The four rounds, not the plenary start, the lunch or the transfers.
    assert_eq!(grid.matches("<td class=\"all-day\"").count(), 4, "{grid}");
    assert!(row(grid, "12.50").contains("colspan=\"6\""), "{grid}");
}
