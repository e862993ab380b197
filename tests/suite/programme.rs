//! Networkday programmes, end to end: small fixture sites are built into
//! temporary folders through the library, and the tests look at what a
//! user gets — the page, the print page, the calendar files (parsed back by
//! a real iCalendar parser), `schedule.json` (checked by a real JSON Schema
//! validator) (the printed PDF and the phone layout are in
//! the `browser` binary, `programme_print`).

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use crate::common::browser::build_example;
use crate::common::exports::{
    assert_valid_xml, frab_xsd, schedule, schedule_validator, unescape, xmllint,
};
use crate::common::html::attrs;
use crate::common::{Fixture, read_text, span};
use g40site::BuildOptions;
use g40site::Date;

const SITE_YAML: &str = "title: Testsite\nbase_url: https://www.example.nl\n";
const PIJLERS: &str =
    "- { id: sociaal, name: Pijler Sociaal }\n- { id: fysiek, name: Pijler Fysiek }\n";
const THEMAGROEPEN: &str = "- { id: woningmarkt, name: Woningmarkt, pijler: fysiek, aliases: [wonen] }\n- { id: europa, name: Europa }\n- { id: armoede, name: Armoede en schulden, pijler: sociaal }\n";

/// A programme using every feature: unquoted YAML times, a walk-in and a
/// borrel without end, a plenary, a multi-room session, an early end, an
/// alias, text that needs escaping and folding in iCalendar.
const PROGRAMME: &str = r#"kind: programme
title: Netwerkdag
date: 2023-02-10
city: Teststad
venue: Stadhuis
audience: ambtelijk
intro: |
  Welkom op de **netwerkdag**.
rooms:
  - id: zaal1
    name: Zaal 1
    location: Raadzaal
  - id: zaal2
    name: Zaal 2
  - id: zaal3
    name: Zaal 3
sessions:
  - time: 9.30
    kind: walk-in
  - time: 10.00-10.30
    kind: plenary
    title: Opening
    room: zaal1
    moderator: Dagvoorzitter Jansen
    speakers:
      - { name: Burgemeester Bos, role: "gastheer, gemeente Teststad" }
  - start: "10:30"
    end: "11:00"
    title: "Wonen, werken; leven"
    room: zaal1
    themagroep: wonen
    chair: Wethouder De Vries
    description: |
      Een lange beschrijving met accenten — één, twee, drie — zodat de regel in het agendabestand gevouwen moet worden.
  - time: 10.30-11.00
    title: Breed overleg
    rooms: [zaal2, zaal3]
    pijler: sociaal
  - start: 11.00
    end: 11.45
    title: Kort gesprek
    room: zaal1
  - time: 11.00-12.00
    title: Lang gesprek
    room: zaal2
    themagroepen: [europa, armoede]
  - time: 16
    kind: break
    title: Borrel
not_meeting:
  - { themagroep: woningmarkt, note: Vergadert niet. }
"#;

/// A site with the taxonomy data and the given files under `content/`.
fn fixture(files: &[(&str, &str)]) -> Fixture {
    let site = Fixture::empty()
        .file("site.yaml", SITE_YAML)
        .file("content/_index.md", "---\ntitle: Home\n---\n")
        .file("content/_data/pijlers.yaml", PIJLERS)
        .file("content/_data/themagroepen.yaml", THEMAGROEPEN)
        .file(
            "content/netwerkdagen/_index.md",
            "---\ntitle: Netwerkdagen\n---\n",
        );
    for (rel, text) in files {
        site.write(&format!("content/{rel}"), text);
    }
    site
}

const DAY: &str = "netwerkdagen/dag/";

