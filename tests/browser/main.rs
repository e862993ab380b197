//! Tests that need headless Chromium (and, for some, poppler-utils, Node
//! with the packages of this folder, Java): accessibility and HTML
//! validity of the published pages, and the printed PDFs. Each test
//! skips with a reason when its tool is missing (fails under `CI=true`).
//! The Node tools: `npm ci --prefix tests/browser --ignore-scripts`.

#[path = "../common/mod.rs"]
mod common;

mod mijn_programma;
mod pdf;
mod programme_print;
mod publication;
mod roles_notes_print;
