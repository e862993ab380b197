//! Tests of programme parsing: the model read, and every error located.

use super::*;
use crate::source::{SourceFile, SourceKind};

const HEAD: &str = "kind: programme\ntitle: Netwerkdag\ndate: 2023-02-10\nrooms:\n  - { id: zaal1, name: Zaal 1 }\n  - { id: zaal2, name: Zaal 2 }\n  - { id: zaal3, name: Zaal 3 }\nsessions:\n";

fn file(text: &str) -> SourceFile {
    SourceFile {
        path: "content/netwerkdagen/dag.yaml".into(),
        rel: "netwerkdagen/dag.yaml".into(),
        kind: SourceKind::Structured,
        text: text.into(),
        bytes: vec![],
    }
}

fn parse_sessions(sessions: &str) -> Result<Programme, Vec<Diagnostic>> {
    parse(&file(&format!("{HEAD}{sessions}")))
}

/// The one error of a programme, with its line.
fn error(sessions: &str) -> Diagnostic {
    let e = parse_sessions(sessions).expect_err("should fail");
    assert_eq!(e.len(), 1, "{e:#?}");
    e.into_iter().next().unwrap()
}

fn t(h: u16, m: u16) -> Time {
    Time::new(h, m).unwrap()
}

#[test]
fn calendar_uids_come_from_time_and_place_or_the_explicit_id() {
    let sessions = "  - time: 9.30\n    kind: walk-in\n  - time: 10.00-10.25\n    kind: plenary\n    title: Opening\n    room: zaal1\n  - time: 10.30-11.30\n    title: Werksessie\n    rooms: [zaal2, zaal3]\n  - time: 10.30-11.30\n    title: Tweede\n    id: 1030-zaal2\n    room: zaal1\n  - time: 16\n    kind: break\n";
    let p = parse_sessions(sessions).unwrap();
    let uids: Vec<&str> = p.sessions.iter().map(|s| s.uid.as_str()).collect();
    // An explicit id is used as written; a derived one never takes it.
    assert_eq!(
        uids,
        [
            "0930-walk-in",
            "1000-zaal1",
            "1030-zaal2-2",
            "1030-zaal2",
            "1600-break"
        ]
    );
    // A new title changes the anchor, not the UID.
    let renamed = parse_sessions(&sessions.replace("Werksessie", "Andere titel")).unwrap();
    assert_eq!(renamed.sessions[2].uid, "1030-zaal2-2");
    assert_eq!(renamed.sessions[2].id, "andere-titel");
}

#[test]
fn parses_a_small_programme() {
    let p = parse_sessions(
        "  - time: 9.30\n    kind: walk-in\n  - time: 10.00-10.25\n    kind: plenary\n    title: Opening\n    room: zaal1\n  - start: 10.30\n    duration: 1 uur\n    title: Werksessie\n    rooms: [zaal3, zaal2]\n  - time: 10.30-11.30\n    title: Werksessie\n    room: zaal1\n    themagroepen: [woningmarkt]\n    themagroep: europa\n  - time: \"16.00\"\n    kind: break\n    title: Borrel\n",
    )
    .unwrap();
    let s = &p.sessions;
    assert_eq!(
        (s[0].start, s[0].end, s[0].rooms.clone()),
        (t(9, 30), None, 0..3)
    );
    assert_eq!(s[0].title, "Inloop");
    assert_eq!(s[0].id, "inloop");
    assert_eq!(s[1].held_in, Some(0));
    assert_eq!(
        (s[2].start, s[2].end, s[2].rooms.clone()),
        (t(10, 30), Some(t(11, 30)), 1..3)
    );
    assert_eq!(s[2].id, "werksessie");
    assert_eq!(s[3].id, "werksessie-2", "default ids are made unique");
    assert_eq!(s[3].themagroepen, ["europa", "woningmarkt"]);
    // The 2026 name of theme groups works as a field name too.
    let p2 = parse_sessions("  - time: 10.00-11.00\n    title: A\n    room: zaal1\n    opgavegroep: europa\n    opgavegroepen: [wonen]\n").unwrap();
    assert_eq!(p2.sessions[0].themagroepen, ["europa", "wonen"]);
    assert_eq!(
        p2.session_field(0, &["themagroep", "opgavegroep"]),
        Some("opgavegroep")
    );
    assert_eq!(s[4].end, None);
    assert_eq!(s[0].lines, (9, 10));
    assert_eq!(s[4].lines.0, 24);
    assert_eq!(p.by_start(), [0, 1, 3, 2, 4]);
}

