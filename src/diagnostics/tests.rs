//! Tests of diagnostics: how they print, and the messages made from YAML errors.

use super::yaml::{blank_field, describe_path};
use super::*;

#[test]
fn renders_like_rustc() {
    let d = Diagnostic::new("content/a.md", "missing field `title`")
        .at("---\ntitel: x\n---\n", 2, 1)
        .hint("did you mean `title`?");
    let text = d.render(false);
    assert!(text.starts_with("error: missing field `title`\n"));
    assert!(text.contains("--> content/a.md:2:1"));
    assert!(text.contains("2 | titel: x"));
    assert!(text.contains("  | ^"));
    assert!(text.contains("= hint: did you mean `title`?"));
}

#[test]
fn control_characters_in_diagnostics_are_escaped() {
    let target = "x\u{1b}[2J\u{1b}[H\rBuilt 9 pages\u{202e}.md";
    let d = Diagnostic::new(
        "content/a\u{1b}[31m.md",
        format!("link to `{target}`: there is no such content file"),
    )
    .at(&format!("Zie [x]({target}).\n"), 1, 9)
    .hint(format!("looked for content/{target}\nnext line"));
    for color in [false, true] {
        let text = d.render(color);
        // Only the renderer's own colour codes, none from the input.
        let mut rest = text.clone();
        for own in ["\u{1b}[1;31m", "\u{1b}[1;34m", "\u{1b}[1m", "\u{1b}[0m"] {
            rest = rest.replace(own, "");
        }
        assert!(!rest.contains('\u{1b}'), "{rest:?}");
        assert!(
            !text.contains("\u{1b}[2J") && !text.contains('\r') && !text.contains('\u{202e}'),
            "{text:?}"
        );
        assert!(
            text.contains("\\u{1b}[2J\\u{1b}[H\\u{d}Built 9 pages\\u{202e}.md"),
            "{text}"
        );
    }
    let plain = d.render(false);
    assert!(plain.contains("--> content/a\\u{1b}[31m.md:1:9"), "{plain}");
    // The caret stays under the `x` the column points at.
    assert!(plain.contains("1 | Zie [x](x\\u{1b}"), "{plain}");
    let quoted = plain.lines().find(|l| l.contains("1 | Zie")).unwrap();
    let caret = plain.lines().find(|l| l.trim_end().ends_with('^')).unwrap();
    assert_eq!(
        quoted.find("x\\u").unwrap(),
        caret.find('^').unwrap(),
        "{plain}"
    );
    // A hint keeps its own line break.
    assert!(plain.contains("\\u{202e}.md\nnext line"), "{plain}");
    assert_eq!(printable("a\tb\nc"), "a\tb\\u{a}c");
    assert_eq!(printable_text("a\nc"), "a\nc");
}

#[test]
fn long_lines_are_quoted_around_the_column() {
    let line = format!("{}FOUT{}", "a".repeat(5000), "b".repeat(5000));
    let d = Diagnostic::new("a.yaml", "x").at(&line, 1, 5001);
    let text = d.render(false);
    let quoted = text.lines().find(|l| l.starts_with("1 |")).unwrap();
    let caret = text.lines().find(|l| l.ends_with('^')).unwrap();
    assert!(
        quoted.len() < 200 && quoted.starts_with("1 | …") && quoted.contains("aaaFOUTbbb"),
        "{quoted}"
    );
    assert_eq!(
        quoted.chars().nth(caret.chars().count() - 1),
        Some('F'),
        "{text}"
    );
    // Short lines are quoted whole.
    assert_eq!(window("abc", 2), ("abc".to_string(), 2));
}

#[test]
fn many_errors_are_summed_up() {
    let mut all = Diagnostics::default();
    for i in 0..250 {
        let file = if i < 200 {
            "content/a.yaml"
        } else {
            "content/b.md"
        };
        all.push(Diagnostic::new(file, format!("fout {i}")));
    }
    let text = all.render(false);
    assert_eq!(text.matches("error: fout").count(), MAX_SHOWN);
    assert!(
        text.contains(
            "... and 150 more errors, not shown (100 in content/a.yaml, 50 in content/b.md)"
        ),
        "{text}"
    );
}

