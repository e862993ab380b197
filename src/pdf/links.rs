//! The links of a printed page, rewritten for the PDF.
//!
//! Chromium prints the page from the temporary print server, so every
//! link written root-relative (`/jaarverslag/2024/voorwoord/`) would land
//! in the PDF as `http://127.0.0.1:PORT/...`, useless to a reader. Before
//! the page is printed, each `<a href>` is rewritten:
//!
//! - a link to a page that is part of this PDF (a chapter on the report's
//!   print page, a role on the role set's print page, the programme's own
//!   page) becomes `#id` of the place it shows up on the printed page, so
//!   Chromium writes an in-document link (a named destination);
//! - a `#id` that exists on the printed page stays as it is;
//! - every other link to the site becomes its public URL under `base_url`;
//! - links to other sites, `mailto:` and `tel:` are left alone.
//!
//! Only `<a>` and `<area>` are touched: stylesheets and images still load
//! from the print server.

use std::collections::HashSet;

/// A page whose content is part of the printed document.
#[derive(Debug, Clone)]
pub(crate) struct Inside {
    /// Its URL (root-relative, with the base path, no fragment).
    pub url: String,
    /// Where the page starts on the printed page (an id), if anywhere.
    pub top: Option<String>,
    /// Its ids carry this prefix on the printed page (report chapters).
    pub prefix: String,
}

/// How the links of one printed page are rewritten.
#[derive(Debug, Clone)]
pub(crate) struct Rewrite<'a> {
    /// `base_url` without its trailing slash (`https://x.nl/g40`).
    pub base_url: &'a str,
    /// The URL of the printed page (relative links are resolved against it).
    pub page_url: &'a str,
    /// Pages that are part of this document.
    pub inside: &'a [Inside],
}

impl Rewrite<'_> {
    /// `html` with every `<a href>` rewritten (see the module docs).
    pub(crate) fn apply(&self, html: &str) -> String {
        let ids = ids(html);
        let mut out = String::with_capacity(html.len() + html.len() / 16);
        let mut rest = html;
        while let Some((start, value)) = next_href(rest) {
            out.push_str(&rest[..start]);
            let raw = &rest[start..start + value];
            let href = unescape(raw);
            match self.target(&href, &ids) {
                Some(new) => out.push_str(&escape(&new)),
                None => out.push_str(raw),
            }
            rest = &rest[start + value..];
        }
        out.push_str(rest);
        out
    }

    /// The new target of `href`, or `None` to leave it as written.
    fn target(&self, href: &str, ids: &HashSet<String>) -> Option<String> {
        let href = href.trim();
        if let Some(fragment) = href.strip_prefix('#') {
            if fragment.is_empty() || ids.contains(&decode(fragment)) {
                return None;
            }
            // A fragment the printed page lacks: the page on the web.
            return Some(format!("{}{}", self.public(self.page_url), href));
        }
        let origin = origin_of(self.base_url);
        let path = if let Some(rest) = href.strip_prefix("//") {
            // Protocol-relative: another site unless it is ours.
            let own = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
            rest.strip_prefix(own)
                .filter(|p| p.is_empty() || p.starts_with('/'))?
                .to_string()
        } else if href.starts_with('/') {
            href.to_string()
        } else if has_scheme(href) {
            // Ours written in full (`https://x.nl/g40/a/`), else external.
            let p = href.strip_prefix(origin)?;
            if !(p.is_empty() || p.starts_with('/')) {
                return None;
            }
            p.to_string()
        } else {
            join(self.page_url, href)
        };
        let (path, fragment) = match path.split_once('#') {
            Some((p, f)) => (p.to_string(), Some(f.to_string())),
            None => (path, None),
        };
        let bare = path.split('?').next().unwrap_or("");
        let key = if bare.is_empty() { "/" } else { bare };
        if let Some(inside) = self.inside.iter().find(|i| same_page(&i.url, key)) {
            let wanted = fragment
                .as_deref()
                .map(|f| format!("{}{}", inside.prefix, decode(f)));
            if let Some(id) = wanted
                .into_iter()
                .chain(inside.top.clone())
                .find(|id| ids.contains(id))
            {
                return Some(format!("#{id}"));
            }
        }
        let mut public = self.public(&path);
        if let Some(f) = fragment {
            public.push('#');
            public.push_str(&f);
        }
        Some(public)
    }

    /// The public URL of a root-relative path.
    fn public(&self, path: &str) -> String {
        format!("{}{}", origin_of(self.base_url), path)
    }
}

