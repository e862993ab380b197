//! The pipeline: load, parse, assemble, render and write, run in order.
//!
//! [`build`] is `g40site build`; [`render_site`] builds in memory (for
//! `check` and tests); a [`Builder`] keeps the last site between rebuilds
//! for `serve`, taking the fast path when only a page's body changed.
//! Every stage reports all its problems; they are sorted here, once.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::incremental::{Fingerprints, Incremental};
use crate::render::{Output, RenderOptions, Renderer};
use crate::site::{AssembleOptions, AssemblyCache, Site};
use crate::{config, dates, diagnostics, output, pdf, render, site, source, theme};

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Replace `base_url` from site.yaml (e.g. for a preview deployment).
    pub base_url: Option<String>,
    /// Output folder; default: `output` in site.yaml, else `<root>/output`.
    pub output: Option<PathBuf>,
    /// Serve mode: add the live-reload script.
    pub live_reload: bool,
    /// Today's date, to list upcoming networkdays first. `None` (the
    /// default for library use and tests): no notion of today, so the
    /// output does not depend on the day of the build. The CLI passes
    /// `--today`, else `SOURCE_DATE_EPOCH`, else the clock.
    pub today: Option<dates::Date>,
    /// Print each stage as it finishes, with its time, on standard error
    /// (the CLI, unless `--quiet`).
    pub progress: bool,
    /// Also print every print page to PDF with Chromium (`build --pdf`).
    pub pdf: bool,
    /// The Chromium to print with; default: the first of `chromium`,
    /// `chromium-browser`, `google-chrome` on `PATH`.
    pub chromium: Option<PathBuf>,
    /// Replace an output folder that g40site did not make (one that is not
    /// empty and has no [`output::MARKER`]). The other rules of
    /// [`output::check_output_dir`] still hold.
    pub force: bool,
}

/// Stage-by-stage progress for long builds: what was done and how long it took.
struct Progress {
    enabled: bool,
    since: Instant,
}

impl Progress {
    fn new(enabled: bool) -> Progress {
        Progress {
            enabled,
            since: Instant::now(),
        }
    }

    fn stage(&mut self, what: std::fmt::Arguments) {
        if self.enabled {
            // Paths in it come from the command line or site.yaml.
            let what = diagnostics::printable(&what.to_string());
            eprintln!("  {what} in {} ms", self.since.elapsed().as_millis());
        }
        self.since = Instant::now();
    }
}

/// The result of a successful build.
#[derive(Debug)]
pub struct BuildSummary {
    /// The folder the site was written to.
    pub output_dir: PathBuf,
    /// Pages rendered (of every kind).
    pub pages: usize,
    /// Files written, pages included.
    pub files: usize,
    /// PDFs printed (`build --pdf`).
    pub pdfs: usize,
    /// How long the build took.
    pub elapsed: Duration,
    /// Problems that did not fail the build.
    pub warnings: Vec<Diagnostic>,
    /// Resized copies of images made by this build.
    pub images_resized: usize,
    /// Resized copies read back from the cache (`.g40site-cache/`).
    pub images_cached: usize,
}

/// Build the site in `root` in memory: every file of the output, sorted by
/// path, and nothing written. What `build` would write, for tests and
/// tools.
pub fn build_in_memory(root: &Path, opts: &BuildOptions) -> Result<Vec<Output>, Diagnostics> {
    render_site(root, opts).map(|(_, outputs)| outputs)
}

/// Load, parse, assemble and render the site in `root`, in memory.
/// Nothing is written. Used by tests and tools.
pub(crate) fn render_site(
    root: &Path,
    opts: &BuildOptions,
) -> Result<(Site, Vec<Output>), Diagnostics> {
    render_site_with(root, opts).map(|(site, _, outputs)| (site, outputs))
}

/// [`render_site`] without the search index (`check`).
pub(crate) fn render_site_but_search_index(
    root: &Path,
    opts: &BuildOptions,
) -> Result<(Site, Vec<Output>), Diagnostics> {
    let mut builder = Builder::once(root, opts.clone());
    let outputs = builder.build_all_but_search_index()?;
    Ok((builder.take_site(), outputs))
}

/// [`render_site`], also returning the renderer (to render pages again,
/// e.g. a report's print page with the PDF's page numbers).
pub(crate) fn render_site_with(
    root: &Path,
    opts: &BuildOptions,
) -> Result<(Site, Renderer, Vec<Output>), Diagnostics> {
    let mut builder = Builder::once(root, opts.clone());
    let outputs = builder.build_all()?;
    let site = builder.take_site();
    let (_, renderer) = builder
        .renderer
        .take()
        .expect("a successful build keeps its templates");
    Ok((site, renderer, outputs))
}

