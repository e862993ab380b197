//! Util: find where a key or value sits in a YAML text.
//!
//! serde reports the line and column of a YAML error only while it is
//! deserialising. Checks made afterwards (an `fte` out of range, a duplicate
//! id, an unknown pillar, an invalid date inside a mapping) need the place
//! of the value in the file, and the parsed model no longer has it. This
//! small line scanner finds it again for the block-style YAML editors write
//! (`key: value`, `- ` list items, block scalars, flow mappings such as
//! `{ name: x, email: y }` on one line). When the text has a shape it does
//! not understand it falls back to the nearest enclosing place, never to a
//! wrong file.
//!
//! Every stage that reports on YAML uses it: site.yaml and theme checks
//! ([`find_text`]), front matter ([`front_matter_key`]), role sets
//! ([`YamlLocator`]), programmes ([`ItemFields`], built once per file for
//! lists of thousands of sessions), and the messages made from serde's
//! errors. Positions are 1-based lines and columns counted in characters.

use std::ops::Range;

/// Locates keys and list items in one YAML text.
pub(crate) struct YamlLocator<'a> {
    lines: Vec<&'a str>,
}

/// Where each line of a text starts, so that a line is found without
/// scanning the text from the start (a programme of 10,000 sessions looks
/// up a line per session).
#[derive(Debug, Clone, Default)]
pub(crate) struct LineStarts(Vec<usize>);

impl LineStarts {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts(starts)
    }

    /// The lines of `text` from 1-based line `first` on: the same as
    /// `text.lines().skip(first - 1)`, without the skipping.
    pub(crate) fn lines_from<'t>(&self, text: &'t str, first: usize) -> std::str::Lines<'t> {
        let start = self
            .0
            .get(first.saturating_sub(1))
            .copied()
            .unwrap_or(text.len())
            .min(text.len());
        text.get(start..).unwrap_or("").lines()
    }
}

/// A 1-based line and column (in characters), as a diagnostic's `at` takes them.
pub(crate) type Position = (usize, usize);

