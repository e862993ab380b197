//! PDF export (`build --pdf`, `g40site pdf`): every print page printed by
//! the system's Chromium.
//!
//! The rendered site is served from memory on 127.0.0.1 (a free port) by
//! [`crate::static_server`], so root-relative links and stylesheets work
//! exactly as on the web. One headless Chromium is started for the whole
//! export ([`browser`], over the DevTools protocol) and prints
//! [`PARALLEL_PRINTS`] documents at once, each in its own tab, with the
//! settings of Chromium's `--print-to-pdf`, `--no-pdf-header-footer` and
//! `--generate-pdf-document-outline` (bookmarks from the headings).
//! Chromium writes tagged PDFs. Paper size, margins and page numbers come
//! from the theme's `print.css` (`@page`).
//!
//! A report's table of contents gets page numbers in two passes: print,
//! read back on which page each chapter's anchor landed (the PDF's named
//! destinations, see [`reader`]), render the print page again with those
//! numbers (`chapter.pdf_page`) and print again, until the numbers hold.
//! A programme's grid is printed at smaller sizes until it fits
//! (`fit_grid`). Every pass of a document is printed in its one tab.
//!
//! The page is printed with its links rewritten ([`links`]): a link to a
//! page that is part of the PDF jumps inside the PDF, any other link to
//! the site is its public URL under `base_url`, never the print server's.
//!
//! The PDFs become [`Output`]s next to the page that links to them, so
//! they are written with the rest of the site, all or nothing.

mod browser;
pub(crate) mod links;
pub mod reader;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{Output, Renderer, output_path};
use crate::site::{PageModel, PrintDocument, Site};
use crate::static_server::StaticServer;
use browser::{Browser, Purpose, Tab};

/// Names tried on `PATH`, in order.
pub(crate) const CHROMIUM_NAMES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// Documents printed at once, each in its own tab of the one Chromium.
/// On 2 cores, 3 was the fastest for the example site's five documents
/// (see bench/README.md).
const PARALLEL_PRINTS: usize = 3;

/// What to check when Chromium fails.
const CHROMIUM_HINT: &str = "check that Chromium runs (`chromium --headless --version`), or name another with `--chromium PATH`";

/// The Chromium to print with: `explicit` (`--chromium PATH`), else the
/// first of [`CHROMIUM_NAMES`] on `PATH`.
pub fn find_chromium(explicit: Option<&Path>) -> Result<PathBuf, Diagnostic> {
    if let Some(path) = explicit {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(Diagnostic::new(
                path,
                "--chromium: there is no such program",
            )
            .hint("give the path of a Chromium or Chrome executable, e.g. `--chromium /usr/bin/chromium`"))
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    CHROMIUM_NAMES
        .iter()
        .find_map(|name| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|c| c.is_file())
        })
        .ok_or_else(|| {
            Diagnostic::new(
                "--pdf",
                "PDF export needs Chromium, and none was found on PATH",
            )
            .hint("install Chromium (Debian: `apt install chromium`), or name the program with `--chromium PATH`")
        })
}

/// A headless Chromium with a fresh profile and nothing running in the
/// background. The profile folder must outlive the process.
pub fn chromium_command(bin: &Path, profile: &Path) -> Command {
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .stdin(Stdio::null());
    cmd
}

/// Print `url` to PDF and return its bytes, with a Chromium started for
/// this one page (as `build --pdf` prints every page).
pub fn print_to_pdf(bin: &Path, url: &str) -> Result<Vec<u8>, String> {
    let browser = Browser::start(bin)?;
    let tab = browser.tab()?;
    tab.print(url)
}

