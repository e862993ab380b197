//! Assemble: redirects, from old URLs to the pages that live on.
//!
//! A document of any kind can list `aliases:` (old site paths, such as
//! `/oud/pad/`, cited in council documents). Each becomes a [`Redirect`]:
//! a small page at the old URL that sends the reader on (rendered with the
//! theme's `redirect.html`), listed nowhere else, and, when `site.yaml`
//! asks for it, a line of the `_redirects` file. Generated pages use the
//! same mechanism (the first page of a paginated section). Every redirect
//! claims its output path like any writer (`site/outputs.rs`); a claim an
//! alias shares with another writer is an error located at the alias.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use super::Assembly;
use crate::diagnostics::{Diagnostic, printable};
use crate::util::url::{host_of, percent_decode};
use crate::util::yaml_locator::{Position, YamlLocator, find_text};

/// A page that sends the reader from an old URL to a page's URL.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Redirect {
    /// The old URL, base path included (`/g40/oud/pad/`).
    pub from: String,
    /// The URL redirected to, base path included.
    pub to: String,
    /// `to` as an absolute URL (for `<link rel="canonical">`).
    pub permalink: String,
    /// The title of the page redirected to.
    pub title: String,
    /// Who writes the redirect, among the writers of its output path.
    #[serde(skip)]
    pub writer: String,
    /// Where the alias is written, for located errors; `None` for
    /// redirects the site makes itself.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// Where an alias is written.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    file: PathBuf,
    text: Arc<str>,
    at: Position,
}

impl Origin {
    /// An error pointing at the alias.
    pub(crate) fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.file, message).at(&self.text, self.at.0, self.at.1)
    }
}

/// The aliases of one document, with what is needed to locate them.
pub(super) struct Aliased<'a> {
    pub(super) file: &'a Path,
    pub(super) text: &'a Arc<str>,
    /// How much of `text` holds the fields (a Markdown file's front matter).
    pub(super) fields_end: usize,
    /// Where the `aliases` key is (1-based line and column).
    pub(super) key: Position,
    pub(super) aliases: &'a [String],
    /// `content/...`, for naming the writer.
    pub(super) source: String,
    /// Site path of the document's page (without the base path).
    pub(super) to: &'a str,
    pub(super) title: &'a str,
}

