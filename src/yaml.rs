//! Reading YAML with bounds, for every YAML the build reads (site.yaml,
//! front matter, data files, programmes and role descriptions).
//!
//! Two kinds of YAML cost far more than their size:
//! - aliases (`*naam`) repeat an anchored value (`&naam`) without
//!   repeating its text, so a 50 KB file can stand for gigabytes (a 10 KB
//!   string aliased 10,000 times in a list that is aliased 50 times);
//! - deep nesting (`[[[[...`): the YAML scanner's work grows with the
//!   square of the depth, a minute for 100,000 levels, before the
//!   deserialiser's own limit of 128 levels is even reached.
//!
//! So before a document is deserialised, [`from_str`] reads it once as a
//! stream of parser events (the scanner works ahead only a little, so this
//! stops early) and counts: nesting deeper than [`MAX_DEPTH`], more than
//! [`MAX_VALUES`] values or more than [`MAX_EXPANDED_BYTES`] of text with
//! every alias expanded, and it stops with a located error that names the
//! bound. An alias is counted by the size of what it repeats, computed once
//! per anchor, so this pass is linear in the text, however large the
//! expansion.

use std::collections::HashMap;
use std::fmt;
use std::mem::MaybeUninit;

use libyaml_rs as sys;
use serde::de::DeserializeOwned;

/// At most this many levels of lists and mappings inside each other (the
/// YAML library itself refuses more than 128 when deserialising).
pub(crate) const MAX_DEPTH: usize = 128;

/// At most this many values (scalars, lists, mappings, keys included) in
/// one YAML document, aliases expanded. A programme of 10,000 sessions
/// has about 60,000.
pub(crate) const MAX_VALUES: usize = 1_000_000;

/// At most this much scalar text (bytes) in one YAML document, aliases
/// expanded.
pub(crate) const MAX_EXPANDED_BYTES: usize = 64 * 1024 * 1024;

const ALIAS_HINT: &str = "an alias (`*naam`) repeats the whole value anchored as `&naam`; write the values out, or split the file (docs/guarantees.md lists the limits)";
const DEPTH_HINT: &str = "close the brackets that are open (`[` and `{`), or nest less (docs/guarantees.md lists the limits)";

