//! Assemble again after an edit: what `serve` keeps between rebuilds.
//!
//! [`AssemblyCache`] keeps every parsed Markdown file and every built page
//! with the inputs it was made from, so that assembling the site again
//! after a change parses only the changed files and renders Markdown only
//! for pages whose inputs changed (the rest of assembly, URLs, listings and
//! taxonomies, is cheap and runs in full). [`Site::update_body`] is the
//! faster path for an edit that leaves a Markdown file's front matter
//! alone: it changes only that page's body (listings, menus and taxonomy
//! pages show front matter and report tables of contents), so that page
//! is rendered again in the assembled site without assembling anything.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::report::print_chapter;
use super::taxonomy::References;
use super::{Assembly, LinkTable, Page, Site, pages};
use crate::diagnostics::Diagnostic;
use crate::document::{Document, Kind};
use crate::markdown::{LinkResolver, LinkTarget, Links};
use crate::source::SourceFile;

/// A hash of a document's front matter, to tell body-only edits.
pub(super) fn front_matter_hash(d: &Document) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    d.text[..d.body_start].hash(&mut h);
    h.finish()
}

/// What [`Site::update_body`] did.
#[derive(Debug)]
pub(crate) enum BodyUpdate {
    /// The page's body was rendered again: page index, and the report it
    /// is a chapter of (whose index and print page list its headings).
    Updated { page: usize, report: Option<usize> },
    /// Not a body-only edit of a known Markdown page: rebuild everything.
    NotApplicable,
    /// The new text has errors (e.g. a broken link); the site is unchanged.
    Failed(Vec<Diagnostic>),
}

impl Site {
    /// The fast path of `serve`: a Markdown file changed but its front
    /// matter did not, so only this page, and the report it belongs to,
    /// need rendering again.
    pub(crate) fn update_body(&mut self, file: &SourceFile) -> BodyUpdate {
        let Ok(mut doc) = crate::document::parse_markdown_with(file, &self.config.taxonomies)
        else {
            return BodyUpdate::NotApplicable;
        };
        if self.front_matter.get(&file.rel) != Some(&front_matter_hash(&doc)) {
            return BodyUpdate::NotApplicable;
        }
        // Shortcodes need the theme's templates, and images the build's
        // image processor, which only a full build has.
        if super::shortcodes::has_call_start(doc.body()) || doc.body().contains("![") {
            return BodyUpdate::NotApplicable;
        }
        let Some(index) = self.pages.iter().position(|p| p.source == file.rel) else {
            return BodyUpdate::NotApplicable;
        };
        let old = &self.pages[index];
        // A dated page's body can be in a feed (as its content): the feed
        // is rendered with the whole site, so rebuild it all.
        let in_feed = old.date.is_some()
            && (self.config.feed
                || self.pages.iter().any(|s| {
                    self.listing(s).feed
                        && self.section_pages(s).iter().any(|p| p.source == old.source)
                }));
        if in_feed {
            return BodyUpdate::NotApplicable;
        }
        doc.kind = old.kind;
        let path = old
            .url
            .strip_prefix(self.base_path.as_str())
            .unwrap_or(&old.url)
            .to_string();
        let refs = References::new(
            &self.data,
            &self.base_path,
            &self.config.taxonomies,
            &self.config.ui,
        );
        let links = LinkTable {
            urls: &self.links,
            unpublished: &self.unpublished,
            images: None,
        };
        let ax = Assembly {
            base_path: &self.base_path,
            base_url: self.config.base_url_trimmed(),
            refs: &refs,
            links: &links,
            unsafe_html: self.config.markdown.unsafe_html,
            today: None,
            data: &self.data,
            networkdays: &[],
            shortcodes: None,
            ui: &self.config.ui,
        };
        let (mut page, errors) = super::pages::build_page(&ax, &doc, &path);
        if errors.iter().any(|e| !e.is_warning()) {
            return BodyUpdate::Failed(errors.into_iter().filter(|e| !e.is_warning()).collect());
        }
        // What assembly adds after building a page stays as it was.
        page.upcoming = old.upcoming;
        page.pdf_url = old.pdf_url.clone();
        let report = self
            .reports
            .iter()
            .position(|r| r.chapters.contains(&index));
        if let Some(r) = report {
            let n = self.reports[r]
                .chapters
                .iter()
                .position(|&c| c == index)
                .expect("chapter of its report");
            self.reports[r].print_chapters[n] = print_chapter(&ax, &doc, &page.file_stem);
        }
        self.pages[index] = Arc::new(page);
        BodyUpdate::Updated {
            page: index,
            report,
        }
    }
}

