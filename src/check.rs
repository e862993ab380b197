//! `g40site check`: everything `build` validates, plus every internal link,
//! `#fragment` and image of the rendered site, without writing anything.
//!
//! Runs after the render stage on the in-memory outputs: a link is good when
//! the file it points to is part of the build and, with a fragment, that
//! file has an element with that id. Problems are located in the content
//! file the page came from (the line where the link is written) when the
//! page has one.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{Output, output_path};
use crate::site::Site;

/// What `check` looked at.
#[derive(Debug, Default)]
pub struct CheckSummary {
    pub pages: usize,
    pub links: usize,
    pub problems: Diagnostics,
}

/// Build the site in memory and check its links. `Err` means the build
/// itself failed (its errors); a built site with bad links is `Ok` with
/// `problems` filled in.
pub fn check(
    root: &std::path::Path,
    opts: &crate::BuildOptions,
) -> Result<CheckSummary, Diagnostics> {
    let (site, outputs) = crate::render_site(root, opts)?;
    Ok(check_links(root, &site, &outputs))
}

/// Check every `href` and `src` of every HTML output against the outputs.
pub fn check_links(root: &Path, site: &Site, outputs: &[Output]) -> CheckSummary {
    let files: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    let html: Vec<(&str, &str)> = outputs
        .iter()
        .filter(|o| o.path.ends_with(".html"))
        .filter_map(|o| {
            std::str::from_utf8(&o.bytes)
                .ok()
                .map(|t| (o.path.as_str(), t))
        })
        .collect();
    let ids: HashMap<&str, HashSet<String>> = html
        .iter()
        .map(|(path, text)| (*path, attribute_values(text, "id").into_iter().collect()))
        .collect();
    // Which content file each page comes from, to locate problems there.
    let source_of: HashMap<String, &str> = site
        .pages
        .iter()
        .map(|p| (output_path(&p.url, &site.base_path), p.source.as_str()))
        .collect();

    let mut summary = CheckSummary {
        pages: html.len(),
        ..Default::default()
    };
    // Menu links are on every page but written once, in site.yaml: check
    // them once and point there.
    let menu: HashSet<String> = site
        .config
        .menu
        .iter()
        .filter(|m| m.path.starts_with('/'))
        .map(|m| site.url(&m.path))
        .collect();
    let site_yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap_or_default();
    for item in site.config.menu.iter().filter(|m| m.path.starts_with('/')) {
        summary.links += 1;
        let file =
            internal_target("index.html", &site.url(&item.path), &site.base_path).map(|t| t.0);
        if !file.is_some_and(|f| files.contains(f.as_str())) {
            let (line, column) = crate::config::line_of_key(&site_yaml, &item.path);
            summary.problems.push(
                Diagnostic::new(
                    "site.yaml",
                    format!(
                        "menu item `{}` links to `{}`, which is not part of the site",
                        item.title, item.path
                    ),
                )
                .at(&site_yaml, line, column)
                .hint("fix the path, or remove the menu item"),
            );
        }
    }
    for (page, text) in &html {
        let mut targets = attribute_values(text, "href");
        targets.extend(attribute_values(text, "src"));
        for target in targets.into_iter().filter(|t| !menu.contains(t)) {
            let Some((file, fragment)) = internal_target(page, &target, &site.base_path) else {
                continue;
            };
            summary.links += 1;
            let problem = if !files.contains(file.as_str()) {
                Some(format!(
                    "broken link `{target}`: {} is not part of the site",
                    display_target(&file)
                ))
            } else if let Some(f) = fragment.filter(|f| !f.is_empty() && *f != "top") {
                let known = ids.get(file.as_str()).is_some_and(|set| set.contains(&f));
                (!known).then(|| {
                    format!(
                        "broken link `{target}`: {} has no element with id `{f}`",
                        display_target(&file)
                    )
                })
            } else {
                None
            };
            if let Some(message) = problem {
                summary.problems.push(locate(
                    root,
                    source_of.get(*page).copied(),
                    page,
                    &target,
                    message,
                ));
            }
        }
    }
    summary.problems = std::mem::take(&mut summary.problems).sorted();
    summary
}

fn display_target(file: &str) -> String {
    format!("/{}", file.trim_end_matches("index.html"))
}

