//! Parse: networkday programmes (`kind: programme`), from YAML into a
//! validated model.
//!
//! Editors write a flat list of sessions (time, room, title); everything
//! else — the grid, the list by start time, the calendar files — is derived
//! from it later. This module checks what can be checked from the file
//! alone, and reports every problem at once, each located at the session's
//! line and naming the session:
//!
//! - times parse (see [`super::times`]) and end after they start;
//! - rooms exist, `rooms: [..]` lists are adjacent in room order;
//! - no two sessions overlap in a room (plenary, walk-in, transfer and
//!   break use every room);
//! - session ids are valid URL segments and unique.
//!
//! References to pillars and theme groups need the site's data and are
//! checked in the assemble stage, with [`Programme::session_error`] to
//! locate them.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::times::{self, DurationText, Time, TimeText};
use crate::dates::Date;
use crate::diagnostics::{DateAt, Diagnostic, invalid_date_position, parse_yaml, suggest};
use crate::source::SourceFile;
use crate::util::slug::{slug_or, validate_slug};
use crate::util::yaml_locator::{ItemFields, LineStarts, YamlLocator};

/// Who a networkday is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Bestuurlijk,
    Ambtelijk,
}

impl Audience {
    /// Dutch label, e.g. "Bestuurlijke netwerkdag".
    pub fn label(self) -> &'static str {
        match self {
            Audience::Bestuurlijk => "bestuurlijk",
            Audience::Ambtelijk => "ambtelijk",
        }
    }
}

/// What a session is; each has its own look in the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SessionKind {
    Session,
    Plenary,
    WalkIn,
    Transfer,
    Break,
}

impl SessionKind {
    pub const NAMES: [&'static str; 5] = ["session", "plenary", "walk-in", "transfer", "break"];

    fn from_name(name: &str) -> Option<SessionKind> {
        Some(match name {
            "session" => SessionKind::Session,
            "plenary" => SessionKind::Plenary,
            "walk-in" => SessionKind::WalkIn,
            "transfer" => SessionKind::Transfer,
            "break" => SessionKind::Break,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            SessionKind::Session => "session",
            SessionKind::Plenary => "plenary",
            SessionKind::WalkIn => "walk-in",
            SessionKind::Transfer => "transfer",
            SessionKind::Break => "break",
        }
    }

    /// Plenary, walk-in, transfer and break use every room.
    pub fn uses_every_room(self) -> bool {
        self != SessionKind::Session
    }

    /// May be written with a start only (a moment: doors open, borrel).
    pub fn may_be_a_moment(self) -> bool {
        matches!(self, SessionKind::WalkIn | SessionKind::Break)
    }

    /// Dutch label shown with the session.
    pub fn label(self) -> &'static str {
        match self {
            SessionKind::Session => "Sessie",
            SessionKind::Plenary => "Plenair",
            SessionKind::WalkIn => "Inloop",
            SessionKind::Transfer => "Verplaatsing",
            SessionKind::Break => "Pauze",
        }
    }

    /// The title when the editor gives none (`None`: a title is required).
    fn default_title(self) -> Option<&'static str> {
        match self {
            SessionKind::Session | SessionKind::Plenary => None,
            SessionKind::WalkIn => Some("Inloop"),
            SessionKind::Transfer => Some("Verplaatsingstijd"),
            SessionKind::Break => Some("Pauze"),
        }
    }
}

/// A room: a column of the grid.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Room {
    /// Referenced by sessions (`room: zaal1`).
    pub id: String,
    /// Shown as the column header, e.g. `Plenair / Zaal 1`.
    pub name: String,
    /// Where it is, e.g. `Gravenzaal`.
    #[serde(default)]
    pub location: Option<String>,
}

