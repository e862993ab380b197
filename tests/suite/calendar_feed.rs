//! The subscribable calendar of every networkday (issue 15, "Calendars
//! that stay right"): `/netwerkdagen/netwerkdagen.ics`, built with the real
//! binary in the site folder and read back with the `ical` crate. Its UIDs
//! are those of the programmes' own `.ics` files; SEQUENCE, DTSTAMP and
//! LAST-MODIFIED follow the event's content: a moved session keeps its UID
//! and gets new ones, an unchanged session keeps them, and an unchanged
//! site builds byte for byte the same.

use std::collections::BTreeMap;

use crate::common::exports::{Event, events, value};
use crate::common::networkday_site as site;
use crate::common::{Fixture, read_text};

const ONE: &str = "kind: programme\ntitle: Netwerkdag\ndate: 2025-03-14\ncity: Zwolle\nrooms:\n  - { id: a, name: Zaal A }\n  - { id: b, name: Zaal B }\nsessions:\n  - time: 10.00-11.00\n    id: opening\n    kind: plenary\n    title: Opening\n  - time: 11.00-12.00\n    id: wonen\n    title: Wonen\n    room: a\n  - time: 11.00-12.00\n    title: Werken\n    room: b\n";

const TWO: &str = "kind: programme\ntitle: Netwerkdagen\ncity: Den Bosch\nrooms:\n  - { id: a, name: Zaal A }\ndays:\n  - date: 2026-09-10\n    sessions:\n      - time: 10.00-11.00\n        title: Dag een\n        room: a\n  - date: 2026-09-11\n    sessions:\n      - time: 10.00-11.00\n        id: verkiezingen\n        title: Verkiezingen\n        room: a\n";

const FEED: &str = "output/netwerkdagen/netwerkdagen.ics";

/// The feed's events by UID.
fn feed(site: &Fixture) -> BTreeMap<String, Event> {
    events(&read_text(site.root(), FEED))
        .into_iter()
        .map(|e| (value(&e, "UID").to_string(), e))
        .collect()
}

fn uids(text: &str) -> Vec<String> {
    events(text)
        .iter()
        .map(|e| value(e, "UID").to_string())
        .collect()
}

#[test]
fn the_feed_has_every_networkday_and_follows_a_moved_session() {
    let site = site(&[
        ("netwerkdagen/2025-03-14-zwolle.yaml", ONE),
        ("netwerkdagen/2026-09-10-den-bosch.yaml", TWO),
    ]);
    site.run_ok(&["build"]);
    let text = read_text(site.root(), FEED);
    let before = feed(&site);
    // Every session of both programmes, with their own calendars' UIDs.
    let mut expected = uids(&read_text(
        site.root(),
        "output/netwerkdagen/2025-03-14-zwolle/programma.ics",
    ));
    expected.extend(uids(&read_text(
        site.root(),
        "output/netwerkdagen/2026-09-10-den-bosch/programma.ics",
    )));
    assert_eq!(before.keys().cloned().collect::<Vec<_>>(), {
        let mut e = expected.clone();
        e.sort();
        e
    });
    assert_eq!(before.len(), 5);
    let wonen = "2025-03-14-zwolle-wonen@example.nl";
    let werken = "2025-03-14-zwolle-1100-b@example.nl";
    assert!(before.contains_key(wonen), "{:?}", before.keys());
    assert!(before.contains_key(werken), "{:?}", before.keys());
    for e in before.values() {
        let seq: u32 = value(e, "SEQUENCE").parse().unwrap();
        assert!(seq < 1 << 31);
        assert_eq!(value(e, "DTSTAMP"), value(e, "LAST-MODIFIED"));
        assert!(value(e, "DTSTART").len() == 15, "{e:?}");
    }
    assert!(text.contains("REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n"));
    assert!(text.contains("DTSTART;TZID=Europe/Amsterdam:20260911T100000\r\n"));
    // The section page announces it; the programme's own files have no SEQUENCE.
    let section = read_text(site.root(), "output/netwerkdagen/index.html");
    assert!(section.contains("<link rel=\"alternate\" type=\"text/calendar\" href=\"/netwerkdagen/netwerkdagen.ics\" title=\"Alle netwerkdagen (iCalendar)\">"), "{section}");
    assert!(section.contains("href=\"webcal://example.nl/netwerkdagen/netwerkdagen.ics\""));

    // An unchanged site: the same bytes.
    site.run_ok(&["build"]);
    assert_eq!(read_text(site.root(), FEED), text);

    // Move “Wonen” to the afternoon and rename “Werken”.
    let moved = ONE
        .replace(
            "  - time: 11.00-12.00\n    id: wonen",
            "  - time: 14.00-15.00\n    id: wonen",
        )
        .replace("title: Werken", "title: Werken en leren");
    site.write("content/netwerkdagen/2025-03-14-zwolle.yaml", &moved);
    site.run_ok(&["build"]);
    let after = feed(&site);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for uid in [wonen, werken] {
        let (old, new) = (&before[uid], &after[uid]);
        assert_ne!(value(old, "SEQUENCE"), value(new, "SEQUENCE"), "{uid}");
        assert_ne!(value(old, "DTSTAMP"), value(new, "DTSTAMP"), "{uid}");
        assert_ne!(
            value(old, "LAST-MODIFIED"),
            value(new, "LAST-MODIFIED"),
            "{uid}"
        );
    }
    assert_eq!(value(&after[wonen], "DTSTART"), "20250314T140000");
    assert_eq!(value(&after[werken], "SUMMARY"), "Werken en leren");
    // The others did not change at all.
    for (uid, old) in &before {
        if uid != wonen && uid != werken {
            assert_eq!(old, &after[uid], "{uid}");
        }
    }
}

#[test]
fn a_site_without_programmes_has_no_feed() {
    let site = site(&[]);
    site.run_ok(&["build"]);
    assert!(!site.root().join(FEED).exists());
    let section = read_text(site.root(), "output/netwerkdagen/index.html");
    assert!(!section.contains("text/calendar"));
}
