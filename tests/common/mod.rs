//! Shared helpers for integration tests: small fixture sites written into
//! temporary folders, built with the library or the real binary.
#![allow(dead_code)]

pub mod browser;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use g40site::BuildOptions;
use g40site::diagnostics::Diagnostics;

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
        if let Err(e) = self.build() {
            panic!("build failed:\n{e}");
        }
        self
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
        self.read_raw(rel).replace('\u{AD}', "")
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
    pub fn serve(&self) -> g40site::serve::Running {
        g40site::serve::start(g40site::serve::ServeOptions {
            root: self.root().to_path_buf(),
            bind: "127.0.0.1".parse().unwrap(),
            port: 0,
            drafts: false,
            quiet: true,
            color: false,
        })
        .expect("server starts")
    }

    /// Run the real binary in the site folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_g40site"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run g40site")
    }
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
