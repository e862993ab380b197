//! Client-side search: a compact index built with the site, searched by a
//! small script on the search page (`/zoeken/`, template `search.html`,
//! script `zoeken.js`).
//!
//! The index (`/zoeken/index.json`) lists every page (title, URL, kind,
//! a short summary) and the words in it. Words are lowercased and written
//! without accents; Dutch stop words are left out. Words with the same
//! Dutch stem (Snowball, `rust-stemmers`) share one posting list, so a
//! search for `woningen` also finds pages that only say `woning`:
//!
//! ```json
//! {"docs": [["Titel", "/url/", "Hoofdstuk", "Samenvatting"], ...],
//!  "words": {"woning": 0, "woningen": 0, "wonen": 1, ...},
//!  "postings": [[[doc, score], ...], ...],
//!  "stop": ["de", "het", ...]}
//! ```
//!
//! The script does no stemming itself: it matches each query word as a
//! prefix of the indexed words (so `woningm` finds `woningmarkt`), unions
//! their posting lists, and keeps the pages that match every query word,
//! best score first. Words in titles count five times.

use std::collections::HashMap;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};

use crate::site::{PageModel, Site};

/// Words too common to search for (Snowball's Dutch stop list, plus a few
/// words every page of this site uses).
const STOP_WORDS: &[&str] = &[
    "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de",
    "der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er", "ge",
    "geen", "geweest", "haar", "had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij", "hoe",
    "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "kan", "kon", "kunnen", "maar", "me",
    "meer", "men", "met", "mij", "mijn", "moet", "na", "naar", "niet", "niets", "nog", "nu", "of",
    "om", "omdat", "onder", "ons", "ook", "op", "over", "reeds", "te", "tegen", "toch", "toen",
    "tot", "u", "uit", "uw", "van", "veel", "voor", "want", "waren", "was", "wat", "werd", "wezen",
    "wie", "wil", "worden", "wordt", "zal", "ze", "zelf", "zich", "zij", "zijn", "zo", "zonder",
    "zou", "we", "wij", "hen", "nee", "externe", "link",
];

/// One searchable document: its text as pieces borrowed from the site, so
/// nothing is copied before it is tokenised.
struct Entry<'a> {
    title: &'a str,
    /// A page's own URL, or a session's anchor on its programme page.
    url: std::borrow::Cow<'a, str>,
    kind: &'a str,
    /// The page's own summary, else the start of its text.
    summary: String,
    /// The text besides the title, as HTML or plain text pieces.
    text: Vec<Piece<'a>>,
}

#[derive(Clone, Copy)]
enum Piece<'a> {
    Html(&'a str),
    Plain(&'a str),
}

impl Piece<'_> {
    /// The visible text of the piece, in parts (see [`visible_text`]).
    fn for_each_text(self, f: &mut impl FnMut(&str)) {
        match self {
            Piece::Html(html) => visible_text(html, f),
            Piece::Plain(text) => f(text),
        }
    }
}

/// The words of every page, each word with its posting list: built per
/// run of pages in parallel, then joined.
#[derive(Default)]
struct Postings {
    words: std::collections::HashMap<Box<str>, Posting, foldhash::fast::RandomState>,
}

/// (page, score) pairs, in page order.
type PostingList = Vec<(u32, u32)>;

struct Posting {
    /// A stop word: counted nowhere. Kept in the map so that each
    /// occurrence costs one lookup.
    stop: bool,
    /// The last page the word was seen on, and its score there: kept here,
    /// next to the key, because a word mostly repeats on the same page.
    last: (u32, u32),
    /// (page, score) of the pages before `last`, in page order.
    earlier: PostingList,
}

impl Posting {
    fn first(word: &str, doc: u32, weight: u32) -> Posting {
        Posting {
            stop: is_stop_word(word),
            last: (doc, weight),
            earlier: Vec::new(),
        }
    }

    fn count(&mut self, doc: u32, weight: u32) {
        if self.last.0 == doc {
            self.last.1 += weight;
        } else if !self.stop {
            self.earlier.push(self.last);
            self.last = (doc, weight);
        }
    }

    /// Every (page, score), in page order.
    fn into_list(mut self) -> PostingList {
        self.earlier.push(self.last);
        self.earlier
    }

    /// The postings of `later` pages after these.
    fn join(&mut self, later: Posting) {
        let mut list = std::mem::take(&mut self.earlier);
        list.push(self.last);
        list.extend(later.earlier);
        self.last = later.last;
        self.earlier = list;
    }
}

