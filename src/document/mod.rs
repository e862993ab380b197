//! Parse: source files into typed documents.
//!
//! A Markdown file becomes a [`Document`] with its [`FrontMatter`] and its
//! body (Markdown is turned into HTML later, in the assemble stage, once
//! every page's URL is known and links between files can be resolved). A
//! structured YAML file becomes a document of its `kind` (programme, role
//! set). Each document keeps its source path and text, so any later stage
//! can report a located error.

pub(crate) mod data;
pub(crate) mod frontmatter;
pub(crate) mod kind;
pub(crate) mod programme;
pub(crate) mod roles;
pub(crate) mod times;

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::config::Taxonomies;
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, suggest};
use crate::source::{SourceFile, SourceKind};

pub(crate) use kind::{Kind, Written};

/// The front matter of a Markdown file. Every field of every Markdown kind
/// is listed here, so that a typo in any of them is an error with a
/// suggestion; fields that belong to another kind are rejected in
/// [`Document::check_kind_fields`].
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrontMatter {
    /// Page title (required).
    pub title: String,
    /// `page` (default), `chapter`, `note`; `section` or `report` on `_index.md`.
    #[serde(default)]
    pub kind: Option<String>,
    /// URL segment; default: the file stem without a leading `NN-` prefix.
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub date: Option<Date>,
    /// Order within a section or report (then by file name).
    #[serde(default)]
    pub weight: Option<i64>,
    /// Left out of the build unless `--drafts` is given.
    #[serde(default)]
    pub draft: bool,
    /// For listings and `<meta name="description">`.
    #[serde(default)]
    pub summary: Option<String>,
    /// Reference into `_data/pijlers.yaml`.
    #[serde(default)]
    pub pijler: Option<String>,
    /// References into `_data/themagroepen.yaml`.
    #[serde(default)]
    pub themagroepen: Vec<String>,
    /// Template to render with instead of the kind's default.
    #[serde(default)]
    pub template: Option<String>,
    /// Free-form values for custom templates (`page.extra.x`).
    #[serde(default)]
    pub extra: Option<serde_yaml::Value>,
    /// Old site paths of this page (`/oud/pad/`): each becomes a redirect
    /// page to it (see `site/redirects.rs`).
    #[serde(default)]
    pub aliases: Vec<String>,

    // --- section (`_index.md`) ---
    /// `date`: list the section newest first, by date only.
    #[serde(default)]
    pub sort_by: Option<String>,
    /// List this many pages per page (`/nieuws/pagina/2/`, ...).
    #[serde(default)]
    pub paginate_by: Option<usize>,
    /// Write an Atom feed of the section's dated pages (`atom.xml`).
    #[serde(default)]
    pub feed: bool,

    // --- report (`_index.md` with `kind: report`) ---
    /// Report year, e.g. 2023.
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub subtitle: Option<String>,
    /// Publication date of the report.
    #[serde(default)]
    pub published: Option<Date>,

    // --- chapter ---
    /// Signature under a chapter, e.g. "Paul Depla, voorzitter G40 Stedennetwerk".
    #[serde(default)]
    pub signed: Option<String>,

    // --- note (`kind: note`) ---
    /// Document type shown on the note, e.g. `Informatienota`.
    #[serde(default)]
    pub note_type: Option<String>,
    /// Issuing organisation, e.g. `Gemeente Haarlem`.
    #[serde(default)]
    pub organisation: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub kernboodschap: Option<String>,
    /// Markdown.
    #[serde(default)]
    pub behandelvoorstel: Option<String>,
    /// Markdown; may be empty.
    #[serde(default)]
    pub eerdere_besluiten: Option<String>,
    #[serde(default)]
    pub besluit: Option<Besluit>,
    /// Who signs, in order (`[de secretaris, de burgemeester]`).
    #[serde(default)]
    pub ondertekening: Vec<String>,
}

/// The decision block of a note.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Besluit {
    pub orgaan: String,
    pub datum: Date,
    pub tekst: String,
}

