//! Markdown to HTML: pulldown-cmark events, rewritten on the way through.
//!
//! On top of CommonMark (tables, footnotes, strikethrough, task lists,
//! smart punctuation, `{#id}` heading attributes) this stage:
//! - gives every heading a unique id and a visible anchor link, and collects
//!   the `##`/`###` headings as a table of contents;
//! - highlights fenced code blocks with syntect (see [`crate::highlight`]);
//! - renders footnotes as one numbered list at the end, with back links;
//! - resolves links to other content files (`[x](../voorwoord.md)`) to the
//!   page's URL, and reports links to files that do not exist;
//! - sanitises raw HTML with ammonia unless the site allows it
//!   (`markdown.unsafe_html`): common tags stay, `<script>`, `on*=`
//!   handlers, `style` and `javascript:` URLs go (see [`sanitise`]);
//! - drops links and images whose URL could run script
//!   (`[x](javascript:...)`), whether or not the text has raw HTML.
//!
//! All ids can carry a prefix, so several chapters can share one print page
//! without clashing ids.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::LazyLock;

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::util::html::decode_entities;
use crate::util::url::percent_decode;
// Re-exported for site/ and render/ until they import util directly.
pub use crate::util::{html::escape_attr, slug::slug_or, url::host_of};

/// A heading of a rendered page, for tables of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// The result of rendering one Markdown text.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// `##` and `###` headings in order.
    pub toc: Vec<Heading>,
    /// Problems found while rendering (broken content links), already located.
    pub errors: Vec<Diagnostic>,
}

/// What a link to another content file leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// The page's or file's URL.
    Url(String),
    /// A document left out of this build as a draft: `draft: true` is in
    /// the file named (relative to `content/`; its own, or the `_index.md`
    /// of the draft report or section it is in).
    Draft(String),
    /// A document with errors of its own, reported for that file: a link
    /// to it is not a second problem.
    Unreadable,
    /// No such file.
    Missing,
}

/// How links to other content files are resolved: by the target's path
/// relative to `content/` (e.g. `jaarverslag/2023/01-voorwoord.md`).
pub trait Links: Sync {
    fn target(&self, rel: &str) -> LinkTarget;
    /// For a missing `rel`: the path of an existing file whose name differs
    /// only in case or by a typo, for a did-you-mean.
    fn similar(&self, _rel: &str) -> Option<String> {
        None
    }
}

/// A plain function from path to URL (`None`: no such file) is a
/// resolver too: the tests and fuzz targets use one.
impl<F: Fn(&str) -> Option<String> + Sync> Links for F {
    fn target(&self, rel: &str) -> LinkTarget {
        self(rel).map_or(LinkTarget::Missing, LinkTarget::Url)
    }
}

pub type LinkResolver<'a> = &'a dyn Links;

/// Where the Markdown text comes from, for link resolution and error locations.
pub struct Context<'a> {
    /// Path shown in errors (relative to the site root).
    pub file: &'a std::path::Path,
    /// The whole file's text, for quoting the offending line.
    pub file_text: &'a str,
    /// Line in the file where this Markdown text starts (1-based).
    pub first_line: usize,
    /// The file's path relative to `content/`, to resolve relative links.
    pub rel: &'a str,
    pub resolve: Option<LinkResolver<'a>>,
    /// Prefix for every generated id (headings, footnotes).
    pub id_prefix: &'a str,
    /// Added to every heading level (a `##` becomes `<h3>` with 1), for
    /// pages that nest the text under their own headings.
    pub heading_offset: u8,
    pub unsafe_html: bool,
    /// The site's `base_url`: `http(s)` links to any other
    /// host are marked as external. `None`: every `http(s)` link is.
    pub site_url: Option<&'a str>,
}

