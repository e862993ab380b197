//! Assemble: the parsed documents become one immutable site graph.
//!
//! This stage decides every URL, orders sections and report chapters,
//! resolves pillar and theme-group references (aliases included), renders
//! Markdown bodies (now that links between files can be resolved) and checks
//! that no two outputs claim the same URL. It collects every error instead
//! of stopping at the first.
//!
//! [`assemble`] is the whole stage, in the order of its steps; each step
//! lives in a submodule: `documents` (parse, drafts), `urls` (every URL),
//! `assets`, `pages` (Markdown), `shortcodes` (calls in Markdown bodies,
//! expanded around the Markdown rendering), `roles` and `programme` (structured
//! documents), `report`, `taxonomy`, `print` (what is printed), `outputs`
//! (one writer per file) and `incremental` (serve's fast path). Every
//! document becomes a [`Page`] of its kind, so sections list it like any
//! other page; the kinds with a model of their own (reports, role sets,
//! programmes) are linked to it by [`PageModel`].

mod assets;
mod documents;
mod incremental;
mod links;
mod outputs;
mod pages;
mod print;
pub(crate) mod programme;
pub(crate) mod redirects;
pub(crate) mod report;
pub(crate) mod roles;
mod shortcodes;
pub(crate) mod taxonomy;
pub(crate) mod urls;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::dates::Date;
use crate::diagnostics::Diagnostic;
use crate::document::Kind;
use crate::document::data::Data;
use crate::images;
use crate::markdown::{self, Heading};
use crate::source::Sources;

pub(crate) use incremental::{AssemblyCache, BodyUpdate};
pub(crate) use links::{LinkTable, Unpublished};
pub(crate) use outputs::{Claims, THEME_WRITER, collisions, output_claims};
pub(crate) use pages::NoteFields;
pub(crate) use print::PrintDocument;
pub(crate) use programme::ProgrammeDay;
pub(crate) use redirects::Redirect;
pub(crate) use report::Report;
pub(crate) use shortcodes::Shortcodes;
pub(crate) use taxonomy::{Overview, Referring, Taxon, TaxonRef};

use taxonomy::{IntroOf, References};
use urls::UrlScheme;

/// Options that change what is assembled.
#[derive(Debug, Clone, Default)]
pub(crate) struct AssembleOptions {
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// The build date, for telling upcoming networkdays from past ones.
    /// `None`: no notion of today (every programme is listed newest first),
    /// which keeps output independent of the day it is built.
    pub today: Option<Date>,
    /// The build exports PDFs (`build --pdf`): documents that are printed
    /// get a [`Page::pdf_url`] to link to.
    pub pdf: bool,
    /// The site folder whose `.g40site-cache/` keeps resized images between
    /// builds (see [`crate::images::cache`]); `None`: every build resizes.
    pub image_cache: Option<PathBuf>,
}

/// A page of the site, of any kind: what templates get as `page`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Page {
    pub title: String,
    pub kind: Kind,
    /// Root-relative URL including the base path, e.g. `/jaarverslag/2023/`.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    pub date: Option<Date>,
    pub weight: Option<i64>,
    pub summary: Option<String>,
    /// The body as HTML (shared: `serve` keeps pages between rebuilds, and
    /// a page's HTML is its largest part).
    #[serde(serialize_with = "serialize_shared")]
    pub content: std::sync::Arc<str>,
    pub toc: Vec<Heading>,
    pub pijler: Option<TaxonRef>,
    pub themagroepen: Vec<TaxonRef>,
    pub extra: Option<serde_yaml::Value>,
    /// Source path relative to `content/`.
    pub source: String,
    pub draft: bool,
    // Kind-specific fields; `None`/empty where they do not apply.
    pub year: Option<i32>,
    pub subtitle: Option<String>,
    pub published: Option<Date>,
    pub signed: Option<String>,
    pub note: Option<NoteFields>,
    /// For a programme, when the build knows today's date: whether the
    /// day is today or later.
    pub upcoming: Option<bool>,
    /// For an event of several days, its dates as listings show them:
    /// `10 en 11 september 2026` (`None`: the `date` alone).
    pub date_range: Option<String>,
    /// Where the PDF of this document is (`build --pdf` only): reports,
    /// programmes, role sets and notes. See [`Site::print_documents`].
    pub pdf_url: Option<String>,
    /// Template to render with.
    #[serde(skip)]
    pub template: String,
    /// Path relative to `content/` of the folder this page lists (sections)
    /// or lives in (other pages).
    #[serde(skip)]
    pub folder: String,
    #[serde(skip)]
    pub file_stem: String,
    /// Which build of this page this is, when `serve`'s
    /// [`AssemblyCache`] keeps it: the same number means the same page,
    /// so what is rendered from it needs no rendering again. `None`: not
    /// kept (rendered every time).
    #[serde(skip)]
    pub build: Option<u64>,
}

