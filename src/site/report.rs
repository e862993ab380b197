//! Assemble: reports (jaarverslagen) and their chapters.
//!
//! A report is a folder whose `_index.md` has `kind: report`; every other
//! page in it is a chapter ([`super::pages::settle_kinds`]). Here chapters
//! are put in reading order and rendered a second time for the print page,
//! where all chapters share one document and so need prefixed ids.

use std::collections::HashMap;

use super::urls::{print_chapter_prefix, print_url};
use super::{Assembly, Page};
use crate::document::{Document, Kind};
use crate::markdown::Heading;

/// A report: its index page, its chapters in order, and its print page.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    /// Index into [`super::Site::pages`] of the report's `_index.md`.
    pub index: usize,
    /// Indexes into [`super::Site::pages`], in reading order.
    pub chapters: Vec<usize>,
    /// Each chapter's HTML rendered again with ids prefixed for the print
    /// page (where all chapters share one document).
    pub print_chapters: Vec<(String, Vec<Heading>)>,
    pub print_url: String,
}

/// Every report of `pages` (sorted by URL), chapters by weight then file
/// name.
pub(super) fn reports(
    ax: &Assembly,
    pages: &[std::sync::Arc<Page>],
    docs: &[Document],
) -> Vec<Report> {
    let doc_of: HashMap<&str, &Document> = docs.iter().map(|d| (d.rel.as_str(), d)).collect();
    let mut reports = Vec::new();
    for (i, p) in pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == Kind::Report)
    {
        let mut chapters: Vec<usize> = pages
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == Kind::Chapter && c.folder == p.folder)
            .map(|(j, _)| j)
            .collect();
        chapters.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            a.weight
                .unwrap_or(i64::MAX)
                .cmp(&b.weight.unwrap_or(i64::MAX))
                .then_with(|| a.source.cmp(&b.source))
        });
        let print_chapters = chapters
            .iter()
            .map(|&c| print_chapter(ax, doc_of[pages[c].source.as_str()], &pages[c].file_stem))
            .collect();
        reports.push(Report {
            index: i,
            chapters,
            print_chapters,
            print_url: print_url(&p.url),
        });
    }
    reports
}

/// A report chapter rendered for the print page: ids prefixed with the
/// chapter's slug and headings one level down, below the chapter title.
pub(super) fn print_chapter(
    ax: &Assembly,
    doc: &Document,
    file_stem: &str,
) -> (String, Vec<Heading>) {
    let prefix = print_chapter_prefix(file_stem);
    let r = super::shortcodes::render_body(ax, doc, &prefix, 1);
    // The print page is printed whole: no image waits to be scrolled to.
    (crate::images::eager_all(&r.html), r.toc)
}
