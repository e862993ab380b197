//! Util: HTML escaping, character references, and what in HTML can run
//! script.
//!
//! [`escape_attr`] is the one escaper for generated HTML and XML text
//! (Markdown, templates' helpers, the serve error page, the schedule);
//! [`decode_entities`] reads attribute values back (the link checker, the
//! script detector, the check for active content in source files).
//! [`is_safe_url`] decides which link and image URLs may be written;
//! [`script_in`] finds what could run script in serialised HTML.

/// Escape a string for HTML text or a double-quoted attribute.
pub(crate) fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Byte by byte, copying the runs between the characters it replaces:
    // all five are ASCII, so every run ends at a character boundary.
    let mut copied = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&s[copied..]);
    out
}

/// Decode the character references that matter when reading a URL or an
/// attribute back: every numeric one (`&#58;`, `&#x3A;`), the five that
/// [`escape_attr`] writes (`&amp;` `&quot;` `&lt;` `&gt;` `&apos;`) and
/// the ones that hide a scheme (`&colon;`, `&Tab;`, `&NewLine;`). Each
/// reference is decoded once (`&amp;lt;` is `&lt;`); anything else stays
/// as written.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                match name {
                    "colon" => Some(':'),
                    "tab" | "Tab" => Some('\t'),
                    "newline" | "NewLine" => Some('\n'),
                    "amp" => Some('&'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    _ => None,
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// URL schemes a link or image may use; URLs without a scheme (relative,
/// `#anchor`, `/path`) are always fine.
pub(crate) const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Whether a URL written in Markdown is safe to put in `href`/`src`: no
/// scheme, or one of [`SAFE_SCHEMES`]. Browsers ignore tabs and newlines
/// in URLs and leading spaces and control characters, so `java\tscript:`
/// is `javascript:`; a colon after `/`, `?` or `#` is not a scheme.
pub(crate) fn is_safe_url(url: &str) -> bool {
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

/// Why `html` could run script in a browser, or `None`. A check (for
/// HTML and SVG files in `content/`, the tests and the fuzz targets), not a
/// sanitiser: it scans the tags of serialised
/// HTML for script-capable elements, `on*` handler attributes and URL
/// attributes with a scheme other than [`SAFE_SCHEMES`].
pub(crate) fn script_in(html: &str) -> Option<String> {
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
            if attr == "style" && value.contains(['(', '\\']) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(
            escape_attr(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape_attr("gewoon"), "gewoon");
    }

    #[test]
    fn decodes_what_escape_attr_writes() {
        for s in ["Tom & Jerry's", "<b>\"x\"</b>", "&amp; al", "a&b;c", "é"] {
            assert_eq!(decode_entities(&escape_attr(s)), s);
        }
    }

    #[test]
    fn decodes_references_that_hide_a_scheme() {
        assert_eq!(decode_entities("java&#115;cript&colon;x"), "javascript:x");
        assert_eq!(
            decode_entities("&#x6A;ava&Tab;script&#58;"),
            "java\tscript:"
        );
        assert_eq!(decode_entities("a&NewLine;b&apos;"), "a\nb'");
    }

    #[test]
    fn decodes_each_reference_once_and_keeps_unknown_ones() {
        assert_eq!(decode_entities("&amp;lt;"), "&lt;");
        assert_eq!(decode_entities("&nbsp;&copy;"), "&nbsp;&copy;");
        assert_eq!(decode_entities("a & b"), "a & b");
        assert_eq!(decode_entities("&#xZZ;"), "&#xZZ;");
        assert_eq!(decode_entities("&verylongname;"), "&verylongname;");
    }
}