/// [`Page::content`] as the string it is.
fn serialize_shared<S: serde::Serializer>(
    text: &std::sync::Arc<str>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(text)
}

/// A short reference to a page, for listings and navigation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageRef {
    pub title: String,
    pub url: String,
    pub kind: Kind,
    pub date: Option<Date>,
    pub summary: Option<String>,
    pub upcoming: Option<bool>,
    /// As [`Page::date_range`].
    pub date_range: Option<String>,
}

/// What a page is the page of: its kind, and for the kinds with a model of
/// their own, the index of that model in the [`Site`]. The one way to get
/// from a page to its model; match it without `_ =>`, so a new kind is
/// handled everywhere behaviour differs by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageModel {
    /// A plain page.
    Page,
    /// A section: lists the pages of its folder.
    Section,
    /// A report's index page: [`Site::reports`]`[i]`.
    Report(usize),
    /// A chapter of [`Site::reports`]`[report]`, at `position` (0-based)
    /// in its reading order.
    Chapter { report: usize, position: usize },
    /// A council note (its fields are [`Page::note`]).
    Note,
    /// A role set's overview: [`Site::role_sets`]`[i]`.
    Roles(usize),
    /// A networkday programme's page: [`Site::programmes`]`[i]`.
    Programme(usize),
}

/// How a section lists its pages: `sort_by`, `paginate_by` and `feed` in
/// its `_index.md`. Sections without them list as they always have.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Listing {
    /// Newest first, by date only (`sort_by: date`).
    pub by_date: bool,
    /// Pages listed per listing page.
    pub paginate_by: Option<usize>,
    /// An Atom feed of the section's dated pages.
    pub feed: bool,
    /// How many listing pages there are (at least 1).
    pub pages: usize,
}

/// A file of `content/` copied to the output as it is (an image, a PDF).
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    /// Where it goes in the output folder, e.g. `jaarverslag/2023/foto.jpg`.
    pub path: String,
    /// Where it comes from, relative to the site root (for errors).
    pub source: PathBuf,
    pub bytes: Vec<u8>,
}

/// The assembled site: every page and every URL, ready to render.
#[derive(Debug)]
pub(crate) struct Site {
    pub config: SiteConfig,
    /// Path part of `base_url` (no trailing slash), prefixed to every link.
    pub base_path: String,
    pub data: Data,
    /// Every page, sorted by URL. Shared with `serve`'s
    /// [`AssemblyCache`]: a page kept between rebuilds is not copied (nor
    /// freed) each time.
    pub pages: Vec<Arc<Page>>,
    /// Per page (same index): its model. See [`Site::model`].
    models: Vec<PageModel>,
    pub reports: Vec<Report>,
    /// Role sets (`kind: roles`), sorted by URL; each also has a page.
    pub role_sets: Vec<roles::RoleSetView>,
    pub programmes: Vec<ProgrammeDay>,
    pub pijlers: Vec<Taxon>,
    pub themagroepen: Vec<Taxon>,
    /// The overview pages of pillars and groups (title and intro).
    pub overviews: [Overview; 2],
    /// Old URLs that send the reader on (`aliases:`), sorted by old URL.
    pub redirects: Vec<Redirect>,
    /// The sections with a [`Listing`] of their own, by source path.
    pub listings: HashMap<String, Listing>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
    /// How many resized images this build made, and read from the cache.
    pub image_stats: images::Stats,
    /// Non-fatal problems (skipped symlinks, warnings).
    pub warnings: Vec<Diagnostic>,
    /// Every file the site writes with its writer, theme files aside
    /// ([`output_claims`]): made once, checked by assembly and again,
    /// with the theme's files, by rendering.
    pub claims: outputs::Claims,
    /// URL of every document by its path relative to `content/`: how links
    /// to other files in Markdown are resolved.
    pub links: HashMap<String, String>,
    /// Documents that exist but are not part of this build (drafts, files
    /// with errors), by path relative to `content/`: a link to one says
    /// so instead of "no such file".
    pub unpublished: HashMap<String, Unpublished>,
    /// A hash of each Markdown file's front matter, by path relative to
    /// `content/`: an edit that leaves it alone changes only that page's body.
    pub front_matter: HashMap<String, u64>,
}

