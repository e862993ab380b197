//! Shared data files (`content/_data/*.yaml`).
//!
//! Every data file is available to templates as `data.<file stem>`. Two of
//! them also define the site's taxonomies and are parsed strictly:
//! `pijlers.yaml` and `themagroepen.yaml`; [`check_taxonomies`] checks
//! their ids, pillars and aliases. References to them from pages, sessions
//! and roles are checked in the assemble stage.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use std::path::PathBuf;

use crate::config::Taxonomies;
use crate::diagnostics::{Diagnostic, from_yaml_error, suggest};
use crate::source::{SourceFile, Sources};
use crate::util::slug::slug_or;
use crate::util::yaml_locator::find_text;

/// One pillar (`_data/pijlers.yaml`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Pijler {
    pub id: String,
    pub name: String,
    /// Earlier ids (a renamed or merged pillar): still valid in
    /// references, and their pages redirect to this one.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The pillar's colour in programme grids (`#rrggbb`), behind white
    /// label text: checked for 4.5:1 contrast in [`check_taxonomies`].
    #[serde(default, alias = "colour", alias = "color")]
    pub kleur: Option<String>,
}

/// One theme group (`_data/themagroepen.yaml`); since 2026 called
/// *opgavegroepen*. `aliases` keep older ids valid in references.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Themagroep {
    pub id: String,
    pub name: String,
    /// The pillar this group belongs to, if any.
    #[serde(default)]
    pub pijler: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// All data files, parsed.
#[derive(Debug, Default)]
pub(crate) struct Data {
    /// `data.<stem>` for templates, by stem (sorted: deterministic output).
    pub values: BTreeMap<String, serde_yaml::Value>,
    pub pijlers: Vec<Pijler>,
    pub themagroepen: Vec<Themagroep>,
}

impl Data {
    /// The terms of level 0 (pillars) or 1 (groups): each id with its
    /// aliases.
    pub(crate) fn terms(&self, level: usize) -> Vec<(&str, &[String])> {
        if level == 0 {
            self.pijlers
                .iter()
                .map(|p| (p.id.as_str(), p.aliases.as_slice()))
                .collect()
        } else {
            self.themagroepen
                .iter()
                .map(|t| (t.id.as_str(), t.aliases.as_slice()))
                .collect()
        }
    }
}

/// Parse every `_data/*.yaml` file; collect all errors. The taxonomies'
/// files are the ones `taxa` names (`pijlers` and `themagroepen` unless
/// `site.yaml` says otherwise).
pub(crate) fn load(files: &[&SourceFile], taxa: &Taxonomies) -> (Data, Vec<Diagnostic>) {
    let mut data = Data::default();
    let mut errors = Vec::new();
    let mut seen: BTreeMap<String, &SourceFile> = BTreeMap::new();
    for file in files {
        let stem = file.rel.trim_start_matches("_data/");
        let stem = stem
            .rsplit_once('.')
            .map(|x| x.0)
            .unwrap_or(stem)
            .to_string();
        if stem.contains('/') {
            errors.push(
                Diagnostic::new(&file.path, "data files cannot be in subfolders of _data/")
                    .hint("move the file directly into content/_data/"),
            );
            continue;
        }
        // `steden.yaml` and `steden.yml` would both be `data.steden`.
        if let Some(first) = seen.get(&stem) {
            errors.push(
                Diagnostic::new(
                    &file.path,
                    format!(
                        "{} and {} are both `data.{stem}`",
                        first.path.display(),
                        file.path.display()
                    ),
                )
                .at(&file.text, 1, 1)
                .hint("keep one of the two files"),
            );
            continue;
        }
        seen.insert(stem.clone(), file);
        let value: serde_yaml::Value = match crate::yaml::from_str(&file.text) {
            Ok(v) => v,
            Err(e) => {
                errors.push(from_yaml_error(&file.path, &file.text, &e, 0));
                continue;
            }
        };
        if stem == taxa.pijlers.data {
            match crate::yaml::from_str::<Vec<Pijler>>(&file.text) {
                Ok(p) => data.pijlers = p,
                Err(e) => errors.push(from_yaml_error(&file.path, &file.text, &e, 0)),
            }
        } else if stem == taxa.groepen.data {
            match crate::yaml::from_str::<Vec<Themagroep>>(&file.text) {
                Ok(t) => data.themagroepen = t,
                Err(e) => errors.push(from_yaml_error(&file.path, &file.text, &e, 0)),
            }
        }
        data.values.insert(stem, value);
    }
    (data, errors)
}