impl Postings {
    /// Count one occurrence of `word` (normalised) on page `doc`.
    fn add(&mut self, word: &str, doc: u32, weight: u32) {
        match self.words.get_mut(word) {
            Some(p) => p.count(doc, weight),
            None => {
                self.words
                    .insert(word.into(), Posting::first(word, doc, weight));
            }
        }
    }

    /// The postings of later pages appended to these.
    fn join(mut self, mut later: Postings) -> Postings {
        if self.words.len() < later.words.len() {
            // Merge the smaller map into the bigger one, keeping page order.
            for (word, mut p) in self.words {
                if let Some(l) = later.words.remove(&word) {
                    p.join(l);
                }
                later.words.insert(word, p);
            }
            return later;
        }
        for (word, p) in later.words {
            match self.words.get_mut(&word) {
                Some(e) => e.join(p),
                None => {
                    self.words.insert(word, p);
                }
            }
        }
        self
    }
}

/// The index as JSON.
///
/// Built in three passes so that large sites stay fast: runs of pages are
/// tokenised in parallel straight from their HTML, each into one map from
/// word to posting list (one hash lookup per word, no per-page map), and
/// the maps are joined in page order; each distinct word is then stemmed
/// once, and the posting lists of words with one stem are merged. The
/// output does not depend on thread scheduling.
pub(crate) fn index(site: &Site) -> String {
    index_unless(site, &AtomicBool::new(false)).expect("never cancelled")
}

/// [`index`], given up (`None`) as soon as `cancel` is set: `serve` builds
/// the index when idle and must not keep the next edit waiting.
pub(crate) fn index_unless(site: &Site, cancel: &AtomicBool) -> Option<String> {
    let entries = entries(site);
    let postings = entries
        .par_iter()
        .enumerate()
        .try_fold(Postings::default, |mut postings, (doc, e)| {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            let doc = doc as u32;
            let mut scratch = String::new();
            let mut count = |text: &str, weight: u32| {
                for_each_word(text, &mut scratch, &mut |w| postings.add(w, doc, weight));
            };
            count(e.title, 5);
            count(&e.summary, 2);
            for piece in &e.text {
                // Each part is split into words on its own, so the space
                // given for each tag (for snippets) has nothing to split.
                piece.for_each_text(&mut |t| {
                    if t != " " {
                        count(t, 1)
                    }
                });
            }
            Some(postings)
        })
        .try_reduce(Postings::default, |earlier, later| {
            Some(earlier.join(later))
        })?;
    // Each stage below takes a while on a large site: look again between.
    let go_on = || (!cancel.load(Ordering::Relaxed)).then_some(());
    go_on()?;

    // Every word that is not a stop word, with its (page, score) list.
    let mut vocabulary: Vec<(Box<str>, PostingList)> = postings
        .words
        .into_iter()
        .filter(|(_, p)| !p.stop)
        .map(|(w, p)| (w, p.into_list()))
        .collect();
    go_on()?;
    vocabulary.par_sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    go_on()?;
    let stems: Vec<String> = vocabulary
        .par_iter()
        .map_init(
            || Stemmer::create(Algorithm::Dutch),
            |stemmer, (w, _)| stemmer.stem(w).into_owned(),
        )
        .collect();
    let mut groups: Vec<&str> = stems.iter().map(String::as_str).collect();
    groups.sort_unstable();
    groups.dedup();
    let group_of_stem: HashMap<&str, usize> =
        groups.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let group_of_word: Vec<usize> = stems.iter().map(|s| group_of_stem[s.as_str()]).collect();
    go_on()?;
    // Words of one stem add up within a page.
    let mut postings: Vec<Vec<(u32, u32)>> = vec![Vec::new(); groups.len()];
    for ((_, list), &group) in vocabulary.iter().zip(&group_of_word) {
        postings[group].extend_from_slice(list);
    }
    postings.par_iter_mut().for_each(|list| {
        list.sort_unstable_by_key(|(doc, _)| *doc);
        list.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                earlier.1 += later.1;
            }
            same
        });
    });

    go_on()?;
    let mut json = String::with_capacity(64 * 1024);
    json.push_str("{\"docs\":[");
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push('[');
        for (j, field) in [e.title, &*e.url, e.kind, &e.summary]
            .into_iter()
            .enumerate()
        {
            if j > 0 {
                json.push(',');
            }
            json.push_str(&serde_json::to_string(field).unwrap_or_default());
        }
        json.push(']');
    }
    json.push_str("],\"postings\":[");
    for (i, list) in postings.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push('[');
        for (j, (doc, score)) in list.iter().enumerate() {
            if j > 0 {
                json.push(',');
            }
            let _ = write!(json, "[{doc},{score}]");
        }
        json.push(']');
    }
    json.push_str("],\"stop\":");
    json.push_str(&serde_json::to_string(STOP_WORDS).unwrap_or_default());
    json.push_str(",\"words\":{");
    for (i, ((word, _), group)) in vocabulary.iter().zip(&group_of_word).enumerate() {
        if i > 0 {
            json.push(',');
        }
        let _ = write!(
            json,
            "{}:{group}",
            serde_json::to_string(word).unwrap_or_default()
        );
    }
    json.push_str("}}");
    Some(json)
}