impl Site {
    /// Make a site path (`/jaarverslag/`) into a link with the base path.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }

    /// The model of [`Site::pages`]`[page]`.
    pub(crate) fn model(&self, page: usize) -> PageModel {
        self.models[page]
    }

    /// How `section` lists its pages (the default for most sections).
    pub(crate) fn listing(&self, section: &Page) -> Listing {
        self.listings
            .get(&section.source)
            .copied()
            .unwrap_or_default()
    }

    /// Short references to the pages in a section's folder (not sub-folders),
    /// plus its direct sub-sections, in display order.
    pub(crate) fn section_children(&self, section: &Page) -> Vec<PageRef> {
        self.section_pages(section)
            .iter()
            .map(|p| page_ref(p))
            .collect()
    }

    /// The folders of sections listed by date (news): their pages are
    /// the site's dated items.
    pub(crate) fn dated_folders(&self) -> std::collections::HashSet<&str> {
        self.pages
            .iter()
            .filter(|s| {
                s.kind == Kind::Section && self.listings.get(&s.source).is_some_and(|l| l.by_date)
            })
            .map(|s| s.folder.as_str())
            .collect()
    }

    /// The pages [`Self::section_children`] refers to.
    pub(crate) fn section_pages(&self, section: &Page) -> Vec<&Page> {
        let mut children = children_of(&self.pages, section);
        if self.listing(section).by_date {
            children.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.source.cmp(&b.source)));
        } else {
            children.sort_by(|a, b| listing_order(a, b));
        }
        children
    }
}

/// The pages a section lists, in no particular order.
fn children_of<'a>(pages: &'a [Arc<Page>], section: &Page) -> Vec<&'a Page> {
    pages
        .iter()
        .map(Arc::as_ref)
        .filter(|p| match p.kind {
            // A section or report is its folder: listed in its parent's.
            Kind::Section | Kind::Report => {
                parent_folder(&p.folder) == Some(section.folder.as_str())
                    && p.folder != section.folder
            }
            // Chapters are listed by their report.
            Kind::Chapter => false,
            Kind::Page | Kind::Note | Kind::Roles | Kind::Programme => p.folder == section.folder,
        })
        .collect()
}

/// Weight first (pages without one last), then newest date first, then file
/// name. Upcoming networkdays come before everything dated, soonest first.
fn listing_order(a: &Page, b: &Page) -> std::cmp::Ordering {
    let w = |p: &Page| p.weight.unwrap_or(i64::MAX);
    let upcoming = |p: &Page| p.upcoming == Some(true);
    w(a).cmp(&w(b))
        .then_with(|| upcoming(b).cmp(&upcoming(a)))
        .then_with(|| {
            if upcoming(a) && upcoming(b) {
                a.date.cmp(&b.date)
            } else {
                b.date.cmp(&a.date)
            }
        })
        .then_with(|| a.source.cmp(&b.source))
}

/// A page as listings and navigation refer to it.
pub(crate) fn page_ref(p: &Page) -> PageRef {
    PageRef {
        title: p.title.clone(),
        url: p.url.clone(),
        kind: p.kind,
        date: p.date,
        summary: p.summary.clone(),
        upcoming: p.upcoming,
        date_range: p.date_range.clone(),
    }
}

fn parent_folder(folder: &str) -> Option<&str> {
    if folder.is_empty() {
        None
    } else {
        Some(folder.rfind('/').map(|i| &folder[..i]).unwrap_or(""))
    }
}