/// A speaker of a session.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    pub name: String,
    /// Function and organisation, e.g. `directeur Regio en ruimte, ministerie van EZK`.
    #[serde(default)]
    pub role: Option<String>,
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgramme {
    #[allow(dead_code)]
    kind: String,
    title: String,
    date: Date,
    /// URL segment; default: the file stem.
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    draft: bool,
    /// For listings; default: date and city.
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    venue: Option<String>,
    /// Street address of the venue (for calendars).
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    audience: Option<Audience>,
    /// Markdown.
    #[serde(default)]
    intro: Option<String>,
    #[serde(default)]
    rooms: Vec<Room>,
    #[serde(default)]
    sessions: Vec<RawSession>,
    #[serde(default)]
    not_meeting: Vec<RawNotMeeting>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSession {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    time: Option<TimeText>,
    #[serde(default)]
    start: Option<TimeText>,
    #[serde(default)]
    end: Option<TimeText>,
    #[serde(default)]
    duration: Option<DurationText>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    room: Option<String>,
    #[serde(default)]
    rooms: Option<Vec<String>>,
    #[serde(default)]
    pijler: Option<String>,
    /// Since 2026 theme groups are called *opgavegroepen*: both names work.
    #[serde(default, alias = "opgavegroep")]
    themagroep: Option<String>,
    #[serde(default, alias = "opgavegroepen")]
    themagroepen: Vec<String>,
    #[serde(default)]
    chair: Option<String>,
    #[serde(default)]
    moderator: Option<String>,
    #[serde(default)]
    speakers: Vec<Speaker>,
    /// Markdown.
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotMeeting {
    #[serde(default, alias = "opgavegroep")]
    themagroep: Option<String>,
    #[serde(default)]
    pijler: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// One session, validated.
#[derive(Debug, Clone)]
pub struct Session {
    /// Anchor of its description and name of its `.ics`.
    pub id: String,
    /// What its calendar UID is made of, unique in the programme: the
    /// explicit `id`, else its start time and place (`1030-zaal1`), never
    /// its title, so a renamed session stays the same calendar event.
    pub uid: String,
    pub title: String,
    pub kind: SessionKind,
    pub start: Time,
    /// `None`: a moment (walk-in, borrel).
    pub end: Option<Time>,
    /// Columns it uses, in room order.
    pub rooms: Range<usize>,
    /// For a plenary etc.: the room it is held in, if named.
    pub held_in: Option<usize>,
    pub pijler: Option<String>,
    /// Theme-group ids as written (aliases are resolved when assembling).
    pub themagroepen: Vec<String>,
    pub chair: Option<String>,
    pub moderator: Option<String>,
    pub speakers: Vec<Speaker>,
    /// Markdown.
    pub description: Option<String>,
    /// Lines of the session's list item in the file (1-based, inclusive).
    pub lines: (usize, usize),
}

/// A group that does not meet this day.
#[derive(Debug, Clone)]
pub struct NotMeeting {
    pub themagroep: Option<String>,
    pub pijler: Option<String>,
    pub note: Option<String>,
    pub lines: (usize, usize),
}

/// A networkday programme, validated.
#[derive(Debug, Clone)]
pub struct Programme {
    /// Path shown in errors, e.g. `content/netwerkdagen/2023-02-10-haarlem.yaml`.
    pub path: PathBuf,
    /// Path relative to `content/`.
    pub rel: String,
    pub text: Arc<str>,
    /// Line index of `text`, to locate errors per session in linear time.
    pub line_starts: Arc<LineStarts>,
    pub title: String,
    pub date: Date,
    pub slug: Option<String>,
    pub draft: bool,
    pub summary: Option<String>,
    pub city: Option<String>,
    pub venue: Option<String>,
    pub address: Option<String>,
    pub audience: Option<Audience>,
    pub intro: Option<String>,
    pub rooms: Vec<Room>,
    /// In file order.
    pub sessions: Vec<Session>,
    pub not_meeting: Vec<NotMeeting>,
}

impl Programme {
    /// Folder relative to `content/`.
    pub fn folder(&self) -> &str {
        crate::util::slug::folder(&self.rel)
    }

    /// File stem, e.g. `2023-02-10-haarlem`.
    pub fn file_stem(&self) -> &str {
        crate::util::slug::file_stem(&self.rel)
    }

    fn located(&self) -> ItemFields<'_> {
        ItemFields {
            text: &self.text,
            starts: &self.line_starts,
        }
    }

    /// A located error about session `i`, pointing at its field `key` (or
    /// at the session when the field is not written), naming the session.
    pub fn session_error(&self, i: usize, key: &str, message: &str) -> Diagnostic {
        let s = &self.sessions[i];
        let (l, c) = self.located().field_or_item(s.lines, key);
        Diagnostic::new(
            &self.path,
            format!("session “{}” ({}): {message}", s.title, s.start.dutch()),
        )
        .at(&self.text, l, c)
    }

    /// The first of `keys` that session `i` writes (e.g. `themagroep` or
    /// its newer name `opgavegroep`), for locating errors.
    pub fn session_field<'k>(&self, i: usize, keys: &[&'k str]) -> Option<&'k str> {
        keys.iter()
            .copied()
            .find(|k| self.located().field(self.sessions[i].lines, k).is_some())
    }

    /// A located error about `not_meeting` entry `i`.
    pub fn not_meeting_error(&self, i: usize, key: &str, message: &str) -> Diagnostic {
        let (l, c) = self.located().field_or_item(self.not_meeting[i].lines, key);
        Diagnostic::new(&self.path, format!("not_meeting: {message}")).at(&self.text, l, c)
    }

    /// Line of the session's `description` text (for Markdown errors).
    pub fn description_line(&self, i: usize) -> usize {
        self.located()
            .field_or_item(self.sessions[i].lines, "description")
            .0
            + 1
    }

    /// Line of a top-level key.
    pub fn key_line(&self, key: &str) -> usize {
        YamlLocator::new(&self.text)
            .top_level_line(key)
            .map_or(1, |i| i + 1)
    }

    /// Sessions in list order: by start time, then room order, then file order.
    pub fn by_start(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.sessions.len()).collect();
        order.sort_by_key(|&i| {
            let s = &self.sessions[i];
            (s.start, s.end.is_some(), s.rooms.start, i)
        });
        order
    }
}

