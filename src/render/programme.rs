//! Render: a networkday programme as templates see it, and its outputs.
//!
//! One [`ProgrammeView`] serves both the programme page
//! (`programme.html`: intro, grid, list by start time) and its print page
//! (`programme_print.html`). Everything a template shows is prepared here:
//! Dutch labels (`10.30–11.30 uur`), machine values
//! (`2023-02-10T10:30:00+01:00`), the grid (see [`super::grid`]), links to
//! the calendar files. The exports — `programma.ics`, one `.ics` per
//! session, `schedule.json` and `schedule.xml` — are written next to the
//! page.

use serde::Serialize;
use tera::Context;

use super::grid::{self, Cell, Slot};
use super::{Job, Output, output_path};
use crate::document::programme::{SessionKind, Speaker};
use crate::document::times::{Time, dutch_range};
use crate::site::{ProgrammeDay, Site, TaxonRef};

/// A programme as its templates see it (`programme`).
#[derive(Serialize)]
pub struct ProgrammeView<'a> {
    pub title: &'a str,
    /// ISO date, for `<time datetime>`.
    pub date: String,
    /// `vrijdag 10 februari 2023`
    pub date_long: String,
    pub city: Option<&'a str>,
    pub venue: Option<&'a str>,
    pub address: Option<&'a str>,
    /// `bestuurlijk` or `ambtelijk`.
    pub audience: Option<&'static str>,
    pub url: &'a str,
    pub print_url: &'a str,
    pub ics_url: &'a str,
    pub schedule_url: &'a str,
    pub schedule_xml_url: &'a str,
    pub rooms: Vec<RoomView<'a>>,
    /// The grid, row by row.
    pub grid: Vec<RowView<'a>>,
    /// Every session by start time (the list and the descriptions).
    pub sessions: Vec<SessionView<'a>>,
    pub not_meeting: Vec<NotMeetingView<'a>>,
}

#[derive(Serialize)]
pub struct RoomView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub location: Option<&'a str>,
}

#[derive(Serialize)]
pub struct RowView<'a> {
    /// `10.30`
    pub start: String,
    /// `11.30`; `None` for the row of a moment.
    pub end: Option<String>,
    /// `10.30–11.30 uur`
    pub label: String,
    pub start_datetime: String,
    pub end_datetime: Option<String>,
    pub cells: Vec<CellView<'a>>,
}

#[derive(Serialize)]
pub struct CellView<'a> {
    /// The session in this cell; `None`: the room is free.
    pub session: Option<SessionView<'a>>,
    pub rowspan: usize,
    pub colspan: usize,
    /// The room (first room) of this cell.
    pub room: &'a str,
    /// The session's times differ from the row's (it spans rows): show them.
    pub show_time: bool,
}

#[derive(Serialize, Clone)]
pub struct SessionView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// `session`, `plenary`, `walk-in`, `transfer`, `break`.
    pub kind: &'static str,
    /// Dutch: `Plenair`, `Inloop`, ...
    pub kind_label: &'static str,
    /// `10.30`
    pub start: String,
    pub end: Option<String>,
    /// `10.30–11.30 uur`
    pub time_label: String,
    pub start_datetime: String,
    pub end_datetime: Option<String>,
    /// Where: `Zaal 2`, `Zaal 2 en Zaal 3`, `Plenair / Zaal 1 (Gravenzaal)`.
    pub room_label: Option<String>,
    pub pijler: Option<&'a TaxonRef>,
    pub themagroepen: &'a [TaxonRef],
    pub chair: Option<&'a str>,
    pub moderator: Option<&'a str>,
    pub speakers: &'a [Speaker],
    /// HTML.
    pub description: Option<&'a str>,
    pub ics_url: String,
}

#[derive(Serialize)]
pub struct NotMeetingView<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub note: Option<&'a str>,
}

