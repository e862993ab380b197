//! Parse: clock times and durations as editors write them in programmes.
//!
//! Dutch programmes write `9.30`, `10.00-10.25` or `16.00 uur`; others write
//! ISO `09:30`. Both are accepted. Unquoted YAML turns `9.30` into the float
//! 9.3 and `16.00` into 16, so numbers are accepted too and read by their
//! shortest decimal form: 9.3 → 9.30, 9.05 → 9.05, 16 → 16.00 (one decimal
//! digit is always tens of minutes, as it is on paper).
//!
//! Dutch times are not a CLDR format: the formatting (`10.30–11.30 uur`)
//! is a small formatter of our own. Machine values are ISO (`10:30`).

use std::fmt;

/// A time of day in whole minutes since midnight (0..=1440; 24.00 is the
/// end of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Time(u16);

impl Time {
    /// `hour:minute`; `None` when out of range.
    pub(crate) fn new(hour: u16, minute: u16) -> Option<Time> {
        if minute > 59 || hour > 24 || (hour == 24 && minute > 0) {
            None
        } else {
            Some(Time(hour * 60 + minute))
        }
    }

    pub(crate) fn from_minutes(minutes: u16) -> Option<Time> {
        (minutes <= 24 * 60).then_some(Time(minutes))
    }

    pub(crate) fn minutes(self) -> u16 {
        self.0
    }

    pub(crate) fn hour(self) -> u16 {
        self.0 / 60
    }

    pub(crate) fn minute(self) -> u16 {
        self.0 % 60
    }

    /// Dutch: `9.30`, `16.00`.
    pub(crate) fn dutch(self) -> String {
        format!("{}.{:02}", self.hour(), self.minute())
    }

    /// ISO 8601: `09:30`.
    pub(crate) fn iso(self) -> String {
        format!("{:02}:{:02}", self.hour(), self.minute())
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dutch())
    }
}

/// `10.30–11.30 uur`, or `9.30 uur` for a moment.
pub(crate) fn dutch_range(start: Time, end: Option<Time>) -> String {
    match end {
        Some(end) => format!("{}–{} uur", start.dutch(), end.dutch()),
        None => format!("{} uur", start.dutch()),
    }
}

/// How a time was written in YAML: as text, or as a number that YAML read
/// from unquoted `9.30`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TimeText {
    Text(String),
    Number(String),
}

impl<'de> serde::Deserialize<'de> for TimeText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<TimeText, D::Error> {
        use serde::de::Error;
        match serde_yaml::Value::deserialize(d)? {
            serde_yaml::Value::String(s) => Ok(TimeText::Text(s)),
            serde_yaml::Value::Number(n) => Ok(TimeText::Number(number_text(&n))),
            other => Err(D::Error::custom(format!(
                "expected a time like `9.30` or `10.00-10.25`, found {}",
                describe(&other)
            ))),
        }
    }
}

fn describe(v: &serde_yaml::Value) -> &'static str {
    match v {
        serde_yaml::Value::Null => "nothing",
        serde_yaml::Value::Bool(_) => "true/false",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) => "a mapping",
        _ => "another value",
    }
}

/// The shortest decimal form of a YAML number: 9.3 → `9.3`, 16.0 → `16`.
fn number_text(n: &serde_yaml::Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(f) = n.as_f64() {
        // Rust's float Display is the shortest form that round-trips.
        format!("{f}")
    } else {
        n.to_string()
    }
}

/// Parse one clock time: `9.30`, `09.30`, `9:30`, `09:30`, `16` (a whole
/// hour), optionally followed by `uur` or `u`. A YAML number is read by its
/// shortest decimal form, so `9.3` (from unquoted `9.30`) is 9.30.
pub(crate) fn parse_time(text: &TimeText) -> Result<Time, String> {
    match text {
        TimeText::Text(s) => parse_time_str(s, false),
        TimeText::Number(s) => parse_time_str(s, true),
    }
}

