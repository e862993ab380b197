//! Hardening (issue 13): a site folder or a client written by someone
//! else cannot reach outside the output folder, inject into the outputs
//! or the terminal, or exhaust the machine. One module per area.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/serve_bin.rs"]
mod serve_bin;

mod exports;
mod limits;
mod markup;
mod output;
mod serve;
