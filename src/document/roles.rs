//! Parse: role sets (`kind: roles`, *functiebeschrijvingen*).
//!
//! A role set is one YAML file describing board roles up for election: an
//! introduction (Markdown) and, per role, its duties, competencies, time
//! commitment, whether it is paid, the official who supports it and whom to
//! ask. This module reads the file into a typed [`RoleSet`] and checks
//! everything that can be checked within the file (required fields, types,
//! `fte` range, duplicate role ids, e-mail addresses), locating each problem
//! at its line. References to pillars and theme groups are resolved later,
//! in the assemble stage (`site::roles`), with the positions this module
//! keeps in [`RoleSetDocument`].
//!
//! The format is documented in `docs/roles-and-notes.md`.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::dates::Date;
use crate::diagnostics::{DateAt, Diagnostic, invalid_date_position, parse_yaml_keys};
use crate::source::SourceFile;
use crate::util::rename_keys::KeyNames;
use crate::util::slug::validate_slug;
use crate::util::yaml_locator::{Position, YamlLocator};

/// The smallest and largest `fte` a supporting official can have: more than
/// nothing, at most one full-time job (one person). Support by several
/// people is described as several roles or in the duties.
pub(crate) const FTE_RANGE: (f64, f64) = (0.0, 1.0);

/// A role set file as written (`kind: roles`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RoleSet {
    /// Always `roles` (checked before this model is read).
    pub kind: String,
    /// Title of the overview page, e.g. "Beschrijving functies G40" (required).
    pub title: String,
    /// Publication date.
    #[serde(default)]
    pub date: Option<Date>,
    /// For listings and `<meta name="description">`.
    #[serde(default)]
    pub summary: Option<String>,
    /// Markdown: the introduction (election timeline, the board, ...).
    #[serde(default)]
    pub intro: Option<String>,
    /// URL segment; default: the file stem without a leading `NN-` prefix.
    #[serde(default)]
    pub slug: Option<String>,
    /// Order within the section listing.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Old site paths of the overview page, redirected to it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Left out of the build unless `--drafts` is given.
    #[serde(default)]
    pub draft: bool,
    /// Reference into `_data/pijlers.yaml` (extension of the format).
    #[serde(default)]
    pub pijler: Option<String>,
    /// References into `_data/themagroepen.yaml` (extension of the format).
    #[serde(default)]
    pub themagroepen: Vec<String>,
    /// The roles, in the order they are presented (at least one).
    pub roles: Vec<Role>,
}

/// One role (*functie*).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Role {
    /// URL segment of the role's page, unique in the set, e.g. `voorzitter`.
    pub id: String,
    /// e.g. "Eerste vicevoorzitter".
    pub title: String,
    /// One sentence for the overview.
    #[serde(default)]
    pub summary: Option<String>,
    /// The body the role is a member of, e.g. "Dagelijks Bestuur".
    #[serde(default)]
    pub member_of: Option<String>,
    /// Whether the role is paid (*bezoldigd*).
    pub paid: bool,
    /// Markdown, one item per duty (at least one).
    pub duties: Vec<String>,
    /// Short words: "verbinder", "netwerker", ...
    #[serde(default)]
    pub competencies: Vec<String>,
    /// Time commitment in words, e.g. "twee tot vier uur per week".
    pub time: String,
    /// The supporting official.
    #[serde(default)]
    pub support: Option<Support>,
    /// Whom to ask about the role.
    #[serde(default)]
    pub contact: Option<Contact>,
    /// Reference into `_data/pijlers.yaml` (extension of the format).
    #[serde(default)]
    pub pijler: Option<String>,
    /// References into `_data/themagroepen.yaml` (extension of the format).
    #[serde(default)]
    pub themagroepen: Vec<String>,
}

/// The official who supports a role (*ambtelijke ondersteuning*).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Support {
    /// e.g. "Algemeen secretaris".
    pub title: String,
    /// Formal time commitment in full-time equivalents, `0 < fte <= 1`.
    pub fte: Fte,
    /// Markdown, one item per duty.
    #[serde(default)]
    pub duties: Vec<String>,
}

/// Whom to ask about a role.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Contact {
    /// Name(s) of the person or people.
    #[serde(default)]
    pub name: Option<String>,
    /// Their role, e.g. "algemeen secretaris".
    #[serde(default)]
    pub role: Option<String>,
    /// A role address or an address at `example.nl` (required).
    pub email: String,
}

/// A number of full-time equivalents. Parsed strictly: `0,75` (a Dutch
/// decimal comma, which YAML reads as text) is an error that says so.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub(crate) struct Fte(pub f64);

impl Fte {
    /// `0.75` → `0,75`; `1` → `1`.
    pub(crate) fn dutch(self) -> String {
        let rounded = (self.0 * 100.0).round() / 100.0;
        format!("{rounded}").replace('.', ",")
    }
}

