//! Errors an editor can act on.
//!
//! Every stage of the pipeline reports problems as [`Diagnostic`]s instead of
//! stopping at the first one: a build collects them all and prints them the
//! way rustc does (`path:line:col`, the offending line, a caret, a hint).
//! The location is attached where the data enters the pipeline (the source
//! file and the line inside it), so later stages never have to guess.
//!
//! This file holds the diagnostic itself and how it is printed; `yaml.rs`
//! turns the YAML library's errors into located diagnostics, and
//! `yaml_messages.rs` holds the plain words and hints for its messages.

use std::fmt;
use std::path::{Path, PathBuf};

#[cfg(test)]
mod tests;
mod yaml;
mod yaml_messages;

pub(crate) use yaml::{
    DateAt, from_yaml_error, invalid_date_position, parse_yaml, parse_yaml_keys,
};

/// How bad a problem is: an error stops the build, a warning is printed
/// and the build goes on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The build fails.
    #[default]
    Error,
    /// Reported; the build goes on.
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

    /// Whether it is a [`Severity::Warning`].
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
pub(crate) fn printable_text(text: &str) -> String {
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
    /// Add one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Add several.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many there are.
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
pub(crate) const MAX_SHOWN: usize = 100;

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
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" or, when nothing is close, the list of valid values.
pub(crate) fn suggest(word: &str, candidates: &[&str], what: &str) -> String {
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
