//! Errors an editor can act on.
//!
//! Every stage of the pipeline reports problems as [`Diagnostic`]s instead of
//! stopping at the first one: a build collects them all and prints them the
//! way rustc does (`path:line:col`, the offending line, a caret, a hint).
//! The location is attached where the data enters the pipeline (the source
//! file and the line inside it), so later stages never have to guess.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::util::yaml_locator::{YamlLocator, find_text};

/// How bad a problem is: an error stops the build, a warning is printed
/// and the build goes on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

/// One problem found in the input, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error (the default) or warning.
    pub severity: Severity,
    /// The file the problem is in, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line, when the problem comes from a place in the text.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
    /// The text of the offending line, shown under the message.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (no line).
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    /// Attach a line (and column) of `text`, the file's content, so the
    /// printed error can quote it.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_string);
        self
    }

    /// Make this a warning: printed, but the build goes on.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// Attach a suggestion.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attach a suggestion when there is one.
    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }

    /// Render for a terminal, optionally with ANSI colours.
    pub fn render(&self, color: bool) -> String {
        let (red, yellow, blue, bold, reset) = if color {
            (
                "\x1b[1;31m",
                "\x1b[1;33m",
                "\x1b[1;34m",
                "\x1b[1m",
                "\x1b[0m",
            )
        } else {
            ("", "", "", "", "")
        };
        let (word, colour) = match self.severity {
            Severity::Error => ("error", red),
            Severity::Warning => ("warning", yellow),
        };
        // Everything below comes from the site (file names, link targets,
        // the quoted line): its control characters are shown escaped, so
        // only the colours above ever reach the terminal as escapes.
        let message = printable_text(&self.message);
        let mut out = format!("{colour}{word}{reset}{bold}: {message}{reset}\n");
        let file = printable(&self.file.display().to_string());
        let location = match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file,
        };
        let gutter_width = self.line.map(|l| l.to_string().len()).unwrap_or(1);
        let pad = " ".repeat(gutter_width);
        out.push_str(&format!("{pad}{blue}-->{reset} {location}\n"));
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            // A tab is shown as `→`, one column wide like the caret counts
            // it: YAML rejects tabs, and an editor cannot see them otherwise.
            // A long line is quoted around the column.
            let (window_text, column) = window(&text.replace('\t', "→"), self.column.unwrap_or(1));
            let shown = printable(&window_text);
            // The caret stands under the character even when escapes
            // before it take several columns.
            let before: String = window_text.chars().take(column - 1).collect();
            let caret_pad = " ".repeat(printable(&before).chars().count());
            out.push_str(&format!("{pad} {blue}|{reset}\n"));
            out.push_str(&format!("{blue}{line:>gutter_width$} |{reset} {shown}\n"));
            out.push_str(&format!(
                "{pad} {blue}|{reset} {caret_pad}{colour}^{reset}\n"
            ));
        }
        if let Some(hint) = &self.hint {
            let hint = printable_text(hint);
            out.push_str(&format!("{pad} {blue}={reset} {bold}hint{reset}: {hint}\n"));
        }
        out
    }
}

/// At most this many characters of the offending line are quoted.
const MAX_QUOTED: usize = 120;

/// The part of a long `line` around `column` (1-based, in characters),
/// with `…` where it is cut, and the column within that part: a 10 MB
/// line is not printed whole.
fn window(line: &str, column: usize) -> (String, usize) {
    let len = line.chars().count();
    if len <= MAX_QUOTED {
        return (line.to_string(), column);
    }
    let half = MAX_QUOTED / 2;
    let start = column.saturating_sub(half + 1).min(len - MAX_QUOTED);
    let mut shown: String = line.chars().skip(start).take(MAX_QUOTED).collect();
    let mut column = column - start;
    if start > 0 {
        shown.insert(0, '…');
        column += 1;
    }
    if start + MAX_QUOTED < len {
        shown.push('…');
    }
    (shown, column)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// `text` safe to print on a terminal: control characters (escape
/// sequences, carriage returns, line breaks, backspaces) and the Unicode
/// controls that reorder text on screen (bidi overrides and isolates) are
/// written as `\u{1b}`-style escapes, so a crafted file name or link
/// target can neither move the cursor nor clear the screen, nor fake a
/// line of output. For paths and single values; see [`printable_text`].
pub fn printable(text: &str) -> String {
    escape_controls(text, false)
}

/// [`printable`] for messages and hints, whose own line breaks are kept
/// (a hint may show a few lines of YAML); every other control is escaped.
pub fn printable_text(text: &str) -> String {
    escape_controls(text, true)
}

fn escape_controls(text: &str, keep_newlines: bool) -> String {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\t' && !(keep_newlines && c == '\n'))
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// All problems of one build, in a stable order (by file, then line).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Sort by location and drop exact duplicates, so output is stable
    /// whatever order the parallel stages finished in.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
        });
        self.0.dedup();
        self
    }

    /// Render for a terminal: the first [`MAX_SHOWN`] problems in full,
    /// then one line that counts the rest per file, so a file with
    /// thousands of errors cannot flood the terminal.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for d in self.0.iter().take(MAX_SHOWN) {
            out.push_str(&d.render(color));
            out.push('\n');
        }
        let rest = &self.0[self.0.len().min(MAX_SHOWN)..];
        if !rest.is_empty() {
            // Counted per file, in the order the files first appear.
            let mut per_file: Vec<(&Path, usize)> = Vec::new();
            for d in rest {
                match per_file.iter().position(|(f, _)| *f == d.file.as_path()) {
                    Some(i) => per_file[i].1 += 1,
                    None if per_file.len() < 5 => per_file.push((&d.file, 1)),
                    None => {}
                }
            }
            let mut files: Vec<String> = per_file
                .iter()
                .map(|(f, n)| format!("{n} in {}", f.display()))
                .collect();
            let listed: usize = per_file.iter().map(|(_, n)| n).sum();
            if listed < rest.len() {
                files.push(format!("{} elsewhere", rest.len() - listed));
            }
            out.push_str(&format!(
                "... and {} more errors, not shown ({}): fix the ones above first\n\n",
                rest.len(),
                files.join(", ")
            ));
        }
        out
    }
}