/// What `serve` keeps between rebuilds so that assembling the site again
/// parses only the files that changed and renders Markdown only for the
/// pages whose inputs changed (see [`super::assemble`] with a cache).
///
/// Every entry is checked against its exact inputs before it is used: the
/// file's text, the document's kind and site path, the build-wide values
/// a page reads ([`Assembly`]: base URL, the pillar table, `today`, ...)
/// and the answer to every link lookup the page made. Pages whose body
/// calls shortcodes (which read `_data/`, the programmes and the shortcode
/// templates) are not kept: they are built again every time.
#[derive(Default)]
pub(crate) struct AssemblyCache {
    /// Markdown files parsed, by path relative to `content/`.
    parsed: HashMap<String, Parsed>,
    /// Markdown pages built, by path relative to `content/`.
    built: HashMap<String, Built>,
    /// The version the next page built gets (see [`Page::build`]).
    next_version: u64,
    /// What the last assembly did (tests and `--verbose` figures).
    pub(crate) stats: CacheStats,
    /// The taxonomy names the parses were made with (`site.yaml`).
    names: Option<crate::config::Taxonomies>,
}

/// What the last assembly with a cache reused and redid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CacheStats {
    /// Markdown files parsed again.
    pub parsed: usize,
    /// Markdown pages whose body was rendered again.
    pub built: usize,
    /// Markdown pages taken from the cache.
    pub reused: usize,
}

/// A parsed Markdown file and the text it was parsed from (a document
/// holds its text; only a file that failed keeps a copy here).
struct Parsed {
    failed_text: Option<Arc<str>>,
    result: Result<Document, Vec<Diagnostic>>,
}

/// A page built from a document, with everything its building read.
struct Built {
    text: Arc<str>,
    kind: Kind,
    path: String,
    /// [`Assembly::fingerprint`] when it was built.
    assembly: u64,
    /// Every link lookup made, with its answer.
    asked: Vec<(String, LinkTarget)>,
    page: Arc<Page>,
    errors: Vec<Diagnostic>,
}

impl AssemblyCache {
    /// Parse a Markdown file, or take the result of parsing the same text
    /// before.
    /// Forget every parse when the site's taxonomy names changed: the same
    /// text then reads differently (`opgavegroepen:` known or not).
    pub(super) fn for_names(&mut self, names: &crate::config::Taxonomies) {
        if self.names.as_ref() != Some(names) {
            self.parsed.clear();
            self.names = Some(names.clone());
        }
    }

    pub(super) fn parse(&self, file: &SourceFile) -> Option<Result<Document, Vec<Diagnostic>>> {
        let p = self.parsed.get(&file.rel)?;
        let same = match (&p.result, &p.failed_text) {
            // The same text mostly is the same shared string
            // (`source::ReadCache`): no need to compare it byte by byte.
            (Ok(d), _) => Arc::ptr_eq(&d.text, &file.text) || d.text == file.text,
            (Err(_), Some(text)) => Arc::ptr_eq(text, &file.text) || *text == file.text,
            (Err(_), None) => false,
        };
        same.then(|| p.result.clone())
    }

    /// Keep what parsing `file` gave.
    pub(super) fn keep_parsed(
        &mut self,
        file: &SourceFile,
        result: &Result<Document, Vec<Diagnostic>>,
    ) {
        self.stats.parsed += 1;
        self.parsed.insert(
            file.rel.clone(),
            Parsed {
                failed_text: result.is_err().then(|| file.text.clone()),
                result: result.clone(),
            },
        );
    }

    /// Forget the files that are gone (only `present` are kept).
    pub(super) fn retain_parsed(&mut self, present: &HashSet<&str>) {
        self.parsed.retain(|rel, _| present.contains(rel.as_str()));
        self.built.retain(|rel, _| present.contains(rel.as_str()));
    }

    /// Start an assembly: the figures count from zero.
    pub(super) fn start(&mut self) {
        self.stats = CacheStats::default();
    }

