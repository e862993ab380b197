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
//! A programme is one day (`date:` and `sessions:` at the top) or an event
//! of several days (`days:`, each with its `date`, optional `title`,
//! `venue`, `address` and `rooms`, and its `sessions`). Both become the
//! same model: [`Programme::days`] (one for a one-day file) and one flat
//! list of sessions, each knowing its day. Overlaps are checked within a
//! day; ids are unique across the event (they name the `.ics` files).
//!
//! References to pillars and theme groups need the site's data and are
//! checked in the assemble stage, with [`Programme::session_error`] to
//! locate them.
//!
//! The folder holds one job per file: this file the validated model,
//! `raw.rs` the file as written (serde's view), `parse.rs` the reading and
//! checking of one file, `checks.rs` the checks of times, rooms and
//! overlaps that need more than one field.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::times::Time;
use crate::dates::Date;
use crate::diagnostics::Diagnostic;
use crate::util::slug::{file_stem, folder};
use crate::util::yaml_locator::{ItemFields, LineStarts, YamlLocator};

mod checks;
mod parse;
mod raw;
#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) use parse::parse;
pub(crate) use parse::parse_with;

/// Who a networkday is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Audience {
    Bestuurlijk,
    Ambtelijk,
}

impl Audience {
    /// Dutch label, e.g. "Bestuurlijke netwerkdag".
    pub(crate) fn label(self) -> &'static str {
        match self {
            Audience::Bestuurlijk => "bestuurlijk",
            Audience::Ambtelijk => "ambtelijk",
        }
    }
}

/// What a session is; each has its own look in the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum SessionKind {
    Session,
    Plenary,
    WalkIn,
    Transfer,
    Break,
}

impl SessionKind {
    pub(crate) const NAMES: [&'static str; 5] =
        ["session", "plenary", "walk-in", "transfer", "break"];

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

    pub(crate) fn name(self) -> &'static str {
        match self {
            SessionKind::Session => "session",
            SessionKind::Plenary => "plenary",
            SessionKind::WalkIn => "walk-in",
            SessionKind::Transfer => "transfer",
            SessionKind::Break => "break",
        }
    }

    /// Plenary, walk-in, transfer and break use every room.
    pub(crate) fn uses_every_room(self) -> bool {
        self != SessionKind::Session
    }

    /// May be written with a start only (a moment: doors open, borrel).
    pub(crate) fn may_be_a_moment(self) -> bool {
        matches!(self, SessionKind::WalkIn | SessionKind::Break)
    }

    /// Dutch label shown with the session.
    pub(crate) fn label(self) -> &'static str {
        match self {
            SessionKind::Session => "Sessie",
            SessionKind::Plenary => "Plenair",
            SessionKind::WalkIn => "Inloop",
            SessionKind::Transfer => "Verplaatsing",
            SessionKind::Break => "Pauze",
        }
    }

    /// The theme's strings key of the title a session of this kind gets
    /// when the editor gives none (`None`: a title is required).
    pub(crate) fn default_title_key(self) -> Option<&'static str> {
        match self {
            SessionKind::Session | SessionKind::Plenary => None,
            SessionKind::WalkIn => Some("session_walk_in"),
            SessionKind::Transfer => Some("session_transfer_title"),
            SessionKind::Break => Some("session_break"),
        }
    }

    /// The title when the editor gives none (`None`: a title is required),
    /// in Dutch: ids and messages are made from it.
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
pub(crate) struct Room {
    /// Referenced by sessions (`room: zaal1`).
    pub id: String,
    /// Shown as the column header, e.g. `Plenair / Zaal 1`.
    pub name: String,
    /// Where it is, e.g. `Gravenzaal`.
    #[serde(default)]
    pub location: Option<String>,
    /// The room is open all day for this one purpose (`Ruimte om te
    /// netwerken`): no session is held in it, and the grid fills its
    /// column between the sessions that use every room.
    #[serde(default)]
    pub all_day: Option<String>,
}

/// A speaker of a session.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Speaker {
    pub name: String,
    /// Function and organisation, e.g. `directeur Regio en ruimte, ministerie van EZK`.
    #[serde(default)]
    pub role: Option<String>,
}

/// One session, validated.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// Index into [`Programme::days`].
    pub day: usize,
    /// Anchor of its description and name of its `.ics`.
    pub id: String,
    /// What its calendar UID is made of, unique in the programme: the
    /// explicit `id`, else its start time and place (`1030-zaal1`), never
    /// its title, so a renamed session stays the same calendar event.
    pub uid: String,
    pub title: String,
    /// The title was written, not the kind's default ("Inloop"); a default
    /// is put in the site's language when the programme is assembled.
    pub title_given: bool,
    pub kind: SessionKind,
    pub start: Time,
    /// `None`: a moment (walk-in, borrel).
    pub end: Option<Time>,
    /// Columns it uses, in the room order of its day.
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
pub(crate) struct NotMeeting {
    pub themagroep: Option<String>,
    pub pijler: Option<String>,
    pub note: Option<String>,
    pub lines: (usize, usize),
}

