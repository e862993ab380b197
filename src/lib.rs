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
//! `build` overlaps the last two: each file goes into the staging folder
//! as soon as a render worker has rendered it ([`render::Sink`]); `serve`
//! and `check` keep the rendered site in memory instead.
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
pub mod hyphenate;
#[cfg(test)]
mod layers;
pub mod markdown;
pub mod output;
pub mod pdf;
mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod source;
pub mod static_server;
pub mod structured;
pub mod theme;
pub mod util;
pub mod yaml;

pub use pipeline::{
    BuildOptions, BuildSummary, Builder, Rebuilt, build, output_dir, render_site, render_site_with,
};
