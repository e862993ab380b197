//! Diagnostics from YAML: plain words and hints for the messages of the
//! YAML library and serde that editors meet most (a tab, a missing space
//! after `:`, a value of the wrong type, a Dutch field name).

use super::{Diagnostic, nearest, suggest};

/// Plain words and a hint for the YAML messages editors meet most, in
/// place of the library's own ("mapping values are not allowed in this
/// context"). `field` is the field the error is about, when serde says.
pub(super) fn plain_yaml_message(
    message: &str,
    field: Option<&str>,
    d: &Diagnostic,
) -> Option<(String, String)> {
    let line = d.source_line.as_deref().unwrap_or("");
    let line_no = d.line.unwrap_or(1);
    let the_field = field.map_or("this field".to_string(), |f| format!("`{f}`"));
    if message.contains("tab character") || message.contains("cannot start any token") {
        if line.contains('\t') || message.contains("tab character") {
            return Some((
                "this line is indented with a tab (shown as →); YAML allows only spaces".into(),
                format!(
                    "replace the tab on line {line_no} with spaces, as many as the lines around it use"
                ),
            ));
        }
        return Some((
            "this value starts with a character YAML does not allow there".into(),
            "put the value between quotes, e.g. `title: \"@G40\"`".into(),
        ));
    }
    if message.contains("mapping values are not allowed") {
        // Either text with `: ` in it (`title: Over: ons`), or a field
        // indented under the one above, whose value then seems to go on.
        let before_caret: String = line
            .chars()
            .take(d.column.unwrap_or(1).saturating_sub(1))
            .collect();
        if !before_caret.contains(": ") {
            return Some((
                "this line is indented further than the field above it, so YAML reads it as part of that field's value".into(),
                "start it in the same column as the field above; a field's own fields go only under a field without a value (`besluit:`)".into(),
            ));
        }
        let example = line
            .split_once(": ")
            .map(|(k, v)| format!("`{}: \"{}\"`", k.trim(), v.trim().replace('"', "'")))
            .unwrap_or_else(|| "`title: \"Over: ons\"`".into());
        return Some((
            "this line has a second `: `, which YAML reads as the start of a new field".into(),
            format!(
                "put the text between quotes, e.g. {example}; or, if this is a field of its own, start it on a new line"
            ),
        ));
    }
    if message.contains("did not find expected '-' indicator") {
        return Some((
            "this list item is not lined up with the items above it".into(),
            "start every item of a list with `- ` in the same column".into(),
        ));
    }
    if message.contains("did not find expected ',' or ']'")
        || message.contains("did not find expected ',' or '}'")
    {
        return Some((
            "a list or mapping opened with `[` or `{` is not closed".into(),
            "close it on the same line (`]` or `}`), or put text with `,` `[` `]` `{` `}` between quotes".into(),
        ));
    }
    if message.contains("did not find expected key")
        || message.contains("could not find expected ':'")
    {
        return Some((
            "this line is not lined up with the fields around it".into(),
            "fields of one block start in the same column, and each is written `field: value`; check this line and the one above".into(),
        ));
    }
    if message.contains("unexpected end of stream") || message.contains("found unexpected end") {
        return Some((
            "the text ends inside a quote or bracket that was opened and not closed".into(),
            "close the quote (`\"` or `'`) or bracket above this line".into(),
        ));
    }
    if let Some(value) = message
        .strip_prefix("invalid type: string \"")
        .and_then(|r| r.strip_suffix("\", expected a boolean"))
    {
        let yes = ["ja", "yes", "y", "waar", "aan", "wel", "j"];
        let no = ["nee", "no", "n", "onwaar", "uit", "niet"];
        let lower = value.trim().to_lowercase();
        let hint = if yes.contains(&lower.as_str()) {
            "write `true` (YAML knows yes and no only as `true` and `false`)".to_string()
        } else if no.contains(&lower.as_str()) {
            "write `false` (YAML knows yes and no only as `true` and `false`)".to_string()
        } else {
            "write `true` or `false`".to_string()
        };
        return Some((
            format!("{the_field} must be `true` or `false`, not `{value}`"),
            hint,
        ));
    }
    if let Some(value) = message
        .strip_prefix("invalid type: string \"")
        .and_then(|r| r.strip_suffix("\", expected a sequence"))
    {
        let items: Vec<&str> = value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        return Some((
            format!("{the_field} must be a list, not the single text `{value}`"),
            format!(
                "write the items between brackets: `[{}]`, or one per line starting with `- `",
                items.join(", ")
            ),
        ));
    }
    if let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|r| r.rsplit_once(", expected "))
    {
        return Some(wrong_type(&the_field, found, expected, line));
    }
    None
}