/// A parsed Markdown document, before assembly.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    /// Path shown in errors, e.g. `content/jaarverslag/2023/01-voorwoord.md`.
    pub path: PathBuf,
    /// Path relative to `content/`, with `/`.
    pub rel: String,
    /// The whole file, for quoting lines in errors.
    pub text: Arc<str>,
    pub meta: FrontMatter,
    pub kind: Kind,
    /// Byte range of the Markdown body in `text`.
    pub body_start: usize,
    pub body_first_line: usize,
    /// Line of the front matter's first line (for locating field errors).
    pub yaml_first_line: usize,
    /// Non-fatal problems found while parsing (an old field name).
    pub warnings: Vec<Diagnostic>,
}

/// A warning for every key in `text[yaml]` written with an old name of a
/// taxonomy field (`themagroepen:` on a site that calls them
/// `opgavegroepen`): it still works, but the editor should know.
pub(crate) fn old_field_warnings(
    path: &std::path::Path,
    text: &str,
    yaml: std::ops::Range<usize>,
    taxa: &Taxonomies,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let first_line = text[..yaml.start].matches('\n').count() + 1;
    for (old, new) in taxa.old_fields() {
        let key = format!("{old}:");
        for (i, line) in text[yaml.clone()].lines().enumerate() {
            // A key starts a line, a list item or a `{ ... }` entry.
            let at = line.match_indices(&key).find(|(c, _)| {
                line[..*c]
                    .chars()
                    .next_back()
                    .is_none_or(|b| matches!(b, ' ' | '{' | ',' | '-'))
                    && line[..*c].trim_start_matches([' ', '-']).is_empty()
                    || line[..*c].trim_end().ends_with(['{', ','])
            });
            if let Some((c, _)) = at {
                warnings.push(
                    Diagnostic::new(path, format!("`{old}` is the old name of `{new}`"))
                        .at(text, first_line + i, line[..c].chars().count() + 1)
                        .hint(format!("rename the field to `{new}:`"))
                        .warning(),
                );
            }
        }
    }
    warnings
}

impl Document {
    /// The Markdown body; empty after [`Document::release_body`].
    pub(crate) fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Keep only the front matter of [`Document::text`]: for a build that
    /// has rendered the body and will not render it again. What is quoted
    /// after that (aliases, taxonomy fields) is all in the front matter,
    /// and its offsets and lines stay as they were. A text that is shared
    /// (`serve` keeps it to compare the next read with) is left whole:
    /// a copy of the front matter would free nothing.
    pub(crate) fn release_body(&mut self) {
        if Arc::strong_count(&self.text) == 1 {
            self.text = Arc::from(&self.text[..self.body_start]);
        }
    }

    /// `_index.md` of a folder.
    pub(crate) fn is_index(&self) -> bool {
        self.rel == "_index.md" || self.rel.ends_with("/_index.md")
    }

    /// Folder relative to `content/` (`""` for the top).
    pub(crate) fn folder(&self) -> &str {
        crate::util::slug::folder(&self.rel)
    }

    /// Locate a front matter field (by key) for errors found after parsing.
    pub(crate) fn locate_field(&self, key: &str) -> (usize, usize) {
        crate::util::yaml_locator::front_matter_key(&self.text[..self.body_start], key)
            .unwrap_or((self.yaml_first_line, 1))
    }

    /// A diagnostic pointing at front matter field `key`.
    pub(crate) fn field_error(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let (l, c) = self.locate_field(key);
        Diagnostic::new(&self.path, message).at(&self.text, l, c)
    }
}

/// Parse one Markdown source file of a site with today's taxonomy names.
pub(crate) fn parse_markdown(file: &SourceFile) -> Result<Document, Vec<Diagnostic>> {
    parse_markdown_with(file, &Taxonomies::default())
}

