//! The write stage as an attacker would try it, with the real binary run
//! from the site folder: output folders that lead outside the site or into
//! its sources (by spelling or symbolic link), folders g40site did not
//! make, concurrent builds, two writers for one output path, and the
//! loading rules (taxonomy ids, themes, data files, file names).
//!
//! Every binary run gets `HOME` set to a folder of the test, so the real
//! home folder is never in reach.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{PIJLERS, SITE_YAML, THEMAGROEPEN, snapshot};

/// A temporary folder holding a site (`site/`), a home folder (`home/`)
/// and whatever else a test puts next to them.
struct World {
    base: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        let w = World {
            base: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(w.home()).unwrap();
        w.write("site/site.yaml", SITE_YAML);
        w.write(
            "site/content/_index.md",
            "---\ntitle: Welkom\n---\nDe startpagina.\n",
        );
        w.write("site/content/_data/pijlers.yaml", PIJLERS);
        w.write("site/content/_data/themagroepen.yaml", THEMAGROEPEN);
        w.write(
            "site/content/jaarverslag/_index.md",
            "---\ntitle: Jaarverslag\n---\nHet jaarverslag.\n",
        );
        w
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.base.path().join(rel)
    }

    fn site(&self) -> PathBuf {
        self.path("site")
    }

    fn home(&self) -> PathBuf {
        self.path("home")
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn symlink(&self, target: &str, link: &str) {
        std::os::unix::fs::symlink(target, self.path(link)).unwrap();
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_g40site"));
        c.arg("build")
            .args(args)
            .current_dir(self.site())
            .env("HOME", self.home())
            .env("NO_COLOR", "1");
        c
    }

    /// `g40site build ARGS` in the site folder.
    fn build(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Every file in the test's folder, with its bytes.
    fn everything(&self) -> Vec<(PathBuf, Vec<u8>)> {
        snapshot(self.base.path())
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The build must fail, say why, and change nothing anywhere.
fn assert_refused(w: &World, args: &[&str], expect: &str) -> String {
    let before = w.everything();
    let out = w.build(args);
    let err = stderr(&out);
    assert!(!out.status.success(), "build {args:?} succeeded:\n{err}");
    assert!(
        err.contains(expect),
        "build {args:?}: expected `{expect}` in:\n{err}"
    );
    assert!(
        w.everything() == before,
        "build {args:?} changed files although it was refused:\n{err}"
    );
    err
}

fn assert_built(w: &World, args: &[&str]) {
    let out = w.build(args);
    assert!(
        out.status.success(),
        "build {args:?} failed:\n{}",
        stderr(&out)
    );
}

// ---- High 1: the output folder can never be outside the site's control ----

#[test]
fn output_in_site_yaml_must_stay_inside_the_site() {
    let w = World::new();
    w.write("data/rapport.txt", "bewaren");
    let data = w.path("data");
    let cases = [
        // An absolute path.
        format!("output: {}\n", data.display()),
        // Climbing out.
        "output: ../data\n".to_string(),
        "output: uit/../../data\n".to_string(),
    ];
    for case in &cases {
        w.write("site/site.yaml", &format!("{SITE_YAML}{case}"));
        let err = assert_refused(&w, &[], "refusing to use");
        // Located at the `output:` line of site.yaml.
        assert!(err.contains("site.yaml:5:1"), "{case}: {err}");
    }
    // Through a committed symbolic link.
    w.symlink("../data", "site/pub");
    w.write("site/site.yaml", &format!("{SITE_YAML}output: pub/jaar\n"));
    w.write("data/jaar/index.html", "van iemand anders");
    let err = assert_refused(&w, &[], "not inside the site folder");
    assert!(err.contains("leads to"), "{err}");
    // Also the default `output/` as a link out of the site.
    w.write("site/site.yaml", SITE_YAML);
    w.symlink("../data", "site/output");
    assert_refused(&w, &[], "not inside the site folder");
    // A folder inside the site is fine, and builds again and again.
    std::fs::remove_file(w.path("site/output")).unwrap();
    w.write(
        "site/site.yaml",
        &format!("{SITE_YAML}output: publiek/site\n"),
    );
    assert_built(&w, &[]);
    assert_built(&w, &[]);
    assert!(w.path("site/publiek/site/jaarverslag/index.html").is_file());
    assert_eq!(
        std::fs::read_to_string(w.path("data/rapport.txt")).unwrap(),
        "bewaren"
    );
}

#[test]
fn output_on_the_command_line_never_reaches_sources_site_or_home() {
    let w = World::new();
    w.write("site/templates/page.html", "{{ page.title }}\n");
    w.write("home/notities.txt", "van de gebruiker");
    w.symlink("content", "site/lnk");
    w.symlink("../home", "site/thuis");
    w.symlink(".", "site/hier");
    for (arg, why) in [
        ("lnk/jaarverslag", "inside content/"),
        ("content", "inside content/"),
        ("./content/../content/jaarverslag", "inside content/"),
        ("templates", "inside templates/"),
        ("hier", "is the site folder"),
        (".", "is the site folder"),
        ("..", "contains the site folder"),
        ("../home", "is your home folder"),
        ("thuis", "is your home folder"),
        ("../..", "contains"),
    ] {
        assert_refused(&w, &["--output", arg], why);
    }
    // Elsewhere is allowed: a new folder next to the site.
    assert_built(&w, &["--output", "../elders"]);
    assert!(w.path("elders/index.html").is_file());
    assert!(w.path("elders/.g40site-output").is_file());
    assert_built(&w, &["--output", "../elders"]);
}

#[test]
fn a_folder_g40site_did_not_make_is_only_replaced_with_force() {
    let w = World::new();
    w.write("mijn-map/belangrijk.txt", "niet weggooien");
    let err = assert_refused(&w, &["--output", "../mijn-map"], "g40site did not make it");
    assert!(err.contains("--force"), "{err}");
    // An output folder of a g40site from before the marker: the same.
    w.write("site/output/index.html", "oude build");
    assert_refused(&w, &[], "g40site did not make it");
    // --force replaces it once; from then on it carries the marker.
    assert_built(&w, &["--force"]);
    assert!(w.path("site/output/.g40site-output").is_file());
    assert_built(&w, &[]);
    assert_built(&w, &["--output", "../mijn-map", "--force"]);
    assert!(!w.path("mijn-map/belangrijk.txt").exists());
    assert!(w.path("mijn-map/index.html").is_file());
    assert_built(&w, &["--output", "../mijn-map"]);
    // --force does not lift the other rules.
    assert_refused(&w, &["--output", "content", "--force"], "inside content/");
    assert_refused(&w, &["--output", "../home", "--force"], "home folder");
    // An empty folder (just made by someone) needs no --force.
    std::fs::create_dir(w.path("leeg")).unwrap();
    assert_built(&w, &["--output", "../leeg"]);
}

#[test]
fn leftovers_that_g40site_did_not_make_are_left_alone() {
    let w = World::new();
    assert_built(&w, &[]);
    // Named like a staging folder, but holding someone's files; and a link
    // with a leftover's name pointing at a folder outside.
    w.write("site/.output.g40site-new-1/eigen.txt", "van mij");
    w.write("buiten/bestand.txt", "buiten de site");
    w.symlink("../buiten", "site/.output.g40site-old-2");
    let out = w.build(&[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("left alone"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(w.path("site/.output.g40site-new-1/eigen.txt")).unwrap(),
        "van mij"
    );
    assert!(w.path("buiten/bestand.txt").is_file());
}

// ---- High 3: concurrent builds ----

const PAGES: usize = 3000;

/// `PAGES` pages in 30 sections: a build takes a few seconds.
fn big_site(w: &World) {
    let body = "Een alinea met **nadruk** en een [link](https://example.nl).\n\n".repeat(8);
    for s in 0..30 {
        w.write(
            &format!("site/content/deel{s}/_index.md"),
            &format!("---\ntitle: Deel {s}\n---\n"),
        );
    }
    for i in 0..PAGES {
        w.write(
            &format!("site/content/deel{}/pagina-{i}.md", i % 30),
            &format!("---\ntitle: Pagina {i}\n---\n## Kop\n\n{body}"),
        );
    }
}

fn staging_folders(site: &Path) -> Vec<String> {
    std::fs::read_dir(site)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output.g40site-"))
        .collect()
}

/// Wait until a build's staging folder holds at least `files` files.
fn wait_for_staging(site: &Path, files: usize) -> PathBuf {
    let t = Instant::now();
    loop {
        assert!(
            t.elapsed() < Duration::from_secs(120),
            "no staging folder with {files} files appeared"
        );
        if let Some(name) = staging_folders(site).first() {
            let staging = site.join(name);
            let n = walkdir::WalkDir::new(&staging)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .count();
            if n >= files {
                return staging;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_second_build_waits_for_the_first_and_neither_tears_the_output() {
    let w = World::new();
    big_site(&w);
    assert_built(&w, &["--output", "../referentie"]);
    let mut reference = snapshot(&w.path("referentie"));
    assert!(reference.len() > PAGES, "{} files", reference.len());
    reference.sort();

    let first = w.command(&[]).stderr(Stdio::piped()).spawn().unwrap();
    // The first build is writing (its staging folder holds a third of the
    // site) when the second starts.
    wait_for_staging(&w.site(), PAGES / 3);
    let second = w.command(&[]).stderr(Stdio::piped()).spawn().unwrap();
    let first = first.wait_with_output().unwrap();
    // What the first build left, at once: the second is still waiting or
    // building, so this is the first build's site.
    let after_first = snapshot(&w.site().join("output"));
    let second = second.wait_with_output().unwrap();
    assert!(first.status.success(), "first: {}", stderr(&first));
    assert!(second.status.success(), "second: {}", stderr(&second));
    assert_eq!(
        after_first.len(),
        reference.len(),
        "the first build swapped in {} of {} files",
        after_first.len(),
        reference.len()
    );
    assert!(
        after_first == reference,
        "the first build's site is not whole"
    );
    assert!(snapshot(&w.site().join("output")) == reference);
    assert_eq!(staging_folders(&w.site()), Vec::<String>::new());
    assert!(
        stderr(&second).contains("Waiting for another g40site build"),
        "second: {}",
        stderr(&second)
    );
}

#[test]
fn a_staging_folder_that_lost_files_is_never_swapped_in() {
    let w = World::new();
    big_site(&w);
    assert_built(&w, &[]);
    let before = snapshot(&w.site().join("output"));
    w.write(
        "site/content/deel0/pagina-0.md",
        "---\ntitle: Nieuw\n---\nNieuw.\n",
    );
    let build = w.command(&[]).stderr(Stdio::piped()).spawn().unwrap();
    // Another program (an old g40site, a clean-up job) removes the folder
    // while the build writes into it.
    let staging = wait_for_staging(&w.site(), 100);
    let _ = std::fs::remove_dir_all(&staging);
    let out = build.wait_with_output().unwrap();
    assert!(!out.status.success(), "a torn staging folder was committed");
    assert!(stderr(&out).contains("staging folder"), "{}", stderr(&out));
    assert!(snapshot(&w.site().join("output")) == before);
}

// ---- Medium 5: every output path has exactly one writer ----

#[test]
fn content_files_never_replace_generated_or_theme_files() {
    let w = World::new();
    w.write("site/content/a.md", "---\ntitle: A\n---\nPagina A.\n");
    assert_built(&w, &[]);
    for (file, writers) in [
        ("404.html", "the generated 404 page"),
        ("index.html", "content/_index.md"),
        ("a/index.html", "content/a.md"),
        (
            "style.css",
            "theme file <embedded theme g40>/static/style.css",
        ),
        (
            "zoeken.js",
            "theme file <embedded theme g40>/static/zoeken.js",
        ),
        ("zoeken/index.json", "the search index"),
        ("sitemap.xml", "the generated sitemap"),
        // A file where a page needs a folder.
        ("pijlers", "generated overview of pijlers"),
    ] {
        let rel = format!("site/content/{file}");
        w.write(&rel, "door een redacteur neergezet\n");
        let err = assert_refused(&w, &[], &format!("content/{file}"));
        assert!(err.contains(writers), "{file}: {err}");
        std::fs::remove_file(w.path(&rel)).unwrap();
    }
    // The site's own static/ still replaces a theme file (one writer).
    w.write("site/static/style.css", "body { color: black }\n");
    assert_built(&w, &[]);
    assert_eq!(
        std::fs::read_to_string(w.path("site/output/style.css")).unwrap(),
        "body { color: black }\n"
    );
}

// ---- Low: loading ----

/// The build fails, and the error is at `file:line`.
fn assert_error_at(w: &World, at: &str, message: &str) -> String {
    let out = w.build(&[]);
    let err = stderr(&out);
    assert!(
        !out.status.success(),
        "build succeeded, expected {message}:\n{err}"
    );
    assert!(err.contains(at), "expected the error at {at}:\n{err}");
    assert!(err.contains(message), "expected `{message}`:\n{err}");
    err
}

#[test]
fn taxonomy_ids_are_validated_like_slugs() {
    let w = World::new();
    for bad in ["../../escape", "index.html", "''", ".", "Hoofd Letters"] {
        w.write(
            "site/content/_data/pijlers.yaml",
            &format!("- {{ id: sociaal, name: Sociaal }}\n- id: {bad}\n  name: Fout\n"),
        );
        assert_error_at(&w, "content/_data/pijlers.yaml:2:", "is not a valid id");
    }
    w.write("site/content/_data/pijlers.yaml", PIJLERS);
    w.write(
        "site/content/_data/themagroepen.yaml",
        "- { id: wonen, name: Wonen }\n- { id: ../../weg, name: Weg }\n",
    );
    assert_error_at(
        &w,
        "content/_data/themagroepen.yaml:2:",
        "is not a valid id",
    );
    assert!(!w.path("weg").exists() && !w.path("site/weg").exists());
}

#[test]
fn themes_come_only_from_the_themes_folder() {
    let w = World::new();
    w.write("buiten/templates/page.html", "GESTOLEN {{ page.title }}\n");
    w.write("buiten/static/geheim.txt", "uit een andere map\n");
    for theme in [
        "../buiten",
        "../../buiten",
        &w.path("buiten").display().to_string(),
    ] {
        w.write("site/site.yaml", &format!("{SITE_YAML}theme: {theme}\n"));
        assert_error_at(
            &w,
            "site.yaml:5:1",
            "is not the name of a folder in themes/",
        );
    }
    // A link in themes/ that leads out of the site.
    std::fs::create_dir_all(w.path("site/themes")).unwrap();
    w.symlink("../../buiten", "site/themes/extern");
    w.write("site/site.yaml", &format!("{SITE_YAML}theme: extern\n"));
    assert_error_at(&w, "themes/extern", "symbolic link");
    // The site's own static/ as a link out of the site.
    w.write("site/site.yaml", SITE_YAML);
    w.symlink("../buiten/static", "site/static");
    assert_error_at(&w, "static", "symbolic link");
    assert!(!w.path("site/output/geheim.txt").exists());
}

#[test]
fn long_session_titles_give_file_names_that_fit() {
    let w = World::new();
    let title = "Lange titel ".repeat(22); // 264 characters
    w.write(
        "site/content/netwerkdagen/dag.yaml",
        &format!(
            "kind: programme\ntitle: Netwerkdag\ndate: 2023-02-10\ncity: Teststad\nrooms:\n  - {{ id: zaal1, name: Zaal 1 }}\nsessions:\n  - time: 10.00-11.00\n    title: {title}\n    room: zaal1\n  - time: 11.00-12.00\n    title: {title}\n    room: zaal1\n"
        ),
    );
    assert_built(&w, &[]);
    let names: Vec<String> = walkdir::WalkDir::new(w.path("site/output/netwerkdagen"))
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ics") && n.starts_with("lange-titel"))
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    for n in names {
        assert!(n.len() <= 110, "{} bytes: {n}", n.len());
    }
}

#[test]
fn two_data_files_with_one_name_are_an_error() {
    let w = World::new();
    w.write("site/content/_data/steden.yaml", "- { name: Almere }\n");
    w.write("site/content/_data/steden.yml", "- { name: Zwolle }\n");
    let err = assert_error_at(&w, "content/_data/steden.yml:1:1", "are both `data.steden`");
    assert!(err.contains("content/_data/steden.yaml"), "{err}");
}

#[test]
fn every_error_is_shown_when_files_are_not_utf8() {
    let w = World::new();
    std::fs::write(
        w.path("site/content/een.md"),
        b"---\ntitle: Een\n---\nfout \xff\n",
    )
    .unwrap();
    std::fs::write(
        w.path("site/content/twee.md"),
        b"---\ntitle: Twee\n---\n\xfe\xfe\n",
    )
    .unwrap();
    w.write(
        "site/content/drie.md",
        "---\ntitle: Drie\npijler: bestaat-niet\n---\n",
    );
    let out = w.build(&[]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("content/een.md:4:6"), "{err}");
    assert!(err.contains("content/twee.md:4:1"), "{err}");
    assert!(err.contains("unknown pijler `bestaat-niet`"), "{err}");
    assert!(err.contains("3 errors"), "{err}");
}

// ---- Low: files in content/ that would run script on the site ----

#[test]
fn svg_and_html_files_with_script_are_refused() {
    let w = World::new();
    let plain = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n<rect width=\"10\" height=\"10\" fill=\"#c00\"/>\n<image href=\"data:image/png;base64,iVBORw0KGgo=\"/>\n</svg>\n";
    w.write("site/content/logo.svg", plain);
    w.write(
        "site/content/los.html",
        "<!doctype html>\n<title>Los</title>\n<p>Een losse pagina.</p>\n",
    );
    assert_built(&w, &[]);
    assert_eq!(
        std::fs::read_to_string(w.path("site/output/logo.svg")).unwrap(),
        plain
    );
    for (file, text, found) in [
        (
            "bijlage.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"\n  onload=\"alert(1)\"/>\n",
            "content/bijlage.svg:2:3",
        ),
        (
            "bijlage.svg",
            "<svg>\n<script>alert(1)</script></svg>\n",
            "content/bijlage.svg:2:1",
        ),
        (
            "bijlage.svg",
            "<svg><a href=\"&#106;avascript:alert(1)\"><text>x</text></a></svg>\n",
            "character references",
        ),
        (
            "bijlage.svg",
            "<svg><svg:script>alert(1)</svg:script></svg>\n",
            "content/bijlage.svg:1:",
        ),
        (
            "bijlage.svg",
            "<svg><foreignObject><p>x</p></foreignObject></svg>\n",
            "foreignObject",
        ),
        (
            "pagina.html",
            "<p>Hallo</p>\n<script>alert(1)</script>\n",
            "content/pagina.html:2:1",
        ),
        (
            "pagina.html",
            "<p>Hallo</p>\n<img src=x onerror=alert(1)>\n",
            "content/pagina.html:2:12",
        ),
    ] {
        let rel = format!("site/content/{file}");
        w.write(&rel, text);
        let err = assert_refused(&w, &[], found);
        assert!(err.contains("refusing to publish"), "{err}");
        assert!(err.contains("unsafe_html"), "{err}");
        std::fs::remove_file(w.path(&rel)).unwrap();
    }
    // A UTF-16 SVG cannot be checked.
    let utf16: Vec<u8> = "\u{feff}<svg><script>alert(1)</script></svg>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(w.path("site/content/bijlage.svg"), utf16).unwrap();
    assert_refused(&w, &[], "not UTF-8");
    // A site whose editors are all trusted may publish them.
    w.write("site/content/bijlage.svg", "<svg onload=\"alert(1)\"/>\n");
    w.write(
        "site/site.yaml",
        &format!("{SITE_YAML}markdown:\n  unsafe_html: true\n"),
    );
    assert_built(&w, &[]);
    assert_eq!(
        std::fs::read_to_string(w.path("site/output/bijlage.svg")).unwrap(),
        "<svg onload=\"alert(1)\"/>\n"
    );
}
