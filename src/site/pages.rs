//! Assemble: Markdown documents become pages.
//!
//! A [`Document`] gets its URL, its body rendered with links to other files
//! resolved, its pillar and theme groups resolved, and for a note its
//! formal parts rendered. [`settle_kinds`] first decides which pages are
//! report chapters (every page in a report's folder). [`page_at`] is the
//! page every kind starts from, so structured documents (role sets,
//! programmes) become pages the same way.

use std::collections::HashMap;

use serde::Serialize;

use super::links::Unpublished;
use super::{Assembly, Page};
use crate::dates::Date;
use crate::diagnostics::Diagnostic;
use crate::document::{Document, Kind};
use crate::markdown::{self, Heading};
use crate::util::slug::{default_slug, file_stem};

/// The formal parts of a note, rendered from Markdown where they are Markdown.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NoteFields {
    pub note_type: String,
    pub organisation: String,
    pub kernboodschap: Option<String>,
    pub behandelvoorstel: Option<String>,
    pub eerdere_besluiten: Option<String>,
    pub besluit: Option<BesluitView>,
    pub ondertekening: Vec<String>,
    /// The author numbered the chapters (`## 1. Inleiding`); otherwise the
    /// theme numbers them.
    pub chapters_numbered: bool,
}

/// The decision of a note, its text rendered.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BesluitView {
    pub orgaan: String,
    pub datum: Date,
    pub tekst: String,
}

/// A page of `kind` at site path `path` with only what every page has;
/// each kind fills in the rest.
pub(super) fn page_at(
    ax: &Assembly,
    kind: Kind,
    path: &str,
    title: &str,
    source: &str,
    folder: &str,
    file_stem: &str,
) -> Page {
    Page {
        title: title.to_string(),
        kind,
        url: format!("{}{path}", ax.base_path),
        permalink: format!("{}{path}", ax.base_url),
        date: None,
        weight: None,
        summary: None,
        content: "".into(),
        toc: Vec::new(),
        pijler: None,
        themagroepen: Vec::new(),
        extra: None,
        source: source.to_string(),
        draft: false,
        year: None,
        subtitle: None,
        published: None,
        signed: None,
        note: None,
        upcoming: None,
        date_range: None,
        pdf_url: None,
        template: kind.template().into(),
        folder: folder.to_string(),
        file_stem: default_slug(file_stem),
        build: None,
    }
}

/// Every non-index page in a report's folder is one of its chapters; a
/// chapter anywhere else, and report-only fields on a plain page, are
/// errors.
pub(super) fn settle_kinds(
    docs: &mut [Document],
    unpublished: &HashMap<String, Unpublished>,
    errors: &mut Vec<Diagnostic>,
) {
    let report_folders: Vec<String> = docs
        .iter()
        .filter(|d| d.kind == Kind::Report)
        .map(|d| d.folder().to_string())
        .collect();
    // A folder whose `_index.md` has errors may be a report: its chapters
    // are not judged as plain pages (that would be a second, false error).
    let index_unreadable = |folder: &str| {
        let index = if folder.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{folder}/_index.md")
        };
        unpublished.get(&index) == Some(&Unpublished::Unreadable)
    };
    for d in docs.iter_mut() {
        if !d.is_index() && index_unreadable(d.folder()) {
            if d.kind == Kind::Page {
                d.kind = Kind::Chapter;
            }
        } else if !d.is_index() && report_folders.iter().any(|f| f == d.folder()) {
            match d.kind {
                Kind::Page | Kind::Chapter => d.kind = Kind::Chapter,
                other => errors.push(
                    d.field_error(
                        "kind",
                        format!("a report folder holds chapters, not `kind: {:?}`", other)
                            .to_lowercase(),
                    )
                    .hint("move this file out of the report's folder, or remove `kind`"),
                ),
            }
        } else if d.kind == Kind::Page && d.meta.signed.is_some() {
            errors.push(
                d.field_error("signed", "`signed` is only used on report chapters")
                    .hint("chapters live in a folder whose _index.md has `kind: report`"),
            );
        } else if d.kind == Kind::Chapter {
            errors.push(
                d.field_error("kind", "`kind: chapter` outside a report")
                    .hint("chapters live in a folder whose _index.md has `kind: report`"),
            );
        }
    }
}

/// The page of Markdown document `d` at site path `path`, and the problems
/// found in it (broken links, unknown pillars, bad note fields).
pub(super) fn build_page(ax: &Assembly, d: &Document, path: &str) -> (Page, Vec<Diagnostic>) {
    let body = super::shortcodes::render_body(ax, d, "", 0);
    let mut errors = body.errors;
    let (pijler, themagroepen) = ax.refs.of_document(d, &mut errors);
    let m = &d.meta;
    // A note field's problems (a bad heading id, an image without alt
    // text) are located at the field.
    let field = |key: &str, s: &Option<String>, errors: &mut Vec<Diagnostic>| {
        s.as_ref().map(|text| {
            let r = markdown::render(
                text,
                &markdown::Context {
                    unsafe_html: ax.unsafe_html,
                    site_url: Some(ax.base_url),
                    ..markdown::Context::plain(&d.path)
                },
            );
            errors.extend(
                r.errors
                    .into_iter()
                    .map(|e| d.field_error(key, e.message).maybe_hint(e.hint)),
            );
            r.html
        })
    };
    let note = (d.kind == Kind::Note).then(|| NoteFields {
        note_type: m.note_type.clone().unwrap_or_default(),
        organisation: m.organisation.clone().unwrap_or_default(),
        kernboodschap: field("kernboodschap", &m.kernboodschap, &mut errors),
        behandelvoorstel: field("behandelvoorstel", &m.behandelvoorstel, &mut errors),
        eerdere_besluiten: field("eerdere_besluiten", &m.eerdere_besluiten, &mut errors)
            .filter(|h| !h.trim().is_empty()),
        besluit: m.besluit.as_ref().map(|b| BesluitView {
            orgaan: b.orgaan.clone(),
            datum: b.datum,
            tekst: field("tekst", &Some(b.tekst.clone()), &mut errors).unwrap_or_default(),
        }),
        ondertekening: m.ondertekening.clone(),
        chapters_numbered: chapters_numbered(&body.toc),
    });
    if let Some(t) = &m.template
        && (t.contains("..") || t.starts_with('/'))
    {
        errors.push(d.field_error(
            "template",
            format!("template `{t}` must be a name inside templates/"),
        ));
    }
    let template = m.template.clone().unwrap_or_else(|| {
        if d.rel == "_index.md" {
            "index.html".into()
        } else {
            d.kind.template().into()
        }
    });
    let stem = file_stem(&d.rel);
    let page = Page {
        date: m.date,
        weight: m.weight,
        summary: m.summary.clone(),
        // The first image of the page loads at once, the rest when needed.
        content: crate::images::eager_first(body.html).into(),
        toc: body.toc,
        pijler,
        themagroepen,
        extra: m.extra.clone(),
        draft: m.draft,
        year: m.year,
        subtitle: m.subtitle.clone(),
        published: m.published,
        signed: m.signed.clone(),
        note,
        template,
        ..page_at(ax, d.kind, path, &m.title, &d.rel, d.folder(), stem)
    };
    (page, errors)
}

/// Whether every `##` heading starts with a number (`1. Inleiding`): a note
/// whose chapters are not numbered gets numbers from the theme.
fn chapters_numbered(toc: &[Heading]) -> bool {
    let mut chapters = toc.iter().filter(|h| h.level == 2).peekable();
    chapters.peek().is_none()
        || chapters.all(|h| {
            h.title
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
        })
}
