//! Assemble: one writer per output file.
//!
//! Every file the site writes is claimed by what writes it (a page's
//! source, a generated page, an asset); two claims on one path, or a file
//! where another writer needs a folder, are errors naming both writers,
//! found before anything is written. The render stage adds the theme's
//! static files to the same claims ([`collisions`]).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Site;
use super::urls::{
    MARKER_FILE, NETWORKDAYS_FEED_PATH, NOT_FOUND_PATH, REDIRECTS_FILE_PATH, ROBOTS_PATH,
    SEARCH_PATH, SITE_FEED_PATH, SITEMAP_PATH, feed_url, output_path, pagination_url,
    search_index_url, taxonomy_path,
};
use crate::diagnostics::Diagnostic;

/// Two outputs may never claim the same file: the second would silently
/// overwrite the first (or, written at once, tear it).
/// A path an alias shares with another writer is an error at the alias
/// (in its document's fields); the rest are reported by [`collisions`].
pub(super) fn check_url_collisions(site: &Site) -> Vec<Diagnostic> {
    let plain = collisions(&site.claims);
    if plain.is_empty() {
        return plain;
    }
    let mut claims = site.claims.clone();
    let mut errors = Vec::new();
    for r in &site.redirects {
        let Some(origin) = &r.origin else { continue };
        let path = output_path(&r.from, &site.base_path);
        let Some((_, writers)) = claims.get(&path) else {
            continue;
        };
        if writers.len() < 2 {
            continue;
        }
        let others: Vec<&str> = writers
            .iter()
            .filter(|w| **w != r.writer)
            .map(String::as_str)
            .collect();
        errors.push(
            origin
                .error(format!(
                    "alias `{}` is the URL of something else too: {}",
                    r.from,
                    others.join(", ")
                ))
                .hint("an alias must be an address nothing else uses: remove it, or write the old address that is no longer in use"),
        );
    }
    // Each alias in a collision is reported above, at the alias; what is
    // left (two pages on one URL) is reported as before.
    for (_, writers) in claims.values_mut() {
        if writers.len() > 1 {
            writers.retain(|w| {
                !site
                    .redirects
                    .iter()
                    .any(|r| r.origin.is_some() && &r.writer == w)
            });
        }
    }
    claims.retain(|_, (_, writers)| !writers.is_empty());
    errors.extend(collisions(&claims));
    errors
}

