//! Util: HTML escaping and character references.
//!
//! [`escape_attr`] is the one escaper for generated HTML and XML text
//! (Markdown, templates' helpers, the serve error page, the schedule);
//! [`decode_entities`] reads attribute values back (the link checker, the
//! script detector, the check for active content in source files).

/// Escape a string for HTML text or a double-quoted attribute.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Decode the character references that matter when reading a URL or an
/// attribute back: every numeric one (`&#58;`, `&#x3A;`), the five that
/// [`escape_attr`] writes (`&amp;` `&quot;` `&lt;` `&gt;` `&apos;`) and
/// the ones that hide a scheme (`&colon;`, `&Tab;`, `&NewLine;`). Each
/// reference is decoded once (`&amp;lt;` is `&lt;`); anything else stays
/// as written.
pub fn decode_entities(s: &str) -> String {
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
