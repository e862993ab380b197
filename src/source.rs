//! Load: walk `content/` and read every file into memory.
//!
//! This is the only stage that touches the content folder. It decides what
//! each file is by its place and extension, decodes text (UTF-8, with a BOM
//! and CRLF line endings accepted and normalised), and never follows
//! symbolic links, so nothing outside the site is ever read through one.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

/// What a file under `content/` is, decided by where it is and its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SourceKind {
    /// `*.md`: front matter + Markdown.
    Markdown,
    /// `*.yaml` / `*.yml` outside `_data/`: a structured document with a `kind`.
    Structured,
    /// `_data/*.yaml`: shared data.
    Data,
    /// Anything else (images, PDFs): copied to the output as-is.
    Asset,
}

/// One file of the content folder.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Path relative to the site root, e.g. `content/jaarverslag/2023/01-voorwoord.md`.
    /// This is what errors show.
    pub path: PathBuf,
    /// Path relative to `content/`, with `/` separators, e.g. `jaarverslag/2023/01-voorwoord.md`.
    pub rel: String,
    pub kind: SourceKind,
    /// Decoded text for Markdown, YAML and data files; empty for assets.
    /// Shared: the document parsed from it and `serve`'s caches hold the
    /// same text, not copies.
    pub text: std::sync::Arc<str>,
    /// Raw bytes for assets; empty otherwise.
    pub bytes: Vec<u8>,
}

/// Everything loaded from disk, plus files skipped for a reason worth telling.
#[derive(Debug, Default)]
pub(crate) struct Sources {
    pub files: Vec<SourceFile>,
    pub warnings: Vec<Diagnostic>,
    /// Files that could not be read or are not UTF-8. The build fails with
    /// these, but goes on to report the other files' errors as well: a
    /// file that is not UTF-8 is still in `files`, decoded with
    /// replacement characters.
    pub errors: Vec<Diagnostic>,
}

/// What `serve` read last time, by path under `content/`, and the list of
/// files its last walk found. After a change the watcher reported, the
/// list is updated from the paths reported and only those files are read
/// (no walk, no look at the other files); otherwise `content/` is walked
/// and a file whose size, times and inode are the same is taken from here
/// instead of being read again.
#[derive(Default)]
pub(crate) struct ReadCache {
    files: std::collections::HashMap<String, (Stamp, SourceFile, Option<Diagnostic>)>,
    /// The last walk's files, kept up to date by the paths `serve`'s
    /// watcher reports (see [`ReadCache::listing_after`]).
    listing: Option<Listing>,
}

/// One file of the listing, read now or taken from the cache.
struct Read {
    file: Option<SourceFile>,
    /// Why it could not be read or decoded.
    error: Option<Diagnostic>,
    stamp: Option<Stamp>,
    /// Read now (not taken from the cache): to be kept there.
    fresh: bool,
}

/// A file's size, modification and change times, and inode.
type Stamp = (u64, Option<std::time::SystemTime>, i64, i64, u64);

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::symlink_metadata(path).ok()?;
    #[cfg(unix)]
    let (ctime, ctime_ns, ino) = {
        use std::os::unix::fs::MetadataExt;
        (m.ctime(), m.ctime_nsec(), m.ino())
    };
    #[cfg(not(unix))]
    let (ctime, ctime_ns, ino) = (0, 0, 0);
    Some((m.len(), m.modified().ok(), ctime, ctime_ns, ino))
}

