//! Markdown (links): content links resolved to their page's URL (or
//! reported), site-absolute links under the base path, external links
//! recognised.

use pulldown_cmark::CowStr;

use super::{Context, LinkTarget, locate};
use crate::util::html::is_safe_url;

use crate::diagnostics::Diagnostic;
use crate::util::url::{host_of, percent_decode};

/// The `href` a link to `dest` gets in the HTML rendered with `cx`: a
/// content file resolved to its page's URL, other targets as written,
/// `None` for a URL that could run script. For text outside the HTML (the
/// calendar and schedule exports), which must link where the page links;
/// reports nothing (rendering the HTML reports broken links).
pub(crate) fn link_href(dest: &str, cx: &Context) -> Option<String> {
    let mut ignored = Vec::new();
    checked_dest(
        &CowStr::Borrowed(dest),
        false,
        cx,
        "",
        0,
        &mut ignored,
        &mut Vec::new(),
    )
    .map(|d| d.to_string())
}

/// A link's or image's target, resolved ([`resolve_link`]); `None` if its
/// URL could run script. Either way `dropped` remembers the answer, so the
/// matching end tag is dropped too (links and images can nest).
pub(super) fn checked_dest<'e>(
    dest: &CowStr<'e>,
    image: bool,
    cx: &Context,
    text: &str,
    offset: usize,
    errors: &mut Vec<Diagnostic>,
    dropped: &mut Vec<bool>,
) -> Option<CowStr<'e>> {
    let unsafe_url = !cx.unsafe_html && !is_safe_url(dest);
    dropped.push(unsafe_url);
    (!unsafe_url).then(|| resolve_link(dest, image, cx, text, offset, errors))
}

/// The path part of the site's `base_url` (`https://x.nl/g40/` → `/g40`),
/// empty for a site at the root of its host.
pub(super) fn base_path_of(site_url: &str) -> &str {
    let rest = site_url
        .split_once("://")
        .map_or(site_url, |(_, rest)| rest);
    match rest.find('/') {
        Some(i) => rest[i..].trim_end_matches('/'),
        None => "",
    }
}

/// Whether a relative link names a file (`kaart.png`, `../bijlagen/x.pdf`)
/// rather than a page URL (`../voorwoord/`): its last segment has an
/// extension. Pages written as `x/index.html` are left to `check`.
pub(super) fn names_a_file(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    match last.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && !matches!(ext.to_ascii_lowercase().as_str(), "html" | "htm")
        }
        None => false,
    }
}

