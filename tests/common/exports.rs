//! Reading the exports back the way their consumers do: `.ics` with the
//! `ical` crate, `schedule.json` with serde_json and the c3voc JSON
//! Schema, `schedule.xml` with xmllint (well-formedness, the frab XSD,
//! XPath). Shared by the editor-path and hardening export tests (`common::exports`).

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::Fixture;
use crate::common::browser::tool;

/// One calendar event: property name → values, unescaped (RFC 5545).
pub type Event = BTreeMap<String, Vec<String>>;

/// The events of a `.ics` file, parsed by a real iCalendar parser, after
/// checking RFC 5545's framing (CRLF only, no line over 75 octets).
pub fn events(text: &str) -> Vec<Event> {
    assert!(text.ends_with("\r\n"), "no CRLF at the end");
    for line in text.split("\r\n") {
        assert!(!line.contains(['\n', '\r']), "bare line break in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let mut calendars = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let cal = calendars
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("not valid iCalendar: {e}\n{text}"));
    assert!(calendars.next().is_none(), "one calendar per file");
    cal.events
        .into_iter()
        .map(|e| {
            let mut map = Event::new();
            for p in e.properties {
                map.entry(p.name)
                    .or_default()
                    .push(unescape(&p.value.unwrap_or_default()));
            }
            map
        })
        .collect()
}

/// Every property name of every component of a `.ics` file (calendar,
/// time zone, events), unfolded: what a calendar app would act on.
pub fn property_names(text: &str) -> Vec<String> {
    text.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split([':', ';']).next().unwrap_or("").to_string())
        .collect()
}

/// The one value of property `name` of `event`.
pub fn value<'a>(event: &'a Event, name: &str) -> &'a str {
    match event.get(name).map(Vec::as_slice) {
        Some([v]) => v,
        other => panic!("{name}: {other:?} in {event:#?}"),
    }
}

/// A property value unescaped as RFC 5545 says (`\n`, `\,`, `\;`, `\\`).
pub fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(c) => out.push(c),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The c3voc JSON Schema for `schedule.json` (tests/standards/).
pub fn schedule_validator() -> jsonschema::Validator {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/standards/c3voc-schedule.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

/// frab's XSD for `schedule.xml` (tests/standards/).
pub fn frab_xsd() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/standards/frab-schedule.xml.xsd")
}

/// `schedule.json` parsed, and valid against the c3voc JSON Schema.
pub fn schedule(text: &str) -> serde_json::Value {
    let value: serde_json::Value = serde_json::from_str(text).expect("schedule.json is JSON");
    let validator = schedule_validator();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "schedule.json is not valid:\n{}",
        errors.join("\n")
    );
    value
}

/// Every event of a `schedule.json`, in room order.
pub fn schedule_events(schedule: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for day in schedule["schedule"]["conference"]["days"]
        .as_array()
        .unwrap()
    {
        for events in day["rooms"].as_object().unwrap().values() {
            out.extend(events.as_array().unwrap().iter().cloned());
        }
    }
    out
}

/// xmllint, or `None` when it is not installed (a panic in CI).
pub fn xmllint() -> Option<PathBuf> {
    tool("xmllint", "libxml2-utils")
}

/// Assert that `file` is well-formed XML and valid against frab's XSD.
pub fn assert_valid_xml(xmllint: &Path, file: &Path) {
    let out = Command::new(xmllint)
        .arg("--noout")
        .arg("--schema")
        .arg(frab_xsd())
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} is not valid:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Assert that `file` is well-formed XML (no schema).
pub fn assert_well_formed(xmllint: &Path, file: &Path) {
    let out = Command::new(xmllint)
        .arg("--noout")
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} is not well-formed:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The text of XPath `expr` in `file` (xmllint's `string(...)`).
pub fn xpath(xmllint: &Path, file: &Path, expr: &str) -> String {
    let out = Command::new(xmllint)
        .arg("--xpath")
        .arg(expr)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "xpath {expr} on {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // Newer xmllint versions end the result with a line break.
    text.strip_suffix('\n').map(str::to_string).unwrap_or(text)
}

/// Save a file as many editors do: write a temporary file next to it,
/// then rename it over the old one.
pub fn save(site: &Fixture, rel: &str, text: &str) {
    let path = site.root().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let tmp = path.with_extension("tmp~");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

/// `g40site build` in the site folder; panics with its output on failure.
pub fn build(site: &Fixture) {
    let out = site.run(&["build"]);
    assert!(
        out.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file under `dir` whose name ends in one of `exts`, with its text.
pub fn files_ending(dir: &Path, exts: &[&str]) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| exts.iter().any(|x| e.path().to_string_lossy().ends_with(x)))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), text)
        })
        .collect();
    files.sort();
    files
}
