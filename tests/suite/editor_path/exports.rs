//! Calendar and schedule exports as an editor meets them (issue 12, item
//! 4): the real binary builds the site in its own folder, and the files
//! are read back by what reads them (an iCalendar parser, a JSON Schema
//! validator, xmllint). Links in exported text are the public URLs, never
//! the source files they are written as; the location names the city
//! once; a session is the same calendar event after its title changes.

use crate::common::Fixture;
use crate::common::exports::{
    self as read, build, events, save, schedule, schedule_events, value, xmllint, xpath,
};

const PROGRAMME: &str = "content/netwerkdagen/2024-03-08-den-bosch.yaml";
const DAY: &str = "netwerkdagen/2024-03-08-den-bosch/";
const CHAPTER_URL: &str = "https://example.nl/jaarverslag/2024/pijler-fysiek/#woningbouw";

fn programme(title: &str) -> String {
    format!(
        r#"kind: programme
title: Bestuurlijke netwerkdag
date: 2024-03-08
city: "'s-Hertogenbosch"
venue: Stadhuis
address: "Markt 1, 5211 JV 's-Hertogenbosch"
intro: |
  Na [de vorige netwerkdag](2023-10-06-zwolle.yaml) nu in Den Bosch; zie
  ook [het jaarverslag](../jaarverslag/2024/_index.md) en [de kop](#opening).
rooms:
  - {{ id: zaal1, name: Zaal 1 }}
  - {{ id: zaal2, name: Zaal 2 }}
sessions:
  - time: 10.00-10.30
    kind: plenary
    title: Opening
    room: zaal1
  - time: 10.30-11.30
    title: "{title}"
    room: zaal1
    pijler: fysiek
    description: |
      Over [Pijler Fysiek](../jaarverslag/2024/03-pijler-fysiek.md#woningbouw)
      en [het verslag](../jaarverslag/2024/03-pijler-fysiek.md), of
      [de site](https://www.g40stedennetwerk.nl/README.md).

      Zie <https://www.g40stedennetwerk.nl>.
  - time: 10.30-11.30
    title: Themagroep Woningmarkt
    id: woningmarkt
    room: zaal2
"#
    )
}

fn site() -> Fixture {
    Fixture::new()
        .file(
            "content/jaarverslag/2024/_index.md",
            "---\nkind: report\ntitle: Jaarverslag 2024\nyear: 2024\n---\nHet jaar.\n",
        )
        .file(
            "content/jaarverslag/2024/03-pijler-fysiek.md",
            "---\ntitle: Pijler Fysiek\n---\n## Woningbouw\n\nEr werd gebouwd.\n",
        )
        .file(
            "content/netwerkdagen/_index.md",
            "---\ntitle: Netwerkdagen\n---\n",
        )
        .file(
            "content/netwerkdagen/2023-10-06-zwolle.yaml",
            "kind: programme\ntitle: Ambtelijke netwerkdag\ndate: 2023-10-06\ncity: Zwolle\n",
        )
        .file(PROGRAMME, &programme("Pijlerbijeenkomst Fysiek"))
}

#[test]
fn exported_text_links_to_public_urls_not_source_files() {
    let site = site();
    build(&site);
    let out = site.out();

    // No source path in any machine-readable output: calendars, schedules,
    // the sitemap, robots.txt and the search index.
    let files = read::files_ending(&out, &[".ics", ".json", ".xml", ".txt"]);
    assert!(
        files.len() >= 8,
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (path, text) in &files {
        // Unfolded (a calendar line may break inside a word); the one
        // link to a `.md` file on another site stays as written.
        let text = text
            .replace("\r\n ", "")
            .replace("https://www.g40stedennetwerk.nl/README.md", "");
        for source in [".md", ".yaml", ".yml", "_index"] {
            assert!(
                !text.contains(source),
                "{}: contains `{source}`:\n{text}",
                path.display()
            );
        }
    }

    // .ics: the description names the public address of the chapter.
    let day = std::fs::read_to_string(out.join(format!("{DAY}programma.ics"))).unwrap();
    let cal = events(&day);
    let session = cal
        .iter()
        .find(|e| value(e, "SUMMARY") == "Pijlerbijeenkomst Fysiek")
        .expect("the session in programma.ics");
    let description = value(session, "DESCRIPTION");
    // A bare address is written once, as it is.
    assert!(
        description.contains("\n\nZie https://www.g40stedennetwerk.nl.\n\n"),
        "{description}"
    );
    assert!(
        description.starts_with(&format!(
            "Over Pijler Fysiek ({CHAPTER_URL}) en het verslag (https://example.nl/jaarverslag/2024/pijler-fysiek/), of de site (https://www.g40stedennetwerk.nl/README.md)."
        )),
        "{description}"
    );

    // schedule.json (valid c3voc): the same text in the abstract, and the
    // programme's intro with the other programme's and the report's URLs.
    let json = std::fs::read_to_string(out.join(format!("{DAY}schedule.json"))).unwrap();
    let doc = schedule(&json);
    let abstracts: Vec<String> = schedule_events(&doc)
        .iter()
        .filter_map(|e| e["abstract"].as_str().map(str::to_string))
        .collect();
    assert!(
        abstracts
            .iter()
            .any(|a| a.contains(&format!("Pijler Fysiek ({CHAPTER_URL})"))),
        "{abstracts:?}"
    );
    let intro = doc["schedule"]["conference"]["description"]
        .as_str()
        .unwrap();
    assert_eq!(
        intro,
        "Na de vorige netwerkdag (https://example.nl/netwerkdagen/2023-10-06-zwolle/) nu in Den Bosch; zie ook het jaarverslag (https://example.nl/jaarverslag/2024/) en de kop (https://example.nl/netwerkdagen/2024-03-08-den-bosch/#opening)."
    );

    // schedule.xml, read with xmllint: valid, and the same abstract.
    if let Some(xmllint) = xmllint() {
        let file = out.join(format!("{DAY}schedule.xml"));
        read::assert_valid_xml(&xmllint, &file);
        let text = xpath(
            &xmllint,
            &file,
            "string(//event[title='Pijlerbijeenkomst Fysiek']/abstract)",
        );
        assert!(
            text.starts_with(&format!("Over Pijler Fysiek ({CHAPTER_URL})")),
            "{text}"
        );
    }

    // Published under a sub-path (a preview build): the links follow it.
    site.run_ok(&["build", "--base-url", "https://preview.example.nl/g40/"]);
    let day = std::fs::read_to_string(site.out().join(format!("{DAY}programma.ics"))).unwrap();
    let cal = events(&day);
    let session = cal
        .iter()
        .find(|e| value(e, "SUMMARY") == "Pijlerbijeenkomst Fysiek")
        .unwrap();
    assert!(
        value(session, "DESCRIPTION").starts_with(
            "Over Pijler Fysiek (https://preview.example.nl/g40/jaarverslag/2024/pijler-fysiek/#woningbouw)"
        ),
        "{}",
        value(session, "DESCRIPTION")
    );
}

#[test]
fn the_location_names_the_city_once() {
    let site = site();
    build(&site);
    let day = std::fs::read_to_string(site.out().join(format!("{DAY}programma.ics"))).unwrap();
    for e in events(&day) {
        let location = value(&e, "LOCATION");
        assert_eq!(
            location.matches("'s-Hertogenbosch").count(),
            1,
            "{location}"
        );
        assert!(
            location.ends_with("Stadhuis, Markt 1, 5211 JV 's-Hertogenbosch"),
            "{location}"
        );
    }
    // Without an address, the city is still named.
    save(
        &site,
        PROGRAMME,
        &programme("X").replace("address: \"Markt 1, 5211 JV 's-Hertogenbosch\"\n", ""),
    );
    build(&site);
    let day = std::fs::read_to_string(site.out().join(format!("{DAY}programma.ics"))).unwrap();
    assert_eq!(
        value(&events(&day)[0], "LOCATION"),
        "Zaal 1, Stadhuis, 's-Hertogenbosch"
    );
}

/// (UID, SUMMARY) of the whole day's calendar.
type Uids = Vec<(String, String)>;
/// (guid, id, title) of the schedule's events.
type Guids = Vec<(String, u64, String)>;

/// Who the events are, in the calendar and in the schedule.
fn identities(site: &Fixture) -> (Uids, Guids) {
    let out = site.out();
    let day = std::fs::read_to_string(out.join(format!("{DAY}programma.ics"))).unwrap();
    let mut uids: Vec<(String, String)> = events(&day)
        .iter()
        .map(|e| (value(e, "UID").to_string(), value(e, "SUMMARY").to_string()))
        .collect();
    uids.sort();
    let json = std::fs::read_to_string(out.join(format!("{DAY}schedule.json"))).unwrap();
    let mut guids: Vec<(String, u64, String)> = schedule_events(&schedule(&json))
        .iter()
        .map(|e| {
            (
                e["guid"].as_str().unwrap().to_string(),
                e["id"].as_u64().unwrap(),
                e["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    guids.sort();
    (uids, guids)
}

#[test]
fn a_session_keeps_its_calendar_event_when_its_title_changes() {
    let site = site();
    build(&site);
    let (before, guids_before) = identities(&site);
    assert_eq!(before.len(), 3);
    assert!(
        before.contains(&(
            "2024-03-08-den-bosch-1030-zaal1@example.nl".to_string(),
            "Pijlerbijeenkomst Fysiek".to_string()
        )),
        "{before:?}"
    );
    // An explicit `id:` is the UID.
    assert!(
        before
            .iter()
            .any(|(u, _)| u == "2024-03-08-den-bosch-woningmarkt@example.nl")
    );

    // The editor renames the session and saves (rename over the file).
    save(&site, PROGRAMME, &programme("Pijler Fysiek: woningbouw"));
    build(&site);
    let (after, guids_after) = identities(&site);
    let uid = |v: &[(String, String)]| v.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(uid(&after), uid(&before), "the same events, updated");
    assert!(after.iter().any(|(_, s)| s == "Pijler Fysiek: woningbouw"));
    let keys =
        |v: &[(String, u64, String)]| v.iter().map(|x| (x.0.clone(), x.1)).collect::<Vec<_>>();
    assert_eq!(
        keys(&guids_after),
        keys(&guids_before),
        "schedule guid and id too"
    );
    // The per-session calendar follows the new title, with the same UID.
    let single = std::fs::read_to_string(
        site.out()
            .join(format!("{DAY}pijler-fysiek-woningbouw.ics")),
    )
    .unwrap();
    assert_eq!(
        value(&events(&single)[0], "UID"),
        "2024-03-08-den-bosch-1030-zaal1@example.nl"
    );

    // Moving a session with an `id:` to another time keeps its event too.
    save(
        &site,
        PROGRAMME,
        &programme("X").replace(
            "  - time: 10.30-11.30\n    title: Themagroep Woningmarkt",
            "  - time: 11.30-12.30\n    title: Themagroep Woningmarkt",
        ),
    );
    build(&site);
    let (moved, _) = identities(&site);
    assert!(
        moved
            .iter()
            .any(|(u, _)| u == "2024-03-08-den-bosch-woningmarkt@example.nl")
    );
}

#[test]
fn a_session_id_is_checked_like_a_slug_and_unique() {
    let site = site();
    let text = programme("X").replace("    id: woningmarkt\n", "    id: Woning Markt\n");
    let line = 1 + text
        .lines()
        .position(|l| l == "    id: Woning Markt")
        .unwrap();
    save(&site, PROGRAMME, &text);
    let out = site.run(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("session id `Woning Markt` is not a valid anchor and file name"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("--> {PROGRAMME}:{line}:5")),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: use lowercase letters, digits and dashes, e.g. `woning-markt`"),
        "{stderr}"
    );
    save(
        &site,
        PROGRAMME,
        &programme("X").replace(
            "    room: zaal1\n    pijler",
            "    id: woningmarkt\n    room: zaal1\n    pijler",
        ),
    );
    let out = site.run(&["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("session id `woningmarkt` is used twice"),
        "{stderr}"
    );
}
