//! Render: a networkday programme as templates see it, and its outputs.
//!
//! One [`ProgrammeView`] serves both the programme page
//! (`programme.html`: intro, grid, list by start time) and its print page
//! (`programme_print.html`). Everything a template shows is prepared here:
//! Dutch labels (`10.30–11.30 uur`), machine values
//! (`2023-02-10T10:30:00+01:00`), the grid (see [`grid`]), links to
//! the calendar files. The exports — `programma.ics`, one `.ics` per
//! session, `schedule.json` and `schedule.xml` — are written next to the
//! page.

pub(crate) mod grid;
pub(crate) mod ics;
pub(crate) mod schedule;

use serde::Serialize;
use tera::Context;

use self::grid::{Cell, Slot};
use super::{Job, Output, output_path};
use crate::document::programme::{SessionKind, Speaker};
use crate::document::times::{Time, dutch_range};

/// A time of day as the site's language writes it (`9.30`, `9:30`).
fn clock(site: &Site, t: Time) -> String {
    t.dutch().replace('.', site.config.ui.get("time_separator"))
}

/// From `start` to `end` (`10.00–10.30 uur`, `10:00–10:30`).
fn clock_range(site: &Site, start: Time, end: Option<Time>) -> String {
    let suffix = site.config.ui.get("time_suffix");
    match end {
        Some(end) => format!("{}–{}{suffix}", clock(site, start), clock(site, end)),
        None => format!("{}{suffix}", clock(site, start)),
    }
}

/// What a kind of session is called on the page (`Plenair`).
fn kind_label(site: &Site, kind: SessionKind) -> &str {
    site.config.ui.get(match kind {
        SessionKind::Session => "kind_session",
        SessionKind::Plenary => "session_plenary",
        SessionKind::WalkIn => "session_walk_in",
        SessionKind::Transfer => "session_transfer",
        SessionKind::Break => "session_break",
    })
}
use crate::site::programme::PillarMark;
use crate::site::urls::{NETWORKDAYS_FEED_PATH, NETWORKDAYS_PATH};
use crate::site::{ProgrammeDay, Site, TaxonRef};

/// A programme as its templates see it (`programme`).
#[derive(Serialize)]
pub(crate) struct ProgrammeView<'a> {
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
    /// The grid as printed: one part per A4 landscape page (one part, the
    /// whole grid, up to [`PRINT_MAX_ROOMS`] x [`PRINT_MAX_ROWS`]). Only on
    /// the print page.
    pub print_parts: Vec<GridPartView<'a>>,
    /// The starting scale of the printed grid's type and padding (1: the
    /// theme's sizes); `build --pdf` scales down further until the grid
    /// fits its page.
    pub print_fit: f64,
    /// Every session by start time (the list and the descriptions).
    pub sessions: Vec<SessionView<'a>>,
    pub not_meeting: Vec<NotMeetingView<'a>>,
    /// Written with `days:`: the page shows a heading, grid and list per
    /// day from [`Self::days`] (the fields above are then the first day's).
    pub multi_day: bool,
    /// `10 en 11 september 2026` (one day: `10 februari 2023`).
    pub date_range: String,
    /// Every day, when [`Self::multi_day`] (empty otherwise).
    pub days: Vec<DayView<'a>>,
    /// The pillars marked in the grid, with their colours (the legend).
    pub legend: &'a [PillarMark],
    /// The site's time zone (`Europe/Amsterdam`): "Nu en straks" shows
    /// the attendee's clock in it.
    pub timezone: &'a str,
}

/// One day of an event of several days.
#[derive(Serialize)]
pub(crate) struct DayView<'a> {
    /// 1-based.
    pub number: usize,
    /// The anchor of its heading: `dag-2026-09-10`.
    pub anchor: String,
    pub date: String,
    /// `donderdag 10 september 2026`
    pub date_long: String,
    pub title: Option<&'a str>,
    pub venue: Option<&'a str>,
    pub address: Option<&'a str>,
    pub rooms: Vec<RoomView<'a>>,
    pub grid: Vec<RowView<'a>>,
    /// Only on the print page, as [`ProgrammeView::print_parts`].
    pub print_parts: Vec<GridPartView<'a>>,
    pub print_fit: f64,
    pub sessions: Vec<SessionView<'a>>,
}

/// The most rooms and time rows a printed grid has on one page; beyond
/// them the grid is printed in parts (see [`grid::parts`]).
pub(crate) const PRINT_MAX_ROOMS: usize = 10;
pub(crate) const PRINT_MAX_ROWS: usize = 24;

