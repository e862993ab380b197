//! Render: the site graph becomes output files, in memory.
//!
//! Templates are compiled once per build (see [`Renderer::new`]); every
//! page is then rendered in parallel against a small per-page context, with
//! site-wide values (`site`, `data`, the taxonomies) in Tera's global
//! context so they are converted once, not once per page. Besides pages,
//! this stage writes the exports: `sitemap.xml`, `robots.txt`, `404.html`
//! and the code highlighting stylesheet, and each networkday programme's
//! calendar files and `schedule.json` (see [`programme`]). Structured
//! documents have their own job builders in submodules.

mod feed;
mod filters;
pub(crate) mod incremental;
mod jobs;
pub(crate) mod programme;
mod report;
mod roles;
pub(crate) mod search;
pub(crate) mod sitemap;
mod statics;
mod taxonomy;
mod template_errors;

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::Diagnostic;
use crate::site::urls::{
    NOT_FOUND_PATH, REDIRECTS_FILE_PATH, ROBOTS_PATH, SEARCH_PATH, SITE_FEED_PATH, SITEMAP_PATH,
    feed_url, pagination_url, search_index_url, taxonomy_path,
};
use crate::site::{Page, PageModel, PageRef, Site};

pub(crate) use crate::site::urls::output_path;
use crate::theme::Theme;
use crate::util::url::host_of;
use template_errors::{missing_template, template_error};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the output folder, with `/`, e.g. `jaarverslag/2023/index.html`.
    pub path: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// Options that change how pages are rendered.
#[derive(Debug, Clone, Default)]
pub(crate) struct RenderOptions {
    /// Inject the live-reload script (serve mode only).
    pub live_reload: bool,
}

/// Compiled templates and where each came from.
pub(crate) struct Renderer {
    tera: Tera,
    theme: Theme,
    /// The template values of the site's taxa, kept between renders.
    taxon_values: taxonomy::TaxonValues,
}

/// A menu entry as templates see it.
#[derive(Serialize)]
struct MenuEntry<'a> {
    title: &'a str,
    url: String,
    /// The current page is this entry or below it.
    current: bool,
    /// A link to another site (marked like external links in Markdown).
    external: bool,
}

/// Where rendered files go when they are not kept in memory (the build's
/// staging folder, see [`crate::output::Staging`]).
pub(crate) type Sink<'a> = &'a (dyn Fn(&Output) -> Result<(), Diagnostic> + Sync);

/// A rendered file: kept in memory, or already handed to the sink.
enum Done {
    Kept(Output),
    Written(String),
}

/// What an incremental render renders: these of [`Site::pages`], and
/// these of the other outputs made from templates.
struct Only<'a> {
    pages: Vec<usize>,
    others: Vec<jobs::Other<'a>>,
}

/// What to render: a template, its context, and where the result goes.
struct Job {
    template: String,
    context: Context,
    path: String,
    /// What is being rendered, for error messages.
    what: String,
}

impl Job {
    /// Render `template` with `context` to the file served at `url`;
    /// templates get the URL as `current_url`.
    fn new(site: &Site, template: &str, url: &str, mut context: Context, what: String) -> Job {
        context.insert("current_url", url);
        Job {
            template: template.to_string(),
            context,
            path: output_path(url, &site.base_path),
            what,
        }
    }
}

