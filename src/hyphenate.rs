//! Soft hyphens in long Dutch words, at build time.
//!
//! Browsers hyphenate only with a dictionary for the page's language, and
//! headless Chromium (which prints the PDFs) has none for Dutch: a long
//! word in a narrow box (a grid cell, a table cell, a heading) was broken
//! anywhere, without a hyphen ("Pijlerbijeenkoms|t"). So the build puts
//! soft hyphens (U+00AD, shown only where the line breaks) at the places
//! the Dutch TeX patterns allow, in words of at least [`MIN_LETTERS`]
//! letters, in the text of headings (`<h1>`–`<h6>`) and table cells
//! (`<th>`, `<td>`) of every page ([`html`]).
//!
//! Only the rendered pages get them: titles, ids, `<title>`, meta
//! elements, attributes, the search index and the exports (`.ics`,
//! `schedule.json`, `schedule.xml`) are made from the source text and
//! never contain U+00AD.

use std::borrow::Cow;
use std::sync::LazyLock;

use hyphenation::{Hyphenator, Language, Load, Standard};

/// The soft hyphen.
pub(crate) const SOFT_HYPHEN: char = '\u{AD}';

/// Shorter words are left alone: they fit any box the theme has.
pub(crate) const MIN_LETTERS: usize = 10;

/// The Dutch dictionary (see `vendor/hyphenation/README.md`).
static DUTCH: LazyLock<Option<Standard>> = LazyLock::new(|| {
    let bytes: &[u8] = include_bytes!("../vendor/hyphenation/nl.standard.bincode");
    Standard::from_reader(Language::Dutch, &mut &bytes[..]).ok()
});

/// `word` with soft hyphens where it may break (unchanged when it is
/// shorter than [`MIN_LETTERS`] or has no break).
#[cfg(test)]
pub(crate) fn word(word: &str) -> Cow<'_, str> {
    match hyphenated(word) {
        Some(h) => Cow::Owned(String::from(&*h)),
        None => Cow::Borrowed(word),
    }
}

/// [`word`], `None` when it stays as it is.
fn hyphenated(word: &str) -> Option<std::rc::Rc<str>> {
    if word.len() < MIN_LETTERS || word.chars().count() < MIN_LETTERS {
        return None;
    }
    let dict = DUTCH.as_ref()?;
    // The same words come back on page after page (in the menus, the
    // headings, the tables): the dictionary walk is the expensive part,
    // so each thread remembers its answers, up to a bound.
    if let Some(known) = KNOWN.with(|known| known.borrow().get(word).cloned()) {
        return known;
    }
    let h = with_breaks(word, &dict.hyphenate(word).breaks);
    KNOWN.with(|known| {
        let mut known = known.borrow_mut();
        if known.len() >= KNOWN_WORDS {
            known.clear();
        }
        known.insert(word.into(), h.clone());
    });
    h
}

/// How many words each thread remembers ([`word`]): a few MB at most.
const KNOWN_WORDS: usize = 50_000;

thread_local! {
    /// Words hyphenated by this thread: `None` for a word without breaks.
    /// Hashed with foldhash (seeded per process, as the search index's
    /// word map): it is looked up for every long word in a box.
    static KNOWN: std::cell::RefCell<
        std::collections::HashMap<Box<str>, Option<std::rc::Rc<str>>, foldhash::fast::RandomState>,
    > = Default::default();
}

/// `word` with a soft hyphen at each of `breaks` (byte offsets), or
/// `None` when there is none to put.
fn with_breaks(word: &str, breaks: &[usize]) -> Option<std::rc::Rc<str>> {
    let mut out = String::with_capacity(word.len() + 2 * breaks.len());
    let mut last = 0;
    for &b in breaks {
        if b <= last || b >= word.len() || !word.is_char_boundary(b) {
            continue;
        }
        out.push_str(&word[last..b]);
        out.push(SOFT_HYPHEN);
        last = b;
    }
    if last == 0 {
        return None;
    }
    out.push_str(&word[last..]);
    Some(out.into())
}

