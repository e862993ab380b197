//! The theme: templates and static files, looked up in three layers.
//!
//! 1. the default theme `g40`, embedded in the binary (so a site without a
//!    `themes/` folder builds);
//! 2. `themes/<name>/` of the site, when `site.yaml` names a theme;
//! 3. the site's own `templates/` and `static/`, file by file.
//!
//! A later layer replaces files of an earlier one with the same relative
//! path. Everything is read into memory once per build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::{SiteConfig, Strings, StringsFile};
use crate::diagnostics::Diagnostic;

/// Name of the embedded default theme.
pub(crate) const DEFAULT_THEME: &str = "g40";

/// The embedded theme's files, by path relative to the theme folder.
/// `tests/suite/theme.rs` checks this list against `themes/g40/`.
pub const EMBEDDED: &[(&str, &[u8])] = &[
    (
        "strings/en.yaml",
        include_bytes!("../themes/g40/strings/en.yaml"),
    ),
    (
        "strings/nl.yaml",
        include_bytes!("../themes/g40/strings/nl.yaml"),
    ),
    (
        "templates/404.html",
        include_bytes!("../themes/g40/templates/404.html"),
    ),
    (
        "templates/base.html",
        include_bytes!("../themes/g40/templates/base.html"),
    ),
    (
        "templates/chapter.html",
        include_bytes!("../themes/g40/templates/chapter.html"),
    ),
    (
        "templates/index.html",
        include_bytes!("../themes/g40/templates/index.html"),
    ),
    (
        "templates/note.html",
        include_bytes!("../themes/g40/templates/note.html"),
    ),
    (
        "templates/page.html",
        include_bytes!("../themes/g40/templates/page.html"),
    ),
    (
        "templates/partials/listing.html",
        include_bytes!("../themes/g40/templates/partials/listing.html"),
    ),
    (
        "templates/partials/pagination.html",
        include_bytes!("../themes/g40/templates/partials/pagination.html"),
    ),
    (
        "templates/partials/role_bodies.html",
        include_bytes!("../themes/g40/templates/partials/role_bodies.html"),
    ),
    (
        "templates/partials/role_body.html",
        include_bytes!("../themes/g40/templates/partials/role_body.html"),
    ),
    (
        "templates/partials/role_table.html",
        include_bytes!("../themes/g40/templates/partials/role_table.html"),
    ),
    (
        "templates/partials/programme_grid.html",
        include_bytes!("../themes/g40/templates/partials/programme_grid.html"),
    ),
    (
        "templates/partials/programme_legend.html",
        include_bytes!("../themes/g40/templates/partials/programme_legend.html"),
    ),
    (
        "templates/partials/programme_print_part.html",
        include_bytes!("../themes/g40/templates/partials/programme_print_part.html"),
    ),
    (
        "templates/partials/programme_session.html",
        include_bytes!("../themes/g40/templates/partials/programme_session.html"),
    ),
    (
        "templates/shortcodes/data_table.html",
        include_bytes!("../themes/g40/templates/shortcodes/data_table.html"),
    ),
    (
        "templates/shortcodes/doc.html",
        include_bytes!("../themes/g40/templates/shortcodes/doc.html"),
    ),
    (
        "templates/shortcodes/figure.html",
        include_bytes!("../themes/g40/templates/shortcodes/figure.html"),
    ),
    (
        "templates/shortcodes/netwerkdagen.html",
        include_bytes!("../themes/g40/templates/shortcodes/netwerkdagen.html"),
    ),
    (
        "templates/shortcodes/steden.html",
        include_bytes!("../themes/g40/templates/shortcodes/steden.html"),
    ),
    (
        "templates/partials/taxa.html",
        include_bytes!("../themes/g40/templates/partials/taxa.html"),
    ),
    (
        "templates/programme.html",
        include_bytes!("../themes/g40/templates/programme.html"),
    ),
    (
        "templates/programme_print.html",
        include_bytes!("../themes/g40/templates/programme_print.html"),
    ),
    (
        "templates/report.html",
        include_bytes!("../themes/g40/templates/report.html"),
    ),
    (
        "templates/redirect.html",
        include_bytes!("../themes/g40/templates/redirect.html"),
    ),
    (
        "templates/report_print.html",
        include_bytes!("../themes/g40/templates/report_print.html"),
    ),
    (
        "templates/role.html",
        include_bytes!("../themes/g40/templates/role.html"),
    ),
    (
        "templates/roles.html",
        include_bytes!("../themes/g40/templates/roles.html"),
    ),
    (
        "templates/roles_print.html",
        include_bytes!("../themes/g40/templates/roles_print.html"),
    ),
    (
        "templates/search.html",
        include_bytes!("../themes/g40/templates/search.html"),
    ),
    (
        "templates/section.html",
        include_bytes!("../themes/g40/templates/section.html"),
    ),
    (
        "templates/taxonomy.html",
        include_bytes!("../themes/g40/templates/taxonomy.html"),
    ),
    (
        "templates/taxonomy_list.html",
        include_bytes!("../themes/g40/templates/taxonomy_list.html"),
    ),
    (
        "static/mijn-programma.js",
        include_bytes!("../themes/g40/static/mijn-programma.js"),
    ),
    (
        "static/print.css",
        include_bytes!("../themes/g40/static/print.css"),
    ),
    (
        "static/programme.css",
        include_bytes!("../themes/g40/static/programme.css"),
    ),
    (
        "static/style.css",
        include_bytes!("../themes/g40/static/style.css"),
    ),
    (
        "static/zoeken.js",
        include_bytes!("../themes/g40/static/zoeken.js"),
    ),
];

