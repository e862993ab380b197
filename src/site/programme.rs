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
    pub print_url: String,
    /// The whole day as iCalendar (`programma.ics`).
    pub ics_url: String,
    /// The c3voc/frab `schedule.json`.
    pub schedule_url: String,
    /// The same as frab's `schedule.xml`.
    pub schedule_xml_url: String,
}

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
    p: Programme,
    path: &str,
) -> (Page, ProgrammeDay, Vec<Diagnostic>) {
    let mut errors = Vec::new();
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
        (Some(c), Some(v)) => Some(format!("Programma in {c} ({v})")),
        (Some(x), None) | (None, Some(x)) => Some(format!("Programma in {x}")),
        (None, None) => None,
    });
    let page = Page {
        date: Some(p.date),
        summary,
        content: intro.into(),
        draft: p.draft,
        // Coming until its last day has passed.
        upcoming: ax.today.map(|t| p.last_date() >= t),
        date_range: (p.last_date() != p.date).then(|| p.date.dutch_range(p.last_date())),
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
pub(super) fn programme_referring(day: &ProgrammeDay, pages: &[Page]) -> Vec<Referring> {
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
            },
        })
        .collect()
}