/// Plain text with every long word hyphenated ([`word`]); HTML character
/// references (`&amp;`) are left whole.
pub(crate) fn text(text: &str) -> Cow<'_, str> {
    // Most runs of text between two tags are too short to hold a long word.
    if text.len() < MIN_LETTERS {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut done = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '&' {
            // Skip a character reference up to its `;`.
            while let Some(&(_, n)) = chars.peek() {
                chars.next();
                if n == ';' || n.is_whitespace() {
                    break;
                }
            }
            continue;
        }
        if !c.is_alphabetic() {
            continue;
        }
        let start = i;
        let mut end = i + c.len_utf8();
        while let Some(&(j, n)) = chars.peek() {
            if !n.is_alphabetic() {
                break;
            }
            end = j + n.len_utf8();
            chars.next();
        }
        if let Some(h) = hyphenated(&text[start..end]) {
            out.push_str(&text[done..start]);
            out.push_str(&h);
            done = end;
        }
    }
    if done == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

/// The elements whose text gets soft hyphens.
const BOXES: [&str; 8] = ["h1", "h2", "h3", "h4", "h5", "h6", "th", "td"];

/// Elements whose content is never touched, even inside a box.
const RAW: [&str; 4] = ["script", "style", "title", "textarea"];

/// A rendered page with soft hyphens in the long words of its headings
/// and table cells. Tags, attributes, comments and the content of
/// `<script>`, `<style>`, `<title>` are copied as they are.
pub fn html(html: &str) -> Cow<'_, str> {
    in_boxes(html, &BOXES)
}

/// [`html`] for the PDF: soft hyphens only in table cells. Chromium keeps
/// every soft hyphen in the PDF's text layer, where a reader's search
/// may trip over it; on an A4 page only table cells are narrow enough to
/// need them.
pub(crate) fn print_html(html: &str) -> String {
    in_boxes(&strip(html), &["th", "td"]).into_owned()
}

fn in_boxes<'h>(html: &'h str, boxes: &[&str]) -> Cow<'h, str> {
    let bytes = html.as_bytes();
    let mut out = String::new();
    let mut done = 0;
    // How many box elements are open.
    let mut depth = 0usize;
    let mut i = 0;
    // Every tag of every page passes through here: the common tags
    // (`<p>`, `</li>`, `<a href="...">`) are told apart from boxes and raw
    // elements by their name's length before any name is compared.
    loop {
        // Tags often follow each other: no search for those.
        let next = if bytes.get(i) == Some(&b'<') {
            Some(i)
        } else {
            memchr::memchr(b'<', bytes.get(i..).unwrap_or_default()).map(|p| i + p)
        };
        let Some(lt) = next else { break };
        // The text before this tag.
        if depth > 0
            && lt > i
            && let Cow::Owned(h) = text(&html[i..lt])
        {
            if out.capacity() == 0 {
                // Soft hyphens add a little: one allocation for the page.
                out.reserve(html.len() + html.len() / 32);
            }
            out.push_str(&html[done..i]);
            out.push_str(&h);
            done = lt;
        }
        let close = bytes.get(lt + 1) == Some(&b'/');
        if !close && bytes[lt..].starts_with(b"<!--") {
            i = memchr::memmem::find(&bytes[lt..], b"-->").map_or(bytes.len(), |e| lt + e + 3);
            continue;
        }
        let name_start = lt + 1 + close as usize;
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = &html[name_start..name_start + name_len];
        let end = match bytes.get(name_start + name_len) {
            // No attributes: the tag ends here.
            Some(b'>') => name_start + name_len + 1,
            _ => tag_end(bytes, name_start + name_len),
        };
        if !close
            && name_len >= 5
            && let Some(raw) = RAW.iter().find(|r| r.eq_ignore_ascii_case(name))
        {
            let closing = format!("</{raw}");
            i = find_ci(html, end, &closing).unwrap_or(bytes.len());
            continue;
        }
        if boxes
            .iter()
            .any(|b| b.len() == name_len && b.eq_ignore_ascii_case(name))
        {
            if close {
                depth = depth.saturating_sub(1);
            } else if !bytes[..end].ends_with(b"/>") {
                depth += 1;
            }
        }
        i = end;
    }
    if done == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[done..]);
    Cow::Owned(out)
}

/// Just after the `>` that ends the tag whose attributes start at `from`
/// (quotes respected).
fn tag_end(bytes: &[u8], from: usize) -> usize {
    // Attributes are short: a plain loop beats a search call per quote.
    let mut k = from;
    while let Some(&b) = bytes.get(k) {
        k += 1;
        match b {
            b'>' => return k,
            b'"' | b'\'' => match bytes[k..].iter().position(|&c| c == b) {
                Some(q) => k += q + 1,
                None => break,
            },
            _ => {}
        }
    }
    bytes.len()
}