impl Renderer {
    /// Compile every template of the merged theme. Syntax errors in any
    /// template are reported with the template's file and line.
    pub(crate) fn new(theme: Theme) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        filters::register(&mut tera);
        let mut errors = Vec::new();
        let mut sources = Vec::new();
        for (name, file) in &theme.templates {
            match crate::source::decode_text(&file.origin, file.bytes.to_vec()) {
                Ok(text) => sources.push((name.clone(), text)),
                Err(d) => errors.push(d),
            }
        }
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            errors.push(template_error(&theme, &e, None));
        }
        if errors.is_empty() {
            Ok(Renderer {
                tera,
                theme,
                taxon_values: taxonomy::TaxonValues::default(),
            })
        } else {
            Err(errors)
        }
    }

    /// Render every page and export of the site.
    pub(crate) fn render(
        &mut self,
        site: &Site,
        opts: &RenderOptions,
    ) -> Result<Vec<Output>, Vec<Diagnostic>> {
        self.render_with(site, opts, None, None)
            .map(|(kept, _)| kept)
    }

    /// [`Self::render`] without the search index ([`search_index`]).
    pub(crate) fn render_all_but_search_index(
        &mut self,
        site: &Site,
        opts: &RenderOptions,
    ) -> Result<Vec<Output>, Vec<Diagnostic>> {
        let everything = Only {
            pages: (0..site.pages.len()).collect(),
            others: jobs::others(site),
        };
        self.render_with(site, opts, None, Some(everything))
            .map(|(kept, _)| kept)
    }

    /// [`Self::render`], handing every file to `sink` (which writes it) as
    /// soon as it is rendered, instead of keeping the site in memory: the
    /// render workers write pages while other pages are still rendering.
    /// Returns the paths of the files, sorted.
    pub(crate) fn render_into(
        &mut self,
        site: &Site,
        opts: &RenderOptions,
        sink: Sink,
    ) -> Result<Vec<String>, Vec<Diagnostic>> {
        let (rest, mut written) = self.render_with(site, opts, Some(sink), None)?;
        let rest: Vec<Result<String, Diagnostic>> = rest
            .into_par_iter()
            .map(|o| sink(&o).map(|()| o.path))
            .collect();
        let mut errors = Vec::new();
        for r in rest {
            match r {
                Ok(path) => written.push(path),
                Err(d) => errors.push(d),
            }
        }
        written.sort();
        if errors.is_empty() {
            Ok(written)
        } else {
            Err(errors)
        }
    }

    /// Render everything; pages go to `sink` when there is one. Returns the
    /// files kept in memory and the paths of those handed to the sink.
    ///
    /// With `only`, just those pages and other outputs are rendered (the
    /// rest is as it was, see [`incremental`]) and the search index is
    /// left out.
    fn render_with(
        &mut self,
        site: &Site,
        opts: &RenderOptions,
        sink: Option<Sink>,
        only: Option<Only>,
    ) -> Result<(Vec<Output>, Vec<String>), Vec<Diagnostic>> {
        // One writer per output path, theme files included; checked before
        // anything is written.
        let collisions = self.check_collisions(site);
        if !collisions.is_empty() {
            return Err(collisions);
        }
        self.set_globals(site, opts);
        let mut errors = Vec::new();
        // The search index reads every page but is partly sequential: build
        // it alongside the pages rather than after them.
        let full = only.is_none();
        let (pages, others) = match only {
            Some(Only { pages, others }) => (pages, others),
            None => ((0..site.pages.len()).collect(), jobs::others(site)),
        };
        let ((mut outputs, written, render_errors), index) = rayon::join(
            || {
                // Jobs are made by the render workers, not here: their
                // contexts can be large (a taxonomy page lists everything
                // about it), and pages are many.
                let pages = pages.par_iter().map(|&i| self.page_job(site, i));
                self.taxon_values.keep_only(site);
                let values = &self.taxon_values;
                let others = others.into_par_iter().map(|other| other.job(site, values));
                self.run_jobs(site, pages.chain(others), opts, sink)
            },
            || full.then(|| search_index(site)),
        );
        errors.extend(render_errors);

        outputs.extend(self.statics(site, &mut errors));
        for day in &site.programmes {
            outputs.extend(programme::exports(site, day));
        }
        outputs.extend(programme::feed(site));
        outputs.extend(index);
        outputs.push(Output {
            path: output_path(SITEMAP_PATH, ""),
            bytes: sitemap::sitemap(site).into_bytes(),
        });
        outputs.push(Output {
            path: output_path(ROBOTS_PATH, ""),
            bytes: sitemap::robots(site).into_bytes(),
        });
        for (index, page) in site.pages.iter().enumerate() {
            if site.model(index) == PageModel::Section && site.listing(page).feed {
                outputs.push(feed::section_feed(site, page));
            }
        }
        if site.config.feed {
            outputs.push(feed::site_feed(site));
        }
        if site.config.redirects_file {
            outputs.push(Output {
                path: output_path(REDIRECTS_FILE_PATH, ""),
                bytes: crate::site::redirects::redirects_file(&site.redirects).into_bytes(),
            });
        }
        if errors.is_empty() {
            outputs.sort_by(|a, b| a.path.cmp(&b.path));
            Ok((outputs, written))
        } else {
            Err(errors)
        }
    }

    /// Render one job (its context complete, menu included).
    fn run(&self, job: &Job, opts: &RenderOptions) -> Result<Output, Diagnostic> {
        let template = if self.tera.contains_template(&job.template) {
            job.template.as_str()
        } else {
            return Err(missing_template(&self.theme, &job.template, &job.what));
        };
        filters::start_page();
        let mut html = Limited::default();
        match self.tera.render_to(template, &job.context, &mut html) {
            Ok(()) => Ok(Output {
                path: job.path.clone(),
                // Tera writes only UTF-8 (templates and values are strings).
                bytes: finish_html(
                    String::from_utf8(html.bytes)
                        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
                    opts,
                )
                .into_bytes(),
            }),
            Err(_) if html.too_large => {
                let origin = self
                    .theme
                    .templates
                    .get(template)
                    .map(|f| f.origin.clone())
                    .unwrap_or_else(|| PathBuf::from(template));
                Err(Diagnostic::new(
                    origin,
                    format!(
                        "template error: the page would be larger than {} MB (the limit) (while rendering {})",
                        MAX_PAGE_BYTES / (1024 * 1024),
                        job.what
                    ),
                )
                .hint("look for a loop that repeats far more often than intended, such as loops nested in each other"))
            }
            Err(e) => Err(template_error(&self.theme, &e, Some(&job.what))),
        }
    }

    /// A report's print page again, each chapter with the PDF page it
    /// starts on (`chapter.pdf_page`, by chapter id), after [`Self::render`]
    /// of the same site: the second pass of the PDF export.
    pub(crate) fn render_report_print(
        &self,
        site: &Site,
        report: usize,
        pages: &std::collections::HashMap<String, usize>,
    ) -> Result<Output, Diagnostic> {
        let mut job = report::print_job(site, &site.reports[report], Some(pages));
        add_menu(site, &mut job);
        self.run(&job, &RenderOptions::default())
    }

    /// The id each chapter of a report has on its print page.
    pub(crate) fn print_chapter_ids(site: &Site, report: usize) -> Vec<String> {
        report::print_chapter_ids(site, report)
    }

    /// Render only what a body-only edit of one page changes (see
    /// [`crate::site::Site::update_body`]): the page, and for a report
    /// chapter the report's index and print page. Uses the globals of the
    /// last full [`Renderer::render`] of the same site.
    pub(crate) fn render_changed(
        &self,
        site: &Site,
        page: usize,
        report: Option<usize>,
        opts: &RenderOptions,
    ) -> Result<Vec<Output>, Vec<Diagnostic>> {
        let mut jobs = vec![self.page_job(site, page)];
        if let Some(r) = report.map(|r| &site.reports[r]) {
            jobs.push(self.page_job(site, r.index));
            jobs.push(report::print_job(site, r, None));
        }
        // The search index changes too, but building it takes longer than
        // the page (it reads every page): `serve` refreshes it when idle,
        // with [`search_index`].
        let (outputs, _, errors) = self.run_jobs(site, jobs.into_par_iter(), opts, None);
        if errors.is_empty() {
            Ok(outputs)
        } else {
            Err(errors)
        }
    }

    /// Render jobs in parallel; each gets the menu for its own URL. A job's
    /// context lives only while it is rendered.
    fn run_jobs(
        &self,
        site: &Site,
        jobs: impl IndexedParallelIterator<Item = Job>,
        opts: &RenderOptions,
        sink: Option<Sink>,
    ) -> (Vec<Output>, Vec<String>, Vec<Diagnostic>) {
        let rendered: Vec<Result<Done, Diagnostic>> = jobs
            .map(|mut job| {
                add_menu(site, &mut job);
                let output = self.run(&job, opts)?;
                match sink {
                    Some(sink) => sink(&output).map(|()| Done::Written(output.path)),
                    None => Ok(Done::Kept(output)),
                }
            })
            .collect();
        let mut outputs = Vec::with_capacity(rendered.len() + 8);
        let mut written = Vec::new();
        let mut errors = Vec::new();
        for r in rendered {
            match r {
                Ok(Done::Kept(o)) => outputs.push(o),
                Ok(Done::Written(path)) => written.push(path),
                Err(d) => errors.push(d),
            }
        }
        (outputs, written, errors)
    }

    /// Site-wide values, converted once per build.
    fn set_globals(&mut self, site: &Site, opts: &RenderOptions) {
        #[derive(Serialize)]
        struct SiteView<'a> {
            title: &'a str,
            base_url: &'a str,
            base_path: &'a str,
            language: &'a str,
            description: Option<&'a str>,
            organisation: Option<&'a crate::config::Organisation>,
            /// `None` when the site has no pillars (no page to link to).
            pijlers_url: Option<String>,
            themagroepen_url: Option<String>,
            /// What the site calls its pillars and groups (`site.yaml`).
            taxonomies: &'a crate::config::Taxonomies,
            /// `extra:` of site.yaml: the theme's variables.
            extra: Option<&'a serde_yaml::Value>,
            search_url: String,
            /// The site's Atom feed (`feed: true` in site.yaml), or none.
            feed_url: Option<String>,
        }
        let config = &site.config;
        let view = SiteView {
            title: &config.title,
            base_url: config.base_url_trimmed(),
            base_path: &site.base_path,
            language: &config.language,
            description: config.description.as_deref(),
            organisation: config.organisation.as_ref(),
            pijlers_url: (!site.pijlers.is_empty())
                .then(|| site.url(&taxonomy_path(&config.taxonomies.pijlers))),
            themagroepen_url: (!site.themagroepen.is_empty())
                .then(|| site.url(&taxonomy_path(&config.taxonomies.groepen))),
            taxonomies: &config.taxonomies,
            extra: config.extra.as_ref(),
            search_url: site.url(SEARCH_PATH),
            feed_url: site.config.feed.then(|| site.url(SITE_FEED_PATH)),
        };
        filters::register_dates(&mut self.tera, &config.ui.date);
        let globals = self.tera.global_context();
        globals.insert("site", &view);
        globals.insert("t", &config.ui);
        // The strings the theme's scripts need (`mp_*`, times, lists), as
        // one JSON object for a `data-t` attribute.
        let script_strings: std::collections::BTreeMap<&str, &str> = config
            .ui
            .text
            .iter()
            .filter(|(k, _)| {
                k.starts_with("mp_")
                    || ["time_separator", "time_suffix", "list_and"].contains(&k.as_str())
            })
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        globals.insert(
            "t_script",
            &serde_json::to_string(&script_strings).unwrap_or_default(),
        );
        globals.insert("data", &site.data.values);
        globals.insert("live_reload", &opts.live_reload);
        globals.insert("generator", concat!("g40site ", env!("CARGO_PKG_VERSION")));
    }

    /// The job of [`Site::pages`]`[index]`: the page, plus what its
    /// model adds to the context.
    fn page_job(&self, site: &Site, index: usize) -> Job {
        let page = &site.pages[index];
        let mut context = Context::new();
        context.insert("page", page);
        match site.model(index) {
            PageModel::Page | PageModel::Note => {}
            PageModel::Section => {
                section_context(site, page, 1, &mut context);
                programme::feed_context(site, page, &mut context);
            }
            PageModel::Report(r) => report::index_context(site, r, &mut context),
            PageModel::Chapter { report, position } => {
                report::chapter_context(site, report, position, &mut context)
            }
            PageModel::Roles(set) => roles::overview_context(site, set, &mut context),
            PageModel::Programme(day) => {
                context.insert("programme", &programme::view(site, &site.programmes[day]));
            }
        }
        if page.url == site.url("/") {
            if !context.contains_key("children") {
                // The home page lists the top-level sections.
                context.insert("children", &site.section_children(page));
            }
            home_context(site, &mut context);
        }
        Job::new(
            site,
            &page.template,
            &page.url,
            context,
            format!("content/{}", page.source),
        )
    }
}