/// What every step needs to turn a document into pages: the site's
/// addresses, the pillar and theme-group table, the link table and the
/// build's options.
pub(super) struct Assembly<'a> {
    /// Path part of `base_url`, without a trailing slash (`/g40` or ``).
    pub(super) base_path: &'a str,
    /// `base_url` without a trailing slash.
    pub(super) base_url: &'a str,
    pub(super) refs: &'a References,
    pub(super) links: markdown::LinkResolver<'a>,
    pub(super) unsafe_html: bool,
    pub(super) today: Option<Date>,
    /// `_data/` (the `data_table` shortcode and shortcode templates read it).
    pub(super) data: &'a Data,
    /// Every networkday programme of the build, oldest first (the
    /// `netwerkdagen` shortcode lists them).
    pub(super) networkdays: &'a [shortcodes::Networkday],
    /// The build's shortcode templates; `None`: bodies are not expanded
    /// (serve's fast path, which rebuilds in full for a body with calls).
    pub(super) shortcodes: Option<&'a Shortcodes>,
    /// The theme's interface text in the site's language.
    pub(super) ui: &'a crate::config::Strings,
}

impl Assembly<'_> {
    /// How Markdown from `file` (starting at `first_line`) is rendered:
    /// links resolved, ids prefixed with `id_prefix`, headings moved down
    /// `heading_offset` levels.
    pub(super) fn markdown<'b>(
        &'b self,
        file: &'b std::path::Path,
        file_text: &'b str,
        first_line: usize,
        rel: &'b str,
        id_prefix: &'b str,
        heading_offset: u8,
    ) -> markdown::Context<'b> {
        markdown::Context {
            file,
            file_text,
            first_line,
            rel,
            resolve: Some(self.links),
            id_prefix,
            heading_offset,
            unsafe_html: self.unsafe_html,
            site_url: Some(self.base_url),
            ui: Some(self.ui),
        }
    }
}