/// The pipeline, run once (`build`, `check`) or kept warm between edits
/// (`serve`): it keeps the compiled templates until a theme file changes,
/// and the last good site, so that an edit to the text of one page renders
/// only that page again.
pub struct Builder {
    root: PathBuf,
    opts: BuildOptions,
    /// Fingerprint of the theme's files and the templates compiled from them.
    renderer: Option<(u64, Renderer)>,
    /// The last site that built without errors.
    last: Option<Site>,
    /// Parsed files and built pages, kept for the next assembly (`serve`).
    cache: Option<AssemblyCache>,
    /// The files read, kept for the next load (`serve`).
    reads: Option<source::ReadCache>,
    /// The files the watcher reported for this rebuild: always read.
    changed: Vec<PathBuf>,
    /// The files of the last site that built, with what each was rendered
    /// from (`serve`, after its first good build).
    rendered: Option<Fingerprints>,
}

/// How [`Builder::build_with`] renders.
enum Mode<'a> {
    /// Every file, kept in memory.
    Memory,
    /// Every file but the search index, kept in memory (`serve`'s first
    /// build: it serves the pages at once and makes the index when idle).
    MemoryIndexLater,
    /// Every file, handed to the sink as it is rendered.
    Sink(render::Sink<'a>),
    /// Only what changed since the last good build.
    Incremental,
}

/// What [`Builder::build_with`] rendered.
enum Built {
    Kept(Vec<Output>),
    Written(Vec<String>),
    Changed(Incremental),
}

/// What a rebuild produced.
#[derive(Debug)]
pub enum Rebuilt {
    /// The whole site, replacing everything.
    All(Vec<Output>),
    /// Only these files changed, and `removed` are gone; everything else
    /// is as it was.
    Changed {
        /// The files rendered again.
        changed: Vec<Output>,
        /// Paths of files the site no longer has.
        removed: Vec<String>,
    },
}

impl Builder {
    /// A builder for the site in `root` that is kept between edits
    /// (`serve`): it keeps what it parsed and built, so that a rebuild does
    /// only what the change needs. Nothing is built yet.
    pub fn new(root: &Path, opts: BuildOptions) -> Builder {
        Builder {
            cache: Some(AssemblyCache::default()),
            reads: Some(source::ReadCache::default()),
            ..Builder::once(root, opts)
        }
    }

    /// A builder for one build (`build`, `check`): it keeps nothing for
    /// a next one.
    fn once(root: &Path, opts: BuildOptions) -> Builder {
        Builder {
            root: root.to_path_buf(),
            opts,
            renderer: None,
            last: None,
            cache: None,
            reads: None,
            changed: Vec::new(),
            rendered: None,
        }
    }

    /// Run the whole pipeline. Collects the errors of independent stages
    /// together: a broken theme and a broken page are reported in one run.
    pub fn build_all(&mut self) -> Result<Vec<Output>, Diagnostics> {
        match self.build_with(Mode::Memory)? {
            Built::Kept(outputs) => Ok(outputs),
            Built::Written(_) | Built::Changed(_) => unreachable!("kept in memory"),
        }
    }

    /// [`Self::build_all`] without the search index, which
    /// [`Self::search_index`] makes afterwards: `serve` shows the site
    /// sooner and makes the index while the editor looks at it.
    pub fn build_all_but_search_index(&mut self) -> Result<Vec<Output>, Diagnostics> {
        match self.build_with(Mode::MemoryIndexLater)? {
            Built::Kept(outputs) => Ok(outputs),
            Built::Written(_) | Built::Changed(_) => unreachable!("kept in memory"),
        }
    }

    /// [`Self::build_all`], handing each file to `sink` as soon as it is
    /// rendered (see [`Renderer::render_into`]). Returns the files' paths.
    pub(crate) fn build_all_into(
        &mut self,
        sink: render::Sink,
    ) -> Result<Vec<String>, Diagnostics> {
        match self.build_with(Mode::Sink(sink))? {
            Built::Written(paths) => Ok(paths),
            Built::Kept(_) | Built::Changed(_) => unreachable!("written"),
        }
    }

    /// The site of the last build, which succeeded.
    fn take_site(&mut self) -> Site {
        self.last.take().expect("a successful build keeps its site")
    }

    /// What the last assembly parsed, built and reused (`serve`'s cache;
    /// all zero without one).
    pub fn cache_stats(&self) -> (usize, usize, usize) {
        let s = self.cache.as_ref().map(|c| c.stats).unwrap_or_default();
        (s.parsed, s.built, s.reused)
    }