/// Read every file under `root/content`, sorted by path (deterministic order).
///
/// With a `cache` (`serve`), unchanged files are taken from it (and what
/// was read is kept there); files at or under a path of `changed` are
/// always read. A non-empty `changed` is taken to name every change since
/// the last call (as `serve`'s watcher does): see [`ReadCache`].
pub(crate) fn load_with(
    root: &Path,
    cache: Option<&mut ReadCache>,
    changed: &[PathBuf],
) -> Result<Sources, Vec<Diagnostic>> {
    let content = root.join("content");
    if std::fs::symlink_metadata(&content).is_ok_and(|m| m.file_type().is_symlink()) {
        // Links are never followed: not even content/ itself.
        return Err(vec![
            Diagnostic::new(
                "content/",
                "content/ is a symbolic link, which g40site does not follow",
            )
            .hint("make content/ a real folder in the site"),
        ]);
    }
    if !content.is_dir() {
        return Err(vec![
            Diagnostic::new("content/", "the site has no content/ folder")
                .hint("create content/_index.md for the home page"),
        ]);
    }
    let mut sources = Sources::default();
    let mut errors = Vec::new();
    let mut cache = cache;
    // After a change that `serve`'s watcher named, the last walk's list is
    // brought up to date with just those paths (a folder among them, or
    // anything unexpected, and the folder is walked again).
    let trusted = match cache.as_deref_mut() {
        Some(c) if !changed.is_empty() => c.listing_after(root, &content, changed),
        _ => None,
    };
    let (listing, trusted, complete) = match trusted {
        Some(listing) => (listing, true, true),
        None => {
            let (listing, walk_errors) = walk(root, &content);
            let complete = walk_errors.is_empty();
            errors.extend(walk_errors);
            (listing, false, complete)
        }
    };
    sources.warnings = listing.warnings.clone();
    // Reading is the part that waits on the disk: do it in parallel, keep
    // the walk's (sorted) order.
    let known = cache.as_deref();
    let read: Vec<Read> = listing
        .found
        .par_iter()
        .map(|found| {
            let changed = changed.iter().any(|c| found.path.starts_with(c));
            if let Some(known) = known
                && !changed
                && let Some((then, file, error)) = known.files.get(&found.rel)
            {
                // A listing brought up to date names every changed file:
                // the others are as they were. After a walk, the stamp
                // (size, times, inode) tells.
                let now = if trusted {
                    Some(*then)
                } else {
                    stamp(&found.path)
                };
                if now.as_ref() == Some(then) {
                    return Read {
                        file: Some(file.clone()),
                        error: error.clone(),
                        stamp: now,
                        fresh: false,
                    };
                }
            }
            let stamp = known.and_then(|_| stamp(&found.path));
            let (file, error) = read_file(found.clone());
            Read {
                file,
                error,
                stamp,
                fresh: true,
            }
        })
        .collect();
    if let Some(cache) = cache {
        // Files no longer listed drop out (a listing brought up to date
        // has already dropped the ones it took out); what was read now is
        // kept.
        if !trusted {
            let listed: std::collections::HashSet<&str> =
                listing.found.iter().map(|f| f.rel.as_str()).collect();
            cache.files.retain(|rel, _| listed.contains(rel.as_str()));
        }
        for r in &read {
            if let (Some(file), Some(stamp), true) = (&r.file, r.stamp, r.fresh) {
                cache
                    .files
                    .insert(file.rel.clone(), (stamp, file.clone(), r.error.clone()));
            }
        }
        // A walk with holes (a folder that could not be read) is not
        // brought up to date next time: walked again.
        cache.listing = complete.then_some(listing);
    }
    for r in read {
        sources.files.extend(r.file);
        errors.extend(r.error);
    }
    sources.errors = errors;
    Ok(sources)
}

/// One file found in `content/`: its path, the path errors show, the
/// path relative to `content/` and what it is.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    path: PathBuf,
    shown: PathBuf,
    rel: String,
    kind: SourceKind,
}

/// The files of `content/` in walk order, and the symbolic links skipped.
#[derive(Debug, Clone, Default)]
pub(crate) struct Listing {
    found: Vec<Found>,
    warnings: Vec<Diagnostic>,
}

/// Walk `content/`: every regular file, siblings sorted by name, hidden
/// names and symbolic links left out.
fn walk(root: &Path, content: &Path) -> (Listing, Vec<Diagnostic>) {
    let mut listing = Listing::default();
    let mut errors = Vec::new();
    let walker = WalkDir::new(content)
        .follow_links(false)
        // Siblings share their folder's path, so comparing whole paths
        // orders them by name, as `sort_by_file_name` does, without
        // splitting each path again for every comparison.
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|e| !is_hidden(e.file_name().to_str().unwrap_or("")));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| shown_path(root, p))
                    .unwrap_or_else(|| "content/".into());
                errors.push(Diagnostic::new(path, format!("cannot read: {e}")));
                continue;
            }
        };
        let path = entry.path();
        let (shown, rel) = names(root, content, path);
        if entry.path_is_symlink() {
            listing.warnings.push(symlink_warning(&shown));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let kind = classify(&rel);
        listing.found.push(Found {
            path: entry.into_path(),
            shown,
            rel,
            kind,
        });
    }
    (listing, errors)
}