/// A theme's name is one plain folder name: no path, no `..`, not hidden.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':', '\0'])
        && !Path::new(name).is_absolute()
}

/// An error if `path` is a symbolic link: theme files are read from the
/// site only, never through a link (as in content/).
fn linked(root: &Path, path: &Path) -> Option<Diagnostic> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    meta.file_type().is_symlink().then(|| {
        Diagnostic::new(
            path.strip_prefix(root).unwrap_or(path),
            "is a symbolic link: g40site does not read templates or static files through links",
        )
        .hint("copy the folder into the site instead of linking to it")
    })
}

/// One theme file and where it came from (for error messages).
#[derive(Debug, Clone)]
pub(crate) struct ThemeFile {
    pub bytes: Vec<u8>,
    /// Shown in errors: a path relative to the site root, or
    /// `<embedded theme g40>/templates/x.html`.
    pub origin: PathBuf,
}

/// The merged theme: templates by name (`page.html`) and static files by
/// output path (`style.css`).
#[derive(Debug, Default)]
pub(crate) struct Theme {
    pub templates: BTreeMap<String, ThemeFile>,
    pub statics: BTreeMap<String, ThemeFile>,
    /// Strings files by name (`nl.yaml`), every layer in order: the
    /// embedded theme's, the site theme's, the site's own.
    pub strings: BTreeMap<String, Vec<ThemeFile>>,
}

/// The embedded theme's interface text in `language` (Dutch when it has
/// none), for pages the build does not make (serve's error page).
pub(crate) fn embedded_strings(language: &str) -> Strings {
    let name = format!("strings/{language}.yaml");
    EMBEDDED
        .iter()
        .find(|(path, _)| *path == name)
        .and_then(|(path, bytes)| {
            let text = std::str::from_utf8(bytes).ok()?;
            StringsFile::parse(Path::new(path), text).ok()
        })
        .map(|f| {
            let mut s = Strings::empty();
            s.add(f);
            s
        })
        .unwrap_or_default()
}

