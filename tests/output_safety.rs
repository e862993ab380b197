//! Output safety with the real binary: a build killed (SIGKILL) at any
//! moment leaves `output/` as the complete previous site or the complete
//! new one, never a mix and never missing; the next build cleans up what
//! the killed one left; files of earlier builds do not linger.
//!
//! A binary of its own: the kills land at fractions of a build's measured
//! time, which other tests building beside it would shift.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{Fixture, snapshot};

const PAGES: usize = 3000;

/// A site big enough that a build takes a while: `PAGES` pages in 30
/// sections, each page saying which `version` it is.
fn write_site(site: &Fixture, version: u32) {
    for s in 0..30 {
        site.write(
            &format!("content/deel{s}/_index.md"),
            &format!("---\ntitle: Deel {s}\n---\nVersie {version}.\n"),
        );
    }
    let body = "Een alinea met **nadruk**, een [link](https://example.nl) en wat tekst om de pagina wat body te geven.\n\n".repeat(8);
    for i in 0..PAGES {
        site.write(
            &format!("content/deel{}/pagina-{i}.md", i % 30),
            &format!("---\ntitle: Pagina {i}\nsummary: Versie {version}\n---\n## Versie {version}\n\n{body}"),
        );
    }
}

fn build(root: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_g40site"))
        .arg("build")
        .args(extra)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("g40site-"))
        .collect()
}

