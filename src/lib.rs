//! g40site: a static site generator for the G40 Stedennetwerk.
//!
//! The build is one pipeline of plain stages, each a module:
//!
//! ```text
//! site.yaml + content/ + themes/
//!   load      source.rs, config.rs, theme.rs  files and configuration, decoded
//!   parse     document/, markdown/            front matter, data, YAML documents
//!   assemble  site/                           URLs, ordering, references, HTML bodies
//!   render    render/                         Tera templates and exports, in memory
//!   write     output.rs                       staged folder, swapped in atomically
//! ```
//!
//! `pipeline.rs` runs them in order. `build` overlaps the last two: each
//! file goes into the staging folder as soon as a render worker has
//! rendered it; `serve` and `check` keep the rendered site in memory
//! instead. Every stage reports problems as [`Diagnostic`]s and keeps
//! going, so one build shows every error at once. docs/architecture.md
//! has the whole picture.
//!
//! The public API is what the command line (`main.rs`) needs: [`build`],
//! [`check`], [`serve`], [`init_site`] and [`new_document`], with their
//! options and results. [`fuzzing`] holds the fuzz targets' entry points;
//! [`testing`] what the test suite and the benchmarks reach inside for.

#![warn(missing_docs, unreachable_pub)]

mod check;
mod config;
mod dates;
mod diagnostics;
mod document;
pub mod fuzzing;
mod highlight;
mod hyphenate;
mod images;
#[cfg(test)]
mod layers;
mod markdown;
mod output;
mod pdf;
mod pipeline;
mod render;
mod scaffold;
mod serve;
mod site;
mod source;
mod static_server;
mod structured;
pub mod testing;
mod theme;
mod util;
mod yaml;

pub use check::{CheckSummary, check};
pub use dates::Date;
pub use diagnostics::{Diagnostic, Diagnostics, Severity, printable};
pub use pipeline::{BuildOptions, BuildSummary, build, build_in_memory, output_dir};
pub use render::Output;
pub use scaffold::{init_site, new_document};
pub use serve::{Running, ServeOptions, start as serve};
