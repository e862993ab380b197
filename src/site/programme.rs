//! Assemble: networkday programmes become pages.
//!
//! A parsed [`Programme`] gets its page (kind `programme`, so sections list
//! it like any page), its URLs (print page, calendars, schedules), its
//! intro and session descriptions rendered, and its sessions' pillars and
//! theme groups resolved. Sessions that name a pillar or theme group are
//! listed on that group's page ([`programme_referring`]).

use super::pages::page_at;
use super::taxonomy::{Referring, TaxonItem, TaxonRef};
use super::urls::{
    print_url, programme_ics_url, schedule_json_url, schedule_xml_url, session_ics_url, session_url,
};
use super::{Assembly, Page, Site};
use crate::diagnostics::Diagnostic;
use crate::document::Kind;
use crate::document::programme::Programme;
use crate::markdown;
use serde::Serialize;

/// A networkday programme: its page (a [`Page`] of kind `programme`, so
/// sections list it like any other page), its print page and its exports.
#[derive(Debug, Clone)]
pub(crate) struct ProgrammeDay {
    /// Index into [`Site::pages`] of the programme's page.
    pub index: usize,
    pub programme: Programme,
    /// Per session (file order): the description as HTML.
    pub descriptions: Vec<Option<String>>,
    /// Per session (file order): its pillar and theme groups, resolved.
    pub taxa: Vec<(Option<TaxonRef>, Vec<TaxonRef>)>,
    /// Groups that do not meet this day, resolved, with the note.
    pub not_meeting: Vec<(TaxonRef, Option<String>)>,
    /// The pillars the sessions belong to (directly or through their theme
    /// group), in the order of `_data/pijlers.yaml`, then theme groups of
    /// no pillar: the grid's legend.
    pub legend: Vec<PillarMark>,
    /// Per session (file order): its entry in [`Self::legend`], if any.
    pub marks: Vec<Option<usize>>,
    pub print_url: String,
    /// The whole day as iCalendar (`programma.ics`).
    pub ics_url: String,
    /// The c3voc/frab `schedule.json`.
    pub schedule_url: String,
    /// The same as frab's `schedule.xml`.
    pub schedule_xml_url: String,
}

/// A pillar as the programme grid marks it: a label and a colour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PillarMark {
    /// The pillar's id; empty for theme groups of no pillar.
    pub id: String,
    /// `Pijler Sociaal`, or the strings' `cross_pillar` (*Pijleroverstijgend*).
    pub name: String,
    /// `#rrggbb`: the pillar's `kleur`, else [`NEUTRAL`].
    pub colour: String,
}

/// The colour of a pillar without `kleur` (7:1 under white text).
pub(crate) const NEUTRAL: &str = "#595959";

impl ProgrammeDay {
    /// URL of one session's `.ics`, next to the page.
    pub(crate) fn session_ics_url(&self, site: &Site, session: usize) -> String {
        session_ics_url(
            &site.pages[self.index].url,
            &self.programme.sessions[session].id,
        )
    }
}