    /// The pipeline: files kept in memory, written as they are rendered
    /// (only their paths returned), or only what changed rendered.
    fn build_with(&mut self, mode: Mode) -> Result<Built, Diagnostics> {
        // Set again only when this build succeeds: the fast path edits the
        // last site, which is no longer the site once a build failed.
        // Freeing a large site takes a while (`serve`: tens of thousands
        // of strings): another thread does it while this build runs.
        if let Some(last) = self.last.take() {
            std::thread::spawn(move || drop(last));
        }
        let mut progress = Progress::new(self.opts.progress);
        let mut config = config::SiteConfig::load(&self.root).map_err(Diagnostics)?;
        if let Some(url) = &self.opts.base_url {
            // Checked like site.yaml's (the command line checks it too).
            config::check_base_url(url).map_err(|(message, hint)| {
                let message = message.replacen("base_url", "--base-url", 1);
                Diagnostics::from(diagnostics::Diagnostic::new("--base-url", message).hint(hint))
            })?;
            config.base_url = url.clone();
        }
        let mut errors = Diagnostics::default();
        let theme = theme::Theme::load(&self.root, config.theme.as_deref());
        // The interface text in the site's language, and the taxonomy
        // labels the site leaves to it.
        if let Ok(theme) = &theme {
            match theme.strings(&self.root, &config) {
                Ok(ui) => {
                    config.taxonomies = config.taxonomies_config.resolve_in(&ui);
                    config.ui = ui;
                }
                Err(e) => errors.extend(e),
            }
        }
        let sources = source::load_with(&self.root, self.reads.as_mut(), &self.changed);
        if let Ok(s) = &sources {
            progress.stage(format_args!("read {} files", s.files.len()));
        }
        // The shortcode templates, compiled once for this build's pages;
        // problems with their argument lists fail the build with the rest.
        let shortcodes = match &theme {
            Ok(theme) => {
                let (shortcodes, e) = site::Shortcodes::from_theme(theme);
                errors.extend(e);
                shortcodes
            }
            Err(_) => site::Shortcodes::default(),
        };
        // Compile the templates only when a theme file changed.
        let renderer = theme.map(|theme| {
            let stamp = theme.fingerprint();
            match self.renderer.take() {
                Some((old, renderer)) if old == stamp => Ok((stamp, renderer)),
                _ => Renderer::new(theme).map(|r| (stamp, r)),
            }
        });
        let assemble_opts = AssembleOptions {
            drafts: self.opts.drafts,
            today: self.opts.today,
            pdf: self.opts.pdf,
            image_cache: Some(self.root.clone()),
        };
        let site = sources.map(|mut s| {
            // Unreadable files fail the build, together with every other error.
            let unreadable = std::mem::take(&mut s.errors);
            match site::assemble(config, s, &assemble_opts, &shortcodes, self.cache.as_mut()) {
                Ok(_) if !unreadable.is_empty() => Err(unreadable),
                Ok(site) => Ok(site),
                Err(mut e) => {
                    e.extend(unreadable);
                    Err(e)
                }
            }
        });
        if let Ok(Ok(s)) = &site {
            progress.stage(format_args!(
                "parsed and assembled {} documents",
                s.pages.len()
            ));
        }
        let renderer = match renderer {
            Ok(Ok(r)) => Some(r),
            Ok(Err(e)) | Err(e) => {
                errors.extend(e);
                None
            }
        };
        let site = match site {
            Ok(Ok(s)) => Some(s),
            Ok(Err(e)) | Err(e) => {
                errors.extend(e);
                None
            }
        };
        let ((stamp, mut renderer), site) = match (renderer, site) {
            (Some(r), Some(s)) if errors.is_empty() => (r, s),
            (r, _) => {
                // Keep good templates for the next attempt.
                self.renderer = r.or(self.renderer.take());
                return Err(errors.sorted());
            }
        };
        let render_opts = RenderOptions {
            live_reload: self.opts.live_reload,
        };
        // Everything site-wide that the site does not hold.
        let seed = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            stamp.hash(&mut h);
            format!("{assemble_opts:?}").hash(&mut h);
            h.finish()
        };
        let rendered = match (mode, &self.rendered) {
            (Mode::Sink(sink), _) => renderer
                .render_into(&site, &render_opts, sink)
                .map(Built::Written),
            (Mode::Incremental, Some(previous)) if self.cache.is_some() => renderer
                .render_incremental(&site, &render_opts, seed, previous)
                .map(Built::Changed),
            (Mode::MemoryIndexLater, _) => renderer
                .render_all_but_search_index(&site, &render_opts)
                .map(Built::Kept),
            (Mode::Memory | Mode::Incremental, _) => {
                renderer.render(&site, &render_opts).map(Built::Kept)
            }
        };
        self.renderer = Some((stamp, renderer));
        let mut rendered = rendered.map_err(|e| Diagnostics(e).sorted())?;
        match &mut rendered {
            Built::Written(paths) => {
                progress.stage(format_args!("rendered and wrote {} files", paths.len()))
            }
            Built::Kept(outputs) => {
                progress.stage(format_args!("rendered {} files", outputs.len()));
                if self.cache.is_some() {
                    self.rendered = Some(render::incremental::fingerprints_of(
                        &site,
                        &render_opts,
                        seed,
                        outputs.iter().map(|o| o.path.clone()),
                    ));
                }
            }
            Built::Changed(inc) => {
                progress.stage(format_args!(
                    "rendered {} files ({} from templates again)",
                    inc.changed.len(),
                    inc.templates_rendered
                ));
                self.rendered = Some(std::mem::take(&mut inc.fingerprints));
            }
        }
        self.last = Some(site);
        Ok(rendered)
    }

    /// The search index of the last good site. A body-only rebuild leaves
    /// it out (it reads every page); `serve` asks for it when idle, and
    /// gives up (`None`) when `cancel` is set by a new change.
    pub fn search_index(&self, cancel: &std::sync::atomic::AtomicBool) -> Option<Output> {
        render::search_index_unless(self.last.as_ref()?, cancel)
    }

    /// Rebuild after `changed` files (absolute or root-relative paths) were
    /// saved. A single Markdown file whose front matter did not change takes
    /// the fast path (see [`site::Site::update_body`]); anything else
    /// rebuilds the whole site, with the compiled templates reused.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt, Diagnostics> {
        if let [one] = changed
            && let Some(outputs) = self.try_body_only(one)?
        {
            return Ok(Rebuilt::Changed {
                changed: outputs,
                removed: Vec::new(),
            });
        }
        self.changed = changed
            .iter()
            .map(|p| match p.is_relative() {
                true => self.root.join(p),
                false => p.clone(),
            })
            .collect();
        let built = self.build_with(Mode::Incremental);
        self.changed.clear();
        match built? {
            Built::Kept(outputs) => Ok(Rebuilt::All(outputs)),
            Built::Changed(inc) => Ok(Rebuilt::Changed {
                changed: inc.changed,
                removed: inc.removed,
            }),
            Built::Written(_) => unreachable!("not written"),
        }
    }

    fn try_body_only(&mut self, path: &Path) -> Result<Option<Vec<Output>>, Diagnostics> {
        let rel_to_root = path.strip_prefix(&self.root).unwrap_or(path);
        let Ok(rel) = rel_to_root.strip_prefix("content") else {
            return Ok(None);
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let (Some(site), Some((_, renderer))) = (self.last.as_mut(), self.renderer.as_ref()) else {
            return Ok(None);
        };
        if !rel.ends_with(".md") || !site.front_matter.contains_key(&rel) {
            return Ok(None);
        }
        let shown = PathBuf::from("content").join(&rel);
        let Ok(bytes) = std::fs::read(self.root.join(rel_to_root)) else {
            return Ok(None);
        };
        // This path reads the file itself: whatever comes of it, the
        // read cache no longer holds what the file says.
        if let Some(reads) = self.reads.as_mut() {
            reads.forget(&rel);
        }
        let text = source::decode_text(&shown, bytes).map_err(Diagnostics::from)?;
        let file = source::SourceFile {
            path: shown,
            rel,
            kind: source::SourceKind::Markdown,
            text: text.into(),
            bytes: Vec::new(),
        };
        match site.update_body(&file) {
            site::BodyUpdate::NotApplicable => Ok(None),
            site::BodyUpdate::Failed(errors) => {
                // The site was not changed; the next full build starts clean.
                self.last = None;
                Err(Diagnostics(errors).sorted())
            }
            site::BodyUpdate::Updated { page, report } => {
                let render_opts = RenderOptions {
                    live_reload: self.opts.live_reload,
                };
                let outputs = renderer
                    .render_changed(site, page, report, &render_opts)
                    .map_err(|e| Diagnostics(e).sorted())?;
                // The caches no longer describe this page: the next
                // assembly builds it again, and what was rendered here is
                // rendered again then.
                if let Some(cache) = self.cache.as_mut() {
                    cache.forget(&site.pages[page].source);
                }
                if let Some(rendered) = self.rendered.as_mut() {
                    for o in &outputs {
                        rendered.insert(o.path.clone(), None);
                    }
                }
                Ok(Some(outputs))
            }
        }
    }
}

