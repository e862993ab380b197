//! Assemble: the URL scheme, the one place that decides where things go.
//!
//! Documents get their URLs from their place in `content/` ([`UrlScheme`]);
//! everything the site generates (taxonomy pages, the search page, print
//! pages, calendars, schedules, PDFs) gets its URL from a function here, so
//! the pages that link to a file and the code that writes it agree.
//! URLs are root-relative and include the base path (`/g40/jaarverslag/`);
//! "site paths" are the same without it (`/jaarverslag/`).

use std::collections::HashMap;

use crate::document::{Document, Kind};
use crate::util::slug::{default_slug, file_stem, validate_slug};

/// Where the pages of a taxonomy live (`/pijlers/`, `/opgavegroepen/`):
/// its `path` in `site.yaml` (site path, without the base path).
pub(crate) fn taxonomy_path(level: &crate::config::Taxonomy) -> String {
    format!("/{}/", level.path)
}
/// The search page; its index is [`search_index_url`].
pub(crate) const SEARCH_PATH: &str = "/zoeken/";
/// Files every site has, by site path.
pub(crate) const NOT_FOUND_PATH: &str = "/404.html";
pub(crate) const SITEMAP_PATH: &str = "/sitemap.xml";
pub(crate) const ROBOTS_PATH: &str = "/robots.txt";
/// The redirect rules for Netlify and Cloudflare Pages (`redirects_file:
/// true` in `site.yaml`).
pub(crate) const REDIRECTS_FILE_PATH: &str = "/_redirects";
/// The file that marks an output folder as made by g40site (in its top).
pub(crate) const MARKER_FILE: &str = ".g40site-output";

