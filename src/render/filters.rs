//! Template filters for Dutch output.
//!
//! - `datum`: `2023-02-10` → `vrijdag 10 februari 2023`
//! - `datum_kort`: `2023-02-10` → `10 februari 2023`
//!
//! Machine-readable values stay ISO (`<time datetime="{{ page.date }}">`).

use tera::{Kwargs, State, Tera, TeraResult};

use crate::dates::Date;

pub fn register(tera: &mut Tera) {
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
