//! Parse (programmes): the checks that need more than one field: a
//! session's start and end from `time`, `start`, `end` and `duration`, the
//! rooms a session spans, and sessions that overlap in a room.

use std::ops::Range;

use super::raw::RawSession;
use super::{Room, Session, SessionKind};
use crate::diagnostics::{Diagnostic, suggest};
use crate::document::times::{self, Time};
use crate::util::yaml_locator::ItemFields;

/// Start and end of a session from `time`, or `start` with `end` or
/// `duration`. The error names the field, says what is wrong and hints.
pub(super) fn session_times(
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
pub(super) fn room_span(
    ids: &[String],
    room_ids: &[&str],
) -> Result<Range<usize>, (String, String)> {
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
pub(super) fn overlaps(
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
            if let Some((end, j)) = reach
                && s.start < end
            {
                pairs.push((i.min(j), i.max(j)));
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
