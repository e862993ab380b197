//! Assemble (shortcodes): `{{ name(arg=value) }}` and
//! `{% name(arg=value) %} body {% end %}` in Markdown bodies, in the style
//! of Zola, each expanded with a Tera template `shortcodes/<name>.html`.
//!
//! Design. The templates come from the merged theme (embedded `g40`, the
//! site's theme, the site's own `templates/`), so a site overrides a
//! built-in shortcode or adds one like any template. They are compiled
//! once per build into their own small [`Shortcodes`] (the page renderer
//! lives in the render stage, above this one, and is not available here)
//! and shared by every page of the build, read-only, across the worker
//! threads.
//!
//! A body is expanded in three steps, so that positions stay right and the
//! theme's HTML is not mangled by Markdown or by the raw-HTML sanitiser:
//! 1. the calls are found in the Markdown text, skipping code spans and
//!    code blocks (found with the same parser options as rendering uses);
//!    each is parsed, checked against the shortcode's argument list and
//!    rendered; in the text it is replaced by a placeholder of private-use
//!    characters plus as many newlines as the call had, so every line
//!    after it keeps its number in error messages;
//! 2. the text is rendered as Markdown as usual (links resolved, raw HTML
//!    sanitised);
//! 3. the placeholders are replaced by the shortcodes' HTML (a block
//!    shortcode alone in its paragraph replaces the whole `<p>`).
//!
//! A template declares its arguments on its first line,
//! `{# args: src: string, alt: string, caption: string? #}` (types
//! `string`, `number`, `bool`; `?` = optional); a call is checked against
//! that list, which is also the hint of every error about the call. The
//! built-in `doc`, `figure` and `data_table` get variables prepared here
//! (a resolved `url`, a table's `columns` and `rows`), whichever template
//! renders them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};
use tera::{Context as TeraContext, Tera};

use super::Assembly;
use crate::diagnostics::Diagnostic;
use crate::document::Document;
use crate::markdown::{self, Rendered};
use crate::theme::Theme;

/// A networkday as the `netwerkdagen` shortcode lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Networkday {
    pub title: String,
    /// ISO date (`2023-02-10`), for `<time datetime>`.
    pub date: String,
    /// The date in Dutch (`10 februari 2023`).
    pub date_text: String,
    pub city: Option<String>,
    pub url: String,
}

/// The programmes of the build as networkdays, oldest first (then by URL).
pub(super) fn networkdays(
    programmes: &[crate::document::programme::Programme],
    paths: &[String],
    base_path: &str,
    ui: &crate::config::Strings,
) -> Vec<Networkday> {
    let mut days: Vec<Networkday> = programmes
        .iter()
        .zip(paths)
        .map(|(p, path)| Networkday {
            title: p.title.clone(),
            date: p.date.iso(),
            date_text: p.date.text_in(&ui.date),
            city: p.city.clone(),
            url: format!("{base_path}{path}"),
        })
        .collect();
    days.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.url.cmp(&b.url)));
    days
}

/// Where shortcode templates live in the theme.
const PREFIX: &str = "shortcodes/";
/// Errors reported per text before the rest of it is left unexpanded.
const MAX_ERRORS: usize = 100;
/// Placeholder delimiters: private-use characters, which neither Markdown
/// nor the sanitiser touch and editors do not type.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// The type of a shortcode argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Str,
    Number,
    Bool,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Str => "string",
            Ty::Number => "number",
            Ty::Bool => "bool",
        }
    }
}

#[derive(Debug, Clone)]
struct Param {
    name: String,
    ty: Ty,
    required: bool,
}

/// A value written in a call.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    Number(f64),
    Bool(bool),
}

impl Value {
    fn ty(&self) -> Ty {
        match self {
            Value::Str(_) => Ty::Str,
            Value::Number(_) => Ty::Number,
            Value::Bool(_) => Ty::Bool,
        }
    }
    fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// The compiled shortcode templates of one build, by name.
#[derive(Default)]
pub(crate) struct Shortcodes {
    tera: Tera,
    /// Per shortcode: its declared arguments (`None`: not declared, any
    /// argument is passed on unchecked).
    specs: BTreeMap<String, Option<Vec<Param>>>,
}

impl std::fmt::Debug for Shortcodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.specs.keys()).finish()
    }
}