/// Build the site in `root` into its output folder. On any error the
/// previous output is left exactly as it was.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    let started = Instant::now();
    let (output_dir, real) = output_target(root, opts)?;
    // Locked from here until the new site is in place; leftovers of a
    // killed build are repaired first, so that even a build that then
    // fails leaves the last good site in place.
    let folder = output::OutputFolder::open(&real, opts.force, opts.progress)?;
    let mut summary = if opts.pdf {
        build_with_pdfs(root, opts, &folder)?
    } else {
        build_writing_while_rendering(root, opts, &folder)?
    };
    summary.output_dir = output_dir;
    summary.elapsed = started.elapsed();
    summary.warnings.extend(folder.warnings);
    Ok(summary)
}

/// [`build`] with PDFs: the site is rendered in memory, printed, and then
/// written.
fn build_with_pdfs(
    root: &Path,
    opts: &BuildOptions,
    folder: &output::OutputFolder,
) -> Result<BuildSummary, Diagnostics> {
    // Without a browser there is no point in rendering.
    let chromium = pdf::find_chromium(opts.chromium.as_deref()).map_err(Diagnostics::from)?;
    let (site, renderer, mut outputs) = render_site_with(root, opts)?;
    let mut progress = Progress::new(opts.progress);
    // PDFs are printed from the site in memory and join it before anything
    // is written: a failed print leaves the previous output as it was.
    let printed = pdf::export(&site, &renderer, &outputs, &chromium)?;
    let pdfs = printed.len();
    outputs.extend(printed);
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    progress.stage(format_args!("printed {pdfs} PDFs"));
    output::write_atomically(folder, &outputs)?;
    progress.stage(format_args!("wrote the output folder"));
    Ok(BuildSummary {
        output_dir: PathBuf::new(),
        pages: outputs.iter().filter(|o| o.path.ends_with(".html")).count(),
        files: outputs.len(),
        pdfs,
        elapsed: Duration::ZERO,
        images_resized: site.image_stats.resized,
        images_cached: site.image_stats.cached,
        warnings: site.warnings,
    })
}