#[test]
fn bad_time_is_located_and_names_the_session() {
    let e = error(
        "  - time: 10.00-10.25\n    title: Opening\n    room: zaal1\n  - time: 10.30-11.75\n    title: Sociaal\n    room: zaal1\n",
    );
    assert_eq!(e.line, Some(12));
    assert!(e.message.contains("session “Sociaal”"), "{}", e.message);
    assert!(e.message.contains("minutes go up to 59"), "{}", e.message);
    assert!(e.hint.is_some());
}

#[test]
fn end_before_start() {
    let e = error("  - start: 11.00\n    end: 10.00\n    title: Omgekeerd\n    room: zaal1\n");
    assert_eq!(e.line, Some(10));
    assert!(
        e.message.contains("ends (10.00) before it starts (11.00)"),
        "{}",
        e.message
    );
    let e = error("  - time: 10.00-10.00\n    title: Nul\n    room: zaal1\n");
    assert!(
        e.message.contains("ends (10.00) when it starts"),
        "{}",
        e.message
    );
}

#[test]
fn missing_time_and_end() {
    let e = error("  - title: Zonder tijd\n    room: zaal1\n");
    assert!(e.message.contains("has no time"), "{}", e.message);
    assert_eq!(e.line, Some(9));
    let e = error("  - time: 10.00\n    title: Zonder eind\n    room: zaal1\n");
    assert!(e.message.contains("no end"), "{}", e.message);
    let e = error("  - time: 10.00-11.00\n    start: 10.00\n    title: Dubbel\n    room: zaal1\n");
    assert!(
        e.message.contains("both `time` and `start`"),
        "{}",
        e.message
    );
    let e = error(
        "  - start: 10.00\n    end: 11.00\n    duration: 30\n    title: Dubbel\n    room: zaal1\n",
    );
    assert!(e.message.contains("`duration`"), "{}", e.message);
    assert_eq!(e.line, Some(11));
    let e = error("  - start: 23.30\n    duration: 1 uur\n    title: Laat\n    room: zaal1\n");
    assert!(e.message.contains("after midnight"), "{}", e.message);
}

#[test]
fn unknown_room_suggests() {
    let e = error("  - time: 10.00-11.00\n    title: Sessie\n    room: zaal6\n");
    assert_eq!(e.line, Some(11));
    assert!(e.message.contains("unknown room `zaal6`"), "{}", e.message);
    assert_eq!(e.hint.as_deref(), Some("did you mean `zaal1`?"));
    let e = error("  - time: 10.00-11.00\n    title: Sessie\n    room: foyer\n");
    assert_eq!(
        e.hint.as_deref(),
        Some("valid rooms: `zaal1`, `zaal2`, `zaal3`")
    );
}

#[test]
fn rooms_must_be_adjacent() {
    let e = error("  - time: 10.00-11.00\n    title: Breed\n    rooms: [zaal1, zaal3]\n");
    assert!(
        e.message.contains("not next to each other"),
        "{}",
        e.message
    );
    assert!(e.hint.as_deref().unwrap().contains("`zaal2`"));
    assert_eq!(e.line, Some(11));
    let e = error("  - time: 10.00-11.00\n    title: Breed\n    rooms: [zaal1, zaal1]\n");
    assert!(e.message.contains("listed twice"), "{}", e.message);
    let e = error("  - time: 10.00-11.00\n    title: Breed\n    rooms: []\n");
    assert!(e.message.contains("`rooms` is empty"), "{}", e.message);
    let e = error(
        "  - time: 10.00-11.00\n    title: Breed\n    room: zaal1\n    rooms: [zaal1, zaal2]\n",
    );
    assert!(
        e.message.contains("both `room` and `rooms`"),
        "{}",
        e.message
    );
    let e = error("  - time: 10.00-11.00\n    title: Nergens\n");
    assert!(e.message.contains("no room"), "{}", e.message);
    let e =
        error("  - time: 10.00-11.00\n    kind: plenary\n    title: Plenair\n    rooms: [zaal1]\n");
    assert!(e.message.contains("uses every room"), "{}", e.message);
}

