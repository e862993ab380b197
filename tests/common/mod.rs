//! Shared helpers for integration tests: small fixture sites written into
//! temporary folders, built with the library or the real binary, and
//! readers for what they produce. Included by every test binary with
//! `#[path = "../common/mod.rs"] mod common;`.
//!
//! A test writes its site with the chainable [`Fixture`] (`Fixture::new()`
//! for a minimal valid site, `Fixture::empty()` for none, then `.file(..)`),
//! builds it in memory ([`Fixture::render`]), into `output/`
//! ([`Fixture::build`], [`Fixture::build_ok`]) or with the real binary run
//! in the site folder ([`Fixture::run`], [`Fixture::run_ok`]), and reads
//! the output back ([`Fixture::read`]).
#![allow(dead_code)]

pub mod browser;
pub mod exports;
pub mod html;
pub mod images;
pub mod serve_bin;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use g40site::BuildOptions;
use g40site::{Diagnostic, Diagnostics};

/// A site in a temporary folder. Dropped with the test.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

pub const SITE_YAML: &str = "title: Testsite\nbase_url: https://example.nl\nmenu:\n  - { title: Jaarverslag, path: /jaarverslag/2023/ }\n";

pub const PIJLERS: &str =
    "- { id: sociaal, name: Pijler Sociaal }\n- { id: fysiek, name: Pijler Fysiek }\n";
pub const THEMAGROEPEN: &str = "- { id: woningmarkt, name: Woningmarkt, pijler: fysiek }\n- { id: armoede-schulden, name: Armoede en schulden, pijler: sociaal, aliases: [armoede] }\n";

impl Fixture {
    /// An empty folder.
    pub fn empty() -> Self {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A minimal valid site: site.yaml, a home page and the taxonomies.
    pub fn new() -> Self {
        Self::empty()
            .file("site.yaml", SITE_YAML)
            .file(
                "content/_index.md",
                "---\ntitle: Welkom\n---\nDe startpagina.\n",
            )
            .file("content/_data/pijlers.yaml", PIJLERS)
            .file("content/_data/themagroepen.yaml", THEMAGROEPEN)
    }

    /// Add (or replace) a file.
    pub fn file(self, rel: &str, text: &str) -> Self {
        self.write(rel, text);
        self
    }

    /// Add (or replace) a binary file (an image).
    pub fn bytes(self, rel: &str, data: &[u8]) -> Self {
        let path = self.dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, data).unwrap();
        self
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("output")
    }

    /// Build with the library into `output/`.
    pub fn build(&self) -> Result<g40site::BuildSummary, Diagnostics> {
        self.build_with(BuildOptions::default())
    }

    pub fn build_with(&self, opts: BuildOptions) -> Result<g40site::BuildSummary, Diagnostics> {
        g40site::build(self.root(), &opts)
    }

    /// Build, panicking with the rendered errors if it fails.
    pub fn built(self) -> Self {
        self.build_ok();
        self
    }

    /// Build into `output/`, panicking with the rendered errors if it
    /// fails; the output folder.
    pub fn build_ok(&self) -> PathBuf {
        self.build_ok_with(BuildOptions::default())
    }

    /// Build with `opts` (e.g. another output folder), panicking with the
    /// rendered errors if it fails; the output folder.
    pub fn build_ok_with(&self, opts: BuildOptions) -> PathBuf {
        match self.build_with(opts) {
            Ok(summary) => summary.output_dir,
            Err(e) => panic!("build failed:\n{e}"),
        }
    }

    /// Render in memory (nothing written): every output file by path, as
    /// its text reads (see [`Fixture::read`]).
    pub fn render(&self) -> Result<BTreeMap<String, String>, Diagnostics> {
        let outputs = g40site::build_in_memory(self.root(), &BuildOptions::default())?;
        Ok(outputs
            .into_iter()
            .map(|o| {
                (
                    o.path,
                    without_soft_hyphens(&String::from_utf8_lossy(&o.bytes)),
                )
            })
            .collect())
    }

    /// Render in memory and return the errors, panicking if it succeeds.
    pub fn render_errors(&self) -> Vec<Diagnostic> {
        match self.render() {
            Ok(_) => panic!("the build should fail"),
            Err(d) => d.0,
        }
    }