#[test]
fn programme_page_has_an_accessible_grid_and_a_list_by_start_time() {
    let site = fixture(&[("netwerkdagen/dag.yaml", PROGRAMME)]);
    let out = site.build_ok();
    let html = read_text(&out, &format!("{DAY}index.html"));

    let grid = span(&html, "<table class=\"programme-grid\">", "</table>");
    assert!(
        grid.contains("<caption>Programma Netwerkdag Teststad, vrijdag 10 februari 2023</caption>")
    );
    assert!(
        grid.contains("<th scope=\"col\">Zaal 1<span class=\"room-location\">Raadzaal</span></th>")
    );
    assert!(grid.contains("<th scope=\"col\">Zaal 2</th>"));
    // Rows from every boundary; Dutch labels with machine-readable times.
    let rows: Vec<String> = grid
        .split("<th scope=\"row\" class=\"time\">")
        .skip(1)
        .map(|r| {
            let cell = &r[..r.find("</th>").unwrap()];
            // Text content only.
            let mut text = String::new();
            let mut in_tag = false;
            for c in cell.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text
        })
        .collect();
    assert_eq!(
        rows,
        [
            "9.30 uur",
            "10.00–10.30 uur",
            "10.30–11.00 uur",
            "11.00–11.45 uur",
            "11.45–12.00 uur",
            "16.00 uur"
        ]
    );
    assert!(grid.contains("<time datetime=\"2023-02-10T10:30:00+01:00\">10.30</time>"));
    // Spans: plenary over all rooms, multi-room session, a long session, an
    // early end leaving a free cell.
    assert!(
        grid.contains("<td class=\"kind-plenary\" colspan=\"3\"><a href=\"#opening\">Opening</a>")
    );
    assert!(grid.contains("colspan=\"2\"><a href=\"#breed-overleg\">Breed overleg</a>"));
    assert!(grid.contains("rowspan=\"2\"><a href=\"#lang-gesprek\">Lang gesprek</a><span class=\"cell-time\">11.00–12.00 uur</span>"));
    assert!(grid.contains("<td class=\"free\"></td>"));
    // Every cell links to a description on the page.
    let ids = attrs(&html, "id");
    for href in attrs(grid, "href") {
        let target = href.strip_prefix('#').expect("cells link within the page");
        assert!(ids.contains(&target), "no description with id {target}");
    }
    assert_eq!(attrs(grid, "href").len(), 7, "one link per session");

    // The list: by start time, with people and descriptions.
    let list = span(&html, "<ol class=\"session-list\">", "</ol>");
    let order: Vec<&str> = attrs(list, "aria-labelledby");
    assert_eq!(
        order,
        [
            "inloop-titel",
            "opening-titel",
            "wonen-werken-leven-titel",
            "breed-overleg-titel",
            "kort-gesprek-titel",
            "lang-gesprek-titel",
            "borrel-titel"
        ]
    );
    assert!(list.contains("<dt>Voorzitter</dt><dd>Wethouder De Vries</dd>"));
    assert!(list.contains("<dt>Gespreksleider</dt><dd>Dagvoorzitter Jansen</dd>"));
    assert!(list.contains("<dd>Burgemeester Bos, gastheer, gemeente Teststad</dd>"));
    assert!(list.contains("<span class=\"session-room\">Zaal 2 en Zaal 3</span>"));
    assert!(
        list.contains("<a href=\"/themagroepen/woningmarkt/\">Woningmarkt</a>"),
        "alias resolved"
    );
    assert!(
        html.contains("<strong>netwerkdag</strong>"),
        "intro is Markdown"
    );
    assert!(html.contains("Vergadert niet"));

    // Links to the exports, and the exports exist.
    assert!(
        html.contains("href=\"/netwerkdagen/dag/programma.ics\" download>Zet in uw agenda</a>")
    );
    for href in attrs(&html, "href")
        .into_iter()
        .filter(|h| h.starts_with("/netwerkdagen/dag/") && h.len() > DAY.len() + 1)
    {
        let rel = g40site::testing::output_path(href, "");
        assert!(out.join(&rel).is_file(), "{href} links to a missing file");
    }
    for s in [
        "inloop",
        "opening",
        "wonen-werken-leven",
        "breed-overleg",
        "kort-gesprek",
        "lang-gesprek",
        "borrel",
    ] {
        assert!(
            html.contains(&format!("href=\"/netwerkdagen/dag/{s}.ics\" download>")),
            "{s}"
        );
    }

    // The print page: grid first, then the descriptions.
    let print = read_text(&out, &format!("{DAY}print/index.html"));
    let grid_at = print.find("<table class=\"programme-grid\">").unwrap();
    let descriptions_at = print.find("class=\"print-descriptions\"").unwrap();
    assert!(grid_at < descriptions_at);
    assert!(print.contains("programme.css"));
    assert!(
        print
            .contains("<link rel=\"canonical\" href=\"https://www.example.nl/netwerkdagen/dag/\">")
    );
}