#[test]
fn invalid_dates_are_found_where_they_are_written() {
    let message = "invalid date `2023-02-30`: that day does not exist";
    let text = "title: X\nbesluit:\n  datum: 2023-02-30\nroles:\n  - id: a\n    date: 2023-02-30\ndate: 1\n";
    let value = |from_line| invalid_date_position(message, None, text, DateAt::Value { from_line });
    assert_eq!(value(1), Some((3, 10)));
    assert_eq!(value(3), Some((6, 11)));
    assert_eq!(value(6), None);
    let key = |line, list| invalid_date_position(message, line, text, DateAt::Key { list });
    assert_eq!(key(Some(5), Some("roles")), Some((6, 5)));
    assert_eq!(key(Some(2), Some("roles")), Some((7, 1)), "not in a role");
    assert_eq!(key(Some(5), None), Some((7, 1)));
    assert_eq!(
        invalid_date_position(message, None, "title: X\n", DateAt::Key { list: None }),
        Some((1, 1))
    );
    assert_eq!(
        invalid_date_position("unknown field `x`", None, text, DateAt::Key { list: None }),
        None
    );
}

#[test]
fn warnings_say_so() {
    let d = Diagnostic::new("content/a.md", "a second h1")
        .at("---\ntitle: x\n---\n# Kop\n", 4, 1)
        .warning();
    assert!(d.is_warning());
    assert!(d.render(false).starts_with("warning: a second h1\n"));
}

#[test]
fn a_field_and_what_is_indented_under_it_are_blanked() {
    let mut text = "a: 1\nfout:\n  - x\n\n  - y\nb: 2\n".to_string();
    assert!(blank_field(&mut text, 2, 1));
    assert_eq!(text, "a: 1\n\n\n\n\nb: 2\n");
    let mut item = "s:\n  - fout: 1\n    title: x\n".to_string();
    assert!(blank_field(&mut item, 2, 5));
    assert_eq!(item, "s:\n  - \n    title: x\n");
    let mut flow = "s: { fout: 1 }\n".to_string();
    assert!(!blank_field(&mut flow, 1, 6));
}

#[test]
fn places_in_lists_are_counted_from_one_and_named() {
    let yaml = "sessions:\n  - title: Opening\n  - time: \"9.30\"\n    title: \"Lunch\"\n";
    assert_eq!(
        describe_path("sessions[1]", yaml).as_deref(),
        Some("session 2 (“Lunch”)")
    );
    assert_eq!(
        describe_path("sessions[0].speakers[2]", yaml).as_deref(),
        Some("speaker 3 of session 1 (“Opening”)")
    );
    assert_eq!(describe_path("draft", yaml), None);
    assert_eq!(describe_path("roles[0]", yaml), None);
}

#[test]
fn every_unknown_field_at_once() {
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        #[serde(default)]
        date: Option<String>,
    }
    let text = "title: x\ntitel: y\ndatum:\n  - 1\nzaal: 3\n";
    let errors = parse_yaml::<T>(Path::new("a.yaml"), text, text, 0).unwrap_err();
    let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [Some(2), Some(3), Some(5)]);
    assert_eq!(errors[1].hint.as_deref(), Some("did you mean `date`?"));
}

#[test]
fn a_value_of_the_wrong_type_is_said_plainly() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct T {
        title: String,
        #[serde(default)]
        weight: Option<i64>,
    }
    let text = "title: [concept] Verslag\n";
    let e = &parse_yaml::<T>(Path::new("a.md"), text, text, 0).unwrap_err()[0];
    assert_eq!(e.message, "`title` must be text, not a list");
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .contains("`title: \"[concept] Verslag\"`"),
        "{e:?}"
    );
    let text = "title: x\nweight: tien\n";
    let e = &parse_yaml::<T>(Path::new("a.md"), text, text, 0).unwrap_err()[0];
    assert_eq!(e.message, "`weight` must be a whole number, not text");
    assert_eq!(e.line, Some(2));
}

#[test]
fn suggests_nearest_or_lists() {
    assert_eq!(nearest("titel", ["title", "date"]), Some("title"));
    assert_eq!(nearest("zzz", ["title", "date"]), None);
    assert_eq!(
        suggest("zaal6", &["zaal1", "zaal2"], "rooms"),
        "did you mean `zaal1`?"
    );
    assert_eq!(suggest("q", &["a", "b"], "rooms"), "valid rooms: `a`, `b`");
}