/// The longest taxonomy id, so that it stays a reasonable folder name.
const MAX_ID_LEN: usize = 100;

/// A pillar or theme group id: a slug without dots, so it can neither
/// leave its folder nor look like a file (`index.html`).
fn is_taxon_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Validate the taxonomy data itself: valid and unique ids, known pillar of each
/// theme group, aliases that do not shadow ids.
pub(crate) fn check_taxonomies(data: &Data, files: &Sources, taxa: &Taxonomies) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let (pijlers, groepen) = (taxa.pijlers.data.as_str(), taxa.groepen.data.as_str());
    let file_of = |stem: &str| {
        files
            .files
            .iter()
            .find(|f| f.rel == format!("_data/{stem}.yaml") || f.rel == format!("_data/{stem}.yml"))
    };
    let locate = |stem: &str, needle: &str, message: String| {
        let mut d = Diagnostic::new(PathBuf::from(format!("content/_data/{stem}.yaml")), message);
        if let Some(f) = file_of(stem) {
            let (l, c) = find_text(&f.text, needle, 0).unwrap_or((1, 1));
            d = Diagnostic::new(&f.path, d.message.clone()).at(&f.text, l, c);
        }
        d
    };
    // A duplicate is reported at its second occurrence, `id: x` on a line.
    let locate_again = |stem: &str, id: &str, message: String| {
        let mut d = locate(stem, id, message);
        if let Some(f) = file_of(stem) {
            let needle = format!("id: {id}");
            let ends_word = |rest: &str| {
                !rest
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_')
            };
            let hit = f
                .text
                .lines()
                .enumerate()
                .filter_map(|(i, l)| {
                    l.match_indices(&needle)
                        .find(|(c, _)| ends_word(&l[c + needle.len()..]))
                        .map(|(c, _)| (i + 1, l[..c].chars().count() + 5))
                })
                .nth(1);
            if let Some((l, c)) = hit {
                d = d.at(&f.text, l, c);
            }
        }
        d
    };
    // Ids become folder names (`/pijlers/<id>/`): slugs only.
    for (stem, ids) in [
        (
            pijlers,
            data.pijlers.iter().map(|p| &p.id).collect::<Vec<_>>(),
        ),
        (groepen, data.themagroepen.iter().map(|t| &t.id).collect()),
    ] {
        for id in ids.into_iter().filter(|id| !is_taxon_id(id)) {
            let needle = [
                format!("id: '{id}'"),
                format!("id: \"{id}\""),
                format!("id: {id}"),
            ]
            .into_iter()
            .filter(|n| !id.is_empty() || !n.ends_with(' '))
            .find(|n| file_of(stem).is_some_and(|f| f.text.contains(n.as_str())))
            .unwrap_or_else(|| "id:".into());
            errors.push(
                locate(
                    stem,
                    &needle,
                    format!("{stem} id `{id}` is not a valid id"),
                )
                .hint(format!(
                    "ids use lowercase letters, digits, `-` and `_` (at most {MAX_ID_LEN}), e.g. `{}`",
                    slug_or(id, "id")
                )),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    for p in &data.pijlers {
        if !seen.insert(p.id.clone()) {
            errors.push(locate_again(
                pijlers,
                &p.id,
                format!("pijler id `{}` is used twice", p.id),
            ));
        }
    }
    // A pillar's colour is the background of its white label in the
    // programme grid: a colour, readable under white text.
    for p in &data.pijlers {
        let Some(kleur) = &p.kleur else { continue };
        let at = |message: String| locate("pijlers", kleur, message);
        match crate::highlight::parse_hex(kleur.trim()) {
            None => errors.push(
                at(format!("pijler `{}`: kleur `{kleur}` is not a colour", p.id))
                    .hint("write it in hexadecimal as `#rrggbb`, e.g. `kleur: \"#1d6b3a\"` (quoted: `#` starts a comment in YAML)"),
            ),
            Some(rgb) => {
                let ratio = crate::highlight::contrast(rgb, [255, 255, 255]);
                if ratio < crate::highlight::MIN_CONTRAST {
                    let [r, g, b] = crate::highlight::readable(rgb, [255, 255, 255]);
                    errors.push(
                        at(format!(
                            "pijler `{}`: white text on kleur `{kleur}` has a contrast of {:.1}:1, below 4.5:1",
                            p.id,
                            (ratio * 10.0).floor() / 10.0
                        ))
                        .hint(format!(
                            "the pillar's label in the programme grid is white on this colour: choose a darker one, e.g. `#{r:02x}{g:02x}{b:02x}`"
                        )),
                    );
                }
            }
        }
    }
    // `kleur: #1d6b3a` unquoted is a comment to YAML, so no colour at all:
    // say so rather than drop it silently.
    if let Some(f) = file_of("pijlers") {
        for (i, line) in f.text.lines().enumerate() {
            let t = line.trim_start().trim_start_matches("- ");
            let value = ["kleur:", "colour:", "color:"]
                .iter()
                .find_map(|k| t.strip_prefix(k));
            if let Some(v) = value
                && v.starts_with([' ', '\t'])
                && v.trim_start().starts_with('#')
            {
                let column = line.len() - v.trim_start().len() + 1;
                errors.push(
                    Diagnostic::new(
                        &f.path,
                        "this colour is read as a comment: YAML starts a comment at ` #`",
                    )
                    .at(&f.text, i + 1, column)
                    .hint(format!(
                        "put it in quotes: `{}\"{}\"`",
                        &t[..t.len() - v.len() + 1],
                        v.trim()
                    )),
                );
            }
        }
    }
    let pijler_ids: Vec<&str> = data.pijlers.iter().map(|p| p.id.as_str()).collect();
    let mut seen = std::collections::HashSet::new();
    for t in &data.themagroepen {
        if !seen.insert(t.id.clone()) {
            errors.push(locate_again(
                groepen,
                &t.id,
                format!("themagroep id `{}` is used twice", t.id),
            ));
        }
        if let Some(p) = &t.pijler
            && !pijler_ids.contains(&p.as_str())
        {
            errors.push(
                locate(
                    groepen,
                    &format!("pijler: {p}"),
                    format!("themagroep `{}` names unknown pijler `{p}`", t.id),
                )
                .hint(suggest(p, &pijler_ids, pijlers)),
            );
        }
    }
    // An alias must not be another term's id (or another term's alias):
    // it could not say which of the two it means.
    let (pillar_terms, group_terms) = (data.terms(0), data.terms(1));
    for (stem, terms, singular) in [
        (pijlers, &pillar_terms, taxa.pijlers.singular.to_lowercase()),
        (groepen, &group_terms, taxa.groepen.singular.to_lowercase()),
    ] {
        let mut aliases_seen = std::collections::HashSet::new();
        for (id, aliases) in terms.iter() {
            for a in aliases.iter() {
                if terms.iter().any(|(other, _)| other == a) {
                    errors.push(locate(
                        stem,
                        a,
                        format!("alias `{a}` of `{id}` is also a {singular} id"),
                    ));
                } else if !aliases_seen.insert(a.as_str()) {
                    errors.push(locate_again(
                        stem,
                        a,
                        format!("alias `{a}` is given to two {singular} ids"),
                    ));
                } else if !is_taxon_id(a) {
                    errors.push(
                        locate(stem, a, format!("alias `{a}` of `{id}` is not a valid id")).hint(
                            format!(
                                "ids use lowercase letters, digits, `-` and `_`, e.g. `{}`",
                                slug_or(a, "id")
                            ),
                        ),
                    );
                }
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceKind;

    fn file(rel: &str, text: &str) -> SourceFile {
        SourceFile {
            path: format!("content/{rel}").into(),
            rel: rel.into(),
            kind: SourceKind::Data,
            text: text.into(),
            bytes: vec![],
        }
    }

    #[test]
    fn loads_taxonomies_and_values() {
        let p = file(
            "_data/pijlers.yaml",
            "- { id: sociaal, name: Pijler Sociaal }\n",
        );
        let s = file("_data/steden.yaml", "- { name: Almere }\n");
        let (data, errors) = load(&[&p, &s], &Taxonomies::default());
        assert!(errors.is_empty());
        assert_eq!(data.pijlers[0].id, "sociaal");
        assert!(data.values.contains_key("steden"));
    }

    #[test]
    fn typo_in_taxonomy_is_located() {
        let t = file(
            "_data/themagroepen.yaml",
            "- id: a\n  name: A\n  pijlr: sociaal\n",
        );
        let (_, errors) = load(&[&t], &Taxonomies::default());
        assert_eq!(errors[0].line, Some(3));
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `pijler`?"));
    }
}