/// `/g40/jaarverslag/` with base path `/g40` → `jaarverslag/index.html`:
/// where the file served at a URL is in the output folder.
pub fn output_path(url: &str, base_path: &str) -> String {
    let path = url
        .strip_prefix(base_path)
        .unwrap_or(url)
        .trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The Atom feed of the whole site (`feed: true` in `site.yaml`).
pub(crate) const SITE_FEED_PATH: &str = "/atom.xml";
/// The networkdays' section, whose page links to their calendar feed.
pub(crate) const NETWORKDAYS_PATH: &str = "/netwerkdagen/";
/// The subscribable calendar of every networkday's sessions.
pub(crate) const NETWORKDAYS_FEED_PATH: &str = "/netwerkdagen/netwerkdagen.ics";

/// The Atom feed of the section at `url` (`feed: true` in its `_index.md`).
pub(crate) fn feed_url(url: &str) -> String {
    format!("{url}atom.xml")
}

/// Page `n` (1-based) of the listing of the section at `url`: the
/// section's own URL for the first, `<url>pagina/<n>/` for the others.
pub(crate) fn pagination_url(url: &str, n: usize) -> String {
    if n <= 1 {
        url.to_string()
    } else {
        format!("{url}pagina/{n}/")
    }
}

/// Where page 1 of a paginated section would be: a redirect to the
/// section, so the first page is never served twice.
pub(crate) fn first_pagination_url(url: &str) -> String {
    format!("{url}pagina/1/")
}

/// The search index next to the search page at `search_url`.
pub(crate) fn search_index_url(search_url: &str) -> String {
    format!("{search_url}index.json")
}

/// The print page of a report, programme or role set at `url`.
pub(crate) fn print_url(url: &str) -> String {
    format!("{url}print/")
}

/// A programme's calendar of the whole day, next to its page at `url`.
pub(crate) fn programme_ics_url(url: &str) -> String {
    format!(
        "{url}{}.ics",
        crate::document::programme::PROGRAMME_ICS_STEM
    )
}

/// A session on its programme's page at `url` (its anchor).
pub(crate) fn session_url(url: &str, session_id: &str) -> String {
    format!("{url}#{session_id}")
}

/// The anchor of a role on its role set's overview and print page.
pub(crate) fn role_anchor(id: &str) -> String {
    format!("functie-{id}")
}

/// One session's calendar, next to its programme's page at `url`.
pub(crate) fn session_ics_url(url: &str, session_id: &str) -> String {
    format!("{url}{session_id}.ics")
}

/// The c3voc/frab schedule of a programme at `url`.
pub(crate) fn schedule_json_url(url: &str) -> String {
    format!("{url}schedule.json")
}

/// The same schedule as frab's XML.
pub(crate) fn schedule_xml_url(url: &str) -> String {
    format!("{url}schedule.xml")
}

/// A role's own page, below its role set's overview at `set_url`.
pub(crate) fn role_url(set_url: &str, id: &str) -> String {
    format!("{set_url}{id}/")
}

/// The PDF of a printed page at `url` of `kind` (see [`pdf_stem`]).
pub(crate) fn pdf_url(url: &str, kind: Kind) -> String {
    format!("{url}{}.pdf", pdf_stem(url, kind))
}

/// The PDF's file name (without `.pdf`): the page's last URL segment,
/// after the kind's prefix for reports and programmes, e.g.
/// `jaarverslag-2023.pdf`.
fn pdf_stem(url: &str, kind: Kind) -> String {
    let last = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("document");
    match kind.info().print.and_then(|p| p.pdf_prefix) {
        Some(prefix) if !last.contains(prefix) => format!("{prefix}-{last}"),
        _ => last.to_string(),
    }
}

/// The id of a report chapter on its report's print page.
pub(crate) fn print_chapter_id(file_stem: &str) -> String {
    format!("hoofdstuk-{file_stem}")
}

/// The prefix of every id inside a chapter on the print page.
pub(crate) fn print_chapter_prefix(file_stem: &str) -> String {
    format!("{file_stem}-")
}

/// How files map to URLs. Every folder becomes a URL segment, slugified
/// (spaces and accents in names just work, a leading `NN-` order prefix is
/// dropped), unless its `_index.md` sets a `slug`; then that slug is used for
/// the section and for everything below it. A document adds its own
/// segment: its `slug`, or its file stem made into one.
pub(super) struct UrlScheme {
    /// Folder (relative to `content/`) → its segment from `_index.md`'s slug.
    section_slugs: HashMap<String, String>,
    /// Folder → its URL path, for every folder holding a Markdown
    /// document: made once, not once per document.
    folders: HashMap<String, String>,
}

impl UrlScheme {
    pub(super) fn new(docs: &[Document]) -> UrlScheme {
        let section_slugs = docs
            .iter()
            .filter(|d| d.is_index() && !d.folder().is_empty())
            .filter_map(|d| {
                let slug = d.meta.slug.as_ref().filter(|s| validate_slug(s).is_ok())?;
                Some((d.folder().to_string(), slug.clone()))
            })
            .collect();
        let mut scheme = UrlScheme {
            section_slugs,
            folders: HashMap::new(),
        };
        for d in docs {
            if !scheme.folders.contains_key(d.folder()) {
                let path = scheme.make_folder(d.folder());
                scheme.folders.insert(d.folder().to_string(), path);
            }
        }
        scheme
    }

    /// `/a/b/` for folder `a/b` (`/` for the top).
    pub(super) fn folder(&self, folder: &str) -> String {
        match self.folders.get(folder) {
            Some(path) => path.clone(),
            None => self.make_folder(folder),
        }
    }

    fn make_folder(&self, folder: &str) -> String {
        let mut path = String::from("/");
        let mut prefix = String::new();
        for segment in folder.split('/').filter(|s| !s.is_empty()) {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(segment);
            match self.section_slugs.get(&prefix) {
                Some(slug) => path.push_str(slug),
                None => path.push_str(&default_slug(segment)),
            }
            path.push('/');
        }
        path
    }

    /// The URL path of a document in `folder` with an optional explicit slug.
    pub(super) fn document(&self, folder: &str, slug: Option<&str>, file_stem: &str) -> String {
        let mut path = self.folder(folder);
        match slug.filter(|s| validate_slug(s).is_ok()) {
            Some(own) => path.push_str(own),
            None => path.push_str(&default_slug(file_stem)),
        }
        path.push('/');
        path
    }

    /// The site path of a Markdown document.
    pub(super) fn markdown(&self, d: &Document) -> String {
        if d.is_index() {
            self.folder(d.folder())
        } else {
            self.document(d.folder(), d.meta.slug.as_deref(), file_stem(&d.rel))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_names_carry_the_kind_unless_the_url_does() {
        assert_eq!(
            pdf_url("/jaarverslag/2023/", Kind::Report),
            "/jaarverslag/2023/jaarverslag-2023.pdf"
        );
        assert_eq!(
            pdf_url("/g40/jaarverslag-2024/", Kind::Report),
            "/g40/jaarverslag-2024/jaarverslag-2024.pdf"
        );
        assert_eq!(
            pdf_url("/netwerkdagen/utrecht/", Kind::Programme),
            "/netwerkdagen/utrecht/programma-utrecht.pdf"
        );
        assert_eq!(
            pdf_url("/raad/notitie/", Kind::Note),
            "/raad/notitie/notitie.pdf"
        );
        assert_eq!(pdf_url("/", Kind::Note), "/document.pdf");
    }
}