/// Rewrite a link to a content file (`../voorwoord.md#kop`, `kaart.png`)
/// to its URL, and a site-absolute link (`/kernboodschappen/`) to one
/// under the base path. A link to a file that is not there is an error
/// (with a did-you-mean), and so is a link to a draft; a link to a document
/// that has errors of its own is left alone (that file's error is the one
/// to fix). Other links pass through unchanged; `check` judges them.
pub(super) fn resolve_link<'e>(
    dest: &CowStr<'e>,
    image: bool,
    cx: &Context,
    text: &str,
    offset: usize,
    errors: &mut Vec<Diagnostic>,
) -> CowStr<'e> {
    let Some(resolve) = cx.resolve else {
        return dest.clone();
    };
    if dest.contains("://")
        || dest.starts_with('#')
        || dest.starts_with("//")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
        || dest.is_empty()
        // An e-mail autolink (`<a@b.nl>`) arrives without its `mailto:`.
        || (dest.contains('@') && !dest.contains('/'))
    {
        return dest.clone();
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest.as_ref(), None),
    };
    let lower = path.to_ascii_lowercase();
    let is_document = lower.ends_with(".md") || lower.ends_with(".yaml") || lower.ends_with(".yml");
    let site_absolute = path.starts_with('/');
    if site_absolute && !is_document {
        // Written from the root of the site: it lives under the base path
        // (`base_url: https://x.nl/g40/`), unless the link says so already.
        let base = cx.site_url.map(base_path_of).unwrap_or("");
        if base.is_empty() || path == base || path.starts_with(&format!("{base}/")) {
            return dest.clone();
        }
        return format!("{base}{dest}").into();
    }
    let line_column = || locate(cx, text, offset, path);
    if lower.starts_with("www.") {
        let (line, column) = line_column();
        errors.push(
            Diagnostic::new(
                cx.file,
                format!("link to `{path}`: a web address needs `https://`"),
            )
            .at(cx.file_text, line, column)
            .hint(format!("write `https://{dest}`")),
        );
        return dest.clone();
    }
    let target = if site_absolute {
        Some(path.trim_start_matches('/').to_string())
    } else {
        join_relative(cx.rel, path)
    };
    let Some(target) = target.map(|t| percent_decode(&t).unwrap_or(t)) else {
        return dest.clone();
    };
    let problem = match resolve.target(&target) {
        LinkTarget::Url(url) => {
            return match fragment {
                Some(f) => format!("{url}#{f}").into(),
                None => url.into(),
            };
        }
        LinkTarget::Unreadable => return dest.clone(),
        LinkTarget::Draft(by) => (
            if by == target {
                format!(
                    "link to `{path}`: that document is a draft (`draft: true`), so it is not published"
                )
            } else {
                format!(
                    "link to `{path}`: that document is in a draft (`draft: true` in content/{by}), so it is not published"
                )
            },
            format!(
                "remove `draft: true` from content/{by} to publish it, or remove the link (`--drafts` shows drafts in a preview)"
            ),
        ),
        // A page written as its URL (`../voorwoord/`) is left to `check`.
        LinkTarget::Missing if !(is_document || image || names_a_file(path)) => {
            return dest.clone();
        }
        LinkTarget::Missing => {
            let what = if is_document { "content file" } else { "file" };
            let hint = match resolve.similar(&target) {
                Some(similar) => {
                    let shown = match (similar.rsplit_once('/'), target.rsplit_once('/')) {
                        (Some((a, name)), Some((b, _))) if a == b => match path.rsplit_once('/') {
                            Some((dir, _)) => format!("{dir}/{name}"),
                            None => name.to_string(),
                        },
                        (None, None) => similar.clone(),
                        _ => format!("content/{similar}"),
                    };
                    let case = if similar.to_lowercase() == target.to_lowercase() {
                        " (upper and lower case differ; file names must match exactly)"
                    } else {
                        ""
                    };
                    format!("did you mean `{shown}`?{case}")
                }
                None => {
                    format!("links are relative to this file's folder; looked for content/{target}")
                }
            };
            (format!("link to `{path}`: there is no such {what}"), hint)
        }
    };
    let (line, column) = line_column();
    errors.push(
        Diagnostic::new(cx.file, problem.0)
            .at(cx.file_text, line, column)
            .hint(problem.1),
    );
    dest.clone()
}

/// The path relative to `content/` of the image `dest` written in the
/// file of `cx`, when it names a file of the site there: relative to the
/// file, not a web address, not written from the site's root (those are
/// URLs, not content paths).
pub(super) fn image_rel(dest: &str, cx: &Context) -> Option<String> {
    if dest.contains("://")
        || dest.starts_with('/')
        || dest.starts_with('#')
        || dest.contains(':')
        || dest.is_empty()
    {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    let target = join_relative(cx.rel, path)?;
    Some(percent_decode(&target).unwrap_or(target))
}

/// A link to another site: `http(s)` to a host other than the site's.
pub(super) fn is_external(dest: &str, cx: &Context) -> bool {
    match host_of(dest) {
        Some(host) => cx.site_url.and_then(host_of).is_none_or(|own| own != host),
        None => false,
    }
}

/// `jaarverslag/2023/02-x.md` + `../2022/01-y.md` → `jaarverslag/2022/01-y.md`.
/// `None` when the path climbs out of `content/`.
pub(super) fn join_relative(from_file: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_file.split('/').collect();
    parts.pop(); // the file itself
    for segment in link.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}