impl<'de> Deserialize<'de> for Fte {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Fte, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Fte;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of full-time equivalents, e.g. 0.75")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Fte, E> {
                Ok(Fte(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Fte, E> {
                Ok(Fte(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Fte, E> {
                Ok(Fte(v as f64))
            }
            // Raised inside the scalar, so the error carries its position.
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Fte, E> {
                let hint = if v.trim().replacen(',', ".", 1).parse::<f64>().is_ok() {
                    format!(
                        " (write `{}`, with a decimal point)",
                        v.trim().replacen(',', ".", 1)
                    )
                } else {
                    String::new()
                };
                Err(E::custom(format!(
                    "`fte` must be a number, e.g. 0.75, not the text `{v}`{hint}"
                )))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A parsed role set with its source, for located errors in later stages.
#[derive(Debug, Clone)]
pub(crate) struct RoleSetDocument {
    /// Path shown in errors, e.g. `content/bestuur/functies-2026.yaml`.
    pub path: PathBuf,
    /// Path relative to `content/`, with `/`.
    pub rel: String,
    pub text: Arc<str>,
    pub set: RoleSet,
    /// Problems found in the file (empty when it is valid). A role set that
    /// could be read but has problems still goes on to the assemble stage,
    /// which reports these together with its unknown references, and then
    /// leaves it out.
    pub problems: Vec<Diagnostic>,
    /// Line range (0-based) of each role's list item, for locating errors.
    role_lines: Vec<Range<usize>>,
}

impl RoleSetDocument {
    /// Folder relative to `content/` (`""` for the top).
    pub(crate) fn folder(&self) -> &str {
        crate::util::slug::folder(&self.rel)
    }

    /// The file name without extension.
    pub(crate) fn file_stem(&self) -> &str {
        crate::util::slug::file_stem(&self.rel)
    }

    fn role_range(&self, role: Option<usize>) -> Range<usize> {
        match role.and_then(|i| self.role_lines.get(i)) {
            Some(r) => r.clone(),
            None if role.is_some() => YamlLocator::new(&self.text).key_range("roles"),
            None => 0..self.text.lines().count(),
        }
    }

    /// Where `keys` (a path such as `["support", "fte"]`) is, in role
    /// `role` or (with `None`) at the top of the file.
    pub(crate) fn locate(&self, role: Option<usize>, keys: &[&str]) -> Position {
        let range = self.role_range(role);
        let locator = YamlLocator::new(&self.text);
        if role.is_none() {
            // Top-level keys come before `roles:` or after its items; the
            // roles' own keys (also `title`, `pijler`) must not match.
            return locator.top_level_key(keys);
        }
        locator.key(range, keys)
    }

    /// Where the text `value` stands after `key`, e.g. one id in a list.
    pub(crate) fn locate_value(&self, role: Option<usize>, key: &str, value: &str) -> Position {
        let locator = YamlLocator::new(&self.text);
        let range = match role {
            Some(_) => self.role_range(role),
            None => {
                let (line, _) = locator.top_level_key(&[key]);
                line - 1..self.text.lines().count()
            }
        };
        locator.value(range, key, value)
    }

    /// A diagnostic at `keys` of role `role` (or of the set).
    pub(crate) fn error(
        &self,
        role: Option<usize>,
        keys: &[&str],
        message: impl Into<String>,
    ) -> Diagnostic {
        let (l, c) = self.locate(role, keys);
        Diagnostic::new(&self.path, message).at(&self.text, l, c)
    }

    /// Line (1-based) where the Markdown of `intro` starts, for errors in it.
    pub(crate) fn intro_first_line(&self) -> usize {
        self.locate(None, &["intro"]).0 + 1
    }
}

/// Parse and check one role set. A YAML syntax or type error is returned as
/// the error (the rest of the file cannot be read reliably); every other
/// problem is collected in [`RoleSetDocument::problems`].
#[cfg(test)]
pub(crate) fn parse(file: &SourceFile) -> Result<RoleSetDocument, Vec<Diagnostic>> {
    parse_with(file, &KeyNames::default())
}

/// [`parse`] on a site that names its taxonomy fields itself
/// (`taxonomies:` in `site.yaml`).
pub(crate) fn parse_with(
    file: &SourceFile,
    keys: &KeyNames,
) -> Result<RoleSetDocument, Vec<Diagnostic>> {
    let text: Arc<str> = file.text.clone();
    let set: RoleSet = parse_yaml_keys(&file.path, &text, &text, 0, keys).map_err(|errors| {
        errors
            .into_iter()
            .map(|mut d| {
                // The date type reports on its parent mapping; point at the date.
                let at = DateAt::Key {
                    list: Some("roles"),
                };
                if let Some((line, col)) = invalid_date_position(&d.message, d.line, &text, at) {
                    d = d.at(&text, line, col);
                }
                name_the_role(d, &text)
            })
            .collect::<Vec<_>>()
    })?;
    let role_lines = YamlLocator::new(&text).list_items("roles");
    let mut doc = RoleSetDocument {
        path: file.path.clone(),
        rel: file.rel.clone(),
        text,
        set,
        problems: Vec::new(),
        role_lines,
    };
    doc.problems = check(&doc);
    Ok(doc)
}

/// serde names a role by its place (`roles[4]: missing field `time``);
/// editors know it by its id: "role `pijler-vicevoorzitter`: ...". An
/// unknown field also gets its did-you-mean hint here when the path prefix
/// kept the generic one from finding it.
fn name_the_role(mut d: Diagnostic, text: &str) -> Diagnostic {
    let Some(rest) = d.message.strip_prefix("roles[") else {
        return d;
    };
    let Some((index, tail)) = rest.split_once(']') else {
        return d;
    };
    let Ok(index) = index.parse::<usize>() else {
        return d;
    };
    let locator = YamlLocator::new(text);
    let id = locator
        .list_items("roles")
        .get(index)
        .and_then(|r| locator.scalar_at(locator.key(r.clone(), &["id"]), "id"));
    let name = match id {
        Some(id) => format!("role `{id}`"),
        None => format!("role {}", index + 1),
    };
    let tail = tail.trim_start_matches(':').trim_start();
    let (sub, message) = match tail.split_once(": ") {
        // `roles[0].support: unknown field ...`
        Some((sub, m)) if sub.starts_with('.') => (format!(" ({})", &sub[1..]), m.to_string()),
        _ => (String::new(), tail.to_string()),
    };
    if d.hint.is_none() && message.starts_with("unknown field") {
        let mut quoted = message.split('`').skip(1).step_by(2);
        if let Some(unknown) = quoted.next() {
            let expected: Vec<&str> = quoted.collect();
            d.hint = Some(crate::diagnostics::suggest(unknown, &expected, "fields"));
        }
    }
    d.message = format!("{name}{sub}: {message}");
    d
}

/// Everything that can be wrong inside one role set, all of it.
fn check(doc: &RoleSetDocument) -> Vec<Diagnostic> {
    let set = &doc.set;
    let mut errors = Vec::new();
    if set.title.trim().is_empty() {
        errors.push(
            doc.error(None, &["title"], "`title` is empty")
                .hint("give the role set a title, e.g. `title: Beschrijving functies G40`"),
        );
    }
    if let Some(slug) = &set.slug
        && let Err(suggestion) = validate_slug(slug)
    {
        errors.push(
            doc.error(
                None,
                &["slug"],
                format!("slug `{slug}` is not a single URL segment"),
            )
            .hint(format!(
                "use lowercase letters, digits and dashes, e.g. `{suggestion}`"
            )),
        );
    }
    if set.roles.is_empty() {
        errors.push(
            doc.error(None, &["roles"], "a role set needs at least one role")
                .hint("add roles as a list: `roles:` followed by `- id: voorzitter` ..."),
        );
    }
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for (i, role) in set.roles.iter().enumerate() {
        let at = |keys: &[&str], message: String| doc.error(Some(i), keys, message);
        let name = if role.id.trim().is_empty() {
            format!("role {}", i + 1)
        } else {
            format!("role `{}`", role.id)
        };
        if role.id.trim().is_empty() {
            errors.push(
                at(&["id"], format!("{name} has an empty `id`")).hint(
                    "give the role an id such as `voorzitter`: it becomes the URL of its page",
                ),
            );
        } else if let Err(suggestion) = validate_slug(&role.id) {
            errors.push(
                at(
                    &["id"],
                    format!("role id `{}` is not a single URL segment", role.id),
                )
                .hint(format!(
                    "use lowercase letters, digits and dashes, e.g. `{suggestion}`"
                )),
            );
        } else if role.id == "print" {
            errors.push(
                at(
                    &["id"],
                    "role id `print` is taken by the print page of the role set".into(),
                )
                .hint("choose another id"),
            );
        }
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == role.id) {
            let first_line = doc.locate(Some(*first), &["id"]).0;
            errors.push(
                at(&["id"], format!("role id `{}` is used twice", role.id)).hint(format!(
                    "the first role with this id is on line {first_line}; every role needs its own id (it is the URL of its page)"
                )),
            );
        } else {
            seen.push((&role.id, i));
        }
        for (key, value) in [("title", &role.title), ("time", &role.time)] {
            if value.trim().is_empty() {
                errors.push(
                    at(&[key], format!("`{key}` of {name} is empty")).hint(match key {
                        "title" => "give the role a title, e.g. `title: Voorzitter`",
                        _ => {
                            "describe the time commitment, e.g. `time: twee tot vier uur per week`"
                        }
                    }),
                );
            }
        }
        if role.duties.is_empty() {
            errors.push(
                at(&["duties"], format!("{name} has no `duties`"))
                    .hint("list at least one duty: `duties:` followed by `- ...` lines"),
            );
        }
        if let Some(support) = &role.support {
            if support.title.trim().is_empty() {
                errors.push(
                    at(
                        &["support", "title"],
                        format!("`support.title` of {name} is empty"),
                    )
                    .hint("name the supporting official, e.g. `title: Algemeen secretaris`"),
                );
            }
            let fte = support.fte.0;
            if !(fte > FTE_RANGE.0 && fte <= FTE_RANGE.1) {
                errors.push(
                    at(
                        &["support", "fte"],
                        format!("`fte` of {name} is {fte}, outside the range 0–1"),
                    )
                    .hint("`fte` is the share of one full-time job: more than 0 and at most 1 (e.g. 0.75)"),
                );
            }
        }
        if let Some(contact) = &role.contact {
            if let Err(why) = check_email(&contact.email) {
                let (l, c) = doc.locate(Some(i), &["contact", "email"]);
                errors.push(
                    Diagnostic::new(
                        &doc.path,
                        format!(
                            "contact email `{}` of {name} does not look like an address: {why}",
                            contact.email
                        ),
                    )
                    .at(&doc.text, l, c)
                    .hint("write one address like `secretaris@g40stedennetwerk.nl` (use role addresses or @example.nl)"),
                );
            }
            if contact.name.is_none() && contact.role.is_none() {
                errors.push(
                    at(
                        &["contact"],
                        format!("the contact of {name} has neither `name` nor `role`"),
                    )
                    .hint("add `name:` (who) or `role:` (e.g. `algemeen secretaris`)"),
                );
            }
        }
    }
    errors
}

/// Does `email` look like one e-mail address? Says why not.
pub(crate) fn check_email(email: &str) -> Result<(), &'static str> {
    let e = email.trim();
    if e.is_empty() {
        return Err("it is empty");
    }
    if e.to_ascii_lowercase().starts_with("mailto:") {
        return Err("leave out `mailto:`");
    }
    if e.chars().any(char::is_whitespace) {
        return Err("it contains a space");
    }
    let Some((local, domain)) = e.split_once('@') else {
        return Err("it has no `@`");
    };
    if domain.contains('@') {
        return Err("it has more than one `@`");
    }
    if local.is_empty() {
        return Err("nothing before the `@`");
    }
    if !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
        || domain.starts_with('-')
    {
        return Err("the part after `@` is not a domain such as `example.nl`");
    }
    if e.contains([',', ';', '<', '>', '(', ')', '[', ']', '"', '\\']) {
        return Err("it contains characters an address cannot have");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceKind;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: "content/bestuur/functies.yaml".into(),
            rel: "bestuur/functies.yaml".into(),
            kind: SourceKind::Structured,
            text: text.into(),
            bytes: vec![],
        }
    }

    const GOOD: &str = "\
kind: roles
title: Functies
roles:
  - id: voorzitter
    title: Voorzitter
    paid: false
    duties: [Zit voor.]
    time: twee uur per week
    support: { title: Secretaris, fte: 0.75 }
    contact: { name: A, email: a@example.nl }
";

    #[test]
    fn parses_a_role_set() {
        let d = parse(&file(GOOD)).unwrap();
        assert!(d.problems.is_empty());
        assert_eq!(d.set.roles[0].id, "voorzitter");
        assert_eq!(d.set.roles[0].support.as_ref().unwrap().fte.dutch(), "0,75");
        assert_eq!(d.folder(), "bestuur");
        assert_eq!(d.file_stem(), "functies");
    }

    #[test]
    fn fte_as_text_is_located() {
        let e = parse(&file(&GOOD.replace("0.75", "\"0,75\""))).unwrap_err();
        assert_eq!(e[0].line, Some(9), "{}", e[0]);
        assert!(e[0].message.contains("write `0.75`"), "{}", e[0].message);
    }

    #[test]
    fn emails() {
        assert!(check_email("a@example.nl").is_ok());
        assert!(check_email("lotus.van.nes@ groningen.nl").is_err());
        assert!(check_email("mailto:a@example.nl").is_err());
        assert!(check_email("a.example.nl").is_err());
        assert!(check_email("a@localhost").is_err());
        assert!(check_email("a@b@example.nl").is_err());
    }

    #[test]
    fn dutch_fte() {
        assert_eq!(Fte(0.3).dutch(), "0,3");
        assert_eq!(Fte(1.0).dutch(), "1");
    }
}
