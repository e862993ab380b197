//! Assemble, first step: every source file parsed into its document, and
//! drafts set aside.
//!
//! Markdown files are parsed in parallel, `_data/` files loaded, and each
//! structured YAML document parsed by the parser its `kind:` selects. A file
//! that fails is reported and listed as [`Unpublished::Unreadable`]; a
//! draft (or a page in a draft report or section) as
//! [`Unpublished::Draft`], so links to either say why they lead nowhere.

use std::collections::HashMap;

use rayon::prelude::*;

use super::incremental::AssemblyCache;
use super::links::Unpublished;
use crate::config::Taxonomies;
use crate::diagnostics::Diagnostic;
use crate::document::data::Data;
use crate::document::programme::Programme;
use crate::document::roles::RoleSetDocument;
use crate::document::{Document, Kind, Written};
use crate::source::{SourceFile, SourceKind, Sources};

/// The parsed documents of a site, by kind.
pub(super) struct Documents {
    pub markdown: Vec<Document>,
    pub role_sets: Vec<RoleSetDocument>,
    pub programmes: Vec<Programme>,
    pub data: Data,
    /// A taxonomy file that cannot be read leaves every reference to it
    /// "unknown": those are not problems of their own.
    pub pijlers_unreadable: bool,
    pub themagroepen_unreadable: bool,
    pub unpublished: HashMap<String, Unpublished>,
}

/// Parse every document of `sources`; problems go to `errors`. With a
/// cache, Markdown files whose text it has seen are not parsed again.
pub(super) fn parse(
    sources: &Sources,
    taxa: &Taxonomies,
    mut cache: Option<&mut AssemblyCache>,
    errors: &mut Vec<Diagnostic>,
) -> Documents {
    let markdown_files: Vec<&SourceFile> = sources
        .files
        .iter()
        .filter(|f| f.kind == SourceKind::Markdown)
        .collect();
    // Parses depend on the site's taxonomy field names too.
    if let Some(cache) = cache.as_deref_mut() {
        cache.for_names(taxa);
    }
    let known = cache.as_deref();
    let parsed: Vec<(Result<Document, Vec<Diagnostic>>, bool)> = markdown_files
        .par_iter()
        .map(|f| match known.and_then(|c| c.parse(f)) {
            Some(r) => (r, false),
            None => (crate::document::parse_markdown_with(f, taxa), true),
        })
        .collect();
    if let Some(cache) = cache {
        for ((r, new), f) in parsed.iter().zip(&markdown_files) {
            if *new {
                cache.keep_parsed(f, r);
            }
        }
        let present: std::collections::HashSet<&str> =
            markdown_files.iter().map(|f| f.rel.as_str()).collect();
        cache.retain_parsed(&present);
    }
    let parsed = parsed.into_iter().map(|(r, _)| r);
    let mut markdown = Vec::new();
    let mut unpublished: HashMap<String, Unpublished> = HashMap::new();
    for (r, f) in parsed.zip(&markdown_files) {
        match r {
            Ok(mut d) => {
                errors.append(&mut d.warnings);
                markdown.push(d)
            }
            Err(e) => {
                errors.extend(e);
                unpublished.insert(f.rel.clone(), Unpublished::Unreadable);
            }
        }
    }
    let data_files: Vec<&SourceFile> = sources
        .files
        .iter()
        .filter(|f| f.kind == SourceKind::Data)
        .collect();
    let (data, data_errors) = crate::document::data::load(&data_files, taxa);
    let unreadable_data = |stem: &str| {
        data_errors.iter().any(|e| {
            let name = e.file.file_stem().and_then(|s| s.to_str());
            name == Some(stem)
        })
    };
    let (pijlers_unreadable, themagroepen_unreadable) = (
        unreadable_data(&taxa.pijlers.data),
        unreadable_data(&taxa.groepen.data),
    );
    errors.extend(data_errors);
    errors.extend(crate::document::data::check_taxonomies(
        &data, sources, taxa,
    ));
    let keys = taxa.key_names();
    let mut role_sets = Vec::new();
    let mut programmes = Vec::new();
    for f in sources
        .files
        .iter()
        .filter(|f| f.kind == SourceKind::Structured)
    {
        let before = errors.len();
        match crate::structured::read_kind(f).as_deref() {
            Err(d) => errors.push(d.clone()),
            Ok(name) => match Kind::from_name(name, Written::Yaml) {
                Some(Kind::Roles) => match crate::document::roles::parse_with(f, keys) {
                    Ok(r) => role_sets.push(r),
                    Err(e) => errors.extend(e),
                },
                Some(Kind::Programme) => match crate::document::programme::parse_with(f, keys) {
                    Ok(p) => programmes.push(p),
                    Err(e) => errors.extend(e),
                },
                // Markdown kinds are not YAML documents (`from_name` only
                // gives kinds written as YAML).
                Some(Kind::Page | Kind::Section | Kind::Report | Kind::Chapter | Kind::Note)
                | None => errors.push(Diagnostic::new(
                    &f.path,
                    format!("documents of kind `{name}` are not supported yet"),
                )),
            },
        }
        if errors.len() > before {
            unpublished.insert(f.rel.clone(), Unpublished::Unreadable);
        } else {
            errors.extend(crate::document::old_field_warnings(
                &f.path,
                &f.text,
                0..f.text.len(),
                taxa,
            ));
        }
    }
    Documents {
        markdown,
        role_sets,
        programmes,
        data,
        pijlers_unreadable,
        themagroepen_unreadable,
        unpublished,
    }
}