impl<'a> Context<'a> {
    /// A context for short Markdown fields with nothing to resolve
    /// (summaries, descriptions in YAML documents).
    pub fn plain(file: &'a std::path::Path) -> Self {
        Context {
            file,
            file_text: "",
            first_line: 1,
            rel: "",
            resolve: None,
            id_prefix: "",
            heading_offset: 0,
            unsafe_html: false,
            site_url: None,
        }
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What happens to raw HTML when the site does not allow it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RawHtml {
    /// Kept, and the whole result sanitised at the end.
    Sanitise,
    /// Shown as text: for HTML nested too deep to sanitise in linear time.
    Escape,
}

/// Deeper than this, the sanitiser's HTML parser slows down with the
/// square of the depth (thousands of nested `<div>`s or `>` quotes take
/// seconds), so raw HTML is shown as text instead. No real page nests
/// anywhere near this deep.
const MAX_SANITISED_DEPTH: usize = 256;

/// Events kept before they are written out as HTML (at the end of a
/// top-level block).
const FLUSH_EVENTS: usize = 4096;

/// Render Markdown to HTML. See the module docs for what is added.
pub fn render(text: &str, cx: &Context) -> Rendered {
    let out = render_with(text, cx, RawHtml::Sanitise);
    if out.raw_html_nested_too_deep {
        return render_with(text, cx, RawHtml::Escape).rendered;
    }
    out.rendered
}

struct Pass {
    rendered: Rendered,
    raw_html_nested_too_deep: bool,
}

fn render_with(text: &str, cx: &Context, raw_html: RawHtml) -> Pass {
    let mut out = Rendered {
        // HTML is a little longer than its Markdown: sized once, not grown.
        html: String::with_capacity(text.len() + text.len() / 2),
        ..Rendered::default()
    };
    let mut used_ids = UsedIds::default();
    // Events of the main text, written out as HTML whenever a top-level
    // block ends (so memory does not grow with the number of events, which
    // dense Markdown, a table of a million cells, has more of than bytes);
    // `open` counts the tags open in `body`. A footnote definition's
    // events are kept while it lasts, then its HTML, by name.
    let mut body: Vec<Event> = Vec::with_capacity(FLUSH_EVENTS);
    let mut open = 0usize;
    // The table being written: its column alignments, whether in its head
    // row, the column. Its markup is written here (as pulldown-cmark
    // writes it) so that a table of a million cells can be written out
    // while it is read, like other blocks.
    let mut table: Option<(Vec<Alignment>, bool, usize)> = None;
    let mut footnotes: HashMap<String, Vec<Event>> = HashMap::new();
    let mut footnote_html: HashMap<String, String> = HashMap::new();
    let mut footnote_order: Vec<String> = Vec::new();
    let mut footnote_numbers: HashMap<String, usize> = HashMap::new();
    let mut footnote_uses: HashMap<String, usize> = HashMap::new();
    let mut in_footnote: Option<String> = None;
    // A heading or code block being collected.
    let mut heading: Option<(HeadingLevel, HeadingAttributes, Vec<Event>)> = None;
    let mut code: Option<(String, String)> = None;
    // Inside a link to another site; inside an image (where it starts, its
    // alt text so far).
    let mut in_external_link = false;
    let mut image: Option<(usize, Vec<Event>)> = None;
    // Raw HTML seen (then the whole result is sanitised at the end), and for
    // each open link or image whether it was dropped for an unsafe URL.
    let mut saw_raw_html = false;
    let mut dropped: Vec<bool> = Vec::new();

    let parser = Parser::new_ext(text, options()).into_offset_iter();
    for (event, range) in parser {
        // Where to put the finished event.
        macro_rules! emit {
            ($ev:expr) => {{
                let ev = $ev;
                if let Some((_, _, inner)) = heading.as_mut() {
                    inner.push(ev);
                } else if let Some(name) = &in_footnote {
                    footnotes.entry(name.clone()).or_default().push(ev);
                } else {
                    match &ev {
                        Event::Start(_) => open += 1,
                        Event::End(_) => open = open.saturating_sub(1),
                        _ => {}
                    }
                    body.push(ev);
                }
            }};
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                // The page's title is its only <h1>; a `#` in the text of a
                // page would make a second one.
                if level == HeadingLevel::H1 && cx.heading_offset == 0 && cx.resolve.is_some() {
                    let (line, column) = locate(cx, text, range.start, "#");
                    out.errors.push(
                        Diagnostic::new(
                            cx.file,
                            "a `#` heading in the text makes a second main title (<h1>) under the page's own",
                        )
                        .at(cx.file_text, line, column)
                        .hint("start the sections of the text at `##`; the page's title comes from `title:`")
                        .warning(),
                    );
                }
                let attributes =
                    heading_attributes(id, classes, attrs, cx, text, range.start, &mut out.errors);
                heading = Some((level, attributes, Vec::new()));
            }
            Event::TaskListMarker(done) => {
                // A checkbox needs a name for screen readers (axe `label`);
                // it shows the state and cannot be changed.
                let (checked, label) = if done {
                    (" checked", "gedaan")
                } else {
                    ("", "niet gedaan")
                };
                emit!(Event::Html(
                    format!("<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> ")
                        .into()
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, attributes, inner)) = heading.take() else {
                    continue;
                };
                let title = plain_text(&inner);
                let base = attributes.id.unwrap_or_else(|| slug_or(&title, "sectie"));
                let id = unique_id(&format!("{}{base}", cx.id_prefix), &mut used_ids);
                let class = if attributes.classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape_attr(&attributes.classes.join(" ")))
                };
                let mut inner_html = String::new();
                html::push_html(&mut inner_html, inner.into_iter());
                let n = heading_number(level);
                if (2..=3).contains(&n) {
                    out.toc.push(Heading {
                        level: n,
                        id: id.clone(),
                        title: title.clone(),
                    });
                }
                let n = (n + cx.heading_offset).min(6);
                let tag = format!(
                    "<h{n} id=\"{id}\"{class}>{inner_html} <a class=\"heading-anchor\" href=\"#{id}\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link naar {label}</span></a></h{n}>\n",
                    // Escaped although every part is checked: the id prefix
                    // comes from the caller.
                    id = escape_attr(&id),
                    label = escape_attr(&title),
                );
                emit!(Event::Html(tag.into()));
            }
            Event::Start(Tag::Table(alignments)) => {
                table = Some((alignments, true, 0));
                emit!(Event::Html("<table>".into()));
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = table.as_mut() {
                    (t.1, t.2) = (true, 0);
                }
                emit!(Event::Html("<thead><tr>".into()));
            }
            Event::Start(Tag::TableRow) => {
                if let Some(t) = table.as_mut() {
                    t.2 = 0;
                }
                emit!(Event::Html("<tr>".into()));
            }
            Event::Start(Tag::TableCell) => {
                let (head, align) = match &table {
                    Some((alignments, head, column)) => (*head, alignments.get(*column).copied()),
                    None => (false, None),
                };
                let style = match align {
                    Some(Alignment::Left) => " style=\"text-align: left\"",
                    Some(Alignment::Center) => " style=\"text-align: center\"",
                    Some(Alignment::Right) => " style=\"text-align: right\"",
                    _ => "",
                };
                let cell = if head { "th" } else { "td" };
                emit!(Event::Html(format!("<{cell}{style}>").into()));
            }
            Event::End(TagEnd::TableCell) => {
                let head = table.as_ref().is_some_and(|t| t.1);
                if let Some(t) = table.as_mut() {
                    t.2 += 1;
                }
                emit!(Event::Html(if head { "</th>" } else { "</td>" }.into()));
            }
            Event::End(TagEnd::TableRow) => emit!(Event::Html("</tr>\n".into())),
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.1 = false;
                }
                emit!(Event::Html("</tr></thead><tbody>\n".into()));
            }
            Event::End(TagEnd::Table) => {
                table = None;
                emit!(Event::Html("</tbody></table>\n".into()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(t) if code.is_some() => {
                code.as_mut().unwrap().1.push_str(&t);
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some((lang, source)) = code.take() else {
                    continue;
                };
                emit!(Event::Html(code_block(&lang, &source).into()));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let name = name.to_string();
                footnotes.entry(name.clone()).or_default();
                in_footnote = Some(name);
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(name) = in_footnote.take() {
                    let events = footnotes.remove(&name).unwrap_or_default();
                    html::push_html(footnote_html.entry(name).or_default(), events.into_iter());
                }
            }
            Event::FootnoteReference(name) => {
                let name = name.to_string();
                // Numbered by first use; looked up, not searched for, so
                // that thousands of notes stay linear.
                let next = footnote_order.len() + 1;
                let number = *footnote_numbers.entry(name.clone()).or_insert(next);
                if number == next {
                    footnote_order.push(name.clone());
                }
                let id = footnote_id(cx.id_prefix, &name);
                // A note referred to more than once: every reference needs
                // its own id; the back link goes to the first.
                let uses = footnote_uses.entry(name.clone()).or_insert(0);
                *uses += 1;
                let ref_id = if *uses == 1 {
                    format!("fnref-{id}")
                } else {
                    format!("fnref-{id}-{uses}")
                };
                emit!(Event::Html(
                    format!(
                        "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\" id=\"{ref_id}\" role=\"doc-noteref\" aria-label=\"Voetnoot {number}\">{number}</a></sup>"
                    )
                    .into()
                ));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // An unsafe link is dropped; its text stays.
                let Some(dest) = checked_dest(
                    &dest_url,
                    false,
                    cx,
                    text,
                    range.start,
                    &mut out.errors,
                    &mut dropped,
                ) else {
                    continue;
                };
                if is_external(&dest, cx) {
                    // Marked for everyone: an icon (style.css) and words for
                    // screen readers; it opens in the same tab.
                    in_external_link = true;
                    let title = if title.is_empty() {
                        String::new()
                    } else {
                        format!(" title=\"{}\"", escape_attr(&title))
                    };
                    emit!(Event::Html(
                        format!(
                            "<a href=\"{}\" class=\"external\"{title}>",
                            escape_attr(&dest)
                        )
                        .into()
                    ));
                } else {
                    emit!(Event::Start(Tag::Link {
                        link_type,
                        dest_url: dest,
                        title,
                        id
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if dropped.pop().unwrap_or(false) {
                    continue;
                }
                if in_external_link {
                    in_external_link = false;
                    emit!(Event::Html(
                        "<span class=\"visually-hidden\"> (externe link)</span></a>".into()
                    ));
                } else {
                    emit!(event);
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // An unsafe image is dropped; its alt text stays, as text.
                let Some(dest) = checked_dest(
                    &dest_url,
                    true,
                    cx,
                    text,
                    range.start,
                    &mut out.errors,
                    &mut dropped,
                ) else {
                    continue;
                };
                // Its alt text is collected until the end of the image.
                image = Some((range.start, Vec::new()));
                emit!(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id
                }));
            }
            ref e @ (Event::Text(_) | Event::Code(_)) if image.is_some() => {
                if let Some((_, alt)) = image.as_mut() {
                    alt.push(e.clone());
                }
                emit!(event);
            }
            Event::End(TagEnd::Image) => {
                if dropped.pop().unwrap_or(false) {
                    continue;
                }
                if let Some((start, alt)) = image.take() {
                    if plain_text(&alt).is_empty() {
                        let (line, column) = locate(cx, text, start, "![");
                        out.errors.push(
                            Diagnostic::new(cx.file, "image without alt text")
                                .at(cx.file_text, line, column)
                                .hint("describe the image between the brackets: `![Kaart van de G40-steden](kaart.png)`; screen readers read it aloud"),
                        );
                    }
                }
                emit!(event);
            }
            Event::Html(raw) | Event::InlineHtml(raw)
                if !cx.unsafe_html && raw_html == RawHtml::Escape =>
            {
                emit!(Event::Text(raw));
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                saw_raw_html = true;
                emit!(event);
            }
            other => emit!(other),
        }
        // Outside every tag the HTML writer keeps no state, as long as its
        // output ends a line (as a new writer assumes) or a table goes on
        // (whose markup is written here, see `table`).
        let line_ended = match body.last() {
            Some(Event::End(_)) => true,
            Some(Event::Html(h)) => h.ends_with('\n'),
            _ => false,
        };
        if open == 0 && body.len() >= FLUSH_EVENTS && (line_ended || table.is_some()) {
            html::push_html(&mut out.html, body.drain(..));
        }
    }

    html::push_html(&mut out.html, body.into_iter());
    if !footnote_order.is_empty() {
        out.html.push_str(FOOTNOTES_START);
        out.html
            .push_str(" role=\"doc-endnotes\" aria-label=\"Voetnoten\">\n<ol>\n");
        for name in &footnote_order {
            let id = footnote_id(cx.id_prefix, name);
            let mut note = String::new();
            note.push_str(&footnote_html.remove(name).unwrap_or_default());
            let back = format!(
                " <a href=\"#fnref-{id}\" class=\"footnote-back\" role=\"doc-backlink\"><span aria-hidden=\"true\">↩</span><span class=\"visually-hidden\">Terug naar de tekst</span></a>"
            );
            // Put the back link inside the last paragraph, where readers expect it.
            let note = match note.rfind("</p>") {
                Some(i) => format!("{}{back}{}", &note[..i], &note[i..]),
                None => format!("{note}{back}"),
            };
            let _ = writeln!(out.html, "<li id=\"fn-{id}\">{note}</li>");
        }
        out.html.push_str("</ol>\n</section>\n");
    }
    if saw_raw_html && !cx.unsafe_html {
        if nesting_depth(&out.html) > MAX_SANITISED_DEPTH {
            return Pass {
                rendered: out,
                raw_html_nested_too_deep: true,
            };
        }
        // Raw HTML arrives in pieces (an inline tag is one event, its
        // closing tag another), so it is sanitised as a whole, once.
        out.html = sanitise(&out.html);
    }
    Pass {
        rendered: out,
        raw_html_nested_too_deep: false,
    }
}

/// The deepest nesting of elements in `html`, roughly (void elements and
/// `/>` do not open one; a stray end tag closes one): a linear scan, to
/// decide whether sanitising is affordable.
fn nesting_depth(html: &str) -> usize {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(lt) = bytes[i..].iter().position(|&b| b == b'<') {
        i += lt + 1;
        if bytes.get(i) == Some(&b'/') {
            depth = depth.saturating_sub(1);
            continue;
        }
        let name_len = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            continue;
        }
        let name = html[i..i + name_len].to_ascii_lowercase();
        let end = bytes[i..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |e| i + e);
        let self_closing = end > 0 && bytes.get(end - 1) == Some(&b'/');
        if !VOID.contains(&name.as_str()) && !self_closing {
            depth += 1;
            max = max.max(depth);
        }
        i += name_len;
    }
    max
}

/// Remove from `html` everything that could run script or restyle the
/// page, keeping common formatting and the markup this module generates
/// (ids, classes such as `heading-anchor` and `hl-*`, ARIA attributes,
/// footnote roles). Links keep http(s), mailto, tel and relative URLs.
pub fn sanitise(html: &str) -> String {
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["section", "input"])
            .add_generic_attributes(["id", "class", "role", "aria-label", "aria-hidden"])
            .add_tag_attributes("pre", ["tabindex"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("ol", ["start", "reversed"])
            .add_tag_attributes("li", ["value"])
            .add_tag_attributes("details", ["open"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .filter_style_properties(HashSet::from(["text-align"]))
            .url_schemes(HashSet::from(SAFE_SCHEMES))
            .link_rel(None);
        b
    });
    CLEANER.clean(html).to_string()
}

/// URL schemes a link or image may use; URLs without a scheme (relative,
/// `#anchor`, `/path`) are always fine.
const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Whether a URL written in Markdown is safe to put in `href`/`src`: no
/// scheme, or one of [`SAFE_SCHEMES`]. Browsers ignore tabs and newlines
/// in URLs and leading spaces and control characters, so `java\tscript:`
/// is `javascript:`; a colon after `/`, `?` or `#` is not a scheme.
pub fn is_safe_url(url: &str) -> bool {
    // Cleaning only removes characters: without a colon there is no scheme
    // (most links, which are relative, stop here).
    if !url.contains(':') {
        return true;
    }
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some(colon) = cleaned.find(':') else {
        return true;
    };
    let scheme = &cleaned[..colon];
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    !is_scheme || SAFE_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str())
}

/// Why `html` could run script in a browser, or `None`. A check for tests
/// and the fuzz targets, not a sanitiser: it scans the tags of serialised
/// HTML for script-capable elements, `on*` handler attributes and URL
/// attributes with a scheme other than [`SAFE_SCHEMES`].
pub fn script_in(html: &str) -> Option<String> {
    const ELEMENTS: [&str; 10] = [
        "script", "iframe", "frame", "object", "embed", "applet", "base", "form", "svg", "math",
    ];
    const URL_ATTRIBUTES: [&str; 8] = [
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "srcset",
        "poster",
    ];
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        let start = i + lt + 1;
        i = start;
        // Tag name.
        let name_end = html[start..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |n| start + n);
        let name = html[start..name_end].to_ascii_lowercase();
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        if ELEMENTS.contains(&name.as_str()) {
            return Some(format!("<{name}> element"));
        }
        // Attributes up to the closing `>`, honouring quotes.
        let mut j = name_end;
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let attr_start = j;
            while j < bytes.len() && !matches!(bytes[j], b'=' | b'>' | b' ' | b'\t' | b'\n' | b'/')
            {
                j += 1;
            }
            let attr = html[attr_start..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                let quote = bytes.get(j).copied().filter(|q| matches!(q, b'"' | b'\''));
                let value_start = j + usize::from(quote.is_some());
                let value_end = match quote {
                    Some(q) => html[value_start..]
                        .find(q as char)
                        .map_or(html.len(), |n| value_start + n),
                    None => html[value_start..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(html.len(), |n| value_start + n),
                };
                value = decode_entities(&html[value_start..value_end]);
                j = (value_end + usize::from(quote.is_some())).min(bytes.len());
            }
            if attr.starts_with("on") {
                return Some(format!("`{attr}` handler on <{name}>"));
            }
            if attr == "style" && value.contains(|c| matches!(c, '(' | '\\')) {
                return Some(format!("style with a function on <{name}>"));
            }
            if URL_ATTRIBUTES.contains(&attr.as_str()) && !is_safe_url(&value) {
                return Some(format!("{attr}=\"{value}\" on <{name}>"));
            }
        }
        i = j.max(start);
    }
    None
}

/// What may follow a heading in `{...}`: an id and classes, each made of
/// [`is_safe_name`] characters. They are written into attributes without
/// passing the sanitiser, so anything else is refused with a located error
/// (and dropped, should the error be ignored).
#[derive(Default)]
struct HeadingAttributes {
    id: Option<String>,
    classes: Vec<String>,
}

fn heading_attributes(
    id: Option<CowStr>,
    classes: Vec<CowStr>,
    attrs: Vec<(CowStr, Option<CowStr>)>,
    cx: &Context,
    text: &str,
    offset: usize,
    errors: &mut Vec<Diagnostic>,
) -> HeadingAttributes {
    let mut error = |message: String, hint: &str| {
        let (line, column) = locate(cx, text, offset, "{");
        errors.push(
            Diagnostic::new(cx.file, message)
                .at(cx.file_text, line, column)
                .hint(hint),
        );
    };
    const HINT: &str = "write it like `## Kop {#inleiding}` or `## Kop {.klasse}`; without `{#...}` the id is made from the heading's text";
    let mut out = HeadingAttributes::default();
    if let Some(id) = id {
        if is_safe_name(&id) {
            out.id = Some(id.to_string());
        } else {
            error(
                format!(
                    "heading id `{}` may only contain letters a-z, digits, `-` and `_`",
                    shown(&id)
                ),
                HINT,
            );
        }
    }
    for class in classes {
        if is_safe_name(&class) {
            out.classes.push(class.to_string());
        } else {
            error(
                format!(
                    "heading class `{}` may only contain letters a-z, digits, `-` and `_`",
                    shown(&class)
                ),
                HINT,
            );
        }
    }
    if let Some((key, _)) = attrs.first() {
        error(
            format!(
                "heading attribute `{}`: only an id (`{{#id}}`) and classes (`{{.klasse}}`) can follow a heading",
                shown(key)
            ),
            HINT,
        );
    }
    out
}

/// `s` for an error message, control characters (terminal escapes)
/// written out.
fn shown(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// An id or class name that is safe in any attribute and in a URL
/// fragment: ASCII letters, digits, `-` and `_`, not empty.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn footnote_id(prefix: &str, name: &str) -> String {
    format!("{prefix}{}", slug_or(name, "noot"))
}

/// The visible text of a run of inline events (for ids and the TOC).
fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

/// Ids already given out, and per base the last number tried, so that a
/// text with thousands of equal headings stays linear.
#[derive(Default)]
struct UsedIds {
    ids: HashSet<String>,
    next: HashMap<String, usize>,
}

fn unique_id(base: &str, used: &mut UsedIds) -> String {
    let mut id = base.to_string();
    let n = used.next.entry(base.to_string()).or_insert(1);
    while !used.ids.insert(id.clone()) {
        *n += 1;
        id = format!("{base}-{n}");
    }
    id
}

fn code_block(lang: &str, source: &str) -> String {
    let lang_class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape_attr(lang))
    };
    let inner = if lang.is_empty() {
        None
    } else {
        crate::highlight::highlight(source, lang)
    };
    let inner = inner.unwrap_or_else(|| escape_attr(source));
    format!("<pre class=\"code\" tabindex=\"0\"><code{lang_class}>{inner}</code></pre>\n")
}