/// Property `name` of an event, unescaped as RFC 5545 says.
fn prop<'a>(
    props: &'a [ical::property::Property],
    name: &str,
) -> Option<&'a ical::property::Property> {
    props.iter().find(|p| p.name == name)
}

fn parse_ics(text: &str) -> ical::parser::ical::component::IcalCalendar {
    // RFC 5545 framing: CRLF everywhere, at most 75 octets a line.
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(!line.contains('\n'), "bare LF in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(
            !line.ends_with(' ') || line.trim().is_empty(),
            "trailing space: {line:?}"
        );
    }
    let mut calendars = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let cal = calendars
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("not valid iCalendar: {e}"));
    assert!(calendars.next().is_none());
    cal
}

#[test]
fn calendar_files_parse_back_with_a_real_parser() {
    let site = fixture(&[("netwerkdagen/dag.yaml", PROGRAMME)]);
    let out = site.build_ok();
    let day = read_text(&out, &format!("{DAY}programma.ics"));
    let cal = parse_ics(&day);
    let value = |props: &[ical::property::Property], name: &str| {
        prop(props, name)
            .and_then(|p| p.value.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    assert_eq!(value(&cal.properties, "VERSION"), "2.0");
    assert!(value(&cal.properties, "PRODID").contains("g40site"));

    // One VTIMEZONE for Europe/Amsterdam with CET in force on the day.
    assert_eq!(cal.timezones.len(), 1);
    let tz = &cal.timezones[0];
    assert_eq!(value(&tz.properties, "TZID"), "Europe/Amsterdam");
    let standard = tz
        .transitions
        .iter()
        .find(|t| value(&t.properties, "DTSTART") == "20221030T030000")
        .expect("the transition to CET before the day");
    assert_eq!(value(&standard.properties, "TZOFFSETTO"), "+0100");
    assert_eq!(value(&standard.properties, "TZOFFSETFROM"), "+0200");

    assert_eq!(cal.events.len(), 7);
    let mut uids = Vec::new();
    for e in &cal.events {
        let start = prop(&e.properties, "DTSTART").unwrap();
        let params = start.params.as_ref().expect("TZID");
        assert_eq!(
            params[0],
            ("TZID".to_string(), vec!["Europe/Amsterdam".to_string()])
        );
        let stamp = value(&e.properties, "DTSTAMP");
        assert_eq!(
            stamp, "20230210T000000Z",
            "from the programme, not the clock"
        );
        uids.push(value(&e.properties, "UID"));
    }
    // Derived from when and where, not the title (see docs/programme.md).
    assert_eq!(uids[0], "dag-0930-walk-in@www.example.nl");
    let mut unique = uids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), uids.len(), "UIDs are unique");

    // Escaping and folding survive the round trip.
    let wonen = cal
        .events
        .iter()
        .find(|e| value(&e.properties, "UID") == "dag-1030-zaal1@www.example.nl")
        .unwrap();
    assert_eq!(
        value(&wonen.properties, "SUMMARY"),
        "Wonen\\, werken\\; leven"
    );
    assert_eq!(
        unescape(&value(&wonen.properties, "SUMMARY")),
        "Wonen, werken; leven"
    );
    assert_eq!(value(&wonen.properties, "DTSTART"), "20230210T103000");
    assert_eq!(value(&wonen.properties, "DTEND"), "20230210T110000");
    let description = unescape(&value(&wonen.properties, "DESCRIPTION"));
    assert!(
        description.starts_with("Voorzitter: Wethouder De Vries\nEen lange beschrijving met accenten — één, twee, drie — zodat de regel in het agendabestand gevouwen moet worden.\n\nhttps://www.example.nl/netwerkdagen/dag/#wonen-werken-leven"),
        "{description:?}"
    );
    assert_eq!(
        unescape(&value(&wonen.properties, "LOCATION")),
        "Zaal 1 (Raadzaal), Stadhuis, Teststad"
    );
    // The borrel has a start only.
    let borrel = cal.events.last().unwrap();
    assert_eq!(value(&borrel.properties, "SUMMARY"), "Borrel");
    assert!(prop(&borrel.properties, "DTEND").is_none());

    // One file per session (named by the session's anchor, which the
    // event's URL ends in), with the same event (same UID).
    for e in &cal.events {
        let url = value(&e.properties, "URL");
        let id = url.rsplit('#').next().unwrap();
        let single = parse_ics(&read_text(&out, &format!("{DAY}{id}.ics")));
        assert_eq!(single.events.len(), 1);
        assert_eq!(single.timezones.len(), 1);
        assert_eq!(single.events[0].properties, e.properties);
    }
}

