//! Snapshots of whole outputs: the programme page, one session's `.ics`
//! and the day's `programma.ics`, `schedule.json` and a report chapter,
//! built by the real binary in a small site folder (relative paths, a
//! fixed `--today`, so every run is identical).
//! The other tests check single properties; these show any change to an
//! output in review, as a diff.
//!
//! After an intended change to one of these outputs, update the snapshots
//! and review the diff before committing it:
//!
//! ```sh
//! INSTA_UPDATE=always cargo test --test suite snapshots::
//! git diff tests/suite/snapshots/
//! ```
//!
//! (With cargo-insta installed, `cargo insta test --review` does both.)
//! Without `INSTA_UPDATE`, a changed output fails the test and insta
//! prints the diff.

use crate::common::Fixture;
use crate::common::exports::events;

/// The programme: a plenary opening, two parallel sessions in two rooms
/// (one with a speaker, a theme group and a link to the report), a break.
const PROGRAMME: &str = r#"kind: programme
title: Netwerkdag Zwolle
date: 2024-03-08
city: Zwolle
venue: Stadhuis
rooms:
  - { id: raadzaal, name: Raadzaal }
  - { id: zaal2, name: Zaal 2 }
sessions:
  - time: 10.00-10.30
    kind: plenary
    title: Opening
    room: raadzaal
    speakers:
      - { name: Burgemeester Bos, role: gastheer }
  - time: 10.30-11.30
    title: Wonen en werken
    room: raadzaal
    themagroep: woningmarkt
    description: |
      Zie het [hoofdstuk over wonen](/jaarverslag/2023/fysiek/).
  - time: 10.30-11.00
    title: Armoede en schulden
    room: zaal2
    pijler: sociaal
  - time: 12.30
    kind: break
    title: Lunch
"#;

/// A small site with a report of two chapters and one programme.
fn site() -> Fixture {
    Fixture::empty()
        .file(
            "site.yaml",
            "title: Testsite\nbase_url: https://example.nl\nmenu:\n  - { title: Jaarverslag, path: /jaarverslag/2023/ }\n",
        )
        .file("content/_index.md", "---\ntitle: Welkom\n---\nDe startpagina.\n")
        .file("content/_data/pijlers.yaml", crate::common::PIJLERS)
        .file("content/_data/themagroepen.yaml", crate::common::THEMAGROEPEN)
        .file("content/jaarverslag/_index.md", "---\ntitle: Jaarverslagen\n---\n")
        .file(
            "content/jaarverslag/2023/_index.md",
            "---\nkind: report\ntitle: Jaarverslag 2023\nyear: 2023\npublished: 2024-05-01\n---\nInleiding.\n",
        )
        .file(
            "content/jaarverslag/2023/01-sociaal.md",
            "---\ntitle: Pijler Sociaal\npijler: sociaal\n---\n## Terugblik\n\nTekst[^1].\n\n[^1]: Een voetnoot.\n",
        )
        .file(
            "content/jaarverslag/2023/02-fysiek.md",
            "---\ntitle: Pijler Fysiek\npijler: fysiek\nthemagroepen: [woningmarkt]\nsigned: \"Paul Depla, voorzitter\"\n---\n## Wonen\n\nZie ook [sociaal](01-sociaal.md#terugblik).\n\n| Stad | Woningen |\n| --- | --- |\n| Zwolle | 1200 |\n",
        )
        .file("content/netwerkdagen/_index.md", "---\ntitle: Netwerkdagen\n---\n")
        .file("content/netwerkdagen/2024-03-08-zwolle.yaml", PROGRAMME)
}

/// Build `site` with the real binary in its folder, on a fixed day (the
/// only date a build takes from the machine; `--today` wins over
/// `SOURCE_DATE_EPOCH` and the clock).
fn build(site: &Fixture) {
    site.run_ok(&["build", "--today", "2024-03-01", "--quiet"]);
}

/// The built file `rel`, exactly as written (soft hyphens kept: they are
/// part of the output). insta compares line by line, so the calendars'
/// CRLF framing is checked on its own, by `exports::events`.
fn output(site: &Fixture, rel: &str) -> String {
    let text = site.read_raw(rel);
    if rel.ends_with(".ics") {
        events(&text);
    }
    text
}

const DAY: &str = "netwerkdagen/2024-03-08-zwolle/";

#[test]
fn programme_page() {
    let site = site();
    build(&site);
    insta::assert_snapshot!(output(&site, &format!("{DAY}index.html")));
}

#[test]
fn session_ics() {
    let site = site();
    build(&site);
    insta::assert_snapshot!(output(&site, &format!("{DAY}wonen-en-werken.ics")));
}

#[test]
fn day_ics() {
    let site = site();
    build(&site);
    insta::assert_snapshot!(output(&site, &format!("{DAY}programma.ics")));
}

#[test]
fn schedule_json() {
    let site = site();
    build(&site);
    insta::assert_snapshot!(output(&site, &format!("{DAY}schedule.json")));
}

#[test]
fn report_chapter() {
    let site = site();
    build(&site);
    insta::assert_snapshot!(output(&site, "jaarverslag/2023/fysiek/index.html"));
}

/// Two builds in two folders give the same bytes: the snapshots above
/// cannot depend on the clock, the folder or the order of work.
#[test]
fn the_snapshot_site_builds_identically_twice() {
    let (a, b) = (site(), site());
    build(&a);
    build(&b);
    assert_eq!(
        crate::common::snapshot(&a.out()),
        crate::common::snapshot(&b.out())
    );
}
