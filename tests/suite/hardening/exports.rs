//! Hardening of the exports and the terminal (issue 13): `base_url` cannot
//! inject lines into calendars or `robots.txt` (it is validated, in
//! site.yaml and on the command line, and every value is escaped where it
//! is written); a title with control characters still gives well-formed
//! XML; and nothing from the site reaches the terminal as an escape
//! sequence. All through the real binary, run in the site folder.

use crate::common::Fixture;
use crate::common::exports::{self as read, events, property_names, xmllint};

const PROGRAMME: &str = "kind: programme\ntitle: Netwerkdag\ndate: 2024-03-08\ncity: Zwolle\nrooms:\n  - { id: zaal1, name: Zaal 1 }\nsessions:\n  - time: 10.00-11.00\n    title: Opening\n    room: zaal1\n";

fn site(site_yaml: &str) -> Fixture {
    Fixture::new()
        .file("site.yaml", site_yaml)
        .file("content/netwerkdagen/dag.yaml", PROGRAMME)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_line_break_in_base_url_is_a_located_error_not_calendar_lines() {
    // What an attacker would commit: CRLF and new properties in base_url.
    let site = site(
        "title: Testsite\nbase_url: \"https://example.nl\\r\\nATTACH:https://evil.example/x\\r\\nX-EVIL:1\"\n",
    );
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("error: base_url `https://example.nl\\u{d}\\u{a}ATTACH:https://evil.example/x\\u{d}\\u{a}X-EVIL:1` contains a control character (U+000D)"),
        "{err}"
    );
    assert!(err.contains("--> site.yaml:2:1"), "{err}");
    assert!(
        err.contains("= hint: write the address on one line"),
        "{err}"
    );
    assert!(!err.contains('\r'), "the terminal gets no raw CR: {err:?}");
    assert!(!site.out().exists(), "nothing is written");
}