fn is_stop_word(word: &str) -> bool {
    static SET: std::sync::OnceLock<ahash::AHashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(word)
}

/// Every page, with the text of what it shows.
fn entries(site: &Site) -> Vec<Entry<'_>> {
    let mut out: Vec<Entry> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut text = vec![Piece::Html(&p.content)];
            match site.model(i) {
                PageModel::Programme(d) => {
                    let day = &site.programmes[d];
                    for (s, d) in day.programme.sessions.iter().zip(&day.descriptions) {
                        text.push(Piece::Plain(&s.title));
                        if let Some(d) = d {
                            text.push(Piece::Html(d));
                        }
                    }
                }
                PageModel::Roles(r) => {
                    let set = &site.role_sets[r];
                    text.push(Piece::Html(&set.intro));
                    for r in &set.roles {
                        text.push(Piece::Plain(&r.title));
                        if let Some(s) = &r.summary {
                            text.push(Piece::Plain(s));
                        }
                    }
                }
                PageModel::Note => {
                    if let Some(n) = &p.note {
                        for f in [&n.kernboodschap, &n.behandelvoorstel]
                            .into_iter()
                            .flatten()
                        {
                            text.push(Piece::Html(f));
                        }
                    }
                }
                // Their text is their content.
                PageModel::Page
                | PageModel::Section
                | PageModel::Report(_)
                | PageModel::Chapter { .. } => {}
            }
            Entry {
                title: &p.title,
                url: p.url.as_str().into(),
                kind: site.config.ui.get(p.kind.info().search_label),
                summary: p.summary.clone().unwrap_or_else(|| snippet(&text, 160)),
                text,
            }
        })
        .collect();
    // Each role of a role set has a page of its own.
    for set in &site.role_sets {
        for r in &set.roles {
            let mut text: Vec<Piece> = r.duties.iter().map(|d| Piece::Html(d)).collect();
            text.extend(r.competencies.iter().map(|c| Piece::Plain(c)));
            out.push(Entry {
                title: &r.title,
                url: r.url.as_str().into(),
                kind: site.config.ui.get("kind_role"),
                summary: r.summary.clone().unwrap_or_else(|| set.title.clone()),
                text,
            });
        }
    }
    // Each session of a programme, at its own anchor: found by its title,
    // speakers, chair, moderator and room, not only by the page.
    for day in &site.programmes {
        out.extend(
            crate::render::programme::search_entries(site, day)
                .into_iter()
                .map(|s| Entry {
                    title: s.title,
                    url: s.url.into(),
                    kind: site.config.ui.get("kind_session"),
                    summary: s.summary,
                    text: s
                        .text
                        .into_iter()
                        .map(Piece::Plain)
                        .chain(s.description.map(Piece::Html))
                        .collect(),
                }),
        );
    }
    // Pillars and theme groups.
    for (taxa, kind) in [
        (
            &site.pijlers,
            site.config.taxonomies.pijlers.singular.as_str(),
        ),
        (
            &site.themagroepen,
            site.config.taxonomies.groepen.singular.as_str(),
        ),
    ] {
        for t in taxa {
            let text: Vec<Piece> = t
                .description
                .as_deref()
                .map(Piece::Html)
                .into_iter()
                .collect();
            out.push(Entry {
                title: &t.name,
                url: t.url.as_str().into(),
                kind,
                summary: snippet(&text, 160),
                text,
            });
        }
    }
    out
}