/// One page of the printed grid.
#[derive(Serialize)]
pub(crate) struct GridPartView<'a> {
    /// 1-based, of `of`.
    pub number: usize,
    pub of: usize,
    pub rooms: Vec<RoomView<'a>>,
    pub rows: Vec<RowView<'a>>,
    /// What the part holds when there are several: `Zaal 1 t/m Zaal 5,
    /// 9.00–12.00 uur`.
    pub label: String,
}

#[derive(Serialize)]
pub(crate) struct RoomView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub location: Option<&'a str>,
    /// What the room is open for all day, if it is (`all_day:`).
    pub all_day: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct RowView<'a> {
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
pub(crate) struct CellView<'a> {
    /// The session in this cell; `None`: the room is free.
    pub session: Option<SessionView<'a>>,
    pub rowspan: usize,
    pub colspan: usize,
    /// The room (first room) of this cell.
    pub room: &'a str,
    /// The session's times differ from the row's (it spans rows): show them.
    pub show_time: bool,
    /// A room open all day: what for (the cell then has no session).
    pub all_day: Option<&'a str>,
}

#[derive(Serialize, Clone)]
pub(crate) struct SessionView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// `session`, `plenary`, `walk-in`, `transfer`, `break`.
    pub kind: &'static str,
    /// Dutch: `Plenair`, `Inloop`, ...
    pub kind_label: &'a str,
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
    /// The pillar it belongs to (its own or its theme group's), as the
    /// grid marks it: a label and a colour.
    pub pillar: Option<&'a PillarMark>,
    pub chair: Option<&'a str>,
    pub moderator: Option<&'a str>,
    pub speakers: &'a [Speaker],
    /// HTML.
    pub description: Option<&'a str>,
    pub ics_url: String,
}

#[derive(Serialize)]
pub(crate) struct NotMeetingView<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub note: Option<&'a str>,
}

/// Everything the templates need of one programme.
pub(crate) fn view<'a>(site: &'a Site, day: &'a ProgrammeDay) -> ProgrammeView<'a> {
    view_with(site, day, false)
}

/// [`view`], with the printed grid's parts when `print`.
fn view_with<'a>(site: &'a Site, day: &'a ProgrammeDay, print: bool) -> ProgrammeView<'a> {
    let p = &day.programme;
    let page = &site.pages[day.index];
    // A one-day file: the first (only) day's grid as the programme's own.
    let first = day_view(site, day, 0, print);
    let days = if p.multi_day {
        (0..p.days.len())
            .map(|d| day_view(site, day, d, print))
            .collect()
    } else {
        Vec::new()
    };
    ProgrammeView {
        title: &page.title,
        date: p.date.iso(),
        date_long: p.date.long_in(&site.config.ui.date),
        city: p.city.as_deref(),
        venue: p.venue.as_deref(),
        address: p.address.as_deref(),
        audience: p.audience.map(|a| a.label()),
        url: &page.url,
        print_url: &day.print_url,
        ics_url: &day.ics_url,
        schedule_url: &day.schedule_url,
        schedule_xml_url: &day.schedule_xml_url,
        rooms: first.rooms,
        grid: first.grid,
        print_parts: first.print_parts,
        // One scale for every day's grid: the smallest day's.
        print_fit: days
            .iter()
            .map(|d: &DayView| d.print_fit)
            .fold(first.print_fit, f64::min),
        sessions: if p.multi_day {
            p.by_start()
                .into_iter()
                .map(|i| session_view(site, day, i))
                .collect()
        } else {
            first.sessions
        },
        not_meeting: day
            .not_meeting
            .iter()
            .map(|(r, note)| NotMeetingView {
                name: &r.name,
                url: &r.url,
                note: note.as_deref(),
            })
            .collect(),
        multi_day: p.multi_day,
        date_range: p.date.range_in(p.last_date(), &site.config.ui.date),
        days,
        legend: &day.legend,
        timezone: &site.config.timezone,
    }
}

/// `2023-02-10T10:30:00+01:00` of time `t` on `date`.
fn datetime_of(site: &Site, date: crate::dates::Date, t: Time) -> String {
    ics::civil(date.0, t)
        .to_zoned(ics::time_zone(site))
        .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
        .unwrap_or_default()
}

