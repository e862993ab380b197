//! Shared data files (`content/_data/*.yaml`).
//!
//! Every data file is available to templates as `data.<file stem>`. Two of
//! them also define the site's taxonomies and are parsed strictly:
//! `pijlers.yaml` and `themagroepen.yaml`. References to them from pages,
//! sessions and roles are checked in the assemble stage.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, from_yaml_error};
use crate::source::SourceFile;

/// One pillar (`_data/pijlers.yaml`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Pijler {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// One theme group (`_data/themagroepen.yaml`); since 2026 called
/// *opgavegroepen*. `aliases` keep older ids valid in references.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Themagroep {
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
pub struct Data {
    /// `data.<stem>` for templates, by stem (sorted: deterministic output).
    pub values: BTreeMap<String, serde_yaml::Value>,
    pub pijlers: Vec<Pijler>,
    pub themagroepen: Vec<Themagroep>,
}

/// Parse every `_data/*.yaml` file; collect all errors.
pub fn load(files: &[&SourceFile]) -> (Data, Vec<Diagnostic>) {
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
        match stem.as_str() {
            "pijlers" => match crate::yaml::from_str::<Vec<Pijler>>(&file.text) {
                Ok(p) => data.pijlers = p,
                Err(e) => errors.push(from_yaml_error(&file.path, &file.text, &e, 0)),
            },
            "themagroepen" => match crate::yaml::from_str::<Vec<Themagroep>>(&file.text) {
                Ok(t) => data.themagroepen = t,
                Err(e) => errors.push(from_yaml_error(&file.path, &file.text, &e, 0)),
            },
            _ => {}
        }
        data.values.insert(stem, value);
    }
    (data, errors)
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
        let (data, errors) = load(&[&p, &s]);
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
        let (_, errors) = load(&[&t]);
        assert_eq!(errors[0].line, Some(3));
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `pijler`?"));
    }
}
