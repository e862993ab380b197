//! Assemble: the parsed documents become one immutable site graph.
//!
//! This stage decides every URL, orders sections and report chapters,
//! resolves pillar and theme-group references (aliases included), renders
//! Markdown bodies (now that links between files can be resolved) and checks
//! that no two outputs claim the same URL. It collects every error instead
//! of stopping at the first.
//!
//! Structured documents are assembled in submodules (`roles`: role sets).
//! Each becomes a [`Page`] of its kind (so sections list it like any other
//! page) plus its own model for its further pages; they appear on pillar
//! and theme-group pages through [`Referring`].

pub mod roles;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, suggest};
use crate::document::data::Data;
use crate::document::programme::Programme;
use crate::document::{Document, Kind, default_slug, validate_slug};
use crate::markdown::{self, Heading};
use crate::source::{SourceFile, SourceKind, Sources};

/// Options that change what is assembled.
#[derive(Debug, Clone, Default)]
pub struct AssembleOptions {
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// The build date, for telling upcoming networkdays from past ones.
    /// `None`: no notion of today (every programme is listed newest first),
    /// which keeps output independent of the day it is built.
    pub today: Option<Date>,
    /// The build exports PDFs (`build --pdf`): documents that are printed
    /// get a [`Page::pdf_url`] to link to.
    pub pdf: bool,
}

/// A link to a pillar or theme group, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct TaxonRef {
    pub id: String,
    pub name: String,
    pub url: String,
}

/// A rendered Markdown document: what templates get as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub title: String,
    pub kind: Kind,
    /// Root-relative URL including the base path, e.g. `/jaarverslag/2023/`.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    pub date: Option<Date>,
    pub weight: Option<i64>,
    pub summary: Option<String>,
    /// The body as HTML.
    pub content: String,
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
}

/// The formal parts of a note, rendered from Markdown where they are Markdown.
#[derive(Debug, Clone, Serialize)]
pub struct NoteFields {
    pub note_type: String,
    pub organisation: String,
    pub kernboodschap: Option<String>,
    pub behandelvoorstel: Option<String>,
    pub eerdere_besluiten: Option<String>,
    pub besluit: Option<BesluitView>,
    pub ondertekening: Vec<String>,
    /// The author numbered the chapters (`## 1. Inleiding`); otherwise the
    /// theme numbers them.
    pub chapters_numbered: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BesluitView {
    pub orgaan: String,
    pub datum: Date,
    pub tekst: String,
}

/// A short reference to a page, for listings and navigation.
#[derive(Debug, Clone, Serialize)]
pub struct PageRef {
    pub title: String,
    pub url: String,
    pub kind: Kind,
    pub date: Option<Date>,
    pub summary: Option<String>,
    pub upcoming: Option<bool>,
}

/// A report: its index page, its chapters in order, and its print page.
#[derive(Debug, Clone)]
pub struct Report {
    /// Index into [`Site::pages`] of the report's `_index.md`.
    pub index: usize,
    /// Indexes into [`Site::pages`], in reading order.
    pub chapters: Vec<usize>,
    /// Each chapter's HTML rendered again with ids prefixed for the print
    /// page (where all chapters share one document).
    pub print_chapters: Vec<(String, Vec<Heading>)>,
    pub print_url: String,
}

/// A networkday programme: its page (a [`Page`] of kind `programme`, so
/// sections list it like any other page), its print page and its exports.
#[derive(Debug, Clone)]
pub struct ProgrammeDay {
    /// Index into [`Site::pages`] of the programme's page.
    pub index: usize,
    pub programme: Programme,
    /// Per session (file order): the description as HTML.
    pub descriptions: Vec<Option<String>>,
    /// Per session (file order): its pillar and theme groups, resolved.
    pub taxa: Vec<(Option<TaxonRef>, Vec<TaxonRef>)>,
    /// Groups that do not meet this day, resolved, with the note.
    pub not_meeting: Vec<(TaxonRef, Option<String>)>,
    pub print_url: String,
    /// The whole day as iCalendar (`programma.ics`).
    pub ics_url: String,
    /// The c3voc/frab `schedule.json`.
    pub schedule_url: String,
    /// The same as frab's `schedule.xml`.
    pub schedule_xml_url: String,
}

impl ProgrammeDay {
    /// URL of one session's `.ics`, next to the page.
    pub fn session_ics_url(&self, site: &Site, session: usize) -> String {
        format!(
            "{}{}.ics",
            site.pages[self.index].url, self.programme.sessions[session].id
        )
    }
}

/// A file of `content/` copied to the output as it is (an image, a PDF).
#[derive(Debug, Clone)]
pub struct Asset {
    /// Where it goes in the output folder, e.g. `jaarverslag/2023/foto.jpg`.
    pub path: String,
    /// Where it comes from, relative to the site root (for errors).
    pub source: PathBuf,
    pub bytes: Vec<u8>,
}

/// One pillar or theme group page and what refers to it.
#[derive(Debug, Clone, Serialize)]
pub struct Taxon {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub url: String,
    /// For a theme group: its pillar.
    pub pijler: Option<TaxonRef>,
    /// For a pillar: its theme groups.
    pub themagroepen: Vec<TaxonRef>,
    /// Everything that refers to it, grouped for display.
    pub items: Vec<TaxonItem>,
}

/// Something that refers to a pillar or theme group.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct TaxonItem {
    /// Heading the item is listed under, e.g. "Jaarverslagen".
    pub group: String,
    pub title: String,
    pub url: String,
    /// Where it is from, e.g. "Jaarverslag 2023".
    pub context: Option<String>,
    pub date: Option<Date>,
}

/// Something other than a Markdown page that names a pillar or theme
/// groups (a role set, one role): listed on their generated pages.
#[derive(Debug, Clone)]
pub struct Referring {
    pub pijler: Option<TaxonRef>,
    pub themagroepen: Vec<TaxonRef>,
    pub item: TaxonItem,
}

/// The assembled site: every page and every URL, ready to render.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    /// Path part of `base_url` (no trailing slash), prefixed to every link.
    pub base_path: String,
    pub data: Data,
    /// Every Markdown page, sorted by URL.
    pub pages: Vec<Page>,
    pub reports: Vec<Report>,
    /// Role sets (`kind: roles`), sorted by URL; each also has a page.
    pub role_sets: Vec<roles::RoleSetView>,
    pub programmes: Vec<ProgrammeDay>,
    pub pijlers: Vec<Taxon>,
    pub themagroepen: Vec<Taxon>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
    /// Non-fatal problems (skipped symlinks).
    pub warnings: Vec<Diagnostic>,
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

