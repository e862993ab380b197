//! Markdown (safety): the sanitiser for raw HTML, the check of link and
//! image URLs, and the script detector the tests and fuzz targets use.

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::util::html::decode_entities;

/// Remove from `html` everything that could run script or restyle the
/// page, keeping common formatting and the markup this module generates
/// (ids, classes such as `heading-anchor` and `hl-*`, ARIA attributes,
/// footnote roles). Links keep http(s), mailto, tel and relative URLs.
pub fn sanitise(html: &str) -> String {
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["section", "input"])
            .add_generic_attributes(["id", "class", "role", "aria-label", "aria-hidden"])
            .add_tag_attributes("pre", ["tabindex"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("ol", ["start", "reversed"])
            .add_tag_attributes("li", ["value"])
            .add_tag_attributes("details", ["open"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .filter_style_properties(HashSet::from(["text-align"]))
            .url_schemes(HashSet::from(SAFE_SCHEMES))
            .link_rel(None);
        b
    });
    CLEANER.clean(html).to_string()
}

/// URL schemes a link or image may use; URLs without a scheme (relative,
/// `#anchor`, `/path`) are always fine.
pub(super) const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Whether a URL written in Markdown is safe to put in `href`/`src`: no
/// scheme, or one of [`SAFE_SCHEMES`]. Browsers ignore tabs and newlines
/// in URLs and leading spaces and control characters, so `java\tscript:`
/// is `javascript:`; a colon after `/`, `?` or `#` is not a scheme.
pub fn is_safe_url(url: &str) -> bool {
    // Cleaning only removes characters: without a colon there is no scheme
    // (most links, which are relative, stop here).
    if !url.contains(':') {
        return true;
    }
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some(colon) = cleaned.find(':') else {
        return true;
    };
    let scheme = &cleaned[..colon];
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    !is_scheme || SAFE_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str())
}

/// Why `html` could run script in a browser, or `None`. A check for tests
/// and the fuzz targets, not a sanitiser: it scans the tags of serialised
/// HTML for script-capable elements, `on*` handler attributes and URL
/// attributes with a scheme other than [`SAFE_SCHEMES`].
pub fn script_in(html: &str) -> Option<String> {
    const ELEMENTS: [&str; 10] = [
        "script", "iframe", "frame", "object", "embed", "applet", "base", "form", "svg", "math",
    ];
    const URL_ATTRIBUTES: [&str; 8] = [
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "srcset",
        "poster",
    ];
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        let start = i + lt + 1;
        i = start;
        // Tag name.
        let name_end = html[start..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |n| start + n);
        let name = html[start..name_end].to_ascii_lowercase();
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        if ELEMENTS.contains(&name.as_str()) {
            return Some(format!("<{name}> element"));
        }
        // Attributes up to the closing `>`, honouring quotes.
        let mut j = name_end;
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let attr_start = j;
            while j < bytes.len() && !matches!(bytes[j], b'=' | b'>' | b' ' | b'\t' | b'\n' | b'/')
            {
                j += 1;
            }
            let attr = html[attr_start..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                let quote = bytes.get(j).copied().filter(|q| matches!(q, b'"' | b'\''));
                let value_start = j + usize::from(quote.is_some());
                let value_end = match quote {
                    Some(q) => html[value_start..]
                        .find(q as char)
                        .map_or(html.len(), |n| value_start + n),
                    None => html[value_start..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(html.len(), |n| value_start + n),
                };
                value = decode_entities(&html[value_start..value_end]);
                j = (value_end + usize::from(quote.is_some())).min(bytes.len());
            }
            if attr.starts_with("on") {
                return Some(format!("`{attr}` handler on <{name}>"));
            }
            if attr == "style" && value.contains(|c| matches!(c, '(' | '\\')) {
                return Some(format!("style with a function on <{name}>"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) && !is_safe_url(&value) {
                return Some(format!("{attr}=\"{value}\" on <{name}>"));
            }
        }
        i = j.max(start);
    }
    None
}
