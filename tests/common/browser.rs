//! Real browsers and real checkers, shared by the tests that need them:
//! headless Chromium (started the way `g40site::pdf` starts it), poppler's
//! `pdftotext`/`pdfinfo`, and, from `tests/browser/` (`npm ci --prefix
//! tests/browser`), axe-core driven through playwright-core and the W3C Nu
//! HTML Checker (`vnu-jar`, run with Java).
//!
//! Every finder returns `None` when its tool is missing, after printing
//! why the test is skipped, except when `CI=true`: there a missing tool
//! fails the test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use g40site::BuildOptions;

/// Running in CI, where nothing may be skipped.
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Skip (print why) or, in CI, fail.
pub fn missing(what: &str, how: &str) {
    if ci() {
        panic!("CI=true but {what} is missing: {how}");
    }
    eprintln!("skipped: {what} is missing ({how})");
}

/// A program on PATH, or `None` (skipped) / panic in CI.
pub fn tool(name: &str, package: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        missing(name, &format!("install the Debian package `{package}`"));
    }
    found
}

/// Chromium as the PDF export finds it.
pub fn chromium() -> Option<PathBuf> {
    match g40site::testing::find_chromium(None) {
        Ok(c) => Some(c),
        Err(_) => {
            missing("chromium", "install the Debian package `chromium`");
            None
        }
    }
}

/// Run headless Chromium with a fresh profile and `args`; at most two
/// minutes.
pub fn run_chromium(bin: &Path, args: &[String]) -> Output {
    let profile = tempfile::tempdir().unwrap();
    let mut child = g40site::testing::chromium_command(bin, profile.path())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().unwrap()
}

/// Print `url` (http or file) to a PDF at `pdf`, as `build --pdf` does.
pub fn print_pdf(bin: &Path, url: &str, pdf: &Path) -> Vec<u8> {
    let bytes = g40site::testing::print_to_pdf(bin, url).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(pdf, &bytes).unwrap();
    bytes
}

/// The example site of this repository, built into `out` with `opts`
/// (its output folder set to `out`).
pub fn build_example(out: &Path, opts: BuildOptions) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    g40site::build(
        root,
        &BuildOptions {
            output: Some(out.to_path_buf()),
            ..opts
        },
    )
    .unwrap_or_else(|e| panic!("the example site does not build:\n{e}"));
    out.to_path_buf()
}

/// poppler's `pdftotext` and `pdfinfo`.
pub struct Poppler {
    pdftotext: PathBuf,
    pdfinfo: PathBuf,
}

pub fn poppler() -> Option<Poppler> {
    Some(Poppler {
        pdftotext: tool("pdftotext", "poppler-utils")?,
        pdfinfo: tool("pdfinfo", "poppler-utils")?,
    })
}

impl Poppler {
    /// `pdfinfo`'s fields (`Pages`, `Page size`, `Tagged`, ...).
    pub fn info(&self, pdf: &Path) -> BTreeMap<String, String> {
        let out = Command::new(&self.pdfinfo).arg(pdf).output().unwrap();
        assert!(out.status.success(), "pdfinfo failed on {}", pdf.display());
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect()
    }

    /// The text of page `n` (1-based); `layout` keeps the page's layout.
    pub fn page_text(&self, pdf: &Path, n: usize, layout: bool) -> String {
        let mut cmd = Command::new(&self.pdftotext);
        cmd.args(["-f", &n.to_string(), "-l", &n.to_string()]);
        if layout {
            cmd.arg("-layout");
        }
        let out = cmd.arg(pdf).arg("-").output().unwrap();
        // As the text reads: Chromium keeps the (invisible) soft hyphens
        // of long words in the text layer.
        String::from_utf8_lossy(&out.stdout).replace('\u{AD}', "")
    }

    /// The text of each page, white space collapsed (lines wrap where the
    /// layout makes them). Asserts every page is A4.
    pub fn pages(&self, pdf: &Path) -> Vec<String> {
        let info = self.info(pdf);
        let size = info.get("Page size").cloned().unwrap_or_default();
        assert!(size.contains("(A4)"), "not A4: {size}");
        let count: usize = info["Pages"].parse().expect("page count");
        (1..=count)
            .map(|n| {
                self.page_text(pdf, n, false)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }
}

/// Node with the packages of `tests/browser/`, and Java for vnu.
pub struct Checkers {
    node: PathBuf,
    java: PathBuf,
    dir: PathBuf,
}

/// The checkers, or `None` (skipped) / panic in CI.
pub fn checkers() -> Option<Checkers> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let node = tool("node", "nodejs")?;
    let java = tool("java", "default-jre-headless")?;
    for package in ["axe-core", "playwright-core", "vnu-jar"] {
        if !dir.join("node_modules").join(package).is_dir() {
            missing(
                &format!("the npm package {package}"),
                "run `npm ci --prefix tests/browser --ignore-scripts`",
            );
            return None;
        }
    }
    Some(Checkers { node, java, dir })
}

/// One axe finding.
#[derive(Debug, Clone)]
pub struct Violation {
    pub url: String,
    pub media: String,
    pub rule: String,
    pub impact: String,
    pub help: String,
    /// CSS selectors and HTML of the elements.
    pub nodes: Vec<(String, String)>,
}

/// What axe said about a list of pages.
#[derive(Debug)]
pub struct AxeReport {
    pub axe_version: String,
    pub chromium_version: String,
    /// Pages × media checked.
    pub checks: usize,
    pub violations: Vec<Violation>,
    /// Rules axe could not decide ("needs review"), with how many checks
    /// (page × medium) reported each.
    pub incomplete: BTreeMap<String, usize>,
}

impl AxeReport {
    /// Rule ids found, sorted, once each.
    pub fn rules(&self) -> Vec<String> {
        let mut r: Vec<String> = self.violations.iter().map(|v| v.rule.clone()).collect();
        r.sort();
        r.dedup();
        r
    }

