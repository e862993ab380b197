//! Hardening (issue 13): a site folder written by someone else cannot
//! inject into the outputs or the terminal. One module per area.

#[path = "../common/mod.rs"]
mod common;

mod exports;
