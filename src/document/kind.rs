//! Parse: the registry of document kinds, one row per kind.
//!
//! Everything that is fixed per kind, for every stage, is a field of
//! [`KindInfo`]: what editors write in `kind:`, which file it is written
//! in, its template, how search and the pillar pages label it, whether and
//! how it is printed, and which front matter fields belong to it. Stages
//! that do something different per kind match [`Kind`] (or the site's
//! `Model`, which links a page to its kind's model) exhaustively, so adding
//! a variant here makes the compiler list every place left to fill; the
//! checklist is in docs/architecture.md.

use serde::Serialize;

/// What a document is; selects its model, template and URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    Page,
    Section,
    Report,
    Chapter,
    Note,
    /// A role set (`kind: roles`, a structured YAML document).
    Roles,
    /// A networkday programme (a YAML document, `kind: programme`).
    Programme,
}

/// The kind of file a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// Markdown with YAML front matter (`.md`).
    Markdown,
    /// A YAML document with a top-level `kind:` (`.yaml`).
    Yaml,
}

/// How a printable kind is printed by `build --pdf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Print {
    /// The word the PDF's file name starts with, unless the page's last
    /// URL segment already contains it (`jaarverslag-2023.pdf`).
    pub pdf_prefix: Option<&'static str>,
}

/// What a kind is, for every stage.
#[derive(Debug)]
pub(crate) struct KindInfo {
    pub kind: Kind,
    /// The value of `kind:` that selects it.
    pub name: &'static str,
    pub written: Written,
    /// The template a document of this kind renders with by default.
    pub template: &'static str,
    /// What a search result of this kind is called: a key of the theme's
    /// strings (`kind_page` is "Pagina" in Dutch).
    pub search_label: &'static str,
    /// The heading it is listed under on pillar and theme-group pages: a
    /// key of the theme's strings (`group_report`: "Jaarverslagen").
    pub taxon_group: &'static str,
    /// Printed to PDF by `build --pdf` (`None`: not printed).
    pub print: Option<Print>,
    /// Front matter fields that only this kind uses (Markdown kinds).
    pub own_fields: &'static [&'static str],
    /// How error messages name documents of this kind, e.g. "notes
    /// (`kind: note`)".
    pub plural: &'static str,
}

const PAGE: KindInfo = KindInfo {
    kind: Kind::Page,
    name: "page",
    written: Written::Markdown,
    template: "page.html",
    search_label: "kind_page",
    taxon_group: "group_page",
    print: None,
    own_fields: &[],
    plural: "pages",
};

const SECTION: KindInfo = KindInfo {
    kind: Kind::Section,
    name: "section",
    written: Written::Markdown,
    template: "section.html",
    search_label: "kind_section",
    taxon_group: "group_page",
    print: None,
    own_fields: &["sort_by", "paginate_by", "feed"],
    plural: "sections",
};

const REPORT: KindInfo = KindInfo {
    kind: Kind::Report,
    name: "report",
    written: Written::Markdown,
    template: "report.html",
    search_label: "kind_report",
    taxon_group: "group_report",
    print: Some(Print {
        pdf_prefix: Some("jaarverslag"),
    }),
    own_fields: &["year", "subtitle", "published"],
    plural: "reports (`kind: report`)",
};

const CHAPTER: KindInfo = KindInfo {
    kind: Kind::Chapter,
    name: "chapter",
    written: Written::Markdown,
    template: "chapter.html",
    search_label: "kind_chapter",
    taxon_group: "group_report",
    print: None,
    own_fields: &["signed"],
    plural: "report chapters",
};

const NOTE: KindInfo = KindInfo {
    kind: Kind::Note,
    name: "note",
    written: Written::Markdown,
    template: "note.html",
    search_label: "kind_note",
    taxon_group: "group_note",
    print: Some(Print { pdf_prefix: None }),
    own_fields: &[
        "note_type",
        "organisation",
        "kernboodschap",
        "behandelvoorstel",
        "eerdere_besluiten",
        "besluit",
        "ondertekening",
    ],
    plural: "notes (`kind: note`)",
};

const ROLES: KindInfo = KindInfo {
    kind: Kind::Roles,
    name: "roles",
    written: Written::Yaml,
    template: "roles.html",
    search_label: "kind_roles",
    taxon_group: "group_roles",
    print: Some(Print { pdf_prefix: None }),
    own_fields: &[],
    plural: "role sets (`kind: roles`)",
};

const PROGRAMME: KindInfo = KindInfo {
    kind: Kind::Programme,
    name: "programme",
    written: Written::Yaml,
    template: "programme.html",
    search_label: "kind_programme",
    taxon_group: "group_programme",
    print: Some(Print {
        pdf_prefix: Some("programma"),
    }),
    own_fields: &[],
    plural: "programmes (`kind: programme`)",
};

/// Every kind, in the order the documentation lists them.
pub(crate) const KINDS: [&KindInfo; 7] = [
    &PAGE, &SECTION, &REPORT, &CHAPTER, &NOTE, &ROLES, &PROGRAMME,
];

impl Kind {
    /// This kind's row of the registry.
    pub(crate) fn info(self) -> &'static KindInfo {
        match self {
            Kind::Page => &PAGE,
            Kind::Section => &SECTION,
            Kind::Report => &REPORT,
            Kind::Chapter => &CHAPTER,
            Kind::Note => &NOTE,
            Kind::Roles => &ROLES,
            Kind::Programme => &PROGRAMME,
        }
    }

    /// The kind `kind: <name>` selects in a file written as `written`.
    pub(crate) fn from_name(name: &str, written: Written) -> Option<Kind> {
        KINDS
            .iter()
            .find(|k| k.name == name && k.written == written)
            .map(|k| k.kind)
    }

    /// The names of the kinds written as `written`, for hints.
    pub(crate) fn names(written: Written) -> Vec<&'static str> {
        KINDS
            .iter()
            .filter(|k| k.written == written)
            .map(|k| k.name)
            .collect()
    }

    /// The template a document of this kind renders with by default.
    pub(crate) fn template(self) -> &'static str {
        self.info().template
    }

    /// The kind whose own field `key` is.
    pub(crate) fn owner_of(key: &str) -> Option<Kind> {
        KINDS
            .iter()
            .find(|k| k.own_fields.contains(&key))
            .map(|k| k.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_its_own_kind_and_names_are_unique() {
        for k in KINDS {
            assert_eq!(k.kind.info().name, k.name);
            assert_eq!(Kind::from_name(k.name, k.written), Some(k.kind));
            assert_eq!(KINDS.iter().filter(|o| o.name == k.name).count(), 1);
        }
        assert_eq!(Kind::from_name("roles", Written::Markdown), None);
        assert_eq!(
            Kind::names(Written::Markdown),
            ["page", "section", "report", "chapter", "note"]
        );
    }

    #[test]
    fn a_field_has_at_most_one_owner() {
        for k in KINDS {
            for f in k.own_fields {
                assert_eq!(Kind::owner_of(f), Some(k.kind), "{f}");
            }
        }
    }
}
