//! Diagnostics from YAML: serde's errors turned into located diagnostics
//! (every unknown field at once, places in lists in words, the value that
//! failed to parse found in the text), and where an invalid date is written.

use std::path::Path;

use super::Diagnostic;
use super::yaml_messages::{hint_for_serde_message, plain_yaml_message, tidy_serde_message};
use crate::util::rename_keys::{KeyNames, Renamed};
use crate::util::yaml_locator::{YamlLocator, find_text};

/// Parse `yaml` (the YAML part of `file_text`, after `line_offset` lines)
/// into `T`, with every error as a located, plain-language diagnostic.
///
/// serde stops at the first unknown field; an editor who mistyped three
/// field names should not need three builds to find them. So after an
/// unknown field the field (and what is indented under it) is blanked out
/// and the text read again, up to [`MAX_UNKNOWN_FIELDS`] times, and every
/// unknown field found is reported at once. Line numbers stay as they were.
pub(crate) fn parse_yaml<T: serde::de::DeserializeOwned>(
    file: &Path,
    file_text: &str,
    yaml: &str,
    line_offset: usize,
) -> Result<T, Vec<Diagnostic>> {
    parse_yaml_keys(file, file_text, yaml, line_offset, &KeyNames::default())
}

/// [`parse_yaml`] for a document whose field names the site chooses in
/// part (`taxonomies:` in `site.yaml`): keys are read through `keys`, and
/// messages name the fields as the editor writes them.
pub(crate) fn parse_yaml_keys<T: serde::de::DeserializeOwned>(
    file: &Path,
    file_text: &str,
    yaml: &str,
    line_offset: usize,
    keys: &KeyNames,
) -> Result<T, Vec<Diagnostic>> {
    // Sizes and depth are checked before serde sees the text (alias bombs).
    crate::yaml::check(yaml)
        .map_err(|e| vec![from_yaml_error(file, file_text, &e, line_offset)])?;
    let located =
        |e: &serde_yaml::Error| from_serde_yaml_error(file, file_text, e, line_offset, keys);
    let read = |text: &str| {
        if keys.is_empty() {
            serde_yaml::from_str::<T>(text)
        } else {
            T::deserialize(Renamed::new(serde_yaml::Deserializer::from_str(text), keys))
        }
    };
    let mut err = match read(yaml) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let mut found = vec![located(&err)];
    let mut text = yaml.to_string();
    for _ in 1..MAX_UNKNOWN_FIELDS {
        let unknown = err.to_string().contains("unknown field `");
        let Some(loc) = err.location().filter(|_| unknown) else {
            break;
        };
        if !blank_field(&mut text, loc.line(), loc.column()) {
            break;
        }
        match read(&text) {
            Ok(_) => break,
            Err(e) if e.to_string().contains("unknown field `") => {
                found.push(located(&e));
                err = e;
            }
            // Anything else may be a consequence of the blanking (a field
            // now missing); the unknown fields are what the editor needs.
            Err(_) => break,
        }
    }
    Err(found)
}

/// How many unknown fields [`parse_yaml`] looks for in one file.
pub(crate) const MAX_UNKNOWN_FIELDS: usize = 50;

/// Replace the field starting at 1-based `line`/`column` of `text`, and the
/// lines indented under it, with blanks. `false` when the field is not at
/// the start of its line (a flow mapping `{ a: 1 }`): then it cannot be
/// taken out safely.
pub(super) fn blank_field(text: &mut String, line: usize, column: usize) -> bool {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let Some(l) = lines.get(line.saturating_sub(1)) else {
        return false;
    };
    let indent = column.saturating_sub(1);
    let prefix: String = l.chars().take(indent).collect();
    if prefix.chars().count() != indent || !prefix.chars().all(|c| c == ' ' || c == '-') {
        return false;
    }
    lines[line - 1] = prefix;
    for next in lines.iter_mut().skip(line) {
        let content = next.trim_start_matches(' ');
        if content.is_empty() {
            continue;
        }
        if next.len() - content.len() <= indent {
            break;
        }
        next.clear();
    }
    *text = lines.join("\n");
    true
}

