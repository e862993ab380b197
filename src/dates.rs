//! Dates as editors write them (`2023-02-10`) and as Dutch readers read them
//! (`vrijdag 10 februari 2023`).
//!
//! Parsing is strict (a bad date is a located error, never a guess); the
//! Dutch names are a small table: CLDR would be a heavy dependency for
//! nineteen words.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

const WEEKDAYS: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];
const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

impl Date {
    /// Parse `YYYY-MM-DD`; the error says what was expected.
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        let bytes = s.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return Err(format!(
                "invalid date `{s}`: expected YYYY-MM-DD, e.g. 2023-02-10"
            ));
        }
        let n = |r: std::ops::Range<usize>| s[r].parse::<i16>().unwrap_or(0);
        jiff::civil::Date::new(n(0..4), n(5..7) as i8, n(8..10) as i8)
            .map(Date)
            .map_err(|_| format!("invalid date `{s}`: that day does not exist"))
    }

    /// `2023-02-10`. Written by hand: every listing entry serialises its
    /// date, and `strftime` costs ten times as much.
    pub fn iso(&self) -> String {
        let (y, m, d) = (self.0.year(), self.0.month(), self.0.day());
        if !(0..=9999).contains(&y) {
            return self.0.strftime("%Y-%m-%d").to_string();
        }
        let mut text = String::with_capacity(10);
        let digit = |n: i16| char::from(b'0' + n as u8);
        for n in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10] {
            text.push(digit(n));
        }
        for part in [i16::from(m), i16::from(d)] {
            text.push('-');
            text.push(digit(part / 10));
            text.push(digit(part % 10));
        }
        text
    }

    /// `vrijdag 10 februari 2023`
    pub fn dutch_long(&self) -> String {
        self.long_in(&DateWords::dutch())
    }

    /// `10 februari 2023`
    pub fn dutch(&self) -> String {
        self.text_in(&DateWords::dutch())
    }

    /// The date with its weekday in `words`' language: `vrijdag 10
    /// februari 2023`, `Friday 10 February 2023`.
    pub fn long_in(&self, words: &DateWords) -> String {
        let weekday = &words.weekdays[self.0.weekday().to_monday_zero_offset() as usize];
        format!("{weekday} {}", self.text_in(words))
    }

    /// The date in `words`' language: `10 februari 2023`, `10 February 2023`.
    pub fn text_in(&self, words: &DateWords) -> String {
        format!(
            "{} {} {}",
            self.0.day(),
            words.months[self.0.month() as usize - 1],
            self.0.year()
        )
    }

    /// The year, e.g. 2026.
    pub fn year(&self) -> i16 {
        self.0.year()
    }

    /// The days from `self` to `last` as Dutch listings write them:
    /// `10 en 11 september 2026`, `10 t/m 12 september 2026`,
    /// `30 september en 1 oktober 2026`, `31 december 2026 en 1 januari
    /// 2027`; one day is [`Date::dutch`].
    pub fn dutch_range(&self, last: Date) -> String {
        self.range_in(last, &DateWords::dutch())
    }

    /// [`Date::dutch_range`] in `words`' language (`10 and 11 September 2026`).
    pub fn range_in(&self, last: Date, words: &DateWords) -> String {
        let (a, b) = (self.0, last.0);
        if b <= a {
            return self.text_in(words);
        }
        let joint = if a.tomorrow().is_ok_and(|t| t == b) {
            &words.and
        } else {
            &words.through
        };
        let month = |d: jiff::civil::Date| &words.months[d.month() as usize - 1];
        if a.year() != b.year() {
            format!("{} {joint} {}", self.text_in(words), last.text_in(words))
        } else if a.month() != b.month() {
            format!(
                "{} {} {joint} {} {} {}",
                a.day(),
                month(a),
                b.day(),
                month(b),
                b.year()
            )
        } else {
            format!("{} {joint} {} {} {}", a.day(), b.day(), month(b), b.year())
        }
    }
}

/// The words dates are written with, in one language: the theme's strings
/// file has them (`date:` in `strings/<language>.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DateWords {
    /// January to December.
    pub months: [String; 12],
    /// Monday to Sunday.
    pub weekdays: [String; 7],
    /// Between two days in a row: `10 en 11 september`.
    pub and: String,
    /// Between the first and last of more days: `10 t/m 12 september`.
    pub through: String,
}

impl DateWords {
    /// The Dutch words.
    pub fn dutch() -> DateWords {
        DateWords {
            months: MONTHS.map(String::from),
            weekdays: WEEKDAYS.map(String::from),
            and: "en".into(),
            through: "t/m".into(),
        }
    }
}

impl Default for DateWords {
    fn default() -> Self {
        DateWords::dutch()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        // YAML may hand us a string or (for unquoted odd values) a number.
        let value = serde_yaml::Value::deserialize(d)?;
        let text = match &value {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Number(n) => n.to_string(),
            other => format!("{other:?}"),
        };
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_forms_match_strftime() {
        for (y, m, d) in [
            (2026, 12, 2),
            (5, 1, 9),
            (999, 10, 31),
            (9999, 12, 31),
            (-44, 3, 15),
        ] {
            let date = Date(jiff::civil::date(y, m, d));
            assert_eq!(date.iso(), date.0.strftime("%Y-%m-%d").to_string());
        }
        assert_eq!(Date(jiff::civil::date(2023, 2, 10)).iso(), "2023-02-10");
    }

    #[test]
    fn dutch_forms() {
        let d = Date::parse("2023-02-10").unwrap();
        assert_eq!(d.dutch_long(), "vrijdag 10 februari 2023");
        assert_eq!(d.dutch(), "10 februari 2023");
        assert_eq!(
            Date::parse("2024-12-01").unwrap().dutch_long(),
            "zondag 1 december 2024"
        );
    }

    #[test]
    fn dutch_ranges() {
        let d = |s| Date::parse(s).unwrap();
        let r = |a, b| d(a).dutch_range(d(b));
        assert_eq!(r("2026-09-10", "2026-09-11"), "10 en 11 september 2026");
        assert_eq!(r("2026-09-10", "2026-09-12"), "10 t/m 12 september 2026");
        assert_eq!(
            r("2026-09-30", "2026-10-01"),
            "30 september en 1 oktober 2026"
        );
        assert_eq!(
            r("2026-12-31", "2027-01-01"),
            "31 december 2026 en 1 januari 2027"
        );
        assert_eq!(r("2026-09-10", "2026-09-10"), "10 september 2026");
    }

    #[test]
    fn rejects_bad_dates() {
        assert!(
            Date::parse("2023-02-30")
                .unwrap_err()
                .contains("does not exist")
        );
        assert!(
            Date::parse("10-02-2023")
                .unwrap_err()
                .contains("expected YYYY-MM-DD")
        );
        assert!(Date::parse("2023-2-1").is_err());
    }
}