impl Shortcodes {
    /// Compile the `shortcodes/*.html` templates of `theme`. A template
    /// that does not compile is reported by the page renderer, which
    /// compiles every template; here it is left out. A malformed `args`
    /// line is reported here, at the template.
    pub(crate) fn from_theme(theme: &Theme) -> (Shortcodes, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let mut sources = Vec::new();
        let mut specs = BTreeMap::new();
        for (name, file) in theme.templates.range(PREFIX.to_string()..) {
            let Some(short) = name
                .strip_prefix(PREFIX)
                .and_then(|n| n.strip_suffix(".html"))
            else {
                if !name.starts_with(PREFIX) {
                    break;
                }
                continue;
            };
            let Ok(text) = String::from_utf8(file.bytes.clone()) else {
                continue;
            };
            match parse_spec(&text) {
                Ok(spec) => {
                    specs.insert(short.to_string(), spec);
                    sources.push((name.clone(), text));
                }
                Err(message) => errors.push(
                    Diagnostic::new(&file.origin, message)
                        .at(&text, 1, 1)
                        .hint("write the arguments as `{# args: src: string, alt: string, caption: string? #}` (types string, number, bool; `?` = optional)"),
                ),
            }
        }
        let mut tera = Tera::new();
        if tera
            .add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .is_err()
        {
            return (Shortcodes::default(), errors);
        }
        (Shortcodes { tera, specs }, errors)
    }

