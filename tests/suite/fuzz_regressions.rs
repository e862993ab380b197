//! Replays the inputs kept in `tests/fuzz_regressions/<target>/` through
//! the same functions the fuzz targets in `fuzz/` call
//! (`g40site::fuzzing::<target>`): crashes the fuzzers found (after the
//! fix) and hand-made inputs at the edges. Each must run without a panic.
//! To add one: copy `fuzz/artifacts/<target>/crash-*` into the folder.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    let failed: Vec<String> = files
        .iter()
        .filter(|f| {
            let data = std::fs::read(f).unwrap();
            catch_unwind(AssertUnwindSafe(|| run(&data))).is_err()
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(failed.is_empty(), "inputs that fail: {failed:#?}");
}

#[test]
fn frontmatter() {
    replay("frontmatter", g40site::fuzzing::frontmatter);
}

#[test]
fn times() {
    replay("times", g40site::fuzzing::times);
}

#[test]
fn grid() {
    replay("grid", g40site::fuzzing::grid);
}

#[test]
fn markdown() {
    replay("markdown", g40site::fuzzing::markdown);
}

#[test]
fn headings() {
    replay("headings", g40site::fuzzing::headings);
}