impl<'a> YamlLocator<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        YamlLocator {
            lines: text.lines().collect(),
        }
    }

    /// All lines (0-based, end exclusive).
    #[cfg(test)]
    pub(crate) fn all(&self) -> Range<usize> {
        0..self.lines.len()
    }

    /// The line ranges (0-based) of the items of the top-level list `key`
    /// (`roles:` followed by `- ...` items). Empty when `key` is missing or
    /// written as a flow list.
    pub(crate) fn list_items(&self, key: &str) -> Vec<Range<usize>> {
        let Some(key_line) = self.top_level_line(key) else {
            return Vec::new();
        };
        self.items_after(key_line, self.lines.len())
    }

    /// The items of the list `key` written inside the list item on
    /// `item` (0-based lines): the sessions of one of a programme's
    /// `days:`. Empty when the item has no such block list.
    pub(crate) fn nested_list_items(&self, item: Range<usize>, key: &str) -> Vec<Range<usize>> {
        let end = item.end.min(self.lines.len());
        let Some(first) = self.lines.get(item.start) else {
            return Vec::new();
        };
        // The item's own keys sit where its first key starts (after `- `).
        let column = first.len() - first.trim_start().trim_start_matches("- ").len();
        let pattern = format!("{key}:");
        let found = (item.start..end).find(|&i| {
            let line = self.lines[i];
            let content = line.trim_start().trim_start_matches("- ");
            line.len() - content.len() == column && content.starts_with(&pattern)
        });
        match found {
            Some(key_line) => self.items_after(key_line, end),
            None => Vec::new(),
        }
    }

    /// The list items that follow the key on line `key_line`, up to line
    /// `limit` (exclusive).
    fn items_after(&self, key_line: usize, limit: usize) -> Vec<Range<usize>> {
        let mut items: Vec<Range<usize>> = Vec::new();
        let mut item_indent: Option<usize> = None;
        let mut end = limit;
        for (i, line) in self.lines.iter().enumerate().take(limit).skip(key_line + 1) {
            let content = line.trim_start();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let ind = indent(line);
            let is_item = content == "-" || content.starts_with("- ");
            match item_indent {
                None if is_item => {
                    item_indent = Some(ind);
                    items.push(i..i + 1);
                }
                None => {
                    end = i;
                    break;
                }
                Some(n) if ind < n || (ind == n && !is_item) => {
                    end = i;
                    break;
                }
                Some(n) if ind == n => items.push(i..i + 1),
                Some(_) => {}
            }
        }
        // Each item runs until the next one (or the end of the list).
        let starts: Vec<usize> = items.iter().map(|r| r.start).collect();
        for (n, item) in items.iter_mut().enumerate() {
            item.end = starts.get(n + 1).copied().unwrap_or(end);
        }
        // Trailing blank and comment lines belong to nobody.
        for item in items.iter_mut() {
            while item.end > item.start + 1 && {
                let l = self.lines[item.end - 1].trim_start();
                l.is_empty() || l.starts_with('#')
            } {
                item.end -= 1;
            }
        }
        items
    }

    /// [`Self::list_items`] as 1-based, inclusive line ranges `(first,
    /// last)`, as [`ItemFields`] takes them.
    pub(crate) fn list_item_lines(&self, key: &str) -> Vec<(usize, usize)> {
        self.list_items(key)
            .into_iter()
            .map(|r| (r.start + 1, r.end))
            .collect()
    }

    /// The line range (0-based) of the top-level key `key` itself (one
    /// line; empty at the start when there is no such key).
    pub(crate) fn key_range(&self, key: &str) -> Range<usize> {
        match self.top_level_line(key) {
            Some(i) => i..i + 1,
            None => 0..0,
        }
    }

    /// Like [`YamlLocator::key`], with the first key at the top level of
    /// the document (not a key of the same name inside a list item).
    pub(crate) fn top_level_key(&self, keys: &[&str]) -> Position {
        let Some((first, rest)) = keys.split_first() else {
            return (1, 1);
        };
        match self.top_level_line(first) {
            Some(i) if rest.is_empty() => (i + 1, 1),
            Some(i) => {
                let (l, c) = self.key(i..self.lines.len(), keys);
                (l, c)
            }
            None => (1, 1),
        }
    }

    /// The line (0-based) of the top-level key `key`: the first line that
    /// starts with `key:` without indentation.
    pub(crate) fn top_level_line(&self, key: &str) -> Option<usize> {
        self.lines
            .iter()
            .position(|l| indent(l) == 0 && starts_with_key(l, key))
    }

    /// The position of the last of `keys`, each searched after the one
    /// before it, within `range`: `["support", "fte"]` finds the `fte:` of
    /// the `support:` block. A key that is not found leaves the position at
    /// the last one that was (or at the start of the range).
    pub(crate) fn key(&self, range: Range<usize>, keys: &[&str]) -> Position {
        match self.find_path(range.clone(), keys) {
            Some((line, byte)) => (line + 1, self.lines[line][..byte].chars().count() + 1),
            None => (range.start + 1, self.content_col(range.start) + 1),
        }
    }

    /// The line and byte offset of the last of `keys` found (see [`Self::key`]).
    fn find_path(&self, range: Range<usize>, keys: &[&str]) -> Option<(usize, usize)> {
        let mut pos = (range.start, 0usize);
        let mut found = None;
        for key in keys {
            match self.find_key_from(range.clone(), pos, key) {
                Some(p) => {
                    pos = (p.0, p.1 + key.len());
                    found = Some(p);
                }
                None => break,
            }
        }
        found
    }

    /// The position of the text `value` after key `key` in `range` (e.g. one
    /// id in `themagroepen: [a, b]` or in the list below it); falls back to
    /// the key itself.
    pub(crate) fn value(&self, range: Range<usize>, key: &str, value: &str) -> Position {
        let Some((kl, kb)) = self.find_path(range.clone(), &[key]) else {
            return self.key(range, &[key]);
        };
        let key_indent = indent(self.lines[kl]);
        for i in kl..range.end.min(self.lines.len()) {
            let line = self.lines[i];
            if i > kl && !line.trim().is_empty() && indent(line) <= key_indent {
                let c = line.trim_start();
                if !c.starts_with("- ") || indent(line) < key_indent {
                    break;
                }
            }
            let from = if i == kl { kb + key.len() } else { 0 };
            if let Some(off) = line.get(from..).and_then(|rest| find_word(rest, value)) {
                let byte = from + off;
                return (i + 1, line[..byte].chars().count() + 1);
            }
        }
        (kl + 1, self.lines[kl][..kb].chars().count() + 1)
    }

    /// The plain value written after the key at `position` (as found by
    /// [`Self::key`]), unquoted, up to a `,`, `}` or comment: the `title`
    /// or `id` that names a list item in a message. `None` when the key is
    /// not there or has no value on its line.
    pub(crate) fn scalar_at(&self, position: Position, key: &str) -> Option<String> {
        let (line, col) = position;
        let l = self.lines.get(line.checked_sub(1)?)?;
        let byte = l.char_indices().nth(col.checked_sub(1)?)?.0;
        let value = l[byte..].strip_prefix(key)?.strip_prefix(':')?;
        let value = value
            .split([',', '}', '#'])
            .next()?
            .trim()
            .trim_matches(['"', '\'']);
        (!value.is_empty()).then(|| value.to_string())
    }

    /// The column (0-based, in chars) where the content of line `i` starts.
    fn content_col(&self, i: usize) -> usize {
        self.lines
            .get(i)
            .map(|l| {
                let c = l.trim_start();
                let c = c.strip_prefix("- ").unwrap_or(c).trim_start();
                l.chars().count() - c.chars().count()
            })
            .unwrap_or(0)
    }

    /// Find `key:` as a mapping key at or after `from` (line, byte offset),
    /// skipping the content of block scalars (`|`, `>`). Returns the line
    /// and the byte offset of the key.
    fn find_key_from(
        &self,
        range: Range<usize>,
        from: (usize, usize),
        key: &str,
    ) -> Option<Position> {
        let mut scalar_indent: Option<usize> = None;
        for i in range.start..range.end.min(self.lines.len()) {
            let line = self.lines[i];
            let ind = indent(line);
            if let Some(s) = scalar_indent {
                if line.trim().is_empty() || ind > s {
                    continue;
                }
                scalar_indent = None;
            }
            if i < from.0 {
                if opens_block_scalar(line) {
                    scalar_indent = Some(key_indent(line));
                }
                continue;
            }
            let start = if i == from.0 { from.1 } else { 0 };
            let mut search = start.min(line.len());
            if !line.is_char_boundary(search) {
                continue;
            }
            while let Some(off) = line[search..].find(key) {
                let at = search + off;
                let before = line[..at].trim_end_matches(' ');
                let key_position = before.is_empty()
                    || before.trim_start().chars().all(|c| c == '-' || c == ' ')
                    || before.ends_with('{')
                    || before.ends_with(',');
                if key_position && line[at + key.len()..].starts_with(':') {
                    return Some((i, at));
                }
                search = at + key.len();
            }
            if opens_block_scalar(line) {
                scalar_indent = Some(key_indent(line));
            }
        }
        None
    }
}

