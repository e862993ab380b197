//! Render: the pages of pillars and theme groups.
//!
//! Each pillar and theme group has a page listing everything that refers
//! to it, grouped under headings (`Jaarverslagen`, `Netwerkdagen`, ...);
//! each taxonomy with entries has an overview page.

use serde::Serialize;
use tera::Context;

use super::Job;
use crate::config::Taxonomy;
use crate::site::urls::taxonomy_path;
use crate::site::{Overview, Site, Taxon, TaxonItem};

pub(super) fn taxon_job(site: &Site, taxon: &Taxon, level: &Taxonomy) -> Job {
    // Items grouped under their heading, groups in a fixed order.
    #[derive(Serialize)]
    struct Group<'a> {
        name: &'a str,
        items: Vec<&'a TaxonItem>,
    }
    let mut groups: Vec<Group> = Vec::new();
    for item in &taxon.items {
        match groups.iter_mut().find(|g| g.name == item.group) {
            Some(g) => g.items.push(item),
            None => groups.push(Group {
                name: &item.group,
                items: vec![item],
            }),
        }
    }
    let mut context = Context::new();
    context.insert("taxon", taxon);
    context.insert("groups", &groups);
    context.insert("taxonomy", &level.plural);
    context.insert("intro", &taxon.intro);
    context.insert("taxonomy_url", &site.url(&taxonomy_path(level)));
    Job::new(
        site,
        "taxonomy.html",
        &taxon.url,
        context,
        format!("the page of `{}`", taxon.id),
    )
}

/// The overview of a taxonomy.
pub(super) fn list_job(site: &Site, taxa: &[Taxon], level: &Taxonomy, overview: &Overview) -> Job {
    let mut context = Context::new();
    context.insert("title", overview.title.as_ref().unwrap_or(&level.plural));
    context.insert("intro", &overview.intro);
    context.insert("taxa", taxa);
    Job::new(
        site,
        "taxonomy_list.html",
        &site.url(&taxonomy_path(level)),
        context,
        format!("the overview of {}", level.plural.to_lowercase()),
    )
}