impl Theme {
    /// Merge the three layers for the site at `root`.
    pub(crate) fn load(root: &Path, theme_name: Option<&str>) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::default();
        for (path, bytes) in EMBEDDED {
            theme.insert(
                path,
                bytes.to_vec(),
                PathBuf::from(format!("<embedded theme {DEFAULT_THEME}>/{path}")),
            );
        }
        let mut errors = Vec::new();
        let site_yaml = || std::fs::read_to_string(root.join("site.yaml")).unwrap_or_default();
        if let Some(name) = theme_name.filter(|n| !is_folder_name(n)) {
            // `../../outside`, `/abs`, `a/b`: themes come from themes/ only.
            let text = site_yaml();
            let (l, c) = crate::util::yaml_locator::find_text(&text, "theme:", 0).unwrap_or((1, 1));
            errors.push(
                Diagnostic::new(
                    "site.yaml",
                    format!("theme `{name}` is not the name of a folder in themes/"),
                )
                .at(&text, l, c)
                .hint("write just the folder name, e.g. `theme: g40` for themes/g40/; themes outside the site are not used"),
            );
        } else if let Some(name) = theme_name {
            let dir = root.join("themes").join(name);
            let link = linked(root, &root.join("themes")).or_else(|| linked(root, &dir));
            if let Some(d) = link {
                errors.push(d);
            } else if dir.is_dir() {
                theme.overlay(root, &dir, &mut errors);
            } else if name != DEFAULT_THEME {
                let available: Vec<String> = std::fs::read_dir(root.join("themes"))
                    .map(|rd| {
                        rd.filter_map(|e| e.ok())
                            .map(|e| e.file_name().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                let mut choices: Vec<&str> = available.iter().map(String::as_str).collect();
                choices.push(DEFAULT_THEME);
                let text = site_yaml();
                let (l, c) =
                    crate::util::yaml_locator::find_text(&text, "theme:", 0).unwrap_or((1, 1));
                errors.push(
                    Diagnostic::new("site.yaml", format!("theme `{name}` not found in themes/"))
                        .at(&text, l, c)
                        .hint(crate::diagnostics::suggest(name, &choices, "themes")),
                );
            }
        }
        // The site's own templates/ and static/ override file by file.
        theme.overlay(root, root, &mut errors);
        if errors.is_empty() {
            Ok(theme)
        } else {
            Err(errors)
        }
    }

    /// The interface text in the site's language: the layers of
    /// `strings/<language>.yaml`, key by key, then `strings:` in
    /// `site.yaml`. A language no layer has, a layer that leaves out a
    /// key, or a `strings:` key no layer has, is an error.
    pub(crate) fn strings(
        &self,
        root: &Path,
        config: &SiteConfig,
    ) -> Result<Strings, Vec<Diagnostic>> {
        let language = &config.language;
        let file = format!("{language}.yaml");
        let site_yaml = || std::fs::read_to_string(root.join("site.yaml")).unwrap_or_default();
        let Some(layers) = self.strings.get(&file) else {
            let text = site_yaml();
            let (l, c) =
                crate::util::yaml_locator::find_text(&text, "language:", 0).unwrap_or((1, 1));
            let have: Vec<&str> = self
                .strings
                .keys()
                .filter_map(|k| k.strip_suffix(".yaml"))
                .collect();
            return Err(vec![
                Diagnostic::new("site.yaml", format!("the theme has no interface text for language `{language}`"))
                    .at(&text, l, c)
                    .hint(format!(
                        "the theme has {}; for another language add strings/{file} to the theme (a copy of strings/en.yaml, translated)",
                        have.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(" and ")
                    )),
            ]);
        };
        let mut errors = Vec::new();
        let mut strings = Strings::empty();
        for layer in layers {
            let text = match crate::source::decode_text(&layer.origin, layer.bytes.clone()) {
                Ok(t) => t,
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
            match StringsFile::parse(&layer.origin, &text) {
                Ok(f) => strings.add(f),
                Err(e) => errors.extend(e),
            }
        }
        if errors.is_empty() {
            let missing = strings.missing();
            if !missing.is_empty() {
                let origin = &layers[0].origin;
                errors.push(
                    Diagnostic::new(
                        origin,
                        format!(
                            "strings for `{language}` lack {}",
                            missing
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                    .hint("every language needs every key of the embedded strings/nl.yaml"),
                );
            }
        }
        if !config.strings.is_empty() {
            let text = site_yaml();
            let known: Vec<&str> = strings.text.keys().map(String::as_str).collect();
            let mut unknown = Vec::new();
            for key in config.strings.keys() {
                if !strings.text.contains_key(key) {
                    let (l, c) =
                        crate::util::yaml_locator::front_matter_key(&text, key).unwrap_or((1, 1));
                    unknown.push(
                        Diagnostic::new(
                            "site.yaml",
                            format!("`strings: {key}` is not a string of the theme"),
                        )
                        .at(&text, l, c)
                        .hint(crate::diagnostics::suggest(key, &known, "strings")),
                    );
                }
            }
            errors.extend(unknown);
            strings.text.extend(config.strings.clone());
        }
        if errors.is_empty() {
            Ok(strings)
        } else {
            Err(errors)
        }
    }

    /// A hash of every template and static file (names and bytes): equal
    /// fingerprints mean the compiled templates can be reused.
    pub(crate) fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (name, file) in self.templates.iter().chain(&self.statics) {
            name.hash(&mut h);
            file.bytes.hash(&mut h);
        }
        h.finish()
    }

    fn insert(&mut self, rel: &str, bytes: Vec<u8>, origin: PathBuf) {
        let file = ThemeFile { bytes, origin };
        if let Some(name) = rel.strip_prefix("templates/") {
            self.templates.insert(name.to_string(), file);
        } else if let Some(name) = rel.strip_prefix("static/") {
            self.statics.insert(name.to_string(), file);
        } else if let Some(name) = rel.strip_prefix("strings/") {
            self.strings.entry(name.to_string()).or_default().push(file);
        }
    }

    /// Add `dir/templates/**` and `dir/static/**`, replacing same-named files.
    fn overlay(&mut self, root: &Path, dir: &Path, errors: &mut Vec<Diagnostic>) {
        for sub in ["templates", "static", "strings"] {
            let base = dir.join(sub);
            if let Some(d) = linked(root, &base) {
                errors.push(d);
                continue;
            }
            if !base.is_dir() {
                continue;
            }
            for entry in WalkDir::new(&base).follow_links(false).sort_by_file_name() {
                let Ok(entry) = entry else { continue };
                if !entry.file_type().is_file()
                    || entry.file_name().to_string_lossy().starts_with('.')
                {
                    continue;
                }
                let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                let rel_str = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let shown = entry
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(entry.path())
                    .to_path_buf();
                match std::fs::read(entry.path()) {
                    Ok(bytes) => self.insert(&rel_str, bytes, shown),
                    Err(e) => errors.push(Diagnostic::new(shown, format!("cannot read: {e}"))),
                }
            }
        }
    }
}
