//! Events of several days (issue 15, "Multi-day events"): one programme
//! file with `days:`, built with the real binary in the site folder, its
//! page, calendars (parsed with the `ical` crate) and schedules (the c3voc
//! JSON Schema, the frab XSD) read back; the located errors of the form;
//! the date range in the section listing. The printed PDF (one day per
//! page) is in the `browser` binary, `programme_print`.

use std::path::Path;

use crate::common::exports::{assert_valid_xml, events, schedule, schedule_events, value, xmllint};
use crate::common::{failed_build, networkday_site as site, read_text, span};

/// The complete example of docs/programme.md, "Events of several days".
fn documented_example() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/programme.md")).unwrap();
    let section = span(&doc, "## Events of several days", "```\n\n");
    section[section.find("```yaml\n").unwrap() + 8..section.len() - 5].to_string()
}

const EVENT: &str = "netwerkdagen/2026-09-10-den-bosch.yaml";
const DIR: &str = "output/netwerkdagen/2026-09-10-den-bosch/";

#[test]
fn the_documented_two_day_event_builds_with_every_day() {
    let site = site(&[(EVENT, &documented_example())]);
    site.run_ok(&["build"]);
    let root = site.root();

    // The page: a day navigation, then per day a heading, grid and list.
    let html = read_text(root, &format!("{DIR}index.html"));
    let nav = span(&html, "<nav class=\"programme-days\"", "</nav>");
    assert!(nav.contains("href=\"#dag-2026-09-10\""), "{nav}");
    assert!(nav.contains("href=\"#dag-2026-09-11\""), "{nav}");
    assert!(html.contains("<time datetime=\"2026-09-10\">10 en 11 september 2026</time>"));
    let day1 = span(
        &html,
        "<section class=\"programme-day\" id=\"dag-2026-09-10\"",
        "</section>",
    );
    let day2 = span(
        &html,
        "<section class=\"programme-day\" id=\"dag-2026-09-11\"",
        "</section>",
    );
    assert!(day1.contains("donderdag 10 september 2026</time>: Pijlers en opgavegroepen</h2>"));
    assert!(day2.contains("vrijdag 11 september 2026</time>: Verkiezing van het bestuur</h2>"));
    // Each day its own grid with its own rooms, and its own list.
    assert!(day1.contains("<th scope=\"col\">Burgerzaal</th>"), "{day1}");
    assert!(!day2.contains("Burgerzaal"), "{day2}");
    assert!(day2.contains("<th scope=\"col\">Grote zaal</th>"), "{day2}");
    assert!(day1.contains("id=\"opening\"") && !day1.contains("id=\"verkiezingen\""));
    assert!(day2.contains("id=\"verkiezingen\""));

    // One calendar with every session of both days, on the right day.
    let cal = events(&read_text(root, &format!("{DIR}programma.ics")));
    let starts: Vec<(&str, &str)> = cal
        .iter()
        .map(|e| (value(e, "SUMMARY"), value(e, "DTSTART")))
        .collect();
    assert_eq!(starts.len(), 6, "{starts:?}");
    assert!(
        starts.contains(&("Opening", "20260910T100000")),
        "{starts:?}"
    );
    assert!(
        starts.contains(&("Verkiezingen", "20260911T100000")),
        "{starts:?}"
    );
    let election = cal
        .iter()
        .find(|e| value(e, "SUMMARY") == "Verkiezingen")
        .unwrap();
    assert_eq!(
        value(election, "LOCATION"),
        "Grote zaal, Theater aan de Parade, Parade 23, 's-Hertogenbosch"
    );
    // Per-session calendars, with the same UID as in the whole event's.
    let own = events(&read_text(root, &format!("{DIR}verkiezingen.ics")));
    assert_eq!(value(&own[0], "UID"), value(election, "UID"));
    assert_eq!(value(&own[0], "DTSTART"), "20260911T100000");

    // schedule.json: valid against the c3voc schema, with both days.
    let json = schedule(&read_text(root, &format!("{DIR}schedule.json")));
    let conference = &json["schedule"]["conference"];
    assert_eq!(conference["daysCount"], 2);
    assert_eq!(conference["start"], "2026-09-10");
    assert_eq!(conference["end"], "2026-09-11");
    let days = conference["days"].as_array().unwrap();
    assert_eq!(days.len(), 2);
    assert_eq!(days[1]["index"], 2);
    assert_eq!(days[1]["date"], "2026-09-11");
    assert_eq!(days[1]["rooms"]["Grote zaal"][0]["title"], "Verkiezingen");
    assert_eq!(
        days[1]["rooms"]["Grote zaal"][0]["date"],
        "2026-09-11T10:00:00+02:00"
    );
    assert_eq!(schedule_events(&json).len(), 6);

    // schedule.xml: both days, valid against the frab XSD.
    let xml_file = root.join(format!("{DIR}schedule.xml"));
    let xml = std::fs::read_to_string(&xml_file).unwrap();
    assert!(
        xml.contains("<day index=\"2\" date=\"2026-09-11\""),
        "{xml}"
    );
    if let Some(xmllint) = xmllint() {
        assert_valid_xml(&xmllint, &xml_file);
    }
}

/// A small event of two days with `day1` and `day2` as their sessions.
fn two_days(top: &str, day1: &str, day2: &str) -> String {
    format!(
        "kind: programme\ntitle: Netwerkdagen\ncity: Zwolle\n{top}rooms:\n  - {{ id: zaal1, name: Zaal 1 }}\n  - {{ id: zaal2, name: Zaal 2 }}\ndays:\n  - date: 2026-09-30\n    sessions:\n{day1}  - date: 2026-10-01\n    sessions:\n{day2}"
    )
}