/// Parse one Markdown source file; `taxa` says what the site calls its
/// taxonomy fields (`taxonomies:` in `site.yaml`).
pub(crate) fn parse_markdown_with(
    file: &SourceFile,
    taxa: &Taxonomies,
) -> Result<Document, Vec<Diagnostic>> {
    debug_assert_eq!(file.kind, SourceKind::Markdown);
    let text: Arc<str> = file.text.clone();
    let split = frontmatter::split(&file.path, &text).map_err(|d| vec![d])?;
    let yaml_first_line = split.yaml_first_line;
    let body_first_line = split.body_first_line;
    let body_start = text.len() - split.body.len();
    if split.yaml.trim().is_empty() {
        return Err(vec![
            Diagnostic::new(&file.path, "the front matter is empty: `title` is required")
                .at(&text, 1, 1)
                .hint("add a line `title: ...` between the `---` lines"),
        ]);
    }
    let meta: FrontMatter = crate::diagnostics::parse_yaml_keys(
        &file.path,
        &text,
        split.yaml,
        yaml_first_line - 1,
        taxa.key_names(),
    )?;
    let yaml_start = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
    let warnings = old_field_warnings(
        &file.path,
        &text,
        yaml_start..yaml_start + split.yaml.len(),
        taxa,
    );
    let mut doc = Document {
        path: file.path.clone(),
        rel: file.rel.clone(),
        text: text.clone(),
        meta,
        kind: Kind::Page,
        body_start,
        body_first_line,
        yaml_first_line,
        warnings,
    };
    let mut errors = Vec::new();
    doc.kind = match doc.meta.kind.as_deref() {
        None if doc.is_index() => Kind::Section,
        None => Kind::Page,
        Some(name) => match Kind::from_name(name, Written::Markdown) {
            Some(k) => k,
            None => {
                errors.push(
                    doc.field_error("kind", format!("unknown kind `{name}`"))
                        .hint(suggest(
                            name,
                            &Kind::names(Written::Markdown),
                            "kinds for Markdown files",
                        )),
                );
                Kind::Page
            }
        },
    };
    if doc.meta.title.trim().is_empty() {
        errors.push(
            doc.field_error("title", "`title` is empty")
                .hint("give the page a title"),
        );
    }
    errors.extend(doc.check_kind_fields());
    if errors.is_empty() {
        Ok(doc)
    } else {
        Err(errors)
    }
}

impl Document {
    /// Reject fields that belong to another kind (a `signed` on a plain
    /// page is almost always a mistake) and require the kind's own fields.
    fn check_kind_fields(&self) -> Vec<Diagnostic> {
        let m = &self.meta;
        let mut errors = Vec::new();
        // Each field belongs to the kind whose registry row names it.
        let present = kind_fields(m);
        for (key, _) in present.iter().filter(|(_, set)| *set) {
            // Every field listed has an owner (a unit test checks).
            let Some(owner) = Kind::owner_of(key) else {
                continue;
            };
            // A plain page may still become a chapter (by its folder), which
            // the assemble stage decides; it checks `signed` again there.
            let may_become_owner = owner == Kind::Chapter && self.kind == Kind::Page;
            if self.kind != owner && !may_become_owner {
                errors.push(
                    self.field_error(
                        key,
                        format!("`{key}` is only used on {}", owner.info().plural),
                    )
                    .hint(format!("remove `{key}`, or set the right `kind`")),
                );
            }
        }
        if matches!(self.kind, Kind::Section | Kind::Report) && !self.is_index() {
            let (l, c) = self.locate_field("kind");
            errors.push(
                Diagnostic::new(
                    &self.path,
                    format!(
                        "`kind: {}` belongs in a folder's `_index.md`",
                        self.meta.kind.as_deref().unwrap_or("")
                    ),
                )
                .at(&self.text, l, c)
                .hint("move this front matter to _index.md in the folder, or use `kind: page`"),
            );
        }
        if self.kind == Kind::Section {
            if let Some(sort) = m.sort_by.as_deref().filter(|s| *s != "date") {
                errors.push(
                    self.field_error("sort_by", format!("unknown `sort_by: {sort}`"))
                        .hint("`sort_by: date` lists the section newest first; leave it out for the usual order (weight, date, file name)"),
                );
            }
            if m.paginate_by == Some(0) {
                errors.push(
                    self.field_error("paginate_by", "`paginate_by` must be at least 1")
                        .hint("give the number of pages listed per page, e.g. `paginate_by: 10`"),
                );
            }
        }
        if self.kind == Kind::Note {
            let mut required = |missing: bool, key: &str| {
                if missing {
                    errors.push(
                        Diagnostic::new(&self.path, format!("a note needs `{key}`"))
                            .at(&self.text, self.yaml_first_line, 1)
                            .hint(format!("add `{key}:` to the front matter (see docs/content-format.md, Note)")),
                    );
                }
            };
            required(m.note_type.is_none(), "note_type");
            required(m.organisation.is_none(), "organisation");
            required(m.date.is_none(), "date");
        }
        errors
    }
}