/// The `href` a link to `dest` gets in the HTML rendered with `cx`: a
/// content file resolved to its page's URL, other targets as written,
/// `None` for a URL that could run script. For text outside the HTML (the
/// calendar and schedule exports), which must link where the page links;
/// reports nothing (rendering the HTML reports broken links).
pub fn link_href(dest: &str, cx: &Context) -> Option<String> {
    let mut ignored = Vec::new();
    checked_dest(
        &CowStr::Borrowed(dest),
        false,
        cx,
        "",
        0,
        &mut ignored,
        &mut Vec::new(),
    )
    .map(|d| d.to_string())
}

/// How the footnotes of a rendered text begin (always at its end); the
/// `without_footnotes` and `footnotes` template filters split there.
pub const FOOTNOTES_START: &str = "<section class=\"footnotes\"";

/// A link's or image's target, resolved ([`resolve_link`]); `None` if its
/// URL could run script. Either way `dropped` remembers the answer, so the
/// matching end tag is dropped too (links and images can nest).
#[allow(clippy::too_many_arguments)]
fn checked_dest<'e>(
    dest: &CowStr<'e>,
    image: bool,
    cx: &Context,
    text: &str,
    offset: usize,
    errors: &mut Vec<Diagnostic>,
    dropped: &mut Vec<bool>,
) -> Option<CowStr<'e>> {
    let unsafe_url = !cx.unsafe_html && !is_safe_url(dest);
    dropped.push(unsafe_url);
    (!unsafe_url).then(|| resolve_link(dest, image, cx, text, offset, errors))
}