#[test]
fn killed_builds_leave_the_old_or_the_new_site_whole() {
    let site = Fixture::new();
    write_site(&site, 1);
    let started = Instant::now();
    let out = build(site.root(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full_build = started.elapsed();
    let old = snapshot(&site.out());
    assert!(old.len() > PAGES, "{} files", old.len());

    // The new version, built elsewhere once to know what it looks like.
    write_site(&site, 2);
    let reference = site.root().join("referentie");
    let out = build(site.root(), &["--output", "referentie"]);
    assert!(out.status.success());
    let new = snapshot(&reference);
    std::fs::remove_dir_all(&reference).unwrap();
    assert_ne!(old, new);

    // Kill at points spread over the whole build and past its end (a
    // loaded machine builds slower than the first build took).
    let mut killed_running = 0;
    let mut seen_new = false;
    for step in 1..=8u32 {
        let delay = full_build.mul_f64(f64::from(step) * 0.2);
        let mut child = Command::new(env!("CARGO_BIN_EXE_g40site"))
            .arg("build")
            .current_dir(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_running += 1;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let now = snapshot(&site.out());
        let is_old = now == old;
        let is_new = now == new;
        assert!(
            is_old || is_new,
            "killed after {delay:?}: output/ is neither the old nor the new site ({} files)",
            now.len()
        );
        seen_new |= is_new;
        if is_new {
            // Back to the old site for the next round.
            write_site(&site, 1);
            assert!(build(site.root(), &[]).status.success());
            assert!(snapshot(&site.out()) == old);
            write_site(&site, 2);
        }
    }
    eprintln!(
        "full build {full_build:?}; 8 kills, {killed_running} while building; new site seen after a kill: {seen_new}"
    );
    assert!(
        killed_running >= 5,
        "only {killed_running} builds were still running when killed"
    );

    // The next build completes and removes what the killed ones left.
    let out = build(site.root(), &[]);
    assert!(out.status.success());
    assert!(snapshot(&site.out()) == new);
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn stale_files_do_not_linger() {
    let site = Fixture::new()
        .file("content/weg.md", "---\ntitle: Weg\n---\n")
        .file("content/bijlage.pdf", "%PDF-1.4\n")
        .built();
    assert!(site.exists("weg/index.html") && site.exists("bijlage.pdf"));
    std::fs::write(site.out().join("handmatig.txt"), "door iemand neergezet").unwrap();
    std::fs::remove_file(site.root().join("content/weg.md")).unwrap();
    std::fs::remove_file(site.root().join("content/bijlage.pdf")).unwrap();
    let site = site.built();
    assert!(!site.exists("weg/index.html"));
    assert!(!site.exists("weg"));
    assert!(!site.exists("bijlage.pdf"));
    assert!(!site.exists("handmatig.txt"));
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn leftovers_of_a_killed_build_are_repaired() {
    // What a build killed between the two renames of the fallback swap
    // leaves: no output/, the previous site in a backup folder, a staging
    // folder. The next build restores nothing it does not need and ends
    // with a whole new site and no leftovers.
    let site = Fixture::new().built();
    let root = site.root();
    std::fs::rename(site.out(), root.join(".output.g40site-old-999999")).unwrap();
    // A staging folder holds the marker from the start.
    std::fs::create_dir_all(root.join(".output.g40site-new-999999/half")).unwrap();
    std::fs::write(
        root.join(".output.g40site-new-999999")
            .join(g40site::testing::MARKER),
        "",
    )
    .unwrap();
    // A failing build first: the last good site must come back whole.
    site.write("content/kapot.md", "---\ntitle: [\n---\n");
    assert!(site.build().is_err());
    assert!(site.exists("index.html"), "the backup was not restored");
    std::fs::remove_file(root.join("content/kapot.md")).unwrap();
    let site = site.built();
    assert!(site.exists("index.html"));
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn nothing_is_written_outside_the_output_folder() {
    // Slugs and template names cannot climb out (see errors.rs); here the
    // whole site folder is compared before and after a build.
    let site = Fixture::new().file(
        "content/over.md",
        "---\ntitle: Over\nslug: ../../weg\n---\n",
    );
    let before = snapshot(site.root());
    assert!(site.build().is_err());
    assert!(snapshot(site.root()) == before);
}

/// Pages are written into the staging folder while others still render.
/// A template that fails on one page of many must still leave the previous
/// site exactly as it was, and no staging folder behind.
#[test]
fn a_render_error_after_pages_were_written_leaves_the_previous_site() {
    let mut site = Fixture::new();
    for i in 0..200 {
        site = site.file(
            &format!("content/pagina-{i:03}.md"),
            &format!("---\ntitle: Pagina {i}\n---\nTekst {i}.\n"),
        );
    }
    let site = site.built();
    let before = snapshot(&site.out());
    // Only the last page (in every order) breaks the template.
    site.write(
        "templates/page.html",
        "{% if page.title == \"Pagina 199\" %}{{ page.bestaat_niet }}{% endif %}<p>{{ page.title }}</p>\n",
    );
    let errors = site.errors();
    assert!(
        errors.0.iter().any(|d| d.message.contains("pagina-199.md")),
        "{errors}"
    );
    assert!(
        snapshot(&site.out()) == before,
        "the previous output changed"
    );
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("g40site-"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

/// `build` writes files as they are rendered; `build_in_memory` keeps them in
/// memory (for `serve` and `check`). Both must give the same site: the
/// example site, which has every kind of document.
#[test]
fn written_site_equals_the_site_rendered_in_memory() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let opts = g40site::BuildOptions {
        output: Some(out.path().join("site")),
        ..Default::default()
    };
    g40site::build(root, &opts).unwrap();
    let mut on_disk = snapshot(&out.path().join("site"));
    // The marker is the one file that is not part of the site.
    on_disk.retain(|(p, _)| p != Path::new(g40site::testing::MARKER));
    let in_memory = g40site::build_in_memory(root, &opts).unwrap();
    let mut in_memory: Vec<(std::path::PathBuf, Vec<u8>)> = in_memory
        .into_iter()
        .map(|o| (std::path::PathBuf::from(o.path), o.bytes))
        .collect();
    in_memory.sort();
    assert!(on_disk.len() > 40, "{} files", on_disk.len());
    assert_eq!(on_disk.len(), in_memory.len());
    assert!(
        on_disk == in_memory,
        "the written site differs from the rendered one"
    );
}