fn symlink_warning(shown: &Path) -> Diagnostic {
    Diagnostic::new(shown, "symbolic link not followed")
        .hint("copy the file into content/ instead of linking to it")
        .warning()
}

impl ReadCache {
    /// Forget one file (path relative to `content/`): read it again next
    /// time (`serve`'s fast path read it itself).
    pub(crate) fn forget(&mut self, rel: &str) {
        self.files.remove(rel);
    }

    /// The last walk's listing with the `changed` paths (absolute, as the
    /// watcher gives them) applied: a regular file added where the walk
    /// would have found it, a file that is gone taken out; paths outside
    /// `content/` and hidden ones change nothing. `None` (walk again)
    /// without a complete last listing, or when a path is a folder, a
    /// link or anything but a file, or is gone and was not a file: a
    /// folder moved or deleted changes more than its own path.
    fn listing_after(
        &mut self,
        root: &Path,
        content: &Path,
        changed: &[PathBuf],
    ) -> Option<Listing> {
        let mut listing = self.listing.take()?;
        for path in changed {
            let Ok(inside) = path.strip_prefix(content) else {
                continue;
            };
            if inside.as_os_str().is_empty() {
                return None;
            }
            if inside
                .components()
                .any(|c| is_hidden(c.as_os_str().to_str().unwrap_or("")))
            {
                continue;
            }
            let at = listing
                .found
                .binary_search_by(|f| f.path.as_path().cmp(path.as_path()));
            match (std::fs::symlink_metadata(path), at) {
                (Ok(m), Ok(_)) if m.file_type().is_file() => {}
                (Ok(m), Err(i)) if m.file_type().is_file() => {
                    let (shown, rel) = names(root, content, path);
                    let kind = classify(&rel);
                    listing.found.insert(
                        i,
                        Found {
                            path: path.clone(),
                            shown,
                            rel,
                            kind,
                        },
                    );
                }
                (Err(e), Ok(i)) if e.kind() == std::io::ErrorKind::NotFound => {
                    let gone = listing.found.remove(i);
                    self.files.remove(&gone.rel);
                }
                _ => return None,
            }
        }
        Some(listing)
    }
}

/// Read and decode one file of `content/`.
fn read_file(found: Found) -> (Option<SourceFile>, Option<Diagnostic>) {
    let Found {
        path,
        shown,
        rel,
        kind,
    } = found;
    {
        {
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) => {
                    return (
                        None,
                        Some(Diagnostic::new(&shown, format!("cannot read: {e}"))),
                    );
                }
            };
            let (text, bytes, error) = if kind == SourceKind::Asset {
                (String::new(), bytes, None)
            } else {
                match String::from_utf8(bytes) {
                    Ok(text) => (normalised(text), Vec::new(), None),
                    Err(e) => {
                        let bytes = e.into_bytes();
                        let error = decode_text(&shown, bytes.clone()).err();
                        // Go on with what can be read, to find its other errors.
                        let lossy = String::from_utf8_lossy(&bytes).into_owned();
                        let text = decode_text(&shown, lossy.into_bytes()).unwrap_or_default();
                        (text, Vec::new(), error)
                    }
                }
            };
            let file = SourceFile {
                path: shown,
                rel,
                kind,
                text: text.into(),
                bytes,
            };
            (Some(file), error)
        }
    }
}