/// Parse and validate one programme file. All problems are returned.
pub fn parse(file: &SourceFile) -> Result<Programme, Vec<Diagnostic>> {
    let text: Arc<str> = Arc::from(file.text.as_str());
    let raw: RawProgramme =
        parse_yaml(&file.path, &file.text, &file.text, 0).map_err(|errors| {
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
    if let Some(slug) = &raw.slug {
        if let Err(s) = validate_slug(slug) {
            errors.push(
                at_key("slug", format!("slug `{slug}` is not a single URL segment")).hint(format!(
                    "use lowercase letters, digits and dashes, e.g. `{s}`"
                )),
            );
        }
    }

    // Rooms: unique, non-empty ids.
    if raw.rooms.is_empty() && !raw.sessions.is_empty() {
        errors.push(
            at_key("sessions", "the programme has no `rooms`".into())
                .hint("list the rooms (the columns of the grid) before the sessions:\n      rooms:\n        - { id: zaal1, name: Zaal 1 }"),
        );
    }
    for (i, room) in raw.rooms.iter().enumerate() {
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
        if raw.rooms[..i].iter().any(|r| r.id == room.id) {
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
    }
    let room_ids: Vec<&str> = raw.rooms.iter().map(|r| r.id.as_str()).collect();

    // Sessions, one by one.
    let mut sessions: Vec<Session> = Vec::with_capacity(raw.sessions.len());
    let mut explicit_ids: Vec<Option<String>> = Vec::new();
    for (i, rs) in raw.sessions.iter().enumerate() {
        let lines = session_lines.get(i).copied().unwrap_or_else(|| {
            let l = key_line("sessions").0;
            (l, l)
        });
        let mut kind_error = None;
        let kind = match rs.kind.as_deref() {
            None => SessionKind::Session,
            Some(k) => SessionKind::from_name(k).unwrap_or_else(|| {
                kind_error = Some(k.to_string());
                SessionKind::Session
            }),
        };
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
            Diagnostic::new(&file.path, format!("session “{shown_title}”: {message}"))
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
            errors.push(
                err("title", "the session has no title".into()).hint(
                    "add `title: ...` (only walk-in, transfer and break have a default title)",
                ),
            );
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
        let all = 0..raw.rooms.len();
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
                (None, None) if raw.rooms.len() == 1 => 0..1,
                // Already reported: no rooms at all, or an unknown kind
                // (which may have been meant to use every room).
                (None, None) if raw.rooms.is_empty() || kind_error.is_some() => 0..0,
                (None, None) => {
                    errors.push(err("title", "the session has no room".into()).hint(format!(
                            "add `room:` with one of {}",
                            room_ids.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
                        )));
                    0..0
                }
            }
        };

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
                errors.push(
                    err("id", format!("session id `{id}` is used twice")).hint(
                        "give every session its own `id` (or leave it out: the title is used)",
                    ),
                );
            }
        }
        explicit_ids.push(rs.id.clone());
        // A session without valid times takes no part in the overlap check.
        let rooms = if time_ok { rooms } else { 0..0 };
        sessions.push(Session {
            id: String::new(),
            uid: String::new(),
            title,
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
                    Some(r) => slug_or(&raw.rooms[r].id, "zaal"),
                    None => s.kind.name().to_string(),
                };
                let m = s.start.minutes();
                let base = format!("{:02}{:02}-{place}", m / 60, m % 60);
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

    errors.extend(overlaps(&file.path, &located, &sessions, &raw.rooms));

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

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Programme {
        path: file.path.clone(),
        rel: file.rel.clone(),
        line_starts: Arc::new(line_starts),
        text,
        title: raw.title.trim().to_string(),
        date: raw.date,
        slug: raw.slug,
        draft: raw.draft,
        summary: raw.summary,
        city: raw.city,
        venue: raw.venue,
        address: raw.address,
        audience: raw.audience,
        intro: raw.intro,
        rooms: raw.rooms,
        sessions,
        not_meeting,
    })
}

/// The stem of the whole day's calendar file, `programma.ics`: no session
/// may have it as its id.
pub const PROGRAMME_ICS_STEM: &str = "programma";

/// Start and end of a session from `time`, or `start` with `end` or
/// `duration`. The error names the field, says what is wrong and hints.
fn session_times(
    rs: &RawSession,
    kind: SessionKind,
) -> Result<(Time, Option<Time>), (&'static str, String, String)> {
    let example = "write `time: 10.30-11.30`, or `start: 10.30` with `end: 11.30`";
    let (start, end, end_key) = match (&rs.time, &rs.start) {
        (None, None) => {
            return Err(("title", "the session has no time".into(), example.into()));
        }
        (Some(_), Some(_)) => {
            return Err((
                "start",
                "has both `time` and `start`".into(),
                format!("use one of them: {example}"),
            ));
        }
        (Some(t), None) => {
            if rs.end.is_some() {
                return Err((
                    "end",
                    "has both `time` and `end`".into(),
                    "with `time`, write the end in it: `time: 10.30-11.30`".into(),
                ));
            }
            let (s, e) = times::parse_span(t).map_err(|m| ("time", m, example.to_string()))?;
            (s, e, "time")
        }
        (None, Some(s)) => {
            let start = times::parse_time(s).map_err(|m| ("start", m, example.to_string()))?;
            let end = match &rs.end {
                Some(e) => Some(times::parse_time(e).map_err(|m| ("end", m, example.to_string()))?),
                None => None,
            };
            (start, end, "end")
        }
    };
    let end = match (&rs.duration, end) {
        (Some(_), Some(_)) => {
            return Err((
                "duration",
                "has both an end time and a `duration`".into(),
                "keep one of them".into(),
            ));
        }
        (Some(d), None) => {
            let minutes = times::parse_duration(d)
                .map_err(|m| ("duration", m, "e.g. `duration: 45`".to_string()))?;
            match Time::from_minutes(start.minutes() + minutes) {
                Some(e) => Some(e),
                None => {
                    return Err((
                        "duration",
                        format!(
                            "starting at {} and lasting {minutes} minutes, it ends after midnight",
                            start.dutch()
                        ),
                        "a programme covers one day".into(),
                    ));
                }
            }
        }
        (None, e) => e,
    };
    match end {
        Some(e) if e <= start => Err((
            end_key,
            format!(
                "ends ({}) {} it starts ({})",
                e.dutch(),
                if e == start { "when" } else { "before" },
                start.dutch()
            ),
            "the end time comes after the start time, e.g. `10.30-11.30`".into(),
        )),
        None if !kind.may_be_a_moment() => Err((
            end_key,
            format!("has a start ({}) but no end", start.dutch()),
            format!(
                "only walk-in and break may have a start only; {example}, or add `duration: 45`"
            ),
        )),
        _ => Ok((start, end)),
    }
}

