//! Just enough PDF to read back what Chromium printed: page sizes, link
//! annotations, named destinations (where each `id` of the page landed),
//! the document outline and whether the PDF is tagged.
//!
//! Chromium (Skia) writes classic cross-reference tables and uncompressed
//! dictionaries for the catalog, pages, annotations, destinations and
//! outline items; only content streams are compressed. This reader relies
//! on that and is not a general PDF parser: anything it cannot read is
//! simply missing from the result.

use std::collections::HashMap;

/// One page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The page size in points: `[x0, y0, x1, y1]`.
    pub media_box: [f64; 4],
    /// Internal links: destination name and rectangle.
    pub links: Vec<(String, [f64; 4])>,
    /// Links to URLs (`/URI` actions): the URL and rectangle.
    pub uris: Vec<(String, [f64; 4])>,
    /// Link annotations that are neither (an action this reader does not
    /// know), as written.
    pub other_links: Vec<String>,
}

impl Page {
    /// Width and height in points.
    pub fn size(&self) -> (f64, f64) {
        (
            self.media_box[2] - self.media_box[0],
            self.media_box[3] - self.media_box[1],
        )
    }
}

/// An entry of the document outline (bookmarks).
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineItem {
    /// The entry's text.
    pub title: String,
    /// 0 for the top level.
    pub depth: usize,
    /// 1-based page the entry points to, when known.
    pub page: Option<usize>,
}

/// A PDF read back.
#[derive(Debug, Clone)]
pub struct Document {
    /// The pages, in order.
    pub pages: Vec<Page>,
    /// Named destinations (the HTML ids Chromium kept): name → 1-based page.
    pub destinations: HashMap<String, usize>,
    /// The bookmarks, depth first.
    pub outline: Vec<OutlineItem>,
    /// The catalog has a structure tree (/StructTreeRoot) and /Marked true.
    pub tagged: bool,
}

impl Document {
    /// Parse `bytes`; `None` if this is not a PDF with a page tree.
    pub fn parse(bytes: &[u8]) -> Option<Document> {
        if !bytes.starts_with(b"%PDF-") {
            return None;
        }
        let objects = objects(bytes);
        let catalog = objects.values().find(|d| is_type(d, "Catalog"))?;
        let root = value_ref(catalog, "/Pages").or_else(|| {
            objects
                .iter()
                .find(|(_, d)| is_type(d, "Pages") && !d.contains("/Parent"))
                .map(|(n, _)| *n)
        })?;
        let mut page_ids = Vec::new();
        let mut pages = Vec::new();
        collect(&objects, root, &mut page_ids, &mut pages, 0)?;
        let page_of: HashMap<u32, usize> = page_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, i + 1))
            .collect();
        let mut destinations = HashMap::new();
        let dests = value_ref(catalog, "/Dests").and_then(|n| objects.get(&n));
        if let Some(dests) = dests {
            // `/name [12 0 R /XYZ ...]`
            for part in dests.split('/').skip(1) {
                let Some((name, rest)) = part.split_once(|c: char| c.is_whitespace() || c == '[')
                else {
                    continue;
                };
                if let Some(page) = rest
                    .trim_start_matches(|c: char| c.is_whitespace() || c == '[')
                    .split_whitespace()
                    .next()
                    .and_then(|n| n.parse::<u32>().ok())
                    .and_then(|n| page_of.get(&n))
                {
                    destinations.insert(decode_name(name), *page);
                }
            }
        }
        let mut outline = Vec::new();
        if let Some(first) = value_ref(catalog, "/Outlines")
            .and_then(|n| objects.get(&n))
            .and_then(|o| value_ref(o, "/First"))
        {
            read_outline(&objects, &page_of, first, 0, &mut outline, 0);
        }
        let tagged = catalog.contains("/StructTreeRoot") && catalog.contains("/Marked true");
        Some(Document {
            pages,
            destinations,
            outline,
            tagged,
        })
    }
}

