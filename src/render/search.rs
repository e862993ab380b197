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

use std::collections::{BTreeMap, HashMap};

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};

use crate::document::Kind;
use crate::site::Site;

/// Where the search page and its index live.
pub const SEARCH_PATH: &str = "/zoeken/";

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

/// One searchable document.
struct Entry {
    title: String,
    url: String,
    kind: &'static str,
    summary: String,
    /// Plain text besides the title.
    text: String,
}

/// The index as JSON.
///
/// Built in three passes so that large sites stay fast: the words of every
/// page are counted in parallel, each distinct word is stemmed once, and
/// the posting lists are then filled in page order (so they come out
/// sorted, and the output does not depend on thread scheduling).
pub fn index(site: &Site) -> String {
    index_unless(site, &AtomicBool::new(false)).expect("never cancelled")
}

/// [`index`], given up (`None`) as soon as `cancel` is set: `serve` builds
/// the index when idle and must not keep the next edit waiting.
pub fn index_unless(site: &Site, cancel: &AtomicBool) -> Option<String> {
    let entries = entries(site, cancel)?;
    let counts: Option<Vec<ahash::AHashMap<String, u32>>> = entries
        .par_iter()
        .map(|e| {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            let mut counts: ahash::AHashMap<String, u32> = ahash::AHashMap::new();
            for (text, weight) in [(&e.title, 5), (&e.summary, 2), (&e.text, 1)] {
                for word in words(text) {
                    // Look up before allocating: most words were seen before.
                    match counts.get_mut(word.as_ref()) {
                        Some(c) => *c += weight,
                        None => {
                            counts.insert(word.into_owned(), weight);
                        }
                    }
                }
            }
            Some(counts)
        })
        .collect();
    let counts = counts?;
    let mut vocabulary: Vec<&str> = counts
        .iter()
        .flat_map(|c| c.keys().map(String::as_str))
        .collect();
    vocabulary.par_sort_unstable();
    vocabulary.dedup();
    let stems: Vec<String> = vocabulary
        .par_iter()
        .map_init(
            || Stemmer::create(Algorithm::Dutch),
            |stemmer, w| stemmer.stem(w).into_owned(),
        )
        .collect();
    let mut groups: Vec<&str> = stems.iter().map(String::as_str).collect();
    groups.sort_unstable();
    groups.dedup();
    let group_of_stem: HashMap<&str, usize> =
        groups.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    let group_of_word: HashMap<&str, usize> = vocabulary
        .iter()
        .zip(&stems)
        .map(|(w, s)| (*w, group_of_stem[s.as_str()]))
        .collect();
    let mut postings: Vec<Vec<(usize, u32)>> = vec![Vec::new(); groups.len()];
    for (doc, c) in counts.iter().enumerate() {
        // Words of one stem add up within a page.
        let mut per_group: BTreeMap<usize, u32> = BTreeMap::new();
        for (word, weight) in c {
            *per_group.entry(group_of_word[word.as_str()]).or_default() += weight;
        }
        for (group, score) in per_group {
            postings[group].push((doc, score));
        }
    }

    let mut json = String::with_capacity(64 * 1024);
    json.push_str("{\"docs\":[");
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push('[');
        for (j, field) in [&e.title, &e.url, &e.kind.to_string(), &e.summary]
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
    for (i, (word, group)) in vocabulary.iter().map(|w| (w, group_of_word[w])).enumerate() {
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
fn entries(site: &Site, cancel: &AtomicBool) -> Option<Vec<Entry>> {
    let out: Option<Vec<Entry>> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            let mut text = html_text(&p.content);
            match p.kind {
                Kind::Programme => {
                    if let Some(day) = site.programmes.iter().find(|d| d.index == i) {
                        for (s, d) in day.programme.sessions.iter().zip(&day.descriptions) {
                            text.push(' ');
                            text.push_str(&s.title);
                            if let Some(d) = d {
                                text.push(' ');
                                text.push_str(&html_text(d));
                            }
                        }
                    }
                }
                Kind::Roles => {
                    if let Some(set) = site.role_sets.iter().find(|r| r.url == p.url) {
                        text.push(' ');
                        text.push_str(&html_text(&set.intro));
                        for r in &set.roles {
                            text.push(' ');
                            text.push_str(&r.title);
                            if let Some(s) = &r.summary {
                                text.push(' ');
                                text.push_str(s);
                            }
                        }
                    }
                }
                Kind::Note => {
                    if let Some(n) = &p.note {
                        for f in [&n.kernboodschap, &n.behandelvoorstel]
                            .into_iter()
                            .flatten()
                        {
                            text.push(' ');
                            text.push_str(&html_text(f));
                        }
                    }
                }
                _ => {}
            }
            let summary = p.summary.clone().unwrap_or_else(|| snippet(&text, 160));
            Some(Entry {
                title: p.title.clone(),
                url: p.url.clone(),
                kind: kind_label(p.kind),
                summary,
                text,
            })
        })
        .collect();
    let mut out = out?;
    // Each role of a role set has a page of its own.
    for set in &site.role_sets {
        for r in &set.roles {
            let mut text = r
                .duties
                .iter()
                .map(|d| html_text(d))
                .collect::<Vec<_>>()
                .join(" ");
            text.push(' ');
            text.push_str(&r.competencies.join(" "));
            out.push(Entry {
                title: r.title.clone(),
                url: r.url.clone(),
                kind: "Functie",
                summary: r.summary.clone().unwrap_or_else(|| set.title.clone()),
                text,
            });
        }
    }
    // Pillars and theme groups.
    for (taxa, kind) in [
        (&site.pijlers, "Pijler"),
        (&site.themagroepen, "Themagroep"),
    ] {
        for t in taxa {
            let description = t.description.as_deref().map(html_text).unwrap_or_default();
            out.push(Entry {
                title: t.name.clone(),
                url: t.url.clone(),
                kind,
                summary: snippet(&description, 160),
                text: description,
            });
        }
    }
    Some(out)
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Report => "Jaarverslag",
        Kind::Chapter => "Hoofdstuk",
        Kind::Note => "Raadsinformatie",
        Kind::Programme => "Netwerkdag",
        Kind::Roles => "Functies",
        Kind::Section => "Overzicht",
        _ => "Pagina",
    }
}

