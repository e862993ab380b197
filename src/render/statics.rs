//! Render: the theme's static files, the code highlighting stylesheet and
//! the content's assets, and the check that none of them shares an output
//! path with anything else the site writes.

use super::{Output, Renderer};
use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// The code highlighting stylesheet, from the theme or generated.
const HIGHLIGHT_CSS: &str = "highlight.css";

impl Renderer {
    /// `highlight.css` is generated (from site.yaml's `highlight_theme`,
    /// or because the theme has none) rather than the theme's file.
    fn generates_highlight_css(&self, site: &Site) -> bool {
        !self.theme.statics.contains_key(HIGHLIGHT_CSS)
            || site.config.markdown.highlight_theme.is_some()
    }

    /// The theme's static files (and the generated highlight stylesheet)
    /// against everything else the site writes: every output path has one
    /// writer ([`crate::site::collisions`]).
    pub(super) fn check_collisions(&self, site: &Site) -> Vec<Diagnostic> {
        // The theme's files, with only the site's claims that meet them
        // (the same path, a folder on their way, or a file inside one):
        // the site's own claims were checked by assembly.
        let mut claims = crate::site::Claims::new();
        let generated = self.generates_highlight_css(site);
        let mut theme_claim = |path: &str, writer: String| {
            claims
                .entry(path.to_string())
                .or_insert_with(|| (site.url(&format!("/{path}")), Vec::new()))
                .1
                .push(writer);
        };
        for (path, f) in &self.theme.statics {
            if path == HIGHLIGHT_CSS && generated {
                continue;
            }
            theme_claim(
                path,
                format!("{}{}", crate::site::THEME_WRITER, f.origin.display()),
            );
        }
        if generated {
            theme_claim(HIGHLIGHT_CSS, "the generated highlight stylesheet".into());
        }
        let theme_paths: Vec<String> = claims.keys().cloned().collect();
        for path in &theme_paths {
            let folders = path.match_indices('/').map(|(i, _)| &path[..i]);
            let inside = format!("{path}/");
            let meeting = std::iter::once(path.as_str())
                .chain(folders)
                .filter_map(|p| site.claims.get_key_value(p))
                .chain(
                    site.claims
                        .range(inside.clone()..)
                        .take_while(|(p, _)| p.starts_with(&inside)),
                );
            for (p, (url, writers)) in meeting {
                let entry = claims
                    .entry(p.clone())
                    .or_insert_with(|| (url.clone(), Vec::new()));
                // The site's writers first, as in its own claims.
                let theme: Vec<String> = std::mem::take(&mut entry.1);
                entry.1 = writers.clone();
                entry
                    .1
                    .extend(theme.into_iter().filter(|w| !writers.contains(w)));
            }
        }
        crate::site::collisions(&claims)
    }

    /// Theme static files, the highlight stylesheet, and content assets.
    pub(super) fn statics(&self, site: &Site, errors: &mut Vec<Diagnostic>) -> Vec<Output> {
        let generated = self.generates_highlight_css(site);
        let mut out: Vec<Output> = self
            .theme
            .statics
            .iter()
            // A generated highlight.css replaces the theme's.
            .filter(|(path, _)| !(generated && *path == HIGHLIGHT_CSS))
            .map(|(path, f)| Output {
                path: path.clone(),
                bytes: f.bytes.clone(),
            })
            .collect();
        let theme_name = site
            .config
            .markdown
            .highlight_theme
            .as_deref()
            .unwrap_or(crate::highlight::DEFAULT_THEME);
        if generated {
            match crate::highlight::stylesheet(theme_name) {
                Ok(css) => out.push(Output {
                    path: HIGHLIGHT_CSS.into(),
                    bytes: css.into_bytes(),
                }),
                // site.yaml's highlight_theme is checked when it is read.
                Err(hint) => errors.push(Diagnostic::new("site.yaml", hint)),
            }
        }
        for asset in &site.assets {
            out.push(Output {
                path: asset.path.clone(),
                bytes: asset.bytes.clone(),
            });
        }
        out
    }
}
