//! Assemble: pillars and theme groups (the site's taxonomies).
//!
//! [`References`] resolves the ids (and theme-group aliases) that documents
//! name to links, with a hint naming the valid ids for an unknown one; at
//! the end of assembly it builds each pillar and theme-group page with
//! everything that refers to it. The data files themselves are checked
//! where they are parsed ([`crate::document::data::check_taxonomies`]).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::urls::taxonomy_path;
use super::{Page, Report};
use crate::config::Taxonomies;
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, suggest};
use crate::document::data::Data;
use crate::document::{Document, Kind};

/// A link to a pillar or theme group, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TaxonRef {
    pub id: String,
    pub name: String,
    pub url: String,
}
/// One pillar or theme group page and what refers to it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Taxon {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub url: String,
    /// For a theme group: its pillar.
    pub pijler: Option<TaxonRef>,
    /// For a pillar: its theme groups.
    pub themagroepen: Vec<TaxonRef>,
    /// Everything that refers to it, grouped for display.
    pub items: Vec<TaxonItem>,
    /// HTML of `content/<path>/<id>.md`, if the site has one.
    pub intro: Option<String>,
}

/// A taxonomy's overview page, as far as the site writes it itself
/// (`content/<path>/_index.md`).
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Overview {
    /// Its heading; the taxonomy's plural label when `None`.
    pub title: Option<String>,
    /// HTML of the intro.
    pub intro: Option<String>,
}

/// Something that refers to a pillar or theme group.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TaxonItem {
    /// Heading the item is listed under, e.g. "Jaarverslagen".
    pub group: String,
    pub title: String,
    pub url: String,
    /// Where it is from, e.g. "Jaarverslag 2023".
    pub context: Option<String>,
    pub date: Option<Date>,
    /// Listed newest first within its group (news: the pages of a section
    /// sorted by date, grouped under that section's title).
    #[serde(skip)]
    pub newest_first: bool,
}

/// Something other than a Markdown page that names a pillar or theme
/// groups (a role set, one role): listed on their generated pages.
#[derive(Debug, Clone)]
pub(crate) struct Referring {
    pub pijler: Option<TaxonRef>,
    pub themagroepen: Vec<TaxonRef>,
    pub item: TaxonItem,
}

/// Resolves pillar and theme-group ids (and aliases) to links.
#[derive(Debug)]
pub(crate) struct References {
    pijlers: BTreeMap<String, TaxonRef>,
    themagroepen: BTreeMap<String, TaxonRef>,
    /// alias → canonical id, of the groups
    aliases: BTreeMap<String, String>,
    /// alias → canonical id, of the pillars
    pijler_aliases: BTreeMap<String, String>,
    /// What the site calls them, for messages.
    names: Taxonomies,
    /// The theme's interface text (the headings items are grouped under).
    ui: crate::config::Strings,
}

impl References {
    pub(super) fn new(
        data: &Data,
        base_path: &str,
        names: &Taxonomies,
        ui: &crate::config::Strings,
    ) -> Self {
        let link = |id: &String, name: &String, under: &str| {
            let url = format!("{base_path}{under}{id}/");
            (
                id.clone(),
                TaxonRef {
                    id: id.clone(),
                    name: name.clone(),
                    url,
                },
            )
        };
        let pijlers = data
            .pijlers
            .iter()
            .map(|p| link(&p.id, &p.name, &taxonomy_path(&names.pijlers)))
            .collect();
        let themagroepen = data
            .themagroepen
            .iter()
            .map(|t| link(&t.id, &t.name, &taxonomy_path(&names.groepen)))
            .collect();
        let aliases = data
            .themagroepen
            .iter()
            .flat_map(|t| t.aliases.iter().map(move |a| (a.clone(), t.id.clone())))
            .collect();
        let pijler_aliases = data
            .pijlers
            .iter()
            .flat_map(|p| p.aliases.iter().map(move |a| (a.clone(), p.id.clone())))
            .collect();
        References {
            pijlers,
            themagroepen,
            aliases,
            pijler_aliases,
            names: names.clone(),
            ui: ui.clone(),
        }
    }