/// The front matter fields that belong to one kind, and whether each is set.
/// Each is an own field of one registry row ([`kind::KindInfo::own_fields`]).
fn kind_fields(m: &FrontMatter) -> [(&'static str, bool); 14] {
    [
        ("year", m.year.is_some()),
        ("subtitle", m.subtitle.is_some()),
        ("published", m.published.is_some()),
        ("signed", m.signed.is_some()),
        ("note_type", m.note_type.is_some()),
        ("organisation", m.organisation.is_some()),
        ("kernboodschap", m.kernboodschap.is_some()),
        ("behandelvoorstel", m.behandelvoorstel.is_some()),
        ("eerdere_besluiten", m.eerdere_besluiten.is_some()),
        ("besluit", m.besluit.is_some()),
        ("ondertekening", !m.ondertekening.is_empty()),
        ("sort_by", m.sort_by.is_some()),
        ("paginate_by", m.paginate_by.is_some()),
        ("feed", m.feed),
    ]
}

#[cfg(test)]
mod tests {

    #[test]
    fn every_kind_field_has_an_owner_in_the_registry() {
        let fields = kind_fields(&FrontMatter::default());
        for (key, _) in fields {
            assert!(Kind::owner_of(key).is_some(), "`{key}` has no kind");
        }
        // And every own field of the registry is checked here.
        for k in kind::KINDS
            .iter()
            .filter(|k| k.written == Written::Markdown)
        {
            for f in k.own_fields {
                assert!(
                    fields.iter().any(|(key, _)| key == f),
                    "`{f}` is not checked"
                );
            }
        }
    }
    use super::*;

    fn source(rel: &str, text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from("content").join(rel),
            rel: rel.into(),
            kind: SourceKind::Markdown,
            text: text.into(),
            bytes: vec![],
        }
    }

    #[test]
    fn parses_front_matter_and_body() {
        let d = parse_markdown(&source(
            "a/01-b.md",
            "---\ntitle: B\nweight: 2\n---\nTekst\n",
        ))
        .unwrap();
        assert_eq!(d.meta.title, "B");
        assert_eq!(d.body(), "Tekst\n");
        assert_eq!(d.kind, Kind::Page);
        assert_eq!(d.folder(), "a");
    }

    #[test]
    fn missing_title_is_located() {
        let e = parse_markdown(&source("a.md", "---\ndate: 2023-01-01\n---\n")).unwrap_err();
        assert!(
            e[0].message.contains("missing field `title`"),
            "{}",
            e[0].message
        );
        assert_eq!(e[0].line, Some(2));
    }

    #[test]
    fn bad_date_is_located() {
        let e =
            parse_markdown(&source("a.md", "---\ntitle: x\ndate: 2023-02-30\n---\n")).unwrap_err();
        assert!(e[0].message.contains("does not exist"), "{}", e[0].message);
        assert_eq!(e[0].line, Some(3));
    }

    #[test]
    fn typo_in_field_gets_suggestion() {
        let e = parse_markdown(&source("a.md", "---\ntitle: x\nsumary: y\n---\n")).unwrap_err();
        assert_eq!(e[0].hint.as_deref(), Some("did you mean `summary`?"));
        assert_eq!(e[0].line, Some(3));
    }

    #[test]
    fn field_of_other_kind_is_rejected() {
        let text = "---\ntitle: x\nnote_type: Informatienota\n---\n";
        let e = parse_markdown(&source("a.md", text)).unwrap_err();
        assert!(
            e[0].message.contains("`note_type` is only used on notes"),
            "{}",
            e[0].message
        );
        assert_eq!(e[0].line, Some(3));
    }
}