/// The first place where `needle` is written, on line `skip + 1` or
/// later: for a value or key named in a message (`theme:`, an unknown
/// `kind`, the value of a failed date) when nothing better is known.
pub(crate) fn find_text(text: &str, needle: &str, skip: usize) -> Option<Position> {
    text.lines().enumerate().skip(skip).find_map(|(i, line)| {
        line.find(needle)
            .map(|col| (i + 1, line[..col].chars().count() + 1))
    })
}

/// The first line of `text` on which `key:` comes first, after indentation
/// only (a key of any depth, not a list item): front matter fields.
pub(crate) fn front_matter_key(text: &str, key: &str) -> Option<Position> {
    let pattern = format!("{key}:");
    for (i, l) in text.lines().enumerate() {
        if let Some(col) = l.find(&pattern)
            && l[..col].trim().is_empty()
        {
            return Some((i + 1, l[..col].chars().count() + 1));
        }
    }
    None
}

/// A YAML text with its line index, to find the fields of one list item
/// without scanning the text from the start (a programme of 10,000
/// sessions looks up a line per session). Items are given as 1-based,
/// inclusive line ranges `(first, last)`, as [`YamlLocator::list_items`]
/// finds them.
#[derive(Clone, Copy)]
pub(crate) struct ItemFields<'a> {
    pub text: &'a str,
    pub starts: &'a LineStarts,
}

