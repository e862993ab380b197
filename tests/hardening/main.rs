//! Hardening (issue 13): a site folder written by someone else cannot
//! reach outside its output folder, inject into the outputs or the
//! terminal, or exhaust the machine. One module per area.

#[path = "../common/mod.rs"]
mod common;

mod exports;
mod output;