/// How many of the newest dated items the home page gets as `latest`
/// (the theme shows `site.extra.home_latest` of them).
const HOME_LATEST_MAX: usize = 20;

/// What the home page gets besides its own listing: `next_networkday`, the
/// first programme from the build date on (only when the build knows the
/// date: `--today` or the clock; never for reproducible builds), and
/// `latest`, the newest pages of sections listed by date.
fn home_context(site: &Site, context: &mut Context) {
    let extras = HomeExtras::of(site);
    if let Some(next) = &extras.next_networkday {
        context.insert("next_networkday", next);
    }
    context.insert("latest", &extras.latest);
}

/// The values of [`home_context`] (also what `serve` compares to tell
/// whether the home page changed).
#[derive(Serialize)]
pub(crate) struct HomeExtras<'a> {
    next_networkday: Option<NextDay<'a>>,
    latest: Vec<PageRef>,
}

#[derive(Serialize)]
struct NextDay<'a> {
    #[serde(flatten)]
    page: PageRef,
    city: Option<&'a str>,
    venue: Option<&'a str>,
}

impl HomeExtras<'_> {
    pub(crate) fn of(site: &Site) -> HomeExtras<'_> {
        let next_networkday = site
            .programmes
            .iter()
            .map(|day| (&site.pages[day.index], day))
            .filter(|(p, _)| p.upcoming == Some(true))
            .min_by(|(a, _), (b, _)| a.date.cmp(&b.date).then_with(|| a.url.cmp(&b.url)))
            .map(|(page, day)| NextDay {
                page: crate::site::page_ref(page),
                city: day.programme.city.as_deref(),
                venue: day.programme.venue.as_deref(),
            });
        let dated = site.dated_folders();
        let mut latest: Vec<&Page> = site
            .pages
            .iter()
            .map(std::sync::Arc::as_ref)
            .filter(|p| p.kind == crate::document::Kind::Page && p.date.is_some())
            .filter(|p| dated.contains(p.folder.as_str()))
            .collect();
        latest.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)));
        latest.truncate(HOME_LATEST_MAX);
        let latest = latest.into_iter().map(crate::site::page_ref).collect();
        HomeExtras {
            next_networkday,
            latest,
        }
    }
}