/// A fresh private folder in the system's temp folder.
fn tempdir() -> Result<PathBuf, String> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "g40site-pdf-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// Print every [`Site::print_documents`] entry; the PDFs as outputs.
pub(crate) fn export(
    site: &Site,
    renderer: &Renderer,
    outputs: &[Output],
    chromium: &Path,
) -> Result<Vec<Output>, Diagnostics> {
    let docs = site.print_documents();
    if docs.is_empty() {
        return Ok(Vec::new());
    }
    let mut files: HashMap<String, Vec<u8>> = outputs
        .iter()
        .map(|o| (o.path.clone(), o.bytes.clone()))
        .collect();
    // The printed pages with their links rewritten for the PDF.
    for doc in &docs {
        let path = output_path(&doc.print_url, &site.base_path);
        if let Some(bytes) = files.get_mut(&path) {
            *bytes = rewrite_links(site, doc, bytes);
        }
    }
    let server = StaticServer::start(files, &site.base_path)
        .map_err(|e| Diagnostics::from(Diagnostic::new("--pdf", e)))?;
    // A Chromium that does not start fails every document, each named
    // (as when every print started a Chromium of its own).
    let browser = Browser::start(chromium).map_err(|e| {
        let message = format!("Chromium ({}) did not start: {e}", chromium.display());
        let mut errors = Diagnostics::default();
        for doc in &docs {
            errors.push(print_error(site, doc, message.clone()));
        }
        errors.sorted()
    })?;
    // The documents that take the most prints first (a programme tries
    // several sizes, a report prints twice), so that the last to finish
    // is a short one; each worker takes the next document when it is done.
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by_key(|&i| match site.model(docs[i].page) {
        PageModel::Programme(_) => 0,
        PageModel::Report(_) => 1,
        PageModel::Roles(_)
        | PageModel::Note
        | PageModel::Page
        | PageModel::Section
        | PageModel::Chapter { .. } => 2,
    });
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(usize, Result<Output, Diagnostic>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..PARALLEL_PRINTS.min(docs.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let n = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let Some(&i) = order.get(n) else {
                            return done;
                        };
                        done.push((
                            i,
                            print_document(site, renderer, &server, &browser, &docs[i]),
                        ));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    drop(browser);
    let mut results = results;
    results.sort_by_key(|(i, _)| *i);
    let results = results.into_iter().map(|(_, r)| r);
    let mut pdfs = Vec::new();
    let mut errors = Diagnostics::default();
    for r in results {
        match r {
            Ok(o) => pdfs.push(o),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(pdfs)
    } else {
        Err(errors.sorted())
    }
}

/// A programme's print page, its grid scaled down until each part of it
/// fits its A4 landscape page. The grid alone (the descriptions hidden,
/// so each try is quick) is printed with a smaller `--fit` (type and
/// padding, see the theme's `programme.css`) while it takes more pages
/// than it has parts, down to [`crate::render::programme::PRINT_MIN_FIT`];
/// then the whole page once with the `--fit` found. The page is loaded
/// once; each try sets its style ([`Tab::restyle`]). Beyond the smallest
/// scale the grid runs on over the next page (nothing is cut).
fn fit_grid(
    site: &Site,
    server: &StaticServer,
    tab: &Tab,
    doc: &PrintDocument,
    day: &crate::site::ProgrammeDay,
) -> Result<Vec<u8>, String> {
    use crate::render::programme::{PRINT_MIN_FIT, print_layout};
    // The print page's own starting size (`programme.print_fit`) is a
    // guess for printing from a browser; here every try is measured, so
    // start at the theme's full size.
    let (parts, _) = print_layout(day);
    let start = 1.0;
    let path = output_path(&doc.print_url, &site.base_path);
    let Some(html) = server.get(&path) else {
        return tab.print(&format!("{}{}", server.origin(), doc.print_url));
    };
    let html = String::from_utf8_lossy(&html).into_owned();
    // The page is loaded once, with a style of its own; each try only
    // changes that style (laid out again, not loaded again).
    const STYLE: &str = "g40site-pdf-fit";
    let fit_css = |fit: f64| format!(".programme-print .print-grid {{ --fit: {fit} !important; }}");
    let probe_css = |fit: f64| {
        format!(
            "{} .print-descriptions {{ display: none !important; }}",
            fit_css(fit)
        )
    };
    let mut fit = start;
    let style = format!("<style id=\"{STYLE}\">{}</style>\n", probe_css(fit));
    let page = match html.find("</head>") {
        Some(i) => format!("{}{style}{}", &html[..i], &html[i..]),
        None => format!("{style}{html}"),
    };
    // Next to the print page, so every link resolves alike.
    let pass = format!("{path}.pdf-fit.html");
    server.insert(pass.clone(), page.into_bytes());
    tab.open(&format!("{}{}/{pass}", server.origin(), site.base_path))?;
    loop {
        let grid = tab.print_open(Purpose::Measure)?;
        let pages = reader::Document::parse(&grid).map_or(0, |pdf| pdf.pages.len());
        if pages <= parts || fit <= PRINT_MIN_FIT {
            break;
        }
        fit = ((fit * 0.9).max(PRINT_MIN_FIT) * 100.0).round() / 100.0;
        tab.restyle(STYLE, &probe_css(fit))?;
    }
    tab.restyle(STYLE, &fit_css(fit))?;
    tab.print_open(Purpose::Publish)
}

/// The pages whose content is part of `doc`'s PDF, and where.
pub(crate) fn inside(site: &Site, doc: &PrintDocument) -> Vec<links::Inside> {
    let whole = |url: &str| links::Inside {
        url: url.to_string(),
        top: Some("inhoud".into()),
        prefix: String::new(),
    };
    let page = &site.pages[doc.page];
    let mut inside = vec![whole(&doc.print_url), whole(&page.url)];
    if let Some(r) = doc.report {
        let report = &site.reports[r];
        for (&c, id) in report
            .chapters
            .iter()
            .zip(Renderer::print_chapter_ids(site, r))
        {
            let chapter = &site.pages[c];
            inside.push(links::Inside {
                url: chapter.url.clone(),
                top: Some(id),
                prefix: crate::site::urls::print_chapter_prefix(&chapter.file_stem),
            });
        }
    }
    if let PageModel::Roles(set) = site.model(doc.page) {
        for role in &site.role_sets[set].roles {
            inside.push(links::Inside {
                url: role.url.clone(),
                top: Some(role.anchor.clone()),
                prefix: String::new(),
            });
        }
    }
    inside
}

/// The HTML of `doc`'s printed page with its links made fit for the PDF.
fn rewrite_links(site: &Site, doc: &PrintDocument, html: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(html) else {
        return html.to_vec();
    };
    let inside = inside(site, doc);
    // Soft hyphens end up in the PDF's text layer: only the programme
    // grid, whose cells are narrow, keeps them.
    let is_programme = matches!(site.model(doc.page), PageModel::Programme(_));
    let text = if is_programme {
        crate::hyphenate::print_html(text)
    } else {
        crate::hyphenate::strip(text).into_owned()
    };
    links::Rewrite {
        base_url: site.config.base_url_trimmed(),
        page_url: &doc.print_url,
        inside: &inside,
    }
    .apply(&text)
    .into_bytes()
}

/// `doc` could not be printed, located at its source.
fn print_error(site: &Site, doc: &PrintDocument, message: String) -> Diagnostic {
    Diagnostic::new(
        format!("content/{}", site.pages[doc.page].source),
        format!("cannot print {} to PDF: {message}", doc.print_url),
    )
    .hint(CHROMIUM_HINT)
}

fn print_document(
    site: &Site,
    renderer: &Renderer,
    server: &StaticServer,
    browser: &Browser,
    doc: &PrintDocument,
) -> Result<Output, Diagnostic> {
    let fail = |message: String| print_error(site, doc, message);
    // One tab for every print of this document.
    let tab = browser.tab().map_err(fail)?;
    let mut bytes = match site.model(doc.page) {
        PageModel::Programme(day) => {
            fit_grid(site, server, &tab, doc, &site.programmes[day]).map_err(fail)?
        }
        // Printed as Chromium lays them out; a report's first print only
        // says where its chapters start.
        PageModel::Report(_)
        | PageModel::Roles(_)
        | PageModel::Note
        | PageModel::Page
        | PageModel::Section
        | PageModel::Chapter { .. } => {
            let url = format!("{}{}", server.origin(), doc.print_url);
            match doc.report {
                Some(_) => tab.measure(&url),
                None => tab.print(&url),
            }
            .map_err(fail)?
        }
    };
    if let Some(report) = doc.report {
        let ids = Renderer::print_chapter_ids(site, report);
        // Where each chapter's anchor landed, by chapter id.
        let landed = |bytes: &[u8]| -> Result<HashMap<String, usize>, Diagnostic> {
            let pdf = reader::Document::parse(bytes)
                .ok_or_else(|| fail("Chromium's PDF could not be read back".into()))?;
            let pages: HashMap<String, usize> = ids
                .iter()
                .filter_map(|id| pdf.destinations.get(id).map(|p| (id.clone(), *p)))
                .collect();
            if pages.len() == ids.len() {
                Ok(pages)
            } else {
                Err(fail(format!(
                    "the PDF does not say where every chapter starts (found {} of {})",
                    pages.len(),
                    ids.len()
                )))
            }
        };
        let mut pages = landed(&bytes)?;
        let mut settled = false;
        // Numbers could in theory push a chapter to another page: print
        // again until the numbers printed are where the chapters are.
        for pass in 1..=3 {
            // The print page again, with the numbers, served next to the
            // print page so every link resolves alike; each pass under its
            // own name, never a copy from Chromium's cache.
            let path = format!(
                "{}.pdf-pass-{pass}.html",
                output_path(&doc.print_url, &site.base_path)
            );
            let url = format!("{}{}/{path}", server.origin(), site.base_path);
            let html = renderer.render_report_print(site, report, &pages)?;
            server.insert(path, rewrite_links(site, doc, &html.bytes));
            bytes = tab.print(&url).map_err(fail)?;
            let now = landed(&bytes)?;
            if now == pages {
                settled = true;
                break;
            }
            pages = now;
        }
        if !settled {
            return Err(fail(
                "the page numbers of the table of contents did not settle after three prints"
                    .into(),
            ));
        }
    }
    Ok(Output {
        path: output_path(&doc.pdf_url, &site.base_path),
        bytes,
    })
}