/// Turn a YAML (de)serialisation error into a located diagnostic.
///
/// `line_offset` is the number of lines before the YAML text in the file
/// (front matter starts after the opening `---`). The YAML library's words
/// are replaced by plain ones with a hint (see [`plain_yaml_message`]), a
/// place like `sessions[3]` becomes "session 4 (“Lunch”)", and serde's
/// "unknown field" and "unknown variant" messages get a did-you-mean hint.
pub(crate) fn from_yaml_error(
    file: &Path,
    file_text: &str,
    err: &crate::yaml::Error,
    line_offset: usize,
) -> Diagnostic {
    let err = match err {
        crate::yaml::Error::Yaml(e) => e,
        crate::yaml::Error::Limit {
            message,
            hint,
            line,
            column,
        } => {
            return Diagnostic::new(file, message.clone())
                .at(file_text, line + line_offset, *column)
                .hint(*hint);
        }
    };
    from_serde_yaml_error(file, file_text, err, line_offset, &KeyNames::default())
}

/// [`from_yaml_error`] for an error of the YAML library itself.
fn from_serde_yaml_error(
    file: &Path,
    file_text: &str,
    err: &serde_yaml::Error,
    line_offset: usize,
    keys: &KeyNames,
) -> Diagnostic {
    let raw = keys.external_message(&err.to_string());
    // The location is already carried separately; drop the " at line X column Y" tail.
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    // Errors inside lists and maps start with a path like `sessions[3].speakers[0]: `.
    let (path, message) = match message.split_once(": ") {
        Some((path, rest)) if is_yaml_path(path) => (
            Some(path.trim_start_matches('.').to_string()),
            rest.to_string(),
        ),
        _ => (None, message),
    };
    let yaml_text = yaml_part(file_text, line_offset);
    let place = path.as_deref().and_then(|p| describe_path(p, yaml_text));
    let field = path
        .as_deref()
        .and_then(|p| p.rsplit('.').next())
        .filter(|f| !f.is_empty() && !f.ends_with(']'))
        .map(str::to_string);
    let field = field.as_deref();
    let mut d = Diagnostic::new(file, tidy_serde_message(&message));
    // Errors raised by our own value parsers (dates, times) come without a
    // position (yaml reports index 0); find the offending value instead.
    let located = err
        .location()
        .filter(|l| l.index() > 0 || line_offset == 0 && !message.contains('`'));
    if let Some(loc) = located {
        d = d.at(file_text, loc.line() + line_offset, loc.column());
        // A date inside a mapping (`besluit: { datum: ... }`) is reported
        // at the mapping; the value itself is on a line below.
        let at = DateAt::Value {
            from_line: loc.line() + line_offset - 1,
        };
        if let Some((line, column)) = invalid_date_position(&message, d.line, file_text, at) {
            d = d.at(file_text, line, column);
        }
    } else if let Some((line, column)) = find_quoted_value(&message, file_text, line_offset) {
        d = d.at(file_text, line, column);
    } else {
        d = d.at(file_text, line_offset + 1, 1);
    }
    d = d.maybe_hint(hint_for_serde_message(&message));
    if let Some((plain, hint)) = plain_yaml_message(&message, field, &d) {
        d.message = plain;
        d.hint = Some(hint);
        if let Some(col) = d
            .source_line
            .as_deref()
            .filter(|_| message.contains("tab") || message.contains("cannot start any token"))
            .and_then(|l| l.find('\t'))
            .map(|b| d.source_line.as_deref().unwrap_or("")[..b].chars().count() + 1)
        {
            d.column = Some(col);
        }
    }
    // Where it is, in words, for errors inside a list item; a plain field
    // keeps its `field: ` prefix.
    match (place, path.as_deref()) {
        (Some(place), _) => d.message = format!("{place}: {}", d.message),
        // Role sets name their roles themselves (`roles[4]` → its id).
        (None, Some(p)) if p.contains('[') => d.message = format!("{p}: {}", d.message),
        (None, Some(p)) if field.is_some() && !d.message.contains(&format!("`{p}`")) => {
            d.message = format!("{p}: {}", d.message)
        }
        _ => {}
    }
    d
}

