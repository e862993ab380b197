//! Render (exports): iCalendar files of a programme (RFC 5545).
//!
//! `programma.ics` holds the whole day, `<session-id>.ics` one session.
//! Times are local times in the site's time zone (`Europe/Amsterdam`) with
//! a VTIMEZONE built from the zone's real transitions around the day (from
//! jiff's bundled tz database), so calendar apps need no zone knowledge.
//!
//! A small careful writer rather than a crate: text values are escaped
//! (`\\`, `\;`, `\,`, `\n`), lines end in CRLF and are folded at 75 octets
//! without splitting a UTF-8 character, and no content line can hold a
//! control character whatever a value contains (no line injection). Links
//! in descriptions are the public URLs the page links to (see
//! [`public_link`]), never the source files they are written as. UIDs are
//! stable across builds and title changes (`<programme>-<session uid>@<host>`,
//! see [`crate::document::programme::Session::uid`]) and DTSTAMP comes from
//! the programme's date, not the clock, so the same input gives the same
//! bytes.

use jiff::civil::{Date as CivilDate, DateTime};
use jiff::tz::{Offset, TimeZone};

use crate::document::programme::{Session, SessionKind};
use crate::document::times::Time;
use crate::site::{ProgrammeDay, Site};
use crate::util::url::host;

/// The product identifier of every calendar we write.
const PRODID: &str = "-//G40 Stedennetwerk//g40site//NL";

/// The calendar of the whole day.
pub(crate) fn day_calendar(site: &Site, day: &ProgrammeDay) -> String {
    let page = &site.pages[day.index];
    let name = calendar_name(site, day);
    let mut cal = Writer::default();
    cal.begin(site, &name, &format!("{} ({})", page.title, page.permalink));
    cal.timezone(site, day);
    for i in day.programme.by_start() {
        cal.event(site, day, i);
    }
    cal.finish()
}

/// The calendar of one session.
pub(crate) fn session_calendar(site: &Site, day: &ProgrammeDay, session: usize) -> String {
    let s = &day.programme.sessions[session];
    let mut cal = Writer::default();
    cal.begin(
        site,
        &format!("{}: {}", calendar_name(site, day), s.title),
        &site.pages[day.index].permalink,
    );
    cal.timezone(site, day);
    cal.event(site, day, session);
    cal.finish()
}

/// "Bestuurlijke netwerkdag Haarlem, 10 februari 2023".
fn calendar_name(site: &Site, day: &ProgrammeDay) -> String {
    let p = &day.programme;
    let mut name = site.pages[day.index].title.clone();
    if let Some(city) = &p.city {
        name.push(' ');
        name.push_str(city);
    }
    format!("{name}, {}", p.date.dutch_range(p.last_date()))
}

/// The stable UID of a session: `<programme slug>-<session uid>@<host>`,
/// where the session's part is its `id:` if it has one, else its start
/// time and room (`dag-1030-zaal1@www.g40stedennetwerk.nl`).
pub(crate) fn uid(site: &Site, day: &ProgrammeDay, session: usize) -> String {
    let slug = site.pages[day.index]
        .url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("programma")
        .to_string();
    format!(
        "{slug}-{}@{}",
        day.programme.sessions[session].uid,
        host(site.config.base_url_trimmed())
    )
}

/// The site's time zone (validated with site.yaml; UTC if unknown).
pub(crate) fn time_zone(site: &Site) -> TimeZone {
    TimeZone::get(&site.config.timezone).unwrap_or(TimeZone::UTC)
}

/// A date and time of the programme's day; 24.00 is midnight of the next day.
pub(crate) fn civil(date: CivilDate, t: Time) -> DateTime {
    let (date, t) = if t.minutes() >= 24 * 60 {
        (date.tomorrow().unwrap_or(date), 0)
    } else {
        (date, t.minutes())
    };
    date.at((t / 60) as i8, (t % 60) as i8, 0, 0)
}

