//! Search finds a programme's sessions (issue 15): by speaker, chair,
//! moderator and room, each hit linking to the session's own anchor on
//! the programme page. Built with the real binary; the index
//! (`zoeken/index.json`) is read back as `zoeken.js` reads it.

use serde_json::Value;

use crate::common::networkday_site as site;
use crate::common::read_text;

const DAY: &str = "kind: programme\ntitle: Netwerkdag\ndate: 2024-06-14\ncity: Zwolle\nrooms:\n  - { id: raad, name: Raadzaal, location: Gravenzaal }\n  - { id: burger, name: Burgerzaal }\nsessions:\n  - time: 9.30\n    kind: walk-in\n  - time: 10.00-11.00\n    kind: plenary\n    id: opening\n    title: Opening\n    room: raad\n    speakers:\n      - { name: Jos Wienen, role: burgemeester van Haarlem }\n  - time: 11.00-12.00\n    title: Woningmarkt\n    room: burger\n    chair: Karin Schrederhof\n  - time: 11.00-12.00\n    title: Positie van het netwerk\n    room: raad\n    moderator: Arjen Gerritsen\n";

/// The documents (title, url, kind, summary) that contain every word.
fn search(index: &Value, query: &str) -> Vec<[String; 4]> {
    let docs = index["docs"].as_array().unwrap();
    let mut hits: Option<Vec<u64>> = None;
    for word in query.split_whitespace() {
        let word = word.to_lowercase();
        let found: Vec<u64> = index["words"]
            .get(&word)
            .and_then(Value::as_u64)
            .map(|g| {
                index["postings"][g as usize]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p[0].as_u64().unwrap())
                    .collect()
            })
            .unwrap_or_default();
        hits = Some(match hits {
            None => found,
            Some(h) => h.into_iter().filter(|d| found.contains(d)).collect(),
        });
    }
    hits.unwrap_or_default()
        .into_iter()
        .map(|d| {
            let doc = &docs[d as usize];
            std::array::from_fn(|i| doc[i].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn sessions_are_found_by_speaker_chair_moderator_and_room_at_their_anchor() {
    let site = site(&[("netwerkdagen/dag.yaml", DAY)]);
    site.run_ok(&["build"]);
    let index: Value =
        serde_json::from_str(&read_text(site.root(), "output/zoeken/index.json")).unwrap();
    let page = read_text(site.root(), "output/netwerkdagen/dag/index.html");
    for (query, title, anchor) in [
        ("wienen", "Opening", "opening"),
        ("burgemeester haarlem", "Opening", "opening"),
        ("schrederhof", "Woningmarkt", "woningmarkt"),
        (
            "gerritsen",
            "Positie van het netwerk",
            "positie-van-het-netwerk",
        ),
        ("burgerzaal", "Woningmarkt", "woningmarkt"),
        (
            "gravenzaal",
            "Positie van het netwerk",
            "positie-van-het-netwerk",
        ),
    ] {
        let hits = search(&index, query);
        let hit = hits
            .iter()
            .find(|d| d[0] == title)
            .unwrap_or_else(|| panic!("{query}: {hits:?}"));
        assert_eq!(hit[1], format!("/netwerkdagen/dag/#{anchor}"), "{query}");
        assert_eq!(hit[2], "Sessie");
        // The anchor is the session's article on the page.
        assert!(
            page.contains(&format!(
                "id=\"{anchor}\" aria-labelledby=\"{anchor}-titel\""
            )),
            "{anchor}"
        );
    }
    // The summary says when, where and at which networkday.
    let hit = &search(&index, "schrederhof")[0];
    assert_eq!(
        hit[3],
        "11.00–12.00 uur · Burgerzaal · Netwerkdag Zwolle, vrijdag 14 juni 2024"
    );
    // Gravenzaal is the plenary's room too: both are found.
    assert_eq!(search(&index, "gravenzaal").len(), 2);
    // Walk-in and transfers are not entries of their own.
    assert!(search(&index, "inloop").iter().all(|d| d[2] != "Sessie"));
}
