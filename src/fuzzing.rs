//! Entry points for the fuzz targets in `fuzz/` and for the regression test
//! that replays the inputs they found (`tests/suite/fuzz_regressions.rs`).
//!
//! Each function takes arbitrary bytes, runs one stage of the pipeline on
//! them and checks the stage's promises: no panic, and the properties noted
//! per function. A broken promise panics, which is what a fuzzer reports.
#![doc(hidden)]

use std::path::{Path, PathBuf};

use crate::document::times::{self, DurationText, Time, TimeText};
use crate::markdown;
use crate::render::programme::grid::{self, Cell, Slot};
use crate::source::{self, SourceFile, SourceKind};

/// Front matter splitting and parsing of a Markdown file, from its raw
/// bytes (so BOMs, CRLF and invalid UTF-8 are covered): every error is
/// located inside the file and renders without panicking.
pub fn frontmatter(data: &[u8]) {
    let path = Path::new("content/notas/a.md");
    let text = match source::decode_text(path, data.to_vec()) {
        Ok(t) => t,
        Err(d) => {
            let _ = d.to_string();
            return;
        }
    };
    let lines = text.lines().count().max(1);
    if let Ok(split) = crate::document::frontmatter::split(path, &text) {
        // The pieces are the file's own text, in order, at the lines claimed.
        let body_start = text.len() - split.body.len();
        assert_eq!(split.yaml_first_line, 2);
        assert_eq!(
            split.body_first_line,
            text[..body_start].matches('\n').count()
                + 1
                + usize::from(!text[..body_start].ends_with('\n')),
            "body line of {text:?}"
        );
    }
    let file = SourceFile {
        path: PathBuf::from(path),
        rel: "notas/a.md".into(),
        kind: SourceKind::Markdown,
        text: text.into(),
        bytes: Vec::new(),
    };
    if let Err(errors) = crate::document::parse_markdown(&file) {
        for d in errors {
            assert!(
                d.line.is_none_or(|l| l <= lines + 1),
                "error outside the file: {d}"
            );
            let _ = d.to_string();
        }
    }
}

/// Clock times and durations as editors write them: results are in range
/// and a parsed time reads back the same from its own Dutch and ISO forms.
pub fn times(data: &[u8]) {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let check = |t: Time| {
        assert!(t.minutes() <= 24 * 60);
        for shown in [t.dutch(), t.iso()] {
            assert_eq!(
                times::parse_time(&TimeText::Text(shown.clone())),
                Ok(t),
                "{shown}"
            );
        }
    };
    for text in [TimeText::Text(s.into()), TimeText::Number(s.into())] {
        if let Ok(t) = times::parse_time(&text) {
            check(t);
        }
        if let Ok((start, end)) = times::parse_span(&text) {
            check(start);
            if let Some(end) = end {
                check(end);
            }
        }
    }
    if let Ok(m) = times::parse_duration(&DurationText::Text(s.into())) {
        assert!((1..=24 * 60).contains(&m));
    }
    if data.len() >= 8 {
        let n = i64::from_le_bytes(data[..8].try_into().unwrap());
        if let Ok(m) = times::parse_duration(&DurationText::Minutes(n)) {
            assert!((1..=24 * 60).contains(&m));
        }
    }
}

/// The programme grid from arbitrary sessions (also overlapping, reversed
/// or out-of-range ones, which validation normally rejects): every row
/// covers each room exactly once, counting cells spanned from rows above,
/// and no span leaves the grid.
pub fn grid(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let columns = usize::from(first % 9);
    let time = |a: u8, b: u8| Time::from_minutes(u16::from_le_bytes([a, b]) % (24 * 60 + 1));
    let slots: Vec<Slot> = rest
        .chunks_exact(6)
        .take(200)
        .filter_map(|c| {
            let start = time(c[0], c[1])?;
            let end = if c[3] & 0x80 != 0 {
                None
            } else {
                time(c[2], c[3] & 0x7f)
            };
            let from = usize::from(c[4] % 10);
            let len = usize::from(c[5] % 10);
            Some(Slot {
                start,
                end,
                rooms: from..from + len,
            })
        })
        .collect();
    let rows = grid::derive(&slots, columns);
    let mut taken = vec![vec![false; columns]; rows.len()];
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            let prev = &rows[r - 1];
            assert!(
                (prev.start, prev.end.is_some(), prev.end)
                    < (row.start, row.end.is_some(), row.end)
            );
        }
        for cell in &row.cells {
            let (column, rowspan, colspan) = match *cell {
                Cell::Empty { column } => (column, 1, 1),
                Cell::AllDay { column, rowspan } => (column, rowspan, 1),
                Cell::Session {
                    session,
                    rowspan,
                    colspan,
                    column,
                } => {
                    assert!(session < slots.len());
                    assert!(rowspan >= 1 && colspan >= 1);
                    (column, rowspan, colspan)
                }
            };
            assert!(
                r + rowspan <= rows.len() && column + colspan <= columns,
                "span leaves the grid"
            );
            for row in &mut taken[r..r + rowspan] {
                for cell in &mut row[column..column + colspan] {
                    assert!(!*cell, "cell covered twice");
                    *cell = true;
                }
            }
        }
        assert!(
            taken[r].iter().all(|&t| t),
            "row {r} leaves a room uncovered"
        );
    }
}

