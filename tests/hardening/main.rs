//! Hardening tests (issue 13): hostile site folders, one module per area.

#[path = "../common/mod.rs"]
mod common;

mod limits;
mod markup;
