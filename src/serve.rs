//! `g40site serve`: the editor's live preview.
//!
//! The site is built in memory and served from there on 127.0.0.1 (another
//! interface only with an explicit `--bind`): the server never opens a file
//! on disk to answer a request, so no request path can reach outside the
//! built site. A watcher (notify, debounced) rebuilds on every change to
//! `site.yaml`, `content/`, `themes/`, `templates/` or `static/`; open pages
//! hear about it over Server-Sent Events and reload, or show the build
//! errors as an overlay on the last good page until the file is fixed
//! (before the first good build, every path is a page of the errors).
//! The root is resolved once (symlinks included), and every path the
//! watcher reports is judged relative to it. The HTTP side is in
//! [`http`]: one event-loop thread with bounded requests and connections.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use crate::pipeline::BuildOptions;
use crate::render::Output;

pub(crate) mod http;
mod watch;

use http::{Body, Reply};
use watch::Watching;

use crate::util::url::{content_type, percent_encode, site_path};

/// Where the reload script and the event stream live (never a site path:
/// content URLs cannot start with `__`... and if one did, ours wins).
const RELOAD_JS_PATH: &str = "/__g40site/reload.js";
const EVENTS_PATH: &str = "/__g40site/events";

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder, as given (relative to the working directory, or
    /// absolute; a symlink is fine).
    pub root: PathBuf,
    /// The address to listen on (`127.0.0.1` unless asked otherwise).
    pub bind: IpAddr,
    /// 0 picks a free port (tests).
    pub port: u16,
    /// Show drafts.
    pub drafts: bool,
    /// Print only errors, not each rebuild.
    pub quiet: bool,
    /// Colour in terminal messages.
    pub color: bool,
}

/// The built site as the server sees it, replaced whole on each rebuild.
#[derive(Default)]
struct Snapshot {
    files: HashMap<String, Arc<Vec<u8>>>,
    /// False until a build has succeeded: until then every page is the
    /// error page.
    good: bool,
}

/// Build state that open pages are told about.
#[derive(Default, Clone)]
struct Status {
    /// Goes up by one after every rebuild, good or bad.
    version: u64,
    /// The errors of the last build, if it failed (plain text, rustc style).
    errors: Option<String>,
}

/// What the request handler shares with the rebuild loop.
struct Shared {
    site: RwLock<Arc<Snapshot>>,
    status: Mutex<Status>,
    /// Wakes the server to tell the event streams about a rebuild.
    notifier: http::Notifier,
    /// Listening on a loopback address only: requests must name a local
    /// host (see [`host_is_local`]).
    local_only: bool,
    /// The site folder: the error overlay speaks its `language`.
    root: PathBuf,
}

/// A running server: its address, and a handle to stop it (tests).
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    server: http::Handle,
    shared: Arc<Shared>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    watcher: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// The URL of the home page.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The build version the server is at (rises with every rebuild).
    pub fn version(&self) -> u64 {
        self.shared.status.lock().unwrap().version
    }

    /// Stop serving and watching.
    pub fn stop(mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        self.server.stop();
        if let Some(t) = self.watcher.take() {
            let _ = t.join();
        }
    }

    /// Block until stopped (the CLI).
    pub fn wait(mut self) {
        self.server.join();
        if let Some(t) = self.watcher.take() {
            let _ = t.join();
        }
    }
}

/// Build, start serving and watching. Returns once the server listens.
pub fn start(mut opts: ServeOptions) -> Result<Running, String> {
    // One spelling of the root for everything: the watcher reports
    // absolute paths with symlinks resolved, and they are compared with
    // (and made relative to) this.
    opts.root = std::fs::canonicalize(&opts.root)
        .map_err(|e| format!("cannot open the site folder {}: {e}", opts.root.display()))?;
    let bound = http::Bound::bind(SocketAddr::new(opts.bind, opts.port))
        .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.bind, opts.port))?;
    let addr = bound.addr;
    let shared = Arc::new(Shared {
        site: RwLock::new(Arc::new(Snapshot::default())),
        status: Mutex::new(Status::default()),
        notifier: bound.notifier(),
        local_only: opts.bind.is_loopback(),
        root: opts.root.clone(),
    });
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let host = if opts.bind.is_unspecified() {
        IpAddr::from([127, 0, 0, 1])
    } else {
        opts.bind
    };
    let build_opts = BuildOptions {
        drafts: opts.drafts,
        base_url: Some(format!("http://{}", SocketAddr::new(host, addr.port()))),
        output: None,
        live_reload: true,
        ..Default::default()
    };
    // Watch before the first build, so that a file saved while it runs
    // is not missed (its events wait in the channel).
    let watching = Watching::start(&opts.root)?;
    let mut builder = crate::pipeline::Builder::new(&opts.root, build_opts);
    let search_stale = rebuild(&opts, &mut builder, &[], &shared);
    let server = bound
        .serve(Arc::new(App(shared.clone())))
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let watcher = watching.run(opts, builder, shared.clone(), stop.clone(), search_stale);
    Ok(Running {
        addr,
        server,
        shared,
        stop,
        watcher: Some(watcher),
    })
}