/// A programme's page at site path `path`, its [`ProgrammeDay`] (with
/// `index` still to be set) and the problems found: unknown pillars and
/// theme groups, broken links in its Markdown.
pub(super) fn build_programme(
    ax: &Assembly,
    mut p: Programme,
    path: &str,
) -> (Page, ProgrammeDay, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    // Titles the editor left to the kind ("Inloop"), in the site's language.
    for s in p.sessions.iter_mut().filter(|s| !s.title_given) {
        if let Some(key) = s.kind.default_title_key() {
            s.title = ax.ui.get(key).to_string();
        }
    }
    // The intro sits under the page's h1; a description under its
    // session's h3, with ids prefixed so headings never clash between
    // sessions.
    let markdown_at = |text: &str,
                       first_line: usize,
                       id_prefix: &str,
                       heading_offset: u8,
                       errors: &mut Vec<Diagnostic>| {
        let cx = ax.markdown(
            &p.path,
            &p.text,
            first_line,
            &p.rel,
            id_prefix,
            heading_offset,
        );
        let r = markdown::render(text, &cx);
        errors.extend(r.errors);
        r.html
    };
    let intro = p
        .intro
        .as_deref()
        .map(|t| markdown_at(t, p.key_line("intro") + 1, "", 0, &mut errors))
        .unwrap_or_default();
    let descriptions = (0..p.sessions.len())
        .map(|i| {
            p.sessions[i].description.as_deref().map(|t| {
                let prefix = format!("{}-", p.sessions[i].id);
                markdown_at(t, p.description_line(i), &prefix, 2, &mut errors)
            })
        })
        .collect();
    let mut taxa = Vec::with_capacity(p.sessions.len());
    for (i, s) in p.sessions.iter().enumerate() {
        let pijler = s.pijler.as_ref().and_then(|id| match ax.refs.pijler(id) {
            Ok(r) => Some(r),
            Err(hint) => {
                errors.push(
                    p.session_error(i, "pijler", &format!("unknown pijler `{id}`"))
                        .hint(hint),
                );
                None
            }
        });
        let mut groups: Vec<TaxonRef> = Vec::new();
        for id in &s.themagroepen {
            match ax.refs.themagroep(id) {
                Ok(r) if groups.iter().any(|g| g.id == r.id) => {}
                Ok(r) => groups.push(r),
                Err(hint) => {
                    let key = p
                        .session_field(
                            i,
                            &["themagroep", "opgavegroep", "themagroepen", "opgavegroepen"],
                        )
                        .unwrap_or("themagroep");
                    errors.push(
                        p.session_error(i, key, &format!("unknown themagroep `{id}`"))
                            .hint(hint),
                    )
                }
            }
        }
        taxa.push((pijler, groups));
    }
    // Each session's pillar: its own, else its theme groups' (the first
    // with one), looked up through the same references as above.
    let pillar_of = |i: usize| -> Option<Option<TaxonRef>> {
        let (pijler, groups) = &taxa[i];
        if let Some(r) = pijler {
            return Some(Some(r.clone()));
        }
        let via_group = groups.iter().find_map(|g| {
            let group = ax.data.themagroepen.iter().find(|t| t.id == g.id)?;
            ax.refs.pijler(group.pijler.as_deref()?).ok()
        });
        match via_group {
            Some(r) => Some(Some(r)),
            None if !groups.is_empty() => Some(None),
            None => None,
        }
    };
    let order = |r: &Option<TaxonRef>| match r {
        Some(r) => ax
            .data
            .pijlers
            .iter()
            .position(|p| p.id == r.id)
            .unwrap_or(usize::MAX - 1),
        None => usize::MAX,
    };
    let mut found: Vec<Option<TaxonRef>> = Vec::new();
    let session_pillars: Vec<Option<Option<TaxonRef>>> =
        (0..p.sessions.len()).map(pillar_of).collect();
    for r in session_pillars.iter().flatten() {
        if !found
            .iter()
            .any(|f| f.as_ref().map(|x| &x.id) == r.as_ref().map(|x| &x.id))
        {
            found.push(r.clone());
        }
    }
    found.sort_by_key(|r| order(r));
    let legend: Vec<PillarMark> = found
        .iter()
        .map(|r| match r {
            Some(r) => PillarMark {
                id: r.id.clone(),
                name: r.name.clone(),
                colour: ax
                    .data
                    .pijlers
                    .iter()
                    .find(|p| p.id == r.id)
                    .and_then(|p| p.kleur.as_deref())
                    .map_or(NEUTRAL.to_string(), |k| k.trim().to_lowercase()),
            },
            None => PillarMark {
                id: String::new(),
                name: ax.ui.get("cross_pillar").to_string(),
                colour: NEUTRAL.to_string(),
            },
        })
        .collect();
    let marks = session_pillars
        .iter()
        .map(|r| {
            let r = r.as_ref()?;
            found
                .iter()
                .position(|f| f.as_ref().map(|x| &x.id) == r.as_ref().map(|x| &x.id))
        })
        .collect();
    let mut not_meeting = Vec::new();
    for (i, n) in p.not_meeting.iter().enumerate() {
        let found = match (&n.themagroep, &n.pijler) {
            (Some(id), _) => ax
                .refs
                .themagroep(id)
                .map_err(|h| ("themagroep", format!("unknown themagroep `{id}`"), h)),
            (None, Some(id)) => ax
                .refs
                .pijler(id)
                .map_err(|h| ("pijler", format!("unknown pijler `{id}`"), h)),
            (None, None) => continue,
        };
        match found {
            Ok(r) => not_meeting.push((r, n.note.clone())),
            Err((key, message, hint)) => {
                errors.push(p.not_meeting_error(i, key, &message).hint(hint))
            }
        }
    }
    // Listings show the date already: the default summary says where.
    let summary = p.summary.clone().or_else(|| match (&p.city, &p.venue) {
        (Some(c), Some(v)) => Some(format!("{} {c} ({v})", ax.ui.get("programme_in"))),
        (Some(x), None) | (None, Some(x)) => Some(format!("{} {x}", ax.ui.get("programme_in"))),
        (None, None) => None,
    });
    let page = Page {
        date: Some(p.date),
        summary,
        content: intro.into(),
        draft: p.draft,
        // Coming until its last day has passed.
        upcoming: ax.today.map(|t| p.last_date() >= t),
        date_range: (p.last_date() != p.date).then(|| p.date.range_in(p.last_date(), &ax.ui.date)),
        ..page_at(
            ax,
            Kind::Programme,
            path,
            &p.title,
            &p.rel,
            p.folder(),
            p.file_stem(),
        )
    };
    let url = &page.url;
    let day = ProgrammeDay {
        index: usize::MAX,
        descriptions,
        taxa,
        not_meeting,
        legend,
        marks,
        print_url: print_url(url),
        ics_url: programme_ics_url(url),
        schedule_url: schedule_json_url(url),
        schedule_xml_url: schedule_xml_url(url),
        programme: p,
    };
    (page, day, errors)
}

/// A programme's sessions as things that refer to pillars and theme
/// groups, listed under "Netwerkdagen" on their pages.
pub(super) fn programme_referring(
    day: &ProgrammeDay,
    pages: &[std::sync::Arc<Page>],
) -> Vec<Referring> {
    let page = &pages[day.index];
    let context = Some(match &day.programme.city {
        Some(city) => format!("{}, {city}", page.title),
        None => page.title.clone(),
    });
    day.programme
        .sessions
        .iter()
        .zip(&day.taxa)
        .filter(|(_, (pijler, groups))| pijler.is_some() || !groups.is_empty())
        .map(|(session, (pijler, groups))| Referring {
            pijler: pijler.clone(),
            themagroepen: groups.clone(),
            item: TaxonItem {
                group: Kind::Programme.info().taxon_group.into(),
                title: session.title.clone(),
                url: session_url(&page.url, &session.id),
                context: context.clone(),
                date: page.date,
                newest_first: false,
            },
        })
        .collect()
}