/// The path part of the site's `base_url` (`https://x.nl/g40/` → `/g40`),
/// empty for a site at the root of its host.
fn base_path_of(site_url: &str) -> &str {
    let rest = site_url
        .split_once("://")
        .map_or(site_url, |(_, rest)| rest);
    match rest.find('/') {
        Some(i) => rest[i..].trim_end_matches('/'),
        None => "",
    }
}

/// Whether a relative link names a file (`kaart.png`, `../bijlagen/x.pdf`)
/// rather than a page URL (`../voorwoord/`): its last segment has an
/// extension. Pages written as `x/index.html` are left to `check`.
fn names_a_file(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    match last.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && !matches!(ext.to_ascii_lowercase().as_str(), "html" | "htm")
        }
        None => false,
    }
}

/// Rewrite a link to a content file (`../voorwoord.md#kop`, `kaart.png`)
/// to its URL, and a site-absolute link (`/kernboodschappen/`) to one
/// under the base path. A link to a file that is not there is an error
/// (with a did-you-mean), and so is a link to a draft; a link to a document
/// that has errors of its own is left alone (that file's error is the one
/// to fix). Other links pass through unchanged; `check` judges them.
fn resolve_link<'e>(
    dest: &CowStr<'e>,
    image: bool,
    cx: &Context,
    text: &str,
    offset: usize,
    errors: &mut Vec<Diagnostic>,
) -> CowStr<'e> {
    let Some(resolve) = cx.resolve else {
        return dest.clone();
    };
    if dest.contains("://")
        || dest.starts_with('#')
        || dest.starts_with("//")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
        || dest.is_empty()
        // An e-mail autolink (`<a@b.nl>`) arrives without its `mailto:`.
        || (dest.contains('@') && !dest.contains('/'))
    {
        return dest.clone();
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest.as_ref(), None),
    };
    let lower = path.to_ascii_lowercase();
    let is_document = lower.ends_with(".md") || lower.ends_with(".yaml") || lower.ends_with(".yml");
    let site_absolute = path.starts_with('/');
    if site_absolute && !is_document {
        // Written from the root of the site: it lives under the base path
        // (`base_url: https://x.nl/g40/`), unless the link says so already.
        let base = cx.site_url.map(base_path_of).unwrap_or("");
        if base.is_empty() || path == base || path.starts_with(&format!("{base}/")) {
            return dest.clone();
        }
        return format!("{base}{dest}").into();
    }
    let line_column = || locate(cx, text, offset, path);
    if lower.starts_with("www.") {
        let (line, column) = line_column();
        errors.push(
            Diagnostic::new(
                cx.file,
                format!("link to `{path}`: a web address needs `https://`"),
            )
            .at(cx.file_text, line, column)
            .hint(format!("write `https://{dest}`")),
        );
        return dest.clone();
    }
    let target = if site_absolute {
        Some(path.trim_start_matches('/').to_string())
    } else {
        join_relative(cx.rel, path)
    };
    let Some(target) = target.map(|t| percent_decode(&t).unwrap_or(t)) else {
        return dest.clone();
    };
    let problem = match resolve.target(&target) {
        LinkTarget::Url(url) => {
            return match fragment {
                Some(f) => format!("{url}#{f}").into(),
                None => url.into(),
            };
        }
        LinkTarget::Unreadable => return dest.clone(),
        LinkTarget::Draft(by) => (
            if by == target {
                format!(
                    "link to `{path}`: that document is a draft (`draft: true`), so it is not published"
                )
            } else {
                format!(
                    "link to `{path}`: that document is in a draft (`draft: true` in content/{by}), so it is not published"
                )
            },
            format!(
                "remove `draft: true` from content/{by} to publish it, or remove the link (`--drafts` shows drafts in a preview)"
            ),
        ),
        // A page written as its URL (`../voorwoord/`) is left to `check`.
        LinkTarget::Missing if !(is_document || image || names_a_file(path)) => {
            return dest.clone();
        }
        LinkTarget::Missing => {
            let what = if is_document { "content file" } else { "file" };
            let hint = match resolve.similar(&target) {
                Some(similar) => {
                    let shown = match (similar.rsplit_once('/'), target.rsplit_once('/')) {
                        (Some((a, name)), Some((b, _))) if a == b => match path.rsplit_once('/') {
                            Some((dir, _)) => format!("{dir}/{name}"),
                            None => name.to_string(),
                        },
                        (None, None) => similar.clone(),
                        _ => format!("content/{similar}"),
                    };
                    let case = if similar.to_lowercase() == target.to_lowercase() {
                        " (upper and lower case differ; file names must match exactly)"
                    } else {
                        ""
                    };
                    format!("did you mean `{shown}`?{case}")
                }
                None => {
                    format!("links are relative to this file's folder; looked for content/{target}")
                }
            };
            (format!("link to `{path}`: there is no such {what}"), hint)
        }
    };
    let (line, column) = line_column();
    errors.push(
        Diagnostic::new(cx.file, problem.0)
            .at(cx.file_text, line, column)
            .hint(problem.1),
    );
    dest.clone()
}

