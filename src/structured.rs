//! Parse: structured YAML documents (`content/**/*.yaml` outside `_data/`).
//!
//! Each must say what it is with `kind`; the kind selects the model that the
//! rest of the file is parsed into.

use crate::diagnostics::{Diagnostic, from_yaml_error, suggest};
use crate::source::SourceFile;

/// The kinds a structured YAML document can have.
pub(crate) const KINDS: [&str; 2] = ["programme", "roles"];

/// Read the `kind` of a structured document, with a located error when it
/// is missing or unknown.
pub(crate) fn read_kind(file: &SourceFile) -> Result<String, Diagnostic> {
    #[derive(serde::Deserialize)]
    struct KindOnly {
        kind: Option<String>,
    }
    if file.text.trim().is_empty() {
        return Err(
            Diagnostic::new(&file.path, "the file is empty").hint(format!(
                "a YAML document under content/ starts with `kind:` ({})",
                KINDS.join(" or ")
            )),
        );
    }
    let k: KindOnly = crate::yaml::from_str(&file.text)
        .map_err(|e| from_yaml_error(&file.path, &file.text, &e, 0))?;
    match k.kind {
        None => Err(
            Diagnostic::new(&file.path, "a YAML document under content/ needs a `kind`")
                .at(&file.text, 1, 1)
                .hint(format!(
                    "add `kind: {}` (or move shared data to content/_data/)",
                    KINDS.join("` or `kind: ")
                )),
        ),
        Some(k) if KINDS.contains(&k.as_str()) => Ok(k),
        Some(k) => {
            let (l, c) =
                crate::util::yaml_locator::find_text(&file.text, "kind:", 0).unwrap_or((1, 1));
            Err(Diagnostic::new(&file.path, format!("unknown kind `{k}`"))
                .at(&file.text, l, c)
                .hint(suggest(&k, &KINDS, "kinds for YAML documents")))
        }
    }
}
