//! The editor's real path (issue 12): the built binary run with the site
//! folder as its working directory, no absolute paths, output read back
//! the way its consumer reads it. One module per area.

#[path = "../common/mod.rs"]
mod common;

mod pdf;
