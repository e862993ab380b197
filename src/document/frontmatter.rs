//! Splitting a Markdown file into its YAML front matter and its body.

use std::path::Path;

use crate::diagnostics::Diagnostic;

/// A Markdown file cut in two.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Line number (1-based) of the first YAML line in the file.
    pub yaml_first_line: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// Line number (1-based) of the first body line in the file.
    pub body_first_line: usize,
}

/// Split `text` at its `---` fences. The opening fence must be the first
/// line; the closing one is the next line that is exactly `---` (or `...`).
pub(crate) fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        let message = if text.trim().is_empty() {
            "the file is empty: a page needs front matter with at least a title"
        } else {
            "the file does not start with front matter (a `---` line)"
        };
        return Err(Diagnostic::new(file, message)
            .at(text, 1, 1)
            .hint("start the file with:\n      ---\n      title: Titel van de pagina\n      ---"));
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    // The front matter starts on line 2, after the first `---`.
    for (line_no, line) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_first_line: 2,
                body: &text[body_start.min(text.len())..],
                body_first_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::new(file, "front matter is not closed: no second `---` line")
            .at(text, 1, 1)
            .hint("add a line `---` after the last front matter field"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_line_numbers() {
        let s = split(Path::new("a.md"), "---\ntitle: x\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_first_line, 4);
    }

    #[test]
    fn empty_body_and_no_trailing_newline() {
        let s = split(Path::new("a.md"), "---\ntitle: x\n---").unwrap();
        assert_eq!(s.body, "");
    }

    #[test]
    fn missing_or_unclosed_front_matter() {
        assert!(
            split(Path::new("a.md"), "# Titel\n")
                .unwrap_err()
                .message
                .contains("does not start")
        );
        assert!(
            split(Path::new("a.md"), "---\ntitle: x\n")
                .unwrap_err()
                .message
                .contains("not closed")
        );
        assert!(
            split(Path::new("a.md"), "")
                .unwrap_err()
                .message
                .contains("empty")
        );
    }
}