/// Session `i` as the grid and the list show it.
fn session_view<'a>(site: &'a Site, day: &'a ProgrammeDay, i: usize) -> SessionView<'a> {
    let p = &day.programme;
    let s = &p.sessions[i];
    let rooms = p.rooms_of(i);
    let date = p.date_of(i);
    let room_label = if s.kind == SessionKind::Session && s.rooms.len() > 1 {
        Some(
            rooms[s.rooms.clone()]
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join(" en "),
        )
    } else {
        s.held_in
            .or_else(|| (s.kind == SessionKind::Session).then_some(s.rooms.start))
            .and_then(|r| rooms.get(r))
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
        kind_label: kind_label(site, s.kind),
        start: clock(site, s.start),
        end: s.end.map(|t| clock(site, t)),
        time_label: clock_range(site, s.start, s.end),
        start_datetime: datetime_of(site, date, s.start),
        end_datetime: s.end.map(|t| datetime_of(site, date, t)),
        room_label,
        pijler: pijler.as_ref(),
        themagroepen: groups,
        pillar: day.marks[i].and_then(|m| day.legend.get(m)),
        chair: s.chair.as_deref(),
        moderator: s.moderator.as_deref(),
        speakers: &s.speakers,
        description: day.descriptions[i].as_deref(),
        ics_url: day.session_ics_url(site, i),
    }
}

/// Day `d`: its grid, printed parts and list.
fn day_view<'a>(site: &'a Site, day: &'a ProgrammeDay, d: usize, print: bool) -> DayView<'a> {
    let p = &day.programme;
    let the_day = &p.days[d];
    let first = the_day.sessions.start;
    let date = the_day.date;
    let slots = slots_of(p, d);
    let row_view = |row: &grid::Row| RowView {
        start: clock(site, row.start),
        end: row.end.map(|t| clock(site, t)),
        label: clock_range(site, row.start, row.end),
        start_datetime: datetime_of(site, date, row.start),
        end_datetime: row.end.map(|t| datetime_of(site, date, t)),
        cells: row
            .cells
            .iter()
            .map(|cell| match *cell {
                Cell::Session {
                    session,
                    rowspan,
                    colspan,
                    column,
                } => {
                    let i = first + session;
                    let s = &p.sessions[i];
                    CellView {
                        session: Some(session_view(site, day, i)),
                        rowspan,
                        colspan,
                        room: &the_day.rooms[column].name,
                        show_time: (s.start, s.end) != (row.start, row.end),
                        all_day: None,
                    }
                }
                Cell::Empty { column } => CellView {
                    session: None,
                    rowspan: 1,
                    colspan: 1,
                    room: &the_day.rooms[column].name,
                    show_time: false,
                    all_day: None,
                },
                Cell::AllDay { column, rowspan } => CellView {
                    session: None,
                    rowspan,
                    colspan: 1,
                    room: &the_day.rooms[column].name,
                    show_time: false,
                    all_day: the_day.rooms[column].all_day.as_deref().map(str::trim),
                },
            })
            .collect(),
    };
    let rooms = || {
        the_day.rooms.iter().map(|r| RoomView {
            id: &r.id,
            name: &r.name,
            location: r.location.as_deref(),
            all_day: r.all_day.as_deref().map(str::trim),
        })
    };
    let all_day = all_day_columns(&the_day.rooms);
    let grid: Vec<RowView> = grid::derive_with(&slots, the_day.rooms.len(), &all_day)
        .iter()
        .map(row_view)
        .collect();
    // The print page's parts, derived once: they also give its scale.
    let parts = print_parts(&slots, &the_day.rooms);
    let print_fit = layout_of(&parts, !day.legend.is_empty()).1;
    let print_parts = if print {
        let of = parts.len();
        parts
            .iter()
            .enumerate()
            .map(|(n, part)| GridPartView {
                number: n + 1,
                of,
                rooms: rooms()
                    .skip(part.columns.start)
                    .take(part.columns.len())
                    .collect(),
                rows: part.rows.iter().map(row_view).collect(),
                label: part_label(&the_day.rooms, part),
            })
            .collect()
    } else {
        Vec::new()
    };
    DayView {
        number: d + 1,
        anchor: format!("dag-{}", date.iso()),
        date: date.iso(),
        date_long: date.long_in(&site.config.ui.date),
        title: the_day.title.as_deref(),
        venue: the_day.venue.as_deref(),
        address: the_day.address.as_deref(),
        rooms: rooms().collect(),
        grid,
        print_parts,
        print_fit,
        sessions: p
            .day_by_start(d)
            .into_iter()
            .map(|i| session_view(site, day, i))
            .collect(),
    }
}