/// Plain words for serde's "invalid type: FOUND, expected EXPECTED".
fn wrong_type(the_field: &str, found: &str, expected: &str, line: &str) -> (String, String) {
    let what = |serde_word: &str| -> String {
        match serde_word.split([' ', '`', '"']).next().unwrap_or("") {
            "sequence" => "a list".into(),
            "map" | "struct" => "a group of fields".into(),
            "string" | "a" if serde_word.contains("string") => "text".into(),
            "integer" | "i64" | "u64" | "u32" | "i32" | "usize" | "u8" | "u16" => {
                "a whole number".into()
            }
            "floating" | "f64" | "f32" => "a number".into(),
            "boolean" => "`true` or `false`".into(),
            "unit" => "empty".into(),
            other => other.to_string(),
        }
    };
    let expected_plain = match expected.trim_start_matches("a ").trim_start_matches("an ") {
        e if e.starts_with("string") => "text".to_string(),
        e if e.starts_with("sequence") => "a list".to_string(),
        e if e.starts_with("map") || e.starts_with("struct") => "a group of fields".to_string(),
        e if e.starts_with("boolean") => "`true` or `false`".to_string(),
        e if e.starts_with('i') || e.starts_with('u') || e.starts_with("integer") => {
            "a whole number".to_string()
        }
        e if e.starts_with('f') => "a number".to_string(),
        e => e.to_string(),
    };
    let message = format!("{the_field} must be {expected_plain}, not {}", what(found));
    let hint = if expected_plain == "text" {
        let example = line
            .split_once(':')
            .map(|(k, v)| {
                format!(
                    "`{}: \"{}\"`",
                    k.trim().trim_start_matches("- "),
                    v.trim().replace('"', "'")
                )
            })
            .unwrap_or_else(|| "`title: \"[concept] Jaarverslag\"`".into());
        format!(
            "text that starts with `[`, `{{`, `&`, `*` or `-`, or holds `: `, goes between quotes: {example}"
        )
    } else if expected_plain == "a list" {
        "write the items between brackets, `[a, b]`, or one per line starting with `- `".to_string()
    } else if expected_plain.contains("number") {
        "write only digits, e.g. `weight: 10`".to_string()
    } else {
        format!("write {expected_plain} here")
    };
    (message, hint)
}

/// Advice for YAML errors that [`plain_yaml_message`] leaves in serde's words.
fn yaml_syntax_hint(message: &str) -> Option<&'static str> {
    if message.contains("duplicate entry") || message.contains("duplicate key") {
        Some("each field may appear only once")
    } else if message.contains("recursion limit exceeded") {
        Some("lists and mappings may be nested at most 128 levels deep")
    } else {
        None
    }
}

/// serde says "invalid type: string \"x\", expected a boolean"; editors
/// read YAML, so keep that but strip Rust-isms.
pub(super) fn tidy_serde_message(message: &str) -> String {
    message
        .replace("expected u64", "expected a whole number")
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("a sequence", "a list")
        .replace("struct ", "")
}

/// Extract "unknown field `x`, expected one of `a`, `b`" and suggest.
pub(super) fn hint_for_serde_message(message: &str) -> Option<String> {
    // Errors inside lists and mappings carry a path: `sessions[0]: unknown field ...`.
    let message = match message.find(": unknown ") {
        Some(i) if !message.starts_with("unknown") => &message[i + 2..],
        _ => message,
    };
    let kind = if message.starts_with("unknown field") {
        "fields"
    } else if message.starts_with("unknown variant") {
        "values"
    } else {
        return yaml_syntax_hint(message).map(str::to_string);
    };
    let mut quoted = message.split('`').skip(1).step_by(2);
    let unknown = quoted.next()?;
    let expected: Vec<&str> = quoted.collect();
    // Editors write Dutch: `zaal` is not close to `room` as letters go.
    let dutch = DUTCH_FIELDS
        .iter()
        .find(|(nl, en)| *nl == unknown.to_lowercase() && expected.contains(en));
    if let (Some((_, en)), None) = (dutch, nearest(unknown, expected.iter().copied())) {
        return Some(format!("did you mean `{en}`? (field names are English)"));
    }
    Some(suggest(unknown, &expected, kind))
}

/// Dutch words editors use for fields, and the field they mean.
const DUTCH_FIELDS: [(&str, &str); 16] = [
    ("titel", "title"),
    ("datum", "date"),
    ("samenvatting", "summary"),
    ("gewicht", "weight"),
    ("concept", "draft"),
    ("zaal", "room"),
    ("zalen", "rooms"),
    ("tijd", "time"),
    ("begin", "start"),
    ("eind", "end"),
    ("einde", "end"),
    ("duur", "duration"),
    ("sprekers", "speakers"),
    ("voorzitter", "chair"),
    ("beschrijving", "description"),
    ("stad", "city"),
];