/// The redirects of one document's aliases; bad aliases are located errors.
pub(super) fn from_aliases(
    ax: &Assembly,
    a: Aliased,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Redirect> {
    let fields = &a.text[..a.fields_end.min(a.text.len())];
    // A block list has an item per line range; a flow list (`[/a/, /b/]`)
    // has none, and its aliases are searched for from the key on, each
    // from the one before (so a repeated alias is found at its own place).
    let items = YamlLocator::new(fields).list_items("aliases");
    let mut line = a.key.0;
    let mut redirects = Vec::with_capacity(a.aliases.len());
    for (i, alias) in a.aliases.iter().enumerate() {
        let at = match items.get(i) {
            Some(item) => find_text(fields, alias, item.start)
                .filter(|p| p.0 <= item.end)
                .unwrap_or_else(|| {
                    let text = fields.lines().nth(item.start).unwrap_or("");
                    (item.start + 1, text.len() - text.trim_start().len() + 1)
                }),
            None => find_text(fields, alias, line.saturating_sub(1)).unwrap_or(a.key),
        };
        line = at.0.max(line);
        let origin = Origin {
            file: a.file.to_path_buf(),
            text: a.text.clone(),
            at,
        };
        match alias_path(alias, ax.base_url, ax.base_path) {
            Ok(path) => redirects.push(Redirect {
                from: format!("{}{path}", ax.base_path),
                to: format!("{}{}", ax.base_path, a.to),
                permalink: format!("{}{}", ax.base_url, a.to),
                title: a.title.to_string(),
                writer: format!("alias `{}` of {}", printable(alias), a.source),
                origin: Some(origin),
            }),
            Err((message, hint)) => errors.push(origin.error(message).hint(hint)),
        }
    }
    redirects
}

/// A redirect the site makes itself, from `from` to `to` (both URLs with
/// the base path), written by `writer`.
pub(super) fn generated(
    ax: &Assembly,
    from: String,
    to: &str,
    title: &str,
    writer: String,
) -> Redirect {
    let site_path = to.strip_prefix(ax.base_path).unwrap_or(to);
    Redirect {
        from,
        to: to.to_string(),
        permalink: format!("{}{site_path}", ax.base_url),
        title: title.to_string(),
        writer,
        origin: None,
    }
}

const EXAMPLE: &str = "write the old address as a path on this site, e.g. `/oud/pad/`";

/// The site path (without the base path, percent escapes decoded) an
/// alias stands for, or why it is not one (a message and a hint). A path
/// whose last segment ends in `.html` is that file; any other path is a
/// folder (`/oud/pad` → `/oud/pad/`), served as `index.html`. A full URL
/// is accepted for this site's own address (`base_url`) only.
pub(crate) fn alias_path(
    alias: &str,
    base_url: &str,
    base_path: &str,
) -> Result<String, (String, String)> {
    let shown = printable(alias);
    if let Some(c) = alias.chars().find(|c| c.is_control()) {
        return Err((
            format!(
                "alias `{shown}` contains a control character (U+{:04X})",
                c as u32
            ),
            EXAMPLE.into(),
        ));
    }
    if alias.chars().any(char::is_whitespace) {
        return Err((
            format!("alias `{shown}` contains a space"),
            "percent-encode a space as %20, e.g. `/oud/mijn%20pagina/`".into(),
        ));
    }
    let lower = alias.to_ascii_lowercase();
    let path = if lower.starts_with("http://") || lower.starts_with("https://") {
        let own = host_of(base_url);
        if host_of(alias) != own {
            return Err((
                format!("alias `{shown}` is an address on another site"),
                format!(
                    "an alias is an old address of this site ({base_url}); {}",
                    EXAMPLE.trim_start_matches("write ")
                ),
            ));
        }
        let after = &alias[alias.find("://").map_or(0, |i| i + 3)..];
        let path = after.find('/').map_or("/", |i| &after[i..]);
        match path.strip_prefix(base_path) {
            Some(rest) if rest.starts_with('/') => rest.to_string(),
            Some("") => "/".to_string(),
            _ => {
                return Err((
                    format!("alias `{shown}` is outside the site, which starts at {base_url}"),
                    EXAMPLE.into(),
                ));
            }
        }
    } else if alias.starts_with("//") {
        return Err((
            format!("alias `{shown}` is an address on another site (it starts with `//`)"),
            EXAMPLE.into(),
        ));
    } else if alias.contains("://") || !alias.starts_with('/') {
        return Err((
            format!("alias `{shown}` is not a site path: it must start with `/`"),
            if alias.contains(':') {
                EXAMPLE.to_string()
            } else {
                format!("write `/{}`", alias.trim_end_matches('/').to_string() + "/")
            },
        ));
    } else {
        alias.to_string()
    };
    if path.contains(['?', '#']) {
        return Err((
            format!("alias `{shown}` has a query or fragment (`?` or `#`)"),
            "a static site cannot redirect one query or fragment: write the path only".into(),
        ));
    }
    let Some(decoded) = percent_decode(&path) else {
        return Err((
            format!("alias `{shown}` has a malformed percent escape"),
            "write `%` followed by two hex digits (`%20`), or leave the character as it is".into(),
        ));
    };
    if decoded.contains('\\') || decoded.chars().any(char::is_control) {
        return Err((
            format!("alias `{shown}` contains a backslash or a control character"),
            EXAMPLE.into(),
        ));
    }
    let inner = decoded.trim_start_matches('/');
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if !inner.is_empty() {
        for segment in inner.split('/') {
            if segment.is_empty() || segment == "." || segment == ".." {
                return Err((
                    format!(
                        "alias `{shown}` has an empty, `.` or `..` segment: it must name one place"
                    ),
                    "write the path without `//`, `./` and `../`, e.g. `/oud/pad/`".into(),
                ));
            }
        }
    }
    let last = inner.rsplit('/').next().unwrap_or("");
    let file = last.ends_with(".html") || last.ends_with(".htm");
    Ok(if inner.is_empty() {
        "/".to_string()
    } else if file && !decoded.ends_with('/') {
        format!("/{inner}")
    } else {
        format!("/{inner}/")
    })
}

/// The `_redirects` file (Netlify and Cloudflare Pages): one line
/// `/old/ /new/ 301` per redirect, in URL order, paths percent-encoded.
pub(crate) fn redirects_file(redirects: &[Redirect]) -> String {
    let mut lines: Vec<String> = redirects
        .iter()
        .map(|r| {
            format!(
                "{} {} 301\n",
                crate::util::url::percent_encode(&r.from),
                crate::util::url::percent_encode(&r.to)
            )
        })
        .collect();
    lines.sort();
    lines.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://www.g40stedennetwerk.nl";

    #[test]
    fn site_paths_are_normalised() {
        assert_eq!(alias_path("/oud/pad/", BASE, "").unwrap(), "/oud/pad/");
        assert_eq!(alias_path("/oud/pad", BASE, "").unwrap(), "/oud/pad/");
        assert_eq!(
            alias_path("/oud/pad.html", BASE, "").unwrap(),
            "/oud/pad.html"
        );
        assert_eq!(alias_path("/caf%C3%A9/", BASE, "").unwrap(), "/café/");
        assert_eq!(alias_path("/", BASE, "").unwrap(), "/");
        assert_eq!(
            alias_path("https://g40stedennetwerk.nl/oud/", BASE, "").unwrap(),
            "/oud/"
        );
        assert_eq!(
            alias_path("https://host.nl/g40/oud/", "https://host.nl/g40", "/g40").unwrap(),
            "/oud/"
        );
    }

    #[test]
    fn bad_aliases_say_why() {
        for (alias, says) in [
            ("oud/pad/", "must start with `/`"),
            ("/a/../b/", "`..`"),
            ("/a/%2e%2e/b/", "`..`"),
            ("/a//b/", "empty"),
            ("https://example.org/oud/", "another site"),
            ("//example.org/oud/", "another site"),
            ("/oud\u{7}/", "control character"),
            ("/oud pad/", "space"),
            ("/oud/?id=3", "query"),
            ("/oud/%zz/", "percent escape"),
            ("https://host.nl/other/", "outside the site"),
        ] {
            let base = if alias.contains("host.nl") {
                "https://host.nl/g40"
            } else {
                BASE
            };
            let path = if base == BASE { "" } else { "/g40" };
            let (message, _) = alias_path(alias, base, path).unwrap_err();
            assert!(message.contains(says), "{alias}: {message}");
        }
    }
}
