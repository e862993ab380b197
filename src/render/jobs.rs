//! Render: every output made from a template besides the pages of
//! [`Site::pages`], as one list ([`others`]).
//!
//! Each entry says what it is, makes its [`Job`] when a render worker asks
//! ([`Other::job`]: contexts can be large, so they are made by the worker
//! that renders them and live only while it does), and, for `serve`, says
//! what it reads ([`Other::fingerprint`]): a hash of every value that goes
//! into its context besides the site-wide globals. An output whose
//! fingerprint did not change since the last render is not rendered again
//! (see [`super::incremental`]).

use std::hash::{Hash, Hasher};

use tera::Context;

use super::{Job, NOT_FOUND_PATH, SEARCH_PATH, output_path, programme, report, roles, taxonomy};
use crate::config::Taxonomy;
use crate::site::redirects::Redirect;
use crate::site::roles::RoleSetView;
use crate::site::urls::{pagination_url, search_index_url};
use crate::site::{Overview, PageModel, Site, Taxon};
use crate::util::hash_serialized::{fingerprint_hasher, hash_serialized};

/// One output made from a template, besides the pages.
pub(super) enum Other<'a> {
    /// A report's print page.
    ReportPrint(&'a crate::site::Report),
    /// The page of one role of a role set.
    Role(&'a RoleSetView, usize),
    /// A role set's print page.
    RolesPrint(&'a RoleSetView),
    /// A programme's print page.
    ProgrammePrint(&'a crate::site::ProgrammeDay),
    /// The page of a pillar or theme group.
    Taxon(&'a Taxon, &'a Taxonomy),
    /// The overview of a taxonomy.
    TaxonList(&'a [Taxon], &'a Taxonomy, &'a Overview),
    /// The search page.
    Search,
    /// Listing page `n` (2, 3, ...) of the section at this index of
    /// [`Site::pages`]; page 1 is the section's own page.
    Listing(usize, usize),
    /// The page an old address leaves behind.
    Redirect(&'a Redirect),
    /// `404.html`.
    NotFound,
}

/// Every output of `site` made from a template that is not one of its
/// pages, in a fixed order.
pub(super) fn others(site: &Site) -> Vec<Other<'_>> {
    let mut list = Vec::new();
    list.extend(site.reports.iter().map(Other::ReportPrint));
    for set in &site.role_sets {
        list.extend((0..set.roles.len()).map(|i| Other::Role(set, i)));
        list.push(Other::RolesPrint(set));
    }
    list.extend(site.programmes.iter().map(Other::ProgrammePrint));
    let names = &site.config.taxonomies;
    for ((level, taxa), overview) in [
        (&names.pijlers, &site.pijlers),
        (&names.groepen, &site.themagroepen),
    ]
    .into_iter()
    .zip(&site.overviews)
    {
        if taxa.is_empty() {
            continue;
        }
        list.extend(taxa.iter().map(|taxon| Other::Taxon(taxon, level)));
        list.push(Other::TaxonList(taxa, level, overview));
    }
    list.push(Other::Search);
    for (index, page) in site.pages.iter().enumerate() {
        if site.model(index) == PageModel::Section {
            list.extend((2..=site.listing(page).pages).map(|n| Other::Listing(index, n)));
        }
    }
    list.extend(site.redirects.iter().map(Other::Redirect));
    list.push(Other::NotFound);
    list
}

impl Other<'_> {
    /// The job: template, context and output path.
    pub(super) fn job(self, site: &Site, taxon_values: &taxonomy::TaxonValues) -> Job {
        match self {
            Other::ReportPrint(r) => report::print_job(site, r, None),
            Other::Role(set, i) => roles::role_job(site, set, i),
            Other::RolesPrint(set) => roles::print_job(site, set),
            Other::ProgrammePrint(day) => programme::print_job(site, day),
            Other::Taxon(taxon, level) => taxonomy::taxon_job(site, taxon, level, taxon_values),
            Other::TaxonList(taxa, level, overview) => {
                taxonomy::list_job(site, taxa, level, overview, taxon_values)
            }
            Other::Search => {
                let search_url = site.url(SEARCH_PATH);
                let mut context = Context::new();
                context.insert("search_index_url", &search_index_url(&search_url));
                Job::new(
                    site,
                    "search.html",
                    &search_url,
                    context,
                    "the search page".into(),
                )
            }
            Other::Listing(index, n) => {
                let page = &site.pages[index];
                let mut context = Context::new();
                context.insert("page", page);
                super::section_context(site, page, n, &mut context);
                Job::new(
                    site,
                    &page.template,
                    &pagination_url(&page.url, n),
                    context,
                    format!("page {n} of content/{}", page.source),
                )
            }
            Other::Redirect(redirect) => {
                let mut context = Context::new();
                context.insert("redirect", redirect);
                Job::new(
                    site,
                    "redirect.html",
                    &redirect.from,
                    context,
                    format!("the redirect from {} to {}", redirect.from, redirect.to),
                )
            }
            Other::NotFound => {
                let url = site.url(NOT_FOUND_PATH);
                Job::new(site, "404.html", &url, Context::new(), "404.html".into())
            }
        }
    }

    /// The output path, and a hash of everything the job's context is made
    /// from besides `globals` (see [`super::incremental`]); `None` for the
    /// outputs rendered every time (print pages and role pages: few, and
    /// made from much of the site).
    pub(super) fn fingerprint(&self, site: &Site, globals: u64) -> Option<(String, u64)> {
        let mut h = fingerprint_hasher();
        globals.hash(&mut h);
        std::mem::discriminant(self).hash(&mut h);
        let url = match self {
            Other::ReportPrint(_)
            | Other::Role(..)
            | Other::RolesPrint(_)
            | Other::ProgrammePrint(_) => return None,
            Other::Taxon(taxon, level) => {
                hash_serialized(&(taxon, level), &mut h)?;
                taxon.url.clone()
            }
            Other::TaxonList(taxa, level, overview) => {
                hash_serialized(&(taxa, level, overview), &mut h)?;
                site.url(&crate::site::urls::taxonomy_path(level))
            }
            Other::Search => site.url(SEARCH_PATH),
            Other::Listing(index, n) => {
                let page = &site.pages[*index];
                super::incremental::page_fingerprint(site, *index, globals)?.hash(&mut h);
                n.hash(&mut h);
                pagination_url(&page.url, *n)
            }
            Other::Redirect(redirect) => {
                hash_serialized(redirect, &mut h)?;
                redirect.from.clone()
            }
            Other::NotFound => site.url(NOT_FOUND_PATH),
        };
        url.hash(&mut h);
        Some((output_path(&url, &site.base_path), h.finish()))
    }
}