#[test]
fn overlap_in_a_room_is_an_error_at_the_later_session() {
    let e = error(
        "  - time: 10.00-11.00\n    title: Eerste\n    room: zaal2\n  - time: 10.30-11.30\n    title: Tweede\n    rooms: [zaal2, zaal3]\n",
    );
    assert_eq!(e.line, Some(12));
    assert!(
        e.message.contains("session “Tweede” (10.30–11.30 uur) overlaps with “Eerste” (10.00–11.00 uur, line 9) in Zaal 2"),
        "{}",
        e.message
    );
    assert!(
        e.hint.as_deref().unwrap().contains("`zaal1`"),
        "{:?}",
        e.hint
    );
    // Sessions that only touch do not overlap.
    assert!(parse_sessions("  - time: 10.00-11.00\n    title: A\n    room: zaal2\n  - time: 11.00-12.00\n    title: B\n    room: zaal2\n").is_ok());
}

#[test]
fn sessions_at_the_same_time_in_one_room_are_one_error() {
    let mut sessions = String::new();
    for i in 0..1200 {
        sessions.push_str(&format!(
            "  - time: 10.00-11.00\n    title: Sessie {i}\n    room: zaal1\n"
        ));
    }
    // And a separate clash later that day, and a chain: A-B and B-C.
    sessions.push_str("  - time: 14.00-15.00\n    title: A\n    room: zaal2\n  - time: 14.30-15.30\n    title: B\n    room: zaal2\n  - time: 15.15-16.00\n    title: C\n    room: zaal2\n");
    let started = std::time::Instant::now();
    let errors = parse_sessions(&sessions).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let e = &errors[0];
    assert!(
        e.message.starts_with("session “Sessie 1” (10.00–11.00 uur) overlaps with “Sessie 0” (10.00–11.00 uur, line 9) in Zaal 1; 1198 other sessions overlap with these: “Sessie 2” (line 15),"),
        "{}",
        e.message
    );
    assert!(e.message.ends_with("1193 more"), "{}", e.message);
    assert!(errors[1].message.contains("“B”") && errors[1].message.contains("“C” (line"));
}

#[test]
fn plenary_and_transfer_use_every_room() {
    let e = error(
        "  - time: 10.00-10.30\n    kind: transfer\n  - time: 10.15-11.00\n    title: Te vroeg\n    room: zaal3\n",
    );
    assert!(
        e.message.contains("overlaps with “Verplaatsingstijd”"),
        "{}",
        e.message
    );
    // A moment inside a session in the same room clashes; at its end it does not.
    let e = error(
        "  - time: 15.00-16.30\n    title: Lang\n    room: zaal1\n  - time: 16.00\n    kind: break\n    title: Borrel\n",
    );
    assert!(e.message.contains("“Borrel”"), "{}", e.message);
    assert!(parse_sessions("  - time: 15.00-16.00\n    title: Lang\n    room: zaal1\n  - time: 16.00\n    kind: break\n    title: Borrel\n").is_ok());
}

#[test]
fn unknown_kind_and_missing_title() {
    let e =
        error("  - time: 10.00-10.30\n    kind: plenair\n    title: Opening\n    room: zaal1\n");
    assert!(
        e.message.contains("unknown session kind `plenair`"),
        "{}",
        e.message
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean `plenary`?"));
    assert_eq!(e.line, Some(10));
    let e = error("  - time: 10.00-10.30\n    room: zaal1\n");
    assert!(
        e.message
            .contains("session “number 1”: the session has no title"),
        "{}",
        e.message
    );
}

#[test]
fn session_ids() {
    let e = error(
        "  - time: 10.00-10.30\n    id: a\n    title: A\n    room: zaal1\n  - time: 10.00-10.30\n    id: a\n    title: B\n    room: zaal2\n",
    );
    assert!(e.message.contains("used twice"), "{}", e.message);
    assert_eq!(e.line, Some(14));
    let e = error("  - time: 10.00-10.30\n    id: Mijn Sessie\n    title: A\n    room: zaal1\n");
    assert_eq!(
        e.hint.as_deref(),
        Some("use lowercase letters, digits and dashes, e.g. `mijn-sessie`")
    );
    let e = error("  - time: 10.00-10.30\n    id: programma\n    title: A\n    room: zaal1\n");
    assert!(e.message.contains("whole day"), "{}", e.message);
    // A default id never takes an explicit one or `programma`.
    let p = parse_sessions("  - time: 10.00-10.30\n    title: Programma\n    room: zaal1\n  - time: 10.00-10.30\n    title: B\n    id: b\n    room: zaal2\n  - time: 11.00-11.30\n    title: B\n    room: zaal2\n").unwrap();
    let ids: Vec<&str> = p.sessions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["programma-2", "b", "b-2"]);
}

