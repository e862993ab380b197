//! `taxonomies:` in `site.yaml`: what the site calls its two levels of
//! subjects, which front-matter field names them, which data file lists
//! them and where their pages live.
//!
//! The code knows two levels: *pillars* (one per document, `pijler:`) and
//! the *groups* under them (several per document, `themagroepen:`; since
//! 2026 the network calls them opgavegroepen). A site renames either level
//! here; with no `taxonomies:` the site behaves exactly as before.

use serde::{Deserialize, Serialize};

use crate::util::rename_keys::KeyNames;

/// The field name the documents' structs use for a pillar.
pub(crate) const PIJLER_FIELD: &str = "pijler";
/// The field name the documents' structs use for the groups.
pub(crate) const GROEPEN_FIELD: &str = "themagroepen";

/// `taxonomies:` as written; every key may be left out.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TaxonomiesConfig {
    #[serde(default)]
    pub pijlers: TaxonomyConfig,
    #[serde(default)]
    pub groepen: TaxonomyConfig,
}

/// One level as written in `site.yaml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TaxonomyConfig {
    /// Front-matter field, e.g. `opgavegroepen`.
    #[serde(default)]
    pub field: Option<String>,
    /// Earlier field names that still work, with a warning.
    #[serde(default)]
    pub old_fields: Vec<String>,
    /// Data file under `content/_data/`, without `.yaml`.
    #[serde(default)]
    pub data: Option<String>,
    /// Label for one, e.g. `Opgavegroep`.
    #[serde(default)]
    pub singular: Option<String>,
    /// Label for the overview and lists, e.g. `Opgavegroepen`.
    #[serde(default)]
    pub plural: Option<String>,
    /// URL path segment, e.g. `opgavegroepen` for `/opgavegroepen/`.
    #[serde(default)]
    pub path: Option<String>,
    /// Earlier path segments: every page under them redirects to the new path.
    #[serde(default)]
    pub old_paths: Vec<String>,
}

/// One level, with every default filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Taxonomy {
    pub field: String,
    pub old_fields: Vec<String>,
    pub data: String,
    pub singular: String,
    pub plural: String,
    pub path: String,
    pub old_paths: Vec<String>,
}

/// Both levels, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Taxonomies {
    pub pijlers: Taxonomy,
    pub groepen: Taxonomy,
    /// [`Taxonomies::key_names`], made once: every document is read with it.
    #[serde(skip)]
    keys: KeyNames,
}

impl Default for Taxonomies {
    fn default() -> Self {
        TaxonomiesConfig::default().resolve()
    }
}

impl TaxonomiesConfig {
    /// [`Self::resolve`], with the labels the site does not set taken from
    /// the theme's strings in the site's language.
    pub(crate) fn resolve_in(&self, ui: &super::Strings) -> Taxonomies {
        let mut t = self.resolve();
        let label = |set: &Option<String>, key: &str, into: &mut String| {
            if set.is_none() {
                *into = ui.get(key).to_string();
            }
        };
        label(&self.pijlers.singular, "pijler", &mut t.pijlers.singular);
        label(&self.pijlers.plural, "pijlers", &mut t.pijlers.plural);
        label(
            &self.groepen.singular,
            "themagroep",
            &mut t.groepen.singular,
        );
        label(&self.groepen.plural, "themagroepen", &mut t.groepen.plural);
        t
    }
}

impl TaxonomyConfig {
    fn resolve(&self, defaults: [&str; 5]) -> Taxonomy {
        let [field, data, singular, plural, path] = defaults;
        let or = |v: &Option<String>, d: &str| v.clone().unwrap_or_else(|| d.to_string());
        Taxonomy {
            field: or(&self.field, field),
            old_fields: self.old_fields.clone(),
            data: or(&self.data, data),
            singular: or(&self.singular, singular),
            plural: or(&self.plural, plural),
            path: or(&self.path, path),
            old_paths: self.old_paths.clone(),
        }
    }
}

impl TaxonomiesConfig {
    /// Fill in today's names where the site names nothing.
    pub(crate) fn resolve(&self) -> Taxonomies {
        let mut t = Taxonomies {
            pijlers: self.pijlers.resolve([
                PIJLER_FIELD,
                "pijlers",
                "Pijler",
                "Pijlers",
                "pijlers",
            ]),
            groepen: self.groepen.resolve([
                GROEPEN_FIELD,
                "themagroepen",
                "Themagroep",
                "Themagroepen",
                "themagroepen",
            ]),
            keys: KeyNames::default(),
        };
        t.keys = t.make_key_names();
        t
    }
}