/// What a section's template gets for listing page `n` (1-based):
/// `children` (that page's share when the section is paginated),
/// `paginator` (paginated sections only) and `feed_url` (with a feed).
fn section_context(site: &Site, page: &Page, n: usize, context: &mut Context) {
    #[derive(Serialize)]
    struct Paginator {
        current: usize,
        total: usize,
        previous: Option<String>,
        next: Option<String>,
        first: String,
    }
    let listing = site.listing(page);
    let children = site.section_children(page);
    match listing.paginate_by {
        Some(per_page) => {
            let shown: Vec<_> = children
                .into_iter()
                .skip((n - 1) * per_page)
                .take(per_page)
                .collect();
            context.insert("children", &shown);
            context.insert(
                "paginator",
                &Paginator {
                    current: n,
                    total: listing.pages,
                    previous: (n > 1).then(|| pagination_url(&page.url, n - 1)),
                    next: (n < listing.pages).then(|| pagination_url(&page.url, n + 1)),
                    first: page.url.clone(),
                },
            );
        }
        None => context.insert("children", &children),
    }
    if listing.feed {
        context.insert("feed_url", &feed_url(&page.url));
    }
}

/// `zoeken/index.json`, unless `cancel` is set while it is being built.
pub(crate) fn search_index_unless(
    site: &Site,
    cancel: &std::sync::atomic::AtomicBool,
) -> Option<Output> {
    let json = search::index_unless(site, cancel)?;
    let url = search_index_url(&site.url(SEARCH_PATH));
    Some(Output {
        path: output_path(&url, &site.base_path),
        bytes: json.into_bytes(),
    })
}

