//! Assemble: role sets become pages of the site graph.
//!
//! A parsed [`RoleSetDocument`] gets its URLs (the overview at the file's
//! place, one page per role below it, and a print page), its Markdown
//! rendered (introduction, duties), and its pillar and theme-group
//! references resolved; unknown references are located errors. The
//! overview is also a [`Page`] of kind `roles`, so sections list it and
//! pillar pages show it like any page. What the templates `roles.html`,
//! `role.html` and `roles_print.html` see is [`RoleSetView`].

use serde::Serialize;

use super::pages::page_at;
use super::taxonomy::{References, Referring, TaxonItem, TaxonRef};
use super::urls::{print_url, role_anchor, role_url};
use super::{Assembly, Page, PageRef};
use crate::dates::Date;
use crate::diagnostics::Diagnostic;
use crate::document::Kind;
use crate::document::roles::{Contact, RoleSetDocument};
use crate::markdown::{self, Heading};

/// A role set as its pages see it (`roleset` in the templates).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RoleSetView {
    pub title: String,
    pub date: Option<Date>,
    pub summary: Option<String>,
    /// The introduction as HTML (empty when there is none).
    pub intro: String,
    /// The introduction's `##`/`###` headings.
    pub intro_toc: Vec<Heading>,
    /// Root-relative URL of the overview, e.g. `/bestuur/functies-2026/`.
    pub url: String,
    pub permalink: String,
    /// Root-relative URL of the print page (all roles).
    pub print_url: String,
    pub pijler: Option<TaxonRef>,
    pub themagroepen: Vec<TaxonRef>,
    /// Source path relative to `content/`.
    pub source: String,
    pub roles: Vec<RoleView>,
    /// Roles by the body they are a member of (`member_of`), in order of
    /// first appearance: which roles form the Dagelijks Bestuur.
    pub bodies: Vec<RoleBody>,
    /// Roles that are in no body.
    pub unattached: Vec<RoleLink>,
    /// All roles are unpaid.
    pub all_unpaid: bool,
    /// The section the role set is listed in (breadcrumbs).
    pub parent: Option<PageRef>,
    /// Folder relative to `content/` the role set lives in.
    #[serde(skip)]
    pub folder: String,
}

/// One role as its page sees it (`role` in the templates).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RoleView {
    /// Position in the set, from 1.
    pub number: usize,
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub member_of: Option<String>,
    pub paid: bool,
    /// Each duty as inline HTML.
    pub duties: Vec<String>,
    pub competencies: Vec<String>,
    pub time: String,
    pub support: Option<SupportView>,
    pub contact: Option<Contact>,
    pub pijler: Option<TaxonRef>,
    pub themagroepen: Vec<TaxonRef>,
    /// Root-relative URL of the role's page.
    pub url: String,
    pub permalink: String,
    /// Id of the role's section on the overview's print page.
    pub anchor: String,
}

/// The supporting official of a role.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SupportView {
    pub title: String,
    /// As written, for machines.
    pub fte: f64,
    /// Dutch notation: `0,75`.
    pub fte_text: String,
    /// Each duty as inline HTML.
    pub duties: Vec<String>,
}

/// A body (e.g. the Dagelijks Bestuur) and the roles that form it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RoleBody {
    pub name: String,
    pub roles: Vec<RoleLink>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RoleLink {
    pub id: String,
    pub title: String,
    pub url: String,
}

pub(crate) struct Assembled {
    /// The overview as a page (listings, sitemap, pillar pages).
    pub page: Page,
    pub view: RoleSetView,
    /// What refers to pillars and theme groups: the roles (the set itself
    /// is a page).
    pub referring: Vec<super::Referring>,
    pub errors: Vec<Diagnostic>,
}

/// Everything wrong with a role set that has problems: those found when
/// it was parsed and its unknown references, all reported in one build.
pub(super) fn problems(doc: &RoleSetDocument, refs: &References) -> Vec<Diagnostic> {
    let mut errors = doc.problems.clone();
    references(
        doc,
        refs,
        None,
        &doc.set.pijler,
        &doc.set.themagroepen,
        &mut errors,
    );
    for (i, role) in doc.set.roles.iter().enumerate() {
        references(
            doc,
            refs,
            Some(i),
            &role.pijler,
            &role.themagroepen,
            &mut errors,
        );
    }
    errors
}

/// Resolve the pillar and theme groups of the set (`role: None`) or of one
/// role; each unknown id is an error located at the id itself.
fn references(
    doc: &RoleSetDocument,
    refs: &References,
    role: Option<usize>,
    pijler: &Option<String>,
    groups: &[String],
    errors: &mut Vec<Diagnostic>,
) -> (Option<TaxonRef>, Vec<TaxonRef>) {
    let pijler = pijler.as_ref().and_then(|id| match refs.pijler(id) {
        Ok(r) => Some(r),
        Err(hint) => {
            let (l, c) = doc.locate_value(role, "pijler", id);
            errors.push(
                Diagnostic::new(
                    &doc.path,
                    format!("unknown pijler `{id}`{}", of_role(doc, role)),
                )
                .at(&doc.text, l, c)
                .hint(hint),
            );
            None
        }
    });
    let mut found = Vec::new();
    for id in groups {
        match refs.themagroep(id) {
            Ok(r) => found.push(r),
            Err(hint) => {
                let (l, c) = doc.locate_value(role, "themagroepen", id);
                errors.push(
                    Diagnostic::new(
                        &doc.path,
                        format!("unknown themagroep `{id}`{}", of_role(doc, role)),
                    )
                    .at(&doc.text, l, c)
                    .hint(hint),
                );
            }
        }
    }
    (pijler, found)
}