/// The visible text of an HTML fragment, given to `f` in parts: the text
/// between tags as it stands, each tag as a space, each entity decoded.
/// Text only for screen readers ("Link naar ...", "(externe link)") is left
/// out, as it would repeat what the page shows. Nothing is copied.
fn visible_text(html: &str, f: &mut impl FnMut(&str)) {
    const HIDDEN: &str = "<span class=\"visually-hidden\">";
    let mut rest = html;
    while let Some(i) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        if i > 0 {
            f(&rest[..i]);
        }
        rest = &rest[i..];
        if rest.starts_with(HIDDEN) {
            let end = memchr::memmem::find(rest.as_bytes(), b"</span>")
                .map(|j| j + "</span>".len())
                .unwrap_or(rest.len());
            f(" ");
            rest = &rest[end..];
        } else if rest.starts_with('<') {
            f(" ");
            rest = memchr::memchr(b'>', rest.as_bytes())
                .map(|j| &rest[j + 1..])
                .unwrap_or("");
        } else {
            let entity = ENTITIES.iter().find(|(name, _)| rest.starts_with(name));
            match entity {
                Some((name, text)) => {
                    f(text);
                    rest = &rest[name.len()..];
                }
                None => {
                    f("&");
                    rest = &rest[1..];
                }
            }
        }
    }
    if !rest.is_empty() {
        f(rest);
    }
}

const ENTITIES: [(&str, &str); 6] = [
    ("&amp;", "&"),
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", "\""),
    ("&#39;", "'"),
    ("&nbsp;", " "),
];