#[test]
fn schedule_json_is_valid_against_the_c3voc_schema() {
    let site = fixture(&[("netwerkdagen/dag.yaml", PROGRAMME)]);
    let out = site.build_ok();
    let value = schedule(&read_text(&out, &format!("{DAY}schedule.json")));
    let conference = &value["schedule"]["conference"];
    assert_eq!(conference["acronym"], "g40nd-2023-teststad");
    assert_eq!(conference["time_zone_name"], "Europe/Amsterdam");
    let day = &conference["days"][0];
    assert_eq!(day["day_start"], "2023-02-10T09:30:00+01:00");
    assert_eq!(day["day_end"], "2023-02-10T16:00:00+01:00");
    let zaal2 = day["rooms"]["Zaal 2"].as_array().unwrap();
    let titles: Vec<&str> = zaal2.iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Breed overleg", "Lang gesprek"]);
    assert_eq!(zaal2[1]["duration"], "01:00");
    assert_eq!(zaal2[1]["track"], "Europa");
    let opening = &day["rooms"]["Zaal 1"][1];
    assert_eq!(opening["title"], "Opening");
    assert_eq!(opening["persons"][0]["name"], "Dagvoorzitter Jansen");

    // A schema violation is caught (the validator is not a no-op).
    let mut broken = value.clone();
    broken["schedule"]["conference"]["acronym"] = "g40-netwerkdag-2023".into();
    assert!(!schedule_validator().is_valid(&broken));
}

/// Validate `schedule.xml` against the frab XSD with xmllint (skipped
/// without it).
fn assert_valid_schedule_xml(file: &Path) {
    if let Some(xmllint) = xmllint() {
        assert_valid_xml(&xmllint, file);
    }
}

#[test]
fn schedule_xml_is_valid_against_the_frab_xsd() {
    let site = fixture(&[("netwerkdagen/dag.yaml", PROGRAMME)]);
    let out = site.build_ok();
    let file = out.join(format!("{DAY}schedule.xml"));
    let xml = std::fs::read_to_string(&file).unwrap();
    assert!(xml.contains("<acronym>g40nd-2023-teststad</acronym>"));
    assert!(xml.contains("<title>Wonen, werken; leven</title>"));
    assert!(xml.contains("<person>Burgemeester Bos</person>"));
    assert_valid_schedule_xml(&file);
    // The validator is not a no-op.
    let broken = site.root().join("broken.xml");
    std::fs::write(
        &broken,
        xml.replace("<duration>", "<duur>")
            .replace("</duration>", "</duur>"),
    )
    .unwrap();
    if let Some(xmllint) = xmllint() {
        let status = std::process::Command::new(xmllint)
            .args(["--noout", "--schema"])
            .arg(frab_xsd())
            .arg(&broken)
            .output()
            .unwrap()
            .status;
        assert!(!status.success());
    }
}