/// Assemble one role set at site path `path` (e.g. `/bestuur/functies-2026/`).
pub(super) fn assemble(ax: &Assembly, doc: &RoleSetDocument, path: &str) -> Assembled {
    let set = &doc.set;
    let refs = ax.refs;
    let mut errors = Vec::new();
    let url = format!("{}{path}", ax.base_path);
    let permalink = format!("{}{path}", ax.base_url);

    let (pijler, themagroepen) =
        references(doc, refs, None, &set.pijler, &set.themagroepen, &mut errors);

    let intro = set.intro.as_deref().map(|text| {
        let first_line = doc.intro_first_line();
        markdown::render(
            text,
            &ax.markdown(&doc.path, &doc.text, first_line, &doc.rel, "", 0),
        )
    });
    let (intro, intro_toc) = match intro {
        Some(r) => {
            errors.extend(r.errors);
            (r.html, r.toc)
        }
        None => (String::new(), Vec::new()),
    };

    // Duties: short Markdown, rendered inline (no paragraph of their own
    // when they are one paragraph).
    let inline = |text: &str, role: usize, key: &str, errors: &mut Vec<Diagnostic>| {
        let (first_line, _) = doc.locate(Some(role), &[key]);
        let r = markdown::render(
            text,
            &ax.markdown(&doc.path, &doc.text, first_line, &doc.rel, "", 0),
        );
        errors.extend(r.errors);
        unwrap_paragraph(&r.html)
    };

    let mut roles = Vec::new();
    for (i, role) in set.roles.iter().enumerate() {
        let (pijler, themagroepen) = references(
            doc,
            refs,
            Some(i),
            &role.pijler,
            &role.themagroepen,
            &mut errors,
        );
        let duties = role
            .duties
            .iter()
            .map(|d| inline(d, i, "duties", &mut errors))
            .collect();
        let support = role.support.as_ref().map(|s| SupportView {
            title: s.title.clone(),
            fte: s.fte.0,
            fte_text: ax.ui.decimal(&s.fte.dutch().replace(',', ".")),
            duties: s
                .duties
                .iter()
                .map(|d| inline(d, i, "support", &mut errors))
                .collect(),
        });
        roles.push(RoleView {
            number: i + 1,
            id: role.id.clone(),
            title: role.title.clone(),
            summary: role.summary.clone(),
            member_of: role.member_of.clone(),
            paid: role.paid,
            duties,
            competencies: role.competencies.clone(),
            time: role.time.clone(),
            support,
            contact: role.contact.clone(),
            pijler,
            themagroepen,
            url: role_url(&url, &role.id),
            permalink: role_url(&permalink, &role.id),
            anchor: role_anchor(&role.id),
        });
    }

    let mut bodies: Vec<RoleBody> = Vec::new();
    let mut unattached = Vec::new();
    for r in &roles {
        let link = RoleLink {
            id: r.id.clone(),
            title: r.title.clone(),
            url: r.url.clone(),
        };
        match &r.member_of {
            Some(name) => match bodies.iter_mut().find(|b| &b.name == name) {
                Some(b) => b.roles.push(link),
                None => bodies.push(RoleBody {
                    name: name.clone(),
                    roles: vec![link],
                }),
            },
            None => unattached.push(link),
        }
    }

    let mut referring = Vec::new();
    for r in &roles {
        if r.pijler.is_some() || !r.themagroepen.is_empty() {
            referring.push(Referring {
                pijler: r.pijler.clone(),
                themagroepen: r.themagroepen.clone(),
                item: TaxonItem {
                    group: Kind::Roles.info().taxon_group.into(),
                    title: r.title.clone(),
                    url: r.url.clone(),
                    context: Some(set.title.clone()),
                    date: set.date,
                    newest_first: false,
                },
            });
        }
    }

    let page = Page {
        date: set.date,
        weight: set.weight,
        summary: set.summary.clone(),
        content: intro.as_str().into(),
        toc: intro_toc.clone(),
        pijler: pijler.clone(),
        themagroepen: themagroepen.clone(),
        draft: set.draft,
        ..page_at(
            ax,
            Kind::Roles,
            path,
            &set.title,
            &doc.rel,
            doc.folder(),
            doc.file_stem(),
        )
    };
    let view = RoleSetView {
        title: set.title.clone(),
        date: set.date,
        summary: set.summary.clone(),
        intro,
        intro_toc,
        print_url: print_url(&url),
        url,
        permalink,
        pijler,
        themagroepen,
        source: doc.rel.clone(),
        all_unpaid: roles.iter().all(|r| !r.paid),
        roles,
        bodies,
        unattached,
        parent: None,
        folder: doc.folder().to_string(),
    };
    Assembled {
        page,
        view,
        referring,
        errors,
    }
}

/// " (role `x`)" for messages about a role, "" for the set.
fn of_role(doc: &RoleSetDocument, role: Option<usize>) -> String {
    role.and_then(|i| doc.set.roles.get(i))
        .map(|r| format!(" (role `{}`)", r.id))
        .unwrap_or_default()
}

/// `<p>x</p>\n` → `x`, for Markdown that goes inside a list item; longer
/// Markdown (several paragraphs, lists) stays as it is.
fn unwrap_paragraph(html: &str) -> String {
    let t = html.trim();
    if let Some(inner) = t.strip_prefix("<p>").and_then(|r| r.strip_suffix("</p>"))
        && !inner.contains("<p>")
        && !inner.contains("</p>")
    {
        return inner.to_string();
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_unwrapped_once() {
        assert_eq!(
            unwrap_paragraph("<p>Zit <em>voor</em>.</p>\n"),
            "Zit <em>voor</em>."
        );
        assert_eq!(
            unwrap_paragraph("<p>a</p>\n<p>b</p>\n"),
            "<p>a</p>\n<p>b</p>"
        );
    }
}
