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
//!
//! Also `range`, replacing Tera's own: the same numbers, but at most
//! [`MAX_RANGE_NUMBERS`] for one page in all, so nested loops over
//! `range` cannot keep a build busy for hours (Tera bounds one call to
//! 100,000 numbers, and two nested loops are then 10,000,000,000 turns).

use std::cell::Cell;

use tera::{Kwargs, State, Tera, TeraResult};

/// At most this many numbers from `range` while rendering one page.
pub(super) const MAX_RANGE_NUMBERS: usize = 1_000_000;

thread_local! {
    /// Numbers `range` may still give for the page this thread renders.
    static RANGE_LEFT: Cell<usize> = const { Cell::new(MAX_RANGE_NUMBERS) };
}

/// Start the `range` budget afresh: before each page, on the thread that
/// renders it (Tera renders a page on one thread).
pub(super) fn start_page() {
    RANGE_LEFT.with(|left| left.set(MAX_RANGE_NUMBERS));
}

/// Tera's `range(start=0, end, step_by=1)`, counted against the page's budget.
fn range(kwargs: Kwargs, _: &State) -> TeraResult<Vec<i128>> {
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message(
            "Function `range` was called with a `step_by` argument of 0",
        ));
    }
    if start > end && step > 0 {
        return Err(tera::Error::message(
            "Function `range` was called with a `start` argument greater than the `end` one",
        ));
    }
    // How many numbers, without overflow: the span divided by the step, rounded up.
    let span = if step > 0 {
        end.checked_sub(start)
    } else {
        start.checked_sub(end)
    };
    let len = span
        .and_then(|s| s.max(0).checked_add(step.unsigned_abs() as i128 - 1))
        .map(|s| s / step.unsigned_abs() as i128)
        .ok_or_else(|| {
            tera::Error::message("Function `range` was called with numbers that are too large")
        })?;
    let left = RANGE_LEFT.with(Cell::get);
    if len > left as i128 {
        return Err(tera::Error::message(format!(
            "`range` would give more than {MAX_RANGE_NUMBERS} numbers for this page in all (the limit): loops over `range` nested in each other multiply"
        )));
    }
    RANGE_LEFT.with(|l| l.set(left - len as usize));
    Ok((0..len).map(|i| start + i * step).collect())
}

use crate::dates::{Date, DateWords};

/// Where the footnotes of rendered Markdown begin (the list is always
/// last; see [`crate::markdown`]).
fn footnotes_at(html: &str) -> usize {
    html.rfind(crate::markdown::FOOTNOTES_START)
        .unwrap_or(html.len())
}

pub(super) fn register(tera: &mut Tera) {
    tera.register_function("range", range);
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
    register_dates(tera, &DateWords::dutch());
    tera.register_filter(
        "css_string",
        |value: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            // A CSS string (`"Pagina"`) for `content:` through a custom
            // property: quotes, backslashes and line breaks escaped.
            let mut out = String::from("\"");
            for c in value.chars() {
                match c {
                    '"' | '\\' => {
                        out.push('\\');
                        out.push(c);
                    }
                    '\n' | '\r' => out.push_str("\\a "),
                    c => out.push(c),
                }
            }
            out.push('"');
            Ok(out)
        },
    );
    tera.register_filter(
        "fill",
        |value: &str, args: Kwargs, _: &State| -> TeraResult<String> {
            // `{{ t.page_of | fill(n=2, total=3) }}`: `{n}` and `{total}`
            // replaced by the arguments, as text.
            let mut out = value.to_string();
            for (name, v) in args.iter() {
                let text = match v.as_str() {
                    Some(s) => s.to_string(),
                    None => v.to_string(),
                };
                out = out.replace(&format!("{{{name}}}"), &text);
            }
            Ok(out)
        },
    );
}

/// `datum` (`vrijdag 10 februari 2023`) and `datum_kort` (`10 februari
/// 2023`), in the words of the site's language.
pub(super) fn register_dates(tera: &mut Tera, words: &DateWords) {
    let long = words.clone();
    tera.register_filter(
        "datum",
        move |value: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            Date::parse(value)
                .map(|d| d.long_in(&long))
                .map_err(tera::Error::message)
        },
    );
    let short = words.clone();
    tera.register_filter(
        "datum_kort",
        move |value: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            Date::parse(value)
                .map(|d| d.text_in(&short))
                .map_err(tera::Error::message)
        },
    );
}