    /// The names, for the hint of an unknown shortcode.
    fn known(&self) -> String {
        self.specs
            .keys()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `name(a: string, b: number?)`, for hints.
    fn signature(&self, name: &str) -> String {
        match self.specs.get(name) {
            Some(Some(params)) => format!(
                "{name}({})",
                params
                    .iter()
                    .map(|p| format!(
                        "{}: {}{}",
                        p.name,
                        p.ty.name(),
                        if p.required { "" } else { " (optional)" }
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => format!("{name}(...)"),
        }
    }
}

/// A template's declared arguments, from `{# args: ... #}` on its first line.
fn parse_spec(text: &str) -> Result<Option<Vec<Param>>, String> {
    let first = text.lines().next().unwrap_or("").trim();
    let Some(inner) = first
        .strip_prefix("{#")
        .and_then(|r| r.strip_suffix("#}"))
        .map(|r| r.trim_matches(|c: char| c == '-' || c.is_whitespace()))
        .and_then(|r| r.strip_prefix("args:"))
    else {
        return Ok(None);
    };
    let mut params = Vec::new();
    for part in inner.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, ty) = part
            .split_once(':')
            .ok_or_else(|| format!("shortcode argument `{part}` has no type"))?;
        let (ty, required) = match ty.trim().strip_suffix('?') {
            Some(t) => (t.trim(), false),
            None => (ty.trim(), true),
        };
        let ty = match ty {
            "string" => Ty::Str,
            "number" => Ty::Number,
            "bool" => Ty::Bool,
            other => return Err(format!("shortcode argument type `{other}` is not known")),
        };
        let name = name.trim();
        if !is_ident(name) {
            return Err(format!("shortcode argument name `{name}` is not a name"));
        }
        params.push(Param {
            name: name.to_string(),
            ty,
            required,
        });
    }
    Ok(Some(params))
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Render the body of `doc` as Markdown with its shortcodes expanded (see
/// the module docs): what a page shows, and the problems found.
pub(super) fn render_body(
    ax: &Assembly,
    doc: &Document,
    id_prefix: &str,
    heading_offset: u8,
) -> Rendered {
    let cx = ax.markdown(
        &doc.path,
        &doc.text,
        doc.body_first_line,
        &doc.rel,
        id_prefix,
        heading_offset,
    );
    let body = doc.body();
    let Some(shortcodes) = ax.shortcodes.filter(|_| has_call_start(body)) else {
        return markdown::render(body, &cx);
    };
    let mut errors = Vec::new();
    let (text, pieces) = expand(shortcodes, ax, &cx, body, &mut errors);
    let mut rendered = markdown::render(&text, &cx);
    rendered.html = substitute(&rendered.html, &pieces);
    for h in &mut rendered.toc {
        if h.title.contains(OPEN) {
            h.title = substitute(&h.title, &pieces);
        }
    }
    errors.append(&mut rendered.errors);
    rendered.errors = errors;
    rendered
}

/// Whether `text` may contain a call at all (the common case: no).
pub(super) fn has_call_start(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// The byte ranges of code spans and code blocks in `text`.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(text, markdown::parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                if depth == 0 {
                    ranges.push(range);
                }
                depth += 1;
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => depth = depth.saturating_sub(1),
            Event::Code(_) if depth == 0 => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

/// One parsed call.
struct Call {
    name: String,
    args: Vec<(String, Value)>,
    /// Byte offset in the body where `{{`/`{%` is.
    start: usize,
    /// Just after `}}` / `%}`.
    end: usize,
    block: bool,
}

/// Where in the body an error is: file, line, column of `offset`.
fn located(cx: &markdown::Context, body: &str, offset: usize, message: String) -> Diagnostic {
    let before = &body[..offset];
    let line = cx.first_line + before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Diagnostic::new(cx.file, message).at(cx.file_text, line, column)
}

/// The body with every call replaced by a placeholder, and the HTML of
/// each (by placeholder number) with whether it was a block.
fn expand(
    shortcodes: &Shortcodes,
    ax: &Assembly,
    cx: &markdown::Context,
    body: &str,
    errors: &mut Vec<Diagnostic>,
) -> (String, Vec<(String, bool)>) {
    // Sorted and disjoint, so looked up by halving: a page of many code
    // spans and calls stays linear-logarithmic.
    let code = code_ranges(body);
    let in_code = |at: usize| {
        let i = code.partition_point(|r| r.end <= at);
        code.get(i).is_some_and(|r| r.contains(&at))
    };
    // Every `{% end %}` outside code, found once: each block looks up the
    // first after it instead of searching the rest of the text again.
    let ends = end_tags(body, &in_code);
    let bytes = body.as_bytes();
    let mut out = String::with_capacity(body.len());
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    // Lines before the current block body, counted as the scan goes on
    // (counting from the start each time would be quadratic).
    let (mut counted_to, mut lines_before) = (0usize, 0usize);
    while i + 1 < bytes.len() {
        // A text full of broken calls: the first hundred errors say enough
        // (and locating each costs a pass over the text).
        if errors.len() >= MAX_ERRORS {
            break;
        }
        let opener = &bytes[i..i + 2];
        if !(opener == b"{{" || opener == b"{%") || in_code(i) {
            i += 1;
            continue;
        }
        let block = opener == b"{%";
        let call = match parse_call(body, i, block) {
            Parsed::NotACall => {
                i += 2;
                continue;
            }
            Parsed::End(end) => {
                errors.push(
                    located(
                        cx,
                        body,
                        i,
                        "`{% end %}` without a block shortcode before it".into(),
                    )
                    .hint(
                        "a block shortcode is written `{% name(arg=\"...\") %}` text `{% end %}`",
                    ),
                );
                out.push_str(&body[copied..i]);
                copied = end;
                i = end;
                continue;
            }
            Parsed::Malformed(at, message) => {
                let name = call_name(body, i);
                errors.push(located(cx, body, at, message).hint(format!(
                    "arguments: {}; a call is written `{}`, text in \"quotes\"",
                    shortcodes.signature(&name),
                    example_call(block)
                )));
                // Skip the rest of the line: one error per broken call.
                i = body[i..].find('\n').map_or(body.len(), |n| i + n);
                continue;
            }
            Parsed::Call(call) => call,
        };
        // A block's body runs to the next `{% end %}` outside code.
        let (html_end, inner) = if call.block {
            match ends
                .get(ends.partition_point(|(at, _)| *at < call.end))
                .copied()
            {
                Some((inner_end, after)) => (after, Some(call.end..inner_end)),
                None => {
                    errors.push(
                        located(cx, body, call.start, format!(
                            "block shortcode `{}` is not closed with `{{% end %}}`",
                            call.name
                        ))
                        .hint(format!(
                            "write `{{% {}(...) %}}` text `{{% end %}}`, or `{{{{ {}(...) }}}}` for one without a body",
                            call.name, call.name
                        )),
                    );
                    i = call.end;
                    continue;
                }
            }
        } else {
            (call.end, None)
        };
        let inner_html = inner.map(|r| {
            lines_before += body[counted_to..r.start].matches('\n').count();
            counted_to = r.start;
            let first_line = cx.first_line + lines_before;
            let sub = markdown::Context { first_line, ..*cx };
            let r = markdown::render(&body[r], &sub);
            errors.extend(r.errors);
            r.html
        });
        match render_call(shortcodes, ax, cx, body, &call, inner_html) {
            Ok(html) => {
                out.push_str(&body[copied..call.start]);
                let _ = write!(out, "{OPEN}{}{CLOSE}", pieces.len());
                // Keep every later line on its number.
                for _ in body[call.start..html_end].matches('\n') {
                    out.push('\n');
                }
                pieces.push((html, call.block));
                copied = html_end;
            }
            Err(e) => errors.push(e),
        }
        i = html_end;
    }
    out.push_str(&body[copied..]);
    (out, pieces)
}

/// The name after `{{`/`{%` at `start`, for hints ("" if none).
fn call_name(body: &str, start: usize) -> String {
    body[start + 2..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

fn example_call(block: bool) -> &'static str {
    if block {
        "{% name(text=\"...\", number=3) %} ... {% end %}"
    } else {
        "{{ name(text=\"...\", number=3, flag=true) }}"
    }
}

enum Parsed {
    /// `{{` that does not start `name(`: text (`{{ page.title }}` in prose).
    NotACall,
    /// A stray `{% end %}`, ending at the offset.
    End(usize),
    /// A call that started but is broken: where, and what is wrong.
    Malformed(usize, String),
    Call(Call),
}

/// Parse the call whose `{{` or `{%` is at `start`.
fn parse_call(body: &str, start: usize, block: bool) -> Parsed {
    let b = body.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t' || b[i] == b'\n' || b[i] == b'\r') {
            i += 1;
        }
        i
    };
    let close: &[u8] = if block { b"%}" } else { b"}}" };
    let mut i = skip_ws(start + 2);
    let name_start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        i += 1;
    }
    let name = &body[name_start..i];
    if name.is_empty() || !is_ident(name) {
        return Parsed::NotACall;
    }
    let after_name = skip_ws(i);
    if block && name == "end" && b[after_name..].starts_with(b"%}") {
        return Parsed::End(after_name + 2);
    }
    if b.get(after_name) != Some(&b'(') {
        return Parsed::NotACall;
    }
    i = after_name + 1;
    let mut args: Vec<(String, Value)> = Vec::new();
    loop {
        i = skip_ws(i);
        match b.get(i) {
            None => {
                return Parsed::Malformed(
                    start,
                    format!("shortcode `{name}`: the call is not closed with `)`"),
                );
            }
            Some(b')') => {
                i += 1;
                break;
            }
            _ => {}
        }
        let arg_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        let arg = &body[arg_start..i];
        if arg.is_empty() {
            return Parsed::Malformed(
                arg_start,
                format!("shortcode `{name}`: expected an argument name, as `name=value`"),
            );
        }
        i = skip_ws(i);
        if b.get(i) != Some(&b'=') {
            return Parsed::Malformed(
                arg_start,
                format!("shortcode `{name}`: argument `{arg}` has no `=value`"),
            );
        }
        i = skip_ws(i + 1);
        let (value, next) = match parse_value(body, i) {
            Ok(v) => v,
            Err(message) => {
                return Parsed::Malformed(
                    i,
                    format!("shortcode `{name}`, argument `{arg}`: {message}"),
                );
            }
        };
        if args.iter().any(|(a, _)| a == arg) {
            return Parsed::Malformed(
                arg_start,
                format!("shortcode `{name}`: argument `{arg}` is given twice"),
            );
        }
        args.push((arg.to_string(), value));
        i = skip_ws(next);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b')') => {}
            _ => {
                return Parsed::Malformed(
                    i.min(body.len()),
                    format!("shortcode `{name}`: expected `,` or `)` after argument `{arg}`"),
                );
            }
        }
    }
    i = skip_ws(i);
    if !b[i..].starts_with(close) {
        let close = if block { "%}" } else { "}}" };
        return Parsed::Malformed(
            i,
            format!("shortcode `{name}`: expected `{close}` after the arguments"),
        );
    }
    Parsed::Call(Call {
        name: name.to_string(),
        args,
        start,
        end: i + 2,
        block,
    })
}