impl Taxonomies {
    /// The two levels with the field name the code uses for each.
    pub(crate) fn levels(&self) -> [(&Taxonomy, &'static str); 2] {
        [
            (&self.pijlers, PIJLER_FIELD),
            (&self.groepen, GROEPEN_FIELD),
        ]
    }

    /// How documents' keys map to the code's field names: the site's field
    /// and old fields fill the code's field; the code's own name is
    /// rejected when the site does not use it.
    pub(crate) fn key_names(&self) -> &KeyNames {
        &self.keys
    }

    fn make_key_names(&self) -> KeyNames {
        let mut keys = KeyNames::default();
        for (level, internal) in self.levels() {
            keys.rename(&level.field, internal);
            for old in &level.old_fields {
                keys.rename(old, internal);
            }
        }
        for (_, internal) in self.levels() {
            keys.shadow(internal);
        }
        keys
    }

    /// (old field, field) for every old field name, for warnings.
    pub(crate) fn old_fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.levels().into_iter().flat_map(|(level, _)| {
            level
                .old_fields
                .iter()
                .map(move |o| (o.as_str(), level.field.as_str()))
        })
    }

    /// Problems with the declaration: (the text to point at, message, hint).
    pub(crate) fn problems(&self) -> Vec<(String, String, String)> {
        let mut problems = Vec::new();
        let mut fields: Vec<&str> = Vec::new();
        let mut paths: Vec<&str> = Vec::new();
        for (level, _) in self.levels() {
            for f in std::iter::once(&level.field).chain(&level.old_fields) {
                let word = !f.is_empty()
                    && f.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !word {
                    problems.push((
                        f.clone(),
                        format!("taxonomy field `{f}` is not a field name"),
                        "use lowercase letters, digits and `_`, e.g. `opgavegroepen`".into(),
                    ));
                } else if fields.contains(&f.as_str()) {
                    problems.push((
                        f.clone(),
                        format!("taxonomy field `{f}` is used twice"),
                        "give each level its own field name".into(),
                    ));
                }
                fields.push(f);
            }
            for p in std::iter::once(&level.path).chain(&level.old_paths) {
                if let Err(better) = crate::util::slug::validate_slug(p) {
                    problems.push((
                        p.clone(),
                        format!("taxonomy path `{p}` is not one URL segment"),
                        format!("use lowercase letters, digits and `-`, e.g. `{better}`"),
                    ));
                } else if paths.contains(&p.as_str()) {
                    problems.push((
                        p.clone(),
                        format!("taxonomy path `{p}` is used twice"),
                        "give each level, and each old path, its own path".into(),
                    ));
                }
                paths.push(p);
            }
            if let Err(better) = crate::util::slug::validate_slug(&level.data) {
                problems.push((
                    level.data.clone(),
                    format!("taxonomy data file `{}` is not a file name", level.data),
                    format!("name a file in content/_data/ without `.yaml`, e.g. `{better}`"),
                ));
            }
        }
        if self.pijlers.data == self.groepen.data {
            problems.push((
                self.groepen.data.clone(),
                format!("both taxonomies read `_data/{}.yaml`", self.groepen.data),
                "give pillars and groups each their own data file".into(),
            ));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_todays_names_and_rename_nothing() {
        let t = Taxonomies::default();
        assert_eq!(t.groepen.path, "themagroepen");
        assert_eq!(t.pijlers.field, "pijler");
        assert!(t.key_names().is_empty());
        assert!(t.problems().is_empty());
    }

    #[test]
    fn a_renamed_level_renames_its_field_and_keeps_old_ones() {
        let config = TaxonomiesConfig {
            groepen: TaxonomyConfig {
                field: Some("opgavegroepen".into()),
                old_fields: vec!["themagroepen".into()],
                ..Default::default()
            },
            ..Default::default()
        };
        let t = config.resolve();
        assert!(!t.key_names().is_empty());
        assert_eq!(
            t.old_fields().collect::<Vec<_>>(),
            [("themagroepen", "opgavegroepen")]
        );
    }

    #[test]
    fn bad_declarations_are_problems() {
        let config = TaxonomiesConfig {
            groepen: TaxonomyConfig {
                field: Some("pijler".into()),
                path: Some("../x".into()),
                data: Some("pijlers".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let messages: Vec<String> = config
            .resolve()
            .problems()
            .into_iter()
            .map(|p| p.1)
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
    }
}