#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    /// One content line: folded, CRLF. Text values are escaped already;
    /// control characters are dropped here from every line whatever it
    /// holds (a URL, a UID), so no value can end the line early.
    fn line(&mut self, line: &str) {
        if line.chars().any(|c| c.is_control() && c != '\t') {
            let clean: String = line
                .chars()
                .filter(|&c| !c.is_control() || c == '\t')
                .collect();
            self.out.push_str(&fold(&clean));
        } else {
            self.out.push_str(&fold(line));
        }
    }

    fn prop(&mut self, name: &str, text: &str) {
        self.line(&format!("{name}:{}", escape_text(text)));
    }

    fn begin(&mut self, site: &Site, name: &str, description: &str) {
        self.line("BEGIN:VCALENDAR");
        self.line("VERSION:2.0");
        self.line(&format!("PRODID:{PRODID}"));
        self.line("CALSCALE:GREGORIAN");
        self.line("METHOD:PUBLISH");
        self.prop("X-WR-CALNAME", name);
        self.prop("X-WR-CALDESC", description);
        self.prop("X-WR-TIMEZONE", &site.config.timezone);
    }

    /// VTIMEZONE with the observances in force on the day: the transition
    /// before it and the one after (a zone without transitions gets one
    /// STANDARD observance with its fixed offset).
    fn timezone(&mut self, site: &Site, day: &ProgrammeDay) {
        self.timezone_for(site, &[day.programme.date.0]);
    }

    /// [`Self::timezone`] for several dates: the transitions around each,
    /// once each, in time order.
    fn timezone_for(&mut self, site: &Site, dates: &[CivilDate]) {
        let tz = time_zone(site);
        let noon = |date: CivilDate| {
            date.at(12, 0, 0, 0)
                .to_zoned(tz.clone())
                .map(|z| z.timestamp())
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        };
        self.line("BEGIN:VTIMEZONE");
        self.prop("TZID", &site.config.timezone);
        let mut transitions = Vec::new();
        for &date in dates {
            let noon = noon(date);
            for t in tz
                .preceding(noon)
                .next()
                .into_iter()
                .chain(tz.following(noon).next())
            {
                if !transitions
                    .iter()
                    .any(|o: &jiff::tz::TimeZoneTransition| o.timestamp() == t.timestamp())
                {
                    transitions.push(t);
                }
            }
        }
        transitions.sort_by_key(|t| t.timestamp());
        let noon = dates
            .first()
            .map_or(jiff::Timestamp::UNIX_EPOCH, |&d| noon(d));
        let mut observances = Vec::new();
        for t in transitions.iter() {
            let from = tz.to_offset(t.timestamp() - jiff::SignedDuration::from_secs(1));
            observances.push((
                if t.dst().is_dst() {
                    "DAYLIGHT"
                } else {
                    "STANDARD"
                },
                t.timestamp().to_zoned(TimeZone::fixed(from)).datetime(),
                from,
                t.offset(),
                t.abbreviation().to_string(),
            ));
        }
        if observances.is_empty() {
            let offset = tz.to_offset(noon);
            let epoch = CivilDate::constant(1970, 1, 1).at(0, 0, 0, 0);
            observances.push(("STANDARD", epoch, offset, offset, String::new()));
        }
        for (kind, start, from, to, abbreviation) in observances {
            self.line(&format!("BEGIN:{kind}"));
            self.line(&format!("DTSTART:{}", local(start)));
            self.line(&format!("TZOFFSETFROM:{}", offset(from)));
            self.line(&format!("TZOFFSETTO:{}", offset(to)));
            if !abbreviation.is_empty() && !abbreviation.starts_with(['+', '-']) {
                self.prop("TZNAME", &abbreviation);
            }
            self.line(&format!("END:{kind}"));
        }
        self.line("END:VTIMEZONE");
    }

    fn event(&mut self, site: &Site, day: &ProgrammeDay, i: usize) {
        let p = &day.programme;
        self.line("BEGIN:VEVENT");
        self.line(&format!("UID:{}", uid(site, day, i)));
        // Derived from the programme, never the clock: stable output.
        self.line(&format!("DTSTAMP:{}T000000Z", p.date.0.strftime("%Y%m%d")));
        for line in event_body(site, day, i) {
            self.line(&line);
        }
        self.line("END:VEVENT");
    }

    /// An event of the subscribable feed: as [`Self::event`], with
    /// `SEQUENCE`, `DTSTAMP` and `LAST-MODIFIED` derived from the event's
    /// own content (see [`Revision`]).
    fn feed_event(&mut self, site: &Site, day: &ProgrammeDay, i: usize) {
        let uid = uid(site, day, i);
        let body = event_body(site, day, i);
        let revision = Revision::of(&day.programme.date, &uid, &body);
        self.line("BEGIN:VEVENT");
        self.line(&format!("UID:{uid}"));
        self.line(&format!("DTSTAMP:{}", revision.stamp));
        self.line(&format!("LAST-MODIFIED:{}", revision.stamp));
        self.line(&format!("SEQUENCE:{}", revision.sequence));
        for line in body {
            self.line(&line);
        }
        self.line("END:VEVENT");
    }

    fn finish(mut self) -> String {
        self.line("END:VCALENDAR");
        self.out
    }
}

