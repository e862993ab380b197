//! Markdown (headings): `{#id .class}` attributes, unique ids and the
//! plain text of a heading, for its id and the table of contents.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel};

use super::{Context, locate};

use crate::diagnostics::Diagnostic;

/// What may follow a heading in `{...}`: an id and classes, each made of
/// [`is_safe_name`] characters. They are written into attributes without
/// passing the sanitiser, so anything else is refused with a located error
/// (and dropped, should the error be ignored).
#[derive(Default)]
pub(super) struct HeadingAttributes {
    pub(super) id: Option<String>,
    pub(super) classes: Vec<String>,
}

pub(super) fn heading_attributes(
    id: Option<CowStr>,
    classes: Vec<CowStr>,
    attrs: Vec<(CowStr, Option<CowStr>)>,
    cx: &Context,
    text: &str,
    offset: usize,
    errors: &mut Vec<Diagnostic>,
) -> HeadingAttributes {
    let mut error = |message: String, hint: &str| {
        let (line, column) = locate(cx, text, offset, "{");
        errors.push(
            Diagnostic::new(cx.file, message)
                .at(cx.file_text, line, column)
                .hint(hint),
        );
    };
    const HINT: &str = "write it like `## Kop {#inleiding}` or `## Kop {.klasse}`; without `{#...}` the id is made from the heading's text";
    let mut out = HeadingAttributes::default();
    if let Some(id) = id {
        if is_safe_name(&id) {
            out.id = Some(id.to_string());
        } else {
            error(
                format!(
                    "heading id `{}` may only contain letters a-z, digits, `-` and `_`",
                    shown(&id)
                ),
                HINT,
            );
        }
    }
    for class in classes {
        if is_safe_name(&class) {
            out.classes.push(class.to_string());
        } else {
            error(
                format!(
                    "heading class `{}` may only contain letters a-z, digits, `-` and `_`",
                    shown(&class)
                ),
                HINT,
            );
        }
    }
    if let Some((key, _)) = attrs.first() {
        error(
            format!(
                "heading attribute `{}`: only an id (`{{#id}}`) and classes (`{{.klasse}}`) can follow a heading",
                shown(key)
            ),
            HINT,
        );
    }
    out
}

/// `s` for an error message, control characters (terminal escapes)
/// written out.
pub(super) fn shown(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// An id or class name that is safe in any attribute and in a URL
/// fragment: ASCII letters, digits, `-` and `_`, not empty.
pub(crate) fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub(super) fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The visible text of a run of inline events (for ids and the TOC).
pub(super) fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// Ids already given out, and per base the last number tried, so that a
/// text with thousands of equal headings stays linear.
#[derive(Default)]
pub(super) struct UsedIds {
    ids: HashSet<String>,
    next: HashMap<String, usize>,
}

pub(super) fn unique_id(base: &str, used: &mut UsedIds) -> String {
    let mut id = base.to_string();
    let n = used.next.entry(base.to_string()).or_insert(1);
    while !used.ids.insert(id.clone()) {
        *n += 1;
        id = format!("{base}-{n}");
    }
    id
}