/// How many problems [`Diagnostics::render`] shows in full.
pub const MAX_SHOWN: usize = 100;

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a
/// plausible typo. Used for "did you mean" hints everywhere.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" or, when nothing is close, the list of valid values.
pub fn suggest<'a>(word: &str, candidates: &[&'a str], what: &str) -> String {
    match nearest(word, candidates.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None if candidates.is_empty() => format!("no {what} are defined"),
        None => format!(
            "valid {what}: {}",
            candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Parse `yaml` (the YAML part of `file_text`, after `line_offset` lines)
/// into `T`, with every error as a located, plain-language diagnostic.
///
/// serde stops at the first unknown field; an editor who mistyped three
/// field names should not need three builds to find them. So after an
/// unknown field the field (and what is indented under it) is blanked out
/// and the text read again, up to [`MAX_UNKNOWN_FIELDS`] times, and every
/// unknown field found is reported at once. Line numbers stay as they were.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(
    file: &Path,
    file_text: &str,
    yaml: &str,
    line_offset: usize,
) -> Result<T, Vec<Diagnostic>> {
    // Sizes and depth are checked before serde sees the text (alias bombs).
    crate::yaml::check(yaml)
        .map_err(|e| vec![from_yaml_error(file, file_text, &e, line_offset)])?;
    let located = |e: &serde_yaml::Error| from_serde_yaml_error(file, file_text, e, line_offset);
    let mut err = match serde_yaml::from_str::<T>(yaml) {
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
        match serde_yaml::from_str::<T>(&text) {
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
pub const MAX_UNKNOWN_FIELDS: usize = 50;

/// Replace the field starting at 1-based `line`/`column` of `text`, and the
/// lines indented under it, with blanks. `false` when the field is not at
/// the start of its line (a flow mapping `{ a: 1 }`): then it cannot be
/// taken out safely.
fn blank_field(text: &mut String, line: usize, column: usize) -> bool {
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
pub fn from_yaml_error(
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
    from_serde_yaml_error(file, file_text, err, line_offset)
}

/// [`from_yaml_error`] for an error of the YAML library itself.
fn from_serde_yaml_error(
    file: &Path,
    file_text: &str,
    err: &serde_yaml::Error,
    line_offset: usize,
) -> Diagnostic {
    let raw = err.to_string();
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
fn describe_path(path: &str, yaml: &str) -> Option<String> {
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
        if depth == 0 && !name.is_empty() {
            if let Some(label) = item_label(yaml, name, index) {
                words.push_str(&format!(" (“{label}”)"));
            }
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

/// Plain words and a hint for the YAML messages editors meet most, in
/// place of the library's own ("mapping values are not allowed in this
/// context"). `field` is the field the error is about, when serde says.
fn plain_yaml_message(
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

/// Which place of an invalid date an error points at.
#[derive(Clone, Copy)]
pub enum DateAt<'a> {
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
pub fn invalid_date_position(
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
fn tidy_serde_message(message: &str) -> String {
    message
        .replace("expected u64", "expected a whole number")
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("a sequence", "a list")
        .replace("struct ", "")
}

/// Extract "unknown field `x`, expected one of `a`, `b`" and suggest.
fn hint_for_serde_message(message: &str) -> Option<String> {
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

#[cfg(test)]
mod tests {
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
        let value =
            |from_line| invalid_date_position(message, None, text, DateAt::Value { from_line });
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
}