fn parse_time_str(raw: &str, from_number: bool) -> Result<Time, String> {
    let s = raw.trim();
    let s = s
        .strip_suffix("uur")
        .or_else(|| s.strip_suffix('u'))
        .unwrap_or(s)
        .trim_end();
    let bad = || {
        format!("`{raw}` is not a time: write hours and minutes like `9.30`, `09:30` or `16.00`")
    };
    if s.is_empty() {
        return Err("the time is empty: write e.g. `9.30` or `10.00-10.25`".into());
    }
    let (h, m) = match s.find(['.', ':']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    if h.is_empty() || h.len() > 2 || !h.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let hour: u16 = h.parse().map_err(|_| bad())?;
    let minute: u16 = match m {
        None => 0,
        Some(m) if !m.bytes().all(|b| b.is_ascii_digit()) || m.is_empty() => return Err(bad()),
        Some(m) if m.len() == 2 => m.parse().map_err(|_| bad())?,
        // 9.3 from a YAML float was written 9.30: tens of minutes.
        Some(m) if m.len() == 1 && from_number => m.parse::<u16>().map_err(|_| bad())? * 10,
        Some(m) if m.len() == 1 => {
            return Err(format!(
                "`{raw}` is ambiguous: minutes have two digits (`{h}.{m}0` or `{h}.0{m}`)"
            ));
        }
        Some(_) => return Err(bad()),
    };
    if minute > 59 {
        return Err(format!("`{raw}` is not a time: minutes go up to 59"));
    }
    Time::new(hour, minute).ok_or_else(|| format!("`{raw}` is not a time: hours go up to 24.00"))
}

/// Parse a `time:` value: a start (`9.30`) or a range (`10.00-10.25`,
/// `10:00 – 10:25`, `10.00 tot 10.25`).
pub(crate) fn parse_span(text: &TimeText) -> Result<(Time, Option<Time>), String> {
    let s = match text {
        TimeText::Number(_) => return parse_time(text).map(|t| (t, None)),
        TimeText::Text(s) => s.trim(),
    };
    let s = s.strip_suffix("uur").unwrap_or(s).trim_end();
    let parts: Option<(&str, &str)> = ["–", "—", "-", " tot "]
        .iter()
        .find_map(|sep| s.split_once(sep));
    match parts {
        None => parse_time_str(s, false).map(|t| (t, None)),
        Some((a, b)) => {
            if b.contains(['-', '–', '—']) {
                return Err(format!(
                    "`{s}` has more than one `-`: write one range like `10.00-10.25`"
                ));
            }
            let start = parse_time_str(a, false)?;
            let end = parse_time_str(b, false)?;
            Ok((start, Some(end)))
        }
    }
}

/// How a duration was written: minutes as a number, or text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DurationText {
    Minutes(i64),
    Text(String),
}

impl<'de> serde::Deserialize<'de> for DurationText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<DurationText, D::Error> {
        use serde::de::Error;
        match serde_yaml::Value::deserialize(d)? {
            serde_yaml::Value::String(s) => Ok(DurationText::Text(s)),
            serde_yaml::Value::Number(n) => match n.as_i64() {
                Some(i) => Ok(DurationText::Minutes(i)),
                None => Ok(DurationText::Text(number_text(&n))),
            },
            other => Err(D::Error::custom(format!(
                "expected a duration like `45` (minutes), `45 min` or `1,5 uur`, found {}",
                describe(&other)
            ))),
        }
    }
}

/// Parse a duration into minutes: `45` (minutes), `45 min`, `45 minuten`,
/// `1 uur`, `1,5 uur`, `1.5 uur`, `1u30`, `1:30` (hours:minutes), or ISO
/// 8601 `PT1H30M`.
pub(crate) fn parse_duration(d: &DurationText) -> Result<u16, String> {
    let minutes: i64 = match d {
        DurationText::Minutes(m) => *m,
        DurationText::Text(raw) => parse_duration_str(raw)?,
    };
    if minutes <= 0 {
        return Err(format!(
            "a duration must be more than 0 minutes, found {minutes}"
        ));
    }
    if minutes > 24 * 60 {
        return Err(format!(
            "a duration of {minutes} minutes is longer than a day"
        ));
    }
    Ok(minutes as u16)
}