/// The starting scale of a printed grid of `rows` x `rooms` (in one
/// part): the theme's sizes suit up to about 14 rows of 7 rooms; larger grids
/// start smaller, never below the smallest scale `build --pdf` prints.
/// With pillar labels (`labelled`) a row holds a line more and the legend
/// follows the grid: the rows count for [`LABELLED_ROWS`] times as much.
fn print_fit(rows: usize, rooms: usize, labelled: bool) -> f64 {
    let rows = rows.min(PRINT_MAX_ROWS) as f64 * if labelled { LABELLED_ROWS } else { 1.0 };
    let rooms = rooms.min(PRINT_MAX_ROOMS) as f64;
    let fit = (14.0 / rows.max(1.0))
        .sqrt()
        .min((7.0 / rooms.max(1.0)).sqrt());
    (fit.clamp(PRINT_MIN_FIT, 1.0) * 100.0).round() / 100.0
}

/// How much taller a printed grid's rows are with pillar labels (a label
/// line under most titles), measured on the Haarlem day.
const LABELLED_ROWS: f64 = 1.35;

/// The smallest scale of the printed grid (9.5 pt type becomes 5.7 pt):
/// below it the grid would no longer be readable on paper.
pub(crate) const PRINT_MIN_FIT: f64 = 0.6;

/// How many pages the printed grids of `day` take ([`grid::parts`], each
/// day on pages of its own), and the scale its print page starts with
/// (the smallest of its days').
pub(crate) fn print_layout(day: &ProgrammeDay) -> (usize, f64) {
    let p = &day.programme;
    (0..p.days.len())
        .map(|d| {
            layout_of(
                &print_parts(&slots_of(p, d), &p.days[d].rooms),
                !day.legend.is_empty(),
            )
        })
        .fold((0, 1.0), |(n, fit), (m, f)| (n + m, f64::min(fit, f)))
}

/// [`print_layout`] of parts already derived.
fn layout_of(parts: &[grid::Part], labelled: bool) -> (usize, f64) {
    let rows = parts.iter().map(|p| p.rows.len()).max().unwrap_or(0);
    let rooms = parts.iter().map(|p| p.columns.len()).max().unwrap_or(0);
    (parts.len(), print_fit(rows, rooms, labelled))
}

/// The sessions of day `d` as the grid sees them: times and rooms.
fn slots_of(p: &crate::document::programme::Programme, d: usize) -> Vec<Slot> {
    p.sessions[p.days[d].sessions.clone()]
        .iter()
        .map(|s| Slot {
            start: s.start,
            end: s.end,
            rooms: s.rooms.clone(),
        })
        .collect()
}

/// The printed grid, in as many parts as its size needs.
fn print_parts(slots: &[Slot], rooms: &[crate::document::programme::Room]) -> Vec<grid::Part> {
    grid::parts(
        slots,
        rooms.len(),
        &all_day_columns(rooms),
        PRINT_MAX_ROWS,
        PRINT_MAX_ROOMS,
    )
}

/// The columns of the rooms open all day (`all_day:`).
fn all_day_columns(rooms: &[crate::document::programme::Room]) -> Vec<usize> {
    (0..rooms.len())
        .filter(|&c| rooms[c].all_day.is_some())
        .collect()
}

/// What a part of the printed grid holds: `Zaal 1 t/m Zaal 5, 9.00–12.00 uur`.
fn part_label(rooms: &[crate::document::programme::Room], part: &grid::Part) -> String {
    let names: Vec<&str> = rooms[part.columns.clone()]
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    let rooms = match names.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [a, .., b] => format!("{a} t/m {b}"),
    };
    match (part.rows.first(), part.rows.last()) {
        (Some(first), Some(last)) => {
            let end = last.end.unwrap_or(last.start);
            let times = dutch_range(first.start, (end != first.start).then_some(end));
            format!("{rooms}, {times}")
        }
        _ => rooms,
    }
}

/// The print page: the grid on one A4 landscape page, then the descriptions.
pub(super) fn print_job(site: &Site, day: &ProgrammeDay) -> Job {
    let page = &site.pages[day.index];
    let view = view_with(site, day, true);
    let mut context = Context::new();
    context.insert("page", page);
    context.insert("programme", &view);
    Job::new(
        site,
        "programme_print.html",
        &day.print_url,
        context,
        format!("the print page of content/{}", page.source),
    )
}

