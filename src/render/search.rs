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
    let counts: Option<Vec<HashMap<String, u32>>> = entries
        .par_iter()
        .map(|e| {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            let mut counts: HashMap<String, u32> = HashMap::new();
            for (text, weight) in [(&e.title, 5), (&e.summary, 2), (&e.text, 1)] {
                for word in words(text) {
                    *counts.entry(word).or_default() += weight;
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
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
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
    // Text only for screen readers ("Link naar ...", "(externe link)")
    // would repeat what the page shows.
    let mut html = html.to_string();
    while let Some(i) = html.find("<span class=\"visually-hidden\">") {
        match html[i..].find("</span>") {
            Some(j) => html.replace_range(i..i + j + "</span>".len(), " "),
            None => break,
        }
    }
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
}

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
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(normalise)
        .filter(|w| w.chars().count() > 1 && !is_stop_word(w))
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
        let w: Vec<String> = words("De Woningen en één café; Één-tweeën x 2024").collect();
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
