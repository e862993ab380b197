//! Syntax highlighting of fenced code blocks (syntect), shared by every page.
//!
//! The syntax set is loaded once, lazily, the first time a code block with a
//! language is rendered: a site without code pays nothing. Output uses CSS
//! classes (prefix `hl-`), so colours live in one stylesheet that the theme
//! can adapt for print.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The default theme for the generated `highlight.css`: its colours keep a
/// contrast of at least 4.5:1 on a white background.
pub const DEFAULT_THEME: &str = "InspiredGitHub";

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlight `code` as `lang`. Returns `None` when the language is unknown,
/// so the caller can fall back to a plain (escaped) block.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let set = syntax_set();
    let syntax = set.find_syntax_by_token(lang)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

/// The stylesheet for highlighted code, from one of syntect's built-in
/// themes. Unknown names give the list of valid ones.
pub fn stylesheet(theme_name: &str) -> Result<String, String> {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let theme = themes.themes.get(theme_name).ok_or_else(|| {
        let names: Vec<&str> = themes.themes.keys().map(String::as_str).collect();
        crate::diagnostics::suggest(theme_name, &names, "highlight themes")
    })?;
    css_for_theme_with_class_style(theme, CLASS_STYLE).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_language_with_classes() {
        let html = highlight("title: x\n", "yaml").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("title"));
    }

    #[test]
    fn unknown_language_is_none() {
        assert!(highlight("x", "no-such-language").is_none());
    }

    #[test]
    fn stylesheet_for_default_theme() {
        assert!(stylesheet(DEFAULT_THEME).unwrap().contains(".hl-"));
        assert!(stylesheet("Nope").is_err());
    }
}
