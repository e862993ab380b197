//! A minimal static file server on 127.0.0.1 for a built site held in
//! memory: what the PDF export shows Chromium, and what the browser tests
//! check. No live reload, no directory listings; request paths are mapped
//! with [`crate::util::url::site_path`], so none can climb out of the site.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use tiny_http::{Header, Method, Response, Server};

/// A running server; stopped when dropped.
pub struct StaticServer {
    /// Where it listens (127.0.0.1, a free port).
    pub addr: SocketAddr,
    server: Arc<Server>,
    stop: Arc<AtomicBool>,
    files: Arc<RwLock<HashMap<String, Vec<u8>>>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    /// Serve `files` (output paths such as `jaarverslag/index.html`) on a
    /// free port of 127.0.0.1. URLs may carry the site's `base_path`.
    pub fn start(files: HashMap<String, Vec<u8>>, base_path: &str) -> Result<StaticServer, String> {
        let server = Server::http(SocketAddr::new(Ipv4Addr::LOCALHOST.into(), 0))
            .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or("the server has no IP address")?;
        let server = Arc::new(server);
        let files = Arc::new(RwLock::new(files));
        let stop = Arc::new(AtomicBool::new(false));
        let base_path = base_path.trim_end_matches('/').to_string();
        let threads = {
            let (server, stop, files) = (server.clone(), stop.clone(), files.clone());
            vec![std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match server.recv_timeout(std::time::Duration::from_millis(100)) {
                        Ok(Some(request)) => respond(request, &files.read().unwrap(), &base_path),
                        Ok(None) => {}
                        Err(_) => break,
                    }
                }
            })]
        };
        Ok(StaticServer {
            addr,
            server,
            stop,
            files,
            threads,
        })
    }

    /// Load a built output folder from disk and serve it.
    pub fn from_dir(dir: &std::path::Path, base_path: &str) -> Result<StaticServer, String> {
        let mut files = HashMap::new();
        for entry in walkdir::WalkDir::new(dir).follow_links(false) {
            let entry = entry.map_err(|e| e.to_string())?;
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .map_err(|e| e.to_string())?
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(entry.path()).map_err(|e| e.to_string())?;
                files.insert(rel, bytes);
            }
        }
        StaticServer::start(files, base_path)
    }

    /// Add or replace a file (an output path, as in [`Self::start`]).
    pub fn insert(&self, path: String, bytes: Vec<u8>) {
        self.files.write().unwrap().insert(path, bytes);
    }

    /// The file served at `path` (an output path), if any.
    pub fn get(&self, path: &str) -> Option<Vec<u8>> {
        self.files.read().unwrap().get(path).cloned()
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.server.unblock();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn respond(request: tiny_http::Request, files: &HashMap<String, Vec<u8>>, base_path: &str) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::empty(405));
        return;
    }
    let raw = request.url().split(['?', '#']).next().unwrap_or("/");
    let raw = if !base_path.is_empty() {
        match raw.strip_prefix(base_path) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
            _ => raw,
        }
    } else {
        raw
    };
    let raw = if raw.is_empty() { "/" } else { raw };
    let found = crate::util::url::site_path(raw).and_then(|p| files.get(&p).map(|b| (p, b)));
    match found {
        Some((path, bytes)) => {
            let header = Header::from_bytes(
                "Content-Type",
                crate::util::url::content_type(&path).as_bytes(),
            )
            .unwrap();
            let _ = request.respond(Response::from_data(bytes.clone()).with_header(header));
        }
        None => {
            let _ = request.respond(Response::from_string("Niet gevonden").with_status_code(404));
        }
    }
}