/// The first `max` characters of the text of `pieces` (pieces apart),
/// whitespace collapsed, cut at a word, with an ellipsis. Reads only as
/// much of the text as it needs.
fn snippet(pieces: &[Piece], max: usize) -> String {
    // Enough text to find `max` characters after collapsing whitespace, and
    // to know whether there is more.
    let mut text = String::new();
    let mut words = 0usize;
    'pieces: for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        let mut done = false;
        piece.for_each_text(&mut |t| {
            if done {
                return;
            }
            text.push_str(t);
            words += 1;
            // Each character of `max` needs at least one byte, and the
            // collapsed text one more word to know that it goes on.
            if text.len() > max * 2 + 64 && words > 1 {
                done = true;
            }
        });
        if done {
            break 'pieces;
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

/// How the tokeniser sees a byte (see [`BYTE_CLASS`]).
const SEPARATOR: u8 = 0;
const LOWER_OR_DIGIT: u8 = 1;
const UPPER: u8 = 2;
/// Part of a multi-byte character: decoded to decide.
const NON_ASCII: u8 = 3;

/// The class of every byte, so that the tokeniser's inner loops are one
/// table lookup per byte.
static BYTE_CLASS: [u8; 256] = {
    let mut table = [SEPARATOR; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c >= 0x80 {
            NON_ASCII
        } else if c.is_ascii_lowercase() || c.is_ascii_digit() {
            LOWER_OR_DIGIT
        } else if c.is_ascii_uppercase() {
            UPPER
        } else {
            SEPARATOR
        };
        b += 1;
    }
    table
};

/// Gives `f` each searchable word of `text`: lowercase, accents removed,
/// split at anything but letters and digits, one-letter words left out
/// (stop words are left to the caller). `zoeken.js` normalises a query the
/// same way. This runs over every word of the site: plain lowercase ASCII
/// words (most of them) are passed on without a copy, characters are
/// decoded only where the text is not ASCII, and `scratch` is reused for
/// words that need lowercasing.
fn for_each_word(text: &str, scratch: &mut String, f: &mut impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let class = |i: usize| BYTE_CLASS[bytes[i] as usize];
    // Whether the character at `i` (not ASCII) is a letter or digit, and its length.
    let non_ascii = |i: usize| {
        let c = text[i..].chars().next().expect("at a char boundary");
        (c.is_alphanumeric(), c.len_utf8())
    };
    let mut i = 0;
    loop {
        // Skip to the start of a word.
        while i < bytes.len() {
            match class(i) {
                SEPARATOR => i += 1,
                NON_ASCII => match non_ascii(i) {
                    (true, _) => break,
                    (false, len) => i += len,
                },
                _ => break,
            }
        }
        if i == bytes.len() {
            return;
        }
        let start = i;
        // Plain: only lowercase ASCII letters and digits so far.
        let mut plain = true;
        loop {
            let (len, upper) = ascii_run(bytes, i);
            i += len;
            plain &= !upper;
            // A separator, the end, or a character that is not ASCII.
            if i == bytes.len() || class(i) != NON_ASCII {
                break;
            }
            match non_ascii(i) {
                (true, len) => {
                    plain = false;
                    i += len;
                }
                (false, _) => break,
            }
        }
        let word = &text[start..i];
        if plain {
            if word.len() > 1 {
                f(word);
            }
        } else if word.is_ascii() {
            scratch.clear();
            scratch.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
            if scratch.len() > 1 {
                f(scratch);
            }
        } else {
            let word = normalise(word);
            if word.chars().nth(1).is_some() {
                f(&word);
            }
        }
    }
}

/// How many bytes from `start` on are ASCII letters and digits, and whether
/// one of them is upper case. Eight bytes are looked at in one step (most
/// words are longer than the few instructions this takes), the last few
/// one by one.
fn ascii_run(bytes: &[u8], start: usize) -> (usize, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // For each byte of `x` (each below 0x80, so no sum carries into the
    // next byte): its high bit set when the byte is at least `lo`.
    let at_least = |x: u64, lo: u8| x.wrapping_add(ONES * u64::from(0x80 - lo));
    let within = |x: u64, lo: u8, hi: u8| at_least(x, lo) & !at_least(x, hi + 1) & HIGH;
    let mut i = start;
    let mut upper = false;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let ascii = !x & HIGH;
        let low = x & !HIGH;
        let upper_here = within(low, b'A', b'Z') & ascii;
        let word = (within(low, b'a', b'z') | within(low, b'0', b'9') | upper_here) & ascii;
        let stop = !word & HIGH;
        // The bytes before the first that is not a letter or digit.
        let before = stop.trailing_zeros() as usize / 8;
        let taken = if before == 8 {
            u64::MAX
        } else {
            (1u64 << (before * 8)) - 1
        };
        upper |= upper_here & taken != 0;
        i += before;
        if before < 8 {
            return (i - start, upper);
        }
    }
    while let Some(&b) = bytes.get(i) {
        match BYTE_CLASS[b as usize] {
            LOWER_OR_DIGIT => {}
            UPPER => upper = true,
            _ => break,
        }
        i += 1;
    }
    (i - start, upper)
}

/// Lowercase without accents: `Één` → `een`.
fn normalise(word: &str) -> String {
    let lower = word.to_lowercase();
    if lower.is_ascii() {
        return lower;
    }
    // slug's transliteration (deunicode) maps `é` to `e`, `ij` stays.
    let s = slug::slugify(&lower).replace('-', "");
    if s.is_empty() { lower } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_normalised_and_stop_words_dropped() {
        let mut w: Vec<String> = Vec::new();
        let text = "De Woningen en één café; Één-tweeën x 2024";
        for_each_word(text, &mut String::new(), &mut |word| {
            if !is_stop_word(word) {
                w.push(word.to_string());
            }
        });
        assert_eq!(w, ["woningen", "cafe", "tweeen", "2024"]);
        let mut text = String::new();
        let html = "<p>A &amp; <a href=\"x\">b</a><span class=\"visually-hidden\"> (externe link)</span></p>";
        visible_text(html, &mut |t| text.push_str(t));
        assert_eq!(text.split_whitespace().collect::<Vec<_>>(), ["A", "&", "b"]);
    }

    /// The tokeniser splits words as the plain definition does: at every
    /// character that is not a letter or digit, wherever a word starts or
    /// ends relative to the eight-byte steps.
    #[test]
    fn words_split_as_characters_say_at_any_alignment() {
        let reference = |text: &str| -> Vec<String> {
            text.split(|c: char| !c.is_alphanumeric())
                .map(normalise)
                .filter(|w| w.chars().nth(1).is_some())
                .collect()
        };
        let parts = [
            "a",
            "Ab",
            "woningmarkt",
            "WONINGEN",
            "2024",
            "één",
            "Café",
            "x",
            "ĳ",
            "ß",
            "-",
            " ",
            ", ",
            "\u{a0}",
            "—",
            "é",
            "abcdefgh",
            "abcdefghABCDEFGH12345678",
            "_",
            "~",
            "@[`{",
        ];
        // Every sequence of three parts, after 0 to 8 bytes of padding.
        for pad in 0..9 {
            for a in parts {
                for b in parts {
                    for c in parts {
                        let text = format!("{}{a}{b}{c}", " ".repeat(pad));
                        let mut words = Vec::new();
                        for_each_word(&text, &mut String::new(), &mut |w| {
                            words.push(w.to_string())
                        });
                        assert_eq!(words, reference(&text), "in {text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn dutch_stems_group_word_forms() {
        let s = Stemmer::create(Algorithm::Dutch);
        assert_eq!(s.stem("woningen"), s.stem("woning"));
        assert_eq!(snippet(&[Piece::Plain("een twee drie")], 9), "een twee…");
        assert_eq!(
            snippet(&[Piece::Html("<p>een</p>"), Piece::Plain("twee")], 20),
            "een twee"
        );
    }
}
