//! Assemble: pillars and theme groups (the site's taxonomies).
//!
//! [`References`] resolves the ids (and theme-group aliases) that documents
//! name to links, with a hint naming the valid ids for an unknown one; at
//! the end of assembly it builds each pillar and theme-group page with
//! everything that refers to it. The data files themselves are checked
//! where they are parsed ([`crate::document::data::check_taxonomies`]).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::urls::{PIJLERS_PATH, THEMAGROEPEN_PATH};
use super::{Page, Report};
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
    /// alias → canonical id
    aliases: BTreeMap<String, String>,
}

impl References {
    pub(super) fn new(data: &Data, base_path: &str) -> Self {
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
            .map(|p| link(&p.id, &p.name, PIJLERS_PATH))
            .collect();
        let themagroepen = data
            .themagroepen
            .iter()
            .map(|t| link(&t.id, &t.name, THEMAGROEPEN_PATH))
            .collect();
        let aliases = data
            .themagroepen
            .iter()
            .flat_map(|t| t.aliases.iter().map(move |a| (a.clone(), t.id.clone())))
            .collect();
        References {
            pijlers,
            themagroepen,
            aliases,
        }
    }

    /// The pillar with `id`, or a hint naming the valid ones.
    pub(crate) fn pijler(&self, id: &str) -> Result<TaxonRef, String> {
        self.pijlers.get(id).cloned().ok_or_else(|| {
            let ids: Vec<&str> = self.pijlers.keys().map(String::as_str).collect();
            if ids.is_empty() {
                "define pillars in content/_data/pijlers.yaml".to_string()
            } else {
                suggest(id, &ids, "pijlers")
            }
        })
    }

    /// The theme group with `id` or alias, or a hint naming the valid ones.
    pub(crate) fn themagroep(&self, id: &str) -> Result<TaxonRef, String> {
        let canonical = self.aliases.get(id).map(String::as_str).unwrap_or(id);
        self.themagroepen.get(canonical).cloned().ok_or_else(|| {
            let ids: Vec<&str> = self.themagroepen.keys().map(String::as_str).collect();
            if ids.is_empty() {
                "define theme groups in content/_data/themagroepen.yaml".to_string()
            } else {
                suggest(id, &ids, "themagroepen")
            }
        })
    }

    /// A Markdown document's `pijler` and `themagroepen`, resolved;
    /// unknown ids are errors at the field.
    pub(super) fn of_document(
        &self,
        d: &Document,
        errors: &mut Vec<Diagnostic>,
    ) -> (Option<TaxonRef>, Vec<TaxonRef>) {
        let pijler = d.meta.pijler.as_ref().and_then(|id| match self.pijler(id) {
            Ok(r) => Some(r),
            Err(hint) => {
                errors.push(
                    d.field_error("pijler", format!("unknown pijler `{id}`"))
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
                    d.field_error("themagroepen", format!("unknown themagroep `{id}`"))
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
        pages: &[Page],
        reports: &[Report],
        referring: &[Referring],
    ) -> (Vec<Taxon>, Vec<Taxon>) {
        let report_of_folder: HashMap<&str, &Page> = reports
            .iter()
            .map(|r| (pages[r.index].folder.as_str(), &pages[r.index]))
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
            let group = p.kind.info().taxon_group;
            let item = TaxonItem {
                group: group.into(),
                title: p.title.clone(),
                url: p.url.clone(),
                context,
                date: p.date,
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
            if let Some(p) = &r.pijler {
                items
                    .entry(format!("p:{}", p.id))
                    .or_default()
                    .push(r.item.clone());
            }
            for t in &r.themagroepen {
                items
                    .entry(format!("t:{}", t.id))
                    .or_default()
                    .push(r.item.clone());
            }
        }
        let mut take = |key: String| {
            let mut v = items.remove(&key).unwrap_or_default();
            v.sort();
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
            })
            .collect();
        (pijlers, themagroepen)
    }
}