/// A value at `i`: `"text"` or `'text'` (with `\"`, `\\`), a number,
/// `true`/`false`; and the offset after it.
fn parse_value(body: &str, i: usize) -> Result<(Value, usize), String> {
    let rest = &body[i..];
    let expected = "expected a value: \"text\" in quotes, a number, true or false";
    let Some(first) = rest.chars().next() else {
        return Err(expected.into());
    };
    if first == '"' || first == '\'' {
        let mut s = String::new();
        let mut chars = rest.char_indices().skip(1);
        while let Some((j, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, e)) => s.push(e),
                    None => break,
                },
                c if c == first => return Ok((Value::Str(s), i + j + 1)),
                '\n' => break,
                c => s.push(c),
            }
        }
        return Err(format!(
            "the text starting with {first} is not closed on its line"
        ));
    }
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'))
        .collect();
    let end = i + word.len();
    match word.as_str() {
        "true" => Ok((Value::Bool(true), end)),
        "false" => Ok((Value::Bool(false), end)),
        w if !w.is_empty() && w.starts_with(|c: char| c.is_ascii_digit() || c == '-') => w
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| (Value::Number(n), end))
            .ok_or_else(|| format!("`{w}` is not a number")),
        "" => Err(expected.into()),
        w => Err(format!(
            "`{w}` is not a value; text goes in quotes: \"{w}\""
        )),
    }
}