/// Build the site graph from loaded sources. All errors are collected.
/// With a `cache` (`serve`), files and pages whose inputs did not change
/// since the last assembly are taken from it (see [`AssemblyCache`]).
pub(crate) fn assemble(
    config: SiteConfig,
    mut sources: Sources,
    opts: &AssembleOptions,
    shortcodes: &Shortcodes,
    mut cache: Option<&mut AssemblyCache>,
) -> Result<Site, Vec<Diagnostic>> {
    let mut errors: Vec<Diagnostic> = Vec::new();
    let base_path = config.base_path();
    let base_url = config.base_url_trimmed().to_string();

    if let Some(c) = cache.as_deref_mut() {
        c.start();
    }
    let mut docs = documents::parse(
        &sources,
        &config.taxonomies,
        cache.as_deref_mut(),
        &mut errors,
    );
    if !opts.drafts {
        docs.hide_drafts();
    }
    pages::settle_kinds(&mut docs.markdown, &docs.unpublished, &mut errors);
    let intros = taxonomy::take_intros(
        &mut docs.markdown,
        &config.taxonomies,
        &docs.data,
        &mut errors,
    );

    // URLs: see [`UrlScheme`]. Explicit slugs are checked here, once; role
    // sets and programmes are checked when they are parsed.
    for d in &docs.markdown {
        if let Some(slug) = &d.meta.slug
            && let Err(suggestion) = crate::util::slug::validate_slug(slug)
        {
            errors.push(
                d.field_error("slug", format!("slug `{slug}` is not a single URL segment"))
                    .hint(format!(
                        "use lowercase letters, digits and dashes, e.g. `{suggestion}`"
                    )),
            );
        }
    }
    let scheme = UrlScheme::new(&docs.markdown);
    let mut url_of_rel: HashMap<String, String> = HashMap::new();
    let mut at = |rel: &str, path: String| {
        url_of_rel.insert(rel.to_string(), format!("{base_path}{path}"));
        path
    };
    let site_paths: Vec<String> = docs
        .markdown
        .iter()
        .map(|d| at(&d.rel, scheme.markdown(d)))
        .collect();
    let role_paths: Vec<String> = docs
        .role_sets
        .iter()
        .map(|r| {
            let path = scheme.document(r.folder(), r.set.slug.as_deref(), r.file_stem());
            at(&r.rel, path)
        })
        .collect();
    let programme_paths: Vec<String> = docs
        .programmes
        .iter()
        .map(|p| {
            at(
                &p.rel,
                scheme.document(p.folder(), p.slug.as_deref(), p.file_stem()),
            )
        })
        .collect();
    let mut assets = assets::collect(&sources, &config, &scheme, &mut url_of_rel, &mut errors);
    // What is left to do needs only the parsed documents: letting go of
    // the files here lets each Markdown text go once its page is built
    // (see below), instead of keeping every text until the end.
    drop(std::mem::take(&mut sources.files));
    // Raster images, resized when a page first shows one.
    let published = assets.iter().map(|a| {
        let rel = a
            .source
            .strip_prefix("content")
            .unwrap_or(&a.source)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let url = url_of_rel.get(&rel).cloned().unwrap_or_default();
        (
            rel,
            a.source.clone(),
            a.path.clone(),
            url,
            a.bytes.as_slice(),
        )
    });
    let image_cache = opts.image_cache.as_deref().map(images::cache::Cache::open);
    let processor = images::Processor::new(published.collect::<Vec<_>>(), image_cache);

    let refs = References::new(&docs.data, &base_path, &config.taxonomies, &config.ui);
    let links = LinkTable {
        urls: &url_of_rel,
        unpublished: &docs.unpublished,
        images: Some(&processor),
    };
    let networkdays =
        shortcodes::networkdays(&docs.programmes, &programme_paths, &base_path, &config.ui);
    let ax = Assembly {
        base_path: &base_path,
        base_url: &base_url,
        refs: &refs,
        links: &links,
        unsafe_html: config.markdown.unsafe_html,
        today: opts.today,
        data: &docs.data,
        networkdays: &networkdays,
        shortcodes: Some(shortcodes),
        ui: &config.ui,
    };

    // Markdown pages, in parallel.
    let rendered: Vec<(Arc<Page>, Vec<Diagnostic>)> = match cache {
        None => docs
            .markdown
            .par_iter_mut()
            .zip(site_paths.par_iter())
            .map(|(d, path)| {
                let (page, errors) = pages::build_page(&ax, d, path);
                // The body is in the page now, as HTML. Its text, the
                // largest part of a document, is not needed again (but a
                // chapter's is: its report's print page renders it once
                // more): freed here, its memory holds the next pages'
                // HTML. On a large site that keeps the build's peak memory
                // tens of MiB lower, and a build that touches less fresh
                // memory runs faster (clearing pages for it is a tenth of
                // the time).
                if d.kind != Kind::Chapter {
                    d.release_body();
                }
                (Arc::new(page), errors)
            })
            .collect(),
        Some(cache) => {
            let fingerprint = ax.fingerprint();
            let known = &*cache;
            let built: Vec<incremental::BuiltPage> = docs
                .markdown
                .par_iter()
                .zip(site_paths.par_iter())
                .map(|(d, path)| known.build_page(&ax, fingerprint, d, path))
                .collect();
            built
                .into_iter()
                .zip(docs.markdown.iter().zip(&site_paths))
                .map(|(b, (d, path))| cache.keep_built(fingerprint, d, path, b))
                .collect()
        }
    };
    let mut pages = Vec::with_capacity(rendered.len() + docs.programmes.len());
    for (p, e) in rendered {
        errors.extend(e);
        pages.push(p);
    }
    // Old URLs of every kind of document: each a redirect to its page.
    let mut redirects = Vec::new();
    for (d, path) in docs.markdown.iter().zip(&site_paths) {
        if !d.meta.aliases.is_empty() {
            let aliased = redirects::Aliased {
                file: &d.path,
                text: &d.text,
                fields_end: d.body_start,
                key: d.locate_field("aliases"),
                aliases: &d.meta.aliases,
                source: format!("content/{}", d.rel),
                to: path,
                title: &d.meta.title,
            };
            redirects.extend(redirects::from_aliases(&ax, aliased, &mut errors));
        }
    }
    for (r, path) in docs.role_sets.iter().zip(&role_paths) {
        if !r.set.aliases.is_empty() {
            let aliased = redirects::Aliased {
                file: &r.path,
                text: &r.text,
                fields_end: r.text.len(),
                key: yaml_key(&r.text, "aliases"),
                aliases: &r.set.aliases,
                source: format!("content/{}", r.rel),
                to: path,
                title: &r.set.title,
            };
            redirects.extend(redirects::from_aliases(&ax, aliased, &mut errors));
        }
    }
    for (p, path) in docs.programmes.iter().zip(&programme_paths) {
        if !p.aliases.is_empty() {
            let aliased = redirects::Aliased {
                file: &p.path,
                text: &p.text,
                fields_end: p.text.len(),
                key: yaml_key(&p.text, "aliases"),
                aliases: &p.aliases,
                source: format!("content/{}", p.rel),
                to: path,
                title: &p.title,
            };
            redirects.extend(redirects::from_aliases(&ax, aliased, &mut errors));
        }
    }
    // Role sets: a page for the overview; the role pages and the print page
    // come from the set's own model.
    let mut role_sets = Vec::with_capacity(docs.role_sets.len());
    let mut referring = Vec::new();
    for (doc, path) in docs.role_sets.iter().zip(&role_paths) {
        if !doc.problems.is_empty() {
            errors.extend(roles::problems(doc, &refs));
            continue;
        }
        let a = roles::assemble(&ax, doc, path);
        errors.extend(a.errors);
        referring.extend(a.referring);
        pages.push(Arc::new(a.page));
        role_sets.push(a.view);
    }
    role_sets.sort_by(|a, b| a.url.cmp(&b.url));
    // Programmes: references, Markdown, and a page each.
    let mut days: Vec<ProgrammeDay> = Vec::with_capacity(docs.programmes.len());
    for (p, path) in std::mem::take(&mut docs.programmes)
        .into_iter()
        .zip(&programme_paths)
    {
        let (page, day, e) = programme::build_programme(&ax, p, path);
        errors.extend(e);
        pages.push(Arc::new(page));
        days.push(day);
    }
    // Sorted by URL: the order of every listing derived from `pages` (and so
    // the output) does not depend on the order files were found or parsed.
    pages.sort_by(|a, b| a.url.cmp(&b.url).then_with(|| a.source.cmp(&b.source)));

    // Sections that sort, paginate or have a feed; page 1 of a paginated
    // listing is its section, so `pagina/1/` redirects there.
    let mut listings = HashMap::new();
    for d in docs.markdown.iter().filter(|d| d.kind == Kind::Section) {
        let m = &d.meta;
        if m.sort_by.is_none() && m.paginate_by.is_none() && !m.feed {
            continue;
        }
        let Some(page) = pages.iter().find(|p| p.source == d.rel) else {
            continue;
        };
        let per_page = m.paginate_by.filter(|n| *n > 0);
        let count = children_of(&pages, page).len();
        if per_page.is_some() {
            redirects.push(redirects::generated(
                &ax,
                urls::first_pagination_url(&page.url),
                &page.url,
                &page.title,
                format!("page 1 of the listing of content/{}", d.rel),
            ));
        }
        listings.insert(
            d.rel.clone(),
            Listing {
                by_date: m.sort_by.is_some(),
                paginate_by: per_page,
                feed: m.feed,
                pages: per_page.map_or(1, |n| count.div_ceil(n).max(1)),
            },
        );
    }

    let reports = report::reports(&ax, &pages, &docs.markdown);
    for set in role_sets.iter_mut() {
        // The section the role set is listed in, for breadcrumbs.
        set.parent = pages
            .iter()
            .find(|p| matches!(p.kind, Kind::Section | Kind::Report) && p.folder == set.folder)
            .map(|p| page_ref(p));
    }
    for day in days.iter_mut() {
        day.index = pages
            .iter()
            .position(|p| p.kind == Kind::Programme && p.source == day.programme.rel)
            .expect("programme has a page");
    }
    referring.extend(
        days.iter()
            .flat_map(|day| programme::programme_referring(day, &pages)),
    );
    if opts.pdf {
        print::set_pdf_urls(&mut pages);
    }
    // Pages of sections listed by date are news: on a term's page they are
    // grouped under their section's title, newest first.
    let news_sections: HashMap<&str, &str> = pages
        .iter()
        .filter(|s| s.kind == Kind::Section && listings.get(&s.source).is_some_and(|l| l.by_date))
        .map(|s| (s.folder.as_str(), s.title.as_str()))
        .collect();
    let (mut pijlers, mut themagroepen) =
        refs.taxa(&docs.data, &pages, &reports, &referring, &news_sections);
    drop(news_sections);
    // Intro texts of the taxonomy pages, rendered like any page body.
    let mut overviews: [Overview; 2] = Default::default();
    for (of, d) in &intros {
        let body = shortcodes::render_body(&ax, d, "", 0);
        errors.extend(body.errors);
        match of {
            IntroOf::Overview(level) => {
                overviews[*level] = Overview {
                    title: Some(d.meta.title.clone()),
                    intro: Some(body.html),
                }
            }
            IntroOf::Term(level, id) => {
                let taxa = if *level == 0 {
                    &mut pijlers
                } else {
                    &mut themagroepen
                };
                if let Some(t) = taxa.iter_mut().find(|t| &t.id == id) {
                    t.intro = Some(body.html);
                }
            }
        }
    }
    redirects.extend(taxonomy::redirects(
        &ax,
        &config.taxonomies,
        &docs.data,
        [&pijlers, &themagroepen],
    ));
    // Every page (and intro text) is rendered: the resized copies of the images they show
    // are published next to their originals.
    let (resized, image_warnings, image_stats) = processor.finish();
    errors.extend(image_warnings);
    assets.extend(resized.into_iter().map(|r| Asset {
        path: r.path,
        source: r.source,
        bytes: r.bytes,
    }));
    let models = link_models(&pages, &reports, &role_sets, &days);

    let front_matter = docs
        .markdown
        .iter()
        .map(|d| (d.rel.clone(), incremental::front_matter_hash(d)))
        .collect();
    let (pijlers_unreadable, themagroepen_unreadable) =
        (docs.pijlers_unreadable, docs.themagroepen_unreadable);
    redirects.sort_by(|a, b| a.from.cmp(&b.from).then_with(|| a.writer.cmp(&b.writer)));
    let mut site = Site {
        config,
        base_path,
        data: docs.data,
        links: url_of_rel,
        unpublished: docs.unpublished,
        front_matter,
        pages,
        models,
        reports,
        role_sets,
        programmes: days,
        pijlers,
        themagroepen,
        overviews,
        redirects,
        listings,
        assets,
        image_stats,
        warnings: sources.warnings,
        claims: outputs::Claims::new(),
    };
    site.claims = output_claims(&site);
    errors.extend(outputs::check_url_collisions(&site));
    // A taxonomy file that cannot be read leaves every reference to it
    // "unknown": those are not problems of their own.
    let unknown_pijler = References::unknown(&site.config.taxonomies.pijlers);
    let unknown_groep = References::unknown(&site.config.taxonomies.groepen);
    errors.retain(|e| {
        !(pijlers_unreadable && e.message.contains(&unknown_pijler)
            || themagroepen_unreadable && e.message.contains(&unknown_groep))
    });
    // Warnings (see [`Diagnostic::warning`]) do not stop the build.
    let (warnings, errors): (Vec<Diagnostic>, Vec<Diagnostic>) =
        errors.into_iter().partition(Diagnostic::is_warning);
    if errors.is_empty() {
        let mut site = site;
        site.warnings.extend(warnings);
        Ok(site)
    } else {
        Err(errors)
    }
}