/// The content lines of session `i`'s event after its UID and DTSTAMP
/// (unfolded; [`Writer::line`] folds and cleans them): times, summary,
/// location, description, URL, categories.
fn event_body(site: &Site, day: &ProgrammeDay, i: usize) -> Vec<String> {
    let p = &day.programme;
    let s = &p.sessions[i];
    let page = &site.pages[day.index];
    let tzid = &site.config.timezone;
    let mut lines = Vec::new();
    {
        let date = p.date_of(i).0;
        lines.push(format!(
            "DTSTART;TZID={tzid}:{}",
            local(civil(date, s.start))
        ));
        if let Some(end) = s.end {
            lines.push(format!("DTEND;TZID={tzid}:{}", local(civil(date, end))));
        }
        let prop = |name: &str, text: &str| format!("{name}:{}", escape_text(text));
        lines.push(prop("SUMMARY", &s.title));
        lines.push(prop("LOCATION", &location(day, s)));
        let mut description = people(s);
        if let Some(d) = &s.description {
            if !description.is_empty() {
                description.push('\n');
            }
            description.push_str(&plain_text(d, &|dest| public_link(site, day, dest)));
        }
        let url = crate::site::urls::session_url(&page.permalink, &s.id);
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&url);
        lines.push(prop("DESCRIPTION", description.trim_end()));
        lines.push(format!("URL:{url}"));
        let mut categories = vec![s.kind.label().to_string()];
        let (pijler, groups) = &day.taxa[i];
        categories.extend(pijler.iter().map(|r| r.name.clone()));
        categories.extend(groups.iter().map(|r| r.name.clone()));
        lines.push(format!(
            "CATEGORIES:{}",
            categories
                .iter()
                .map(|c| escape_text(c))
                .collect::<Vec<_>>()
                .join(",")
        ));
        if matches!(s.kind, SessionKind::Transfer) {
            lines.push("TRANSP:TRANSPARENT".to_string());
        }
    }
    lines
}

/// What a feed event says about its own version, derived from nothing
/// but its content (UID and every other line), so the build stays
/// byte-reproducible and needs no state: an unchanged event keeps both
/// values in every build, a changed one gets new ones.
///
/// - `sequence`: a number from a 64-bit FNV-1a hash of the content, below
///   2^31 (the range calendar apps keep). It changes with the content
///   but is not guaranteed to grow: growth would need the previous value,
///   that is state. docs/programme.md says what that means per app.
/// - `stamp` (DTSTAMP and LAST-MODIFIED): an instant in the year before
///   the programme's first day, picked by the same hash. It is a
///   fingerprint in the form RFC 5545 asks for, not the time of the edit.
struct Revision {
    sequence: u32,
    stamp: String,
}