fn parse_duration_str(raw: &str) -> Result<i64, String> {
    let s = raw.trim().to_lowercase();
    let bad = || {
        format!(
            "`{raw}` is not a duration: write minutes (`45`, `45 min`), hours (`1 uur`, `1,5 uur`) or `PT1H30M`"
        )
    };
    let int = |t: &str| -> Result<i64, String> {
        let t = t.trim();
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) || t.len() > 4 {
            Err(bad())
        } else {
            t.parse().map_err(|_| bad())
        }
    };
    if let Some(iso) = s.strip_prefix("pt") {
        let (h, rest) = match iso.split_once('h') {
            Some((h, rest)) => (int(h)?, rest),
            None => (0, iso),
        };
        let m = match rest.strip_suffix('m') {
            Some(m) => int(m)?,
            None if rest.is_empty() => 0,
            None => return Err(bad()),
        };
        return Ok(h * 60 + m);
    }
    for suffix in ["minuten", "minuut", "min", "m"] {
        if let Some(n) = s.strip_suffix(suffix) {
            return int(n);
        }
    }
    for suffix in ["uur", "h"] {
        if let Some(n) = s.strip_suffix(suffix) {
            let n = n.trim().replace(',', ".");
            return match n.split_once('.') {
                None => Ok(int(&n)? * 60),
                Some((h, "5")) => Ok(int(h)? * 60 + 30),
                Some((h, "25")) => Ok(int(h)? * 60 + 15),
                Some((h, "75")) => Ok(int(h)? * 60 + 45),
                Some(_) => Err(bad()),
            };
        }
    }
    if let Some((h, m)) = s.split_once(['u', ':']) {
        let m = int(m)?;
        if m > 59 {
            return Err(bad());
        }
        return Ok(int(h)? * 60 + m);
    }
    int(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> TimeText {
        TimeText::Text(s.into())
    }

    fn t(h: u16, m: u16) -> Time {
        Time::new(h, m).unwrap()
    }

    fn yaml_time(yaml: &str) -> TimeText {
        #[derive(serde::Deserialize)]
        struct X {
            time: TimeText,
        }
        serde_yaml::from_str::<X>(yaml).unwrap().time
    }

    #[test]
    fn accepts_every_written_form() {
        for (s, want) in [
            ("9.30", t(9, 30)),
            ("09.30", t(9, 30)),
            ("9:30", t(9, 30)),
            ("09:30", t(9, 30)),
            ("16.00", t(16, 0)),
            ("16", t(16, 0)),
            ("0.05", t(0, 5)),
            ("24.00", t(24, 0)),
            ("9.30 uur", t(9, 30)),
            ("9.30u", t(9, 30)),
            (" 9.30 ", t(9, 30)),
        ] {
            assert_eq!(parse_time(&text(s)), Ok(want), "{s}");
        }
    }

    #[test]
    fn reads_yaml_numbers_by_their_shortest_form() {
        // Unquoted in YAML these are floats and integers.
        assert_eq!(yaml_time("time: 9.30"), TimeText::Number("9.3".into()));
        assert_eq!(parse_time(&yaml_time("time: 9.30")), Ok(t(9, 30)));
        assert_eq!(parse_time(&yaml_time("time: 9.3")), Ok(t(9, 30)));
        assert_eq!(parse_time(&yaml_time("time: 9.05")), Ok(t(9, 5)));
        assert_eq!(parse_time(&yaml_time("time: 16.00")), Ok(t(16, 0)));
        assert_eq!(parse_time(&yaml_time("time: 16")), Ok(t(16, 0)));
        assert_eq!(parse_time(&yaml_time("time: 10.50")), Ok(t(10, 50)));
        assert_eq!(parse_time(&yaml_time("time: 12.15")), Ok(t(12, 15)));
        assert_eq!(parse_span(&yaml_time("time: 9.30")), Ok((t(9, 30), None)));
        // A range is never a number.
        assert_eq!(
            parse_span(&yaml_time("time: 10.00-10.25")),
            Ok((t(10, 0), Some(t(10, 25))))
        );
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for s in [
            "",
            "25.00",
            "24.30",
            "9.60",
            "9.3",
            "9.300",
            "930",
            "9h30",
            "half tien",
            "-1",
            "9.",
            ".30",
            "9.3a",
            "1e3",
            "9:30:00",
        ] {
            assert!(parse_time(&text(s)).is_err(), "accepted `{s}`");
        }
        assert!(parse_time(&text("9.3")).unwrap_err().contains("ambiguous"));
        assert!(
            parse_time(&TimeText::Number("9.123".into())).is_err(),
            "three decimals"
        );
        assert!(parse_time(&TimeText::Number("930".into())).is_err());
        assert!(parse_time(&TimeText::Number("-9.3".into())).is_err());
    }

    #[test]
    fn non_scalar_time_is_a_yaml_error() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct X {
            time: TimeText,
        }
        let e = serde_yaml::from_str::<X>("time: [9, 30]").unwrap_err();
        assert!(e.to_string().contains("expected a time"), "{e}");
    }

    #[test]
    fn spans() {
        let want = Ok((t(10, 0), Some(t(10, 25))));
        for s in [
            "10.00-10.25",
            "10:00-10:25",
            "10.00 - 10.25",
            "10.00–10.25",
            "10.00 — 10.25",
            "10.00 tot 10.25",
            "10.00-10.25 uur",
        ] {
            assert_eq!(parse_span(&text(s)), want, "{s}");
        }
        assert_eq!(parse_span(&text("9.30")), Ok((t(9, 30), None)));
        assert!(parse_span(&text("10.00-")).is_err());
        assert!(parse_span(&text("-10.25")).is_err());
        assert!(parse_span(&text("10.00-10.25-10.30")).is_err());
        assert!(parse_span(&text("10.00-11.75")).is_err());
    }

    #[test]
    fn formats_dutch_and_iso() {
        assert_eq!(t(9, 30).dutch(), "9.30");
        assert_eq!(t(9, 30).iso(), "09:30");
        assert_eq!(t(16, 0).dutch(), "16.00");
        assert_eq!(dutch_range(t(10, 30), Some(t(11, 30))), "10.30–11.30 uur");
        assert_eq!(dutch_range(t(9, 30), None), "9.30 uur");
    }

    #[test]
    fn durations() {
        let d = |s: &str| parse_duration(&DurationText::Text(s.into()));
        assert_eq!(parse_duration(&DurationText::Minutes(45)), Ok(45));
        assert_eq!(d("45"), Ok(45));
        assert_eq!(d("45 min"), Ok(45));
        assert_eq!(d("45 minuten"), Ok(45));
        assert_eq!(d("1 minuut"), Ok(1));
        assert_eq!(d("1 uur"), Ok(60));
        assert_eq!(d("1,5 uur"), Ok(90));
        assert_eq!(d("1.5 uur"), Ok(90));
        assert_eq!(d("2h"), Ok(120));
        assert_eq!(d("1u30"), Ok(90));
        assert_eq!(d("1:30"), Ok(90));
        assert_eq!(d("PT1H30M"), Ok(90));
        assert_eq!(d("PT45M"), Ok(45));
        assert_eq!(d("PT2H"), Ok(120));
        for bad in [
            "", "lang", "1,3 uur", "1u75", "PT", "PTxM", "0", "-5 min", "25 uur",
        ] {
            assert!(d(bad).is_err(), "accepted `{bad}`");
        }
        assert!(parse_duration(&DurationText::Minutes(0)).is_err());
        assert!(parse_duration(&DurationText::Minutes(-10)).is_err());
    }
}
