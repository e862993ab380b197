//! Errors an editor can act on.
//!
//! Every stage of the pipeline reports problems as [`Diagnostic`]s instead of
//! stopping at the first one: a build collects them all and prints them the
//! way rustc does (`path:line:col`, the offending line, a caret, a hint).
//! The location is attached where the data enters the pipeline (the source
//! file and the line inside it), so later stages never have to guess.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in the input, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
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
        let (red, blue, bold, reset) = if color {
            ("\x1b[1;31m", "\x1b[1;34m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "", "")
        };
        let mut out = format!("{red}error{reset}{bold}: {}{reset}\n", self.message);
        let location = match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file.display()),
            (Some(l), None) => format!("{}:{l}", self.file.display()),
            _ => self.file.display().to_string(),
        };
        let gutter_width = self.line.map(|l| l.to_string().len()).unwrap_or(1);
        let pad = " ".repeat(gutter_width);
        out.push_str(&format!("{pad}{blue}-->{reset} {location}\n"));
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            let (shown, column) = window(&text.replace('\t', " "), self.column.unwrap_or(1));
            let caret_pad: String = shown.chars().take(column - 1).map(|_| ' ').collect();
            out.push_str(&format!("{pad} {blue}|{reset}\n"));
            out.push_str(&format!("{blue}{line:>gutter_width$} |{reset} {shown}\n"));
            out.push_str(&format!("{pad} {blue}|{reset} {caret_pad}{red}^{reset}\n"));
        }
        if let Some(hint) = &self.hint {
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

/// Turn a YAML (de)serialisation error into a located diagnostic.
///
/// `line_offset` is the number of lines before the YAML text in the file
/// (front matter starts after the opening `---`). Serde's "unknown field"
/// and "unknown variant" messages get a did-you-mean hint.
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
    let raw = err.to_string();
    // The location is already carried separately; drop the " at line X column Y" tail.
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    // Errors inside lists and maps start with a path like `.[0].rooms: `;
    // the line number says the same more plainly.
    let message = match message.split_once(": ") {
        Some((path, rest)) if path.starts_with('.') || path.starts_with('[') => rest.to_string(),
        _ => message,
    };
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
        if message.contains("invalid date `") {
            let from = loc.line() + line_offset - 1;
            if let Some((line, column)) = find_quoted_value(&message, file_text, from) {
                d = d.at(file_text, line, column);
            }
        }
    } else if let Some((line, column)) = find_quoted_value(&message, file_text, line_offset) {
        d = d.at(file_text, line, column);
    } else {
        d = d.at(file_text, line_offset + 1, 1);
    }
    d.maybe_hint(hint_for_serde_message(&message))
}

/// The first `` `value` `` named in `message`, looked up in the text after
/// `line_offset` lines: where a custom parse error's value is written.
fn find_quoted_value(message: &str, text: &str, line_offset: usize) -> Option<(usize, usize)> {
    let value = message.split('`').nth(1)?;
    if value.is_empty() {
        return None;
    }
    text.lines()
        .enumerate()
        .skip(line_offset)
        .find_map(|(i, line)| {
            line.find(value)
                .map(|col| (i + 1, line[..col].chars().count() + 1))
        })
}

/// Plain-language advice for the YAML syntax errors editors meet most.
fn yaml_syntax_hint(message: &str) -> Option<&'static str> {
    if message.contains("mapping values are not allowed") {
        Some("put text that contains `: ` between quotes, or check the indentation of this line")
    } else if message.contains("unexpected end of stream")
        || message.contains("did not find expected")
    {
        Some("a quote or bracket opened above this line is not closed, or the indentation is off")
    } else if message.contains("found character that cannot start any token") {
        Some("YAML does not allow tabs for indentation; use spaces")
    } else if message.contains("duplicate entry") || message.contains("duplicate key") {
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
    Some(suggest(unknown, &expected, kind))
}

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