/// Why a document that exists has no page in this build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unpublished {
    /// `draft: true`, in the file named (its own, or the `_index.md` of
    /// a draft report or section it is in).
    Draft(String),
    /// It has errors, reported for that file.
    Unreadable,
}

/// The links of a site being assembled: [`Site::links`] and
/// [`Site::unpublished`], as Markdown resolves them.
pub struct LinkTable<'a> {
    pub urls: &'a HashMap<String, String>,
    pub unpublished: &'a HashMap<String, Unpublished>,
}

impl markdown::Links for LinkTable<'_> {
    fn target(&self, rel: &str) -> markdown::LinkTarget {
        use markdown::LinkTarget;
        match (self.urls.get(rel), self.unpublished.get(rel)) {
            (Some(url), _) => LinkTarget::Url(url.clone()),
            (None, Some(Unpublished::Draft(by))) => LinkTarget::Draft(by.clone()),
            (None, Some(Unpublished::Unreadable)) => LinkTarget::Unreadable,
            (None, None) => LinkTarget::Missing,
        }
    }

    /// A file in the same folder whose name differs only in case, else
    /// the closest name there (see [`crate::diagnostics::nearest`]).
    fn similar(&self, rel: &str) -> Option<String> {
        let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let in_folder: Vec<&str> = self
            .urls
            .keys()
            .chain(self.unpublished.keys())
            .map(String::as_str)
            .filter(|k| k.rsplit_once('/').map_or("", |(f, _)| f) == folder)
            .collect();
        let name_of = |k: &str| k.rsplit_once('/').map_or(k, |(_, n)| n).to_string();
        if let Some(k) = in_folder
            .iter()
            .filter(|k| name_of(k).to_lowercase() == name.to_lowercase())
            .min()
        {
            return Some(k.to_string());
        }
        let names: Vec<String> = in_folder.iter().map(|k| name_of(k)).collect();
        let best = crate::diagnostics::nearest(name, names.iter().map(String::as_str))?;
        in_folder
            .into_iter()
            .find(|k| name_of(k) == best)
            .map(str::to_string)
    }
}

/// Where pillar and theme-group pages live.
pub const PIJLERS_PATH: &str = "/pijlers/";
pub const THEMAGROEPEN_PATH: &str = "/themagroepen/";

impl Site {
    /// Make a site path (`/jaarverslag/`) into a link with the base path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }

    /// Short references to the pages in a section's folder (not sub-folders),
    /// plus its direct sub-sections, in display order.
    pub fn section_children(&self, section: &Page) -> Vec<PageRef> {
        let mut children: Vec<&Page> = self
            .pages
            .iter()
            .filter(|p| {
                if p.kind == Kind::Section || p.kind == Kind::Report {
                    parent_folder(&p.folder) == Some(section.folder.as_str())
                        && p.folder != section.folder
                } else {
                    p.folder == section.folder && p.kind != Kind::Chapter
                }
            })
            .collect();
        children.sort_by(|a, b| listing_order(a, b));
        children.iter().map(|p| page_ref(p)).collect()
    }
}

/// A document printed to PDF by `build --pdf`.
#[derive(Debug, Clone)]
pub struct PrintDocument {
    /// Index into [`Site::pages`] of the page that links to the PDF.
    pub page: usize,
    /// The page Chromium prints (the print page, or a note itself).
    pub print_url: String,
    pub pdf_url: String,
    /// For a report: its index in [`Site::reports`] (the table of contents
    /// gets page numbers).
    pub report: Option<usize>,
}

impl Site {
    /// Everything `build --pdf` prints: each report, programme and role
    /// set (their print pages) and each note (its own page), in URL order.
    /// Empty unless the site was assembled with [`AssembleOptions::pdf`].
    pub fn print_documents(&self) -> Vec<PrintDocument> {
        let mut docs = Vec::new();
        for (i, p) in self.pages.iter().enumerate() {
            let Some(pdf_url) = &p.pdf_url else { continue };
            let (print_url, report) = match p.kind {
                Kind::Report => match self.reports.iter().position(|r| r.index == i) {
                    Some(r) => (self.reports[r].print_url.clone(), Some(r)),
                    None => continue,
                },
                Kind::Programme => match self.programmes.iter().find(|d| d.index == i) {
                    Some(d) => (d.print_url.clone(), None),
                    None => continue,
                },
                Kind::Roles => match self.role_sets.iter().find(|r| r.url == p.url) {
                    Some(r) => (r.print_url.clone(), None),
                    None => continue,
                },
                _ => (p.url.clone(), None),
            };
            docs.push(PrintDocument {
                page: i,
                print_url,
                pdf_url: pdf_url.clone(),
                report,
            });
        }
        docs
    }
}