/// Why a file of `content/` could run script in the site's pages when a
/// browser opens it (it is published on the site's own address), or
/// `None`. HTML files (`.html`, `.htm`, `.xhtml`, `.xht`, `.shtml`) are
/// checked like rendered Markdown: no script-capable element, no `on*`
/// handler, no script URL. SVG and XML files (`.svg`, `.xml`, `.xsl`,
/// `.xslt`) may not hold script, `foreignObject`, embedded documents,
/// event handlers, entity declarations, style sheets that transform them
/// or script URLs (also written with character references). A compressed
/// `.svgz` cannot be checked and counts as active. Other files are inert
/// as far as the site is concerned. The second value is the byte offset
/// of the finding, where there is one.
pub(crate) fn active_content(rel: &str, bytes: &[u8]) -> Option<(String, Option<usize>)> {
    let ext = rel
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let html = matches!(ext.as_str(), "html" | "htm" | "xhtml" | "xht" | "shtml");
    let xml = matches!(ext.as_str(), "svg" | "xml" | "xsl" | "xslt");
    if ext == "svgz" {
        return Some(("a compressed SVG cannot be checked for script".into(), None));
    }
    if !html && !xml {
        return None;
    }
    // UTF-16 and other encodings would hide `<script` from the checks below.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some((
            "it is not UTF-8 text, so it cannot be checked for script".into(),
            None,
        ));
    };
    if text.contains('\0') {
        return Some((
            "it holds NUL bytes, so it cannot be checked for script".into(),
            None,
        ));
    }
    let lower = text.to_ascii_lowercase();
    const BANNED: [&str; 16] = [
        "<script",
        ":script",
        "<foreignobject",
        ":foreignobject",
        "<iframe",
        "<embed",
        "<object",
        "<handler",
        "<listener",
        "<!entity",
        "<?xml-stylesheet",
        "javascript:",
        "vbscript:",
        "data:text/html",
        "data:image/svg",
        "data:application/",
    ];
    for b in BANNED {
        if let Some(at) = lower.find(b) {
            return Some((
                format!("it contains `{}`", &text[at..at + b.len()]),
                Some(at),
            ));
        }
    }
    // The same, hidden by character references or spread by spaces.
    let decoded: String = crate::util::html::decode_entities(&lower)
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    if let Some(b) = BANNED.iter().find(|b| decoded.contains(*b)) {
        return Some((
            format!("it contains `{b}` (written with character references or spaces)"),
            None,
        ));
    }
    if let Some(at) = event_handler(&lower) {
        let name: String = lower[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        return Some((format!("it has an `{name}` event handler"), Some(at)));
    }
    if html {
        return crate::util::html::script_in(text)
            .map(|why| (format!("it contains a {why}"), None));
    }
    None
}

/// The offset of the first `on...=` attribute in lowercased markup.
fn event_handler(lower: &str) -> Option<usize> {
    let b = lower.as_bytes();
    let mut from = 0;
    while let Some(i) = lower[from..].find("on") {
        let at = from + i;
        from = at + 2;
        let before = if at == 0 { b' ' } else { b[at - 1] };
        if !(before.is_ascii_whitespace() || matches!(before, b'"' | b'\'' | b'/')) {
            continue;
        }
        let mut j = at + 2;
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j == at + 2 {
            continue;
        }
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if b.get(j) == Some(&b'=') && in_tag(lower, at) {
            return Some(at);
        }
    }
    None
}

/// `at` lies inside a tag (after a `<` with no `>` between).
fn in_tag(text: &str, at: usize) -> bool {
    let before = &text[..at];
    matches!((before.rfind('<'), before.rfind('>')), (Some(lt), gt) if gt.is_none_or(|gt| gt < lt))
}

fn is_hidden(name: &str) -> bool {
    // Editor swap files and OS litter are not content.
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp")
}

fn classify(rel: &str) -> SourceKind {
    let lower = rel.to_ascii_lowercase();
    let is_yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
    if is_yaml && (lower.starts_with("_data/")) {
        SourceKind::Data
    } else if is_yaml {
        SourceKind::Structured
    } else if lower.ends_with(".md") {
        SourceKind::Markdown
    } else {
        SourceKind::Asset
    }
}