/// Every `{% end %}` outside code: where it starts and where it ends.
fn end_tags(body: &str, in_code: &dyn Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut ends = Vec::new();
    let mut i = 0;
    while let Some(n) = body[i..].find("{%") {
        let at = i + n;
        if !in_code(at)
            && let Parsed::End(after) = parse_call(body, at, true)
        {
            ends.push((at, after));
        }
        i = at + 2;
    }
    ends
}

/// Check `call` against its shortcode and render it.
fn render_call(
    shortcodes: &Shortcodes,
    ax: &Assembly,
    cx: &markdown::Context,
    body: &str,
    call: &Call,
    inner_html: Option<String>,
) -> Result<String, Diagnostic> {
    let name = &call.name;
    let err = |message: String| {
        located(cx, body, call.start, message)
            .hint(format!("arguments: {}", shortcodes.signature(name)))
    };
    let Some(spec) = shortcodes.specs.get(name) else {
        return Err(located(
            cx,
            body,
            call.start,
            format!("there is no shortcode `{name}`"),
        )
        .hint(format!(
            "shortcodes: {}; a site adds its own as templates/shortcodes/{name}.html",
            shortcodes.known()
        )));
    };
    if let Some(params) = spec {
        for (arg, value) in &call.args {
            match params.iter().find(|p| &p.name == arg) {
                None => return Err(err(format!("shortcode `{name}` has no argument `{arg}`"))),
                Some(p) if p.ty != value.ty() => {
                    return Err(err(format!(
                        "shortcode `{name}`: argument `{arg}` must be a {}, not a {}",
                        p.ty.name(),
                        value.ty().name()
                    )));
                }
                Some(_) => {}
            }
        }
        if let Some(p) = params
            .iter()
            .find(|p| p.required && !call.args.iter().any(|(a, _)| *a == p.name))
        {
            return Err(err(format!(
                "shortcode `{name}` needs the argument `{}`",
                p.name
            )));
        }
    }
    let arg = |key: &str| {
        call.args
            .iter()
            .find(|(a, _)| a == key)
            .and_then(|(_, v)| v.as_str())
    };
    let mut context = TeraContext::new();
    for (a, v) in &call.args {
        match v {
            Value::Str(s) => context.insert(a.clone(), s),
            Value::Number(n) => context.insert(a.clone(), n),
            Value::Bool(b) => context.insert(a.clone(), b),
        }
    }
    // An optional argument left out is there as null, so a template can
    // test it with `{% if caption %}`.
    if let Some(Some(params)) = shortcodes.specs.get(name) {
        for p in params {
            if !call.args.iter().any(|(a, _)| *a == p.name) {
                context.insert(p.name.clone(), &Option::<String>::None);
            }
        }
    }
    if let Some(html) = &inner_html {
        context.insert("body", html);
    }
    context.insert("data", &ax.data.values);
    // The theme's interface text, as in page templates.
    context.insert("t", ax.ui);
    // The built-ins' prepared variables, for whichever template renders them.
    match name.as_str() {
        "doc" | "figure" => {
            let (key, image) = if name == "doc" {
                ("path", false)
            } else {
                ("src", true)
            };
            if let Some(dest) = arg(key) {
                if image && arg("alt").is_some_and(|a| a.trim().is_empty()) {
                    return Err(err(format!(
                        "shortcode `{name}`: `alt` is empty; describe the image, screen readers read it aloud"
                    )));
                }
                // A photo the site publishes in several widths: `image`
                // has them (see `crate::images::Responsive`).
                if image {
                    match markdown::responsive_image(dest, cx) {
                        Some(Ok(r)) => context.insert("image", &*r),
                        Some(Err(p)) => {
                            return Err(located(
                                cx,
                                body,
                                call.start,
                                format!("shortcode `{name}`: {}", p.message),
                            )
                            .hint(p.hint));
                        }
                        None => context.insert("image", &Option::<String>::None),
                    }
                }
                match markdown::resolve_href(dest, image, cx) {
                    Ok(Some(url)) => context.insert("url", &url),
                    Ok(None) => {
                        return Err(err(format!(
                            "shortcode `{name}`: `{dest}` is not a safe address"
                        )));
                    }
                    Err((message, hint)) => {
                        return Err(located(
                            cx,
                            body,
                            call.start,
                            format!("shortcode `{name}`: {message}"),
                        )
                        .maybe_hint(hint));
                    }
                }
            }
        }
        "data_table" => {
            let table = data_table(ax, arg("file"), arg("columns"), arg("sort"))
                .map_err(|(message, hint)| located(cx, body, call.start, message).hint(hint))?;
            context.insert("columns", &table.0);
            context.insert("rows", &table.1);
        }
        "netwerkdagen" => context.insert("netwerkdagen", ax.networkdays),
        "steden"
            if !ax
                .data
                .values
                .get("steden")
                .is_some_and(|v| v.is_sequence()) =>
        {
            return Err(err(
                "shortcode `steden`: there is no list `content/_data/steden.yaml`".into(),
            ));
        }
        _ => {}
    }
    let template = format!("{PREFIX}{name}.html");
    shortcodes
        .tera
        .render(&template, &context)
        .map(|html| html.trim().to_string())
        .map_err(|e| {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                let _ = write!(message, ": {s}");
                source = s.source();
            }
            located(
                cx,
                body,
                call.start,
                format!("shortcode `{name}` could not be rendered ({template}): {message}"),
            )
        })
}