impl Revision {
    fn of(date: &crate::dates::Date, uid: &str, body: &[String]) -> Revision {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in uid
            .bytes()
            .chain(body.iter().flat_map(|l| l.bytes().chain(*b"\n")))
        {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Fold the high bits in: FNV's low bits alone spread less well.
        let h = h ^ (h >> 31);
        let sequence = (h % (1 << 31)) as u32;
        const YEAR: i64 = 365 * 86_400;
        let midnight = date
            .0
            .at(0, 0, 0, 0)
            .to_zoned(TimeZone::UTC)
            .map(|z| z.timestamp().as_second())
            .unwrap_or(0);
        let seconds = midnight - YEAR + ((h >> 32) % YEAR as u64) as i64;
        let stamp = jiff::Timestamp::from_second(seconds)
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        Revision { sequence, stamp }
    }
}

/// The subscribable calendar of every networkday,
/// `/netwerkdagen/netwerkdagen.ics`: every session of every programme
/// (oldest first), with the UIDs of the programmes' own `.ics` files and
/// a content-derived [`Revision`] per event. `None` without programmes.
pub(crate) fn feed_calendar(site: &Site) -> Option<String> {
    if site.programmes.is_empty() {
        return None;
    }
    let mut days: Vec<&ProgrammeDay> = site.programmes.iter().collect();
    days.sort_by(|a, b| {
        (a.programme.date, &site.pages[a.index].url)
            .cmp(&(b.programme.date, &site.pages[b.index].url))
    });
    let mut cal = Writer::default();
    cal.begin(
        site,
        &format!("Netwerkdagen {}", site.config.title),
        &format!(
            "Alle netwerkdagen van {} ({})",
            site.config.title,
            site.config.base_url_trimmed()
        ),
    );
    // How often apps should fetch it again (RFC 7986; Outlook reads the
    // older X-PUBLISHED-TTL).
    cal.line("REFRESH-INTERVAL;VALUE=DURATION:PT12H");
    cal.line("X-PUBLISHED-TTL:PT12H");
    let dates: Vec<CivilDate> = days.iter().map(|d| d.programme.date.0).collect();
    cal.timezone_for(site, &dates);
    for day in days {
        for i in day.programme.by_start() {
            cal.feed_event(site, day, i);
        }
    }
    Some(cal.finish())
}

/// `20230210T103000` (a local "floating" form, qualified by TZID).
fn local(dt: DateTime) -> String {
    dt.strftime("%Y%m%dT%H%M%S").to_string()
}

/// `+0100`
fn offset(o: Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.unsigned_abs();
    format!("{sign}{:02}{:02}", secs / 3600, (secs % 3600) / 60)
}

/// Room, venue and city: "Zaal 2, Stadhuis Haarlem, Haarlem" (the room,
/// venue and address of the session's day).
pub(crate) fn location(day: &ProgrammeDay, s: &Session) -> String {
    let p = &day.programme;
    let d = &p.days[s.day];
    let mut parts: Vec<String> = Vec::new();
    let room = s
        .held_in
        .or_else(|| (!s.kind.uses_every_room() && !s.rooms.is_empty()).then_some(s.rooms.start));
    if s.kind == SessionKind::Session && s.rooms.len() > 1 {
        parts.push(
            d.rooms[s.rooms.clone()]
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join(" en "),
        );
    } else if let Some(r) = room.and_then(|r| d.rooms.get(r)) {
        match &r.location {
            Some(l) => parts.push(format!("{} ({l})", r.name)),
            None => parts.push(r.name.clone()),
        }
    }
    parts.extend(d.venue.iter().cloned());
    parts.extend(d.address.iter().cloned());
    // An address usually ends in the city already ("Markt 1, 5211 JV
    // 's-Hertogenbosch"): name it only when nothing before does.
    if let Some(city) = &p.city
        && !parts.iter().any(|part| names_word(part, city))
    {
        parts.push(city.clone());
    }
    parts.join(", ")
}

/// Whether `text` contains `word` as a whole word (ignoring case):
/// "Stadhuis Haarlem" names Haarlem, "Haarlemmerweg 1" does not.
fn names_word(text: &str, word: &str) -> bool {
    let (text, word) = (text.to_lowercase(), word.trim().to_lowercase());
    if word.is_empty() {
        return false;
    }
    text.match_indices(&word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A link in a programme's Markdown as exported text shows it: the public
/// URL the programme page's HTML links to (content files such as
/// `../jaarverslag/2024/03-pijler-fysiek.md#woningbouw` resolved by the
/// same rules as the HTML, see [`crate::markdown::link_href`], then made
/// absolute against the page's public address). `None`: the link is not
/// passed on (a URL that could run script, or one that did not resolve).
pub(crate) fn public_link(site: &Site, day: &ProgrammeDay, dest: &str) -> Option<String> {
    if !crate::util::html::is_safe_url(dest) {
        return None;
    }
    let p = &day.programme;
    let resolve = |rel: &str| site.links.get(rel).cloned();
    let cx = crate::markdown::Context {
        file: &p.path,
        file_text: &p.text,
        first_line: 1,
        rel: &p.rel,
        resolve: Some(&resolve),
        id_prefix: "",
        heading_offset: 0,
        unsafe_html: false,
        site_url: Some(site.config.base_url_trimmed()),
        ui: None,
    };
    let href = crate::markdown::link_href(dest, &cx)?;
    absolute_url(&site.pages[day.index].permalink, &href)
}

/// `href` as written in the HTML of the page at `permalink`, made absolute
/// (`../x/` and `/x/` against the page's address); `None` for a relative
/// link to a source document that did not resolve (that is a build error
/// already) or an address that cannot be parsed.
pub(crate) fn absolute_url(permalink: &str, href: &str) -> Option<String> {
    let lower = href
        .split(['#', '?'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let is_source = [".md", ".yaml", ".yml"].iter().any(|e| lower.ends_with(e));
    if is_source && !href.contains(':') {
        return None;
    }
    // An absolute address stays exactly as written (the parser would
    // normalise it, e.g. add a `/`).
    if url::Url::parse(href).is_ok() {
        return Some(href.to_string());
    }
    let base = url::Url::parse(permalink).ok()?;
    base.join(href).ok().map(String::from)
}

/// "Voorzitter: ...", "Gespreksleider: ...", "Sprekers: ..." lines.
fn people(s: &Session) -> String {
    let mut lines = Vec::new();
    if let Some(c) = &s.chair {
        lines.push(format!("Voorzitter: {c}"));
    }
    if let Some(m) = &s.moderator {
        lines.push(format!("Gespreksleider: {m}"));
    }
    if !s.speakers.is_empty() {
        let names: Vec<String> = s
            .speakers
            .iter()
            .map(|sp| match &sp.role {
                Some(r) => format!("{} ({r})", sp.name),
                None => sp.name.clone(),
            })
            .collect();
        let label = if names.len() == 1 {
            "Spreker"
        } else {
            "Sprekers"
        };
        lines.push(format!("{label}: {}", names.join("; ")));
    }
    lines.join("\n")
}

/// Markdown as plain text for calendar descriptions: paragraphs separated
/// by a blank line, list items with a dash, link targets after the text as
/// `link` gives them (the public URL, see [`public_link`]; `None` leaves
/// the text alone).
pub(crate) fn plain_text(markdown: &str, link: &dyn Fn(&str) -> Option<String>) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::new();
    let mut links: Vec<Option<String>> = Vec::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => out.push_str("- "),
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) => out.push_str("\n\n"),
            Event::End(TagEnd::List(_)) => out.push('\n'),
            // A script URL is not passed on, not even as text.
            Event::Start(Tag::Link { dest_url, .. }) => links.push(
                crate::util::html::is_safe_url(&dest_url)
                    .then(|| link(&dest_url))
                    .flatten(),
            ),
            Event::End(TagEnd::Link) => {
                if let Some(Some(url)) = links.pop() {
                    let bare = url.trim_start_matches("mailto:");
                    if !out.ends_with(bare) {
                        out.push_str(&format!(" ({url})"));
                    }
                }
            }
            _ => {}
        }
    }
    let mut text = out.trim().to_string();
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    text
}

/// Escape a TEXT value (RFC 5545, 3.3.11).
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            // RFC 5545 TEXT allows no control characters but tab.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Fold a content line at 75 octets (RFC 5545, 3.1) and end it with CRLF.
/// Continuation lines start with one space; a UTF-8 character is never
/// split, and no physical line ends in a space (some readers trim it away
/// before unfolding), so a fold falls before a space rather than after it.
pub(crate) fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            let moved_space = used > 2 && out.ends_with(' ');
            if moved_space {
                out.pop();
            }
            out.push_str("\r\n ");
            used = 1;
            if moved_space {
                out.push(' ');
                used += 1;
            }
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_dropped_from_text() {
        assert_eq!(super::escape_text("a\u{7}b\tc\u{1b}[0m;"), "ab\tc[0m\\;");
    }