/// Point at the line in the content file where the link is written; links
/// written as `file.md#x` show up as their URL in the output, so try the
/// fragment and the last path segment too.
fn locate(
    root: &Path,
    source: Option<&str>,
    page: &str,
    target: &str,
    message: String,
) -> Diagnostic {
    let Some(source) = source else {
        return Diagnostic::new(PathBuf::from(format!("output: /{page}")), message).hint(
            "this page is generated from a template: check the template or the data it lists",
        );
    };
    let path = PathBuf::from("content").join(source);
    let text = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
    let fragment = target.split_once('#').map(|(_, f)| format!("#{f}"));
    let last_segment = target
        .split('#')
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .map(str::to_string);
    let needles: Vec<String> = [Some(target.to_string()), fragment, last_segment]
        .into_iter()
        .flatten()
        .filter(|n| !n.is_empty())
        .collect();
    for needle in &needles {
        for (i, line) in text.lines().enumerate() {
            if let Some(col) = line.find(needle.as_str()) {
                return Diagnostic::new(&path, message)
                    .at(&text, i + 1, line[..col].chars().count() + 1)
                    .hint("fix the link target, or the heading or file it points to");
            }
        }
    }
    Diagnostic::new(&path, message).hint("the link may come from the template rather than the text")
}

/// `(output file, fragment)` for an internal link from `page`, or `None` for
/// external links (`https:`, `mailto:`, `//host`) and the dev server's own.
fn internal_target(page: &str, target: &str, base_path: &str) -> Option<(String, Option<String>)> {
    let target = target.trim();
    if target.is_empty() || target.starts_with("//") || target.starts_with("/__g40site/") {
        return None;
    }
    if let Some(colon) = target.find(':') {
        // A scheme (`https:`, `mailto:`, `tel:`) comes before any `/`, `?` or `#`.
        if !target[..colon].contains(['/', '?', '#']) {
            return None;
        }
    }
    let (path_part, fragment) = match target.split_once('#') {
        Some((p, f)) => (
            p,
            Some(crate::serve::percent_decode(f).unwrap_or_else(|| f.to_string())),
        ),
        None => (target, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let absolute = if path_part.is_empty() {
        format!("/{page}")
    } else if path_part.starts_with('/') {
        path_part
            .strip_prefix(base_path)
            .filter(|p| p.starts_with('/'))
            .unwrap_or(path_part)
            .to_string()
    } else {
        let dir = page.rfind('/').map(|i| &page[..=i]).unwrap_or("");
        format!("/{dir}{path_part}")
    };
    let file = crate::serve::site_path(&absolute)?;
    Some((file, fragment))
}

/// Values of `name="..."` attributes in HTML (double or single quotes), with
/// the common entities decoded.
pub fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let mut values = Vec::new();
    let bytes = html.as_bytes();
    let pattern = format!("{name}=");
    let mut from = 0;
    while let Some(i) = html[from..].find(&pattern) {
        let at = from + i;
        from = at + pattern.len();
        // Must be a whole attribute name: preceded by whitespace.
        if at == 0 || !bytes[at - 1].is_ascii_whitespace() {
            continue;
        }
        let Some(&quote) = bytes.get(from) else { break };
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        if let Some(end) = html[from + 1..].find(quote as char) {
            values.push(decode_entities(&html[from + 1..from + 1 + end]));
            from += end + 2;
        }
    }
    values
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_attributes() {
        let html =
            r#"<a href="/a/#x" id="top"><img src='b.png' data-id="no"></a><p>id="tekst"</p>"#;
        assert_eq!(attribute_values(html, "href"), ["/a/#x"]);
        assert_eq!(attribute_values(html, "src"), ["b.png"]);
        assert_eq!(attribute_values(html, "id"), ["top"]);
    }

    #[test]
    fn resolves_internal_targets() {
        let t = |target| internal_target("jaarverslag/2023/index.html", target, "");
        assert_eq!(
            t("voorwoord/"),
            Some(("jaarverslag/2023/voorwoord/index.html".into(), None))
        );
        assert_eq!(t("/style.css"), Some(("style.css".into(), None)));
        assert_eq!(
            t("#toc"),
            Some(("jaarverslag/2023/index.html".into(), Some("toc".into())))
        );
        assert_eq!(t("https://example.nl/"), None);
        assert_eq!(t("mailto:a@b.nl"), None);
        assert_eq!(
            internal_target("a/index.html", "/g40/b/", "/g40"),
            Some(("b/index.html".into(), None))
        );
    }
}
