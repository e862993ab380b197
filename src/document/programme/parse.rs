//! Parse (programmes): read one programme file and check what can be
//! checked from the file alone, every problem at once, each located at
//! the session's line (see the folder's docs for the list).

use std::ops::Range;
use std::sync::Arc;

use super::checks::{overlaps, room_span, session_times};
use super::raw::{RawProgramme, RawSession};
use super::{Day, NotMeeting, PROGRAMME_ICS_STEM, Programme, Room, Session, SessionKind};
use crate::dates::Date;
use crate::diagnostics::{DateAt, Diagnostic, invalid_date_position, parse_yaml_keys, suggest};
use crate::document::times::Time;
use crate::source::SourceFile;
use crate::util::rename_keys::KeyNames;
use crate::util::slug::{slug_or, validate_slug};
use crate::util::yaml_locator::{ItemFields, LineStarts, YamlLocator};

/// Parse and validate one programme file. All problems are returned.
#[cfg(test)]
pub(crate) fn parse(file: &SourceFile) -> Result<Programme, Vec<Diagnostic>> {
    parse_with(file, &KeyNames::default())
}

/// [`parse`] on a site that names its taxonomy fields itself
/// (`taxonomies:` in `site.yaml`).
pub(crate) fn parse_with(file: &SourceFile, keys: &KeyNames) -> Result<Programme, Vec<Diagnostic>> {
    let text: Arc<str> = file.text.clone();
    let raw: RawProgramme =
        parse_yaml_keys(&file.path, &file.text, &file.text, 0, keys).map_err(|errors| {
            errors
                .into_iter()
                .map(|mut d| {
                    // serde places errors of custom types at the start of the document:
                    // point at the `date:` line instead.
                    let at = DateAt::Key { list: None };
                    if let Some((line, column)) =
                        invalid_date_position(&d.message, d.line, &file.text, at)
                    {
                        d = d
                            .at(&file.text, line, column)
                            .hint("write the date as YYYY-MM-DD, e.g. `date: 2023-02-10`");
                    }
                    d
                })
                .collect::<Vec<_>>()
        })?;
    let mut errors = Vec::new();
    let line_starts = LineStarts::new(&text);
    let located = ItemFields {
        text: &text,
        starts: &line_starts,
    };
    let locator = YamlLocator::new(&text);
    let session_lines = locator.list_item_lines("sessions");
    let room_lines = locator.list_item_lines("rooms");
    let not_meeting_lines = locator.list_item_lines("not_meeting");
    // Top-level keys start a line (a `title:` inside a session does not count).
    let key_line = |key: &str| (locator.top_level_line(key).map_or(1, |i| i + 1), 1);
    let at_key = |key: &str, message: String| {
        let (l, c) = key_line(key);
        Diagnostic::new(&file.path, message).at(&text, l, c)
    };

    if raw.title.trim().is_empty() {
        errors.push(
            at_key("title", "`title` is empty".into())
                .hint("give the programme a title, e.g. `Bestuurlijke netwerkdag`"),
        );
    }
    if let Some(slug) = &raw.slug
        && let Err(s) = validate_slug(slug)
    {
        errors.push(
            at_key("slug", format!("slug `{slug}` is not a single URL segment")).hint(format!(
                "use lowercase letters, digits and dashes, e.g. `{s}`"
            )),
        );
    }

    // The two forms: one day (`date`, `sessions`) or several (`days`).
    let has_key = |key: &str| locator.top_level_line(key).is_some();
    let day_items = locator.list_items("days");
    let mut days: Vec<DayInput> = Vec::new();
    match &raw.days {
        Some(raw_days) => {
            for key in ["date", "sessions"] {
                if has_key(key) {
                    errors.push(
                        at_key(key, format!("`{key}` and `days` cannot both be written"))
                            .hint("a programme is one day (`date:` and `sessions:` at the top) or several days (`days:`, each with its own `date:` and `sessions:`): move this into one of the `days`"),
                    );
                }
            }
            if raw_days.is_empty() {
                errors.push(
                    at_key("days", "`days` is empty".into())
                        .hint("list the days, each with `date:` and `sessions:`"),
                );
            }
            for (d, rd) in raw_days.iter().enumerate() {
                let item = day_items.get(d).cloned().unwrap_or(0..1);
                let lines = (item.start + 1, item.end.max(item.start + 1));
                let nested = |key: &str| -> Vec<(usize, usize)> {
                    locator
                        .nested_list_items(item.clone(), key)
                        .into_iter()
                        .map(|r| (r.start + 1, r.end))
                        .collect()
                };
                if let Some(prev) = d.checked_sub(1).map(|p| raw_days[p].date)
                    && rd.date <= prev
                {
                    let (l, c) = located.field_or_item(lines, "date");
                    errors.push(
                        Diagnostic::new(
                            &file.path,
                            format!(
                                "day {}: {} does not come after the day before it ({})",
                                d + 1,
                                rd.date,
                                prev
                            ),
                        )
                        .at(&text, l, c)
                        .hint("list the days in date order, each date once"),
                    );
                }
                let own_rooms = rd.rooms.is_some();
                days.push(DayInput {
                    date: rd.date,
                    title: rd.title.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(String::from),
                    venue: rd.venue.clone().or_else(|| raw.venue.clone()),
                    address: rd.address.clone().or_else(|| raw.address.clone()),
                    rooms: rd.rooms.as_deref().unwrap_or(&raw.rooms),
                    room_lines: if own_rooms { nested("rooms") } else { room_lines.clone() },
                    own_rooms,
                    sessions: &rd.sessions,
                    session_lines: nested("sessions"),
                    lines,
                    label: format!("day {} ({}): ", d + 1, rd.date.dutch()),
                });
            }
        }
        None => match raw.date {
            Some(date) => days.push(DayInput {
                date,
                title: None,
                venue: raw.venue.clone(),
                address: raw.address.clone(),
                rooms: &raw.rooms,
                room_lines: room_lines.clone(),
                own_rooms: true,
                sessions: &raw.sessions,
                session_lines: session_lines.clone(),
                lines: (key_line("sessions").0, key_line("sessions").0),
                label: String::new(),
            }),
            None => errors.push(
                Diagnostic::new(&file.path, "the programme has no `date`")
                    .at(&text, 1, 1)
                    .hint("add `date: YYYY-MM-DD` for one day, or `days:` with a `date:` per day for several"),
            ),
        },
    }
    let date = days.first().map(|d| d.date);
    // The shared rooms are checked once, below with the days' own rooms.
    let mut room_lists: Vec<RoomList> = Vec::new();
    if raw.days.is_some() && !raw.rooms.is_empty() {
        room_lists.push((&raw.rooms, &room_lines));
    }
    for day in &days {
        if day.own_rooms {
            room_lists.push((day.rooms, &day.room_lines));
        }
    }
    for (rooms, room_lines) in room_lists {
        for (i, room) in rooms.iter().enumerate() {
            let lines = room_lines.get(i).copied().unwrap_or((1, 1));
            let locate = |key: &str, message: String| {
                let (l, c) = located.field_or_item(lines, key);
                Diagnostic::new(&file.path, message).at(&text, l, c)
            };
            if room.id.trim().is_empty() || room.id.contains(char::is_whitespace) {
                errors.push(
                    locate("id", format!("room id `{}` must be one word", room.id))
                        .hint("use e.g. `zaal1`"),
                );
            }
            if rooms[..i].iter().any(|r| r.id == room.id) {
                errors.push(
                    locate("id", format!("room id `{}` is used twice", room.id))
                        .hint("give every room its own id"),
                );
            }
            if room.name.trim().is_empty() {
                errors.push(
                    locate("name", format!("room `{}` has an empty name", room.id))
                        .hint("the name is the column header of the grid, e.g. `Zaal 1`"),
                );
            }
            if room.all_day.as_deref().is_some_and(|t| t.trim().is_empty()) {
                errors.push(
                    locate("all_day", format!("room `{}`: `all_day` is empty", room.id))
                        .hint("say what the room is open for all day, e.g. `all_day: Ruimte om te netwerken`, or remove `all_day`"),
                );
            }
        }
    }

    // Sessions, day by day, one by one.
    let mut sessions: Vec<Session> =
        Vec::with_capacity(days.iter().map(|d| d.sessions.len()).sum());
    let mut explicit_ids: Vec<Option<String>> = Vec::new();
    let mut day_ranges: Vec<std::ops::Range<usize>> = Vec::new();
    for (day_index, day) in days.iter().enumerate() {
        let raw_rooms = day.rooms;
        let first_session = sessions.len();
        if raw_rooms.is_empty() && !day.sessions.is_empty() {
            let (l, c) = if raw.days.is_some() {
                located.field_or_item(day.lines, "sessions")
            } else {
                key_line("sessions")
            };
            errors.push(
            Diagnostic::new(&file.path, format!("{}the programme has no `rooms`", day.label))
                .at(&text, l, c)
                .hint("list the rooms (the columns of the grid) before the sessions:\n      rooms:\n        - { id: zaal1, name: Zaal 1 }"),
        );
        }
        let room_ids: Vec<&str> = raw_rooms.iter().map(|r| r.id.as_str()).collect();
        for (i, rs) in day.sessions.iter().enumerate() {
            let lines = day.session_lines.get(i).copied().unwrap_or(day.lines);
            let mut kind_error = None;
            let kind = match rs.kind.as_deref() {
                None => SessionKind::Session,
                Some(k) => SessionKind::from_name(k).unwrap_or_else(|| {
                    kind_error = Some(k.to_string());
                    SessionKind::Session
                }),
            };
            let title_given = rs.title.as_deref().is_some_and(|t| !t.trim().is_empty());
            let title = match rs.title.as_deref().map(str::trim) {
                Some(t) if !t.is_empty() => t.to_string(),
                _ => kind.default_title().unwrap_or("").to_string(),
            };
            // Errors for this session carry its title (or its number).
            let shown_title = if title.is_empty() {
                format!("number {}", i + 1)
            } else {
                title.clone()
            };
            let err = |key: &str, message: String| {
                let (l, c) = located.field_or_item(lines, key);
                Diagnostic::new(
                    &file.path,
                    format!("{}session “{shown_title}”: {message}", day.label),
                )
                .at(&text, l, c)
            };
            if let Some(k) = &kind_error {
                errors.push(
                    err("kind", format!("unknown session kind `{k}`")).hint(suggest(
                        k,
                        &SessionKind::NAMES,
                        "session kinds",
                    )),
                );
            }
            if title.is_empty() {
                errors.push(err("title", "the session has no title".into()).hint(
                    "add `title: ...` (only walk-in, transfer and break have a default title)",
                ));
            }

            // Times.
            let times = session_times(rs, kind);
            let time_ok = times.is_ok();
            let (start, end) = match times {
                Ok(t) => t,
                Err((key, message, hint)) => {
                    errors.push(err(key, message).hint(hint));
                    (Time::new(0, 0).expect("midnight"), None)
                }
            };

            // Rooms.
            let find_room = |id: &str, key: &str| -> Result<usize, Diagnostic> {
                room_ids.iter().position(|r| *r == id).ok_or_else(|| {
                    err(key, format!("unknown room `{id}`")).hint(suggest(id, &room_ids, "rooms"))
                })
            };
            let all = 0..raw_rooms.len();
            let mut held_in = None;
            let rooms: Range<usize> = if kind.uses_every_room() {
                if rs.rooms.is_some() {
                    errors.push(
                        err(
                            "rooms",
                            format!(
                                "a `{}` uses every room; `rooms` does not apply",
                                kind.name()
                            ),
                        )
                        .hint("remove `rooms`; use `room:` to say where it is held"),
                    );
                }
                if let Some(id) = &rs.room {
                    match find_room(id, "room") {
                        Ok(r) => held_in = Some(r),
                        Err(d) => errors.push(d),
                    }
                }
                all
            } else {
                match (&rs.room, &rs.rooms) {
                    (Some(_), Some(_)) => {
                        errors.push(err("rooms", "has both `room` and `rooms`".into()).hint(
                            "use `room: zaal1` for one room or `rooms: [zaal2, zaal3]` for several",
                        ));
                        0..0
                    }
                    (Some(id), None) => match find_room(id, "room") {
                        Ok(r) => {
                            held_in = Some(r);
                            r..r + 1
                        }
                        Err(d) => {
                            errors.push(d);
                            0..0
                        }
                    },
                    (None, Some(ids)) => match room_span(ids, &room_ids) {
                        Ok(r) => r,
                        Err((message, hint)) => {
                            errors.push(err("rooms", message).hint(hint));
                            0..0
                        }
                    },
                    (None, None) if raw_rooms.len() == 1 => 0..1,
                    // Already reported: no rooms at all, or an unknown kind
                    // (which may have been meant to use every room).
                    (None, None) if raw_rooms.is_empty() || kind_error.is_some() => 0..0,
                    (None, None) => {
                        errors.push(err("title", "the session has no room".into()).hint(format!(
                            "add `room:` with one of {}",
                            room_ids.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
                        )));
                        0..0
                    }
                }
            };

            // A room open all day for one purpose holds no session (the
            // sessions over every room pass through it in the grid).
            let own_rooms = if kind.uses_every_room() {
                held_in.map_or(0..0, |r| r..r + 1)
            } else {
                rooms.clone()
            };
            if let Some(r) = own_rooms.clone().find(|&r| raw_rooms[r].all_day.is_some()) {
                let key = if rs.rooms.is_some() { "rooms" } else { "room" };
                let free: Vec<String> = raw_rooms
                    .iter()
                    .filter(|r| r.all_day.is_none())
                    .map(|r| format!("`{}`", r.id))
                    .collect();
                errors.push(
                    err(
                        key,
                        format!(
                            "room `{}` is open all day for “{}”: no session can be held in it",
                            raw_rooms[r].id,
                            raw_rooms[r].all_day.as_deref().unwrap_or_default().trim()
                        ),
                    )
                    .hint(if free.is_empty() {
                        "remove `all_day` from the room to hold sessions in it".to_string()
                    } else {
                        format!(
                            "choose another room ({}), or remove `all_day` from the room",
                            free.join(", ")
                        )
                    }),
                );
            }

            let mut themagroepen: Vec<String> = rs.themagroep.iter().cloned().collect();
            for t in &rs.themagroepen {
                if !themagroepen.contains(t) {
                    themagroepen.push(t.clone());
                }
            }
            if let Some(id) = &rs.id {
                if let Err(s) = validate_slug(id) {
                    errors.push(
                        err(
                            "id",
                            format!("session id `{id}` is not a valid anchor and file name"),
                        )
                        .hint(format!(
                            "use lowercase letters, digits and dashes, e.g. `{s}`"
                        )),
                    );
                } else if id == PROGRAMME_ICS_STEM {
                    errors.push(
                    err("id", format!("session id `{id}` is taken by the calendar file of the whole day ({id}.ics)"))
                        .hint("choose another id"),
                );
                } else if explicit_ids.iter().flatten().any(|e| e == id) {
                    errors.push(err("id", format!("session id `{id}` is used twice")).hint(
                        "give every session its own `id` (or leave it out: the title is used)",
                    ));
                }
            }
            explicit_ids.push(rs.id.clone());
            // A session without valid times takes no part in the overlap check.
            let rooms = if time_ok { rooms } else { 0..0 };
            sessions.push(Session {
                day: day_index,
                id: String::new(),
                uid: String::new(),
                title,
                title_given,
                kind,
                start,
                end,
                rooms,
                held_in,
                pijler: rs.pijler.clone(),
                themagroepen,
                chair: rs.chair.clone(),
                moderator: rs.moderator.clone(),
                speakers: rs.speakers.clone(),
                description: rs.description.clone(),
                lines,
            });
        }
        day_ranges.push(first_session..sessions.len());
    }

    // Ids: explicit ones as written; the others a slug of the title, made
    // unique against every id already taken.
    let mut taken: std::collections::HashSet<String> =
        explicit_ids.iter().flatten().cloned().collect();
    taken.insert(PROGRAMME_ICS_STEM.to_string());
    for (s, explicit) in sessions.iter_mut().zip(&explicit_ids) {
        s.id = match explicit {
            Some(id) => id.clone(),
            None => {
                let base = slug_or(&s.title, "sessie");
                let mut id = base.clone();
                let mut n = 1;
                while !taken.insert(id.clone()) {
                    n += 1;
                    id = format!("{base}-{n}");
                }
                id
            }
        };
    }

    // Calendar UIDs: an explicit id as written; else when and where the
    // session is (two sessions never share both: that is an overlap), made
    // unique anyway, so a title can change without a new calendar event.
    let mut uids: std::collections::HashSet<String> =
        explicit_ids.iter().flatten().cloned().collect();
    for (s, explicit) in sessions.iter_mut().zip(&explicit_ids) {
        s.uid = match explicit {
            Some(id) => id.clone(),
            None => {
                let place = match s.held_in.or_else(|| {
                    (!s.kind.uses_every_room() && !s.rooms.is_empty()).then_some(s.rooms.start)
                }) {
                    Some(r) => slug_or(&days[s.day].rooms[r].id, "zaal"),
                    None => s.kind.name().to_string(),
                };
                let m = s.start.minutes();
                let base = format!("{:02}{:02}-{place}", m / 60, m % 60);
                // The same time and room on another day is another
                // session: in the form with `days:` the key names the day.
                let base = if raw.days.is_some() {
                    format!("{}-{base}", days[s.day].date.0.strftime("%Y%m%d"))
                } else {
                    base
                };
                let mut uid = base.clone();
                let mut n = 1;
                while !uids.insert(uid.clone()) {
                    n += 1;
                    uid = format!("{base}-{n}");
                }
                uid
            }
        };
    }

    // Overlaps only within a day.
    for (day, range) in days.iter().zip(&day_ranges) {
        errors.extend(
            overlaps(&file.path, &located, &sessions[range.clone()], day.rooms)
                .into_iter()
                .map(|mut d| {
                    d.message = format!("{}{}", day.label, d.message);
                    d
                }),
        );
    }

    let not_meeting = raw
        .not_meeting
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let lines = not_meeting_lines.get(i).copied().unwrap_or((1, 1));
            if n.themagroep.is_none() && n.pijler.is_none() {
                let (l, c) = located.field_or_item(lines, "note");
                errors.push(
                    Diagnostic::new(&file.path, "not_meeting: an entry names no group")
                        .at(&text, l, c)
                        .hint("add `themagroep: <id>` or `pijler: <id>`"),
                );
            }
            NotMeeting {
                themagroep: n.themagroep.clone(),
                pijler: n.pijler.clone(),
                note: n.note.clone(),
                lines,
            }
        })
        .collect();

    let Some(date) = date else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let multi_day = raw.days.is_some();
    let days: Vec<Day> = days
        .into_iter()
        .zip(day_ranges)
        .map(|(d, sessions)| Day {
            date: d.date,
            title: d.title,
            venue: d.venue,
            address: d.address,
            rooms: d.rooms.to_vec(),
            sessions,
        })
        .collect();
    Ok(Programme {
        path: file.path.clone(),
        rel: file.rel.clone(),
        line_starts: Arc::new(line_starts),
        text,
        title: raw.title.trim().to_string(),
        date,
        slug: raw.slug,
        aliases: raw.aliases,
        draft: raw.draft,
        summary: raw.summary,
        city: raw.city,
        venue: raw.venue,
        address: raw.address,
        audience: raw.audience,
        intro: raw.intro,
        days,
        multi_day,
        sessions,
        not_meeting,
    })
}

/// A list of rooms to check, with the lines of its items.
type RoomList<'r> = (&'r [Room], &'r [(usize, usize)]);

/// One day as the checks see it, in either form of the file.
struct DayInput<'r> {
    date: Date,
    title: Option<String>,
    venue: Option<String>,
    address: Option<String>,
    rooms: &'r [Room],
    room_lines: Vec<(usize, usize)>,
    /// The rooms are the day's own (checked with it), not the shared ones.
    own_rooms: bool,
    sessions: &'r [RawSession],
    session_lines: Vec<(usize, usize)>,
    /// The day's list item (or the `sessions:` key of a one-day file).
    lines: (usize, usize),
    /// `day 2 (11 september 2026): ` before its errors; empty for one day.
    label: String,
}