fn shown_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The names of `path`, found by walking `content`: as shown in messages
/// (relative to `root`) and as the site knows it (relative to `content`,
/// with `/`). The walk joins each name onto `content` as given, so the
/// text of `content` is a prefix of the path's text: cutting it off is
/// much cheaper than comparing components, for every file on every
/// rebuild of `serve`.
fn names(root: &Path, content: &Path, path: &Path) -> (PathBuf, String) {
    fn cut<'p>(p: &'p Path, prefix: &Path) -> Option<&'p str> {
        let rest = p.to_str()?.strip_prefix(prefix.to_str()?)?;
        rest.strip_prefix(std::path::MAIN_SEPARATOR)
    }
    match cut(path, content) {
        Some(rel) if std::path::MAIN_SEPARATOR == '/' => {
            let shown = cut(path, root).map_or_else(|| shown_path(root, path), PathBuf::from);
            (shown, rel.to_string())
        }
        _ => {
            let rel = path
                .strip_prefix(content)
                .unwrap_or(path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            (shown_path(root, path), rel)
        }
    }
}

/// Decode a text file: UTF-8 required, a leading BOM dropped, CRLF and lone
/// CR turned into LF so that line numbers and front matter work the same
/// for files saved on Windows.
pub(crate) fn decode_text(shown: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() + 1;
            let column = before
                .rsplit('\n')
                .next()
                .map(|l| l.chars().count() + 1)
                .unwrap_or(1);
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            return Err(Diagnostic::new(shown, "file is not valid UTF-8 text")
                .at(&lossy, line, column)
                .hint("save the file as UTF-8 (in most editors: Save As, encoding UTF-8)"));
        }
    };
    Ok(normalised(text))
}

/// `text` without a byte order mark, with `\n` for every line break.
fn normalised(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The paths `serve`'s watcher names update the last walk's list just
    /// as walking again would; a folder among them means walking again.
    #[test]
    fn a_listing_brought_up_to_date_is_what_a_walk_finds() {
        let root = std::env::temp_dir().join(format!("g40-listing-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let content = root.join("content");
        let write = |rel: &str| {
            let path = content.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
            path
        };
        for rel in ["a/x.md", "a-c.md", "b/y.md", "_index.md"] {
            write(rel);
        }
        let rels = |l: &Listing| l.found.iter().map(|f| f.rel.clone()).collect::<Vec<_>>();
        let mut cache = ReadCache {
            listing: Some(walk(&root, &content).0),
            ..Default::default()
        };
        // A new file, between others; a file deleted; a hidden file and a
        // path outside content/ change nothing.
        let added = write("a/w.md");
        let gone = content.join("b/y.md");
        std::fs::remove_file(&gone).unwrap();
        let hidden = write(".verborgen.md");
        let kept = SourceFile {
            path: "content/b/y.md".into(),
            rel: "b/y.md".into(),
            kind: SourceKind::Markdown,
            text: "x".into(),
            bytes: Vec::new(),
        };
        cache
            .files
            .insert(kept.rel.clone(), ((1, None, 0, 0, 0), kept, None));
        let changed = [added, gone, hidden, root.join("site.yaml")];
        let listing = cache.listing_after(&root, &content, &changed).unwrap();
        assert!(cache.files.is_empty(), "the deleted file's text is dropped");
        assert_eq!(rels(&listing), rels(&walk(&root, &content).0));
        assert_eq!(rels(&listing), ["_index.md", "a/w.md", "a/x.md", "a-c.md"]);
        // A folder (new, or gone) is walked again.
        cache.listing = Some(listing);
        let folder = write("c/z.md").parent().unwrap().to_path_buf();
        assert!(cache.listing_after(&root, &content, &[folder]).is_none());
        cache.listing = Some(walk(&root, &content).0);
        let unknown = content.join("weg");
        assert!(cache.listing_after(&root, &content, &[unknown]).is_none());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let t = decode_text(
            Path::new("a.md"),
            b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n".to_vec(),
        )
        .unwrap();
        assert_eq!(t, "---\ntitle: x\n---\n");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let d = decode_text(Path::new("a.md"), b"ok\nab\xff".to_vec()).unwrap_err();
        assert_eq!((d.line, d.column), (Some(2), Some(3)));
    }

    #[test]
    fn classification() {
        assert_eq!(classify("_data/pijlers.yaml"), SourceKind::Data);
        assert_eq!(classify("netwerkdagen/a.yaml"), SourceKind::Structured);
        assert_eq!(classify("a/b.md"), SourceKind::Markdown);
        assert_eq!(classify("img/x.png"), SourceKind::Asset);
    }
}