/// The PDF's file name (without `.pdf`): the page's last URL segment,
/// after the kind for reports, e.g. `jaarverslag-2023.pdf`.
fn pdf_stem(p: &Page) -> String {
    let last = p
        .url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("document");
    match p.kind {
        Kind::Report if !last.contains("jaarverslag") => format!("jaarverslag-{last}"),
        Kind::Programme if !last.contains("programma") => format!("programma-{last}"),
        _ => last.to_string(),
    }
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

pub fn page_ref(p: &Page) -> PageRef {
    PageRef {
        title: p.title.clone(),
        url: p.url.clone(),
        kind: p.kind,
        date: p.date,
        summary: p.summary.clone(),
        upcoming: p.upcoming,
    }
}

fn parent_folder(folder: &str) -> Option<&str> {
    if folder.is_empty() {
        None
    } else {
        Some(folder.rfind('/').map(|i| &folder[..i]).unwrap_or(""))
    }
}

/// Build the site graph from loaded sources. All errors are collected.
pub fn assemble(
    config: SiteConfig,
    sources: Sources,
    opts: &AssembleOptions,
) -> Result<Site, Vec<Diagnostic>> {
    let mut errors: Vec<Diagnostic> = Vec::new();
    let base_path = config.base_path();
    let base_url = config.base_url_trimmed().to_string();

    // Parse: Markdown documents in parallel; data files.
    let markdown_files: Vec<&SourceFile> = sources
        .files
        .iter()
        .filter(|f| f.kind == SourceKind::Markdown)
        .collect();
    let parsed: Vec<Result<Document, Vec<Diagnostic>>> = markdown_files
        .par_iter()
        .map(|f| crate::document::parse_markdown(f))
        .collect();
    let mut docs = Vec::new();
    // Documents that exist but will have no page, for the links to them.
    let mut unpublished: HashMap<String, Unpublished> = HashMap::new();
    for (r, f) in parsed.into_iter().zip(&markdown_files) {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => {
                errors.extend(e);
                unpublished.insert(f.rel.clone(), Unpublished::Unreadable);
            }
        }
    }
    let data_files: Vec<&SourceFile> = sources
        .files
        .iter()
        .filter(|f| f.kind == SourceKind::Data)
        .collect();
    let (data, data_errors) = crate::document::data::load(&data_files);
    // A taxonomy file that cannot be read leaves every reference to it
    // "unknown": those are not problems of their own (see the end).
    let unreadable_data = |stem: &str| {
        data_errors.iter().any(|e| {
            let name = e.file.file_stem().and_then(|s| s.to_str());
            name == Some(stem)
        })
    };
    let (pijlers_unreadable, themagroepen_unreadable) =
        (unreadable_data("pijlers"), unreadable_data("themagroepen"));
    errors.extend(data_errors);
    errors.extend(check_taxonomy_data(&data, &sources));
    let mut role_docs = Vec::new();
    let mut programmes: Vec<Programme> = Vec::new();
    for f in sources
        .files
        .iter()
        .filter(|f| f.kind == SourceKind::Structured)
    {
        let before = errors.len();
        match crate::structured::read_kind(f).as_deref() {
            Err(d) => errors.push(d.clone()),
            Ok("roles") => match crate::document::roles::parse(f) {
                Ok(r) => role_docs.push(r),
                Err(e) => errors.extend(e),
            },
            Ok("programme") => match crate::document::programme::parse(f) {
                Ok(p) => programmes.push(p),
                Err(e) => errors.extend(e),
            },
            Ok(kind) => errors.push(Diagnostic::new(
                &f.path,
                format!("documents of kind `{kind}` are not supported yet"),
            )),
        }
        if errors.len() > before {
            unpublished.insert(f.rel.clone(), Unpublished::Unreadable);
        }
    }

    // Drafts: a draft report or section also hides the pages in its folder.
    if !opts.drafts {
        let hidden_folders: Vec<String> = docs
            .iter()
            .filter(|d| d.is_index() && d.meta.draft)
            .map(|d| d.folder().to_string())
            .collect();
        let hidden = |folder: &str| {
            hidden_folders
                .iter()
                .any(|f| folder == f || folder.starts_with(&format!("{f}/")))
        };
        // The `_index.md` whose `draft: true` hides `folder` (the outermost).
        let hidden_by = |folder: &str| {
            hidden_folders
                .iter()
                .filter(|f| folder == f.as_str() || folder.starts_with(&format!("{f}/")))
                .min_by_key(|f| f.len())
                .map(|f| {
                    if f.is_empty() {
                        "_index.md".to_string()
                    } else {
                        format!("{f}/_index.md")
                    }
                })
        };
        let mut draft = |rel: &str, own: bool, folder: &str| {
            let by = match hidden_by(folder) {
                Some(index) if !own || index == rel => index,
                _ => rel.to_string(),
            };
            unpublished.insert(rel.to_string(), Unpublished::Draft(by));
        };
        for d in docs.iter().filter(|d| d.meta.draft || hidden(d.folder())) {
            draft(&d.rel, d.meta.draft, d.folder());
        }
        for r in role_docs
            .iter()
            .filter(|r| r.set.draft || hidden(r.folder()))
        {
            draft(&r.rel, r.set.draft, r.folder());
        }
        for p in programmes.iter().filter(|p| p.draft || hidden(p.folder())) {
            draft(&p.rel, p.draft, p.folder());
        }
        docs.retain(|d| !d.meta.draft && !hidden(d.folder()));
        role_docs.retain(|r| !r.set.draft && !hidden(r.folder()));
        programmes.retain(|p| !p.draft && !hidden(p.folder()));
    }

    // Reports: every non-index Markdown file in a report's folder is a chapter.
    let report_folders: Vec<String> = docs
        .iter()
        .filter(|d| d.kind == Kind::Report)
        .map(|d| d.folder().to_string())
        .collect();
    // A folder whose `_index.md` has errors may be a report: its chapters
    // are not judged as plain pages (that would be a second, false error).
    let index_unreadable = |folder: &str| {
        let index = if folder.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{folder}/_index.md")
        };
        unpublished.get(&index) == Some(&Unpublished::Unreadable)
    };
    for d in docs.iter_mut() {
        if !d.is_index() && index_unreadable(d.folder()) {
            if d.kind == Kind::Page {
                d.kind = Kind::Chapter;
            }
        } else if !d.is_index() && report_folders.iter().any(|f| f == d.folder()) {
            match d.kind {
                Kind::Page | Kind::Chapter => d.kind = Kind::Chapter,
                other => errors.push(
                    d.field_error(
                        "kind",
                        format!("a report folder holds chapters, not `kind: {:?}`", other)
                            .to_lowercase(),
                    )
                    .hint("move this file out of the report's folder, or remove `kind`"),
                ),
            }
        } else if d.kind == Kind::Page && d.meta.signed.is_some() {
            errors.push(
                d.field_error("signed", "`signed` is only used on report chapters")
                    .hint("chapters live in a folder whose _index.md has `kind: report`"),
            );
        } else if d.kind == Kind::Chapter {
            errors.push(
                d.field_error("kind", "`kind: chapter` outside a report")
                    .hint("chapters live in a folder whose _index.md has `kind: report`"),
            );
        }
    }

    // URLs: see [`UrlScheme`]. Explicit slugs are checked here, once.
    for d in &docs {
        if let Some(slug) = &d.meta.slug {
            if let Err(suggestion) = validate_slug(slug) {
                errors.push(
                    d.field_error("slug", format!("slug `{slug}` is not a single URL segment"))
                        .hint(format!(
                            "use lowercase letters, digits and dashes, e.g. `{suggestion}`"
                        )),
                );
            }
        }
    }
    let scheme = UrlScheme::new(&docs);
    let mut url_of_rel: HashMap<String, String> = HashMap::new();
    let mut site_paths: Vec<String> = Vec::with_capacity(docs.len());
    for d in &docs {
        let path = if d.is_index() {
            scheme.folder(d.folder())
        } else {
            scheme.document(d.folder(), d.meta.slug.as_deref(), file_stem(&d.rel))
        };
        url_of_rel.insert(d.rel.clone(), format!("{base_path}{path}"));
        site_paths.push(path);
    }
    // Role sets and programmes are pages at their file's place (their slug
    // errors are reported when they are parsed).
    let role_paths: Vec<String> = role_docs
        .iter()
        .map(|r| {
            let path = scheme.document(r.folder(), r.set.slug.as_deref(), r.file_stem());
            url_of_rel.insert(r.rel.clone(), format!("{base_path}{path}"));
            path
        })
        .collect();
    let programme_paths: Vec<String> = programmes
        .iter()
        .map(|p| {
            let path = scheme.document(p.folder(), p.slug.as_deref(), p.file_stem());
            url_of_rel.insert(p.rel.clone(), format!("{base_path}{path}"));
            path
        })
        .collect();
    // Assets (images, PDFs) go next to the pages of their folder, so a
    // link written relative to the Markdown file resolves to them too.
    let mut assets: Vec<Asset> = Vec::new();
    for f in sources.files.iter().filter(|f| f.kind == SourceKind::Asset) {
        // HTML and SVG run their script on the site's own address.
        if !config.markdown.unsafe_html
            && let Some((why, at)) = crate::source::active_content(&f.rel, &f.bytes)
        {
            let mut d = Diagnostic::new(
                    &f.path,
                    format!("refusing to publish this file: {why}, which a browser would run as part of the site"),
                )
                .hint("remove the script (for an image: export it again as plain SVG or as PNG); if every editor is trusted, `markdown: { unsafe_html: true }` in site.yaml publishes such files as they are");
            if let Some(at) = at {
                let text = String::from_utf8_lossy(&f.bytes);
                let before = &text[..at.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                d = d.at(&text, line, column);
            }
            errors.push(d);
        }
        let (folder, name) = f.rel.rsplit_once('/').unwrap_or(("", &f.rel));
        let path = format!("{}{name}", scheme.folder(folder));
        url_of_rel.insert(
            f.rel.clone(),
            format!("{base_path}{}", crate::serve::percent_encode(&path)),
        );
        assets.push(Asset {
            path: path.trim_start_matches('/').to_string(),
            source: f.path.clone(),
            bytes: f.bytes.clone(),
        });
    }

    // References to pillars and theme groups.
    let refs = References::new(&data, &base_path);
    let mut page_refs: Vec<(Option<TaxonRef>, Vec<TaxonRef>)> = Vec::with_capacity(docs.len());
    for d in &docs {
        let pijler = d.meta.pijler.as_ref().and_then(|id| match refs.pijler(id) {
            Ok(r) => Some(r),
            Err(hint) => {
                errors.push(
                    d.field_error("pijler", format!("unknown pijler `{id}`"))
                        .hint(hint),
                );
                None
            }
        });
        let mut groups = Vec::new();
        for id in &d.meta.themagroepen {
            match refs.themagroep(id) {
                Ok(r) => groups.push(r),
                Err(hint) => errors.push(
                    d.field_error("themagroepen", format!("unknown themagroep `{id}`"))
                        .hint(hint),
                ),
            }
        }
        page_refs.push((pijler, groups));
    }

    // Render Markdown in parallel, with links to other files resolved.
    let resolve = &LinkTable {
        urls: &url_of_rel,
        unpublished: &unpublished,
    };
    let unsafe_html = config.markdown.unsafe_html;
    let rendered: Vec<(Page, Vec<Diagnostic>)> = docs
        .par_iter()
        .zip(site_paths.par_iter())
        .zip(page_refs.into_par_iter())
        .map(|((d, path), (pijler, themagroepen))| {
            build_page(
                d,
                path,
                &base_path,
                &base_url,
                pijler,
                themagroepen,
                resolve,
                unsafe_html,
            )
        })
        .collect();
    let mut pages = Vec::with_capacity(rendered.len() + programmes.len());
    for (p, e) in rendered {
        errors.extend(e);
        pages.push(p);
    }
    // Role sets: a page for the overview; the role pages and the print page
    // come from the set's own model.
    let mut role_sets = Vec::with_capacity(role_docs.len());
    let mut referring = Vec::new();
    for (doc, path) in role_docs.iter().zip(&role_paths) {
        if !doc.problems.is_empty() {
            errors.extend(roles::problems(doc, &refs));
            continue;
        }
        let a = roles::assemble(
            doc,
            path,
            &base_path,
            &base_url,
            &refs,
            resolve,
            unsafe_html,
        );
        errors.extend(a.errors);
        referring.extend(a.referring);
        pages.push(a.page);
        role_sets.push(a.view);
    }
    role_sets.sort_by(|a, b| a.url.cmp(&b.url));
    // Programmes: references, Markdown, and a page each.
    let mut days: Vec<ProgrammeDay> = Vec::with_capacity(programmes.len());
    for (p, path) in programmes.into_iter().zip(&programme_paths) {
        let (page, day, e) = build_programme(
            p,
            path,
            &base_path,
            &base_url,
            &refs,
            resolve,
            unsafe_html,
            opts.today,
        );
        errors.extend(e);
        pages.push(page);
        days.push(day);
    }
    // Sorted by URL: the order of every listing derived from `pages` (and so
    // the output) does not depend on the order files were found or parsed.
    pages.sort_by(|a, b| a.url.cmp(&b.url).then_with(|| a.source.cmp(&b.source)));

    // Reports, in chapter order, with their print versions.
    let doc_of: HashMap<&str, &Document> = docs.iter().map(|d| (d.rel.as_str(), d)).collect();
    let mut reports = Vec::new();
    for (i, p) in pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == Kind::Report)
    {
        let mut chapters: Vec<usize> = pages
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == Kind::Chapter && c.folder == p.folder)
            .map(|(j, _)| j)
            .collect();
        chapters.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            a.weight
                .unwrap_or(i64::MAX)
                .cmp(&b.weight.unwrap_or(i64::MAX))
                .then_with(|| a.source.cmp(&b.source))
        });
        let print_chapters = chapters
            .iter()
            .map(|&c| {
                print_chapter(
                    doc_of[pages[c].source.as_str()],
                    &pages[c].file_stem,
                    resolve,
                    unsafe_html,
                    &base_url,
                )
            })
            .collect();
        let print_url = format!("{}print/", p.url);
        reports.push(Report {
            index: i,
            chapters,
            print_chapters,
            print_url,
        });
    }

    for set in role_sets.iter_mut() {
        // The section the role set is listed in, for breadcrumbs.
        set.parent = pages
            .iter()
            .find(|p| matches!(p.kind, Kind::Section | Kind::Report) && p.folder == set.folder)
            .map(page_ref);
    }

    for day in days.iter_mut() {
        day.index = pages
            .iter()
            .position(|p| p.kind == Kind::Programme && p.source == day.programme.rel)
            .expect("programme has a page");
    }

    referring.extend(days.iter().flat_map(|day| programme_referring(day, &pages)));

    if opts.pdf {
        for p in pages.iter_mut() {
            if matches!(
                p.kind,
                Kind::Report | Kind::Programme | Kind::Roles | Kind::Note
            ) {
                p.pdf_url = Some(format!("{}{}.pdf", p.url, pdf_stem(p)));
            }
        }
    }

    // Taxonomy pages and what refers to them.
    let (pijlers, themagroepen) = refs.taxa(&data, &pages, &reports, &referring);

    let front_matter = docs
        .iter()
        .map(|d| (d.rel.clone(), front_matter_hash(d)))
        .collect();
    let site = Site {
        config,
        base_path,
        data,
        links: url_of_rel,
        unpublished,
        front_matter,
        pages,
        reports,
        role_sets,
        programmes: days,
        pijlers,
        themagroepen,
        assets,
        warnings: sources.warnings,
    };
    errors.extend(check_url_collisions(&site));
    errors.retain(|e| {
        !(pijlers_unreadable && e.message.contains("unknown pijler")
            || themagroepen_unreadable && e.message.contains("unknown themagroep"))
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

/// How files map to URLs. Every folder becomes a URL segment, slugified
/// (spaces and accents in names just work, a leading `NN-` order prefix is
/// dropped), unless its `_index.md` sets a `slug`; then that slug is used for
/// the section and for everything below it. A document adds its own
/// segment: its `slug`, or its file stem made into one.
struct UrlScheme {
    /// Folder (relative to `content/`) → its segment from `_index.md`'s slug.
    section_slugs: HashMap<String, String>,
}

impl UrlScheme {
    fn new(docs: &[Document]) -> UrlScheme {
        let section_slugs = docs
            .iter()
            .filter(|d| d.is_index() && !d.folder().is_empty())
            .filter_map(|d| {
                let slug = d.meta.slug.as_ref().filter(|s| validate_slug(s).is_ok())?;
                Some((d.folder().to_string(), slug.clone()))
            })
            .collect();
        UrlScheme { section_slugs }
    }

    /// `/a/b/` for folder `a/b` (`/` for the top).
    fn folder(&self, folder: &str) -> String {
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
    fn document(&self, folder: &str, slug: Option<&str>, file_stem: &str) -> String {
        let own = slug
            .filter(|s| validate_slug(s).is_ok())
            .map(str::to_string);
        format!(
            "{}{}/",
            self.folder(folder),
            own.unwrap_or_else(|| default_slug(file_stem))
        )
    }
}

fn file_stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map(|x| x.0).unwrap_or(name)
}

/// A report chapter rendered for the print page: ids prefixed with the
/// chapter's slug and headings one level down, below the chapter title.
fn print_chapter(
    doc: &Document,
    file_stem: &str,
    resolve: markdown::LinkResolver,
    unsafe_html: bool,
    site_url: &str,
) -> (String, Vec<Heading>) {
    let prefix = format!("{file_stem}-");
    let cx = markdown::Context {
        file: &doc.path,
        file_text: &doc.text,
        first_line: doc.body_first_line,
        rel: &doc.rel,
        resolve: Some(resolve),
        id_prefix: &prefix,
        heading_offset: 1,
        unsafe_html,
        site_url: Some(site_url),
    };
    let r = markdown::render(doc.body(), &cx);
    (r.html, r.toc)
}

fn front_matter_hash(d: &Document) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    d.text[..d.body_start].hash(&mut h);
    h.finish()
}

/// What [`Site::update_body`] did.
#[derive(Debug)]
pub enum BodyUpdate {
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
    /// matter did not. Listings, menus and taxonomy pages only show front
    /// matter (and report tables of contents), so only this page, and the
    /// report it belongs to, need rendering again.
    pub fn update_body(&mut self, file: &SourceFile) -> BodyUpdate {
        let Ok(mut doc) = crate::document::parse_markdown(file) else {
            return BodyUpdate::NotApplicable;
        };
        if self.front_matter.get(&file.rel) != Some(&front_matter_hash(&doc)) {
            return BodyUpdate::NotApplicable;
        }
        let Some(index) = self.pages.iter().position(|p| p.source == file.rel) else {
            return BodyUpdate::NotApplicable;
        };
        let old = &self.pages[index];
        doc.kind = old.kind;
        let path = old
            .url
            .strip_prefix(self.base_path.as_str())
            .unwrap_or(&old.url)
            .to_string();
        let resolve = &LinkTable {
            urls: &self.links,
            unpublished: &self.unpublished,
        };
        let unsafe_html = self.config.markdown.unsafe_html;
        let (page, errors) = build_page(
            &doc,
            &path,
            &self.base_path,
            self.config.base_url_trimmed(),
            old.pijler.clone(),
            old.themagroepen.clone(),
            resolve,
            unsafe_html,
        );
        if errors.iter().any(|e| !e.is_warning()) {
            return BodyUpdate::Failed(errors.into_iter().filter(|e| !e.is_warning()).collect());
        }
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
            self.reports[r].print_chapters[n] = print_chapter(
                &doc,
                &page.file_stem,
                resolve,
                unsafe_html,
                self.config.base_url_trimmed(),
            );
        }
        self.pages[index] = page;
        BodyUpdate::Updated {
            page: index,
            report,
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn build_page(
    d: &Document,
    path: &str,
    base_path: &str,
    base_url: &str,
    pijler: Option<TaxonRef>,
    themagroepen: Vec<TaxonRef>,
    resolve: markdown::LinkResolver,
    unsafe_html: bool,
) -> (Page, Vec<Diagnostic>) {
    let cx = markdown::Context {
        file: &d.path,
        file_text: &d.text,
        first_line: d.body_first_line,
        rel: &d.rel,
        resolve: Some(resolve),
        id_prefix: "",
        heading_offset: 0,
        unsafe_html,
        site_url: Some(base_url),
    };
    let body = markdown::render(d.body(), &cx);
    let mut errors = body.errors;
    let m = &d.meta;
    // A note field's problems (a bad heading id, an image without alt
    // text) are located at the field.
    let field = |key: &str, s: &Option<String>, errors: &mut Vec<Diagnostic>| {
        s.as_ref().map(|text| {
            let r = markdown::render(
                text,
                &markdown::Context {
                    unsafe_html,
                    site_url: Some(base_url),
                    ..markdown::Context::plain(&d.path)
                },
            );
            errors.extend(
                r.errors
                    .into_iter()
                    .map(|e| d.field_error(key, e.message).maybe_hint(e.hint)),
            );
            r.html
        })
    };
    let note = (d.kind == Kind::Note).then(|| NoteFields {
        note_type: m.note_type.clone().unwrap_or_default(),
        organisation: m.organisation.clone().unwrap_or_default(),
        kernboodschap: field("kernboodschap", &m.kernboodschap, &mut errors),
        behandelvoorstel: field("behandelvoorstel", &m.behandelvoorstel, &mut errors),
        eerdere_besluiten: field("eerdere_besluiten", &m.eerdere_besluiten, &mut errors)
            .filter(|h| !h.trim().is_empty()),
        besluit: m.besluit.as_ref().map(|b| BesluitView {
            orgaan: b.orgaan.clone(),
            datum: b.datum,
            tekst: field("tekst", &Some(b.tekst.clone()), &mut errors).unwrap_or_default(),
        }),
        ondertekening: m.ondertekening.clone(),
        chapters_numbered: chapters_numbered(&body.toc),
    });
    if let Some(t) = &m.template {
        if t.contains("..") || t.starts_with('/') {
            errors.push(d.field_error(
                "template",
                format!("template `{t}` must be a name inside templates/"),
            ));
        }
    }
    let stem = d.rel.rsplit('/').next().unwrap_or(&d.rel);
    let stem = stem
        .rsplit_once('.')
        .map(|x| x.0)
        .unwrap_or(stem)
        .to_string();
    let page = Page {
        title: m.title.clone(),
        kind: d.kind,
        url: format!("{base_path}{path}"),
        permalink: format!("{base_url}{path}"),
        date: m.date,
        weight: m.weight,
        summary: m.summary.clone(),
        content: body.html,
        toc: body.toc,
        pijler,
        themagroepen,
        extra: m.extra.clone(),
        source: d.rel.clone(),
        draft: m.draft,
        year: m.year,
        subtitle: m.subtitle.clone(),
        published: m.published,
        signed: m.signed.clone(),
        note,
        upcoming: None,
        pdf_url: None,
        template: m.template.clone().unwrap_or_else(|| {
            if d.rel == "_index.md" {
                "index.html".into()
            } else {
                d.kind.template().into()
            }
        }),
        folder: d.folder().to_string(),
        file_stem: default_slug(&stem),
    };
    (page, errors)
}

/// Whether every `##` heading starts with a number (`1. Inleiding`): a note
/// whose chapters are not numbered gets numbers from the theme.
fn chapters_numbered(toc: &[Heading]) -> bool {
    let mut chapters = toc.iter().filter(|h| h.level == 2).peekable();
    chapters.peek().is_none()
        || chapters.all(|h| {
            h.title
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
        })
}

/// A programme's page, its [`ProgrammeDay`] (with `index` still to be set)
/// and the problems found: unknown pillars and theme groups, broken links
/// in its Markdown.
#[allow(clippy::too_many_arguments)]
fn build_programme(
    p: Programme,
    path: &str,
    base_path: &str,
    base_url: &str,
    refs: &References,
    resolve: markdown::LinkResolver,
    unsafe_html: bool,
    today: Option<Date>,
) -> (Page, ProgrammeDay, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    // The intro sits under the page's h1; a description under its
    // session's h3, with ids prefixed so headings never clash between
    // sessions.
    let markdown_at = |text: &str,
                       first_line: usize,
                       id_prefix: &str,
                       heading_offset: u8,
                       errors: &mut Vec<Diagnostic>| {
        let cx = markdown::Context {
            file: &p.path,
            file_text: &p.text,
            first_line,
            rel: &p.rel,
            resolve: Some(resolve),
            id_prefix,
            heading_offset,
            unsafe_html,
            site_url: Some(&*base_url),
        };
        let r = markdown::render(text, &cx);
        errors.extend(r.errors);
        r.html
    };
    let intro = p
        .intro
        .as_deref()
        .map(|t| markdown_at(t, p.key_line("intro") + 1, "", 0, &mut errors))
        .unwrap_or_default();
    let descriptions = (0..p.sessions.len())
        .map(|i| {
            p.sessions[i].description.as_deref().map(|t| {
                let prefix = format!("{}-", p.sessions[i].id);
                markdown_at(t, p.description_line(i), &prefix, 2, &mut errors)
            })
        })
        .collect();
    let mut taxa = Vec::with_capacity(p.sessions.len());
    for (i, s) in p.sessions.iter().enumerate() {
        let pijler = s.pijler.as_ref().and_then(|id| match refs.pijler(id) {
            Ok(r) => Some(r),
            Err(hint) => {
                errors.push(
                    p.session_error(i, "pijler", &format!("unknown pijler `{id}`"))
                        .hint(hint),
                );
                None
            }
        });
        let mut groups: Vec<TaxonRef> = Vec::new();
        for id in &s.themagroepen {
            match refs.themagroep(id) {
                Ok(r) if groups.iter().any(|g| g.id == r.id) => {}
                Ok(r) => groups.push(r),
                Err(hint) => {
                    let key = p
                        .session_field(
                            i,
                            &["themagroep", "opgavegroep", "themagroepen", "opgavegroepen"],
                        )
                        .unwrap_or("themagroep");
                    errors.push(
                        p.session_error(i, key, &format!("unknown themagroep `{id}`"))
                            .hint(hint),
                    )
                }
            }
        }
        taxa.push((pijler, groups));
    }
    let mut not_meeting = Vec::new();
    for (i, n) in p.not_meeting.iter().enumerate() {
        let found = match (&n.themagroep, &n.pijler) {
            (Some(id), _) => refs
                .themagroep(id)
                .map_err(|h| ("themagroep", format!("unknown themagroep `{id}`"), h)),
            (None, Some(id)) => refs
                .pijler(id)
                .map_err(|h| ("pijler", format!("unknown pijler `{id}`"), h)),
            (None, None) => continue,
        };
        match found {
            Ok(r) => not_meeting.push((r, n.note.clone())),
            Err((key, message, hint)) => {
                errors.push(p.not_meeting_error(i, key, &message).hint(hint))
            }
        }
    }
    // Listings show the date already: the default summary says where.
    let summary = p.summary.clone().or_else(|| match (&p.city, &p.venue) {
        (Some(c), Some(v)) => Some(format!("Programma in {c} ({v})")),
        (Some(x), None) | (None, Some(x)) => Some(format!("Programma in {x}")),
        (None, None) => None,
    });
    let url = format!("{base_path}{path}");
    let page = Page {
        title: p.title.clone(),
        kind: Kind::Programme,
        url: url.clone(),
        permalink: format!("{base_url}{path}"),
        date: Some(p.date),
        weight: None,
        summary,
        content: intro,
        toc: Vec::new(),
        pijler: None,
        themagroepen: Vec::new(),
        extra: None,
        source: p.rel.clone(),
        draft: p.draft,
        year: None,
        subtitle: None,
        published: None,
        signed: None,
        note: None,
        upcoming: today.map(|t| p.date >= t),
        pdf_url: None,
        template: Kind::Programme.template().into(),
        folder: p.folder().to_string(),
        file_stem: default_slug(p.file_stem()),
    };
    let day = ProgrammeDay {
        index: usize::MAX,
        descriptions,
        taxa,
        not_meeting,
        print_url: format!("{url}print/"),
        ics_url: format!(
            "{url}{}.ics",
            crate::document::programme::PROGRAMME_ICS_STEM
        ),
        schedule_url: format!("{url}schedule.json"),
        schedule_xml_url: format!("{url}schedule.xml"),
        programme: p,
    };
    (page, day, errors)
}

/// A programme's sessions as things that refer to pillars and theme
/// groups, listed under "Netwerkdagen" on their pages.
fn programme_referring(day: &ProgrammeDay, pages: &[Page]) -> Vec<Referring> {
    let page = &pages[day.index];
    let context = Some(match &day.programme.city {
        Some(city) => format!("{}, {city}", page.title),
        None => page.title.clone(),
    });
    day.programme
        .sessions
        .iter()
        .zip(&day.taxa)
        .filter(|(_, (pijler, groups))| pijler.is_some() || !groups.is_empty())
        .map(|(session, (pijler, groups))| Referring {
            pijler: pijler.clone(),
            themagroepen: groups.clone(),
            item: TaxonItem {
                group: "Netwerkdagen".into(),
                title: session.title.clone(),
                url: format!("{}#{}", page.url, session.id),
                context: context.clone(),
                date: page.date,
            },
        })
        .collect()
}

/// Resolves pillar and theme-group ids (and aliases) to links.
struct References {
    pijlers: BTreeMap<String, TaxonRef>,
    themagroepen: BTreeMap<String, TaxonRef>,
    /// alias → canonical id
    aliases: BTreeMap<String, String>,
}

impl References {
    fn new(data: &Data, base_path: &str) -> Self {
        let link = |id: &String, name: &String, under: &str| {
            let url = format!("{base_path}{under}{id}/");
            (
                id.clone(),
                TaxonRef {
                    id: id.clone(),
                    name: name.clone(),
                    url,
                },
            )
        };
        let pijlers = data
            .pijlers
            .iter()
            .map(|p| link(&p.id, &p.name, PIJLERS_PATH))
            .collect();
        let themagroepen = data
            .themagroepen
            .iter()
            .map(|t| link(&t.id, &t.name, THEMAGROEPEN_PATH))
            .collect();
        let aliases = data
            .themagroepen
            .iter()
            .flat_map(|t| t.aliases.iter().map(move |a| (a.clone(), t.id.clone())))
            .collect();
        References {
            pijlers,
            themagroepen,
            aliases,
        }
    }

    /// The pillar with `id`, or a hint naming the valid ones.
    pub fn pijler(&self, id: &str) -> Result<TaxonRef, String> {
        self.pijlers.get(id).cloned().ok_or_else(|| {
            let ids: Vec<&str> = self.pijlers.keys().map(String::as_str).collect();
            if ids.is_empty() {
                "define pillars in content/_data/pijlers.yaml".to_string()
            } else {
                suggest(id, &ids, "pijlers")
            }
        })
    }

    /// The theme group with `id` or alias, or a hint naming the valid ones.
    pub fn themagroep(&self, id: &str) -> Result<TaxonRef, String> {
        let canonical = self.aliases.get(id).map(String::as_str).unwrap_or(id);
        self.themagroepen.get(canonical).cloned().ok_or_else(|| {
            let ids: Vec<&str> = self.themagroepen.keys().map(String::as_str).collect();
            if ids.is_empty() {
                "define theme groups in content/_data/themagroepen.yaml".to_string()
            } else {
                suggest(id, &ids, "themagroepen")
            }
        })
    }

    /// Build every taxonomy page with the items referring to it.
    fn taxa(
        &self,
        data: &Data,
        pages: &[Page],
        reports: &[Report],
        referring: &[Referring],
    ) -> (Vec<Taxon>, Vec<Taxon>) {
        let report_of_folder: HashMap<&str, &Page> = reports
            .iter()
            .map(|r| (pages[r.index].folder.as_str(), &pages[r.index]))
            .collect();
        let mut items: HashMap<String, Vec<TaxonItem>> = HashMap::new();
        for p in pages {
            let (group, context) = match p.kind {
                Kind::Chapter => (
                    "Jaarverslagen",
                    report_of_folder
                        .get(p.folder.as_str())
                        .map(|r| r.title.clone()),
                ),
                Kind::Note => (
                    "Raadsinformatie",
                    p.note.as_ref().map(|n| n.organisation.clone()),
                ),
                Kind::Report => ("Jaarverslagen", None),
                Kind::Roles => (roles::TAXON_GROUP, None),
                _ => ("Pagina's", None),
            };
            let item = TaxonItem {
                group: group.into(),
                title: p.title.clone(),
                url: p.url.clone(),
                context,
                date: p.date,
            };
            if let Some(r) = &p.pijler {
                items
                    .entry(format!("p:{}", r.id))
                    .or_default()
                    .push(item.clone());
            }
            for t in &p.themagroepen {
                items
                    .entry(format!("t:{}", t.id))
                    .or_default()
                    .push(item.clone());
            }
        }
        for r in referring {
            if let Some(p) = &r.pijler {
                items
                    .entry(format!("p:{}", p.id))
                    .or_default()
                    .push(r.item.clone());
            }
            for t in &r.themagroepen {
                items
                    .entry(format!("t:{}", t.id))
                    .or_default()
                    .push(r.item.clone());
            }
        }
        let mut take = |key: String| {
            let mut v = items.remove(&key).unwrap_or_default();
            v.sort();
            v
        };
        let themagroepen: Vec<Taxon> = data
            .themagroepen
            .iter()
            .map(|t| Taxon {
                id: t.id.clone(),
                name: t.name.clone(),
                description: t.description.clone(),
                url: self.themagroepen[&t.id].url.clone(),
                pijler: t.pijler.as_ref().and_then(|p| self.pijlers.get(p).cloned()),
                themagroepen: Vec::new(),
                items: take(format!("t:{}", t.id)),
            })
            .collect();
        let pijlers = data
            .pijlers
            .iter()
            .map(|p| Taxon {
                id: p.id.clone(),
                name: p.name.clone(),
                description: p.description.clone(),
                url: self.pijlers[&p.id].url.clone(),
                pijler: None,
                themagroepen: data
                    .themagroepen
                    .iter()
                    .filter(|t| t.pijler.as_deref() == Some(p.id.as_str()))
                    .map(|t| self.themagroepen[&t.id].clone())
                    .collect(),
                items: take(format!("p:{}", p.id)),
            })
            .collect();
        (pijlers, themagroepen)
    }
}

/// The longest taxonomy id, so that it stays a reasonable folder name.
const MAX_ID_LEN: usize = 100;

/// A pillar or theme group id: a slug without dots, so it can neither
/// leave its folder nor look like a file (`index.html`).
fn is_taxon_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Validate the taxonomy data itself: valid and unique ids, known pillar of each
/// theme group, aliases that do not shadow ids.
pub fn check_taxonomy_data(data: &Data, files: &Sources) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let file_of = |stem: &str| {
        files
            .files
            .iter()
            .find(|f| f.rel == format!("_data/{stem}.yaml") || f.rel == format!("_data/{stem}.yml"))
    };
    let locate = |stem: &str, needle: &str, message: String| {
        let mut d = Diagnostic::new(PathBuf::from(format!("content/_data/{stem}.yaml")), message);
        if let Some(f) = file_of(stem) {
            let (l, c) = crate::config::line_of_key(&f.text, needle);
            d = Diagnostic::new(&f.path, d.message.clone()).at(&f.text, l, c);
        }
        d
    };
    // A duplicate is reported at its second occurrence, `id: x` on a line.
    let locate_again = |stem: &str, id: &str, message: String| {
        let mut d = locate(stem, id, message);
        if let Some(f) = file_of(stem) {
            let needle = format!("id: {id}");
            let ends_word = |rest: &str| {
                !rest
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_')
            };
            let hit = f
                .text
                .lines()
                .enumerate()
                .filter_map(|(i, l)| {
                    l.match_indices(&needle)
                        .find(|(c, _)| ends_word(&l[c + needle.len()..]))
                        .map(|(c, _)| (i + 1, l[..c].chars().count() + 5))
                })
                .nth(1);
            if let Some((l, c)) = hit {
                d = d.at(&f.text, l, c);
            }
        }
        d
    };
    // Ids become folder names (`/pijlers/<id>/`): slugs only.
    for (stem, ids) in [
        (
            "pijlers",
            data.pijlers.iter().map(|p| &p.id).collect::<Vec<_>>(),
        ),
        (
            "themagroepen",
            data.themagroepen.iter().map(|t| &t.id).collect(),
        ),
    ] {
        for id in ids.into_iter().filter(|id| !is_taxon_id(id)) {
            let needle = [
                format!("id: '{id}'"),
                format!("id: \"{id}\""),
                format!("id: {id}"),
            ]
            .into_iter()
            .filter(|n| !id.is_empty() || !n.ends_with(' '))
            .find(|n| file_of(stem).is_some_and(|f| f.text.contains(n.as_str())))
            .unwrap_or_else(|| "id:".into());
            errors.push(
                locate(
                    stem,
                    &needle,
                    format!("{stem} id `{id}` is not a valid id"),
                )
                .hint(format!(
                    "ids use lowercase letters, digits, `-` and `_` (at most {MAX_ID_LEN}), e.g. `{}`",
                    crate::markdown::slug_or(id, "id")
                )),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    for p in &data.pijlers {
        if !seen.insert(p.id.clone()) {
            errors.push(locate_again(
                "pijlers",
                &p.id,
                format!("pijler id `{}` is used twice", p.id),
            ));
        }
    }
    let pijler_ids: Vec<&str> = data.pijlers.iter().map(|p| p.id.as_str()).collect();
    let mut seen = std::collections::HashSet::new();
    for t in &data.themagroepen {
        if !seen.insert(t.id.clone()) {
            errors.push(locate_again(
                "themagroepen",
                &t.id,
                format!("themagroep id `{}` is used twice", t.id),
            ));
        }
        if let Some(p) = &t.pijler {
            if !pijler_ids.contains(&p.as_str()) {
                errors.push(
                    locate(
                        "themagroepen",
                        &format!("pijler: {p}"),
                        format!("themagroep `{}` names unknown pijler `{p}`", t.id),
                    )
                    .hint(suggest(p, &pijler_ids, "pijlers")),
                );
            }
        }
    }
    for t in &data.themagroepen {
        for a in &t.aliases {
            if data.themagroepen.iter().any(|o| &o.id == a) {
                errors.push(locate(
                    "themagroepen",
                    a,
                    format!("alias `{a}` of `{}` is also a themagroep id", t.id),
                ));
            }
        }
    }
    errors
}

/// Two outputs may never claim the same file: the second would silently
/// overwrite the first (or, written at once, tear it).
fn check_url_collisions(site: &Site) -> Vec<Diagnostic> {
    collisions(&output_claims(site))
}

/// Every file the site puts in the output folder, apart from the theme's
/// static files (see [`crate::render::Renderer`]), with who writes it:
/// output path -> writers. One writer each is the rule ([`collisions`]).
pub fn output_claims(site: &Site) -> Claims {
    let mut owners = Claims::new();
    let base_path = site.base_path.clone();
    let mut claim = |url: &str, by: String| {
        owners
            .entry(crate::render::output_path(url, &base_path))
            .or_insert_with(|| (url.to_string(), Vec::new()))
            .1
            .push(by)
    };
    for p in &site.pages {
        claim(&p.url, format!("content/{}", p.source));
        if let Some(pdf) = &p.pdf_url {
            claim(pdf, format!("PDF of content/{}", p.source));
        }
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
    // Overviews exist only for a taxonomy with entries (as rendered).
    for (prefix, taxa, what) in [
        (PIJLERS_PATH, &site.pijlers, "pijlers"),
        (THEMAGROEPEN_PATH, &site.themagroepen, "themagroepen"),
    ] {
        for t in taxa {
            claim(&t.url, format!("generated page for `{}`", t.id));
        }
        if !taxa.is_empty() {
            claim(&site.url(prefix), format!("generated overview of {what}"));
        }
    }
    let search = site.url(crate::render::search::SEARCH_PATH);
    claim(&search, "the search page".into());
    claim(&format!("{search}index.json"), "the search index".into());
    for (file, what) in [
        ("/404.html", "the generated 404 page"),
        ("/sitemap.xml", "the generated sitemap"),
        ("/robots.txt", "the generated robots.txt"),
        ("/.g40site-output", "the output folder's marker"),
    ] {
        claim(&site.url(file), what.into());
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
pub type Claims = BTreeMap<String, (String, Vec<String>)>;

/// The error for every output path with more than one writer, and for a
/// path that one writer needs as a file and another as a folder.
pub fn collisions(owners: &Claims) -> Vec<Diagnostic> {
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
pub const THEME_WRITER: &str = "theme file ";
