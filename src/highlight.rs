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

/// The default theme for the generated `highlight.css`.
pub(crate) const DEFAULT_THEME: &str = "InspiredGitHub";

/// The background of code blocks in the default theme (`pre.code` in its
/// `style.css`): what a colour of `highlight.css` is drawn on unless its
/// rule sets a background of its own.
pub(crate) const CODE_BACKGROUND: [u8; 3] = [0xf6, 0xf8, 0xfa];

/// WCAG 2.1 AA for normal text (success criterion 1.4.3).
pub(crate) const MIN_CONTRAST: f64 = 4.5;

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlight `code` as `lang`. Returns `None` when the language is unknown,
/// so the caller can fall back to a plain (escaped) block.
pub(crate) fn highlight(code: &str, lang: &str) -> Option<String> {
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
pub(crate) fn stylesheet(theme_name: &str) -> Result<String, String> {
    // Each build asks (each rebuild of `serve` too), and loading syntect's
    // themes is a third of a small rebuild: keep the sheets made (of the
    // few built-in themes; unknown names are not kept).
    static SHEETS: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());
    let mut sheets = SHEETS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, sheet)) = sheets.iter().find(|(name, _)| name == theme_name) {
        return Ok(sheet.clone());
    }
    let sheet = make_stylesheet(theme_name)?;
    sheets.push((theme_name.to_string(), sheet.clone()));
    Ok(sheet)
}

fn make_stylesheet(theme_name: &str) -> Result<String, String> {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let theme = themes.themes.get(theme_name).ok_or_else(|| {
        let names: Vec<&str> = themes.themes.keys().map(String::as_str).collect();
        crate::diagnostics::suggest(theme_name, &names, "highlight themes")
    })?;
    css_for_theme_with_class_style(theme, CLASS_STYLE)
        .map(|css| accessible(&css))
        .map_err(|e| e.to_string())
}

/// The stylesheet with every text colour darkened (on a light background)
/// or lightened (on a dark one) just enough for [`MIN_CONTRAST`] against
/// what it is drawn on. syntect's themes are not made for WCAG: the default
/// one has grey comments and light blue, green and orange tokens (YAML
/// keys, numbers) below 4.5:1.
fn accessible(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..=open]);
        let body = &rest[open + 1..close];
        let background = declared(body, "background-color").unwrap_or(CODE_BACKGROUND);
        let mut fixed = String::with_capacity(body.len());
        for (n, decl) in body.split(';').enumerate() {
            if n > 0 {
                fixed.push(';');
            }
            let (name, value) = decl.split_once(':').unwrap_or((decl, ""));
            match parse_hex(value.trim()) {
                Some(color) if name.trim() == "color" => {
                    let [r, g, b] = readable(color, background);
                    fixed.push_str(&format!("{name}: #{r:02x}{g:02x}{b:02x}"));
                }
                _ => fixed.push_str(decl),
            }
        }
        out.push_str(&fixed);
        out.push('}');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The `#rrggbb` value of `property` in a rule's body.
fn declared(body: &str, property: &str) -> Option<[u8; 3]> {
    body.split(';').find_map(|decl| {
        let (name, value) = decl.split_once(':')?;
        (name.trim() == property)
            .then(|| parse_hex(value.trim()))
            .flatten()
    })
}

/// `#rrggbb` (or `#rgb`).
pub fn parse_hex(value: &str) -> Option<[u8; 3]> {
    let hex = value.strip_prefix('#')?;
    let digits: Vec<u8> = match hex.len() {
        3 => hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| (d * 17) as u8))
            .collect::<Option<_>>()?,
        6 => (0..3)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
            .collect::<Option<_>>()?,
        _ => return None,
    };
    Some([digits[0], digits[1], digits[2]])
}

/// Relative luminance (WCAG 2.1).
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// The contrast ratio of two colours (WCAG 2.1), 1 to 21.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `color`, mixed towards black (or white, on a dark background) in small
/// steps until it has [`MIN_CONTRAST`] on `background`.
pub(crate) fn readable(color: [u8; 3], background: [u8; 3]) -> [u8; 3] {
    let target = if luminance(background) > 0.18 {
        0.0
    } else {
        255.0
    };
    let mut c = color;
    for step in 1..=50 {
        if contrast(c, background) >= MIN_CONTRAST {
            break;
        }
        let t = step as f64 / 50.0;
        c = color.map(|v| (v as f64 + (target - v as f64) * t).round() as u8);
    }
    c
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
    fn colours_are_made_readable_on_their_background() {
        let css = accessible(
            ".a {\n color: #969896;\n}\n.b {\n color: #a71d5d;\n}\n.c { color: #55a532; background-color: #eaffea; }",
        );
        assert!(css.contains(".b {\n color: #a71d5d;"), "{css}");
        assert!(
            !css.contains("#969896") && !css.contains("#55a532"),
            "{css}"
        );
        assert!(css.contains("background-color: #eaffea"), "{css}");
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn stylesheet_for_default_theme() {
        assert!(stylesheet(DEFAULT_THEME).unwrap().contains(".hl-"));
        assert!(stylesheet("Nope").is_err());
    }
}