/// The columns of `rooms: [zaal2, zaal3]`: known, no duplicates, adjacent.
fn room_span(ids: &[String], room_ids: &[&str]) -> Result<Range<usize>, (String, String)> {
    if ids.is_empty() {
        return Err((
            "`rooms` is empty".into(),
            "list the rooms, e.g. `rooms: [zaal2, zaal3]`, or use `room: zaal2`".into(),
        ));
    }
    let mut cols = Vec::new();
    for id in ids {
        match room_ids.iter().position(|r| r == id) {
            Some(c) if cols.contains(&c) => {
                return Err((
                    format!("room `{id}` is listed twice"),
                    "list each room once".into(),
                ));
            }
            Some(c) => cols.push(c),
            None => {
                return Err((
                    format!("unknown room `{id}`"),
                    suggest(id, room_ids, "rooms"),
                ));
            }
        }
    }
    cols.sort();
    for w in cols.windows(2) {
        if w[1] != w[0] + 1 {
            let between: Vec<String> = (w[0] + 1..w[1])
                .map(|c| format!("`{}`", room_ids[c]))
                .collect();
            return Err((
                format!(
                    "rooms `{}` and `{}` are not next to each other in the room order",
                    room_ids[w[0]], room_ids[w[1]]
                ),
                format!(
                    "a session spans adjacent columns of the grid: add {} too, or change the order of `rooms:`",
                    between.join(", ")
                ),
            ));
        }
    }
    Ok(cols[0]..cols[cols.len() - 1] + 1)
}