/// Every file the site puts in the output folder, apart from the theme's
/// static files (see [`crate::render::Renderer`]), with who writes it:
/// output path -> writers. One writer each is the rule ([`collisions`]).
pub(crate) fn output_claims(site: &Site) -> Claims {
    let mut owners = Claims::new();
    let base_path = site.base_path.clone();
    let mut claim = |url: &str, by: String| {
        owners
            .entry(output_path(url, &base_path))
            .or_insert_with(|| (url.to_string(), Vec::new()))
            .1
            .push(by)
    };
    for p in &site.pages {
        claim(&p.url, format!("content/{}", p.source));
        if let Some(pdf) = &p.pdf_url {
            claim(pdf, format!("PDF of content/{}", p.source));
        }
        if let Some(listing) = site.listings.get(&p.source) {
            for n in 2..=listing.pages {
                claim(
                    &pagination_url(&p.url, n),
                    format!("page {n} of the listing of content/{}", p.source),
                );
            }
            if listing.feed {
                claim(
                    &feed_url(&p.url),
                    format!("the feed of content/{}", p.source),
                );
            }
        }
    }
    if site.config.feed {
        claim(&site.url(SITE_FEED_PATH), "the site's feed".into());
    }
    for r in &site.reports {
        claim(
            &r.print_url,
            format!("print page of content/{}", site.pages[r.index].source),
        );
    }
    for r in &site.role_sets {
        // The overview is one of the pages, above.
        let source = format!("content/{}", r.source);
        claim(&r.print_url, format!("print page of {source}"));
        for role in &r.roles {
            claim(&role.url, format!("role `{}` of {source}", role.id));
        }
    }
    for day in &site.programmes {
        let source = &site.pages[day.index].source;
        claim(&day.print_url, format!("print page of content/{source}"));
        claim(&day.ics_url, format!("calendar of content/{source}"));
        claim(
            &day.schedule_url,
            format!("schedule.json of content/{source}"),
        );
        claim(
            &day.schedule_xml_url,
            format!("schedule.xml of content/{source}"),
        );
        for (i, s) in day.programme.sessions.iter().enumerate() {
            claim(
                &day.session_ics_url(site, i),
                format!("calendar of session `{}` in content/{source}", s.id),
            );
        }
    }
    if !site.programmes.is_empty() {
        claim(
            &site.url(NETWORKDAYS_FEED_PATH),
            "the calendar feed of every networkday".into(),
        );
    }
    // Overviews exist only for a taxonomy with entries (as rendered).
    let names = &site.config.taxonomies;
    for (level, taxa) in [
        (&names.pijlers, &site.pijlers),
        (&names.groepen, &site.themagroepen),
    ] {
        for t in taxa {
            claim(&t.url, format!("generated page for `{}`", t.id));
        }
        if !taxa.is_empty() {
            claim(
                &site.url(&taxonomy_path(level)),
                format!("generated overview of {}", level.path),
            );
        }
    }
    let search = site.url(SEARCH_PATH);
    claim(&search, "the search page".into());
    claim(&search_index_url(&search), "the search index".into());
    for (file, what) in [
        (NOT_FOUND_PATH, "the generated 404 page"),
        (SITEMAP_PATH, "the generated sitemap"),
        (ROBOTS_PATH, "the generated robots.txt"),
    ] {
        claim(&site.url(file), what.into());
    }
    {
        let file = format!("/{MARKER_FILE}");
        claim(&site.url(&file), "the output folder's marker".into());
    }
    for r in &site.redirects {
        claim(&r.from, r.writer.clone());
    }
    if site.config.redirects_file {
        claim(
            &site.url(REDIRECTS_FILE_PATH),
            "the generated _redirects file".into(),
        );
    }
    for asset in &site.assets {
        claim(
            &site.url(&format!("/{}", asset.path)),
            asset.source.display().to_string(),
        );
    }
    owners
}

/// Output path -> (the URL it is served at, its writers).
pub(crate) type Claims = BTreeMap<String, (String, Vec<String>)>;

/// The error for every output path with more than one writer, and for a
/// path that one writer needs as a file and another as a folder.
pub(crate) fn collisions(owners: &Claims) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (path, (url, sources)) in owners {
        // A file where another writer needs a folder.
        for (i, _) in path.match_indices('/') {
            if let Some((_, files)) = owners.get(&path[..i]) {
                let first_md = files
                    .iter()
                    .chain(sources)
                    .find(|s| s.starts_with("content/"))
                    .cloned()
                    .unwrap_or_else(|| files[0].clone());
                errors.push(
                    Diagnostic::new(
                        PathBuf::from(&first_md),
                        format!(
                            "`{}` is written as a file by {}, but {} writes `{path}` inside it",
                            &path[..i],
                            files.join(", "),
                            sources.join(", ")
                        ),
                    )
                    .hint("give one of them another `slug`, or rename the file"),
                );
            }
        }
        if sources.len() > 1 {
            let first_md = sources
                .iter()
                .find(|s| s.starts_with("content/"))
                .cloned()
                .unwrap_or_else(|| sources[0].clone());
            errors.push(
                Diagnostic::new(
                    PathBuf::from(&first_md),
                    format!(
                        "URL `{url}` is produced by more than one source: {}",
                        sources.join(", ")
                    ),
                )
                .hint(collision_hint(sources)),
            );
        }
    }
    errors
}

fn collision_hint(writers: &[String]) -> &'static str {
    if writers.iter().any(|w| w.starts_with(THEME_WRITER)) {
        "a file in content/ cannot replace a theme file: put your own version in static/ (or templates/) of the site, or rename the file"
    } else if writers.iter().any(|w| w.starts_with("the ")) {
        "g40site writes this file itself: rename or move the file in content/ (the 404 and search pages come from the theme's templates)"
    } else {
        "give one of them another `slug`, or rename the file"
    }
}

/// How a theme's static file is named among the writers of a path.
pub(crate) const THEME_WRITER: &str = "theme file ";