/// One day of a programme.
#[derive(Debug, Clone)]
pub(crate) struct Day {
    pub date: Date,
    /// The day's own title (`Bestuurlijke netwerkdag`), if written.
    pub title: Option<String>,
    /// The day's venue and address, else the event's.
    pub venue: Option<String>,
    pub address: Option<String>,
    /// The day's rooms, else the event's shared rooms: the grid's columns.
    pub rooms: Vec<Room>,
    /// Its sessions in [`Programme::sessions`] (days are consecutive there).
    pub sessions: Range<usize>,
}

/// A networkday programme, validated.
#[derive(Debug, Clone)]
pub(crate) struct Programme {
    /// Path shown in errors, e.g. `content/netwerkdagen/2023-02-10-haarlem.yaml`.
    pub path: PathBuf,
    /// Path relative to `content/`.
    pub rel: String,
    pub text: Arc<str>,
    /// Line index of `text`, to locate errors per session in linear time.
    pub line_starts: Arc<LineStarts>,
    pub title: String,
    /// The (first) day's date.
    pub date: Date,
    pub slug: Option<String>,
    /// Old site paths of the page, redirected to it.
    pub aliases: Vec<String>,
    pub draft: bool,
    pub summary: Option<String>,
    pub city: Option<String>,
    pub venue: Option<String>,
    pub address: Option<String>,
    pub audience: Option<Audience>,
    pub intro: Option<String>,
    /// In date order; one for a file written without `days:`.
    pub days: Vec<Day>,
    /// Written with `days:` (the page then shows a heading per day).
    pub multi_day: bool,
    /// In file order (day after day).
    pub sessions: Vec<Session>,
    pub not_meeting: Vec<NotMeeting>,
}

impl Programme {
    /// Folder relative to `content/`.
    pub(crate) fn folder(&self) -> &str {
        folder(&self.rel)
    }

    /// File stem, e.g. `2023-02-10-haarlem`.
    pub(crate) fn file_stem(&self) -> &str {
        file_stem(&self.rel)
    }

    fn located(&self) -> ItemFields<'_> {
        ItemFields {
            text: &self.text,
            starts: &self.line_starts,
        }
    }

    /// A located error about session `i`, pointing at its field `key` (or
    /// at the session when the field is not written), naming the session.
    pub(crate) fn session_error(&self, i: usize, key: &str, message: &str) -> Diagnostic {
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
    pub(crate) fn session_field<'k>(&self, i: usize, keys: &[&'k str]) -> Option<&'k str> {
        keys.iter()
            .copied()
            .find(|k| self.located().field(self.sessions[i].lines, k).is_some())
    }

    /// A located error about `not_meeting` entry `i`.
    pub(crate) fn not_meeting_error(&self, i: usize, key: &str, message: &str) -> Diagnostic {
        let (l, c) = self.located().field_or_item(self.not_meeting[i].lines, key);
        Diagnostic::new(&self.path, format!("not_meeting: {message}")).at(&self.text, l, c)
    }

    /// Line of the session's `description` text (for Markdown errors).
    pub(crate) fn description_line(&self, i: usize) -> usize {
        self.located()
            .field_or_item(self.sessions[i].lines, "description")
            .0
            + 1
    }

    /// Line of a top-level key.
    pub(crate) fn key_line(&self, key: &str) -> usize {
        YamlLocator::new(&self.text)
            .top_level_line(key)
            .map_or(1, |i| i + 1)
    }

    /// Sessions in list order: by day, then start time, then room order,
    /// then file order.
    pub(crate) fn by_start(&self) -> Vec<usize> {
        (0..self.days.len())
            .flat_map(|d| self.day_by_start(d))
            .collect()
    }

    /// The sessions of day `day` in list order.
    pub(crate) fn day_by_start(&self, day: usize) -> Vec<usize> {
        let mut order: Vec<usize> = self.days[day].sessions.clone().collect();
        order.sort_by_key(|&i| {
            let s = &self.sessions[i];
            (s.start, s.end.is_some(), s.rooms.start, i)
        });
        order
    }

    /// The rooms of session `i`'s day (what its `rooms` range indexes).
    pub(crate) fn rooms_of(&self, i: usize) -> &[Room] {
        &self.days[self.sessions[i].day].rooms
    }

    /// The date of session `i`.
    pub(crate) fn date_of(&self, i: usize) -> Date {
        self.days[self.sessions[i].day].date
    }

    /// The last day's date (an event is coming until it has passed).
    pub(crate) fn last_date(&self) -> Date {
        self.days.last().map_or(self.date, |d| d.date)
    }
}

/// The stem of the whole day's calendar file, `programma.ics`: no session
/// may have it as its id.
pub(crate) const PROGRAMME_ICS_STEM: &str = "programma";