/// The text after the first `line_offset` lines.
fn yaml_part(text: &str, line_offset: usize) -> &str {
    let mut rest = text;
    for _ in 0..line_offset {
        match rest.find('\n') {
            Some(i) => rest = &rest[i + 1..],
            None => return "",
        }
    }
    rest
}

/// serde's place of an error: `draft`, `.[0].rooms`, `sessions[3].speakers[0]`.
fn is_yaml_path(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
}

/// `sessions[3].speakers[0]` → "speaker 1 of session 4 (“Eerste sessie”)":
/// list items counted from 1, a top-level item named by its title or id.
/// `None` when the path has no list item (a plain field says enough).
/// Role sets name their roles themselves (`role `voorzitter``).
pub(super) fn describe_path(path: &str, yaml: &str) -> Option<String> {
    if !path.contains('[') || path.starts_with("roles[") {
        return None;
    }
    let mut parts: Vec<String> = Vec::new();
    for (depth, segment) in path.split('.').filter(|s| !s.is_empty()).enumerate() {
        let (name, index) = match segment.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let Some(index) = index else {
            parts.push(format!("`{name}`"));
            continue;
        };
        let singular = match name {
            "sessions" => "session",
            "rooms" => "room",
            "speakers" => "speaker",
            "roles" => "role",
            "duties" => "duty",
            "" => "item",
            _ => "",
        };
        let mut words = if singular.is_empty() {
            format!("item {} of `{name}`", index + 1)
        } else {
            format!("{singular} {}", index + 1)
        };
        if depth == 0
            && !name.is_empty()
            && let Some(label) = item_label(yaml, name, index)
        {
            words.push_str(&format!(" (“{label}”)"));
        }
        parts.push(words);
    }
    parts.reverse();
    Some(parts.join(" of "))
}

/// The `title`, `name` or `id` of item `index` of the top-level list `key`.
fn item_label(yaml: &str, key: &str, index: usize) -> Option<String> {
    let locator = YamlLocator::new(yaml);
    let range = locator.list_items(key).into_iter().nth(index)?;
    ["title", "name", "id"].into_iter().find_map(|k| {
        let value = locator.scalar_at(locator.key(range.clone(), &[k]), k)?;
        // A block scalar's text is on the lines below: not a label.
        (!value.starts_with(['|', '>'])).then_some(value)
    })
}

/// Which place of an invalid date an error points at.
#[derive(Clone, Copy)]
pub(crate) enum DateAt<'a> {
    /// The value itself, written on line `from_line + 1` or below (the
    /// line serde reported: a date inside a mapping such as
    /// `besluit: { datum: ... }` is reported at the mapping).
    Value { from_line: usize },
    /// The `date:` key: of the item of the top-level list `list` that the
    /// error's line is in, else the top-level `date:`.
    Key { list: Option<&'a str> },
}

/// Where the invalid date that `message` is about (a [`crate::dates`]
/// error, "invalid date `...`") is written in `text`; `line` is where the
/// error points now. serde places errors of the value parsers at the
/// enclosing mapping or the document's start, not at the value. `None`
/// when `message` is not about an invalid date or the place is not found.
pub(crate) fn invalid_date_position(
    message: &str,
    line: Option<usize>,
    text: &str,
    at: DateAt,
) -> Option<(usize, usize)> {
    if !message.contains("invalid date `") {
        return None;
    }
    match at {
        DateAt::Value { from_line } => find_quoted_value(message, text, from_line),
        DateAt::Key { list } => {
            let locator = YamlLocator::new(text);
            let item = list.and_then(|list| {
                locator
                    .list_items(list)
                    .into_iter()
                    .find(|r| line.is_some_and(|line| r.contains(&(line - 1))))
            });
            Some(match item {
                Some(item) => locator.key(item, &["date"]),
                None => locator.top_level_key(&["date"]),
            })
        }
    }
}

/// The first `` `value` `` named in `message`, looked up in the text after
/// `line_offset` lines: where a custom parse error's value is written.
fn find_quoted_value(message: &str, text: &str, line_offset: usize) -> Option<(usize, usize)> {
    let value = message.split('`').nth(1)?;
    if value.is_empty() {
        return None;
    }
    find_text(text, value, line_offset)
}