    use super::*;

    #[test]
    fn escapes_text() {
        assert_eq!(escape_text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let long = format!("DESCRIPTION:{}", "é".repeat(100));
        let folded = fold(&long);
        assert!(folded.ends_with("\r\n"));
        for l in folded.trim_end_matches("\r\n").split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
        assert_eq!(fold("SHORT:x"), "SHORT:x\r\n");
        // Exactly 75 octets stays on one line.
        let exact = "X".repeat(75);
        assert_eq!(fold(&exact), format!("{exact}\r\n"));
        // No physical line ends in a space.
        let spaced = format!("{} {}", "a".repeat(74), "b".repeat(10));
        let folded = fold(&spaced);
        assert_eq!(
            folded,
            format!("{}\r\n  {}\r\n", "a".repeat(74), "b".repeat(10))
        );
        assert_eq!(folded.trim_end_matches("\r\n").replace("\r\n ", ""), spaced);
    }

    #[test]
    fn plain_text_of_markdown() {
        let as_written = |d: &str| Some(d.to_string());
        assert_eq!(
            plain_text(
                "Een **vet** woord.\n\n- een\n- twee\n\nZie [het advies](https://x.nl/a.pdf) of <a@b.nl>.",
                &as_written
            ),
            "Een vet woord.\n\n- een\n- twee\n\nZie het advies (https://x.nl/a.pdf) of a@b.nl."
        );
        // Targets as `link` gives them; script URLs never reach it.
        let public = |d: &str| (d != "weg.md").then(|| format!("https://x.nl/{d}"));
        assert_eq!(
            plain_text("[a](b/) [c](weg.md) [d](javascript:alert(1))", &public),
            "a (https://x.nl/b/) c d"
        );
    }

    #[test]
    fn links_become_absolute_against_the_page() {
        let page = "https://x.nl/g40/netwerkdagen/dag/";
        for (href, url) in [
            (
                "/g40/jaarverslag/2024/pijler-fysiek/#woningbouw",
                Some("https://x.nl/g40/jaarverslag/2024/pijler-fysiek/#woningbouw"),
            ),
            ("../../jaarverslag/", Some("https://x.nl/g40/jaarverslag/")),
            (
                "#opening",
                Some("https://x.nl/g40/netwerkdagen/dag/#opening"),
            ),
            (
                "bijlage.pdf",
                Some("https://x.nl/g40/netwerkdagen/dag/bijlage.pdf"),
            ),
            (
                "https://elders.nl/README.md",
                Some("https://elders.nl/README.md"),
            ),
            ("mailto:a@b.nl", Some("mailto:a@b.nl")),
            ("https://www.G40.nl", Some("https://www.G40.nl")),
            ("../03-pijler-fysiek.md#woningbouw", None),
        ] {
            assert_eq!(absolute_url(page, href).as_deref(), url, "{href}");
        }
    }

    #[test]
    fn a_city_named_by_the_address_or_venue_is_not_repeated() {
        assert!(names_word(
            "Markt 1, 5211 JV 's-Hertogenbosch",
            "'s-Hertogenbosch"
        ));
        assert!(names_word("Stadhuis HAARLEM", "Haarlem"));
        assert!(!names_word("Haarlemmerweg 1", "Haarlem"));
        assert!(!names_word("Stadhuis", ""));
    }

    #[test]
    fn hosts_and_offsets() {
        assert_eq!(
            host("https://www.g40stedennetwerk.nl"),
            "www.g40stedennetwerk.nl"
        );
        assert_eq!(host("http://localhost:1111/g40"), "localhost");
        assert_eq!(offset(Offset::constant(1)), "+0100");
        assert_eq!(offset(Offset::constant(-5)), "-0500");
        let d = CivilDate::constant(2023, 2, 10);
        assert_eq!(
            local(civil(d, Time::new(24, 0).unwrap())),
            "20230211T000000"
        );
        assert_eq!(
            local(civil(d, Time::new(9, 30).unwrap())),
            "20230210T093000"
        );
    }
}
