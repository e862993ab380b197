//! What the test suite, the fuzz regressions and the benchmarks reach
//! inside for: reading PDFs back, serving a folder over HTTP, the theme's
//! embedded files, colour contrast, the search index and soft hyphens
//! alone, and the warm
//! [`Builder`] behind `serve`.
//!
//! Not a stable API: it changes with the code it opens up.

pub use crate::highlight::{contrast, parse_hex};
pub use crate::hyphenate::html as hyphenate_page;
pub use crate::output::MARKER;
pub use crate::pdf::reader as pdf_reader;
pub use crate::pdf::{chromium_command, find_chromium, print_to_pdf};
pub use crate::pipeline::{Builder, Rebuilt};
pub use crate::site::urls::output_path;
pub use crate::static_server::StaticServer;
pub use crate::theme::EMBEDDED;

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::pipeline::{BuildOptions, render_site};
use crate::site::Site;

/// A site built in memory, for timing what one stage does with it.
pub struct BuiltSite(Site);

impl BuiltSite {
    /// Build the site in `root` with the default options.
    pub fn build(root: &Path) -> Result<BuiltSite, Diagnostics> {
        render_site(root, &BuildOptions::default()).map(|(site, _)| BuiltSite(site))
    }

    /// How many pages the site has.
    pub fn pages(&self) -> usize {
        self.0.pages.len()
    }

    /// The search index (`zoeken/index.json`), built again.
    pub fn search_index(&self) -> String {
        crate::render::search::index(&self.0)
    }
}