    /// The pillar with `id` or alias, or a hint naming the valid ones.
    pub(crate) fn pijler(&self, id: &str) -> Result<TaxonRef, String> {
        Self::lookup(&self.pijlers, &self.pijler_aliases, &self.names.pijlers, id)
    }

    /// The theme group with `id` or alias, or a hint naming the valid ones.
    pub(crate) fn themagroep(&self, id: &str) -> Result<TaxonRef, String> {
        Self::lookup(&self.themagroepen, &self.aliases, &self.names.groepen, id)
    }

    /// The term `id` (or the term it is an alias of) of one level.
    fn lookup(
        terms: &BTreeMap<String, TaxonRef>,
        aliases: &BTreeMap<String, String>,
        level: &crate::config::Taxonomy,
        id: &str,
    ) -> Result<TaxonRef, String> {
        let canonical = aliases.get(id).map(String::as_str).unwrap_or(id);
        terms.get(canonical).cloned().ok_or_else(|| {
            let ids: Vec<&str> = terms.keys().map(String::as_str).collect();
            let plural = level.plural.to_lowercase();
            if ids.is_empty() {
                format!("define {plural} in content/_data/{}.yaml", level.data)
            } else {
                suggest(id, &ids, &plural)
            }
        })
    }

    /// The heading of a group of items on a pillar or group page: the
    /// text of the strings key `key` (a kind's `taxon_group`).
    pub(crate) fn group_heading(&self, key: &str) -> String {
        self.ui.get(key).to_string()
    }

    /// "unknown pijler", in the site's word for a term of `level`: the
    /// start of the message for an id that is no term.
    pub(crate) fn unknown(level: &crate::config::Taxonomy) -> String {
        format!("unknown {}", level.singular.to_lowercase())
    }

    /// "unknown pijler `x`", in the site's word for a pillar.
    pub(crate) fn unknown_pijler(&self, id: &str) -> String {
        format!("{} `{id}`", Self::unknown(&self.names.pijlers))
    }

    /// "unknown themagroep `x`", in the site's word for a group.
    pub(crate) fn unknown_groep(&self, id: &str) -> String {
        format!("{} `{id}`", Self::unknown(&self.names.groepen))
    }

    /// A Markdown document's `pijler` and `themagroepen`, resolved;
    /// unknown ids are errors at the field.
    pub(super) fn of_document(
        &self,
        d: &Document,
        errors: &mut Vec<Diagnostic>,
    ) -> (Option<TaxonRef>, Vec<TaxonRef>) {
        // The field as the editor wrote it (the site's name or an old one).
        let written = |level: &crate::config::Taxonomy| {
            std::iter::once(&level.field)
                .chain(&level.old_fields)
                .find(|f| {
                    crate::util::yaml_locator::front_matter_key(&d.text[..d.body_start], f)
                        .is_some()
                })
                .cloned()
                .unwrap_or_else(|| level.field.clone())
        };
        let pijler = d.meta.pijler.as_ref().and_then(|id| match self.pijler(id) {
            Ok(r) => Some(r),
            Err(hint) => {
                errors.push(
                    d.field_error(&written(&self.names.pijlers), self.unknown_pijler(id))
                        .hint(hint),
                );
                None
            }
        });
        let mut groups = Vec::new();
        for id in &d.meta.themagroepen {
            match self.themagroep(id) {
                Ok(r) => groups.push(r),
                Err(hint) => errors.push(
                    d.field_error(&written(&self.names.groepen), self.unknown_groep(id))
                        .hint(hint),
                ),
            }
        }
        (pijler, groups)
    }

