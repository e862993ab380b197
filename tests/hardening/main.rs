//! Hardening (issue 13): hostile sites and hostile clients. One module per
//! area.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/serve_bin.rs"]
mod serve_bin;

mod serve;
