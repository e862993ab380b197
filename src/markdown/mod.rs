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
//!   (`[x](javascript:...)`), whether or not the text has raw HTML;
//! - writes an image that the site publishes in several widths (see
//!   [`crate::images`]) as a responsive `<img>`: `srcset`, `sizes`,
//!   `width`, `height`, `loading="lazy"` and `decoding="async"`; an image
//!   file that cannot be read is an error at the reference;
//! - turns GitHub-style alerts (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
//!   `[!WARNING]`, `[!CAUTION]`) into callouts: an `<aside role="note">`
//!   with a Dutch title (see `render::callout`).
//!
//! All ids can carry a prefix, so several chapters can share one print page
//! without clashing ids.
//!
//! This file holds the types and the entry point [`render`]; `render.rs`
//! the pass over the events, `headings.rs` heading ids and attributes,
//! `links.rs` link resolution, `sanitise.rs` what keeps script out.

use std::sync::Arc;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::images::{ImageProblem, Responsive};

mod headings;
mod links;
mod render;
mod sanitise;
#[cfg(test)]
mod tests;

use render::{RawHtml, render_with};

pub(crate) use headings::is_safe_name;
pub(crate) use links::link_href;

/// A heading of a rendered page, for tables of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// The result of rendering one Markdown text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rendered {
    pub html: String,
    /// `##` and `###` headings in order.
    pub toc: Vec<Heading>,
    /// Problems found while rendering (broken content links), already located.
    pub errors: Vec<Diagnostic>,
}

/// What a link to another content file leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkTarget {
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
pub(crate) trait Links: Sync {
    fn target(&self, rel: &str) -> LinkTarget;
    /// For a missing `rel`: the path of an existing file whose name differs
    /// only in case or by a typo, for a did-you-mean.
    fn similar(&self, _rel: &str) -> Option<String> {
        None
    }
    /// The image at `rel` as the site publishes it, in several widths;
    /// `None` for a file that is not resized (an SVG, a missing file, a
    /// resolver without images), which is linked as written.
    fn image(&self, _rel: &str) -> Option<Result<Arc<Responsive>, ImageProblem>> {
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

pub(crate) type LinkResolver<'a> = &'a dyn Links;

/// Where the Markdown text comes from, for link resolution and error locations.
pub(crate) struct Context<'a> {
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
    /// The theme's interface text (callout titles); `None`: Dutch.
    pub ui: Option<&'a crate::config::Strings>,
}

impl<'a> Context<'a> {
    /// A context for short Markdown fields with nothing to resolve
    /// (summaries, descriptions in YAML documents).
    pub(crate) fn plain(file: &'a std::path::Path) -> Self {
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
            ui: None,
        }
    }
}

/// The parser options every Markdown text is read with: for passes that
/// must see the text as rendering does (where the code spans are).
pub(crate) fn parser_options() -> pulldown_cmark::Options {
    render::options()
}

/// A link written outside Markdown's link syntax (the `doc` and `figure`
/// shortcodes) resolved exactly as `[..](dest)` (or `![..](dest)` with
/// `image`) would be in `cx`: its `href`, `Ok(None)` for a URL that could
/// run script, or the problem (message, hint) for the caller to locate.
pub(crate) fn resolve_href(
    dest: &str,
    image: bool,
    cx: &Context,
) -> Result<Option<String>, (String, Option<String>)> {
    let mut errors = Vec::new();
    let href = links::checked_dest(
        &pulldown_cmark::CowStr::Borrowed(dest),
        image,
        cx,
        "",
        0,
        &mut errors,
        &mut Vec::new(),
    )
    .map(|d| d.to_string());
    match errors.into_iter().next() {
        Some(e) => Err((e.message, e.hint)),
        None => Ok(href),
    }
}

/// The image `dest` (as written in `![..](dest)`, relative to the file in
/// `cx`) as the site publishes it in several widths, for places that
/// write their own `<img>` (the `figure` shortcode); `None` when it is not
/// resized (see [`Links::image`]).
pub(crate) fn responsive_image(
    dest: &str,
    cx: &Context,
) -> Option<Result<Arc<Responsive>, ImageProblem>> {
    let rel = links::image_rel(dest, cx)?;
    cx.resolve?.image(&rel)
}

/// Render Markdown to HTML. See the module docs for what is added.
pub(crate) fn render(text: &str, cx: &Context) -> Rendered {
    let out = render_with(text, cx, RawHtml::Sanitise);
    if out.raw_html_nested_too_deep {
        return render_with(text, cx, RawHtml::Escape).rendered;
    }
    out.rendered
}

/// How the footnotes of a rendered text begin (always at its end); the
/// `without_footnotes` and `footnotes` template filters split there.
pub(crate) const FOOTNOTES_START: &str = "<section class=\"footnotes\"";

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
