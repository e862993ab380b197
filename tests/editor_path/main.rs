//! The editor's real path (issue 12): the built binary, run with the site
//! folder as its working directory and no absolute paths, files saved the
//! ways editors save them. One module per area.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/serve_bin.rs"]
mod serve_bin;

mod serve;