    /// Build every taxonomy page with the items referring to it.
    pub(super) fn taxa(
        &self,
        data: &Data,
        pages: &[std::sync::Arc<Page>],
        reports: &[Report],
        referring: &[Referring],
        news_sections: &HashMap<&str, &str>,
    ) -> (Vec<Taxon>, Vec<Taxon>) {
        let report_of_folder: HashMap<&str, &Page> = reports
            .iter()
            .map(|r| (pages[r.index].folder.as_str(), &*pages[r.index]))
            .collect();
        let mut items: HashMap<String, Vec<TaxonItem>> = HashMap::new();
        for p in pages {
            // Chapters and notes say where they are from.
            let context = match p.kind {
                Kind::Chapter => report_of_folder
                    .get(p.folder.as_str())
                    .map(|r| r.title.clone()),
                Kind::Note => p.note.as_ref().map(|n| n.organisation.clone()),
                Kind::Page | Kind::Section | Kind::Report | Kind::Roles | Kind::Programme => None,
            };
            let news = (p.kind == Kind::Page)
                .then(|| news_sections.get(p.folder.as_str()))
                .flatten();
            let item = TaxonItem {
                group: news
                    .copied()
                    .unwrap_or_else(|| self.ui.get(p.kind.info().taxon_group))
                    .into(),
                title: p.title.clone(),
                url: p.url.clone(),
                context,
                date: p.date,
                newest_first: news.is_some(),
            };
            if let Some(r) = &p.pijler {
                items
                    .entry(format!("p:{}", r.id))
                    .or_default()
                    .push(item.clone());
            }
            for t in &p.themagroepen {
                items
                    .entry(format!("t:{}", t.id))
                    .or_default()
                    .push(item.clone());
            }
        }
        for r in referring {
            // A role or session names its heading by strings key.
            let mut item = r.item.clone();
            item.group = self.group_heading(&item.group);
            if let Some(p) = &r.pijler {
                items
                    .entry(format!("p:{}", p.id))
                    .or_default()
                    .push(item.clone());
            }
            for t in &r.themagroepen {
                items
                    .entry(format!("t:{}", t.id))
                    .or_default()
                    .push(item.clone());
            }
        }
        let mut take = |key: String| {
            let mut v = items.remove(&key).unwrap_or_default();
            v.sort_by(|a, b| {
                a.group.cmp(&b.group).then_with(|| {
                    if a.newest_first {
                        b.date.cmp(&a.date).then_with(|| a.cmp(b))
                    } else {
                        a.cmp(b)
                    }
                })
            });
            v
        };
        let themagroepen: Vec<Taxon> = data
            .themagroepen
            .iter()
            .map(|t| Taxon {
                id: t.id.clone(),
                name: t.name.clone(),
                description: t.description.clone(),
                url: self.themagroepen[&t.id].url.clone(),
                pijler: t.pijler.as_ref().and_then(|p| self.pijlers.get(p).cloned()),
                themagroepen: Vec::new(),
                items: take(format!("t:{}", t.id)),
                intro: None,
            })
            .collect();
        let pijlers = data
            .pijlers
            .iter()
            .map(|p| Taxon {
                id: p.id.clone(),
                name: p.name.clone(),
                description: p.description.clone(),
                url: self.pijlers[&p.id].url.clone(),
                pijler: None,
                themagroepen: data
                    .themagroepen
                    .iter()
                    .filter(|t| t.pijler.as_deref() == Some(p.id.as_str()))
                    .map(|t| self.themagroepen[&t.id].clone())
                    .collect(),
                items: take(format!("p:{}", p.id)),
                intro: None,
            })
            .collect();
        (pijlers, themagroepen)
    }
}

/// What an intro file introduces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum IntroOf {
    /// The overview of level 0 (pillars) or 1 (groups).
    Overview(usize),
    /// The page of a term of a level, by canonical id.
    Term(usize, String),
}