    /// [`pages::build_page`], or its earlier result where every input is
    /// the same. Runs in parallel for many documents, so it only reads the
    /// cache; [`Self::keep_built`] stores what was built.
    pub(super) fn build_page(
        &self,
        ax: &Assembly,
        fingerprint: u64,
        d: &Document,
        path: &str,
    ) -> BuiltPage {
        // Only pages without shortcodes and images are kept (see below),
        // so a kept page of the same text has neither: the body need not
        // be searched again.
        if let Some(b) = self.built.get(&d.rel)
            && (Arc::ptr_eq(&b.text, &d.text) || b.text == d.text)
            && b.kind == d.kind
            && b.path == path
            && b.assembly == fingerprint
            && b.asked.iter().all(|(rel, t)| ax.links.target(rel) == *t)
        {
            return BuiltPage::Reused(b.page.clone(), b.errors.clone());
        }
        let recorder = Recorder {
            inner: ax.links,
            asked: Mutex::new(Vec::new()),
            similar: AtomicBool::new(false),
        };
        let recording = Assembly {
            links: &recorder,
            ..*ax
        };
        let (page, errors) = pages::build_page(&recording, d, path);
        // Shortcodes read data and templates, images the image files: a
        // page with either is built again each time.
        let cacheable = !super::shortcodes::has_call_start(d.body()) && !d.body().contains("![");
        // A did-you-mean looks at every file name: not worth tracking.
        let keep = cacheable && !recorder.similar.load(Ordering::Relaxed);
        let asked = recorder
            .asked
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        BuiltPage::New {
            page: Box::new(page),
            errors,
            keep: keep.then_some(asked),
        }
    }

    /// Store a page [`Self::build_page`] built anew and give it its
    /// version; count a reused one.
    pub(super) fn keep_built(
        &mut self,
        fingerprint: u64,
        d: &Document,
        path: &str,
        built: BuiltPage,
    ) -> (Arc<Page>, Vec<Diagnostic>) {
        match built {
            BuiltPage::Reused(page, errors) => {
                self.stats.reused += 1;
                (page, errors)
            }
            BuiltPage::New {
                mut page,
                errors,
                keep,
            } => {
                self.stats.built += 1;
                self.next_version += 1;
                if keep.is_some() {
                    page.build = Some(self.next_version);
                }
                let page = Arc::new(*page);
                match keep {
                    Some(asked) => {
                        self.built.insert(
                            d.rel.clone(),
                            Built {
                                text: d.text.clone(),
                                kind: d.kind,
                                path: path.to_string(),
                                assembly: fingerprint,
                                asked,
                                page: page.clone(),
                                errors: errors.clone(),
                            },
                        );
                    }
                    None => {
                        self.built.remove(&d.rel);
                    }
                }
                (page, errors)
            }
        }
    }

    /// Forget one file (`serve`'s fast path replaced its page).
    pub(crate) fn forget(&mut self, rel: &str) {
        self.parsed.remove(rel);
        self.built.remove(rel);
    }
}

/// What [`AssemblyCache::build_page`] found.
pub(super) enum BuiltPage {
    /// The page as built before.
    Reused(Arc<Page>, Vec<Diagnostic>),
    /// Built now; `keep`: the link lookups, when it may be cached.
    New {
        page: Box<Page>,
        errors: Vec<Diagnostic>,
        keep: Option<Vec<(String, LinkTarget)>>,
    },
}

/// A link table that writes down every question and answer.
struct Recorder<'a> {
    inner: LinkResolver<'a>,
    asked: Mutex<Vec<(String, LinkTarget)>>,
    similar: AtomicBool,
}

impl Links for Recorder<'_> {
    fn target(&self, rel: &str) -> LinkTarget {
        let t = self.inner.target(rel);
        self.asked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((rel.to_string(), t.clone()));
        t
    }

    fn similar(&self, rel: &str) -> Option<String> {
        self.similar.store(true, Ordering::Relaxed);
        self.inner.similar(rel)
    }

    // Images go to the build's processor like in a full build (a page
    // that shows one is never reused, so nothing needs recording).
    fn image(
        &self,
        rel: &str,
    ) -> Option<Result<std::sync::Arc<crate::images::Responsive>, crate::images::ImageProblem>>
    {
        self.inner.image(rel)
    }
}

impl Assembly<'_> {
    /// A hash of every build-wide value a Markdown page without shortcode
    /// calls reads while it is built, except the link table (whose answers
    /// each page records): addresses, options, today and the pillar table.
    pub(super) fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.base_path.hash(&mut h);
        self.base_url.hash(&mut h);
        self.unsafe_html.hash(&mut h);
        format!("{:?}", self.today).hash(&mut h);
        format!("{:?}", self.refs).hash(&mut h);
        // The interface text (callout titles) is in the HTML of a body.
        format!("{:?}", self.ui).hash(&mut h);
        h.finish()
    }
}
