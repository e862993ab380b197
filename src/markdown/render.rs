//! Markdown (rendering): the pass over pulldown-cmark's events that writes
//! the HTML, block by block, with headings, tables, code, footnotes, links
//! and images rewritten on the way through.

use std::collections::HashMap;
use std::fmt::Write as _;

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
    html,
};

use super::headings::{
    HeadingAttributes, UsedIds, heading_attributes, heading_number, plain_text, unique_id,
};
use super::links::{checked_dest, is_external};
use super::sanitise::sanitise;
use super::{Context, FOOTNOTES_START, Heading, Rendered, locate};
use crate::diagnostics::Diagnostic;
use crate::util::html::escape_attr;
use crate::util::slug::slug_or;

pub(super) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        // Only the alert kinds of block quotes (`> [!NOTE]`): see `callout`.
        | Options::ENABLE_GFM
}

/// A callout's class suffix and its Dutch title, for a GFM alert
/// (`> [!NOTE]` alone on the quote's first line). The five kinds are the
/// ones GitHub knows; pulldown-cmark leaves any other `[!FOO]` a plain
/// quote with the text as written.
pub(super) fn callout(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

/// The theme's text for `key` in the site's language (Dutch without a
/// site), escaped for HTML text and attributes.
fn ui_text(cx: &Context, key: &str) -> String {
    let ui = cx.ui.unwrap_or_else(|| crate::config::Strings::dutch());
    escape_attr(ui.get(key))
}

/// What happens to raw HTML when the site does not allow it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum RawHtml {
    /// Kept, and the whole result sanitised at the end.
    Sanitise,
    /// Shown as text: for HTML nested too deep to sanitise in linear time.
    Escape,
}

/// Deeper than this, the sanitiser's HTML parser slows down with the
/// square of the depth (thousands of nested `<div>`s or `>` quotes take
/// seconds), so raw HTML is shown as text instead. No real page nests
/// anywhere near this deep.
pub(super) const MAX_SANITISED_DEPTH: usize = 256;

/// Events kept before they are written out as HTML (at the end of a
/// top-level block).
pub(super) const FLUSH_EVENTS: usize = 4096;

pub(super) struct Pass {
    pub(super) rendered: Rendered,
    pub(super) raw_html_nested_too_deep: bool,
}

