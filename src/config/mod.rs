//! `site.yaml`: the site configuration, the first thing the pipeline reads.
//!
//! Unknown keys are errors with a did-you-mean hint, so a typo never silently
//! turns a setting off.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod strings;
mod taxonomies;

pub(crate) use strings::{Strings, StringsFile};
pub(crate) use taxonomies::{Taxonomies, TaxonomiesConfig, Taxonomy};

use crate::diagnostics::{Diagnostic, parse_yaml};
use crate::util::yaml_locator::find_text;

/// The parsed `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SiteConfig {
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
    /// Also write `_redirects` (Netlify, Cloudflare Pages) with a line per
    /// redirect; off by default.
    #[serde(default)]
    pub redirects_file: bool,
    /// Write `/atom.xml`, an Atom feed of every dated page; off by default.
    #[serde(default)]
    pub feed: bool,
    /// The names of the site's pillars and groups (`taxonomies.rs`).
    #[serde(default, rename = "taxonomies")]
    pub taxonomies_config: TaxonomiesConfig,
    /// Free-form values for the theme (`site.extra.x` in templates), e.g.
    /// `home_latest: 3` for the embedded theme's home page.
    #[serde(default)]
    pub extra: Option<serde_yaml::Value>,
    /// Changes to the theme's interface text (`strings/<language>.yaml`),
    /// by key: `search_button: Zoek`.
    #[serde(default)]
    pub strings: std::collections::BTreeMap<String, String>,
    /// The interface text in the site's language, every layer applied
    /// (set once the theme is known, `theme.rs`).
    #[serde(skip)]
    pub ui: Strings,
    /// [`Self::taxonomies_config`] with its defaults filled in.
    #[serde(skip)]
    pub taxonomies: Taxonomies,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Organisation {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MenuItem {
    pub title: String,
    /// Site path like `/jaarverslag/2023/` (the base path is added).
    pub path: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MarkdownConfig {
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
    pub(crate) fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
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
    pub(crate) fn parse(file: &Path, text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let mut config: SiteConfig = parse_yaml(file, text, text, 0)?;
        config.taxonomies = config.taxonomies_config.resolve();
        let mut errors = Vec::new();
        let locate = |key: &str| find_text(text, key, 0).unwrap_or((1, 1));
        for (at, message, hint) in config.taxonomies.problems() {
            let skip = find_text(text, "taxonomies", 0).map_or(0, |(l, _)| l - 1);
            let (l, c) = find_text(text, &at, skip).unwrap_or_else(|| locate("taxonomies"));
            errors.push(Diagnostic::new(file, message).at(text, l, c).hint(hint));
        }
        if let Err((message, hint)) = check_base_url(&config.base_url) {
            let (l, c) = locate("base_url");
            errors.push(Diagnostic::new(file, message).at(text, l, c).hint(hint));
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
        if let Some(name) = &config.markdown.highlight_theme
            && let Err(hint) = crate::highlight::stylesheet(name)
        {
            let (l, c) = locate("highlight_theme");
            errors.push(
                Diagnostic::new(file, format!("unknown highlight theme `{name}`"))
                    .at(text, l, c)
                    .hint(hint),
            );
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
    pub(crate) fn base_path(&self) -> String {
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
    pub(crate) fn base_url_trimmed(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}

/// Why `url` cannot be the site's `base_url` (a message and a hint), or
/// `Ok`. It is written into every page, calendar, schedule, sitemap and
/// `robots.txt`, so it must be exactly one absolute `http(s)` address:
/// no control characters or spaces (a line break in it would add lines to
/// a calendar file), no user name or password, no query or fragment, no
/// `//` or `\\` in its path (`https://a.nl//b.nl/` makes every link
/// `//b.nl/...`, another host), and written the way a browser writes it
/// (lowercase scheme and host, no default port, `.`/`..` resolved).
pub(crate) fn check_base_url(url: &str) -> Result<(), (String, String)> {
    const EXAMPLE: &str = "write the full address, e.g. `https://www.g40stedennetwerk.nl`";
    let shown = crate::diagnostics::printable(url);
    if let Some(c) = url.chars().find(|c| c.is_control() || c.is_whitespace()) {
        return Err((
            format!(
                "base_url `{shown}` contains {}",
                if c.is_whitespace() && !c.is_control() {
                    "a space".to_string()
                } else {
                    format!("a control character (U+{:04X})", c as u32)
                }
            ),
            "write the address on one line, without spaces; percent-encode a space as %20".into(),
        ));
    }
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err((
            format!("base_url `{shown}` is not an http(s) URL"),
            EXAMPLE.into(),
        ));
    }
    let parsed = match url::Url::parse(url) {
        Ok(u) => u,
        Err(e) => {
            return Err((
                format!("base_url `{shown}` is not a valid URL ({e})"),
                EXAMPLE.into(),
            ));
        }
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err((
            format!("base_url `{shown}` contains a user name or password"),
            "leave out the `name@` or `name:password@` part: the address is published on every page".into(),
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err((format!("base_url `{shown}` has no host"), EXAMPLE.into()));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err((
            format!("base_url `{shown}` has a query (`?`) or fragment (`#`)"),
            "give the address of the folder the site is published in, without `?...` or `#...`"
                .into(),
        ));
    }
    let after_scheme = &url[url.find("://").map_or(0, |i| i + 3)..];
    let path = after_scheme
        .find(['/', '\\'])
        .map_or("", |i| &after_scheme[i..]);
    if path.contains("//") || url.contains('\\') {
        return Err((
            format!("base_url `{shown}` has `//` or `\\` in its path"),
            "links would start with `//`, which browsers read as another host: write single slashes".into(),
        ));
    }
    // Anything else the URL parser would write differently (case, dot
    // segments, characters it percent-encodes) is not what the editor
    // meant to publish verbatim: ask for the normal form. An explicit
    // default port (`serve --port 80`) is harmless and allowed.
    let normal = parsed.as_str();
    let authority_end = after_scheme.find('/').unwrap_or(after_scheme.len());
    let default_port = if lower.starts_with("https") {
        ":443"
    } else {
        ":80"
    };
    let written = match after_scheme[..authority_end].strip_suffix(default_port) {
        Some(host) => format!(
            "{}{host}{}",
            &url[..url.len() - after_scheme.len()],
            &after_scheme[authority_end..]
        ),
        None => url.to_string(),
    };
    if normal.trim_end_matches('/') != written.trim_end_matches('/') {
        return Err((
            format!("base_url `{shown}` is not written as browsers write it"),
            format!("write `{}`", normal.trim_end_matches('/')),
        ));
    }
    Ok(())
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
    fn base_url_is_one_absolute_http_address() {
        for ok in [
            "https://www.g40stedennetwerk.nl",
            "https://x.nl/",
            "http://127.0.0.1:1111",
            "http://127.0.0.1:80",
            "https://x.nl:443/g40/",
            "http://[::1]:1111",
            "https://x.nl/g40/",
            "https://x.nl/a-b/c_d/",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}: {:?}", check_base_url(ok));
        }
        for (bad, says) in [
            (
                "https://x.nl\r\nATTACH:https://evil.example/",
                "control character (U+000D)",
            ),
            ("https://x.nl/\u{1b}[2J", "control character (U+001B)"),
            ("https://x.nl/a b", "a space"),
            ("ftp://x.nl", "not an http(s) URL"),
            ("x.nl", "not an http(s) URL"),
            ("https://user:pw@x.nl", "user name or password"),
            ("https://x.nl@evil.example", "user name or password"),
            ("https://x.nl//evil.example/", "`//`"),
            ("https://x.nl/a//b/", "`//`"),
            ("https://x.nl\\evil.example", "`//` or `\\`"),
            ("https://x.nl/?a=b", "query"),
            ("https://x.nl/#top", "fragment"),
            ("https://X.nl", "as browsers write it"),
            ("https://x.nl:0443/", "as browsers write it"),
            ("https://x.nl/a/../b", "as browsers write it"),
            ("https://x.nl/\"><script>", "as browsers write it"),
            ("https://", "not a valid URL"),
        ] {
            let (message, hint) = check_base_url(bad).expect_err(bad);
            assert!(message.contains(says), "{bad}: {message}");
            assert!(
                !message.contains('\r') && !message.contains('\u{1b}'),
                "{message:?}"
            );
            assert!(!hint.is_empty());
        }
        assert_eq!(
            check_base_url("https://X.nl").unwrap_err().1,
            "write `https://x.nl`"
        );
        // Located in site.yaml.
        let err = parse("title: X\nbase_url: \"https://x.nl\\r\\nX-EVIL:1\"\n").unwrap_err();
        assert_eq!((err[0].line, err[0].column), (Some(2), Some(1)));
    }

    #[test]
    fn base_path_from_url() {
        let c = parse("title: X\nbase_url: https://x.nl/g40/\n").unwrap();
        assert_eq!(c.base_path(), "/g40");
        let c = parse("title: X\nbase_url: https://x.nl\n").unwrap();
        assert_eq!(c.base_path(), "");
    }
}
