//! Render: Atom feeds (RFC 4287) of a section (`feed: true` in its
//! `_index.md`) and of the whole site (`feed: true` in `site.yaml`).
//!
//! A feed lists dated pages, newest first, with absolute URLs. Its
//! `updated` is the newest entry's date, never the clock, so a build of the
//! same sources gives the same feed; an entry's id is its permalink, which
//! stays as long as the page keeps its URL.

use super::Output;
use super::programme::schedule::escape_xml;
use crate::dates::Date;
use crate::document::Kind;
use crate::site::urls::{SITE_FEED_PATH, feed_url, output_path};
use crate::site::{Page, Site};

/// `<section>/atom.xml`: the section's dated pages.
pub(super) fn section_feed(site: &Site, section: &Page) -> Output {
    let mut entries: Vec<&Page> = site
        .section_pages(section)
        .into_iter()
        .filter(|p| p.date.is_some())
        .collect();
    newest_first(&mut entries);
    let url = feed_url(&section.url);
    let title = format!("{} · {}", section.title, site.config.title);
    Output {
        path: output_path(&url, &site.base_path),
        bytes: feed(
            site,
            &title,
            &section.permalink,
            &url,
            &entries,
            section.date,
        )
        .into_bytes(),
    }
}

/// `/atom.xml`: every dated page of the site (report chapters are read in
/// their report, so they are left out).
pub(super) fn site_feed(site: &Site) -> Output {
    let mut entries: Vec<&Page> = site
        .pages
        .iter()
        .map(std::sync::Arc::as_ref)
        .filter(|p| p.date.is_some() && p.kind != Kind::Chapter)
        .collect();
    newest_first(&mut entries);
    let url = site.url(SITE_FEED_PATH);
    let home = format!("{}/", site.config.base_url_trimmed());
    Output {
        path: output_path(&url, &site.base_path),
        bytes: feed(site, &site.config.title, &home, &url, &entries, None).into_bytes(),
    }
}

fn newest_first(entries: &mut [&Page]) {
    entries.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)));
}

/// A date as an RFC 3339 time: the start of the day, UTC.
fn timestamp(date: Date) -> String {
    format!("{}T00:00:00Z", date.iso())
}

/// The feed document. `alternate` is the page it is the feed of (an
/// absolute URL), `self_url` its own URL (root-relative); `fallback` the
/// date when there are no entries (else the Unix epoch: `updated` is
/// required, and the clock would make builds differ).
fn feed(
    site: &Site,
    title: &str,
    alternate: &str,
    self_url: &str,
    entries: &[&Page],
    fallback: Option<Date>,
) -> String {
    let base = site.config.base_url_trimmed();
    let host = host_root(base);
    let absolute = |url: &str| format!("{host}{url}");
    let updated = entries
        .first()
        .and_then(|p| p.date)
        .or(fallback)
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), timestamp);
    let author = site
        .config
        .organisation
        .as_ref()
        .map_or(site.config.title.as_str(), |o| o.name.as_str());
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\" xml:base=\"{}/\">\n",
        escape_xml(&site.config.language),
        escape_xml(&host)
    ));
    xml.push_str(&format!("  <title>{}</title>\n", escape_xml(title)));
    xml.push_str(&format!("  <id>{}</id>\n", escape_xml(&absolute(self_url))));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape_xml(&absolute(self_url))
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape_xml(alternate)
    ));
    xml.push_str(&format!("  <updated>{updated}</updated>\n"));
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape_xml(author)
    ));
    for p in entries {
        let Some(date) = p.date else { continue };
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title>{}</title>\n", escape_xml(&p.title)));
        xml.push_str(&format!("    <id>{}</id>\n", escape_xml(&p.permalink)));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape_xml(&p.permalink)
        ));
        xml.push_str(&format!("    <updated>{}</updated>\n", timestamp(date)));
        match &p.summary {
            Some(summary) => xml.push_str(&format!(
                "    <summary type=\"text\">{}</summary>\n",
                escape_xml(summary)
            )),
            // The body's links are root-relative; `xml:base` resolves them.
            None => xml.push_str(&format!(
                "    <content type=\"html\">{}</content>\n",
                escape_xml(&p.content)
            )),
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// `https://host.nl/g40` → `https://host.nl`: root-relative URLs (which
/// carry the base path) are made absolute against it.
fn host_root(base_url: &str) -> String {
    let after = base_url.find("://").map_or(0, |i| i + 3);
    match base_url[after..].find('/') {
        Some(i) => base_url[..after + i].to_string(),
        None => base_url.to_string(),
    }
}
