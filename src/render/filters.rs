//! Template filters for Dutch output.
//!
//! - `datum`: `2023-02-10` → `vrijdag 10 februari 2023`
//! - `datum_kort`: `2023-02-10` → `10 februari 2023`
//!
//! - `without_footnotes` / `footnotes`: rendered Markdown (`page.content`)
//!   split before its footnotes, so a template can put something (the
//!   chapter's signature) between the text and the notes.
//!
//! Machine-readable values stay ISO (`<time datetime="{{ page.date }}">`).

use tera::{Kwargs, State, Tera, TeraResult};

use crate::dates::Date;

/// Where the footnotes of rendered Markdown begin (the list is always
/// last; see [`crate::markdown`]).
fn footnotes_at(html: &str) -> usize {
    html.rfind(crate::markdown::FOOTNOTES_START)
        .unwrap_or(html.len())
}

pub fn register(tera: &mut Tera) {
    tera.register_filter(
        "without_footnotes",
        |value: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            Ok(value[..footnotes_at(value)].trim_end().to_string())
        },
    );
    tera.register_filter(
        "footnotes",
        |value: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            Ok(value[footnotes_at(value)..].to_string())
        },
    );
    tera.register_filter(
        "datum",
        |value: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            Date::parse(value)
                .map(|d| d.dutch_long())
                .map_err(tera::Error::message)
        },
    );
    tera.register_filter(
        "datum_kort",
        |value: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            Date::parse(value)
                .map(|d| d.dutch())
                .map_err(tera::Error::message)
        },
    );
}