/// Why a YAML text could not be read.
#[derive(Debug)]
pub(crate) enum Error {
    /// The YAML library's own error (syntax, types, unknown fields).
    Yaml(serde_yaml::Error),
    /// A bound of this module, at a 1-based line and column of the text.
    Limit {
        message: String,
        hint: &'static str,
        line: usize,
        column: usize,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Yaml(e) => e.fmt(f),
            Error::Limit {
                message,
                line,
                column,
                ..
            } => write!(f, "{message} at line {line} column {column}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<serde_yaml::Error> for Error {
    fn from(e: serde_yaml::Error) -> Self {
        Error::Yaml(e)
    }
}

/// Parse one YAML document into `T`, after checking it stays within
/// [`MAX_DEPTH`], [`MAX_VALUES`] and [`MAX_EXPANDED_BYTES`].
pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    check(text)?;
    Ok(serde_yaml::from_str(text)?)
}

/// Values and bytes of text, aliases expanded.
#[derive(Clone, Copy, Default)]
struct Size {
    values: usize,
    bytes: usize,
}

impl Size {
    fn add(&mut self, other: Size) {
        self.values = self.values.saturating_add(other.values);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

/// Read `text` as parser events and check the bounds. Syntax errors are
/// left to the deserialiser, which reports them with more context: this
/// pass just stops there.
pub(crate) fn check(text: &str) -> Result<(), Error> {
    if within_bounds_as_written(text) {
        return Ok(());
    }
    check_events(text)
}

/// [`check`] by reading every parser event.
fn check_events(text: &str) -> Result<(), Error> {
    let mut parser = Parser::new(text);
    // One entry per open list or mapping: its anchor and its size so far.
    let mut open: Vec<(Option<Vec<u8>>, Size)> = Vec::new();
    let mut anchors: HashMap<Vec<u8>, Size> = HashMap::new();
    let mut total = Size::default();
    while let Some(event) = parser.next() {
        // What this event adds to the document and to the collection it is in.
        let (added, mark) = match event {
            Event::Start { anchor, mark } => {
                if open.len() >= MAX_DEPTH {
                    return Err(limit(
                        format!(
                            "YAML nested too deeply: more than {MAX_DEPTH} levels of lists and mappings inside each other (the limit)"
                        ),
                        DEPTH_HINT,
                        mark,
                    ));
                }
                open.push((
                    anchor,
                    Size {
                        values: 1,
                        bytes: 0,
                    },
                ));
                (
                    Size {
                        values: 1,
                        bytes: 0,
                    },
                    mark,
                )
            }
            Event::End => {
                // A collection's size goes to the one it is in when it ends.
                if let Some((anchor, size)) = open.pop() {
                    if let Some(parent) = open.last_mut() {
                        parent.1.add(size);
                    }
                    if let Some(anchor) = anchor {
                        anchors.insert(anchor, size);
                    }
                }
                continue;
            }
            Event::Scalar { anchor, len, mark } => {
                let size = Size {
                    values: 1,
                    bytes: len,
                };
                if let Some(anchor) = anchor {
                    anchors.insert(anchor, size);
                }
                if let Some(parent) = open.last_mut() {
                    parent.1.add(size);
                }
                (size, mark)
            }
            Event::Alias { anchor, mark } => match anchors.get(&anchor) {
                Some(&size) => {
                    if let Some(parent) = open.last_mut() {
                        parent.1.add(size);
                    }
                    (size, mark)
                }
                // An unknown anchor: the deserialiser says so.
                None => return Ok(()),
            },
        };
        total.add(added);
        if total.values > MAX_VALUES {
            return Err(limit(
                format!(
                    "YAML document too large: more than {} values once its aliases (`*naam`) are expanded (the limit)",
                    thousands(MAX_VALUES)
                ),
                ALIAS_HINT,
                mark,
            ));
        }
        if total.bytes > MAX_EXPANDED_BYTES {
            return Err(limit(
                format!(
                    "YAML document too large: more than {} MB of text once its aliases (`*naam`) are expanded (the limit)",
                    MAX_EXPANDED_BYTES / (1024 * 1024)
                ),
                ALIAS_HINT,
                mark,
            ));
        }
    }
    Ok(())
}

/// Whether `text` is within every bound without being parsed: front
/// matter nearly always is, and reading it twice (here and in the
/// deserialiser) was a third of the cost of its YAML.
///
/// Without an alias (`*`) nothing is repeated, so a short text has far
/// fewer than [`MAX_VALUES`] values (each needs a byte or two of text) and
/// [`MAX_EXPANDED_BYTES`] of scalars. Every list or mapping opens at an
/// indicator of its own (`-`, `?`, `:`, `[` or `{`), so fewer of those
/// bytes than [`MAX_DEPTH`] means fewer levels.
fn within_bounds_as_written(text: &str) -> bool {
    const SHORT: usize = 64 * 1024;
    text.len() <= SHORT
        && !text.contains('*')
        && text
            .bytes()
            .filter(|b| matches!(b, b'-' | b'?' | b':' | b'[' | b'{'))
            .count()
            < MAX_DEPTH
}

fn limit(message: String, hint: &'static str, mark: sys::yaml_mark_t) -> Error {
    Error::Limit {
        message,
        hint,
        line: mark.line as usize + 1,
        column: mark.column as usize + 1,
    }
}

/// `1000000` → `1,000,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The parser events this module needs.
enum Event {
    /// A list or mapping starts.
    Start {
        anchor: Option<Vec<u8>>,
        mark: sys::yaml_mark_t,
    },
    /// A list or mapping ends.
    End,
    Scalar {
        anchor: Option<Vec<u8>>,
        len: usize,
        mark: sys::yaml_mark_t,
    },
    Alias {
        anchor: Vec<u8>,
        mark: sys::yaml_mark_t,
    },
}

/// The event parser of libyaml (the Rust translation `yaml_serde` uses),
/// over a borrowed text.
struct Parser<'t> {
    // Boxed: libyaml's parser must not move once initialised.
    sys: Box<MaybeUninit<sys::yaml_parser_t>>,
    /// Initialised (then it must be deleted).
    initialised: bool,
    /// Still producing events.
    ok: bool,
    _text: std::marker::PhantomData<&'t str>,
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Self {
        let mut sys = Box::new(MaybeUninit::<sys::yaml_parser_t>::uninit());
        // SAFETY: the parser is initialised in place and then only used
        // through this struct; `text` outlives it (the lifetime 't).
        let ok = unsafe {
            let p = sys.as_mut_ptr();
            let ok = !sys::yaml_parser_initialize(p).fail;
            if ok {
                sys::yaml_parser_set_encoding(p, sys::YAML_UTF8_ENCODING);
                sys::yaml_parser_set_input_string(p, text.as_ptr(), text.len() as u64);
            }
            ok
        };
        Parser {
            sys,
            initialised: ok,
            ok,
            _text: std::marker::PhantomData,
        }
    }

    /// The next event of interest; `None` at the end or at an error.
    fn next(&mut self) -> Option<Event> {
        while self.ok {
            let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
            // SAFETY: the parser is initialised (`ok`); the event is read
            // only after a successful parse, and deleted after reading.
            unsafe {
                let p = self.sys.as_mut_ptr();
                if sys::yaml_parser_parse(p, event.as_mut_ptr()).fail {
                    self.ok = false;
                    return None;
                }
                let e = event.assume_init_ref();
                let mark = e.start_mark;
                let found = match e.type_ {
                    sys::YAML_STREAM_END_EVENT => {
                        self.ok = false;
                        None
                    }
                    sys::YAML_SEQUENCE_START_EVENT => Some(Event::Start {
                        anchor: bytes(e.data.sequence_start.anchor),
                        mark,
                    }),
                    sys::YAML_MAPPING_START_EVENT => Some(Event::Start {
                        anchor: bytes(e.data.mapping_start.anchor),
                        mark,
                    }),
                    sys::YAML_SEQUENCE_END_EVENT | sys::YAML_MAPPING_END_EVENT => Some(Event::End),
                    sys::YAML_SCALAR_EVENT => Some(Event::Scalar {
                        anchor: bytes(e.data.scalar.anchor),
                        len: e.data.scalar.length as usize,
                        mark,
                    }),
                    sys::YAML_ALIAS_EVENT => {
                        bytes(e.data.alias.anchor).map(|anchor| Event::Alias { anchor, mark })
                    }
                    _ => None,
                };
                sys::yaml_event_delete(event.as_mut_ptr());
                if found.is_some() {
                    return found;
                }
            }
        }
        None
    }
}

impl Drop for Parser<'_> {
    fn drop(&mut self) {
        // SAFETY: deleting frees what initialising allocated; an
        // initialisation that failed has already freed it.
        if self.initialised {
            unsafe { sys::yaml_parser_delete(self.sys.as_mut_ptr()) }
        }
    }
}

/// A NUL-terminated anchor name, copied.
///
/// # Safety
/// `p` is null or points to a NUL-terminated string.
unsafe fn bytes(p: *const u8) -> Option<Vec<u8>> {
    if p.is_null() {
        return None;
    }
    // SAFETY: as the caller promises.
    let s = unsafe { std::ffi::CStr::from_ptr(p.cast()) };
    Some(s.to_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_documents_and_small_aliases_pass() {
        let v: serde_yaml::Value =
            from_str("a: &x [1, 2, {b: c}]\nb: *x\nc: !tag 3\nd: ~\n").unwrap();
        assert_eq!(v["b"], v["a"]);
    }

    #[test]
    fn an_alias_bomb_is_refused_quickly() {
        let long = "x".repeat(10_000);
        let mut text = format!("a: &a \"{long}\"\nb: &b [");
        text.push_str(&vec!["*a"; 10_000].join(", "));
        text.push_str("]\nc: [");
        text.push_str(&vec!["*b"; 50].join(", "));
        text.push_str("]\n");
        let started = std::time::Instant::now();
        let e = from_str::<serde_yaml::Value>(&text).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        assert!(e.to_string().contains("64 MB"), "{e}");
        // In `b`, which alone repeats 100 MB.
        assert!(e.to_string().contains("at line 2 column"), "{e}");
        // A billion laughs: many small values.
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                vec![format!("*a{p}"); 10].join(", ")
            ));
        }
        let e = from_str::<serde_yaml::Value>(&text).unwrap_err();
        assert!(e.to_string().contains("1,000,000 values"), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused_before_it_gets_slow() {
        let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        let e = from_str::<serde_yaml::Value>(&deep).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(e.to_string().contains("more than 128 levels"), "{e}");
        // 128 levels is fine for this check (the deserialiser has its own).
        let ok = format!("{}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(check(&ok).is_ok());
    }

    /// The shortcut past the event pass only takes texts the pass would
    /// let through: at the depth bound, with an alias, with many values.
    #[test]
    fn texts_let_through_unparsed_are_within_the_bounds() {
        for text in [
            "title: Nieuw\ndate: 2026-01-01\nthemagroepen: [a, b]\n".to_string(),
            format!(
                "{}x{}\n",
                "[".repeat(MAX_DEPTH - 1),
                "]".repeat(MAX_DEPTH - 1)
            ),
            format!("{}x\n", "- ".repeat(MAX_DEPTH - 1)),
            format!("a: [{}]\n", vec!["x"; 20_000].join(" ")),
        ] {
            assert!(within_bounds_as_written(&text), "{text:.60}");
            assert!(check_events(&text).is_ok(), "{text:.60}");
        }
        // Too deep, with an alias, or too long to count: parsed.
        for text in [
            format!("{}x{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH)),
            format!("{}x\n", "- ".repeat(MAX_DEPTH)),
            "a: &a [1]\nb: *a\n".to_string(),
            format!("a: {}\n", "x".repeat(64 * 1024)),
        ] {
            assert!(!within_bounds_as_written(&text), "{text:.60}");
        }
        let deep = format!("{}x\n", "- ".repeat(MAX_DEPTH + 1));
        assert!(check(&deep).is_err());
    }

    #[test]
    fn syntax_errors_are_left_to_the_deserialiser() {
        let e = from_str::<serde_yaml::Value>("a: [1, 2\nb: *nergens\n").unwrap_err();
        assert!(matches!(e, Error::Yaml(_)), "{e}");
        let e = from_str::<serde_yaml::Value>("a: *nergens\n").unwrap_err();
        assert!(matches!(e, Error::Yaml(_)), "{e}");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }
}
