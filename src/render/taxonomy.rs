//! Render: the pages of pillars and theme groups.
//!
//! Each pillar and theme group has a page listing everything that refers
//! to it, grouped under headings (`Jaarverslagen`, `Netwerkdagen`, ...);
//! each taxonomy with entries has an overview page.

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::Mutex;

use tera::{Context, Value};

use super::Job;
use crate::config::Taxonomy;
use crate::site::urls::taxonomy_path;
use crate::site::{Overview, Site, Taxon};
use crate::util::hash_serialized::{fingerprint_hasher, hash_serialized};

/// The template value of each taxon (with its items, thousands on a large
/// site), kept between renders by URL with a hash of the taxon: `serve`
/// makes it again only for the taxa an edit changed, and a taxon's page
/// and its overview share one value.
#[derive(Default)]
pub(crate) struct TaxonValues {
    known: Mutex<HashMap<String, (u64, Value)>>,
}

impl TaxonValues {
    /// The value of `taxon`, as `Context::insert` would make it.
    fn of(&self, taxon: &Taxon) -> Value {
        let mut h = fingerprint_hasher();
        let hash = hash_serialized(taxon, &mut h).map(|()| h.finish());
        let lock = || self.known.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hash) = hash
            && let Some((known, value)) = lock().get(&taxon.url)
            && *known == hash
        {
            return value.clone();
        }
        let value = Value::from_serializable(taxon);
        if let Some(hash) = hash {
            lock().insert(taxon.url.clone(), (hash, value.clone()));
        }
        value
    }

    /// Forget the taxa `site` does not have (memory stays bounded by the
    /// site's taxa).
    pub(super) fn keep_only(&self, site: &Site) {
        let urls: std::collections::HashSet<&str> = site
            .pijlers
            .iter()
            .chain(&site.themagroepen)
            .map(|t| t.url.as_str())
            .collect();
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        known.retain(|url, _| urls.contains(url.as_str()));
    }
}

pub(super) fn taxon_job(site: &Site, taxon: &Taxon, level: &Taxonomy, values: &TaxonValues) -> Job {
    let value = values.of(taxon);
    // Items grouped under their heading, groups in a fixed order: the
    // items' values are the taxon's own (arrays and maps are shared).
    let items: &[Value] = value
        .as_map()
        .and_then(|m| m.get(&tera::value::Key::from("items")))
        .and_then(Value::as_array)
        .unwrap_or_default();
    let mut groups: Vec<(&str, Vec<Value>)> = Vec::new();
    for (item, item_value) in taxon.items.iter().zip(items) {
        match groups.iter_mut().find(|(name, _)| *name == item.group) {
            Some((_, list)) => list.push(item_value.clone()),
            None => groups.push((&item.group, vec![item_value.clone()])),
        }
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(name, items)| {
            let group: std::collections::BTreeMap<&'static str, Value> =
                [("name", Value::from(name)), ("items", Value::from(items))].into();
            Value::from(group)
        })
        .collect();
    let mut context = Context::new();
    context.insert("taxonomy", &level.plural);
    context.insert("intro", &taxon.intro);
    context.insert("taxonomy_url", &site.url(&taxonomy_path(level)));
    context.insert_value("taxon", value);
    context.insert_value("groups", Value::from(groups));
    Job::new(
        site,
        "taxonomy.html",
        &taxon.url,
        context,
        format!("the page of `{}`", taxon.id),
    )
}

/// The overview of a taxonomy.
pub(super) fn list_job(
    site: &Site,
    taxa: &[Taxon],
    level: &Taxonomy,
    overview: &Overview,
    values: &TaxonValues,
) -> Job {
    let mut context = Context::new();
    context.insert("title", overview.title.as_ref().unwrap_or(&level.plural));
    context.insert("intro", &overview.intro);
    let taxa: Vec<Value> = taxa.iter().map(|t| values.of(t)).collect();
    context.insert_value("taxa", Value::from(taxa));
    Job::new(
        site,
        "taxonomy_list.html",
        &site.url(&taxonomy_path(level)),
        context,
        format!("the overview of {}", level.plural.to_lowercase()),
    )
}
