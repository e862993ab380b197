//! Reading HTML back in tests: an attribute tokeniser, a script detector
//! built on it, and attribute values. Tests parse what a browser would
//! parse instead of searching the page for strings.

/// Every start tag in `html`: its name and attributes, tokenised the way
/// the HTML standard's tokenizer does (attribute name up to whitespace,
/// `/`, `>` or `=`; values double-, single- or unquoted). Comments,
/// doctypes, end tags and the text of `<script>`/`<style>` are skipped.
pub fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        i += lt + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        if !b.get(i).is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let name_end = html[i..]
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .map_or(b.len(), |e| i + e);
        let name = html[i..name_end].to_ascii_lowercase();
        i = name_end;
        let mut attributes = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let start = i;
            i += 1;
            while i < b.len() && !(b[i].is_ascii_whitespace() || matches!(b[i], b'/' | b'>' | b'='))
            {
                i += 1;
            }
            let attr = html[start..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                let end = match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        i += 1;
                        html[i..].find(q as char).map_or(b.len(), |e| i + e)
                    }
                    _ => html[i..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(b.len(), |e| i + e),
                };
                value = html[i..end].to_string();
                i = end;
                if matches!(b.get(i), Some(b'"' | b'\'')) {
                    i += 1;
                }
            }
            attributes.push((attr, value));
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i = html[i.min(b.len())..]
                .find(&close)
                .map_or(b.len(), |e| i + e);
        }
        tags.push((name, attributes));
    }
    tags
}

/// Every value of `attr="..."` in `html`, in document order.
pub fn attrs<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// Elements that run or embed script, or change where links and forms go.
const SCRIPT_ELEMENTS: [&str; 10] = [
    "script", "iframe", "frame", "object", "embed", "applet", "base", "form", "svg", "math",
];

/// Attributes whose value a browser follows or loads as a URL.
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

/// Why `html` could run script in a browser, or `None`: a script-capable
/// element, an `on*` handler, a `style` with a function, or a URL attribute
/// whose scheme is not http(s), mailto or tel. The tests' own check,
/// independent of the sanitiser it checks.
pub fn script_in(html: &str) -> Option<String> {
    for (name, attributes) in start_tags(html) {
        if SCRIPT_ELEMENTS.contains(&name.as_str()) {
            return Some(format!("<{name}> element"));
        }
        for (attr, value) in attributes {
            let value = decode_entities(&value);
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
    }
    None
}

/// Whether a browser would follow `url` without running script: no scheme,
/// or http(s), mailto or tel. Browsers drop tabs and newlines anywhere and
/// leading spaces and control characters, so `java\tscript:` is
/// `javascript:`; a colon after `/`, `?` or `#` does not end a scheme.
fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some((scheme, _)) = cleaned.split_once(':') else {
        return true;
    };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    !is_scheme || ["http", "https", "mailto", "tel"].contains(&scheme.to_ascii_lowercase().as_str())
}

/// Character references as a browser decodes them in an attribute value:
/// numeric ones and the named ones that can spell a scheme (`&colon;`,
/// `&Tab;`, `&NewLine;`) or quote it.
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&end| end <= 12).and_then(|end| {
            let name = &rest[1..end];
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
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
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