/// The position of `needle` (ASCII, lower case) in `hay` from `from`,
/// ignoring ASCII case.
fn find_ci(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    hay.as_bytes()[from..]
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
        .map(|p| from + p)
}

/// `text` without soft hyphens: for anything made from rendered HTML that
/// is not shown as a page (search snippets, exports).
pub(crate) fn strip(text: &str) -> Cow<'_, str> {
    if text.contains(SOFT_HYPHEN) {
        Cow::Owned(text.replace(SOFT_HYPHEN, ""))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(s: &str) -> String {
        s.replace(SOFT_HYPHEN, "|")
    }

    #[test]
    fn long_dutch_words_get_soft_hyphens_at_dutch_breaks() {
        assert_eq!(shown(&word("Pijlerbijeenkomst")), "Pij|ler|bij|een|komst");
        assert_eq!(shown(&word("Gemeentefinanciën")), "Ge|meen|te|fi|nan|ci|ën");
        // Short words stay whole.
        assert_eq!(word("Zaal"), "Zaal");
        assert_eq!(word("Themagroe"), "Themagroe");
        assert_eq!(
            shown(&text(
                "Themagroep Gemeentefinanciën &amp; Vergunninghouders"
            )),
            "The|ma|groep Ge|meen|te|fi|nan|ci|ën &amp; Ver|gun|ning|hou|ders"
        );
    }

    #[test]
    fn only_headings_and_table_cells_are_hyphenated() {
        let page = "<title>Pijlerbijeenkomst</title><h2 id=\"pijlerbijeenkomst\" title=\"Pijlerbijeenkomst\">Pijlerbijeenkomst <em>Gemeentefinanciën</em></h2>\
            <p>Pijlerbijeenkomst</p><td><a href=\"#pijlerbijeenkomst-sociaal\">Pijlerbijeenkomst</a></td>\
            <th><script>var Pijlerbijeenkomst;</script></th><!-- <h1>Pijlerbijeenkomst</h1> -->";
        assert_eq!(
            shown(&html(page)),
            "<title>Pijlerbijeenkomst</title><h2 id=\"pijlerbijeenkomst\" title=\"Pijlerbijeenkomst\">Pij|ler|bij|een|komst <em>Ge|meen|te|fi|nan|ci|ën</em></h2>\
            <p>Pijlerbijeenkomst</p><td><a href=\"#pijlerbijeenkomst-sociaal\">Pij|ler|bij|een|komst</a></td>\
            <th><script>var Pijlerbijeenkomst;</script></th><!-- <h1>Pijlerbijeenkomst</h1> -->"
        );
        assert!(matches!(html("<p>Pijlerbijeenkomst</p>"), Cow::Borrowed(_)));
    }

    #[test]
    fn tags_are_read_with_their_quotes_comments_and_any_case() {
        // A `>` or `<td>` inside a quoted attribute ends nothing and opens
        // nothing; `<!-->` is an empty comment; names are in any case; a
        // self-closing box has no text; tags may follow each other.
        let page = "<a title=\"x > <td>\" data-y='<h2>'>Pijlerbijeenkomst</a>\
            <!-->Pijlerbijeenkomst<TD><B>Pijlerbijeenkomst</B></Td>Pijlerbijeenkomst\
            <th/>Pijlerbijeenkomst<h3 class=\"a\"><span>Gemeentefinanciën</span></h3>\
            <SCRIPT>x = '<td>Pijlerbijeenkomst'</script>Pijlerbijeenkomst";
        assert_eq!(
            shown(&html(page)),
            "<a title=\"x > <td>\" data-y='<h2>'>Pijlerbijeenkomst</a>\
            <!-->Pijlerbijeenkomst<TD><B>Pij|ler|bij|een|komst</B></Td>Pijlerbijeenkomst\
            <th/>Pijlerbijeenkomst<h3 class=\"a\"><span>Ge|meen|te|fi|nan|ci|ën</span></h3>\
            <SCRIPT>x = '<td>Pijlerbijeenkomst'</script>Pijlerbijeenkomst"
        );
        assert_eq!(strip("Pij\u{AD}ler"), "Pijler");
    }
}
