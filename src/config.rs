//! `site.yaml`: the site configuration, the first thing the pipeline reads.
//!
//! Unknown keys are errors with a did-you-mean hint, so a typo never silently
//! turns a setting off.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, from_yaml_error};

/// The parsed `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Site name, shown in the header and in `<title>`.
    pub title: String,
    /// Where the site is published, e.g. `https://www.g40stedennetwerk.nl`.
    /// Its path part (if any) prefixes every internal link.
    pub base_url: String,
    /// Content language, `nl` by default (the `lang` attribute).
    #[serde(default = "default_language")]
    pub language: String,
    /// Time zone of programme times, `Europe/Amsterdam` by default.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// Theme folder name under `themes/`; the embedded theme when absent.
    #[serde(default)]
    pub theme: Option<String>,
    /// Output folder, relative to the site root; `output` by default.
    #[serde(default)]
    pub output: Option<PathBuf>,
    /// Optional one-line description for the home page's meta tag.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub organisation: Option<Organisation>,
    /// Main navigation, in order.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    #[serde(default)]
    pub markdown: MarkdownConfig,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub title: String,
    /// Site path like `/jaarverslag/2023/` (the base path is added).
    pub path: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Keep raw HTML in Markdown as written (otherwise it is sanitised).
    #[serde(default)]
    pub unsafe_html: bool,
    /// Name of a syntect theme for code blocks; the theme's own CSS otherwise.
    #[serde(default)]
    pub highlight_theme: Option<String>,
}

fn default_language() -> String {
    "nl".into()
}

fn default_timezone() -> String {
    "Europe/Amsterdam".into()
}

impl SiteConfig {
    /// Read and validate `site.yaml` in `root`.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join("site.yaml");
        let shown = PathBuf::from("site.yaml");
        let text = match std::fs::read(&path) {
            Ok(bytes) => match crate::source::decode_text(&shown, bytes) {
                Ok(t) => t,
                Err(d) => return Err(vec![d]),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(vec![
                    Diagnostic::new(&shown, format!("no site.yaml in {}", root.display())).hint(
                        "run g40site in the folder that holds site.yaml, pass --root DIR, or create a site with `g40site init DIR`",
                    ),
                ]);
            }
            Err(e) => return Err(vec![Diagnostic::new(&shown, format!("cannot read: {e}"))]),
        };
        Self::parse(&shown, &text)
    }

    /// Parse the text of a `site.yaml` (shown as `file` in errors).
    pub fn parse(file: &Path, text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let config: SiteConfig =
            crate::yaml::from_str(text).map_err(|e| vec![from_yaml_error(file, text, &e, 0)])?;
        let mut errors = Vec::new();
        let locate = |key: &str| line_of_key(text, key);
        if !(config.base_url.starts_with("http://") || config.base_url.starts_with("https://")) {
            let (l, c) = locate("base_url");
            errors.push(
                Diagnostic::new(
                    file,
                    format!("base_url `{}` is not an http(s) URL", config.base_url),
                )
                .at(text, l, c)
                .hint("write the full address, e.g. `https://www.g40stedennetwerk.nl`"),
            );
        }
        if config.timezone != "Europe/Amsterdam"
            && jiff::tz::TimeZone::get(&config.timezone).is_err()
        {
            let (l, c) = locate("timezone");
            errors.push(
                Diagnostic::new(file, format!("unknown time zone `{}`", config.timezone))
                    .at(text, l, c)
                    .hint("use an IANA name such as `Europe/Amsterdam`"),
            );
        }
        if let Some(name) = &config.markdown.highlight_theme {
            if let Err(hint) = crate::highlight::stylesheet(name) {
                let (l, c) = locate("highlight_theme");
                errors.push(
                    Diagnostic::new(file, format!("unknown highlight theme `{name}`"))
                        .at(text, l, c)
                        .hint(hint),
                );
            }
        }
        for item in &config.menu {
            if !item.path.starts_with('/') && !item.path.starts_with("http") {
                let (l, c) = locate(&item.path);
                errors.push(
                    Diagnostic::new(
                        file,
                        format!("menu path `{}` must start with `/`", item.path),
                    )
                    .at(text, l, c)
                    .hint(format!("write `/{}`", item.path)),
                );
            }
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// The path part of `base_url` without the trailing slash: `""` for a
    /// site at the root of its domain, `/g40` for `https://host/g40/`.
    pub fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map(|x| x.1)
            .unwrap_or(&self.base_url);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].trim_end_matches('/').to_string(),
            None => String::new(),
        }
    }

    /// `base_url` without a trailing slash.
    pub fn base_url_trimmed(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}

/// Best-effort location of `needle` in YAML text (first occurrence), for
/// errors found after deserialising, when serde no longer knows positions.
pub fn line_of_key(text: &str, needle: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        if let Some(col) = line.find(needle) {
            return (i + 1, line[..col].chars().count() + 1);
        }
    }
    (1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(Path::new("site.yaml"), text)
    }

    #[test]
    fn unknown_key_is_located_with_suggestion() {
        let err = parse("title: X\nbase_url: https://x.nl\ntheem: g40\n").unwrap_err();
        assert_eq!(err[0].line, Some(3));
        assert!(
            err[0].message.contains("unknown field `theem`"),
            "{}",
            err[0].message
        );
        assert_eq!(err[0].hint.as_deref(), Some("did you mean `theme`?"));
    }

    #[test]
    fn base_path_from_url() {
        let c = parse("title: X\nbase_url: https://x.nl/g40/\n").unwrap();
        assert_eq!(c.base_path(), "/g40");
        let c = parse("title: X\nbase_url: https://x.nl\n").unwrap();
        assert_eq!(c.base_path(), "");
    }
}