/// `https://x.nl/g40` → `https://x.nl`.
fn origin_of(base_url: &str) -> &str {
    match base_url.find("://") {
        Some(i) => match base_url[i + 3..].find('/') {
            Some(j) => &base_url[..i + 3 + j],
            None => base_url,
        },
        None => base_url,
    }
}

/// `/a/b/` and `/a/b/index.html` are the same page.
fn same_page(url: &str, path: &str) -> bool {
    url == path || path.strip_suffix("index.html") == Some(url)
}

/// `mailto:`, `https:`, … (RFC 3986 scheme, then `:`).
fn has_scheme(href: &str) -> bool {
    match href.find(':') {
        Some(i) => {
            i > 0
                && href[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !href[..i].contains('/')
        }
        None => false,
    }
}

/// A relative reference resolved against `base` (a root-relative URL), as
/// a browser does.
fn join(base: &str, href: &str) -> String {
    let (href, suffix) = match href.find(['?', '#']) {
        Some(i) => (&href[..i], &href[i..]),
        None => (href, ""),
    };
    let base = base.split(['?', '#']).next().unwrap_or("");
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop(); // the last segment (empty for a folder URL)
    if href.is_empty() {
        return format!("{base}{suffix}");
    }
    let segments: Vec<&str> = href.split('/').collect();
    for (n, segment) in segments.iter().enumerate() {
        let last = n + 1 == segments.len();
        match *segment {
            "." => {
                if last {
                    parts.push("");
                }
            }
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
                if last {
                    parts.push("");
                }
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    out.push_str(suffix);
    out
}

/// The byte offset and length of the next `href` value of an `<a>` or
/// `<area>` tag.
fn next_href(html: &str) -> Option<(usize, usize)> {
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]) {
        let tag = i + lt + 1;
        let name_len = bytes[tag..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = &html[tag..tag + name_len];
        let after = bytes.get(tag + name_len).copied();
        let is_link = (name.eq_ignore_ascii_case("a") || name.eq_ignore_ascii_case("area"))
            && after.is_some_and(|b| b.is_ascii_whitespace());
        // Comments, scripts and styles cannot hold links to rewrite.
        if html[tag..].starts_with("!--") {
            i = html[tag..].find("-->").map(|e| tag + e + 3)?;
            continue;
        }
        for raw in ["script", "style"] {
            if name.eq_ignore_ascii_case(raw) {
                let close = format!("</{raw}");
                let end = html[tag..]
                    .to_ascii_lowercase()
                    .find(&close)
                    .map(|e| tag + e)
                    .unwrap_or(html.len());
                i = end;
            }
        }
        if i > tag {
            continue;
        }
        // The attributes, up to the `>` outside quotes.
        let mut k = tag + name_len;
        let mut found = None;
        while k < bytes.len() && bytes[k] != b'>' {
            if bytes[k].is_ascii_whitespace() || bytes[k] == b'/' {
                k += 1;
                continue;
            }
            let name_start = k;
            while k < bytes.len() && !b" \t\r\n=>/".contains(&bytes[k]) {
                k += 1;
            }
            let attr = &html[name_start..k];
            while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                k += 1;
            }
            if bytes.get(k) != Some(&b'=') {
                continue;
            }
            k += 1;
            while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                k += 1;
            }
            let (value_start, value_end) = match bytes.get(k) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(q, &bytes[k + 1..])
                        .map(|e| k + 1 + e)
                        .unwrap_or(bytes.len());
                    let span = (k + 1, end);
                    k = (end + 1).min(bytes.len());
                    span
                }
                _ => {
                    let start = k;
                    while k < bytes.len() && !bytes[k].is_ascii_whitespace() && bytes[k] != b'>' {
                        k += 1;
                    }
                    (start, k)
                }
            };
            if is_link && found.is_none() && attr.eq_ignore_ascii_case("href") {
                found = Some((value_start, value_end - value_start));
            }
        }
        if let Some(f) = found {
            return Some(f);
        }
        i = k.max(tag);
    }
    None
}

