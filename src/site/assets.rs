//! Assemble: files of `content/` published as they are (images, PDFs).
//!
//! An asset goes next to the pages of its folder, so a link written
//! relative to the Markdown file resolves to it too. HTML and SVG that
//! contain script are refused unless `markdown.unsafe_html` is set: a
//! browser runs it on the site's own address.

use std::collections::HashMap;

use super::Asset;
use super::urls::UrlScheme;
use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::source::{SourceKind, Sources};

/// Every asset of `sources`, each also entered in `url_of_rel` (the link
/// table) under its path relative to `content/`.
pub(super) fn collect(
    sources: &Sources,
    config: &SiteConfig,
    scheme: &UrlScheme,
    url_of_rel: &mut HashMap<String, String>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Asset> {
    let base_path = config.base_path();
    let mut assets = Vec::new();
    for f in sources.files.iter().filter(|f| f.kind == SourceKind::Asset) {
        if !config.markdown.unsafe_html
            && let Some((why, at)) = crate::source::active_content(&f.rel, &f.bytes)
        {
            let mut d = Diagnostic::new(
                    &f.path,
                    format!("refusing to publish this file: {why}, which a browser would run as part of the site"),
                )
                .hint("remove the script (for an image: export it again as plain SVG or as PNG); if every editor is trusted, `markdown: { unsafe_html: true }` in site.yaml publishes such files as they are");
            if let Some(at) = at {
                let text = String::from_utf8_lossy(&f.bytes);
                let before = &text[..at.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                d = d.at(&text, line, column);
            }
            errors.push(d);
        }
        let (folder, name) = f.rel.rsplit_once('/').unwrap_or(("", &f.rel));
        let path = format!("{}{name}", scheme.folder(folder));
        url_of_rel.insert(
            f.rel.clone(),
            format!("{base_path}{}", crate::util::url::percent_encode(&path)),
        );
        assets.push(Asset {
            path: path.trim_start_matches('/').to_string(),
            source: f.path.clone(),
            bytes: f.bytes.clone(),
        });
    }
    assets
}