#[test]
fn the_example_site_programme_builds_and_exports_validate() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = build_example(&out_dir.path().join("site"), BuildOptions::default());
    let dir = "netwerkdagen/2023-02-10-haarlem/";
    let html = read_text(&out, &format!("{dir}index.html"));
    assert!(html.contains(
        "<caption>Programma Bestuurlijke netwerkdag Haarlem, vrijdag 10 februari 2023</caption>"
    ));
    let ids = attrs(&html, "id");
    let grid = span(&html, "<table class=\"programme-grid\">", "</table>");
    for href in attrs(grid, "href") {
        assert!(ids.contains(&&href[1..]), "{href}");
    }
    // 15.00–15.45 ends early: the other rooms span two rows.
    assert!(grid.contains("rowspan=\"2\"><a href=\"#themagroep-europa\">"));
    let cal = parse_ics(&read_text(&out, &format!("{dir}programma.ics")));
    // 26 sessions: the networking room is open all day (a room, not an event).
    assert_eq!(cal.events.len(), 26);
    schedule(&read_text(&out, &format!("{dir}schedule.json")));
    assert_valid_schedule_xml(&out.join(format!("{dir}schedule.xml")));
    // The section lists the programme.
    let section = read_text(&out, "netwerkdagen/index.html");
    assert!(section.contains("href=\"/netwerkdagen/2023-02-10-haarlem/\""));
}

#[test]
fn pillar_and_theme_group_pages_list_programme_sessions() {
    let site = fixture(&[("netwerkdagen/dag.yaml", PROGRAMME)]);
    let out = site.build_ok();
    let sociaal = read_text(&out, "pijlers/sociaal/index.html");
    assert!(sociaal.contains("Netwerkdagen"));
    assert!(sociaal.contains("<a href=\"/netwerkdagen/dag/#breed-overleg\">Breed overleg</a>"));
    assert!(sociaal.contains("(Netwerkdag, Teststad)"));
    // Through the alias `wonen`.
    let woningmarkt = read_text(&out, "themagroepen/woningmarkt/index.html");
    assert!(
        woningmarkt
            .contains("<a href=\"/netwerkdagen/dag/#wonen-werken-leven\">Wonen, werken; leven</a>")
    );
    let europa = read_text(&out, "themagroepen/europa/index.html");
    assert!(europa.contains("#lang-gesprek"));
    let armoede = read_text(&out, "themagroepen/armoede/index.html");
    assert!(armoede.contains("#lang-gesprek"), "themagroepen: [..] list");
}