/// Take the intro texts out of the Markdown documents: `content/<path>/_index.md`
/// introduces a taxonomy's overview, `content/<path>/<id>.md` one term's
/// page. They are not pages of their own (their URLs are the generated
/// pages'); a file whose name is no term is a located error.
pub(super) fn take_intros(
    docs: &mut Vec<Document>,
    names: &Taxonomies,
    data: &Data,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(IntroOf, Document)> {
    let paths = [names.pijlers.path.as_str(), names.groepen.path.as_str()];
    let mut intros = Vec::new();
    let mut kept = Vec::with_capacity(docs.len());
    for d in docs.drain(..) {
        let Some(level) = paths.iter().position(|p| d.folder() == *p) else {
            kept.push(d);
            continue;
        };
        if d.is_index() {
            intros.push((IntroOf::Overview(level), d));
            continue;
        }
        let stem = crate::util::slug::file_stem(&d.rel);
        let known = data.terms(level);
        match known
            .iter()
            .find(|(id, aliases)| *id == stem || aliases.iter().any(|a| a == stem))
        {
            Some((id, _)) => intros.push((IntroOf::Term(level, id.to_string()), d)),
            None => {
                let level = [&names.pijlers, &names.groepen][level];
                let ids: Vec<&str> = known.iter().map(|(id, _)| *id).collect();
                errors.push(
                    Diagnostic::new(
                        &d.path,
                        format!(
                            "`{stem}` is no {} of content/_data/{}.yaml, so this file introduces nothing",
                            level.singular.to_lowercase(),
                            level.data
                        ),
                    )
                    .at(&d.text, 1, 1)
                    .hint(format!(
                        "files in content/{}/ introduce its pages: name the file after an id ({}), or use `_index.md` for the overview",
                        level.path,
                        suggest(stem, &ids, "ids")
                    )),
                );
            }
        }
    }
    *docs = kept;
    intros
}

/// The redirects that keep a taxonomy's old URLs working: an old id
/// (`aliases:` in the data file) leads to the term's page, and every page
/// under an old path (`old_paths:` in `site.yaml`) to the same page under
/// the new one.
pub(super) fn redirects(
    ax: &super::Assembly,
    names: &Taxonomies,
    data: &Data,
    levels: [&[Taxon]; 2],
) -> Vec<super::Redirect> {
    let mut out = Vec::new();
    for (i, (level, taxa)) in [&names.pijlers, &names.groepen]
        .into_iter()
        .zip(levels)
        .enumerate()
    {
        if taxa.is_empty() {
            continue;
        }
        let data_file = format!("content/_data/{}.yaml", level.data);
        let terms = data.terms(i);
        let aliases_of = |id: &str| -> &[String] {
            terms
                .iter()
                .find(|(t, _)| *t == id)
                .map_or(&[], |(_, aliases)| aliases)
        };
        let overview = format!("{}{}", ax.base_path, taxonomy_path(level));
        for t in taxa {
            for a in aliases_of(&t.id) {
                out.push(super::redirects::generated(
                    ax,
                    format!("{overview}{a}/"),
                    &t.url,
                    &t.name,
                    format!(
                        "the redirect from the old id `{a}` of `{}` ({data_file})",
                        t.id
                    ),
                ));
            }
        }
        for old in &level.old_paths {
            let old_overview = format!("{}/{old}/", ax.base_path);
            let writer = format!("the redirect from the old path `/{old}/` (site.yaml)");
            out.push(super::redirects::generated(
                ax,
                old_overview.clone(),
                &overview,
                &level.plural,
                writer.clone(),
            ));
            for t in taxa {
                for from in std::iter::once(&t.id).chain(aliases_of(&t.id)) {
                    out.push(super::redirects::generated(
                        ax,
                        format!("{old_overview}{from}/"),
                        &t.url,
                        &t.name,
                        writer.clone(),
                    ));
                }
            }
        }
    }
    out
}