#[test]
fn every_error_is_collected() {
    let e = parse_sessions("  - time: 25.00\n    title: A\n    room: zaal1\n  - time: 10.00-11.00\n    title: B\n    room: zaal9\n  - time: 10.00-11.00\n    kind: lunch\n    title: C\n").unwrap_err();
    assert_eq!(e.len(), 3, "{e:#?}");
    let lines: Vec<_> = e.iter().map(|d| d.line.unwrap()).collect();
    assert_eq!(lines, [9, 14, 16]);
}

#[test]
fn unknown_field_and_audience_from_serde() {
    let e = parse(&file(&format!(
        "{HEAD}  - time: 10.00-11.00\n    title: A\n    rom: zaal1\n"
    )))
    .unwrap_err();
    assert_eq!(e[0].line, Some(11));
    assert_eq!(e[0].hint.as_deref(), Some("did you mean `room`?"));
    let e = parse(&file(
        "kind: programme\ntitle: X\ndate: 2023-02-10\naudience: bestuur\n",
    ))
    .unwrap_err();
    assert_eq!(e[0].line, Some(4));
    assert_eq!(e[0].hint.as_deref(), Some("did you mean `bestuurlijk`?"));
}

#[test]
fn room_errors() {
    let e = parse(&file("kind: programme\ntitle: X\ndate: 2023-02-10\nrooms:\n  - id: a\n    name: A\n  - id: a\n    name: B\n")).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].line, Some(7));
    assert!(e[0].message.contains("used twice"));
    let e = parse(&file("kind: programme\ntitle: X\ndate: 2023-02-10\nsessions:\n  - time: 10.00-11.00\n    title: A\n")).unwrap_err();
    assert!(e[0].message.contains("no `rooms`"), "{}", e[0].message);
}

#[test]
fn remaining_errors_each_located_with_a_hint() {
    let e = error("  - time: 10.00-11.00\n    end: 11.00\n    title: A\n    room: zaal1\n");
    assert!(e.message.contains("both `time` and `end`"), "{}", e.message);
    assert_eq!(e.line, Some(10));
    assert!(e.hint.is_some());

    let top = |text: &str| -> Diagnostic {
        let e = parse(&file(text)).expect_err("should fail");
        assert_eq!(e.len(), 1, "{e:#?}");
        let d = e.into_iter().next().unwrap();
        assert!(d.hint.is_some() && d.line.is_some(), "{d:#?}");
        d
    };
    let d = top("kind: programme\ntitle: \" \"\ndate: 2023-02-10\n");
    assert!(d.message.contains("`title` is empty"));
    assert_eq!(d.line, Some(2));
    let d = top("kind: programme\ntitle: X\ndate: 2023-02-10\nslug: Mijn Dag\n");
    assert!(d.message.contains("not a single URL segment"));
    assert_eq!(d.line, Some(4));
    let d = top(
        "kind: programme\ntitle: X\ndate: 2023-02-10\nrooms:\n  - id: zaal 1\n    name: Zaal 1\n",
    );
    assert!(d.message.contains("must be one word"));
    assert_eq!(d.line, Some(5));
    let d =
        top("kind: programme\ntitle: X\ndate: 2023-02-10\nrooms:\n  - id: zaal1\n    name: \"\"\n");
    assert!(d.message.contains("empty name"));
    assert_eq!(d.line, Some(6));
    let d = top(
        "kind: programme\ntitle: X\ndate: 2023-02-10\nnot_meeting:\n  - note: Vergadert niet.\n",
    );
    assert!(d.message.contains("names no group"));
    assert_eq!(d.line, Some(5));
    let d = top("kind: programme\ntitle: X\ndate: 2023-02-30\n");
    assert!(d.message.contains("does not exist"));
    assert_eq!(d.line, Some(3));
}
