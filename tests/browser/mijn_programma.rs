//! "Mijn programma" and "Nu en straks" (issue 15) in headless Chromium on
//! the example site, built with the real binary in the site folder: two
//! sessions marked with the keyboard, kept over a reload, the clash
//! warning, the downloaded `.ics` parsed with the `ical` crate and
//! compared with the build's own `programma.ics`, the personal programme
//! printed on one A4 portrait page (read with poppler), "Nu en straks" at
//! a fixed clock, and axe-core without the script and with it.

use std::path::Path;
use std::process::Command;

use crate::common::browser;
use crate::common::exports::{events, value};
use g40site::testing::StaticServer;

const HAARLEM: &str = "/netwerkdagen/2023-02-10-haarlem/";

/// The example site built by the binary, as an editor builds it.
fn build_with_binary(out: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Command::new(env!("CARGO_BIN_EXE_g40site"))
        .args([
            "build",
            "-q",
            "--force",
            "--today",
            "2023-02-01",
            "--output",
        ])
        .arg(out)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

fn no_violations(report: &serde_json::Value, what: &str) {
    for m in report.as_array().unwrap() {
        assert_eq!(
            m["violations"].as_array().unwrap().len(),
            0,
            "axe, {what}, {}: {:#}",
            m["media"],
            m["violations"]
        );
    }
}

#[test]
fn an_attendee_marks_sessions_keeps_them_downloads_prints_and_sees_what_runs_now() {
    let (Some(chromium), Some(checkers)) = (browser::chromium(), browser::checkers()) else {
        return;
    };
    let Some(poppler) = browser::poppler() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build_with_binary(&out);
    let server = StaticServer::from_dir(&out, "").unwrap();
    let files = tempfile::tempdir().unwrap();
    let r = checkers.node_script(
        "mijn-programma.mjs",
        &[
            chromium.as_os_str(),
            server.origin().as_ref(),
            HAARLEM.as_ref(),
            "pijlerbijeenkomst-sociaal".as_ref(),
            "pijlerbijeenkomst-fysiek".as_ref(),
            "2023-02-10T10:45:00+01:00".as_ref(),
            files.path().as_os_str(),
        ],
    );

    // Without the script: the full programme, no controls, axe clean.
    assert_eq!(r["withoutScript"]["buttons"], 0, "{r:#}");
    assert_eq!(r["withoutScript"]["sections"], 0, "{r:#}");
    assert!(r["withoutScript"]["sessions"].as_u64().unwrap() >= 26);
    no_violations(&r["axeWithoutScript"], "without the script");

    // With it: one button per session but the transfers, named after it.
    let names: Vec<&str> = r["before"]["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Mijn programma: Pijlerbijeenkomst Sociaal"),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.contains("Verplaatsing")),
        "{names:?}"
    );
    assert_eq!(r["before"]["pressed"].as_array().unwrap().len(), 0);
    assert!(r["before"]["mine"].as_array().unwrap().is_empty());

    // Marked with Tab and Space, then kept over a reload.
    for t in r["tabs"].as_array().unwrap() {
        assert!(t.as_u64().unwrap() < 600, "a button was not reached: {r:#}");
    }
    let pressed = |state: &str| {
        let mut p: Vec<String> = r[state]["pressed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        p.sort();
        p
    };
    assert_eq!(
        pressed("marked"),
        ["pijlerbijeenkomst-fysiek", "pijlerbijeenkomst-sociaal"]
    );
    assert!(
        r["marked"]["status"]
            .as_str()
            .unwrap()
            .contains("staat in uw programma (2 sessies). Let op: er zijn sessies tegelijk."),
        "{r:#}"
    );
    assert_eq!(pressed("reloaded"), pressed("marked"));
    let mine: Vec<&str> = r["reloaded"]["mine"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(mine.len(), 2, "{mine:?}");
    assert!(
        mine.iter().all(|m| m.starts_with("10.30–11.30 uur ")),
        "{mine:?}"
    );
    // Both at 10.30: the clash warning names them.
    let clash = r["reloaded"]["clash"].as_array().unwrap();
    assert_eq!(clash.len(), 1, "{r:#}");
    let clash = clash[0].as_str().unwrap();
    assert!(
        clash.contains("“Pijlerbijeenkomst Sociaal” (10.30–11.30 uur)"),
        "{clash}"
    );
    assert!(
        clash.contains("“Pijlerbijeenkomst Fysiek” (10.30–11.30 uur)"),
        "{clash}"
    );

    // The downloaded calendar: the build's own events, as they are.
    assert_eq!(r["downloadName"], "mijn-programma.ics");
    let mine_ics = std::fs::read_to_string(files.path().join("mijn-programma.ics")).unwrap();
    let build_ics =
        std::fs::read_to_string(out.join("netwerkdagen/2023-02-10-haarlem/programma.ics")).unwrap();
    let chosen = events(&mine_ics);
    assert_eq!(chosen.len(), 2);
    let all = events(&build_ics);
    for e in &chosen {
        let uid = value(e, "UID");
        let own = all
            .iter()
            .find(|b| value(b, "UID") == uid)
            .unwrap_or_else(|| panic!("{uid}"));
        assert_eq!(e, own, "{uid}");
    }
    assert!(mine_ics.contains("DTSTART;TZID=Europe/Amsterdam:20230210T103000\r\n"));
    assert!(mine_ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n"));
    assert!(mine_ics.contains("X-WR-CALNAME:Mijn programma: Bestuurlijke netwerkdag Haarlem"));

    // Printed: one A4 portrait page with the two sessions.
    let pdf = files.path().join("mijn-programma.pdf");
    let info = poppler.info(&pdf);
    assert_eq!(info["Pages"], "1", "{info:?}");
    let size: Vec<f64> = info["Page size"]
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        info["Page size"].ends_with("(A4)") && size[0] < size[1],
        "portrait A4: {info:?}"
    );
    let text = poppler.page_text(&pdf, 1, false);
    assert!(
        text.contains("Mijn programma") && text.contains("Pijlerbijeenkomst Fysiek"),
        "{text}"
    );
    assert!(!text.contains("Themagroep Woningmarkt"), "{text}");

    // With the script and sessions chosen: axe clean too.
    no_violations(&r["axeWithScript"], "with the script");

    // "Nu en straks" at 10.45 on the day, per room.
    let now = &r["clock"];
    assert!(
        now["nowText"]
            .as_str()
            .unwrap()
            .contains("Het is nu 10.45 uur."),
        "{now:#}"
    );
    let rooms: Vec<(String, String)> = now["now"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect();
    let room = |name: &str| {
        rooms
            .iter()
            .find(|(r, _)| r == name)
            .unwrap_or_else(|| panic!("{name}: {rooms:?}"))
            .1
            .clone()
    };
    assert_eq!(
        room("Plenair / Zaal 1 (Gravenzaal)"),
        "Nu: Pijlerbijeenkomst Sociaal (10.30–11.30 uur) Straks: Themagroep MKB en economische vernieuwing (11.40–12.40 uur)"
    );
    assert_eq!(
        room("Zaal 5"),
        "Nu: niets Straks: Themagroep Veiligheid (11.40–12.40 uur)"
    );
    assert!(
        room("Voor iedereen").starts_with("Nu: niets Straks: Lunch met vergadering AB"),
        "{rooms:?}"
    );
    assert!(
        now["nowText"]
            .as_str()
            .unwrap()
            .contains("De hele dag in Netwerkruimte: Ruimte om te netwerken.")
    );
}

#[test]
fn on_the_two_day_event_the_choice_is_grouped_by_day_and_nu_en_straks_follows_the_second_day() {
    let (Some(chromium), Some(checkers)) = (browser::chromium(), browser::checkers()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    build_with_binary(&out);
    let server = StaticServer::from_dir(&out, "").unwrap();
    let files = tempfile::tempdir().unwrap();
    let r = checkers.node_script(
        "mijn-programma.mjs",
        &[
            chromium.as_os_str(),
            server.origin().as_ref(),
            "/netwerkdagen/2026-09-10-den-bosch/".as_ref(),
            "pijler-fysiek-2026".as_ref(),
            "verkiezingen-2026".as_ref(),
            "2026-09-11T11:00:00+02:00".as_ref(),
            files.path().as_os_str(),
        ],
    );
    no_violations(&r["axeWithoutScript"], "without the script");
    no_violations(&r["axeWithScript"], "with the script");
    // One session a day: no clash, each under its day.
    let state = &r["reloaded"];
    assert_eq!(state["pressed"].as_array().unwrap().len(), 2, "{r:#}");
    assert!(state["clash"].as_array().unwrap().is_empty(), "{r:#}");
    assert_eq!(
        state["mineDays"],
        serde_json::json!(["donderdag 10 september 2026", "vrijdag 11 september 2026"])
    );
    // The downloaded calendar has both days' events, as the build wrote them.
    let mine_ics = std::fs::read_to_string(files.path().join("mijn-programma.ics")).unwrap();
    let uids: Vec<String> = events(&mine_ics)
        .iter()
        .map(|e| value(e, "UID").to_string())
        .collect();
    assert_eq!(
        uids,
        [
            "2026-09-10-den-bosch-pijler-fysiek-2026@www.g40stedennetwerk.nl",
            "2026-09-10-den-bosch-verkiezingen-2026@www.g40stedennetwerk.nl"
        ]
    );
    // At 11.00 on the second day: the elections, then lunch, for everyone.
    let now = &r["clock"]["now"];
    let everyone = now
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p[0] == "Voor iedereen")
        .unwrap_or_else(|| panic!("{now:#}"));
    assert_eq!(
        everyone[1],
        "Nu: Verkiezing van voorzitter, vicevoorzitters en pijlervoorzitters (10.45–12.15 uur) Straks: Lunch (12.15–13.15 uur)"
    );
    // The first day's rooms are not listed on the second.
    assert!(!now.to_string().contains("Burgerzaal"), "{now:#}");
}