/// [`build`] without PDFs: files are written into the staging folder as
/// they are rendered, and the folder is swapped in at the end. On any
/// error the staging folder is removed (when `staging` is dropped) and the
/// previous output stays as it was.
fn build_writing_while_rendering(
    root: &Path,
    opts: &BuildOptions,
    folder: &output::OutputFolder,
) -> Result<BuildSummary, Diagnostics> {
    let staging = folder.stage()?;
    let mut builder = Builder::once(root, opts.clone());
    let paths = builder.build_all_into(&|o| staging.write(o))?;
    let mut progress = Progress::new(opts.progress);
    let (warnings, stats) = match builder.last.as_mut() {
        Some(s) => (std::mem::take(&mut s.warnings), s.image_stats),
        None => Default::default(),
    };
    // Nothing more is needed from the site, and freeing it (every page's
    // text and HTML) takes a while on a large site: another thread does
    // it while the new site is checked and swapped in.
    std::thread::spawn(move || drop(builder));
    staging.commit()?;
    progress.stage(format_args!("swapped in the new site"));
    Ok(BuildSummary {
        output_dir: PathBuf::new(),
        pages: paths.iter().filter(|p| p.ends_with(".html")).count(),
        files: paths.len(),
        pdfs: 0,
        elapsed: Duration::ZERO,
        images_resized: stats.resized,
        images_cached: stats.cached,
        warnings,
    })
}

/// Where the build goes: `--output`, else `output:` in site.yaml, else `output/`.
pub fn output_dir(root: &Path, opts: &BuildOptions) -> Result<PathBuf, Diagnostics> {
    output_target(root, opts).map(|(shown, _)| shown)
}

/// [`output_dir`] as written and as checked by
/// [`output::check_output_dir`] (the real path, which the build uses).
fn output_target(root: &Path, opts: &BuildOptions) -> Result<(PathBuf, PathBuf), Diagnostics> {
    use output::OutputFrom;
    let (shown, from) = match &opts.output {
        Some(o) => (o.clone(), OutputFrom::CommandLine),
        None => match config::SiteConfig::load(root).map_err(Diagnostics)?.output {
            Some(o) => (o, OutputFrom::SiteYaml),
            None => (PathBuf::from("output"), OutputFrom::Default),
        },
    };
    let real = output::check_output_dir(root, &shown, from)?;
    let shown = match from {
        OutputFrom::CommandLine => shown,
        _ => root.join(shown),
    };
    Ok((shown, real))
}
