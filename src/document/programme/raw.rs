//! Parse (programmes): the file as written, as serde reads it, before any
//! check. [`super::parse`] turns it into the validated model.

use serde::Deserialize;

use super::{Audience, Room, Speaker};
use crate::dates::Date;
use crate::document::times::{DurationText, TimeText};

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProgramme {
    #[allow(dead_code)]
    pub(super) kind: String,
    pub(super) title: String,
    /// A one-day programme's date (`None` in the form with `days:`).
    #[serde(default)]
    pub(super) date: Option<Date>,
    /// URL segment; default: the file stem.
    #[serde(default)]
    pub(super) slug: Option<String>,
    /// Old site paths of the programme's page, redirected to it.
    #[serde(default)]
    pub(super) aliases: Vec<String>,
    #[serde(default)]
    pub(super) draft: bool,
    /// For listings; default: date and city.
    #[serde(default)]
    pub(super) summary: Option<String>,
    #[serde(default)]
    pub(super) city: Option<String>,
    #[serde(default)]
    pub(super) venue: Option<String>,
    /// Street address of the venue (for calendars).
    #[serde(default)]
    pub(super) address: Option<String>,
    #[serde(default)]
    pub(super) audience: Option<Audience>,
    /// Markdown.
    #[serde(default)]
    pub(super) intro: Option<String>,
    #[serde(default)]
    pub(super) rooms: Vec<Room>,
    #[serde(default)]
    pub(super) sessions: Vec<RawSession>,
    #[serde(default)]
    pub(super) not_meeting: Vec<RawNotMeeting>,
    /// An event of several days: each day its date and sessions (instead
    /// of the top-level `date` and `sessions`).
    #[serde(default)]
    pub(super) days: Option<Vec<RawDay>>,
}

/// One day of an event written with `days:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDay {
    pub(super) date: Date,
    /// E.g. `Bestuurlijke netwerkdag`.
    #[serde(default)]
    pub(super) title: Option<String>,
    /// Where this day is held, when it differs from the event's.
    #[serde(default)]
    pub(super) venue: Option<String>,
    #[serde(default)]
    pub(super) address: Option<String>,
    /// Replaces the event's shared rooms for this day.
    #[serde(default)]
    pub(super) rooms: Option<Vec<Room>>,
    #[serde(default)]
    pub(super) sessions: Vec<RawSession>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSession {
    #[serde(default)]
    pub(super) id: Option<String>,
    #[serde(default)]
    pub(super) time: Option<TimeText>,
    #[serde(default)]
    pub(super) start: Option<TimeText>,
    #[serde(default)]
    pub(super) end: Option<TimeText>,
    #[serde(default)]
    pub(super) duration: Option<DurationText>,
    #[serde(default)]
    pub(super) kind: Option<String>,
    #[serde(default)]
    pub(super) title: Option<String>,
    #[serde(default)]
    pub(super) room: Option<String>,
    #[serde(default)]
    pub(super) rooms: Option<Vec<String>>,
    #[serde(default)]
    pub(super) pijler: Option<String>,
    /// Since 2026 theme groups are called *opgavegroepen*: both names work.
    #[serde(default, alias = "opgavegroep")]
    pub(super) themagroep: Option<String>,
    #[serde(default, alias = "opgavegroepen")]
    pub(super) themagroepen: Vec<String>,
    #[serde(default)]
    pub(super) chair: Option<String>,
    #[serde(default)]
    pub(super) moderator: Option<String>,
    #[serde(default)]
    pub(super) speakers: Vec<Speaker>,
    /// Markdown.
    #[serde(default)]
    pub(super) description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNotMeeting {
    #[serde(default, alias = "opgavegroep")]
    pub(super) themagroep: Option<String>,
    #[serde(default)]
    pub(super) pijler: Option<String>,
    #[serde(default)]
    pub(super) note: Option<String>,
}