/// `zoeken/index.json`.
pub(crate) fn search_index(site: &Site) -> Output {
    Output {
        path: search_index_path(site),
        bytes: search::index(site).into_bytes(),
    }
}

/// Where [`search_index`] goes in the output folder.
pub(crate) fn search_index_path(site: &Site) -> String {
    output_path(&search_index_url(&site.url(SEARCH_PATH)), &site.base_path)
}

fn add_menu(site: &Site, job: &mut Job) {
    let current = job
        .context
        .get("current_url")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    job.context.insert("menu", &menu(site, &current));
}

fn menu<'a>(site: &'a Site, current: &str) -> Vec<MenuEntry<'a>> {
    site.config
        .menu
        .iter()
        .map(|m| {
            let url = if m.path.starts_with("http") {
                m.path.clone()
            } else {
                site.url(&m.path)
            };
            let current = !m.path.starts_with("http")
                && (current == url || (m.path != "/" && current.starts_with(url.as_str())));
            let own = host_of(&site.config.base_url);
            let external = host_of(&url).is_some_and(|h| Some(&h) != own.as_ref());
            MenuEntry {
                title: &m.title,
                url,
                current,
                external,
            }
        })
        .collect()
}

/// At most this many bytes of output for one page or export rendered by a
/// template: a template with a runaway loop stops here instead of taking
/// all memory.
pub(crate) const MAX_PAGE_BYTES: usize = 256 * 1024 * 1024;