#[test]
fn base_url_must_be_one_plain_http_address() {
    for (url, says) in [
        (
            "https://user:geheim@example.nl",
            "contains a user name or password",
        ),
        (
            "https://example.nl@evil.example",
            "contains a user name or password",
        ),
        (
            "https://example.nl//evil.example/",
            "has `//` or `\\` in its path",
        ),
        ("https://example.nl/?x=1", "has a query"),
        ("javascript:alert(1)", "is not an http(s) URL"),
        ("https://Example.NL", "is not written as browsers write it"),
    ] {
        let site = site(&format!("title: Testsite\nbase_url: \"{url}\"\n"));
        let out = site.run(&["build"]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{url}: {err}");
        assert!(
            err.contains(says) && err.contains("--> site.yaml:2:1"),
            "{url}: {err}"
        );
        assert!(!site.out().exists());
    }
    // `--base-url` is checked the same way, before anything is built.
    let site = site("title: Testsite\nbase_url: https://example.nl\n");
    for url in [
        "https://example.nl\r\nX-EVIL:1",
        "https://example.nl//evil.example",
    ] {
        let out = site.run(&["build", "--base-url", url]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{url}: {err}");
        assert!(err.contains("--base-url") && err.contains("hint:"), "{err}");
        assert!(!err.contains('\r'), "{err:?}");
        assert!(!site.out().exists());
    }
}

#[test]
fn calendars_and_robots_hold_only_their_own_lines() {
    // Line breaks with would-be properties in every field that reaches a
    // calendar, as YAML escapes.
    const X: &str = "\\r\\nATTACH:https://evil.example/x\\nX-EVIL:1\\r";
    let hostile = format!(
        "kind: programme\ntitle: \"Dag{X}\"\ndate: 2024-03-08\ncity: \"Zwolle{X}\"\nvenue: \"Stadhuis{X}\"\naddress: \"Markt{X}\"\nrooms:\n  - {{ id: zaal1, name: \"Zaal{X}\", location: \"Raadzaal{X}\" }}\nsessions:\n  - time: 10.00-11.00\n    title: \"Opening{X}\"\n    room: zaal1\n    pijler: sociaal\n    chair: \"Voorzitter{X}\"\n    speakers:\n      - {{ name: \"Spreker{X}\", role: \"Rol{X}\" }}\n    description: \"Tekst{X} [link](https://example.nl/a{X})\"\n"
    );
    let site = site("title: Testsite\nbase_url: https://example.nl/g40/\n")
        .file(
            "content/_data/pijlers.yaml",
            &format!(
                "- {{ id: sociaal, name: \"Sociaal{X}\" }}\n- {{ id: fysiek, name: Fysiek }}\n"
            ),
        )
        .file("content/netwerkdagen/dag.yaml", &hostile);
    let out = site.run(&["build", "--base-url", "https://preview.example.nl/pr-7/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let robots = std::fs::read_to_string(site.out().join("robots.txt")).unwrap();
    assert_eq!(
        robots,
        "User-agent: *\nAllow: /\nSitemap: https://preview.example.nl/pr-7/sitemap.xml\n"
    );
    let allowed = [
        "BEGIN",
        "END",
        "VERSION",
        "PRODID",
        "CALSCALE",
        "METHOD",
        "X-WR-CALNAME",
        "X-WR-CALDESC",
        "X-WR-TIMEZONE",
        "TZID",
        "DTSTART",
        "TZOFFSETFROM",
        "TZOFFSETTO",
        "TZNAME",
        "UID",
        "DTSTAMP",
        "DTEND",
        "SUMMARY",
        "LOCATION",
        "DESCRIPTION",
        "URL",
        "CATEGORIES",
        "TRANSP",
        // The calendar feed of every networkday (netwerkdagen.ics).
        "SEQUENCE",
        "LAST-MODIFIED",
        "REFRESH-INTERVAL",
        "X-PUBLISHED-TTL",
    ];
    for (path, text) in read::files_ending(&site.out(), &[".ics"]) {
        for name in property_names(&text) {
            assert!(
                allowed.contains(&name.as_str()),
                "{}: {name}",
                path.display()
            );
        }
        for e in events(&text) {
            assert_eq!(read::value(&e, "UID"), "dag-1000-zaal1@preview.example.nl");
            // The text is still there, on its own line.
            assert!(read::value(&e, "SUMMARY").starts_with("Opening\nATTACH:"));
        }
    }
    if let Some(xmllint) = xmllint() {
        read::assert_valid_xml(&xmllint, &site.out().join("netwerkdagen/dag/schedule.xml"));
        read::assert_well_formed(&xmllint, &site.out().join("sitemap.xml"));
    }
}

#[test]
fn control_characters_in_a_title_leave_the_xml_well_formed() {
    // A bell, an escape sequence and a NUL-adjacent control in YAML escapes.
    let title = "\"Opening\\a\\e[2J\\x01 & <zaal>\"";
    let site = site("title: Testsite\nbase_url: https://example.nl\n").file(
        "content/netwerkdagen/dag.yaml",
        &PROGRAMME.replace("title: Opening", &format!("title: {title}")),
    );
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = site.out().join("netwerkdagen/dag/schedule.xml");
    let xml = std::fs::read_to_string(&file).unwrap();
    assert!(!xml.contains(['\u{7}', '\u{1b}', '\u{1}']), "{xml:?}");
    if let Some(xmllint) = xmllint() {
        read::assert_valid_xml(&xmllint, &file);
        assert_eq!(
            read::xpath(&xmllint, &file, "string(//event/title)"),
            "Opening[2J & <zaal>"
        );
    }
    // The calendar drops them too; the JSON keeps the exact text, escaped.
    let ics = std::fs::read_to_string(site.out().join("netwerkdagen/dag/programma.ics")).unwrap();
    assert_eq!(
        read::value(&events(&ics)[0], "SUMMARY"),
        "Opening[2J & <zaal>"
    );
    let json = std::fs::read_to_string(site.out().join("netwerkdagen/dag/schedule.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let events = read::schedule_events(&doc);
    assert_eq!(events[0]["title"], "Opening\u{7}\u{1b}[2J\u{1} & <zaal>");
}

#[test]
fn nothing_from_the_site_reaches_the_terminal_as_an_escape() {
    // A link target that would clear the screen and fake a success line,
    // in a file whose name holds an escape sequence too.
    let fake = "\u{1b}[2J\u{1b}[H\rBuilt 9 pages into output in 3 ms\u{202e}";
    let crafted = site("title: Testsite\nbase_url: https://example.nl\n").file(
        "content/over.md",
        // (No CR: a line break ends a Markdown link.)
        &format!(
            "---\ntitle: Over\n---\nZie [dit](<{}.md>).\n",
            fake.replace('\r', "")
        ),
    );
    let named = site("title: Testsite\nbase_url: https://example.nl\n").file(
        &format!("content/x\u{1b}[31m{fake}.md"),
        "---\ntitel: Geen titel\n---\n",
    );
    for (site, shown) in [
        (&crafted, "link to `\\u{1b}[2J\\u{1b}[HBuilt 9 pages"),
        (
            &named,
            "--> content/x\\u{1b}[31m\\u{1b}[2J\\u{1b}[H\\u{d}Built 9 pages",
        ),
    ] {
        let out = site.run(&["build"]);
        let err = stderr(&out);
        assert!(!out.status.success());
        assert!(
            !err.contains(['\u{1b}', '\r', '\u{202e}']),
            "raw control characters: {err:?}"
        );
        assert!(
            !err.lines().any(|l| l.starts_with("Built")),
            "a faked success line: {err}"
        );
        // Shown escaped, so the editor sees what is there.
        assert!(err.contains(shown), "{err}");
        assert!(err.contains("Build failed with 1 error"), "{err}");
    }

    // The summary line of a good build prints the output path escaped too.
    let good = site("title: Testsite\nbase_url: https://example.nl\n");
    let out = good.run(&["build", "--output", "uit\u{1b}[2J"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("uit\\u{1b}[2J"), "{err}");
}
