//! Render (exports): a programme as `schedule.json` and `schedule.xml`,
//! the conference schedule formats of frab, pretalx and the c3voc tool
//! chain (validated in the tests against the c3voc JSON Schema and the
//! frab XML Schema). The XML is written from the JSON document, so the two
//! always say the same.
//!
//! The format's pitfalls, handled here: the conference `acronym` must match
//! `^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$` (so `g40nd-2023-haarlem`),
//! a person is `{name}` only (never mixed with frab's `{id, public_name}`),
//! and every event needs a UUID `guid`: derived from the session's stable
//! calendar UID, so it is the same in every build and after a change of
//! title (the numeric event `id` too). Text is the calendar's plain text,
//! links as public URLs; the XML drops characters XML 1.0 cannot hold
//! (control characters), so it is well-formed whatever a title contains.

use serde_json::{Value, json};

use crate::document::programme::{Session, SessionKind};
use crate::document::times::Time;
use crate::site::urls::{session_ics_url, session_url};
use crate::site::{ProgrammeDay, Site};

use super::ics::{civil, plain_text, public_link, time_zone, uid};

/// `schedule.json` of one programme, pretty-printed, ending in a newline.
pub(crate) fn schedule_json(site: &Site, day: &ProgrammeDay) -> String {
    let mut text = serde_json::to_string_pretty(&schedule(site, day)).unwrap_or_default();
    text.push('\n');
    text
}