/// Where Tera writes a page: refuses to grow beyond [`MAX_PAGE_BYTES`].
#[derive(Default)]
struct Limited {
    bytes: Vec<u8>,
    too_large: bool,
}

impl std::io::Write for Limited {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_PAGE_BYTES {
            self.too_large = true;
            return Err(std::io::Error::other("page too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every HTML page ends with exactly one newline; in serve mode the reload
/// script goes just before `</body>`. Long words in headings and table
/// cells get soft hyphens ([`crate::hyphenate`]).
fn finish_html(html: String, opts: &RenderOptions) -> String {
    let mut html = match crate::hyphenate::html(&html) {
        std::borrow::Cow::Owned(h) => h,
        std::borrow::Cow::Borrowed(_) => html,
    };
    if opts.live_reload {
        let script = crate::render::LIVE_RELOAD_SCRIPT;
        match html.rfind("</body>") {
            Some(i) => html.insert_str(i, script),
            None => html.push_str(script),
        }
    }
    let trimmed = html.trim_end().len();
    html.truncate(trimmed);
    html.push('\n');
    html
}

/// The live-reload client, injected only by `serve`.
pub(crate) const LIVE_RELOAD_SCRIPT: &str = "<script src=\"/__g40site/reload.js\"></script>\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths() {
        assert_eq!(output_path("/", ""), "index.html");
        assert_eq!(output_path("/g40/a/b/", "/g40"), "a/b/index.html");
        assert_eq!(output_path("/404.html", ""), "404.html");
    }
}