    /// Build and return the errors, panicking if it succeeds.
    pub fn errors(&self) -> Diagnostics {
        match self.build() {
            Ok(_) => panic!("build succeeded but errors were expected"),
            Err(e) => e,
        }
    }

    /// Read a built file as its text reads: without the soft hyphens
    /// (U+00AD, invisible unless a line breaks there) that long words in
    /// headings and table cells get. [`Fixture::read_raw`] keeps them.
    pub fn read(&self, rel: &str) -> String {
        read_text(&self.out(), rel)
    }

    /// Read a built file exactly as written.
    pub fn read_raw(&self, rel: &str) -> String {
        let path = self.out().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).exists()
    }

    /// Start `serve` on this site (127.0.0.1, a free port, quiet).
    pub fn serve(&self) -> g40site::Running {
        g40site::serve(g40site::ServeOptions {
            root: self.root().to_path_buf(),
            bind: "127.0.0.1".parse().unwrap(),
            port: 0,
            drafts: false,
            quiet: true,
            color: false,
        })
        .expect("server starts")
    }

    /// Run the real binary in the site folder, as an editor does (relative
    /// paths, no colours).
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_g40site"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run g40site")
    }

    /// Run the real binary in the site folder, panicking with what it
    /// printed if it fails.
    pub fn run_ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "g40site {} failed:\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }
}

/// `text` without the soft hyphens (U+00AD) that long words get.
fn without_soft_hyphens(text: &str) -> String {
    text.replace('\u{AD}', "")
}

/// The file `rel` under `dir` as its text reads: without soft hyphens.
pub fn read_text(dir: &Path, rel: &str) -> String {
    let path = dir.join(rel);
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    without_soft_hyphens(&text)
}

/// The part of `html` from the first `start` through the following `end`,
/// both included (e.g. one element: `span(html, "<table", "</table>")`).
pub fn span<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found in:\n{html}"));
    let rest = &html[i..];
    let j = rest
        .find(end)
        .unwrap_or_else(|| panic!("`{end}` not found after `{start}`"));
    &rest[..j + end.len()]
}

/// The text between `<main` and `</main>`: what the page itself shows.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    &html[start..end]
}

/// The 1-based number of the first line of `text` containing `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not found"))
        + 1
}

/// The one diagnostic in `errors`, asserting there is exactly one.
pub fn only(errors: &[Diagnostic]) -> &Diagnostic {
    assert_eq!(errors.len(), 1, "{errors:#?}");
    &errors[0]
}

/// The text between the first `start` and the following `end` in `html`.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found in:\n{html}"));
    let rest = &html[i + start.len()..];
    let j = rest
        .find(end)
        .unwrap_or_else(|| panic!("`{end}` not found after `{start}`"));
    &rest[..j]
}

/// Positions of each needle in `haystack`, asserting they appear in order.
pub fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut from = 0;
    for n in needles {
        match haystack[from..].find(n) {
            Some(i) => from += i + n.len(),
            None => panic!("`{n}` not found (in order) after position {from} in:\n{haystack}"),
        }
    }
}

/// Every file under `dir` with its bytes, sorted: to compare whole outputs.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// A minimal HTTP GET (HTTP/1.1, `Connection: close`): status and body.
pub fn http_get(addr: std::net::SocketAddr, path: &str) -> (u16, String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// A site with the example site's pillars and groups (as `themagroepen`),
/// a networkdays section, and `files` (paths relative to `content/`).
pub fn networkday_site(files: &[(&str, &str)]) -> Fixture {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = |name: &str| std::fs::read_to_string(root.join("content/_data").join(name)).unwrap();
    let site = Fixture::new()
        .file("content/_data/pijlers.yaml", &data("pijlers.yaml"))
        .file(
            "content/_data/themagroepen.yaml",
            &data("opgavegroepen.yaml"),
        )
        .file(
            "content/netwerkdagen/_index.md",
            "---\ntitle: Netwerkdagen\n---\n",
        );
    for (rel, text) in files {
        site.write(&format!("content/{rel}"), text);
    }
    site
}

/// What the binary printed for a failed build.
pub fn failed_build(site: &Fixture) -> String {
    let out = site.run(&["build"]);
    assert!(!out.status.success(), "the build should fail");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