/// The visible text of an HTML fragment (tags out, a few entities decoded,
/// screen-reader-only text out).
pub fn html_text(html: &str) -> String {
    // One pass: tags become spaces, entities are decoded, and text only for
    // screen readers ("Link naar ...", "(externe link)") is left out, as it
    // would repeat what the page shows.
    const HIDDEN: &str = "<span class=\"visually-hidden\">";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.bytes().position(|b| b == b'<' || b == b'&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with(HIDDEN) {
            let end = rest
                .find("</span>")
                .map(|j| j + "</span>".len())
                .unwrap_or(rest.len());
            out.push(' ');
            rest = &rest[end..];
        } else if rest.starts_with('<') {
            out.push(' ');
            rest = rest.find('>').map(|j| &rest[j + 1..]).unwrap_or("");
        } else {
            let entity = ENTITIES.iter().find(|(name, _)| rest.starts_with(name));
            match entity {
                Some((name, text)) => {
                    out.push_str(text);
                    rest = &rest[name.len()..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out
}

const ENTITIES: [(&str, &str); 6] = [
    ("&amp;", "&"),
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", "\""),
    ("&#39;", "'"),
    ("&nbsp;", " "),
];

/// The first `max` characters of `text`, cut at a word, with an ellipsis.
fn snippet(text: &str, max: usize) -> String {
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

/// The searchable words of `text`: lowercase, accents removed, split at
/// anything but letters and digits, stop words and one-letter words out.
/// `zoeken.js` normalises a query the same way.
pub fn words(text: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> + '_ {
    Tokens { text }
        .map(|w| {
            // Most words are already plain lowercase: no copy needed.
            if w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                std::borrow::Cow::Borrowed(w)
            } else {
                std::borrow::Cow::Owned(normalise(w))
            }
        })
        .filter(|w| w.chars().nth(1).is_some() && !is_stop_word(w))
}

/// The runs of letters and digits in a text (what `split` on
/// `!char::is_alphanumeric` gives, without the empty pieces), decoding
/// characters only where the text is not ASCII: this runs over every word
/// of the site.
struct Tokens<'a> {
    text: &'a str,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let is_word_at = |i: usize| -> (bool, usize) {
            let b = bytes[i];
            if b < 0x80 {
                (b.is_ascii_alphanumeric(), 1)
            } else {
                let c = self.text[i..].chars().next().expect("at a char boundary");
                (c.is_alphanumeric(), c.len_utf8())
            }
        };
        let mut i = 0;
        // Skip to the start of a word.
        while i < bytes.len() {
            let (word, len) = is_word_at(i);
            if word {
                break;
            }
            i += len;
        }
        if i == bytes.len() {
            self.text = "";
            return None;
        }
        let start = i;
        while i < bytes.len() {
            let (word, len) = is_word_at(i);
            if !word {
                break;
            }
            i += len;
        }
        let token = &self.text[start..i];
        self.text = &self.text[i..];
        Some(token)
    }
}

/// Lowercase without accents: `Één` → `een`.
fn normalise(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
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
        let w: Vec<String> = words("De Woningen en één café; Één-tweeën x 2024")
            .map(|w| w.into_owned())
            .collect();
        assert_eq!(w, ["woningen", "cafe", "tweeen", "2024"]);
        assert_eq!(
            html_text("<p>A &amp; <a href=\"x\">b</a></p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["A", "&", "b"]
        );
    }

    #[test]
    fn dutch_stems_group_word_forms() {
        let s = Stemmer::create(Algorithm::Dutch);
        assert_eq!(s.stem("woningen"), s.stem("woning"));
        assert_eq!(snippet("een twee drie", 9), "een twee…");
    }
}