/// Markdown rendering, as plain text and as a chapter (ids prefixed,
/// headings shifted, content links resolved): no panic, and with raw HTML
/// not allowed, nothing that runs script survives.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = Path::new("content/jaarverslag/2023/02-x.md");
    let plain = markdown::render(text, &markdown::Context::plain(file));
    assert_no_script(&plain.html);
    let resolve = |p: &str| p.starts_with("jaarverslag/").then(|| format!("/{p}/"));
    let chapter = markdown::Context {
        file,
        file_text: text,
        first_line: 1,
        rel: "jaarverslag/2023/02-x.md",
        resolve: Some(&resolve),
        id_prefix: "h2-",
        heading_offset: 1,
        unsafe_html: false,
        site_url: Some("https://www.g40stedennetwerk.nl"),
        ui: None,
    };
    let r = markdown::render(text, &chapter);
    assert_no_script(&r.html);
    for e in r.errors {
        let _ = e.to_string();
    }
}

/// Panics if `html` could run script in a browser.
pub fn assert_no_script(html: &str) {
    if let Some(why) = crate::util::html::script_in(html) {
        panic!("script survived ({why}) in:\n{html}");
    }
}

/// Heading attributes (`## Kop {#id .klasse key=value}`): arbitrary text
/// goes between the braces, and also as a whole heading line. Every
/// heading tag and its anchor link must come out with only the
/// attributes `g40site` writes (`id`, `class`; `class` and `href` on the
/// anchor), each made of safe characters, the anchor pointing at the id;
/// raw HTML elsewhere in the text may still be there, and is sanitised.
pub fn headings(data: &[u8]) {
    let Ok(attributes) = std::str::from_utf8(data) else {
        return;
    };
    let file = Path::new("content/a.md");
    let attributes = attributes.replace(['\n', '\r'], " ");
    for text in [
        format!("## Kop {{{attributes}}}\n\nTekst.\n"),
        format!("# {attributes}\n"),
        format!("Kop\n---\n\n### Twee {{#{attributes}}}\n"),
    ] {
        for prefix in ["", "h2-"] {
            let cx = markdown::Context {
                id_prefix: prefix,
                heading_offset: 1,
                ..markdown::Context::plain(file)
            };
            let r = markdown::render(&text, &cx);
            assert_no_script(&r.html);
            assert_heading_attributes(&r.html, text.contains('<'));
            for h in &r.toc {
                assert!(safe_id(&h.id, prefix), "toc id {:?}", h.id);
            }
            for e in r.errors {
                let _ = e.to_string();
            }
        }
    }
}

fn safe_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .is_some_and(crate::markdown::is_safe_name)
}

/// Panics unless every `<h1>`..`<h6>` start tag in `html` has only an
/// `id` and perhaps a `class`, of safe characters, followed by its anchor
/// link to that id.
fn assert_heading_attributes(html: &str, raw_html: bool) {
    let mut rest = html;
    while let Some(i) = rest.find("<h") {
        rest = &rest[i + 2..];
        if !rest.starts_with(|c: char| ('1'..='6').contains(&c)) {
            continue;
        }
        let (attributes, after) = tag_attributes(&rest[1..]);
        let names: Vec<&str> = attributes.iter().map(|(n, _)| n.as_str()).collect();
        assert!(
            names == ["id"] || names == ["id", "class"],
            "heading attributes {attributes:?} in:\n{html}"
        );
        let id = &attributes[0].1;
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "heading id {id:?}"
        );
        if let Some((_, class)) = attributes.get(1) {
            assert!(
                class.split(' ').all(crate::markdown::is_safe_name),
                "heading class {class:?}"
            );
        }
        // The anchor link at the end of the heading (unless raw HTML in
        // the heading, such as an unclosed `<script>`, made the sanitiser
        // drop the rest of it).
        let end = after.find("</h").unwrap_or(after.len());
        let Some(anchor) = after[..end].find("<a class=\"heading-anchor\"") else {
            assert!(raw_html, "no anchor in:\n{html}");
            continue;
        };
        let (anchor, _) = tag_attributes(&after[anchor + 2..]);
        assert_eq!(
            anchor,
            [
                ("class".to_string(), "heading-anchor".to_string()),
                ("href".to_string(), format!("#{id}"))
            ],
            "anchor of heading {id:?}"
        );
    }
}

/// The attributes of the start tag whose name begins `rest`, read the
/// way a browser tokenises them (names lowercased, values unquoted; `&`
/// references left as they are), and the text after the tag.
pub fn tag_attributes(rest: &str) -> (Vec<(String, String)>, &str) {
    let b = rest.as_bytes();
    let mut i = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    let mut out = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return (out, &rest[(i + 1).min(rest.len())..]);
        }
        let start = i;
        i += 1; // a first `=` belongs to the name
        while i < b.len() && !(b[i].is_ascii_whitespace() || matches!(b[i], b'/' | b'>' | b'=')) {
            i += 1;
        }
        let name = rest[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = rest[i + 1..]
                        .find(q as char)
                        .map_or(rest.len(), |e| i + 1 + e);
                    value = rest[i + 1..end].to_string();
                    i = (end + 1).min(b.len());
                }
                _ => {
                    let end = rest[i..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(rest.len(), |e| i + e);
                    value = rest[i..end].to_string();
                    i = end;
                }
            }
        }
        out.push((name, value));
    }
}