pub(super) fn render_with(text: &str, cx: &Context, raw_html: RawHtml) -> Pass {
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
    // An image the site publishes in several widths, being collected: its
    // `<img>` is written here, at its end, instead of by pulldown-cmark.
    let mut responsive: Option<ResponsiveImage> = None;

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
        // Inside a responsive image only its text counts (its alt text,
        // as pulldown-cmark writes an image's); nested tags are dropped.
        if let Some(r) = responsive.as_mut() {
            match &event {
                Event::Start(Tag::Image { .. }) => r.depth += 1,
                Event::End(TagEnd::Image) if r.depth > 0 => r.depth -= 1,
                Event::End(TagEnd::Image) => {
                    let r = responsive.take().expect("checked above");
                    dropped.pop();
                    if r.alt.trim().is_empty() {
                        let (line, column) = locate(cx, text, r.start, "![");
                        out.errors.push(no_alt_text(cx, line, column));
                    }
                    emit!(Event::Html(r.html().into()));
                }
                Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                    r.alt.push_str(t)
                }
                Event::SoftBreak | Event::HardBreak => r.alt.push(' '),
                _ => {}
            }
            continue;
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
                    (" checked", ui_text(cx, "task_done"))
                } else {
                    ("", ui_text(cx, "task_not_done"))
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
                    "<h{n} id=\"{id}\"{class}>{inner_html} <a class=\"heading-anchor\" href=\"#{id}\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">{link_to} {label}</span></a></h{n}>\n",
                    link_to = ui_text(cx, "heading_link"),
                    // Escaped although every part is checked: the id prefix
                    // comes from the caller.
                    id = escape_attr(&id),
                    label = escape_attr(&title),
                );
                emit!(Event::Html(tag.into()));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                // An aside with the `note` role (not the implicit
                // `complementary`: a landmark inside the main text would be
                // one too many) and a name, so a screen reader announces
                // its title and role before the text; the title is visible
                // text too, so the kind is never told by colour alone.
                let class = callout(kind);
                let key = format!("callout_{class}");
                let ui = cx.ui.unwrap_or_else(|| crate::config::Strings::dutch());
                let title = crate::util::html::escape_attr(ui.get(&key));
                emit!(Event::Html(
                    format!(
                        "<aside class=\"callout callout-{class}\" role=\"note\" aria-label=\"{title}\">\n<p class=\"callout-title\">{title}</p>\n"
                    )
                    .into()
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                emit!(Event::Html("</aside>\n".into()));
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
                        "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\" id=\"{ref_id}\" role=\"doc-noteref\" aria-label=\"{footnote} {number}\">{number}</a></sup>",
                        footnote = ui_text(cx, "footnote")
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
                        format!(
                            "<span class=\"visually-hidden\"> ({})</span></a>",
                            ui_text(cx, "external_link")
                        )
                        .into()
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
                // Published in several widths: written at its end, with
                // the attributes that let the browser choose.
                match super::responsive_image(&dest_url, cx) {
                    Some(Ok(info)) => {
                        responsive = Some(ResponsiveImage {
                            info,
                            src: dest.to_string(),
                            title: title.to_string(),
                            start: range.start,
                            alt: String::new(),
                            depth: 0,
                        });
                        continue;
                    }
                    Some(Err(problem)) => {
                        let written = dest_url.split('#').next().unwrap_or(&dest_url);
                        let (line, column) = locate(cx, text, range.start, written);
                        out.errors.push(
                            Diagnostic::new(cx.file, problem.message)
                                .at(cx.file_text, line, column)
                                .hint(problem.hint),
                        );
                    }
                    None => {}
                }
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
                if let Some((start, alt)) = image.take()
                    && plain_text(&alt).is_empty()
                {
                    let (line, column) = locate(cx, text, start, "![");
                    out.errors.push(no_alt_text(cx, line, column));
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
        out.html.push_str(&format!(
            " role=\"doc-endnotes\" aria-label=\"{}\">\n<ol>\n",
            ui_text(cx, "footnotes")
        ));
        for name in &footnote_order {
            let id = footnote_id(cx.id_prefix, name);
            let mut note = String::new();
            note.push_str(&footnote_html.remove(name).unwrap_or_default());
            let back = format!(
                " <a href=\"#fnref-{id}\" class=\"footnote-back\" role=\"doc-backlink\"><span aria-hidden=\"true\">↩</span><span class=\"visually-hidden\">{}</span></a>",
                ui_text(cx, "footnote_back")
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

fn no_alt_text(cx: &Context, line: usize, column: usize) -> Diagnostic {
    Diagnostic::new(cx.file, "image without alt text")
        .at(cx.file_text, line, column)
        .hint("describe the image between the brackets: `![Kaart van de G40-steden](kaart.png)`; screen readers read it aloud")
}

/// An image published in several widths, from its start to its end.
struct ResponsiveImage {
    info: std::sync::Arc<crate::images::Responsive>,
    /// The resolved URL of the file written (the original).
    src: String,
    title: String,
    /// Where `![` is in the text.
    start: usize,
    alt: String,
    /// Images nested in its alt text, open.
    depth: usize,
}

impl ResponsiveImage {
    /// The `<img>`: `src` is the widest copy (the original stays where the
    /// editor put it, for links); `loading="lazy"` until
    /// [`crate::images::eager_first`] takes it off the page's first image.
    fn html(&self) -> String {
        let title = if self.title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape_attr(&self.title))
        };
        // The URL the link table gave, with any `#fragment` the editor
        // wrote, when it is the original itself.
        let src = if self.info.src == self.info.original {
            &self.src
        } else {
            &self.info.src
        };
        format!(
            "<img src=\"{}\" alt=\"{}\"{title}{}>",
            escape_attr(src),
            escape_attr(&self.alt),
            self.info.attributes(true)
        )
    }
}

/// The deepest nesting of elements in `html`, roughly (void elements and
/// `/>` do not open one; a stray end tag closes one): a linear scan, to
/// decide whether sanitising is affordable.
pub(super) fn nesting_depth(html: &str) -> usize {
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

pub(super) fn code_block(lang: &str, source: &str) -> String {
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

pub(super) fn footnote_id(prefix: &str, name: &str) -> String {
    format!("{prefix}{}", slug_or(name, "noot"))
}