/// Every `id` attribute value of the page.
fn ids(html: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let bytes = html.as_bytes();
    for (pos, _) in html.match_indices("id=") {
        if pos == 0 || !bytes[pos - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = &html[pos + 3..];
        let value = match rest.as_bytes().first() {
            Some(&q @ (b'"' | b'\'')) => rest[1..].split(q as char).next(),
            _ => rest
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next(),
        };
        if let Some(v) = value {
            out.insert(unescape(v));
        }
    }
    out
}

/// The few entities an attribute written by the templates can hold.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&amp;", "&")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Percent-decoded, for comparing a fragment with an id.
fn decode(fragment: &str) -> String {
    crate::util::url::percent_decode(fragment).unwrap_or_else(|| fragment.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(html: &str) -> String {
        let inside = [
            Inside {
                url: "/g40/jv/2024/02-b/".into(),
                top: Some("hoofdstuk-02-b".into()),
                prefix: "02-b-".into(),
            },
            Inside {
                url: "/g40/jv/2024/".into(),
                top: Some("inhoud".into()),
                prefix: String::new(),
            },
        ];
        Rewrite {
            base_url: "https://x.nl/g40",
            page_url: "/g40/jv/2024/print/",
            inside: &inside,
        }
        .apply(html)
    }

    #[test]
    fn links_into_the_document_become_fragments() {
        let ids = r#"<main id="inhoud"><article id="hoofdstuk-02-b"><h3 id="02-b-kop">"#;
        assert_eq!(
            rewrite(&format!(r#"{ids}<a href="/g40/jv/2024/02-b/#kop">x</a>"#)),
            format!(r##"{ids}<a href="#02-b-kop">x</a>"##)
        );
        // An unknown fragment: the chapter's start.
        assert!(
            rewrite(&format!(r#"{ids}<a href="/g40/jv/2024/02-b/#weg">"#))
                .ends_with(r##"<a href="#hoofdstuk-02-b">"##)
        );
        assert!(
            rewrite(&format!(r#"{ids}<a class=x href='../02-b/'>"#))
                .ends_with(r##"<a class=x href='#hoofdstuk-02-b'>"##)
        );
        assert!(
            rewrite(&format!(r#"{ids}<a href="https://x.nl/g40/jv/2024/">"#))
                .ends_with(r##"<a href="#inhoud">"##)
        );
        assert!(
            rewrite(&format!(r##"{ids}<A HREF="#inhoud">"##)).ends_with(r##"<A HREF="#inhoud">"##)
        );
    }

    #[test]
    fn other_links_become_public_urls() {
        assert_eq!(
            rewrite(r#"<a href="/g40/kern/?a=1&amp;b=2#x">"#),
            r#"<a href="https://x.nl/g40/kern/?a=1&amp;b=2#x">"#
        );
        assert_eq!(
            rewrite(r##"<a href="#nergens">"##),
            r##"<a href="https://x.nl/g40/jv/2024/print/#nergens">"##
        );
        assert_eq!(
            rewrite(r#"<a href="../../2023/">"#),
            r#"<a href="https://x.nl/g40/jv/2023/">"#
        );
        for same in [
            r#"<a href="https://elders.nl/">"#,
            r#"<a href="mailto:a@b.nl">"#,
            r#"<link rel="stylesheet" href="/g40/style.css">"#,
            r#"<img src="/g40/a.png">"#,
            r#"<!-- <a href="/g40/x/"> --><script>"<a href='/x'>"</script>"#,
            r#"<abbr href="/x">"#,
        ] {
            assert_eq!(rewrite(same), same);
        }
    }

    #[test]
    fn relative_references() {
        assert_eq!(join("/a/b/", "../c/"), "/a/c/");
        assert_eq!(join("/a/b/", "c#d"), "/a/b/c#d");
        assert_eq!(join("/a/b/", "./"), "/a/b/");
        assert_eq!(join("/a/b/", "../../../x"), "/x");
        assert_eq!(origin_of("https://x.nl/g40"), "https://x.nl");
        assert_eq!(origin_of("https://x.nl"), "https://x.nl");
    }
}