/// Where the top-level key `key` of a YAML document is (1-based).
fn yaml_key(text: &str, key: &str) -> crate::util::yaml_locator::Position {
    crate::util::yaml_locator::YamlLocator::new(text)
        .top_level_line(key)
        .map_or((1, 1), |i| (i + 1, 1))
}

/// Each page's [`PageModel`], by the model that names the page.
fn link_models(
    pages: &[std::sync::Arc<Page>],
    reports: &[Report],
    role_sets: &[roles::RoleSetView],
    days: &[ProgrammeDay],
) -> Vec<PageModel> {
    let mut models: Vec<PageModel> = pages
        .iter()
        .map(|p| match p.kind {
            Kind::Page => PageModel::Page,
            Kind::Section => PageModel::Section,
            Kind::Note => PageModel::Note,
            // Set below, from the models' side. A chapter whose report's
            // `_index.md` has errors stays a plain page: that build fails.
            Kind::Report | Kind::Chapter | Kind::Roles | Kind::Programme => PageModel::Page,
        })
        .collect();
    for (r, report) in reports.iter().enumerate() {
        models[report.index] = PageModel::Report(r);
        for (position, &c) in report.chapters.iter().enumerate() {
            models[c] = PageModel::Chapter {
                report: r,
                position,
            };
        }
    }
    for (d, day) in days.iter().enumerate() {
        models[day.index] = PageModel::Programme(d);
    }
    for (s, set) in role_sets.iter().enumerate() {
        if let Some(i) = pages
            .iter()
            .position(|p| p.kind == Kind::Roles && p.url == set.url)
        {
            models[i] = PageModel::Roles(s);
        }
    }
    models
}