#[test]
fn every_problem_is_a_located_error_naming_the_session() {
    let bad = PROGRAMME
        .replace(
            "    room: zaal2\n    themagroepen",
            "    room: zaal4\n    themagroepen",
        )
        .replace(
            "  - start: 11.00\n    end: 11.45",
            "  - start: 10.45\n    end: 11.45",
        )
        .replace("  - time: 16\n", "  - time: 16.75\n");
    let site = fixture(&[("netwerkdagen/dag.yaml", &bad)]);
    let errors = site.errors();
    let text = errors.to_string();
    let path = Path::new("content/netwerkdagen/dag.yaml");
    let find = |needle: &str| {
        errors
            .0
            .iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| panic!("no error with {needle:?} in:\n{text}"))
    };
    let room = find("unknown room `zaal4`");
    assert_eq!(room.file, path);
    assert!(room.message.contains("“Lang gesprek”"));
    assert_eq!(room.hint.as_deref(), Some("did you mean `zaal1`?"));
    assert_eq!(room.source_line.as_deref(), Some("    room: zaal4"));

    let overlap = find("overlaps with");
    assert!(
        overlap.message.contains(
            "“Kort gesprek” (10.45–11.45 uur) overlaps with “Wonen, werken; leven” (10.30–11.00 uur"
        ),
        "{}",
        overlap.message
    );
    assert_eq!(overlap.source_line.as_deref(), Some("  - start: 10.45"));

    let time = find("minutes go up to 59");
    assert!(time.message.contains("“Borrel”"));
    assert_eq!(time.source_line.as_deref(), Some("  - time: 16.75"));
    assert!(time.hint.is_some());

    assert!(text.contains("error:"), "{text}");
    // Every error has a line and a hint.
    for d in &errors.0 {
        assert_eq!(d.file, path, "{d}");
        assert!(d.line.is_some(), "{d}");
        assert!(d.hint.is_some(), "{d}");
    }
}

