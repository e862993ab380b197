//! Hardening tests (issue 13), one module per area.

#[path = "../common/mod.rs"]
mod common;

mod output;
