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

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{Output, output_path};
use crate::site::Site;

/// What `check` looked at.
#[derive(Debug, Default)]
pub struct CheckSummary {
    /// Pages checked.
    pub pages: usize,
    /// Links followed.
    pub links: usize,
    /// Broken links and other problems found (they fail `check`).
    pub problems: Diagnostics,
    /// The build's warnings (they do not fail `check`).
    pub warnings: Vec<Diagnostic>,
}

/// Build the site in memory and check its links. `Err` means the build
/// itself failed (its errors); a built site with bad links is `Ok` with
/// `problems` filled in.
pub fn check(
    root: &std::path::Path,
    opts: &crate::pipeline::BuildOptions,
) -> Result<CheckSummary, Diagnostics> {
    let (site, mut outputs) = crate::pipeline::render_site_but_search_index(root, opts)?;
    // The search index has no links to check, and making it is a good
    // part of a build: it is left out, but a link to it is a good link.
    outputs.push(Output {
        path: crate::render::search_index_path(&site),
        bytes: Vec::new(),
    });
    let mut summary = check_links(root, &site, &outputs);
    summary.warnings = site.warnings.clone();
    Ok(summary)
}

/// Check every `href` and `src` of every HTML output against the outputs.
///
/// A link is judged however it is written (`x.md#kop`, `../voorwoord/#kop`,
/// `/jaarverslag/2025/voorwoord/`), after resolving it the way a browser
/// does. A site-absolute link must lie under the base path of `base_url`
/// (the build puts content links there; a template or raw HTML may not).
/// Pages that repeat the text of others (a report's print page holds its
/// chapters) are checked too, but a problem is reported once, at the line
/// in the content file where the link is written.
pub(crate) fn check_links(root: &Path, site: &Site, outputs: &[Output]) -> CheckSummary {
    let files: HashSet<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    let mut html: Vec<(&str, &str)> = outputs
        .iter()
        .filter(|o| o.path.ends_with(".html"))
        .filter_map(|o| {
            std::str::from_utf8(&o.bytes)
                .ok()
                .map(|t| (o.path.as_str(), t))
        })
        .collect();
    let ids: HashMap<&str, HashSet<String>> = html
        .par_iter()
        .map(|(path, text)| (*path, attribute_values(text, "id").into_iter().collect()))
        .collect();
    // Which content file each page comes from, to locate problems there.
    let source_of: HashMap<String, &str> = site
        .pages
        .iter()
        .map(|p| (output_path(&p.url, &site.base_path), p.source.as_str()))
        .collect();
    // Pages made from the text of others: where their links are written.
    let mut sources_of: HashMap<String, Vec<&str>> = HashMap::new();
    for r in &site.reports {
        let mut sources = vec![site.pages[r.index].source.as_str()];
        sources.extend(r.chapters.iter().map(|&c| site.pages[c].source.as_str()));
        sources_of.insert(output_path(&r.print_url, &site.base_path), sources);
    }
    for day in &site.programmes {
        let source = site.pages[day.index].source.as_str();
        sources_of.insert(output_path(&day.print_url, &site.base_path), vec![source]);
    }
    for set in &site.role_sets {
        sources_of.insert(
            output_path(&set.print_url, &site.base_path),
            vec![set.source.as_str()],
        );
        for role in &set.roles {
            sources_of.insert(
                output_path(&role.url, &site.base_path),
                vec![set.source.as_str()],
            );
        }
    }
    // A page's own links first, so that a link repeated on a print page is
    // reported for the page it is written on.
    html.sort_by_key(|(page, _)| (!source_of.contains_key(*page), *page));

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
        let file = internal_target("index.html", &site.url(&item.path), &site.base_path)
            .and_then(Result::ok)
            .map(|t| t.0);
        if !file.is_some_and(|f| files.contains(f.as_str())) {
            let (line, column) =
                crate::util::yaml_locator::find_text(&site_yaml, &item.path, 0).unwrap_or((1, 1));
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
    // Every page's links, in parallel: how many were followed, and the
    // problems found.
    let checked: Vec<(usize, Vec<Diagnostic>)> = html
        .par_iter()
        .map(|(page, text)| {
            let mut links = 0;
            let mut problems = Vec::new();
            let mut targets = attribute_values(text, "href");
            targets.extend(attribute_values(text, "src"));
            let own = source_of.get(*page).copied();
            let sources: Vec<&str> = match (own, sources_of.get(*page)) {
                (Some(s), _) => vec![s],
                (None, Some(list)) => list.clone(),
                (None, None) => Vec::new(),
            };
            for target in targets.into_iter().filter(|t| !menu.contains(t)) {
                let Some(resolved) = internal_target(page, &target, &site.base_path) else {
                    continue;
                };
                links += 1;
                let problem = match resolved {
                    Err(why) => Some(format!("broken link `{target}`: {why}")),
                    Ok((file, _)) if !files.contains(file.as_str()) => Some(format!(
                        "broken link `{target}`: {} is not part of the site",
                        display_target(&file)
                    )),
                    Ok((file, Some(f))) if !f.is_empty() && f != "top" => {
                        let known = ids.get(file.as_str()).is_some_and(|set| set.contains(&f));
                        (!known).then(|| {
                            format!(
                                "broken link `{target}`: {} has no element with id `{f}`",
                                display_target(&file)
                            )
                        })
                    }
                    Ok(_) => None,
                };
                if let Some(mut message) = problem {
                    if own.is_none() && !sources.is_empty() {
                        message.push_str(&format!(" (on {})", display_target(page)));
                    }
                    problems.push(locate(root, &sources, page, &target, message));
                }
            }
            (links, problems)
        })
        .collect();
    // One problem per place a link is written: reported for the first
    // page, in the order above, that has it.
    let mut reported: HashSet<(PathBuf, Option<usize>, Option<usize>)> = HashSet::new();
    for (links, problems) in checked {
        summary.links += links;
        for d in problems {
            if d.line.is_none() || reported.insert((d.file.clone(), d.line, d.column)) {
                summary.problems.push(d);
            }
        }
    }
    summary.problems = std::mem::take(&mut summary.problems).sorted();
    summary
}

fn display_target(file: &str) -> String {
    format!("/{}", file.trim_end_matches("index.html"))
}

/// Point at the line in a content file where the link is written (the
/// page's own, or for a print page the first of its sources that has it);
/// links written as `file.md#x` show up as their URL in the output, so try
/// the fragment and the last path segment too.
fn locate(root: &Path, sources: &[&str], page: &str, target: &str, message: String) -> Diagnostic {
    if sources.is_empty() {
        return Diagnostic::new(PathBuf::from(format!("output: /{page}")), message).hint(
            "this page is generated from a template: check the template or the data it lists",
        );
    }
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
    let texts: Vec<(PathBuf, String)> = sources
        .iter()
        .map(|s| {
            let path = PathBuf::from("content").join(s);
            let text = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
            (path, text)
        })
        .collect();
    for needle in &needles {
        for (path, text) in &texts {
            if let Some((line, column)) = crate::util::yaml_locator::find_text(text, needle, 0) {
                return Diagnostic::new(path, message)
                    .at(text, line, column)
                    .hint("fix the link target, or the heading or file it points to");
            }
        }
    }
    Diagnostic::new(&texts[0].0, message)
        .hint("the link may come from the template rather than the text")
}

/// `(output file, fragment)` for an internal link from `page`, `Err` with
/// the reason for an internal link that cannot be right (above the site's
/// root, outside its base path), or `None` for external links (`https:`,
/// `mailto:`, `//host`) and the dev server's own.
fn internal_target(
    page: &str,
    target: &str,
    base_path: &str,
) -> Option<Result<(String, Option<String>), String>> {
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
            Some(crate::util::url::percent_decode(f).unwrap_or_else(|| f.to_string())),
        ),
        None => (target, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let absolute = if path_part.is_empty() {
        format!("/{page}")
    } else if path_part.starts_with('/') {
        if base_path.is_empty() {
            path_part.to_string()
        } else {
            match path_part.strip_prefix(base_path) {
                Some("") => "/".to_string(),
                Some(rest) if rest.starts_with('/') => rest.to_string(),
                _ => {
                    return Some(Err(format!(
                        "it is outside the site's base path `{base_path}/` (from `base_url`), so it leads nowhere on the published site"
                    )));
                }
            }
        }
    } else {
        let dir = page.rfind('/').map(|i| &page[..=i]).unwrap_or("");
        format!("/{dir}{path_part}")
    };
    let Some(normal) = normalise(&absolute) else {
        return Some(Err(
            "it climbs above the top of the site (too many `../`)".into()
        ));
    };
    let file = crate::util::url::site_path(&normal)?;
    Some(Ok((file, fragment)))
}

/// Resolve `.` and `..` segments of a site-absolute path the way a
/// browser does; `None` when `..` climbs above the root.
fn normalise(path: &str) -> Option<String> {
    let mut segments: Vec<&str> = Vec::new();
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            s => segments.push(s),
        }
    }
    let mut out = format!("/{}", segments.join("/"));
    if trailing && !segments.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Values of `name="..."` attributes in HTML (double or single quotes), with
/// the common entities decoded.
pub(crate) fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let mut values = Vec::new();
    let bytes = html.as_bytes();
    let pattern = format!("{name}=");
    let finder = memchr::memmem::Finder::new(&pattern);
    let mut from = 0;
    while let Some(i) = finder.find(&bytes[from..]) {
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
            values.push(crate::util::html::decode_entities(
                &html[from + 1..from + 1 + end],
            ));
            from += end + 2;
        }
    }
    values
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
        let t =
            |target| internal_target("jaarverslag/2023/index.html", target, "").map(|r| r.unwrap());
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
            Some(Ok(("b/index.html".into(), None)))
        );
        assert_eq!(
            t("../2022/voorwoord/#kop"),
            Some((
                "jaarverslag/2022/voorwoord/index.html".into(),
                Some("kop".into())
            ))
        );
        assert!(matches!(
            internal_target("a/index.html", "/kernboodschappen/", "/g40"),
            Some(Err(_))
        ));
        assert!(matches!(
            internal_target("jaarverslag/2023/index.html", "../../../x/", ""),
            Some(Err(_))
        ));
    }
}
