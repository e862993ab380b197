//! Render again after an edit: only the pages whose inputs changed.
//!
//! `serve` keeps, for every page it rendered, a fingerprint of what went
//! into it ([`page_fingerprint`]): the page's own build (a Markdown page
//! kept by [`crate::site::AssemblyCache`] has the same build number until
//! something it was built from changes), what its model adds to its
//! context (a section's listed pages, a report's chapters, a chapter's
//! neighbours) and the site-wide values every template sees (site.yaml,
//! `_data/`, the theme, the options). A page whose fingerprint is the same
//! as last time is not rendered again. The other outputs made from
//! templates are compared the same way, each by the fingerprint of its
//! inputs ([`super::jobs::Other::fingerprint`]: taxonomy pages, overviews,
//! listing pages, redirects, the search and 404 pages); print pages, role
//! pages and programmes, and the outputs not made from templates (feeds,
//! the sitemap, exports, the theme's files) are made every time. The
//! search index is left to `serve`, which refreshes it when idle.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::{Output, RenderOptions, Renderer, output_path};
use crate::diagnostics::Diagnostic;
use crate::site::{Page, PageModel, Site};

/// Per output path, the fingerprint of what it was rendered from
/// (`None`: not known, rendered every time).
pub(crate) type Fingerprints = HashMap<String, Option<u64>>;

/// What [`Renderer::render_incremental`] gives.
pub(crate) struct Incremental {
    /// The files rendered (changed or not known to be the same).
    pub changed: Vec<Output>,
    /// Files of the last site that this one no longer has.
    pub removed: Vec<String>,
    /// Every file of the new site, with its fingerprint.
    pub fingerprints: Fingerprints,
    /// Outputs made from templates that were rendered again (pages and
    /// the others of [`super::jobs::others`]).
    pub templates_rendered: usize,
}

impl Renderer {
    /// Render what changed since the render that gave `previous`, for a
    /// site whose other files are unchanged. `seed` stands for everything
    /// site-wide that the site itself does not hold (the theme's files,
    /// the build options).
    pub(crate) fn render_incremental(
        &mut self,
        site: &Site,
        opts: &RenderOptions,
        seed: u64,
        previous: &Fingerprints,
    ) -> Result<Incremental, Vec<Diagnostic>> {
        let globals = globals_fingerprint(site, opts, seed);
        let mut fingerprints = Fingerprints::with_capacity(previous.len());
        let unchanged =
            |path: &String, fp: &Option<u64>| fp.is_some() && previous.get(path) == Some(fp);
        let mut pages = Vec::new();
        for i in 0..site.pages.len() {
            let fp = page_fingerprint(site, i, globals);
            let path = output_path(&site.pages[i].url, &site.base_path);
            if !unchanged(&path, &fp) {
                pages.push(i);
            }
            fingerprints.insert(path, fp);
        }
        let mut others = Vec::new();
        for other in super::jobs::others(site) {
            match other.fingerprint(site, globals) {
                Some((path, fp)) => {
                    let fp = Some(fp);
                    if !unchanged(&path, &fp) {
                        others.push(other);
                    }
                    fingerprints.insert(path, fp);
                }
                None => others.push(other),
            }
        }
        let templates_rendered = pages.len() + others.len();
        let (changed, _) =
            self.render_with(site, opts, None, Some(super::Only { pages, others }))?;
        for o in &changed {
            fingerprints.entry(o.path.clone()).or_insert(None);
        }
        // Not rendered here, but still part of the site.
        let index = super::search_index_path(site);
        fingerprints.entry(index).or_insert(None);
        let removed = previous
            .keys()
            .filter(|p| !fingerprints.contains_key(*p))
            .cloned()
            .collect();
        Ok(Incremental {
            changed,
            removed,
            templates_rendered,
            fingerprints,
        })
    }
}

/// Every file of a full render, with the fingerprints
/// [`Renderer::render_incremental`] compares against next time.
pub(crate) fn fingerprints_of(
    site: &Site,
    opts: &RenderOptions,
    seed: u64,
    paths: impl Iterator<Item = String>,
) -> Fingerprints {
    let globals = globals_fingerprint(site, opts, seed);
    let mut fingerprints: Fingerprints = paths.map(|p| (p, None)).collect();
    for i in 0..site.pages.len() {
        let path = output_path(&site.pages[i].url, &site.base_path);
        fingerprints.insert(path, page_fingerprint(site, i, globals));
    }
    for other in super::jobs::others(site) {
        if let Some((path, fp)) = other.fingerprint(site, globals) {
            fingerprints.insert(path, Some(fp));
        }
    }
    fingerprints
}

fn hasher() -> impl Hasher {
    crate::util::hash_serialized::fingerprint_hasher()
}

/// What every template sees besides its own context: the `site`, `data`,
/// `live_reload` globals and the menu (from site.yaml), plus `seed`.
fn globals_fingerprint(site: &Site, opts: &RenderOptions, seed: u64) -> u64 {
    let mut h = hasher();
    seed.hash(&mut h);
    opts.live_reload.hash(&mut h);
    format!("{:?}", site.config).hash(&mut h);
    site.base_path.hash(&mut h);
    serde_json::to_string(&site.data.values)
        .unwrap_or_default()
        .hash(&mut h);
    site.pijlers.is_empty().hash(&mut h);
    site.themagroepen.is_empty().hash(&mut h);
    h.finish()
}

/// A page as listings show it ([`crate::site::PageRef`]'s fields).
fn hash_ref(p: &Page, h: &mut impl Hasher) {
    p.title.hash(h);
    p.url.hash(h);
    std::mem::discriminant(&p.kind).hash(h);
    p.date.hash(h);
    p.summary.hash(h);
    p.upcoming.hash(h);
    p.date_range.hash(h);
}

/// The fingerprint of everything [`Renderer::page_job`] puts in the
/// context of page `index` (see the module docs); `None` for pages that
/// are not kept between builds, or whose model reads more than is tracked.
pub(crate) fn page_fingerprint(site: &Site, index: usize, globals: u64) -> Option<u64> {
    let page = &site.pages[index];
    let mut h = hasher();
    globals.hash(&mut h);
    page.build?.hash(&mut h);
    // Set by assembly after the page is built.
    page.upcoming.hash(&mut h);
    page.pdf_url.hash(&mut h);
    match site.model(index) {
        PageModel::Page | PageModel::Note => {}
        PageModel::Section => {
            let listing = site.listing(page);
            (
                listing.by_date,
                listing.paginate_by,
                listing.feed,
                listing.pages,
            )
                .hash(&mut h);
            for child in site.section_pages(page) {
                hash_ref(child, &mut h);
            }
        }
        PageModel::Report(r) => {
            let report = &site.reports[r];
            report.print_url.hash(&mut h);
            for &c in &report.chapters {
                site.pages[c].build?.hash(&mut h);
            }
        }
        PageModel::Chapter { report, position } => {
            let report = &site.reports[report];
            position.hash(&mut h);
            report.print_url.hash(&mut h);
            site.pages[report.index].build?.hash(&mut h);
            for &c in &report.chapters {
                site.pages[c].build?.hash(&mut h);
            }
        }
        PageModel::Roles(_) | PageModel::Programme(_) => return None,
    }
    if page.url == site.url("/") {
        // The home page lists the top-level sections, the newest news and
        // the next networkday.
        for child in site.section_pages(page) {
            hash_ref(child, &mut h);
        }
        crate::util::hash_serialized::hash_serialized(&super::HomeExtras::of(site), &mut h)?;
    }
    Some(h.finish())
}
