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
pub enum SourceKind {
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
pub struct SourceFile {
    /// Path relative to the site root, e.g. `content/jaarverslag/2023/01-voorwoord.md`.
    /// This is what errors show.
    pub path: PathBuf,
    /// Path relative to `content/`, with `/` separators, e.g. `jaarverslag/2023/01-voorwoord.md`.
    pub rel: String,
    pub kind: SourceKind,
    /// Decoded text for Markdown, YAML and data files; empty for assets.
    pub text: String,
    /// Raw bytes for assets; empty otherwise.
    pub bytes: Vec<u8>,
}

/// Everything loaded from disk, plus files skipped for a reason worth telling.
#[derive(Debug, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
    pub warnings: Vec<Diagnostic>,
}

/// Read every file under `root/content`, sorted by path (deterministic order).
pub fn load(root: &Path) -> Result<Sources, Vec<Diagnostic>> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(vec![
            Diagnostic::new("content/", "the site has no content/ folder")
                .hint("create content/_index.md for the home page"),
        ]);
    }
    let mut sources = Sources::default();
    let mut errors = Vec::new();
    let mut found = Vec::new();
    let walker = WalkDir::new(&content)
        .follow_links(false)
        .sort_by_file_name()
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
        let shown = shown_path(root, path);
        if entry.path_is_symlink() {
            sources.warnings.push(
                Diagnostic::new(&shown, "symbolic link not followed")
                    .hint("copy the file into content/ instead of linking to it")
                    .warning(),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = path
            .strip_prefix(&content)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let kind = classify(&rel);
        found.push((path.to_path_buf(), shown, rel, kind));
    }
    // Reading is the part that waits on the disk: do it in parallel, keep
    // the walk's (sorted) order.
    let read: Vec<Result<SourceFile, Diagnostic>> = found
        .into_par_iter()
        .map(|(path, shown, rel, kind)| {
            let bytes = std::fs::read(&path)
                .map_err(|e| Diagnostic::new(&shown, format!("cannot read: {e}")))?;
            let (text, bytes) = if kind == SourceKind::Asset {
                (String::new(), bytes)
            } else {
                (decode_text(&shown, bytes)?, Vec::new())
            };
            Ok(SourceFile {
                path: shown,
                rel,
                kind,
                text,
                bytes,
            })
        })
        .collect();
    for r in read {
        match r {
            Ok(f) => sources.files.push(f),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
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

/// Decode a text file: UTF-8 required, a leading BOM dropped, CRLF and lone
/// CR turned into LF so that line numbers and front matter work the same
/// for files saved on Windows.
pub fn decode_text(shown: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
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
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.contains('\r') {
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Ok(text.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