#[test]
fn unknown_references_are_located_errors_with_suggestions() {
    let bad = PROGRAMME
        .replace("    pijler: sociaal", "    pijler: sociaa")
        .replace("[europa, armoede]", "[europa, armoed]")
        .replace("{ themagroep: woningmarkt,", "{ themagroep: woningmarkten,");
    let site = fixture(&[("netwerkdagen/dag.yaml", &bad)]);
    let errors = site.errors();
    assert_eq!(errors.len(), 3, "{errors}");
    let d = &errors.0;
    assert!(
        d[0].message
            .contains("session “Breed overleg” (10.30): unknown pijler `sociaa`"),
        "{}",
        d[0].message
    );
    assert_eq!(d[0].hint.as_deref(), Some("did you mean `sociaal`?"));
    assert_eq!(d[0].source_line.as_deref(), Some("    pijler: sociaa"));
    assert!(
        d[1].message
            .contains("“Lang gesprek” (11.00): unknown themagroep `armoed`"),
        "{}",
        d[1].message
    );
    assert_eq!(d[1].hint.as_deref(), Some("did you mean `armoede`?"));
    assert_eq!(
        d[1].source_line.as_deref(),
        Some("    themagroepen: [europa, armoed]")
    );
    assert!(
        d[2].message.contains("unknown themagroep `woningmarkten`"),
        "{}",
        d[2].message
    );
    assert_eq!(
        d[2].source_line.as_deref(),
        Some("  - { themagroep: woningmarkten, note: Vergadert niet. }")
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output() {
    let site = fixture(&[("netwerkdagen/dag.yaml", PROGRAMME)]);
    let out = site.build_ok();
    let before = read_text(&out, &format!("{DAY}programma.ics"));
    std::fs::write(
        site.root().join("content/netwerkdagen/dag.yaml"),
        PROGRAMME.replace(
            "room: zaal1\n    themagroep: wonen",
            "room: zaal9\n    themagroep: wonen",
        ),
    )
    .unwrap();
    site.errors();
    assert_eq!(read_text(&out, &format!("{DAY}programma.ics")), before);
}

#[test]
fn same_input_gives_identical_output() {
    let site = fixture(&[("netwerkdagen/dag.yaml", PROGRAMME)]);
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let files = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        walk(dir)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect()
    };
    let out_a = site.build_ok_with(BuildOptions {
        output: Some(a.path().join("o")),
        ..Default::default()
    });
    let out_b = site.build_ok_with(BuildOptions {
        output: Some(b.path().join("o")),
        ..Default::default()
    });
    let (fa, fb) = (files(&out_a), files(&out_b));
    assert!(fa.contains_key("netwerkdagen/dag/schedule.json"));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (k, v) in &fa {
        assert!(v == &fb[k], "{k} differs between builds");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn networkdays_are_listed_upcoming_first_then_past_newest_first() {
    let day = |date: &str, city: &str| {
        PROGRAMME
            .replace("date: 2023-02-10", &format!("date: {date}"))
            .replace("city: Teststad", &format!("city: {city}"))
    };
    let site = fixture(&[
        ("netwerkdagen/a.yaml", &day("2023-02-10", "Haarlem")),
        ("netwerkdagen/b.yaml", &day("2024-06-01", "Zwolle")),
        ("netwerkdagen/c.yaml", &day("2024-03-01", "Breda")),
        ("netwerkdagen/d.yaml", &day("2023-09-15", "Almere")),
    ]);
    let order = |today: Option<&str>| -> Vec<String> {
        let out = tempfile::tempdir().unwrap();
        let out = site.build_ok_with(BuildOptions {
            output: Some(out.path().join("o")),
            today: today.map(|d| Date::parse(d).unwrap()),
            ..Default::default()
        });
        let html = read_text(&out, "netwerkdagen/index.html");
        let listing = span(&html, "<ul class=\"listing\">", "</ul>");
        attrs(listing, "href")
            .into_iter()
            .map(|h| h.to_string())
            .collect()
    };
    // Without a date: newest first, whatever day it is built.
    assert_eq!(
        order(None),
        [
            "/netwerkdagen/b/",
            "/netwerkdagen/c/",
            "/netwerkdagen/d/",
            "/netwerkdagen/a/"
        ]
    );
    // On 2024-01-01: upcoming soonest first, then past newest first.
    assert_eq!(
        order(Some("2024-01-01")),
        [
            "/netwerkdagen/c/",
            "/netwerkdagen/b/",
            "/netwerkdagen/d/",
            "/netwerkdagen/a/"
        ]
    );
    // A day is upcoming on the day itself.
    assert_eq!(order(Some("2024-06-01"))[0], "/netwerkdagen/b/");
    // Upcoming days are marked in the listing.
    let out = tempfile::tempdir().unwrap();
    let out = site.build_ok_with(BuildOptions {
        output: Some(out.path().join("o")),
        today: Some(Date::parse("2024-01-01").unwrap()),
        ..Default::default()
    });
    let html = read_text(&out, "netwerkdagen/index.html");
    assert_eq!(
        html.matches("<strong class=\"upcoming\">Binnenkort</strong>")
            .count(),
        2
    );
    assert!(html.contains("Programma in Zwolle (Stadhuis)"));
}

#[test]
fn drafts_and_url_collisions() {
    let draft = PROGRAMME.replace("city: Teststad", "city: Teststad\ndraft: true");
    let site = fixture(&[("netwerkdagen/dag.yaml", &draft)]);
    let out = site.build_ok();
    assert!(!out.join(DAY).exists(), "a draft programme is left out");

    let site = fixture(&[
        ("netwerkdagen/dag.yaml", PROGRAMME),
        ("netwerkdagen/dag.md", "---\ntitle: Dag\n---\n"),
    ]);
    let errors = site.errors();
    assert!(
        errors.0.iter().any(|d| d
            .message
            .contains("URL `/netwerkdagen/dag/` is produced by more than one source")),
        "{errors}"
    );

    // A page that claims a session's calendar file.
    let site = fixture(&[
        ("netwerkdagen/dag.yaml", PROGRAMME),
        (
            "netwerkdagen/other.yaml",
            &PROGRAMME.replace("title: Netwerkdag", "title: Andere\nslug: dag"),
        ),
    ]);
    let errors = site.errors();
    assert!(
        errors.0.iter().any(|d| d
            .message
            .contains("URL `/netwerkdagen/dag/programma.ics` is produced by more than one source")),
        "{errors}"
    );
}

#[test]
fn the_example_in_the_documentation_builds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/programme.md")).unwrap();
    let example = span(&doc, "## A complete example", "```\n\n");
    let yaml = &example[example.find("```yaml\n").unwrap() + 8..example.len() - 5];
    let data = |name: &str| std::fs::read_to_string(root.join("content/_data").join(name)).unwrap();
    let site = fixture(&[
        ("_data/pijlers.yaml", &data("pijlers.yaml")),
        ("_data/themagroepen.yaml", &data("opgavegroepen.yaml")),
        ("netwerkdagen/2024-06-14-zwolle.yaml", yaml),
    ]);
    let out = site.build_ok();
    let html = read_text(&out, "netwerkdagen/2024-06-14-zwolle/index.html");
    assert!(html.contains("Werkbezoek binnenstad"));
    assert!(html.contains("colspan=\"2\"><a href=\"#werkbezoek-binnenstad\">"));
    schedule(&read_text(
        &out,
        "netwerkdagen/2024-06-14-zwolle/schedule.json",
    ));
    parse_ics(&read_text(
        &out,
        "netwerkdagen/2024-06-14-zwolle/woningmarkt.ics",
    ));
}

#[test]
fn a_programme_without_sessions_and_a_site_below_a_base_path() {
    let empty = "kind: programme\ntitle: Netwerkdag\ndate: 2024-11-01\ncity: Deventer\n";
    let site = fixture(&[
        ("netwerkdagen/leeg.yaml", empty),
        ("netwerkdagen/dag.yaml", PROGRAMME),
    ]);
    let out_dir = tempfile::tempdir().unwrap();
    let out = site.build_ok_with(BuildOptions {
        output: Some(out_dir.path().join("o")),
        base_url: Some("https://www.example.nl/g40/".into()),
        ..Default::default()
    });
    let html = read_text(&out, "netwerkdagen/leeg/index.html");
    assert!(html.contains("Het programma volgt nog."));
    assert!(!html.contains("<table"));
    schedule(&read_text(&out, "netwerkdagen/leeg/schedule.json"));
    assert_valid_schedule_xml(&out.join("netwerkdagen/leeg/schedule.xml"));
    let cal = parse_ics(&read_text(&out, "netwerkdagen/leeg/programma.ics"));
    assert!(cal.events.is_empty());
    // Below a base path: links carry it, files do not.
    let html = read_text(&out, "netwerkdagen/dag/index.html");
    assert!(html.contains("href=\"/g40/netwerkdagen/dag/programma.ics\""));
    assert!(html.contains("href=\"/g40/netwerkdagen/dag/opening.ics\""));
    let cal = parse_ics(&read_text(&out, "netwerkdagen/dag/opening.ics"));
    let url = cal.events[0]
        .properties
        .iter()
        .find(|p| p.name == "URL")
        .unwrap();
    assert_eq!(
        url.value.as_deref(),
        Some("https://www.example.nl/g40/netwerkdagen/dag/#opening")
    );
}

#[test]
fn descriptions_are_markdown_nested_under_their_session() {
    let with_heading = PROGRAMME.replace(
        "    moderator: Dagvoorzitter Jansen\n",
        "    moderator: Dagvoorzitter Jansen\n    description: |\n      ## Vooraf\n\n      Lees [het jaarverslag](../jaarverslag.md).\n",
    );
    let site = fixture(&[
        ("netwerkdagen/dag.yaml", &with_heading),
        ("jaarverslag.md", "---\ntitle: Jaarverslag\n---\n"),
    ]);
    let out = site.build_ok();
    let html = read_text(&out, &format!("{DAY}index.html"));
    assert!(
        html.contains("<h4 id=\"opening-vooraf\""),
        "{}",
        span(&html, "id=\"opening\"", "</article>")
    );
    assert!(
        html.contains("href=\"/jaarverslag/\""),
        "content links resolve"
    );

    let broken = with_heading.replace("../jaarverslag.md", "../bestaat-niet.md");
    let site = fixture(&[("netwerkdagen/dag.yaml", &broken)]);
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "{errors}");
    assert_eq!(
        errors.0[0].source_line.as_deref(),
        Some("      Lees [het jaarverslag](../bestaat-niet.md).")
    );
}