const SESSION_A: &str =
    "      - time: 10.00-11.00\n        title: Overleg A\n        room: zaal1\n";
const SESSION_B: &str =
    "      - time: 10.30-11.30\n        title: Overleg B\n        room: zaal1\n";

#[test]
fn the_same_room_at_the_same_time_on_two_days_is_no_overlap() {
    let text = two_days("", SESSION_A, SESSION_B);
    let site = site(&[("netwerkdagen/zwolle.yaml", &text)]);
    site.run_ok(&["build"]);
    let cal = events(&read_text(
        site.root(),
        "output/netwerkdagen/zwolle/programma.ics",
    ));
    let uids: Vec<&str> = cal.iter().map(|e| value(e, "UID")).collect();
    assert_eq!(
        uids,
        [
            "zwolle-20260930-1000-zaal1@example.nl",
            "zwolle-20261001-1030-zaal1@example.nl"
        ]
    );
}

#[test]
fn an_overlap_within_one_day_is_located_and_names_the_day() {
    let day2 = format!("{SESSION_A}{SESSION_B}");
    let text = two_days("", "", &day2);
    let site = site(&[("netwerkdagen/zwolle.yaml", &text)]);
    let printed = failed_build(&site);
    let line = text.lines().position(|l| l.contains("Overleg B")).unwrap();
    assert!(
        printed.contains("day 2 (1 oktober 2026): session"),
        "{printed}"
    );
    assert!(printed.contains("overlap"), "{printed}");
    // Located in the file at one of the two sessions of day 2.
    let at = |l: usize| format!("content/netwerkdagen/zwolle.yaml:{l}:");
    assert!(
        (line - 3..=line + 1).any(|l| printed.contains(&at(l))),
        "{printed}"
    );
}

#[test]
fn mixing_a_top_level_date_with_days_is_a_located_error() {
    let text = two_days("date: 2026-09-30\n", SESSION_A, "");
    let site = site(&[("netwerkdagen/zwolle.yaml", &text)]);
    let printed = failed_build(&site);
    assert!(
        printed.contains("`date` and `days` cannot both be written"),
        "{printed}"
    );
    assert!(
        printed.contains("content/netwerkdagen/zwolle.yaml:4:1"),
        "{printed}"
    );
    assert!(printed.contains("4 | date: 2026-09-30"), "{printed}");
    assert!(
        printed.contains("hint: a programme is one day"),
        "{printed}"
    );
    assert!(!site.root().join("output").exists());
}

#[test]
fn mixing_top_level_sessions_with_days_is_a_located_error() {
    let text = format!(
        "{}sessions:\n  - time: 9.00\n    kind: walk-in\n",
        two_days("", SESSION_A, "")
    );
    let site = site(&[("netwerkdagen/zwolle.yaml", &text)]);
    let printed = failed_build(&site);
    let line = text.lines().position(|l| l == "sessions:").unwrap() + 1;
    assert!(
        printed.contains("`sessions` and `days` cannot both be written"),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("content/netwerkdagen/zwolle.yaml:{line}:1")),
        "{printed}"
    );
}

#[test]
fn session_ids_are_unique_across_the_days() {
    let with_id = |s: &str| s.replace("        room:", "        id: overleg\n        room:");
    let text = two_days("", &with_id(SESSION_A), &with_id(SESSION_B));
    let site = site(&[("netwerkdagen/zwolle.yaml", &text)]);
    let printed = failed_build(&site);
    assert!(
        printed.contains(
            "day 2 (1 oktober 2026): session “Overleg B”: session id `overleg` is used twice"
        ),
        "{printed}"
    );
}

#[test]
fn the_listing_shows_an_event_once_with_its_date_range() {
    let one_day =
        "kind: programme\ntitle: Ambtelijke netwerkdag\ndate: 2026-09-20\ncity: Deventer\n";
    let site = site(&[
        (EVENT, &documented_example()),
        (
            "netwerkdagen/zwolle.yaml",
            &two_days("", SESSION_A, SESSION_B),
        ),
        ("netwerkdagen/deventer.yaml", one_day),
    ]);
    let listing = |today: &str| {
        site.run_ok(&["build", "--today", today]);
        let html = read_text(site.root(), "output/netwerkdagen/index.html");
        span(&html, "<ul class=\"listing\">", "</ul>").to_string()
    };

    // On the second day the event is still coming; soonest first.
    let during = listing("2026-09-11");
    assert_eq!(
        during.matches("G40 Netwerkdagen 2026").count(),
        1,
        "{during}"
    );
    let order: Vec<usize> = [
        "10 en 11 september 2026",
        "20 september 2026",
        "30 september en 1 oktober 2026",
    ]
    .iter()
    .map(|d| {
        during
            .find(&format!(">{d}</time>"))
            .unwrap_or_else(|| panic!("{d}: {during}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{during}");
    assert_eq!(during.matches("Binnenkort").count(), 3, "{during}");

    // The day after its last day it is past: listed after the coming ones.
    let after = listing("2026-09-12");
    assert_eq!(after.matches("Binnenkort").count(), 2, "{after}");
    let past = after.find(">10 en 11 september 2026</time>").unwrap();
    let coming = after
        .find(">30 september en 1 oktober 2026</time>")
        .unwrap();
    assert!(coming < past, "{after}");
}
