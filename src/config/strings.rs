//! The interface text of the theme in the site's language: one strings
//! file per language in the theme (`strings/nl.yaml`, `strings/en.yaml`),
//! and the site's own changes to it (`strings:` in `site.yaml`).
//!
//! Templates read them as `t.<key>`; the build uses them for what it
//! writes itself (dates, the headings of a pillar page's groups, search
//! result labels, callout titles). Which file applies, layered embedded
//! theme → site theme → `site.yaml`, is decided in `theme.rs`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::dates::DateWords;
use crate::diagnostics::{Diagnostic, parse_yaml};

/// The embedded theme's Dutch strings: what a build uses before (or
/// without) a theme, and the list of keys every language must have.
pub(crate) const DUTCH: &str = include_str!("../../themes/g40/strings/nl.yaml");

/// One strings file as written.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct StringsFile {
    /// The words of dates.
    #[serde(default)]
    pub date: Option<DateWords>,
    /// Every other key: one line of interface text.
    #[serde(flatten)]
    pub text: BTreeMap<String, String>,
}

impl StringsFile {
    /// Parse `text` (shown as `file` in errors).
    pub(crate) fn parse(file: &Path, text: &str) -> Result<StringsFile, Vec<Diagnostic>> {
        parse_yaml(file, text, text, 0)
    }
}

/// The interface text in one language, every layer applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Strings {
    /// The words of dates.
    #[serde(skip)]
    pub date: DateWords,
    /// Every line of text, by key (templates: `t.<key>`).
    #[serde(flatten)]
    pub text: BTreeMap<String, String>,
}

/// The embedded Dutch strings (a copy of [`Strings::dutch`]).
impl Default for Strings {
    fn default() -> Self {
        Strings::dutch().clone()
    }
}

impl Strings {
    /// The embedded Dutch strings, parsed once: every build (each rebuild
    /// of `serve`) starts from them.
    pub(crate) fn dutch() -> &'static Strings {
        static DUTCH_STRINGS: std::sync::OnceLock<Strings> = std::sync::OnceLock::new();
        DUTCH_STRINGS.get_or_init(|| {
            let file = StringsFile::parse(Path::new("strings/nl.yaml"), DUTCH)
                .expect("the embedded Dutch strings parse");
            Strings {
                date: file.date.unwrap_or_default(),
                text: file.text,
            }
        })
    }

    /// Start from nothing: layers are added with [`Strings::add`].
    pub(crate) fn empty() -> Strings {
        Strings {
            date: DateWords::dutch(),
            text: BTreeMap::new(),
        }
    }

    /// Lay `file` over what is there, key by key.
    pub(crate) fn add(&mut self, file: StringsFile) {
        if let Some(date) = file.date {
            self.date = date;
        }
        self.text.extend(file.text);
    }

    /// The text of `key`; the key itself if there is none (every key the
    /// build asks for is checked to exist when the strings are loaded).
    pub(crate) fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.text.get(key).map_or(key, String::as_str)
    }

    /// A decimal number as the language writes it (`0,75`, `0.75`).
    pub(crate) fn decimal(&self, number: &str) -> String {
        number.replace('.', self.get("decimal_separator"))
    }

    /// Keys of the embedded Dutch strings that these lack.
    pub(crate) fn missing(&self) -> Vec<String> {
        Strings::dutch()
            .text
            .keys()
            .filter(|k| !self.text.contains_key(*k))
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_dutch_strings_are_complete_and_fill_in() {
        let nl = Strings::default();
        // A layer with one key lacks every other one, and names them.
        let mut one = Strings::empty();
        one.text
            .insert("skip_link".into(), "Skip to content".into());
        let missing = one.missing();
        assert!(
            missing.contains(&"search_button".to_string()),
            "{missing:?}"
        );
        assert!(!missing.contains(&"skip_link".to_string()));
        assert_eq!(missing.len(), nl.text.len() - 1);
        assert_eq!(nl.get("search_button"), "Zoeken");
        assert_eq!(nl.get("page_of"), "Pagina {n} van {total}");
        assert_eq!(nl.decimal("0.75"), "0,75");
        assert_eq!(nl.date, DateWords::dutch());
    }
}