fn read_outline(
    objects: &HashMap<u32, String>,
    page_of: &HashMap<u32, usize>,
    mut node: u32,
    depth: usize,
    out: &mut Vec<OutlineItem>,
    guard: usize,
) {
    if guard > 64 {
        return;
    }
    let mut seen = 0;
    while let Some(dict) = objects.get(&node) {
        seen += 1;
        if seen > 10_000 {
            return;
        }
        let title = string_value(dict, "/Title").unwrap_or_default();
        let page = array_after(dict, "/Dest")
            .and_then(|a| refs(a).first().copied())
            .and_then(|n| page_of.get(&n).copied());
        out.push(OutlineItem { title, depth, page });
        if let Some(child) = value_ref(dict, "/First") {
            read_outline(objects, page_of, child, depth + 1, out, guard + 1);
        }
        match value_ref(dict, "/Next") {
            Some(next) => node = next,
            None => return,
        }
    }
}

/// Objects by number: the dictionary text (up to `stream`/`endobj`).
fn objects(bytes: &[u8]) -> HashMap<u32, String> {
    let mut objects = HashMap::new();
    let mut i = 0;
    while let Some(pos) = find(&bytes[i..], b" obj") {
        let at = i + pos;
        // "<num> <gen> obj"
        let head = String::from_utf8_lossy(&bytes[at.saturating_sub(20)..at]).into_owned();
        let mut parts = head.split_whitespace().rev();
        let _gen = parts.next();
        let num = parts.next().and_then(|n| n.parse::<u32>().ok());
        let body_start = at + 4;
        // The dictionary ends at `stream` or `endobj`, whichever is first;
        // `stream` is looked for only up to `endobj` (or the file would be
        // searched to the next stream for every object).
        let endobj = find(&bytes[body_start..], b"endobj")
            .map(|e| body_start + e)
            .unwrap_or(bytes.len());
        let end = find(&bytes[body_start..endobj], b"stream")
            .map(|e| body_start + e)
            .unwrap_or(endobj);
        if let Some(num) = num {
            objects.insert(
                num,
                String::from_utf8_lossy(&bytes[body_start..end]).into_owned(),
            );
        }
        // Skip the stream's data: it may contain " obj" by chance.
        let next = if bytes[end..].starts_with(b"stream") {
            find(&bytes[end..], b"endstream")
                .map(|e| end + e + 9)
                .unwrap_or(bytes.len())
        } else {
            end
        };
        i = next.max(body_start);
    }
    objects
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// The key, followed by a delimiter (not a longer name).
fn key_at(dict: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = dict[from..].find(key) {
        let end = from + i + key.len();
        if !dict[end..].starts_with(|c: char| c.is_alphanumeric()) {
            return Some(end);
        }
        from = end;
    }
    None
}

fn array_after<'a>(dict: &'a str, key: &str) -> Option<&'a str> {
    let i = key_at(dict, key)?;
    let rest = dict[i..].trim_start().strip_prefix('[')?;
    Some(&rest[..rest.find(']')?])
}

/// `/Key 12 0 R` → 12.
fn value_ref(dict: &str, key: &str) -> Option<u32> {
    let i = key_at(dict, key)?;
    let t: Vec<&str> = dict[i..].split_whitespace().take(3).collect();
    match t.as_slice() {
        [n, _, r] if r.starts_with('R') => n.parse().ok(),
        _ => None,
    }
}

fn numbers(s: &str) -> Option<[f64; 4]> {
    let v: Vec<f64> = s
        .split_whitespace()
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    (v.len() == 4).then(|| [v[0], v[1], v[2], v[3]])
}