/// Line and column in the file of byte `offset` of the Markdown `text`:
/// the column of `needle` on that line, else 1.
fn locate(cx: &Context, text: &str, offset: usize, needle: &str) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = cx.first_line + text[..offset].matches('\n').count();
    let column = cx
        .file_text
        .lines()
        .nth(line.saturating_sub(1))
        .and_then(|l| l.find(needle).map(|c| l[..c].chars().count() + 1))
        .unwrap_or(1);
    (line, column)
}

/// A link to another site: `http(s)` to a host other than the site's.
fn is_external(dest: &str, cx: &Context) -> bool {
    match host_of(dest) {
        Some(host) => cx.site_url.and_then(host_of).is_none_or(|own| own != host),
        None => false,
    }
}

/// `jaarverslag/2023/02-x.md` + `../2022/01-y.md` → `jaarverslag/2022/01-y.md`.
/// `None` when the path climbs out of `content/`.
fn join_relative(from_file: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_file.split('/').collect();
    parts.pop(); // the file itself
    for segment in link.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn md(text: &str) -> Rendered {
        render(text, &Context::plain(Path::new("a.md")))
    }

    #[test]
    fn headings_get_unique_ids_anchors_and_toc() {
        let r = md("## Inleiding\n\n## Inleiding\n\n### Sub {#eigen}\n");
        assert!(r.html.contains(
            "<h2 id=\"inleiding\">Inleiding <a class=\"heading-anchor\" href=\"#inleiding\""
        ));
        assert!(r.html.contains("id=\"inleiding-2\""));
        assert!(r.html.contains("<h3 id=\"eigen\">"));
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["inleiding", "inleiding-2", "eigen"]);
    }

    #[test]
    fn footnotes_are_numbered_with_back_links_and_prefix() {
        let mut cx = Context::plain(Path::new("a.md"));
        cx.id_prefix = "h1-";
        let r = render("Tekst[^bron].\n\n[^bron]: De bron.\n", &cx);
        assert!(r.html.contains("href=\"#fn-h1-bron\""), "{}", r.html);
        assert!(
            r.html
                .contains("<li id=\"fn-h1-bron\"><p>De bron. <a href=\"#fnref-h1-bron\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn raw_html_is_sanitised_unless_allowed() {
        let r = md("<script>alert(1)</script>\n\nEen <b onclick=\"x()\">vet</b> woord.\n");
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(r.html.contains("Een <b>vet</b> woord."), "{}", r.html);
        let mut cx = Context::plain(Path::new("a.md"));
        cx.unsafe_html = true;
        assert!(render("<b>x</b>\n", &cx).html.contains("<b>x</b>"));
    }

    #[test]
    fn sanitising_keeps_generated_markup() {
        let text = "## Kop\n\nTekst<sup>2</sup>[^1] en <abbr title=\"G40\">G40</abbr>.\n\n\
                    | a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] klaar\n\n```yaml\na: 1\n```\n\n[^1]: Noot.\n";
        let with_html = md(text).html;
        let without = md(&text
            .replace("<sup>2</sup>", "")
            .replace("<abbr title=\"G40\">G40</abbr>", "G40"))
        .html;
        for kept in [
            "<h2 id=\"kop\">Kop <a class=\"heading-anchor\" href=\"#kop\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link naar Kop</span></a></h2>",
            "role=\"doc-noteref\"",
            "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"Voetnoten\">",
            "<pre class=\"code\" tabindex=\"0\">",
            "class=\"hl-",
            "style=\"text-align:right\"",
            "type=\"checkbox\"",
            "<sup>2</sup>",
            "<abbr title=\"G40\">G40</abbr>",
        ] {
            assert!(with_html.contains(kept), "`{kept}` lost in:\n{with_html}");
        }
        assert!(without.contains("style=\"text-align: right\""), "{without}");
    }

    #[test]
    fn script_urls_in_markdown_links_are_dropped() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "java&#9;script:x",
            "vbscript:x",
            "data:text/html,x",
            "&#106;avascript:x",
        ] {
            for text in [
                format!("[klik]({url})"),
                format!("![plaatje]({url})"),
                format!("[klik][r]\n\n[r]: {url}"),
            ] {
                let html = md(&text).html;
                assert!(script_in(&html).is_none(), "{text} gave {html}");
                assert!(html.contains("klik") || html.contains("plaatje"), "{html}");
            }
        }
        let ok =
            md("[a](https://g40.nl) [b](mailto:x@y.nl) [c](../x/) [d](#kop) [e](x/a:b?c:d)").html;
        assert_eq!(ok.matches("<a href").count(), 5, "{ok}");
    }

    #[test]
    fn raw_html_nested_too_deep_is_shown_as_text() {
        let deep = format!("{}x\n", "<div>".repeat(1000));
        let html = md(&deep).html;
        assert!(
            html.contains("&lt;div&gt;") && !html.contains("<div>"),
            "{html}"
        );
        let quotes = format!("{}<b onclick=\"y\">x</b>\n", "> ".repeat(1000));
        let html = md(&quotes).html;
        assert!(html.contains("&lt;b onclick") && script_in(&html).is_none());
        // Ordinary depth is sanitised as usual.
        let html = md(&format!("{}<b onclick=\"y\">x</b>\n", "> ".repeat(20))).html;
        assert!(html.contains("<b>x</b>"), "{html}");
        assert_eq!(nesting_depth("<p>a<br><img src=x><b>c</b></p><x/>"), 2);
    }

    #[test]
    fn script_detector() {
        assert!(script_in("<p onclick=\"x\">").is_some());
        assert!(script_in("<a href=\"java&#x09;script:x\">").is_some());
        assert!(script_in("<SCRIPT>").is_some());
        assert!(
            script_in("<p>&lt;script&gt; on click=</p><a href=\"/x\" title=\"javascript:\">")
                .is_none()
        );
    }

    #[test]
    fn content_links_resolve_or_report() {
        let resolve = |p: &str| {
            (p == "jaarverslag/01-voorwoord.md").then(|| "/jaarverslag/voorwoord/".to_string())
        };
        let text = "Zie [voorwoord](01-voorwoord.md#kop).\n\nEn [weg](02-weg.md).\n";
        let file_text = format!("---\ntitle: x\n---\n{text}");
        let cx = Context {
            file: Path::new("content/jaarverslag/03-x.md"),
            file_text: &file_text,
            first_line: 4,
            rel: "jaarverslag/03-x.md",
            resolve: Some(&resolve),
            id_prefix: "",
            heading_offset: 0,
            unsafe_html: false,
            site_url: None,
        };
        let r = render(text, &cx);
        assert!(r.html.contains("href=\"/jaarverslag/voorwoord/#kop\""));
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].line, Some(6));
        assert_eq!(r.errors[0].column, Some(10));
    }

    #[test]
    fn links_to_drafts_files_and_the_site_root() {
        struct Table;
        impl Links for Table {
            fn target(&self, rel: &str) -> LinkTarget {
                match rel {
                    "concept.md" => LinkTarget::Draft("concept.md".into()),
                    "kapot.yaml" => LinkTarget::Unreadable,
                    "Kaart.png" => LinkTarget::Url("/Kaart.png".into()),
                    _ => LinkTarget::Missing,
                }
            }
            fn similar(&self, rel: &str) -> Option<String> {
                (rel == "kaart.png").then(|| "Kaart.png".to_string())
            }
        }
        let text = "[a](concept.md) [b](kapot.yaml) ![c](kaart.png) [d](../x/) [e](/over/) [f](www.vng.nl)\n";
        let cx = Context {
            file_text: text,
            rel: "pagina.md",
            resolve: Some(&Table),
            site_url: Some("https://example.nl/g40/"),
            ..Context::plain(Path::new("content/pagina.md"))
        };
        let r = render(text, &cx);
        let messages: Vec<&str> = r.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("is a draft"));
        assert!(messages[1].contains("no such file"));
        assert_eq!(
            r.errors[1].hint.as_deref(),
            Some(
                "did you mean `Kaart.png`? (upper and lower case differ; file names must match exactly)"
            )
        );
        assert!(messages[2].contains("needs `https://`"));
        assert!(
            r.html.contains("href=\"../x/\""),
            "left to check: {}",
            r.html
        );
        assert!(r.html.contains("href=\"/g40/over/\""), "{}", r.html);
    }

    #[test]
    fn task_list_checkboxes_are_named() {
        let html = md("- [x] klaar\n- [ ] open\n").html;
        assert!(html.contains("<input type=\"checkbox\" disabled checked aria-label=\"gedaan\">"));
        assert!(html.contains("<input type=\"checkbox\" disabled aria-label=\"niet gedaan\">"));
        // Kept through the sanitiser too.
        let html = md("<b>x</b>\n\n- [x] klaar\n").html;
        assert!(html.contains("aria-label=\"gedaan\""), "{html}");
    }

    #[test]
    fn code_blocks_are_highlighted_or_escaped() {
        assert!(md("```yaml\na: 1\n```\n").html.contains("hl-"));
        assert!(md("```\n<b>\n```\n").html.contains("&lt;b&gt;"));
    }

    #[test]
    fn links_to_other_sites_are_marked_for_everyone() {
        let mut cx = Context::plain(Path::new("a.md"));
        cx.site_url = Some("https://www.g40stedennetwerk.nl");
        let r = render(
            "[VNG](https://vng.nl/a?b=1&c=2 \"De VNG\") en [wij](https://g40stedennetwerk.nl/x) en [mail](mailto:a@b.nl)\n",
            &cx,
        );
        assert!(
            r.html.contains("<a href=\"https://vng.nl/a?b=1&amp;c=2\" class=\"external\" title=\"De VNG\">VNG<span class=\"visually-hidden\"> (externe link)</span></a>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<a href=\"https://g40stedennetwerk.nl/x\">wij</a>")
        );
        assert!(r.html.contains("<a href=\"mailto:a@b.nl\">mail</a>"));
        assert!(!r.html.contains("target="));
    }

    #[test]
    fn images_need_alt_text() {
        let file_text =
            "---\ntitle: x\n---\nTekst.\n\nEen ![](kaart.png) en ![Kaart](k.png) en ![ ](x.png).\n";
        let text = &file_text[17..];
        let cx = Context {
            file_text,
            first_line: 4,
            ..Context::plain(Path::new("content/a.md"))
        };
        let r = render(text, &cx);
        assert_eq!(r.errors.len(), 2, "{:?}", r.errors);
        assert_eq!((r.errors[0].line, r.errors[0].column), (Some(6), Some(5)));
        assert!(r.errors[0].message.contains("alt text"));
        assert!(
            r.html.contains("<img src=\"k.png\" alt=\"Kaart\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn a_footnote_referred_to_twice_has_unique_reference_ids() {
        let r = md("Een[^a] twee[^a].\n\n[^a]: Noot.\n");
        assert!(r.html.contains("id=\"fnref-a\""));
        assert!(r.html.contains("id=\"fnref-a-2\""), "{}", r.html);
    }
}