impl Documents {
    /// Set drafts aside: a draft report or section also hides the pages
    /// in its folder. Each is listed as [`Unpublished::Draft`], naming the
    /// file whose `draft: true` hides it.
    pub(super) fn hide_drafts(&mut self) {
        let hidden_folders: Vec<String> = self
            .markdown
            .iter()
            .filter(|d| d.is_index() && d.meta.draft)
            .map(|d| d.folder().to_string())
            .collect();
        let hidden = |folder: &str| {
            hidden_folders
                .iter()
                .any(|f| folder == f || folder.starts_with(&format!("{f}/")))
        };
        // The `_index.md` whose `draft: true` hides `folder` (the outermost).
        let hidden_by = |folder: &str| {
            hidden_folders
                .iter()
                .filter(|f| folder == f.as_str() || folder.starts_with(&format!("{f}/")))
                .min_by_key(|f| f.len())
                .map(|f| {
                    if f.is_empty() {
                        "_index.md".to_string()
                    } else {
                        format!("{f}/_index.md")
                    }
                })
        };
        let unpublished = &mut self.unpublished;
        let mut draft = |rel: &str, own: bool, folder: &str| {
            let by = match hidden_by(folder) {
                Some(index) if !own || index == rel => index,
                _ => rel.to_string(),
            };
            unpublished.insert(rel.to_string(), Unpublished::Draft(by));
        };
        for d in self
            .markdown
            .iter()
            .filter(|d| d.meta.draft || hidden(d.folder()))
        {
            draft(&d.rel, d.meta.draft, d.folder());
        }
        for r in self
            .role_sets
            .iter()
            .filter(|r| r.set.draft || hidden(r.folder()))
        {
            draft(&r.rel, r.set.draft, r.folder());
        }
        for p in self
            .programmes
            .iter()
            .filter(|p| p.draft || hidden(p.folder()))
        {
            draft(&p.rel, p.draft, p.folder());
        }
        self.markdown
            .retain(|d| !d.meta.draft && !hidden(d.folder()));
        self.role_sets
            .retain(|r| !r.set.draft && !hidden(r.folder()));
        self.programmes.retain(|p| !p.draft && !hidden(p.folder()));
    }
}
