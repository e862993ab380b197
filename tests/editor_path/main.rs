//! The editor's real path (issue 12): the real binary, run in the site
//! folder with relative paths, files saved as editors save them, output
//! read back the way its consumer reads it. One module per area.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/serve_bin.rs"]
mod serve_bin;

mod content;
mod exports;
mod pdf;
mod serve;