/// Rebuild into memory (only what `changed` affects, where the builder
/// can tell) and tell open pages. True when only some pages were updated
/// (the search index still has to follow).
fn rebuild(
    opts: &ServeOptions,
    builder: &mut crate::pipeline::Builder,
    changed: &[PathBuf],
    shared: &Shared,
) -> bool {
    let started = Instant::now();
    // A panic (a bug) must not end the watcher: it is shown as an error.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if changed.is_empty() {
            builder
                .build_all_but_search_index()
                .map(crate::pipeline::Rebuilt::All)
        } else {
            builder.rebuild(changed)
        }
    }))
    .unwrap_or_else(|_| {
        Err(crate::diagnostics::Diagnostics(vec![
            crate::diagnostics::Diagnostic::new(
                &opts.root,
                "internal error while building (a bug in g40site)",
            )
            .hint("please report it with the files you changed last"),
        ]))
    });
    let mut status = shared.status.lock().unwrap();
    status.version += 1;
    // The first build leaves the index out too (see
    // `Builder::build_all_but_search_index`).
    let partial = matches!(result, Ok(crate::pipeline::Rebuilt::Changed { .. }))
        || (changed.is_empty() && result.is_ok());
    match result {
        Ok(rebuilt) => {
            let (what, snapshot) = match rebuilt {
                crate::pipeline::Rebuilt::All(outputs) => {
                    let pages = outputs.iter().filter(|o| o.path.ends_with(".html")).count();
                    (format!("Built {pages} pages"), snapshot(outputs))
                }
                crate::pipeline::Rebuilt::Changed {
                    changed: outputs,
                    removed,
                } => {
                    // Copy the map (cheap: the bytes are shared), replace what changed.
                    let mut files = shared.site.read().unwrap().files.clone();
                    let n = outputs.len();
                    for o in outputs {
                        files.insert(o.path, Arc::new(o.bytes));
                    }
                    for path in removed {
                        files.remove(&path);
                    }
                    let plural = if n == 1 { "" } else { "s" };
                    (
                        format!("Updated {n} file{plural}"),
                        Snapshot { files, good: true },
                    )
                }
            };
            *shared.site.write().unwrap() = Arc::new(snapshot);
            status.errors = None;
            if !opts.quiet {
                eprintln!("{what} in {} ms", started.elapsed().as_millis());
            }
        }
        Err(errors) => {
            // Keep serving the last good site; show the errors on top of it.
            eprint!("{}", errors.render(opts.color));
            let still = if shared.site.read().unwrap().good {
                "still serving the last good version"
            } else {
                "every page shows the errors until they are fixed"
            };
            eprintln!("Build failed with {} error(s); {still}.", errors.len());
            status.errors = Some(errors.render(false));
        }
    }
    drop(status);
    shared.notifier.notify();
    partial
}

fn snapshot(outputs: Vec<Output>) -> Snapshot {
    Snapshot {
        files: outputs
            .into_iter()
            .map(|o| (o.path, Arc::new(o.bytes)))
            .collect(),
        good: true,
    }
}

/// The site as the HTTP server sees it.
struct App(Arc<Shared>);

impl http::App for App {
    fn respond(&self, request: &http::Request) -> Reply {
        let shared = &self.0;
        // DNS rebinding: a web page on another site can point its own host
        // name at 127.0.0.1 and read the preview with the editor's browser.
        // Its requests carry that host name; refuse them.
        if shared.local_only && !request.header("Host").is_none_or(host_is_local) {
            return Reply::text(
                403,
                "Onbekende host: open de voorvertoning via http://localhost of http://127.0.0.1",
            );
        }
        let raw_path = request.target.split(['?', '#']).next().unwrap_or("/");
        if raw_path == EVENTS_PATH {
            return Reply::EventStream;
        }
        if raw_path == RELOAD_JS_PATH {
            return page(
                200,
                "application/javascript; charset=utf-8",
                Body::Owned(reload_js(&overlay_strings(&shared.root)).into_bytes()),
            );
        }
        let Some(path) = site_path(raw_path) else {
            return Reply::text(400, "Ongeldig pad");
        };
        let site = shared.site.read().unwrap().clone();
        if !site.good {
            // No good build yet: every path shows what is wrong, and the
            // page reloads itself into the site once it is fixed.
            let errors = shared.status.lock().unwrap().errors.clone();
            return page(
                500,
                "text/html; charset=utf-8",
                Body::Owned(
                    error_page(
                        errors.as_deref().unwrap_or(""),
                        &overlay_strings(&shared.root),
                    )
                    .into_bytes(),
                ),
            );
        }
        if let Some(bytes) = site.files.get(&path) {
            page(200, content_type(&path), Body::Shared(bytes.clone()))
        } else if !path.is_empty() && site.files.contains_key(&format!("{path}/index.html")) {
            // `/jaarverslag` → `/jaarverslag/`, so relative links work.
            Reply::Full {
                status: 301,
                headers: vec![("Location", percent_encode(&format!("/{path}/")))],
                body: Body::Owned(Vec::new()),
            }
        } else {
            let body = match site.files.get("404.html") {
                Some(b) => Body::Shared(b.clone()),
                None => Body::Owned(b"Niet gevonden".to_vec()),
            };
            page(404, "text/html; charset=utf-8", body)
        }
    }

