//! The fast suite: every integration test that needs no browser, no huge
//! input and no load, in one test binary (one link, one process, tests
//! run in parallel). One module per area; `cargo test --test suite NAME`
//! runs the tests whose path contains NAME (e.g. `programme::`).
//! docs/testing.md says how the suites are split.

#[path = "../common/mod.rs"]
mod common;

mod all_day_rooms;
mod build;
mod calendar_feed;
mod callouts;
mod check;
mod corpus;
mod errors;
mod escaping;
mod example_site;
mod fuzz_regressions;
mod images;
mod incremental;
mod language;
mod multiday;
mod news;
mod notes;
mod pdf_export;
mod pillar_colours;
mod programme;
mod redirects;
mod roles;
mod scaffold;
mod serve;
mod session_search;
mod shortcodes;
mod snapshots;
mod taxonomies;
mod theme;

/// The editor's real path (issue 12): the real binary, run in the site
/// folder with relative paths, files saved as editors save them, output
/// read back the way its consumer reads it.
mod editor_path {
    mod content;
    mod exports;
    mod pages;
    mod serve;
}

/// Hardening (issue 13): a site folder written by someone else cannot
/// reach outside the output folder or inject into the outputs or the
/// terminal. (Its resource limits are in the `limits` binary, its hostile
/// clients in `load`.)
mod hardening {
    mod exports;
    mod markup;
    mod output;
}