impl ItemFields<'_> {
    /// Line and column of field `key` within an item's lines, if written
    /// there: as a block key (`key:`, `- key:`) or inside a flow mapping
    /// (`- { time: 9.30, ... }`).
    pub(crate) fn field(&self, item: (usize, usize), key: &str) -> Option<Position> {
        let pattern = format!("{key}:");
        let skipped = item.0.saturating_sub(1);
        for (i, line) in self
            .starts
            .lines_from(self.text, item.0)
            .enumerate()
            .map(|(i, l)| (i + skipped, l))
            .take(item.1 + 1 - item.0.min(item.1 + 1))
        {
            let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
            if trimmed.starts_with(&pattern) {
                let col = line.len() - trimmed.len();
                return Some((i + 1, line[..col].chars().count() + 1));
            }
            if let Some(p) = line
                .find(&format!("{{ {pattern}"))
                .or_else(|| line.find(&format!(", {pattern}")))
            {
                let col = p + 2;
                return Some((i + 1, line[..col].chars().count() + 1));
            }
        }
        None
    }

    /// Like [`Self::field`], falling back to the start of the item's
    /// content (after its `- `) when the field is not written there.
    pub(crate) fn field_or_item(&self, item: (usize, usize), key: &str) -> Position {
        self.field(item, key).unwrap_or_else(|| {
            let first = self
                .starts
                .lines_from(self.text, item.0)
                .next()
                .unwrap_or("");
            let col = first.len() - first.trim_start().trim_start_matches("- ").len();
            (item.0, first[..col].chars().count() + 1)
        })
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The indentation a block scalar opened on `line` is measured against:
/// its key's (list markers count as indent), or its dash's for a scalar
/// that is itself a list item (`- >-`).
fn key_indent(line: &str) -> usize {
    let mut n = indent(line);
    let mut dash = n;
    let mut rest = &line[n..];
    while let Some(r) = rest.strip_prefix("- ") {
        dash = n;
        n += 2 + (r.len() - r.trim_start_matches(' ').len());
        rest = r.trim_start_matches(' ');
    }
    if rest.starts_with('|') || rest.starts_with('>') {
        dash
    } else {
        n
    }
}

fn starts_with_key(line: &str, key: &str) -> bool {
    line.trim_start()
        .strip_prefix(key)
        .is_some_and(|r| r.starts_with(':'))
}

/// `intro: |`, `- >-`, `text: |2` ...
fn opens_block_scalar(line: &str) -> bool {
    let l = line.split(" #").next().unwrap_or(line).trim_end();
    let last = l.rsplit([' ', ':']).next().unwrap_or("");
    (l.ends_with(": ") || l.contains(": ") || l.trim_start().starts_with("- ") || l.ends_with(':'))
        && !last.is_empty()
        && (last.starts_with('|') || last.starts_with('>'))
        && last[1..]
            .chars()
            .all(|c| c == '-' || c == '+' || c.is_ascii_digit())
}

/// `value` as a whole word (not part of a longer id) in `text`.
fn find_word(text: &str, value: &str) -> Option<usize> {
    let mut search = 0;
    while let Some(off) = text[search..].find(value) {
        let at = search + off;
        let before = text[..at].chars().next_back();
        let after = text[at + value.len()..].chars().next();
        let is_id_char = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
        if !before.is_some_and(is_id_char) && !after.is_some_and(is_id_char) {
            return Some(at);
        }
        search = at + value.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
kind: roles
title: X
intro: |
  fte: not a key here
roles:
  - id: a
    title: A
    support:
      title: S
      fte: 2
    contact: { name: N, email: bad }
    themagroepen: [europa, veiligheid]

  - id: b
    duties:
      - >-
        id: not this one
    themagroepen:
      - financien
other: 1
";

    #[test]
    fn finds_the_items_of_a_list_inside_a_list_item() {
        let text = "\
days:
  - date: 2026-09-10
    rooms:
      - { id: a, name: A }
    sessions:
      - time: 9.30

      - time: 10.00-11.00
        title: X
  - date: 2026-09-11
    sessions:
    - time: 9.00
other: 1
";
        let l = YamlLocator::new(text);
        let days = l.list_items("days");
        assert_eq!(days, vec![1..9, 9..12]);
        assert_eq!(
            l.nested_list_items(days[0].clone(), "sessions"),
            vec![5..6, 7..9]
        );
        assert_eq!(l.nested_list_items(days[0].clone(), "rooms"), vec![3..4]);
        // Items at the key's own indent, and a day without `rooms`.
        assert_eq!(
            l.nested_list_items(days[1].clone(), "sessions"),
            vec![11..12]
        );
        assert!(l.nested_list_items(days[1].clone(), "rooms").is_empty());
    }

    #[test]
    fn finds_list_items_and_keys() {
        let l = YamlLocator::new(TEXT);
        let items = l.list_items("roles");
        assert_eq!(items, vec![5..12, 13..19]);
        assert_eq!(l.key(items[0].clone(), &["support", "fte"]), (10, 7));
        assert_eq!(l.key(items[0].clone(), &["contact", "email"]), (11, 25));
        assert_eq!(l.key(items[1].clone(), &["id"]), (14, 5));
        assert_eq!(l.key(l.all(), &["fte"]), (10, 7));
        assert_eq!(
            l.value(items[0].clone(), "themagroepen", "veiligheid"),
            (12, 28)
        );
        assert_eq!(
            l.value(items[1].clone(), "themagroepen", "financien"),
            (19, 9)
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "roles:\n  - { naam: Zoë Ünal, email: x, themagroepen: [é, europa] }\n";
        let l = YamlLocator::new(text);
        let items = l.list_items("roles");
        assert_eq!(l.key(items[0].clone(), &["email"]), (2, 23));
        assert_eq!(l.value(items[0].clone(), "themagroepen", "europa"), (2, 51));
        assert_eq!(l.value(items[0].clone(), "themagroepen", "é"), (2, 48));
    }

    #[test]
    fn list_item_lines_are_one_based_and_inclusive() {
        let text = "a: 1\nsessions:\n- x: 1\n  y: |\n    - not an item\n\n- x: 2\n  speakers:\n    - name: A\nnext: 2\n";
        let l = YamlLocator::new(text);
        assert_eq!(l.list_item_lines("sessions"), [(3, 5), (7, 9)]);
        let text = "sessions:\n  - { x: 1 }\n  # comment\n  - x: 2\n";
        let l = YamlLocator::new(text);
        assert_eq!(l.list_item_lines("sessions"), [(2, 2), (4, 4)]);
        assert_eq!(l.top_level_line("sessions"), Some(0));
        assert_eq!(l.top_level_line("x"), None);
    }

    #[test]
    fn scalars_name_items() {
        let l = YamlLocator::new(TEXT);
        let items = l.list_items("roles");
        let id = l.key(items[0].clone(), &["id"]);
        assert_eq!(l.scalar_at(id, "id").as_deref(), Some("a"));
        let email = l.key(items[0].clone(), &["contact", "email"]);
        assert_eq!(l.scalar_at(email, "email").as_deref(), Some("bad"));
        assert_eq!(l.scalar_at((3, 1), "intro").as_deref(), Some("|"));
        assert_eq!(l.scalar_at((1, 1), "title"), None, "not the key there");
        assert_eq!(l.scalar_at((99, 1), "id"), None);
    }

    #[test]
    fn text_and_front_matter_keys() {
        let text = "title: Zoë\ntheme: g40\n  slug: x\n- date: 1\n";
        assert_eq!(find_text(text, "theme:", 0), Some((2, 1)));
        assert_eq!(find_text(text, "g40", 0), Some((2, 8)));
        assert_eq!(find_text(text, "title", 1), None, "skips the first line");
        assert_eq!(find_text(text, "x", 0), Some((3, 9)));
        assert_eq!(front_matter_key(text, "slug"), Some((3, 3)));
        assert_eq!(front_matter_key(text, "date"), None, "a list item");
        assert_eq!(front_matter_key(text, "nope"), None);
    }

    #[test]
    fn fields_of_items_by_line_index() {
        let text = "sessions:\n  - time: 9\n    title: Zoë\n  - { x: 1, time: 9 }\n  -   bare\n";
        let starts = LineStarts::new(text);
        let f = ItemFields {
            text,
            starts: &starts,
        };
        assert_eq!(f.field((2, 3), "time"), Some((2, 5)));
        assert_eq!(f.field((2, 3), "title"), Some((3, 5)));
        assert_eq!(f.field((4, 4), "time"), Some((4, 13)));
        assert_eq!(f.field((4, 4), "title"), None);
        assert_eq!(f.field_or_item((4, 4), "title"), (4, 5));
        assert_eq!(f.field_or_item((5, 5), "title"), (5, 5));
        assert_eq!(starts.lines_from(text, 3).next(), Some("    title: Zoë"));
        assert_eq!(starts.lines_from(text, 99).next(), None);
    }

    #[test]
    fn top_level_keys_skip_the_items_own() {
        let l = YamlLocator::new(TEXT);
        // `title:` of role `a` (line 7) is not the top-level one (line 2).
        assert_eq!(l.top_level_key(&["title"]), (2, 1));
        assert_eq!(l.top_level_key(&["other"]), (20, 1));
        assert_eq!(l.top_level_key(&["roles", "support", "fte"]), (10, 7));
        assert_eq!(l.top_level_key(&["missing"]), (1, 1));
        assert_eq!(l.top_level_key(&[]), (1, 1));
        assert_eq!(l.key_range("roles"), 4..5);
        assert_eq!(l.key_range("missing"), 0..0);
        assert_eq!(l.all(), 0..20);
    }

    #[test]
    fn falls_back_to_the_item() {
        let l = YamlLocator::new(TEXT);
        let items = l.list_items("roles");
        assert_eq!(l.key(items[1].clone(), &["nope"]), (14, 5));
        assert!(l.list_items("missing").is_empty());
    }
}