fn schedule(site: &Site, day: &ProgrammeDay) -> Value {
    let p = &day.programme;
    let page = &site.pages[day.index];
    let tz = time_zone(site);
    let acronym = acronym(day);
    let datetime = |date: crate::dates::Date, t| {
        civil(date.0, t)
            .to_zoned(tz.clone())
            .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
            .unwrap_or_default()
    };
    let midnight = Time::new(0, 0).expect("midnight");
    let mut tracks: Vec<String> = Vec::new();
    let link = |dest: &str| public_link(site, day, dest);
    let mut numbers = std::collections::HashSet::new();
    // The conference's rooms: every day's, in grid order, each name once.
    let mut all_rooms: Vec<&crate::document::programme::Room> = Vec::new();
    for d in &p.days {
        for r in &d.rooms {
            if !all_rooms.iter().any(|a| a.name == r.name) {
                all_rooms.push(r);
            }
        }
    }
    let mut days = Vec::with_capacity(p.days.len());
    for (d, the_day) in p.days.iter().enumerate() {
        let date = the_day.date;
        let order = p.day_by_start(d);
        let day_start = order.first().map(|&i| p.sessions[i].start);
        let day_end = p.sessions[the_day.sessions.clone()]
            .iter()
            .map(|s| s.end.unwrap_or(s.start))
            .max();

        // Events by room name, rooms in grid order.
        let mut rooms: serde_json::Map<String, Value> = serde_json::Map::new();
        for r in &the_day.rooms {
            rooms.insert(r.name.clone(), Value::Array(Vec::new()));
        }
        for &i in &order {
            let s = &p.sessions[i];
            let Some(room) = the_day.rooms.get(s.held_in.unwrap_or(s.rooms.start)) else {
                continue;
            };
            let track = track(day, i);
            if let Some(t) = &track
                && !tracks.contains(t)
            {
                tracks.push(t.clone());
            }
            let minutes = s.end.map(|e| e.minutes() - s.start.minutes()).unwrap_or(0);
            let description = s.description.as_deref().map(|d| plain_text(d, &link));
            let uid = uid(site, day, i);
            // A number of its own (schedule apps key favourites on it), from
            // the UID, not the position in the file.
            let mut number = event_number(&uid);
            while !numbers.insert(number) {
                number = number % 999_999_999 + 1;
            }
            let mut event = json!({
                "guid": uuid(&uid),
                "id": number,
                "date": datetime(date, s.start),
                "start": s.start.iso(),
                "duration": format!("{:02}:{:02}", minutes / 60, minutes % 60),
                "room": room.name,
                "slug": slug(&format!("{acronym}-{}", s.id)),
                "url": session_url(&page.permalink, &s.id),
                "title": s.title,
                "subtitle": Value::Null,
                "track": track,
                "type": event_type(s),
                "language": site.config.language,
                "abstract": description,
                "description": Value::Null,
                "persons": persons(s),
                "links": [{
                    "type": "web",
                    "url": session_ics_url(&page.permalink, &s.id),
                    "title": "Agenda (.ics)",
                }],
            });
            if let Some(end) = s.end {
                event["end"] = Value::String(datetime(date, end));
            }
            if let Some(Value::Array(events)) = rooms.get_mut(&room.name) {
                events.push(event);
            }
        }
        days.push(json!({
            "index": d + 1,
            "date": date.iso(),
            // A day without sessions yet: the day itself.
            "day_start": datetime(date, day_start.unwrap_or(midnight)),
            "day_end": datetime(date, day_end.unwrap_or(midnight)),
            "rooms": rooms,
        }));
    }

    let mut title = page.title.clone();
    if let Some(city) = &p.city {
        title.push_str(&format!(" {city}"));
    }
    let mut conference = json!({
        "acronym": acronym,
        "title": title,
        "start": p.date.iso(),
        "end": p.last_date().iso(),
        "daysCount": p.days.len(),
        "timeslot_duration": "00:05",
        "url": page.permalink,
        "rooms": all_rooms.iter().map(|r| {
            let mut room = json!({
                "name": r.name,
                "guid": uuid(&format!("{}-room-{}", acronym, r.id)),
            });
            if slug_ok(&r.id) {
                room["slug"] = Value::String(r.id.clone());
            }
            if let Some(l) = &r.location {
                room["description"] = Value::String(l.clone());
            }
            room
        }).collect::<Vec<_>>(),
        "tracks": tracks.iter().map(|t| json!({ "name": t, "slug": track_slug(t) })).collect::<Vec<_>>(),
        "days": days,
    });
    if let Some(intro) = &p.intro {
        conference["description"] = Value::String(plain_text(intro, &link));
    }
    if zone_name_ok(&site.config.timezone) {
        conference["time_zone_name"] = Value::String(site.config.timezone.clone());
    }
    json!({
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {
            "name": "g40site",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "schedule": {
            "version": p.date.iso(),
            "base_url": format!("{}/", site.config.base_url_trimmed()),
            "conference": conference,
        },
    })
}

/// `schedule.xml` of one programme (frab's format), ending in a newline.
pub(crate) fn schedule_xml(site: &Site, day: &ProgrammeDay) -> String {
    let doc = schedule(site, day);
    let s = &doc["schedule"];
    let c = &s["conference"];
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let esc = |v: &Value| escape_xml(&text(v));
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n");
    x.push_str(&format!(
        "  <generator name=\"g40site\" version=\"{}\"/>\n",
        env!("CARGO_PKG_VERSION")
    ));
    x.push_str(&format!(
        "  <url>{}</url>\n",
        escape_xml(&format!(
            "{}{}",
            site.config.base_url_trimmed(),
            day.schedule_xml_url
                .strip_prefix(site.base_path.as_str())
                .unwrap_or(&day.schedule_xml_url)
        ))
    ));
    x.push_str(&format!("  <version>{}</version>\n", esc(&s["version"])));
    x.push_str("  <conference>\n");
    for (key, tag) in [
        ("acronym", "acronym"),
        ("title", "title"),
        ("start", "start"),
        ("end", "end"),
        ("daysCount", "days"),
        ("timeslot_duration", "timeslot_duration"),
        ("url", "url"),
        ("time_zone_name", "time_zone_name"),
    ] {
        if !c[key].is_null() {
            x.push_str(&format!("    <{tag}>{}</{tag}>\n", esc(&c[key])));
        }
    }
    x.push_str(&format!(
        "    <base_url>{}</base_url>\n",
        esc(&s["base_url"])
    ));
    for t in c["tracks"].as_array().into_iter().flatten() {
        x.push_str(&format!(
            "    <track name=\"{}\" slug=\"{}\"/>\n",
            esc(&t["name"]),
            esc(&t["slug"])
        ));
    }
    x.push_str("  </conference>\n");
    for d in c["days"].as_array().into_iter().flatten() {
        x.push_str(&format!(
            "  <day index=\"{}\" date=\"{}\" start=\"{}\" end=\"{}\">\n",
            esc(&d["index"]),
            esc(&d["date"]),
            esc(&d["day_start"]),
            esc(&d["day_end"])
        ));
        let rooms = c["rooms"].as_array().cloned().unwrap_or_default();
        for room in &rooms {
            x.push_str(&format!(
                "    <room name=\"{}\" guid=\"{}\">\n",
                esc(&room["name"]),
                esc(&room["guid"])
            ));
            let name = text(&room["name"]);
            for e in d["rooms"][&name].as_array().into_iter().flatten() {
                x.push_str(&format!(
                    "      <event id=\"{}\" guid=\"{}\">\n",
                    esc(&e["id"]),
                    esc(&e["guid"])
                ));
                for key in [
                    "date", "start", "duration", "room", "slug", "url", "title", "subtitle",
                    "track", "type", "language", "abstract",
                ] {
                    x.push_str(&format!("        <{key}>{}</{key}>\n", esc(&e[key])));
                }
                x.push_str("        <persons>\n");
                for p in e["persons"].as_array().into_iter().flatten() {
                    x.push_str(&format!("          <person>{}</person>\n", esc(&p["name"])));
                }
                x.push_str("        </persons>\n        <links>\n");
                for l in e["links"].as_array().into_iter().flatten() {
                    x.push_str(&format!(
                        "          <link href=\"{}\">{}</link>\n",
                        esc(&l["url"]),
                        esc(&l["title"])
                    ));
                }
                x.push_str("        </links>\n      </event>\n");
            }
            x.push_str("    </room>\n");
        }
        x.push_str("  </day>\n");
    }
    x.push_str("</schedule>\n");
    x
}

/// `g40nd-2023-haarlem`; without a city `g40nd_20230210`.
pub(crate) fn acronym(day: &ProgrammeDay) -> String {
    let p = &day.programme;
    let city: String = p
        .city
        .as_deref()
        .map(|c| {
            slug::slugify(c)
                .chars()
                .filter(|c| c.is_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default();
    let year = p.date.year();
    if city.is_empty() || !(2000..=2999).contains(&year) {
        format!("g40nd_{}", p.date.0.strftime("%Y%m%d"))
    } else {
        format!("g40nd-{year}-{city}")
    }
}

/// The schema's slug pattern `^[a-z0-9_-]+[a-z0-9]$`.
fn slug_ok(s: &str) -> bool {
    s.len() >= 2
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        && s.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric())
}

fn slug(s: &str) -> String {
    let s = crate::util::slug::slug_or(s, "sessie");
    if slug_ok(&s) { s } else { format!("{s}-x") }
}

/// Track slugs start with a letter in the XML schema.
fn track_slug(name: &str) -> String {
    let s = slug(name);
    if s.starts_with(|c: char| c.is_ascii_lowercase()) {
        s
    } else {
        format!("t-{s}")
    }
}

/// `Europe/Amsterdam` matches the schema's `[A-Z][a-z]+/[A-Z][a-z]+`; zones
/// such as `America/New_York` do not and are left out (optional field).
fn zone_name_ok(name: &str) -> bool {
    let word = |w: &str| {
        let mut b = w.bytes();
        b.next().is_some_and(|c| c.is_ascii_uppercase())
            && w.len() > 1
            && b.all(|c| c.is_ascii_lowercase())
    };
    name == "UTC"
        || name
            .split_once('/')
            .is_some_and(|(a, b)| word(a) && word(b))
}

fn event_type(s: &Session) -> &'static str {
    match s.kind {
        SessionKind::Session => "meeting",
        SessionKind::Plenary => "talk",
        SessionKind::WalkIn | SessionKind::Transfer | SessionKind::Break => "other",
    }
}

/// Theme group, else pillar: the session's track.
fn track(day: &ProgrammeDay, i: usize) -> Option<String> {
    let (pijler, groups) = &day.taxa[i];
    groups
        .first()
        .map(|g| g.name.clone())
        .or_else(|| pijler.as_ref().map(|p| p.name.clone()))
}

/// Chair, moderator and speakers as pretalx-style persons (`name` only,
/// their role as biography).
fn persons(s: &Session) -> Vec<Value> {
    let mut persons = Vec::new();
    let mut add = |name: &str, bio: Option<String>| {
        persons.push(json!({ "name": name, "biography": bio }));
    };
    if let Some(c) = &s.chair {
        add(c, Some("voorzitter".into()));
    }
    if let Some(m) = &s.moderator {
        add(m, Some("gespreksleider".into()));
    }
    for sp in &s.speakers {
        add(&sp.name, sp.role.clone());
    }
    persons
}

/// Escape text for XML 1.0 content or a double-quoted attribute, dropping
/// what XML cannot hold at all, not even as a character reference: the
/// control characters but tab and line feed (a title with `\u{7}` would
/// make the document not well-formed), and U+FFFE/U+FFFF.
pub(crate) fn escape_xml(s: &str) -> String {
    let allowed = |c: &char| {
        matches!(c, '\t' | '\n') || !(c.is_control() || *c == '\u{fffe}' || *c == '\u{ffff}')
    };
    if s.chars().all(|c| allowed(&c)) {
        return crate::util::html::escape_attr(s);
    }
    crate::util::html::escape_attr(&s.chars().filter(allowed).collect::<String>())
}

/// A schedule event's number, 1 to 999,999,999, from its UID.
fn event_number(uid: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in uid.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h % 999_999_999 + 1
}

/// A stable UUID (version 8, RFC 9562: custom) from a name: two FNV-1a
/// hashes of the name. Not cryptographic; only stable and well spread.
pub(crate) fn uuid(name: &str) -> String {
    let fnv = |seed: u64| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
        for b in name.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    };
    let hi = fnv(0);
    let lo = fnv(0x9e37_79b9_7f4a_7c15);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&hi.to_be_bytes());
    bytes[8..].copy_from_slice(&lo.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_and_well_formed() {
        let a = uuid("2023-02-10-haarlem-plenaire-start@www.g40stedennetwerk.nl");
        assert_eq!(
            a,
            uuid("2023-02-10-haarlem-plenaire-start@www.g40stedennetwerk.nl")
        );
        assert_ne!(a, uuid("2023-02-10-haarlem-inloop@www.g40stedennetwerk.nl"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn xml_text_drops_what_xml_cannot_hold() {
        assert_eq!(
            escape_xml("a\u{7}b\u{1b}[0m\r<c> & \"d\"\te\nf\u{ffff}"),
            "ab[0m&lt;c&gt; &amp; &quot;d&quot;\te\nf"
        );
        assert_eq!(event_number("x"), event_number("x"));
        assert!((1..=999_999_999).contains(&event_number("dag-1030-zaal1@x.nl")));
    }

    #[test]
    fn zone_names_and_slugs() {
        assert!(zone_name_ok("Europe/Amsterdam"));
        assert!(zone_name_ok("UTC"));
        assert!(!zone_name_ok("America/New_York"));
        assert!(slug_ok("zaal1"));
        assert!(!slug_ok("zaal-"));
        assert!(!slug_ok("Zaal1"));
    }
}