    pub fn describe(&self) -> String {
        self.violations
            .iter()
            .map(|v| {
                format!(
                    "{} [{}] {} ({}): {}\n{}",
                    v.url,
                    v.media,
                    v.rule,
                    v.impact,
                    v.help,
                    v.nodes
                        .iter()
                        .map(|(t, h)| format!("    {t}: {h}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// What the Nu HTML Checker said.
#[derive(Debug)]
pub struct VnuReport {
    pub version: String,
    /// (file, line, message, extract)
    pub errors: Vec<(String, u64, String, String)>,
}

impl VnuReport {
    pub fn describe(&self) -> String {
        self.errors
            .iter()
            .map(|(f, l, m, e)| format!("{f}:{l}: {m}\n    {e}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Checkers {
    /// Run axe-core (tags wcag2a, wcag2aa, wcag21a, wcag21aa) on each of
    /// `paths` under `origin`, in the screen and the print media.
    pub fn axe(&self, chromium: &Path, origin: &str, paths: &[String]) -> AxeReport {
        let mut args: Vec<&std::ffi::OsStr> = vec![chromium.as_os_str(), origin.as_ref()];
        args.extend(paths.iter().map(std::ffi::OsStr::new));
        let json = self.node_script("axe.mjs", &args);
        let results = json["results"].as_array().expect("results");
        let mut violations = Vec::new();
        let mut incomplete = BTreeMap::new();
        for r in results {
            for rule in r["incomplete"].as_array().into_iter().flatten() {
                *incomplete
                    .entry(rule.as_str().unwrap_or("").to_string())
                    .or_insert(0) += 1;
            }
            for v in r["violations"].as_array().unwrap() {
                violations.push(Violation {
                    url: r["url"].as_str().unwrap_or("").into(),
                    media: r["media"].as_str().unwrap_or("").into(),
                    rule: v["id"].as_str().unwrap_or("").into(),
                    impact: v["impact"].as_str().unwrap_or("").into(),
                    help: v["help"].as_str().unwrap_or("").into(),
                    nodes: v["nodes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|n| {
                            (
                                n["target"].as_str().unwrap_or("").into(),
                                n["html"].as_str().unwrap_or("").into(),
                            )
                        })
                        .collect(),
                });
            }
        }
        AxeReport {
            axe_version: json["axe"].as_str().unwrap_or("").into(),
            chromium_version: json["chromium"].as_str().unwrap_or("").into(),
            checks: results.len(),
            violations,
            incomplete,
        }
    }

    /// `search-keyboard.mjs`: the search page used with the keyboard only
    /// (`tabs`, `afterEnter`, `status`, `results`, `next`, `url`).
    pub fn search_keyboard(&self, chromium: &Path, origin: &str, query: &str) -> serde_json::Value {
        self.node_script(
            "search-keyboard.mjs",
            &[chromium.as_os_str(), origin.as_ref(), query.as_ref()],
        )
    }

    /// Run one of the scripts in `tests/browser` with Node and read the
    /// JSON it prints; panic with its output if it fails.
    pub fn node_script(&self, script: &str, args: &[&std::ffi::OsStr]) -> serde_json::Value {
        let out = Command::new(&self.node)
            .arg(self.dir.join(script))
            .args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .output()
            .expect("run node");
        assert!(
            out.status.success(),
            "{script} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{script} printed no JSON ({e}):\n{}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// The Nu HTML Checker over every HTML and CSS file under `dir`
    /// (errors only).
    pub fn vnu(&self, dir: &Path) -> VnuReport {
        let jar = self.dir.join("node_modules/vnu-jar/build/dist/vnu.jar");
        let version = Command::new(&self.java)
            .arg("-jar")
            .arg(&jar)
            .arg("--version")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        let out = Command::new(&self.java)
            .arg("-jar")
            .arg(&jar)
            .args([
                "--errors-only",
                "--format",
                "json",
                "--skip-non-html",
                "--also-check-css",
            ])
            .arg(dir)
            .stdin(Stdio::null())
            .output()
            .expect("run java");
        // vnu reports on standard error.
        let json: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
            panic!(
                "vnu printed no JSON ({e}):\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let errors = json["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .filter(|m| m["type"] != "info")
            .map(|m| {
                let url = m["url"].as_str().unwrap_or("");
                let file = url
                    .strip_prefix("file:")
                    .and_then(|p| Path::new(p).strip_prefix(dir).ok())
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| url.to_string());
                (
                    file,
                    m["lastLine"].as_u64().unwrap_or(0),
                    m["message"].as_str().unwrap_or("").to_string(),
                    m["extract"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        VnuReport { version, errors }
    }
}

/// Every HTML page under `dir` as a URL path (`/a/b/` for `a/b/index.html`).
pub fn html_pages(dir: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            match rel.strip_suffix("index.html") {
                Some(folder) => format!("/{folder}"),
                None => format!("/{rel}"),
            }
        })
        .collect();
    pages.sort();
    pages
}