fn refs(s: &str) -> Vec<u32> {
    let t: Vec<&str> = s.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 2 < t.len() {
        if t[i + 2] == "R" {
            if let Ok(n) = t[i].parse() {
                out.push(n);
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    out
}

fn is_type(dict: &str, ty: &str) -> bool {
    dict.split("/Type /").skip(1).any(|rest| {
        rest.starts_with(ty) && !rest[ty.len()..].starts_with(|c: char| c.is_alphanumeric())
    })
}

fn collect(
    objects: &HashMap<u32, String>,
    node: u32,
    ids: &mut Vec<u32>,
    out: &mut Vec<Page>,
    depth: usize,
) -> Option<()> {
    if depth > 32 {
        return None;
    }
    let dict = objects.get(&node)?;
    if is_type(dict, "Pages") {
        for kid in refs(array_after(dict, "/Kids")?) {
            collect(objects, kid, ids, out, depth + 1)?;
        }
        return Some(());
    }
    let media_box = numbers(array_after(dict, "/MediaBox")?)?;
    let mut links = Vec::new();
    let mut uris = Vec::new();
    let mut other_links = Vec::new();
    for a in array_after(dict, "/Annots").map(refs).unwrap_or_default() {
        let Some(annot) = objects.get(&a) else {
            continue;
        };
        if !is_subtype(annot, "Link") {
            continue;
        }
        let rect = array_after(annot, "/Rect")
            .and_then(numbers)
            .unwrap_or_default();
        if let Some(i) = annot.find("/Dest /") {
            let name: String = annot[i + 7..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '/' && *c != '>' && *c != '[')
                .collect();
            links.push((decode_name(&name), rect));
        } else if let Some(uri) = uri_of(annot) {
            uris.push((uri, rect));
        } else {
            other_links.push(annot.trim().to_string());
        }
    }
    ids.push(node);
    out.push(Page {
        media_box,
        links,
        uris,
        other_links,
    });
    Some(())
}

/// `/Subtype /Link` (also with no space).
fn is_subtype(dict: &str, ty: &str) -> bool {
    ["/Subtype /", "/Subtype/"].iter().any(|key| {
        dict.split(key).skip(1).any(|rest| {
            rest.starts_with(ty) && !rest[ty.len()..].starts_with(|c: char| c.is_alphanumeric())
        })
    })
}

/// The URL of a `/URI` action: `/A << /S /URI /URI (http://…) >>`.
fn uri_of(annot: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = annot[from..].find("/URI") {
        let at = from + i;
        let rest = annot[at + 4..].trim_start();
        if rest.starts_with('(') || rest.starts_with('<') && !rest.starts_with("<<") {
            return string_value(&annot[at..], "/URI");
        }
        from = at + 4;
    }
    None
}

/// PDF names escape bytes as `#xx`.
fn decode_name(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'#' && i + 3 <= bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A string value: `(literal)` or `<FEFF…>` (UTF-16BE hex).
fn string_value(dict: &str, key: &str) -> Option<String> {
    let i = key_at(dict, key)?;
    let rest = dict[i..].trim_start();
    if let Some(hex) = rest.strip_prefix('<') {
        let hex: String = hex[..hex.find('>')?]
            .chars()
            .filter(|c| c.is_ascii_hexdigit())
            .collect();
        let bytes: Vec<u8> = (0..hex.len() / 2)
            .filter_map(|k| u8::from_str_radix(&hex[2 * k..2 * k + 2], 16).ok())
            .collect();
        return Some(decode_text(&bytes));
    }
    let lit = rest.strip_prefix('(')?;
    let mut out = Vec::new();
    let mut depth = 0;
    let mut chars = lit.bytes().peekable();
    while let Some(b) = chars.next() {
        match b {
            b'\\' => match chars.next()? {
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                d @ b'0'..=b'7' => {
                    let mut v = (d - b'0') as u32;
                    for _ in 0..2 {
                        match chars.peek() {
                            Some(&n @ b'0'..=b'7') => {
                                v = v * 8 + (n - b'0') as u32;
                                chars.next();
                            }
                            _ => break,
                        }
                    }
                    out.push(v as u8);
                }
                other => out.push(other),
            },
            b'(' => {
                depth += 1;
                out.push(b);
            }
            b')' if depth == 0 => break,
            b')' => {
                depth -= 1;
                out.push(b);
            }
            _ => out.push(b),
        }
    }
    Some(decode_text(&out))
}

fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .filter(|c| c.len() == 2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        // PDFDocEncoding is Latin-1 for the characters that matter here.
        bytes.iter().map(|&b| b as char).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_strings_and_names() {
        assert_eq!(
            string_value("/Title (A \\(b\\) \\351)", "/Title").unwrap(),
            "A (b) é"
        );
        assert_eq!(
            string_value("/Title <FEFF00E9 00EB>", "/Title").unwrap(),
            "éë"
        );
        assert_eq!(decode_name("a#20b"), "a b");
        assert_eq!(value_ref("/First 12 0 R /Last 13 0 R", "/Last"), Some(13));
        assert_eq!(value_ref("/Dests 86 0 R", "/Dest"), None);
    }

    #[test]
    fn not_a_pdf() {
        assert!(Document::parse(b"<html>").is_none());
    }
}