/// `programma.ics`, one `.ics` per session, `schedule.json` and `schedule.xml`.
pub(super) fn exports(site: &Site, day: &ProgrammeDay) -> Vec<Output> {
    let mut out = vec![
        Output {
            path: output_path(&day.ics_url, &site.base_path),
            bytes: ics::day_calendar(site, day).into_bytes(),
        },
        Output {
            path: output_path(&day.schedule_url, &site.base_path),
            bytes: schedule::schedule_json(site, day).into_bytes(),
        },
        Output {
            path: output_path(&day.schedule_xml_url, &site.base_path),
            bytes: schedule::schedule_xml(site, day).into_bytes(),
        },
    ];
    for i in 0..day.programme.sessions.len() {
        out.push(Output {
            path: output_path(&day.session_ics_url(site, i), &site.base_path),
            bytes: ics::session_calendar(site, day, i).into_bytes(),
        });
    }
    out
}

/// The calendar feed of every networkday (`/netwerkdagen/netwerkdagen.ics`),
/// when the site has programmes.
pub(super) fn feed(site: &Site) -> Option<Output> {
    ics::feed_calendar(site).map(|text| Output {
        path: output_path(&site.url(NETWORKDAYS_FEED_PATH), &site.base_path),
        bytes: text.into_bytes(),
    })
}

/// On the networkdays' section page: `calendar_feed_url`, the feed its
/// head announces (`<link rel="alternate" type="text/calendar">`) and
/// its text offers to subscribe to.
pub(super) fn feed_context(site: &Site, page: &crate::site::Page, context: &mut Context) {
    if !site.programmes.is_empty() && page.url == site.url(NETWORKDAYS_PATH) {
        let url = site.url(NETWORKDAYS_FEED_PATH);
        // webcal: asks the calendar app to subscribe rather than import.
        let permalink = format!(
            "{}{}",
            site.config.base_url_trimmed(),
            url.strip_prefix(&site.base_path).unwrap_or(&url)
        );
        let webcal = permalink
            .strip_prefix("https://")
            .or_else(|| permalink.strip_prefix("http://"))
            .map(|rest| format!("webcal://{rest}"));
        context.insert("calendar_feed_url", &url);
        context.insert("calendar_feed_webcal", &webcal);
    }
}

/// A session as the search index holds it (see `render/search.rs`).
pub(crate) struct SessionEntry<'a> {
    pub title: &'a str,
    /// The session's anchor on the programme page.
    pub url: String,
    /// `10.30–11.30 uur · Zaal 2 · Bestuurlijke netwerkdag Haarlem, 10 februari 2023`
    pub summary: String,
    /// Its speakers (name, role), chair, moderator and room.
    pub text: Vec<&'a str>,
    /// Its description, as HTML.
    pub description: Option<&'a str>,
}

/// The sessions of `day` that are worth finding (not the transfers and
/// the walk-in), in list order, each with the words it is found by.
pub(crate) fn search_entries<'a>(site: &'a Site, day: &'a ProgrammeDay) -> Vec<SessionEntry<'a>> {
    let p = &day.programme;
    let page = &site.pages[day.index];
    p.by_start()
        .into_iter()
        .filter(|&i| {
            !matches!(
                p.sessions[i].kind,
                SessionKind::Transfer | SessionKind::WalkIn
            )
        })
        .map(|i| {
            let s = &p.sessions[i];
            let rooms = p.rooms_of(i);
            let mut text: Vec<&str> = Vec::new();
            for sp in &s.speakers {
                text.push(&sp.name);
                text.extend(sp.role.as_deref());
            }
            text.extend(s.chair.as_deref());
            text.extend(s.moderator.as_deref());
            let held: Vec<usize> = match s.held_in {
                Some(r) => vec![r],
                None if s.kind == SessionKind::Session => s.rooms.clone().collect(),
                None => Vec::new(),
            };
            for r in held.iter().filter_map(|&r| rooms.get(r)) {
                text.push(&r.name);
                text.extend(r.location.as_deref());
            }
            let view = session_view(site, day, i);
            let mut summary = view.time_label;
            if let Some(room) = &view.room_label {
                summary.push_str(" · ");
                summary.push_str(room);
            }
            summary.push_str(" · ");
            summary.push_str(&page.title);
            if let Some(city) = &p.city {
                summary.push(' ');
                summary.push_str(city);
            }
            summary.push_str(", ");
            summary.push_str(&p.date_of(i).dutch_long());
            SessionEntry {
                title: &s.title,
                url: crate::site::urls::session_url(&page.url, &s.id),
                summary,
                text,
                description: day.descriptions[i].as_deref(),
            }
        })
        .collect()
}