/// Sessions that use the same room at the same time. Sessions that clash,
/// directly or through each other, form a group, and each group is one
/// error, at the first session in the file that clashes with an earlier
/// one: 1,200 sessions at the same time in one room are one error, not
/// 719,400. Found per room by a sweep in order of time, so the work grows
/// with the number of sessions, not with the number of clashing pairs.
fn overlaps(
    path: &std::path::Path,
    text: &ItemFields,
    sessions: &[Session],
    rooms: &[Room],
) -> Vec<Diagnostic> {
    let clash = |a: &Session, b: &Session| -> bool {
        if a.rooms.end <= b.rooms.start || b.rooms.end <= a.rooms.start {
            return false;
        }
        match (a.end, b.end) {
            (Some(ae), Some(be)) => a.start < be && b.start < ae,
            (None, None) => a.start == b.start,
            (Some(ae), None) => a.start < b.start && b.start < ae,
            (None, Some(be)) => b.start < a.start && a.start < be,
        }
    };
    // Clashing pairs (earlier, later in the file), enough of them to join
    // every group; and the groups, as a union-find forest.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut parent: Vec<usize> = (0..sessions.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut in_room: Vec<Vec<usize>> = vec![Vec::new(); rooms.len()];
    for (i, s) in sessions.iter().enumerate() {
        for c in s.rooms.clone() {
            if let Some(list) = in_room.get_mut(c) {
                list.push(i);
            }
        }
    }
    for list in &mut in_room {
        // By start; at the same start, moments first: a moment at the very
        // start of a session does not clash with it.
        list.sort_by_key(|&i| (sessions[i].start, sessions[i].end.is_some(), i));
        // The session (with an end) seen so far that ends last, and the
        // last moment.
        let mut reach: Option<(Time, usize)> = None;
        let mut last_moment: Option<usize> = None;
        for &i in list.iter() {
            let s = &sessions[i];
            // Everything seen so far starts no later than `s`: `s` clashes
            // with one of them exactly when it starts before the latest end
            // (then with the one that ends last), or, for a moment, when
            // another moment is at the same time.
            if let Some((end, j)) = reach {
                if s.start < end {
                    pairs.push((i.min(j), i.max(j)));
                }
            }
            match s.end {
                Some(end) => {
                    if reach.is_none_or(|(r, _)| end > r) {
                        reach = Some((end, i));
                    }
                }
                None => {
                    if let Some(m) = last_moment.filter(|&m| sessions[m].start == s.start) {
                        pairs.push((m.min(i), m.max(i)));
                    }
                    last_moment = Some(i);
                }
            }
        }
    }
    for &(a, b) in &pairs {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        parent[ra.max(rb)] = ra.min(rb);
    }
    // Per group: its sessions in file order, and the pair to report (the
    // one whose later session comes first in the file).
    let mut groups: std::collections::BTreeMap<usize, (Vec<usize>, (usize, usize))> =
        std::collections::BTreeMap::new();
    for &(a, b) in &pairs {
        let r = root(&mut parent, a);
        let entry = groups.entry(r).or_insert_with(|| (Vec::new(), (a, b)));
        if (b, a) < (entry.1.1, entry.1.0) {
            entry.1 = (a, b);
        }
    }
    for i in 0..sessions.len() {
        let r = root(&mut parent, i);
        if let Some((members, _)) = groups.get_mut(&r) {
            members.push(i);
        }
    }
    let mut reported: Vec<(usize, usize, Vec<usize>)> = groups
        .into_values()
        .map(|(members, (a, b))| (b, a, members))
        .collect();
    reported.sort();

    let mut errors = Vec::new();
    for (n, (j, i, members)) in reported.into_iter().enumerate() {
        let (a, b) = (&sessions[i], &sessions[j]);
        debug_assert!(clash(a, b));
        let shared: Vec<&str> = (a.rooms.start.max(b.rooms.start)..a.rooms.end.min(b.rooms.end))
            .map(|c| rooms[c].name.as_str())
            .collect();
        // Which rooms are free at that time: a look at every session per
        // room, so only for the first groups (beyond them the errors are
        // not shown in full anyway).
        let free: Vec<String> = if n < 20 {
            (0..rooms.len())
                .filter(|&c| {
                    !sessions.iter().enumerate().any(|(k, o)| {
                        k != j
                            && o.rooms.contains(&c)
                            && clash(
                                o,
                                &Session {
                                    rooms: c..c + 1,
                                    ..b.clone()
                                },
                            )
                    })
                })
                .map(|c| format!("`{}`", rooms[c].id))
                .collect()
        } else {
            Vec::new()
        };
        let hint = if free.is_empty() || b.kind.uses_every_room() {
            "change the time of one of them".to_string()
        } else {
            format!(
                "change the time of one of them, or move it to a free room: {}",
                free.join(", ")
            )
        };
        let mut message = format!(
            "session “{}” ({}) overlaps with “{}” ({}, line {}) in {}",
            b.title,
            times::dutch_range(b.start, b.end),
            a.title,
            times::dutch_range(a.start, a.end),
            a.lines.0,
            shared.join(", ")
        );
        let others: Vec<usize> = members.into_iter().filter(|&k| k != i && k != j).collect();
        if !others.is_empty() {
            const LISTED: usize = 5;
            let mut listed: Vec<String> = others
                .iter()
                .take(LISTED)
                .map(|&k| format!("“{}” (line {})", sessions[k].title, sessions[k].lines.0))
                .collect();
            if others.len() > LISTED {
                listed.push(format!("{} more", others.len() - LISTED));
            }
            message.push_str(&format!(
                "; {} other sessions overlap with these: {}",
                others.len(),
                listed.join(", ")
            ));
        }
        let (l, c) = text
            .field(b.lines, "time")
            .or_else(|| text.field(b.lines, "start"))
            .unwrap_or_else(|| text.field_or_item(b.lines, "time"));
        errors.push(
            Diagnostic::new(path, message)
                .at(text.text, l, c)
                .hint(hint),
        );
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceKind;

    const HEAD: &str = "kind: programme\ntitle: Netwerkdag\ndate: 2023-02-10\nrooms:\n  - { id: zaal1, name: Zaal 1 }\n  - { id: zaal2, name: Zaal 2 }\n  - { id: zaal3, name: Zaal 3 }\nsessions:\n";

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: "content/netwerkdagen/dag.yaml".into(),
            rel: "netwerkdagen/dag.yaml".into(),
            kind: SourceKind::Structured,
            text: text.into(),
            bytes: vec![],
        }
    }

    fn parse_sessions(sessions: &str) -> Result<Programme, Vec<Diagnostic>> {
        parse(&file(&format!("{HEAD}{sessions}")))
    }

    /// The one error of a programme, with its line.
    fn error(sessions: &str) -> Diagnostic {
        let e = parse_sessions(sessions).expect_err("should fail");
        assert_eq!(e.len(), 1, "{e:#?}");
        e.into_iter().next().unwrap()
    }

    fn t(h: u16, m: u16) -> Time {
        Time::new(h, m).unwrap()
    }

    #[test]
    fn calendar_uids_come_from_time_and_place_or_the_explicit_id() {
        let sessions = "  - time: 9.30\n    kind: walk-in\n  - time: 10.00-10.25\n    kind: plenary\n    title: Opening\n    room: zaal1\n  - time: 10.30-11.30\n    title: Werksessie\n    rooms: [zaal2, zaal3]\n  - time: 10.30-11.30\n    title: Tweede\n    id: 1030-zaal2\n    room: zaal1\n  - time: 16\n    kind: break\n";
        let p = parse_sessions(sessions).unwrap();
        let uids: Vec<&str> = p.sessions.iter().map(|s| s.uid.as_str()).collect();
        // An explicit id is used as written; a derived one never takes it.
        assert_eq!(
            uids,
            [
                "0930-walk-in",
                "1000-zaal1",
                "1030-zaal2-2",
                "1030-zaal2",
                "1600-break"
            ]
        );
        // A new title changes the anchor, not the UID.
        let renamed = parse_sessions(&sessions.replace("Werksessie", "Andere titel")).unwrap();
        assert_eq!(renamed.sessions[2].uid, "1030-zaal2-2");
        assert_eq!(renamed.sessions[2].id, "andere-titel");
    }

    #[test]
    fn parses_a_small_programme() {
        let p = parse_sessions(
            "  - time: 9.30\n    kind: walk-in\n  - time: 10.00-10.25\n    kind: plenary\n    title: Opening\n    room: zaal1\n  - start: 10.30\n    duration: 1 uur\n    title: Werksessie\n    rooms: [zaal3, zaal2]\n  - time: 10.30-11.30\n    title: Werksessie\n    room: zaal1\n    themagroepen: [woningmarkt]\n    themagroep: europa\n  - time: \"16.00\"\n    kind: break\n    title: Borrel\n",
        )
        .unwrap();
        let s = &p.sessions;
        assert_eq!(
            (s[0].start, s[0].end, s[0].rooms.clone()),
            (t(9, 30), None, 0..3)
        );
        assert_eq!(s[0].title, "Inloop");
        assert_eq!(s[0].id, "inloop");
        assert_eq!(s[1].held_in, Some(0));
        assert_eq!(
            (s[2].start, s[2].end, s[2].rooms.clone()),
            (t(10, 30), Some(t(11, 30)), 1..3)
        );
        assert_eq!(s[2].id, "werksessie");
        assert_eq!(s[3].id, "werksessie-2", "default ids are made unique");
        assert_eq!(s[3].themagroepen, ["europa", "woningmarkt"]);
        // The 2026 name of theme groups works as a field name too.
        let p2 = parse_sessions("  - time: 10.00-11.00\n    title: A\n    room: zaal1\n    opgavegroep: europa\n    opgavegroepen: [wonen]\n").unwrap();
        assert_eq!(p2.sessions[0].themagroepen, ["europa", "wonen"]);
        assert_eq!(
            p2.session_field(0, &["themagroep", "opgavegroep"]),
            Some("opgavegroep")
        );
        assert_eq!(s[4].end, None);
        assert_eq!(s[0].lines, (9, 10));
        assert_eq!(s[4].lines.0, 24);
        assert_eq!(p.by_start(), [0, 1, 3, 2, 4]);
    }

    #[test]
    fn bad_time_is_located_and_names_the_session() {
        let e = error(
            "  - time: 10.00-10.25\n    title: Opening\n    room: zaal1\n  - time: 10.30-11.75\n    title: Sociaal\n    room: zaal1\n",
        );
        assert_eq!(e.line, Some(12));
        assert!(e.message.contains("session “Sociaal”"), "{}", e.message);
        assert!(e.message.contains("minutes go up to 59"), "{}", e.message);
        assert!(e.hint.is_some());
    }

    #[test]
    fn end_before_start() {
        let e = error("  - start: 11.00\n    end: 10.00\n    title: Omgekeerd\n    room: zaal1\n");
        assert_eq!(e.line, Some(10));
        assert!(
            e.message.contains("ends (10.00) before it starts (11.00)"),
            "{}",
            e.message
        );
        let e = error("  - time: 10.00-10.00\n    title: Nul\n    room: zaal1\n");
        assert!(
            e.message.contains("ends (10.00) when it starts"),
            "{}",
            e.message
        );
    }

    #[test]
    fn missing_time_and_end() {
        let e = error("  - title: Zonder tijd\n    room: zaal1\n");
        assert!(e.message.contains("has no time"), "{}", e.message);
        assert_eq!(e.line, Some(9));
        let e = error("  - time: 10.00\n    title: Zonder eind\n    room: zaal1\n");
        assert!(e.message.contains("no end"), "{}", e.message);
        let e =
            error("  - time: 10.00-11.00\n    start: 10.00\n    title: Dubbel\n    room: zaal1\n");
        assert!(
            e.message.contains("both `time` and `start`"),
            "{}",
            e.message
        );
        let e = error(
            "  - start: 10.00\n    end: 11.00\n    duration: 30\n    title: Dubbel\n    room: zaal1\n",
        );
        assert!(e.message.contains("`duration`"), "{}", e.message);
        assert_eq!(e.line, Some(11));
        let e = error("  - start: 23.30\n    duration: 1 uur\n    title: Laat\n    room: zaal1\n");
        assert!(e.message.contains("after midnight"), "{}", e.message);
    }

    #[test]
    fn unknown_room_suggests() {
        let e = error("  - time: 10.00-11.00\n    title: Sessie\n    room: zaal6\n");
        assert_eq!(e.line, Some(11));
        assert!(e.message.contains("unknown room `zaal6`"), "{}", e.message);
        assert_eq!(e.hint.as_deref(), Some("did you mean `zaal1`?"));
        let e = error("  - time: 10.00-11.00\n    title: Sessie\n    room: foyer\n");
        assert_eq!(
            e.hint.as_deref(),
            Some("valid rooms: `zaal1`, `zaal2`, `zaal3`")
        );
    }

    #[test]
    fn rooms_must_be_adjacent() {
        let e = error("  - time: 10.00-11.00\n    title: Breed\n    rooms: [zaal1, zaal3]\n");
        assert!(
            e.message.contains("not next to each other"),
            "{}",
            e.message
        );
        assert!(e.hint.as_deref().unwrap().contains("`zaal2`"));
        assert_eq!(e.line, Some(11));
        let e = error("  - time: 10.00-11.00\n    title: Breed\n    rooms: [zaal1, zaal1]\n");
        assert!(e.message.contains("listed twice"), "{}", e.message);
        let e = error("  - time: 10.00-11.00\n    title: Breed\n    rooms: []\n");
        assert!(e.message.contains("`rooms` is empty"), "{}", e.message);
        let e = error(
            "  - time: 10.00-11.00\n    title: Breed\n    room: zaal1\n    rooms: [zaal1, zaal2]\n",
        );
        assert!(
            e.message.contains("both `room` and `rooms`"),
            "{}",
            e.message
        );
        let e = error("  - time: 10.00-11.00\n    title: Nergens\n");
        assert!(e.message.contains("no room"), "{}", e.message);
        let e = error(
            "  - time: 10.00-11.00\n    kind: plenary\n    title: Plenair\n    rooms: [zaal1]\n",
        );
        assert!(e.message.contains("uses every room"), "{}", e.message);
    }

    #[test]
    fn overlap_in_a_room_is_an_error_at_the_later_session() {
        let e = error(
            "  - time: 10.00-11.00\n    title: Eerste\n    room: zaal2\n  - time: 10.30-11.30\n    title: Tweede\n    rooms: [zaal2, zaal3]\n",
        );
        assert_eq!(e.line, Some(12));
        assert!(
            e.message.contains("session “Tweede” (10.30–11.30 uur) overlaps with “Eerste” (10.00–11.00 uur, line 9) in Zaal 2"),
            "{}",
            e.message
        );
        assert!(
            e.hint.as_deref().unwrap().contains("`zaal1`"),
            "{:?}",
            e.hint
        );
        // Sessions that only touch do not overlap.
        assert!(parse_sessions("  - time: 10.00-11.00\n    title: A\n    room: zaal2\n  - time: 11.00-12.00\n    title: B\n    room: zaal2\n").is_ok());
    }

    #[test]
    fn sessions_at_the_same_time_in_one_room_are_one_error() {
        let mut sessions = String::new();
        for i in 0..1200 {
            sessions.push_str(&format!(
                "  - time: 10.00-11.00\n    title: Sessie {i}\n    room: zaal1\n"
            ));
        }
        // And a separate clash later that day, and a chain: A-B and B-C.
        sessions.push_str("  - time: 14.00-15.00\n    title: A\n    room: zaal2\n  - time: 14.30-15.30\n    title: B\n    room: zaal2\n  - time: 15.15-16.00\n    title: C\n    room: zaal2\n");
        let started = std::time::Instant::now();
        let errors = parse_sessions(&sessions).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(errors.len(), 2, "{errors:#?}");
        let e = &errors[0];
        assert!(
            e.message.starts_with("session “Sessie 1” (10.00–11.00 uur) overlaps with “Sessie 0” (10.00–11.00 uur, line 9) in Zaal 1; 1198 other sessions overlap with these: “Sessie 2” (line 15),"),
            "{}",
            e.message
        );
        assert!(e.message.ends_with("1193 more"), "{}", e.message);
        assert!(errors[1].message.contains("“B”") && errors[1].message.contains("“C” (line"));
    }

    #[test]
    fn plenary_and_transfer_use_every_room() {
        let e = error(
            "  - time: 10.00-10.30\n    kind: transfer\n  - time: 10.15-11.00\n    title: Te vroeg\n    room: zaal3\n",
        );
        assert!(
            e.message.contains("overlaps with “Verplaatsingstijd”"),
            "{}",
            e.message
        );
        // A moment inside a session in the same room clashes; at its end it does not.
        let e = error(
            "  - time: 15.00-16.30\n    title: Lang\n    room: zaal1\n  - time: 16.00\n    kind: break\n    title: Borrel\n",
        );
        assert!(e.message.contains("“Borrel”"), "{}", e.message);
        assert!(parse_sessions("  - time: 15.00-16.00\n    title: Lang\n    room: zaal1\n  - time: 16.00\n    kind: break\n    title: Borrel\n").is_ok());
    }

    #[test]
    fn unknown_kind_and_missing_title() {
        let e = error(
            "  - time: 10.00-10.30\n    kind: plenair\n    title: Opening\n    room: zaal1\n",
        );
        assert!(
            e.message.contains("unknown session kind `plenair`"),
            "{}",
            e.message
        );
        assert_eq!(e.hint.as_deref(), Some("did you mean `plenary`?"));
        assert_eq!(e.line, Some(10));
        let e = error("  - time: 10.00-10.30\n    room: zaal1\n");
        assert!(
            e.message
                .contains("session “number 1”: the session has no title"),
            "{}",
            e.message
        );
    }

    #[test]
    fn session_ids() {
        let e = error(
            "  - time: 10.00-10.30\n    id: a\n    title: A\n    room: zaal1\n  - time: 10.00-10.30\n    id: a\n    title: B\n    room: zaal2\n",
        );
        assert!(e.message.contains("used twice"), "{}", e.message);
        assert_eq!(e.line, Some(14));
        let e =
            error("  - time: 10.00-10.30\n    id: Mijn Sessie\n    title: A\n    room: zaal1\n");
        assert_eq!(
            e.hint.as_deref(),
            Some("use lowercase letters, digits and dashes, e.g. `mijn-sessie`")
        );
        let e = error("  - time: 10.00-10.30\n    id: programma\n    title: A\n    room: zaal1\n");
        assert!(e.message.contains("whole day"), "{}", e.message);
        // A default id never takes an explicit one or `programma`.
        let p = parse_sessions("  - time: 10.00-10.30\n    title: Programma\n    room: zaal1\n  - time: 10.00-10.30\n    title: B\n    id: b\n    room: zaal2\n  - time: 11.00-11.30\n    title: B\n    room: zaal2\n").unwrap();
        let ids: Vec<&str> = p.sessions.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["programma-2", "b", "b-2"]);
    }

    #[test]
    fn every_error_is_collected() {
        let e = parse_sessions("  - time: 25.00\n    title: A\n    room: zaal1\n  - time: 10.00-11.00\n    title: B\n    room: zaal9\n  - time: 10.00-11.00\n    kind: lunch\n    title: C\n").unwrap_err();
        assert_eq!(e.len(), 3, "{e:#?}");
        let lines: Vec<_> = e.iter().map(|d| d.line.unwrap()).collect();
        assert_eq!(lines, [9, 14, 16]);
    }

    #[test]
    fn unknown_field_and_audience_from_serde() {
        let e = parse(&file(&format!(
            "{HEAD}  - time: 10.00-11.00\n    title: A\n    rom: zaal1\n"
        )))
        .unwrap_err();
        assert_eq!(e[0].line, Some(11));
        assert_eq!(e[0].hint.as_deref(), Some("did you mean `room`?"));
        let e = parse(&file(
            "kind: programme\ntitle: X\ndate: 2023-02-10\naudience: bestuur\n",
        ))
        .unwrap_err();
        assert_eq!(e[0].line, Some(4));
        assert_eq!(e[0].hint.as_deref(), Some("did you mean `bestuurlijk`?"));
    }

    #[test]
    fn room_errors() {
        let e = parse(&file("kind: programme\ntitle: X\ndate: 2023-02-10\nrooms:\n  - id: a\n    name: A\n  - id: a\n    name: B\n")).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, Some(7));
        assert!(e[0].message.contains("used twice"));
        let e = parse(&file("kind: programme\ntitle: X\ndate: 2023-02-10\nsessions:\n  - time: 10.00-11.00\n    title: A\n")).unwrap_err();
        assert!(e[0].message.contains("no `rooms`"), "{}", e[0].message);
    }

    #[test]
    fn remaining_errors_each_located_with_a_hint() {
        let e = error("  - time: 10.00-11.00\n    end: 11.00\n    title: A\n    room: zaal1\n");
        assert!(e.message.contains("both `time` and `end`"), "{}", e.message);
        assert_eq!(e.line, Some(10));
        assert!(e.hint.is_some());

        let top = |text: &str| -> Diagnostic {
            let e = parse(&file(text)).expect_err("should fail");
            assert_eq!(e.len(), 1, "{e:#?}");
            let d = e.into_iter().next().unwrap();
            assert!(d.hint.is_some() && d.line.is_some(), "{d:#?}");
            d
        };
        let d = top("kind: programme\ntitle: \" \"\ndate: 2023-02-10\n");
        assert!(d.message.contains("`title` is empty"));
        assert_eq!(d.line, Some(2));
        let d = top("kind: programme\ntitle: X\ndate: 2023-02-10\nslug: Mijn Dag\n");
        assert!(d.message.contains("not a single URL segment"));
        assert_eq!(d.line, Some(4));
        let d = top(
            "kind: programme\ntitle: X\ndate: 2023-02-10\nrooms:\n  - id: zaal 1\n    name: Zaal 1\n",
        );
        assert!(d.message.contains("must be one word"));
        assert_eq!(d.line, Some(5));
        let d = top(
            "kind: programme\ntitle: X\ndate: 2023-02-10\nrooms:\n  - id: zaal1\n    name: \"\"\n",
        );
        assert!(d.message.contains("empty name"));
        assert_eq!(d.line, Some(6));
        let d = top(
            "kind: programme\ntitle: X\ndate: 2023-02-10\nnot_meeting:\n  - note: Vergadert niet.\n",
        );
        assert!(d.message.contains("names no group"));
        assert_eq!(d.line, Some(5));
        let d = top("kind: programme\ntitle: X\ndate: 2023-02-30\n");
        assert!(d.message.contains("does not exist"));
        assert_eq!(d.line, Some(3));
    }
}
