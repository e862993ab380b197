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
//! - escapes raw HTML unless the site allows it (`markdown.unsafe_html`).
//!
//! All ids can carry a prefix, so several chapters can share one print page
//! without clashing ids.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use serde::Serialize;

use crate::diagnostics::Diagnostic;

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

/// How to resolve a link to another content file: gets the target's path
/// relative to `content/` (e.g. `jaarverslag/2023/01-voorwoord.md`) and
/// returns its URL, or `None` if there is no such page.
pub type LinkResolver<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

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

/// The host of an absolute `http(s)` URL, lowercased, without `www.`,
/// port or user info: `https://www.G40.nl:443/a` → `g40.nl`.
pub fn host_of(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_string())
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Render Markdown to HTML. See the module docs for what is added.
pub fn render(text: &str, cx: &Context) -> Rendered {
    let mut out = Rendered::default();
    let mut used_ids: HashSet<String> = HashSet::new();
    // Events of the main text, and of each footnote definition by name.
    let mut body: Vec<Event> = Vec::new();
    let mut footnotes: HashMap<String, Vec<Event>> = HashMap::new();
    let mut footnote_order: Vec<String> = Vec::new();
    let mut footnote_uses: HashMap<String, usize> = HashMap::new();
    let mut in_footnote: Option<String> = None;
    // A heading or code block being collected.
    let mut heading: Option<(HeadingLevel, Option<String>, Vec<Event>)> = None;
    let mut code: Option<(String, String)> = None;
    // Inside a link to another site; inside an image (where it starts, its
    // alt text so far).
    let mut in_external_link = false;
    let mut image: Option<(usize, Vec<Event>)> = None;

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
                    body.push(ev);
                }
            }};
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level, id.map(|i| i.to_string()), Vec::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, explicit_id, inner)) = heading.take() else {
                    continue;
                };
                let title = plain_text(&inner);
                let base = explicit_id.unwrap_or_else(|| slug_or(&title, "sectie"));
                let id = unique_id(&format!("{}{base}", cx.id_prefix), &mut used_ids);
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
                    "<h{n} id=\"{id}\">{inner_html} <a class=\"heading-anchor\" href=\"#{id}\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link naar {label}</span></a></h{n}>\n",
                    label = escape_attr(&title),
                );
                emit!(Event::Html(tag.into()));
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
            Event::End(TagEnd::FootnoteDefinition) => in_footnote = None,
            Event::FootnoteReference(name) => {
                let name = name.to_string();
                if !footnote_order.contains(&name) {
                    footnote_order.push(name.clone());
                }
                let number = footnote_order.iter().position(|n| *n == name).unwrap() + 1;
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
                let dest = resolve_link(&dest_url, cx, text, range.start, &mut out.errors);
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
            Event::End(TagEnd::Link) if in_external_link => {
                in_external_link = false;
                emit!(Event::Html(
                    "<span class=\"visually-hidden\"> (externe link)</span></a>".into()
                ));
            }
            Event::End(TagEnd::Image) => {
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
            ref e @ (Event::Text(_) | Event::Code(_)) if image.is_some() => {
                if let Some((_, alt)) = image.as_mut() {
                    alt.push(e.clone());
                }
                emit!(event);
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve_link(&dest_url, cx, text, range.start, &mut out.errors);
                // Its alt text is collected until the end of the image.
                image = Some((range.start, Vec::new()));
                emit!(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id
                }));
            }
            Event::Html(raw) | Event::InlineHtml(raw) if !cx.unsafe_html => {
                emit!(Event::Text(raw));
            }
            other => emit!(other),
        }
    }

    html::push_html(&mut out.html, body.into_iter());
    if !footnote_order.is_empty() {
        out.html.push_str(
            "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"Voetnoten\">\n<ol>\n",
        );
        for name in &footnote_order {
            let id = footnote_id(cx.id_prefix, name);
            let mut note = String::new();
            html::push_html(
                &mut note,
                footnotes.remove(name).unwrap_or_default().into_iter(),
            );
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
    out
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

/// A URL-safe id from free text (`Pijler Sociaal` → `pijler-sociaal`).
pub fn slug_or(text: &str, fallback: &str) -> String {
    let s = slug::slugify(text);
    if s.is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 1;
    while !used.insert(id.clone()) {
        n += 1;
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

/// Escape a string for HTML text or a double-quoted attribute.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Rewrite a link to a content file (`../voorwoord.md#kop`) to the page's
/// URL. Other links pass through unchanged.
fn resolve_link<'e>(
    dest: &CowStr<'e>,
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
        || dest.starts_with("mailto:")
        || dest.starts_with('/')
    {
        return dest.clone();
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest.as_ref(), None),
    };
    let lower = path.to_ascii_lowercase();
    let is_document = lower.ends_with(".md") || lower.ends_with(".yaml") || lower.ends_with(".yml");
    let target = join_relative(cx.rel, path);
    let decoded = target
        .as_deref()
        .map(|t| crate::serve::percent_decode(t).unwrap_or_else(|| t.to_string()));
    match decoded.as_deref().and_then(resolve) {
        Some(url) => match fragment {
            Some(f) => format!("{url}#{f}").into(),
            None => url.into(),
        },
        // Other files (not content documents or assets) are left as written.
        None if !is_document => dest.clone(),
        None => {
            let (line, column) = locate(cx, text, offset, path);
            errors.push(
                Diagnostic::new(
                    cx.file,
                    format!("link to `{path}`: there is no such content file"),
                )
                .at(cx.file_text, line, column)
                .hint(format!(
                    "links are relative to this file's folder; looked for content/{}",
                    target.unwrap_or_else(|| path.to_string())
                )),
            );
            dest.clone()
        }
    }
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
    fn raw_html_is_escaped_unless_allowed() {
        assert!(md("<script>x</script>\n").html.contains("&lt;script&gt;"));
        let mut cx = Context::plain(Path::new("a.md"));
        cx.unsafe_html = true;
        assert!(render("<b>x</b>\n", &cx).html.contains("<b>x</b>"));
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
        assert_eq!(
            host_of("HTTP://user@WWW.Example.nl:8080/x"),
            Some("example.nl".into())
        );
        assert_eq!(host_of("/a/"), None);
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
