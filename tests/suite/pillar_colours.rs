//! Pillar labels and colours in the programme grid (issue 15): the colour
//! from `_data/pijlers.yaml` (`kleur`), the pillar's name always written in
//! the cell, white label text at 4.5:1 or more, a legend on the page and
//! on the print page; located errors for a colour that is not one, one too
//! light for white text, and one YAML reads as a comment.

use g40site::testing::{contrast, parse_hex};

use crate::common::{Fixture, line_of, read_text, span};
use crate::common::{failed_build, networkday_site as site};

const PIJLERS: &str = "- id: sociaal\n  name: Pijler Sociaal\n  kleur: \"#A4225A\"\n- id: fysiek\n  name: Pijler Fysiek\n  colour: \"#1d6b3a\"\n- id: economie-werk\n  name: Pijler Economie en Werk\n";

const DAY: &str = "kind: programme\ntitle: Netwerkdag\ndate: 2024-06-14\nrooms:\n  - { id: a, name: Zaal A }\n  - { id: b, name: Zaal B }\n  - { id: c, name: Zaal C }\nsessions:\n  - time: 10.00-11.00\n    title: Pijler sociaal\n    room: a\n    pijler: sociaal\n  - time: 10.00-11.00\n    title: Woningmarkt\n    room: b\n    themagroep: woningmarkt\n  - time: 10.00-11.00\n    title: Europa\n    room: c\n    themagroep: europa\n  - time: 11.00-12.00\n    title: Zonder pijler\n    room: a\n  - time: 11.00-12.00\n    title: Werk\n    room: b\n    pijler: economie-werk\n";

fn colour_site(pijlers: &str) -> Fixture {
    let site = site(&[("netwerkdagen/dag.yaml", DAY)]);
    site.write("content/_data/pijlers.yaml", pijlers);
    site
}

/// The grid cell of the session titled `title`.
fn cell<'a>(grid: &'a str, title: &str) -> &'a str {
    let at = grid
        .find(&format!(">{title}</a>"))
        .unwrap_or_else(|| panic!("no cell {title}"));
    let start = grid[..at].rfind("<td").unwrap();
    &grid[start..at + grid[at..].find("</td>").unwrap()]
}

/// The `--pijler` colour of an element.
fn colour_of(html: &str) -> [u8; 3] {
    let v = &html[html.find("--pijler: ").unwrap() + 10..];
    let v = &v[..v.find('"').unwrap()];
    parse_hex(v).unwrap_or_else(|| panic!("{v}"))
}

#[test]
fn sessions_carry_their_pillar_in_words_and_colour_with_a_legend() {
    let site = colour_site(PIJLERS);
    site.run_ok(&["build"]);
    let html = read_text(site.root(), "output/netwerkdagen/dag/index.html");
    let grid = span(&html, "<table class=\"programme-grid\">", "</table>");
    // Its own pillar, and a theme group's pillar (woningmarkt: fysiek).
    let sociaal = cell(grid, "Pijler sociaal");
    assert!(
        sociaal.contains("<span class=\"cell-pijler\">Pijler Sociaal</span>"),
        "{sociaal}"
    );
    assert_eq!(colour_of(sociaal), [0xa4, 0x22, 0x5a]);
    let woningmarkt = cell(grid, "Woningmarkt");
    assert!(
        woningmarkt.contains(">Pijler Fysiek</span>"),
        "{woningmarkt}"
    );
    assert_eq!(colour_of(woningmarkt), [0x1d, 0x6b, 0x3a]);
    // A theme group of no pillar; a pillar without a colour: neutral.
    assert!(cell(grid, "Europa").contains(">Pijleroverstijgend</span>"));
    assert!(cell(grid, "Werk").contains(">Pijler Economie en Werk</span>"));
    // A session of neither has no label.
    assert!(!cell(grid, "Zonder pijler").contains("cell-pijler"));
    // Every label's white text is readable on its colour.
    for (i, _) in grid.match_indices("--pijler: ") {
        let c = colour_of(&grid[i..]);
        assert!(contrast(c, [255, 255, 255]) >= 4.5, "{c:?}");
    }
    // The legend: every pillar of the day, in the data's order, in words.
    let legend = span(&html, "<div class=\"pijler-legend\">", "</div>");
    let names: Vec<&str> = legend
        .split("<span class=\"cell-pijler\"")
        .skip(1)
        .map(|s| &s[s.find('>').unwrap() + 1..s.find("</span>").unwrap()])
        .collect();
    assert_eq!(
        names,
        [
            "Pijler Sociaal",
            "Pijler Fysiek",
            "Pijler Economie en Werk",
            "Pijleroverstijgend"
        ]
    );
    // The print page has the labels and the legend too.
    let print = read_text(site.root(), "output/netwerkdagen/dag/print/index.html");
    let section = span(&print, "<section class=\"print-grid\"", "</section>");
    assert!(section.contains("<span class=\"cell-pijler\">Pijler Sociaal</span>"));
    assert!(
        section.contains("<div class=\"pijler-legend\">"),
        "{section}"
    );
    // The colours are kept on paper.
    let css = read_text(site.root(), "output/programme.css");
    assert!(
        css.contains(".cell-pijler {\n    -webkit-print-color-adjust: exact")
            || css.contains(".programme-grid td.has-pijler, .cell-pijler {")
    );
}

#[test]
fn a_colour_that_is_none_or_too_light_is_located() {
    let pijlers = "- id: sociaal\n  name: Pijler Sociaal\n  kleur: \"#ffcc00\"\n- id: fysiek\n  name: Pijler Fysiek\n  kleur: groen\n- id: economie-werk\n  name: Pijler Economie en Werk\n  kleur: #8a4b08\n";
    let site = colour_site(pijlers);
    let out = failed_build(&site);
    let at = |needle: &str| format!("content/_data/pijlers.yaml:{}:", line_of(pijlers, needle));
    assert!(out.contains(&at("#ffcc00")), "{out}");
    assert!(
        out.contains(
            "pijler `sociaal`: white text on kleur `#ffcc00` has a contrast of 1.5:1, below 4.5:1"
        ),
        "{out}"
    );
    assert!(out.contains("choose a darker one, e.g. `#"), "{out}");
    assert!(out.contains(&at("groen")), "{out}");
    assert!(
        out.contains("pijler `fysiek`: kleur `groen` is not a colour"),
        "{out}"
    );
    assert!(out.contains(&format!("{}10", at("#8a4b08"))), "{out}");
    assert!(out.contains("this colour is read as a comment"), "{out}");
    assert!(
        out.contains("put it in quotes: `kleur: \"#8a4b08\"`"),
        "{out}"
    );
}