/// Everything the templates need of one programme.
pub fn view<'a>(site: &'a Site, day: &'a ProgrammeDay) -> ProgrammeView<'a> {
    let p = &day.programme;
    let page = &site.pages[day.index];
    let tz = super::ics::time_zone(site);
    let datetime = |t: Time| {
        super::ics::civil(p.date.0, t)
            .to_zoned(tz.clone())
            .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
            .unwrap_or_default()
    };
    let session = |i: usize| -> SessionView<'a> {
        let s = &p.sessions[i];
        let room_label = if s.kind == SessionKind::Session && s.rooms.len() > 1 {
            Some(
                p.rooms[s.rooms.clone()]
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" en "),
            )
        } else {
            s.held_in
                .or_else(|| (s.kind == SessionKind::Session).then_some(s.rooms.start))
                .and_then(|r| p.rooms.get(r))
                .map(|r| match &r.location {
                    Some(l) => format!("{} ({l})", r.name),
                    None => r.name.clone(),
                })
        };
        let (pijler, groups) = &day.taxa[i];
        SessionView {
            id: &s.id,
            title: &s.title,
            kind: s.kind.name(),
            kind_label: s.kind.label(),
            start: s.start.dutch(),
            end: s.end.map(Time::dutch),
            time_label: dutch_range(s.start, s.end),
            start_datetime: datetime(s.start),
            end_datetime: s.end.map(&datetime),
            room_label,
            pijler: pijler.as_ref(),
            themagroepen: groups,
            chair: s.chair.as_deref(),
            moderator: s.moderator.as_deref(),
            speakers: &s.speakers,
            description: day.descriptions[i].as_deref(),
            ics_url: day.session_ics_url(site, i),
        }
    };
    let slots: Vec<Slot> = p
        .sessions
        .iter()
        .map(|s| Slot {
            start: s.start,
            end: s.end,
            rooms: s.rooms.clone(),
        })
        .collect();
    let grid = grid::derive(&slots, p.rooms.len())
        .into_iter()
        .map(|row| RowView {
            start: row.start.dutch(),
            end: row.end.map(Time::dutch),
            label: dutch_range(row.start, row.end),
            start_datetime: datetime(row.start),
            end_datetime: row.end.map(&datetime),
            cells: row
                .cells
                .iter()
                .map(|cell| match *cell {
                    Cell::Session {
                        session: i,
                        rowspan,
                        colspan,
                        column,
                    } => {
                        let s = &p.sessions[i];
                        CellView {
                            session: Some(session(i)),
                            rowspan,
                            colspan,
                            room: &p.rooms[column].name,
                            show_time: (s.start, s.end) != (row.start, row.end),
                        }
                    }
                    Cell::Empty { column } => CellView {
                        session: None,
                        rowspan: 1,
                        colspan: 1,
                        room: &p.rooms[column].name,
                        show_time: false,
                    },
                })
                .collect(),
        })
        .collect();
    ProgrammeView {
        title: &page.title,
        date: p.date.iso(),
        date_long: p.date.dutch_long(),
        city: p.city.as_deref(),
        venue: p.venue.as_deref(),
        address: p.address.as_deref(),
        audience: p.audience.map(|a| a.label()),
        url: &page.url,
        print_url: &day.print_url,
        ics_url: &day.ics_url,
        schedule_url: &day.schedule_url,
        schedule_xml_url: &day.schedule_xml_url,
        rooms: p
            .rooms
            .iter()
            .map(|r| RoomView {
                id: &r.id,
                name: &r.name,
                location: r.location.as_deref(),
            })
            .collect(),
        grid,
        sessions: p.by_start().into_iter().map(session).collect(),
        not_meeting: day
            .not_meeting
            .iter()
            .map(|(r, note)| NotMeetingView {
                name: &r.name,
                url: &r.url,
                note: note.as_deref(),
            })
            .collect(),
    }
}

/// The print page: the grid on one A4 landscape page, then the descriptions.
pub(super) fn print_job(site: &Site, day: &ProgrammeDay) -> Job {
    let page = &site.pages[day.index];
    let mut context = Context::new();
    context.insert("page", page);
    context.insert("programme", &view(site, day));
    context.insert("current_url", &day.print_url);
    Job {
        template: "programme_print.html".into(),
        context,
        path: output_path(&day.print_url, &site.base_path),
        what: format!("the print page of content/{}", page.source),
    }
}

/// `programma.ics`, one `.ics` per session, `schedule.json` and `schedule.xml`.
pub(super) fn exports(site: &Site, day: &ProgrammeDay) -> Vec<Output> {
    let mut out = vec![
        Output {
            path: output_path(&day.ics_url, &site.base_path),
            bytes: super::ics::day_calendar(site, day).into_bytes(),
        },
        Output {
            path: output_path(&day.schedule_url, &site.base_path),
            bytes: super::schedule::schedule_json(site, day).into_bytes(),
        },
        Output {
            path: output_path(&day.schedule_xml_url, &site.base_path),
            bytes: super::schedule::schedule_xml(site, day).into_bytes(),
        },
    ];
    for i in 0..day.programme.sessions.len() {
        out.push(Output {
            path: output_path(&day.session_ics_url(site, i), &site.base_path),
            bytes: super::ics::session_calendar(site, day, i).into_bytes(),
        });
    }
    out
}