    /// `hello` when a stream opens on a good build, `reload` after a good
    /// build, `errors` (the message text as JSON) after a bad one.
    fn event(&self, seen: Option<u64>) -> Option<(u64, String)> {
        // (A panic elsewhere while holding the lock must not stop the server.)
        let status = self.0.status.lock().unwrap_or_else(|e| e.into_inner());
        if seen == Some(status.version) {
            return None;
        }
        let message = match (&status.errors, seen) {
            (Some(e), _) => format!("event: errors\ndata: {}\n\n", json_string(e)),
            (None, None) => format!("event: hello\ndata: {}\n\n", status.version),
            (None, Some(_)) => format!("event: reload\ndata: {}\n\n", status.version),
        };
        Some((status.version, message))
    }
}

/// A 200 (or other) answer with the headers every answer carries.
fn page(status: u16, content_type: &str, body: Body) -> Reply {
    Reply::Full {
        status,
        headers: vec![
            ("Content-Type", content_type.to_string()),
            ("Cache-Control", "no-store".into()),
            // Browsers must not guess another type (an upload served as HTML).
            ("X-Content-Type-Options", "nosniff".into()),
        ],
        body,
    }
}

/// The page for every path while the site has never built: the errors,
/// and the live-reload script (which also lays them over the page).
fn error_page(errors: &str, ui: &(String, crate::config::Strings)) -> String {
    let (language, t) = ui;
    let e = crate::util::html::escape_attr;
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n</head>\n<body>\n\
         <h1>{title}</h1>\n\
         <p>{}</p>\n\
         <pre>{}</pre>\n<script src=\"{RELOAD_JS_PATH}\"></script>\n</body>\n</html>\n",
        e(language),
        e(t.get("overlay_fix_page")),
        e(errors),
        title = e(t.get("overlay_title")),
    )
}

/// The site's language and the embedded theme's interface text in it,
/// for the error page and overlay (read from `site.yaml` each time: the
/// site may not build; Dutch when `site.yaml` cannot be read).
fn overlay_strings(root: &std::path::Path) -> (String, crate::config::Strings) {
    let language = crate::config::SiteConfig::load(root)
        .map(|c| c.language)
        .unwrap_or_else(|_| "nl".into());
    let strings = crate::theme::embedded_strings(&language);
    (language, strings)
}

/// [`RELOAD_JS`] with the overlay's text in the site's language.
fn reload_js(ui: &(String, crate::config::Strings)) -> String {
    RELOAD_JS
        .replace(
            "\"__OVERLAY_TITLE__\"",
            &json_string(ui.1.get("overlay_title")),
        )
        .replace("\"__OVERLAY_FIX__\"", &json_string(ui.1.get("overlay_fix")))
}

/// Whether a `Host` header names this machine: `localhost` (or a name
/// under it), an address in 127.0.0.0/8 or `[::1]`, with or without a port.
pub(crate) fn host_is_local(host: &str) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let name = match host.strip_prefix('[') {
        // `[::1]:1111`
        Some(rest) => match rest.split_once(']') {
            Some((inside, _)) => return inside == "::1",
            None => return false,
        },
        None => host.split(':').next().unwrap_or(""),
    };
    let name = name.trim_end_matches('.');
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The client side of live reload, injected into every page in serve mode.
const RELOAD_JS: &str = r#"(function () {
  "use strict";
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.id = "g40site-errors";
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
      var h = document.createElement("h2");
      h.textContent = "__OVERLAY_TITLE__";
      h.style.cssText = "color:#ffb4b4;font:bold 20px system-ui,sans-serif;margin:0 0 1rem";
      var p = document.createElement("p");
      p.textContent = "__OVERLAY_FIX__";
      p.style.cssText = "font-family:system-ui,sans-serif";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap";
      overlay.appendChild(h); overlay.appendChild(p); overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  }
  var source = new EventSource("/__g40site/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("errors", function (e) { show(JSON.parse(e.data)); });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_host_names() {
        for ok in [
            "localhost",
            "localhost:1111",
            "127.0.0.1:1111",
            "127.1.2.3",
            "[::1]:1111",
            "voorbeeld.localhost:8080",
            "LocalHost.",
        ] {
            assert!(host_is_local(ok), "{ok}");
        }
        for bad in [
            "example.nl",
            "localhost.example.nl",
            "127.0.0.1.nip.io:1111",
            "10.0.0.1",
            "[::2]:1111",
            "[::1",
            "",
        ] {
            assert!(!host_is_local(bad), "{bad}");
        }
    }
}
