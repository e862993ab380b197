//! The layer rule, checked: dependencies between the crate's modules only
//! point down (docs/architecture.md, DESIGN.md "Layers").
//!
//! This test reads every file under `src/`, finds each `crate::<module>`
//! it names in code (comments are not code), and fails when a module names
//! one of a higher layer, or when two modules of one layer name each other
//! in a circle. It runs with `cargo test --lib layers`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every top-level module and its layer: a module may use modules of its
/// own layer or below, never above. Adding a module means adding it here.
const LAYERS: &[(&str, u8)] = &[
    // The bottom: imports nothing of the crate.
    ("util", 0),
    // Load, and helpers every stage shares.
    ("dates", 1),
    ("hyphenate", 1),
    ("yaml", 1),
    ("diagnostics", 2),
    ("highlight", 3),
    ("images", 3),
    ("source", 3),
    ("config", 4),
    ("theme", 4),
    // Parse. `document` and `markdown` are one layer and do not know each
    // other (see FORBIDDEN).
    ("structured", 5),
    ("document", 5),
    ("markdown", 5),
    // Assemble.
    ("site", 6),
    // Render.
    ("render", 7),
    // Write, and the commands around the pipeline.
    ("output", 8),
    ("static_server", 8),
    ("pdf", 9),
    ("scaffold", 9),
    ("fuzzing", 9),
    // The pipeline run in order (`build`), and the commands that run it.
    ("pipeline", 10),
    ("serve", 11),
    ("check", 11),
    ("testing", 11),
    ("layers", 11),
];

/// Pairs of one layer that must not use each other at all.
const FORBIDDEN: &[(&str, &str)] = &[("document", "markdown"), ("markdown", "document")];

/// Module -> the crate modules its files name, with a file and line each.
fn uses(src: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.expect("src/ is readable");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src).expect("under src/");
        let first = rel.components().next().expect("a file");
        let module = first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        // The binary and the crate root use the library through its API.
        if module == "main" || module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("source is UTF-8");
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for used in named_modules(code) {
                if used != module {
                    out.entry(module.clone())
                        .or_default()
                        .entry(used)
                        .or_insert_with(|| format!("src/{}:{}", rel.display(), n + 1));
                }
            }
        }
    }
    out
}

/// The top-level modules a line of code names as `crate::x` or in
/// `crate::{x, y::z}`.
fn named_modules(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in line.match_indices("crate::") {
        let rest = &line[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        found.push(ident(&group[j..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.push(ident(rest));
        }
    }
    found.retain(|m| !m.is_empty() && m != "self");
    found
}

fn layer_of(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

#[test]
fn dependencies_only_point_down() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let uses = uses(&src);
    let mut problems = Vec::new();
    for (module, used) in &uses {
        let Some(own) = layer_of(module) else {
            problems.push(format!("module `{module}` has no layer in src/layers.rs"));
            continue;
        };
        for (other, at) in used {
            match layer_of(other) {
                None => problems.push(format!(
                    "{at}: `{module}` uses `{other}`, which has no layer"
                )),
                Some(l) if l > own => problems.push(format!(
                    "{at}: `{module}` (layer {own}) uses `{other}` (layer {l}), a higher layer"
                )),
                Some(_) if FORBIDDEN.contains(&(module.as_str(), other.as_str())) => {
                    problems.push(format!("{at}: `{module}` must not use `{other}`"))
                }
                Some(_) => {}
            }
        }
    }
    // Within one layer: no circles.
    for (module, used) in &uses {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = used.keys().map(String::as_str).collect();
        while let Some(m) = stack.pop() {
            if m == module {
                problems.push(format!("`{module}` is part of an import circle"));
                break;
            }
            if seen.insert(m)
                && let Some(next) = uses.get(m)
            {
                stack.extend(next.keys().map(String::as_str));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "layer rule broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_scanner_finds_grouped_and_plain_paths() {
    assert_eq!(
        named_modules("use crate::{site::{Page, Site}, render};"),
        ["site", "render"]
    );
    assert_eq!(
        named_modules("let x = crate::serve::percent_decode(s); crate::util::url::x()"),
        ["serve", "util"]
    );
    assert!(named_modules("let a = 1; // no path").is_empty());
}