/// The header and rows of a `data_table`: the `columns` (comma-separated)
/// of the list in `_data/<file>.yaml`, sorted by the `sort` column.
#[allow(clippy::type_complexity)]
fn data_table(
    ax: &Assembly,
    file: Option<&str>,
    columns: Option<&str>,
    sort: Option<&str>,
) -> Result<(Vec<String>, Vec<Vec<String>>), (String, String)> {
    let file = file.unwrap_or_default();
    let stem = file
        .trim_start_matches("_data/")
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml");
    let files = || {
        ax.data
            .values
            .keys()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(value) = ax.data.values.get(stem) else {
        return Err((
            format!("data_table: there is no data file `content/_data/{stem}.yaml`"),
            format!("data files: {}", files()),
        ));
    };
    let Some(list) = value.as_sequence() else {
        return Err((
            format!("data_table: `content/_data/{stem}.yaml` is not a list"),
            "a table is made from a list of entries (`- naam: ...`)".into(),
        ));
    };
    let mut available: Vec<String> = Vec::new();
    for row in list {
        if let Some(map) = row.as_mapping() {
            for k in map.keys().filter_map(|k| k.as_str()) {
                if !available.iter().any(|a| a == k) {
                    available.push(k.to_string());
                }
            }
        }
    }
    let hint = || format!("columns in `{stem}.yaml`: {}", available.join(", "));
    let columns: Vec<String> = match columns {
        Some(c) => c
            .split(',')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect(),
        None => available.clone(),
    };
    for c in &columns {
        if !available.contains(c) {
            return Err((
                format!("data_table: `{stem}.yaml` has no column `{c}`"),
                hint(),
            ));
        }
    }
    let cell = |row: &serde_yaml::Value, key: &str| -> String {
        match row.get(key) {
            Some(serde_yaml::Value::String(s)) => s.clone(),
            Some(serde_yaml::Value::Number(n)) => n.to_string(),
            Some(serde_yaml::Value::Bool(b)) => if *b { "ja" } else { "nee" }.to_string(),
            Some(serde_yaml::Value::Sequence(items)) => items
                .iter()
                .filter_map(|v| match v {
                    serde_yaml::Value::String(s) => Some(s.clone()),
                    serde_yaml::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join(", "),
            _ => String::new(),
        }
    };
    let mut rows: Vec<&serde_yaml::Value> = list.iter().filter(|r| r.is_mapping()).collect();
    if let Some(key) = sort {
        if !available.iter().any(|a| a == key) {
            return Err((
                format!("data_table: cannot sort by `{key}`: `{stem}.yaml` has no such column"),
                hint(),
            ));
        }
        // Numbers by value, everything else as text; a stable sort keeps
        // the file's order among equals.
        rows.sort_by(|a, b| {
            match (
                a.get(key).and_then(|v| v.as_f64()),
                b.get(key).and_then(|v| v.as_f64()),
            ) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                _ => cell(a, key)
                    .to_lowercase()
                    .cmp(&cell(b, key).to_lowercase()),
            }
        });
    }
    let rows = rows
        .into_iter()
        .map(|r| columns.iter().map(|c| cell(r, c)).collect())
        .collect();
    Ok((columns, rows))
}

/// `html` with each placeholder replaced by its shortcode's HTML; a block
/// shortcode, or one whose HTML is a block element (a figure, a table),
/// alone in its paragraph replaces the `<p>` around it. One pass.
fn substitute(html: &str, pieces: &[(String, bool)]) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find(OPEN) {
        let after = &rest[open + OPEN.len_utf8()..];
        let Some(close) = after.find(CLOSE) else {
            break;
        };
        let Some((piece, block)) = after[..close]
            .parse::<usize>()
            .ok()
            .and_then(|n| pieces.get(n))
        else {
            out.push_str(&rest[..open + OPEN.len_utf8()]);
            rest = after;
            continue;
        };
        let mut before = &rest[..open];
        let mut tail = &after[close + CLOSE.len_utf8()..];
        if (*block || starts_a_block(piece))
            && before.ends_with("<p>")
            && let Some(t) = tail.trim_start_matches('\n').strip_prefix("</p>")
        {
            before = &before[..before.len() - 3];
            tail = t;
        }
        out.push_str(before);
        out.push_str(piece);
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// Whether `html` starts with an element that cannot be inside a `<p>`
/// (a figure or table written on a line of its own).
fn starts_a_block(html: &str) -> bool {
    const BLOCKS: [&str; 16] = [
        "address",
        "aside",
        "blockquote",
        "details",
        "div",
        "dl",
        "figure",
        "footer",
        "form",
        "h",
        "header",
        "hr",
        "ol",
        "p",
        "section",
        "table",
    ];
    let Some(rest) = html.strip_prefix('<') else {
        return false;
    };
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    name == "ul"
        || name == "nav"
        || BLOCKS.iter().any(|b| {
            *b == name
                || (*b == "h"
                    && name.len() == 2
                    && name[1..].chars().all(|c| ('1'..='6').contains(&c)))
        })
}
