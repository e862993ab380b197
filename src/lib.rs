//! g40site: a static site generator for the G40 Stedennetwerk.
//!
//! The build is one pipeline of plain stages, each a module:
//!
//! ```text
//! site.yaml + content/ + themes/
//!   load      source.rs, config.rs      files and configuration, decoded
//!   parse     document/, structured.rs  front matter, data, YAML documents
//!   assemble  site.rs, markdown.rs      URLs, ordering, references, HTML bodies
//!   render    render/, theme.rs         Tera templates and exports, in memory
//!   write     output.rs                 staged folder, swapped in atomically
//! ```
//!
//! Every stage reports problems as [`diagnostics::Diagnostic`]s and keeps
//! going, so one build shows every error at once. The binary (`main.rs`) is
//! only the command line around [`build`].

pub mod check;
pub mod config;
pub mod dates;
pub mod diagnostics;
pub mod document;
pub mod fuzzing;
pub mod highlight;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod source;
pub mod structured;
pub mod theme;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diagnostics::{Diagnostic, Diagnostics};
use render::{Output, RenderOptions, Renderer};
use site::{AssembleOptions, Site};

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
}

/// The result of a successful build.
#[derive(Debug)]
pub struct BuildSummary {
    pub output_dir: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
}

/// Load, parse, assemble and render the site in `root`, in memory.
/// Nothing is written. Used by `build`, and by `serve` and `check`.
pub fn render_site(root: &Path, opts: &BuildOptions) -> Result<(Site, Vec<Output>), Diagnostics> {
    let mut config = config::SiteConfig::load(root).map_err(Diagnostics)?;
    if let Some(url) = &opts.base_url {
        config.base_url = url.clone();
    }
    // Collect errors of independent stages together: a broken theme and a
    // broken page are both reported in one run.
    let mut errors = Diagnostics::default();
    let theme = theme::Theme::load(root, config.theme.as_deref());
    let sources = source::load(root);
    let (theme, sources) = match (theme, sources) {
        (Ok(t), Ok(s)) => (Some(t), Some(s)),
        (t, s) => {
            if let Err(e) = &t {
                errors.extend(e.clone());
            }
            if let Err(e) = &s {
                errors.extend(e.clone());
            }
            (t.ok(), s.ok())
        }
    };
    let renderer = theme.map(Renderer::new);
    let site = sources.map(|s| {
        site::assemble(
            config,
            s,
            &AssembleOptions {
                drafts: opts.drafts,
                today: opts.today,
            },
        )
    });
    let (mut renderer, site) = match (renderer, site) {
        (Some(Ok(r)), Some(Ok(s))) if errors.is_empty() => (r, s),
        (r, s) => {
            if let Some(Err(e)) = r {
                errors.extend(e);
            }
            if let Some(Err(e)) = s {
                errors.extend(e);
            }
            return Err(errors.sorted());
        }
    };
    let outputs = renderer
        .render(
            &site,
            &RenderOptions {
                live_reload: opts.live_reload,
            },
        )
        .map_err(|e| Diagnostics(e).sorted())?;
    Ok((site, outputs))
}

/// Build the site in `root` into its output folder. On any error the
/// previous output is left exactly as it was.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<BuildSummary, Diagnostics> {
    let started = Instant::now();
    let output_dir = output_dir(root, opts)?;
    output::check_output_dir(root, &output_dir)?;
    output::recover_interrupted(&output_dir);
    let (site, outputs) = render_site(root, opts)?;
    output::write_atomically(&output_dir, &outputs)?;
    Ok(BuildSummary {
        output_dir,
        pages: outputs.iter().filter(|o| o.path.ends_with(".html")).count(),
        files: outputs.len(),
        elapsed: started.elapsed(),
        warnings: site.warnings,
    })
}

/// Where the build goes: `--output`, else `output:` in site.yaml, else `output/`.
pub fn output_dir(root: &Path, opts: &BuildOptions) -> Result<PathBuf, Diagnostics> {
    if let Some(o) = &opts.output {
        return Ok(o.clone());
    }
    let config = config::SiteConfig::load(root).map_err(Diagnostics)?;
    Ok(root.join(config.output.unwrap_or_else(|| PathBuf::from("output"))))
}
