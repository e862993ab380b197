//! Render: a report's pages (index, chapters) and its print page.
//!
//! [`ReportView`] is what the report's templates see as `report` (title,
//! chapters with their tables of contents); a chapter also gets its number
//! and the pages before and after it. The print page holds every chapter,
//! rendered with prefixed ids (see `site::report`).

use std::collections::HashMap;

use serde::Serialize;
use tera::Context;

use super::Job;
use crate::dates::Date;
use crate::markdown::Heading;
use crate::site::urls::print_chapter_id;
use crate::site::{Page, PageRef, Report, Site, page_ref};

/// A report as its pages see it.
#[derive(Serialize)]
struct ReportView<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    year: Option<i32>,
    url: &'a str,
    print_url: &'a str,
    published: Option<Date>,
    chapters: Vec<ChapterEntry<'a>>,
}

#[derive(Serialize)]
struct ChapterEntry<'a> {
    number: usize,
    title: &'a str,
    url: &'a str,
    summary: Option<&'a str>,
    toc: &'a [Heading],
}

/// A chapter on the print page.
#[derive(Serialize)]
struct PrintChapter<'a> {
    number: usize,
    id: String,
    page: &'a Page,
    content: &'a str,
    toc: &'a [Heading],
    /// The PDF page the chapter starts on (second pass of the PDF export).
    pdf_page: Option<usize>,
}

fn report_view<'a>(site: &'a Site, report: &'a Report) -> ReportView<'a> {
    let index = &site.pages[report.index];
    ReportView {
        title: &index.title,
        subtitle: index.subtitle.as_deref(),
        year: index.year,
        url: &index.url,
        print_url: &report.print_url,
        published: index.published,
        chapters: report
            .chapters
            .iter()
            .enumerate()
            .map(|(n, &c)| {
                let p = &site.pages[c];
                ChapterEntry {
                    number: n + 1,
                    title: &p.title,
                    url: &p.url,
                    summary: p.summary.as_deref(),
                    toc: &p.toc,
                }
            })
            .collect(),
    }
}

/// The context of the report's index page.
pub(super) fn index_context(site: &Site, report: usize, context: &mut Context) {
    context.insert("report", &report_view(site, &site.reports[report]));
}

/// The context of chapter `position` of a report: the report, the
/// chapter's number, and the pages before and after it (the report's
/// index before the first chapter).
pub(super) fn chapter_context(site: &Site, report: usize, position: usize, context: &mut Context) {
    let report = &site.reports[report];
    let prev: Option<PageRef> = position
        .checked_sub(1)
        .map(|p| page_ref(&site.pages[report.chapters[p]]))
        .or_else(|| Some(page_ref(&site.pages[report.index])));
    let next: Option<PageRef> = report
        .chapters
        .get(position + 1)
        .map(|&c| page_ref(&site.pages[c]));
    context.insert("chapter_number", &Some(position + 1));
    context.insert("report", &report_view(site, report));
    context.insert("prev", &prev);
    context.insert("next", &next);
}

/// The id each chapter of a report has on its print page.
pub(super) fn print_chapter_ids(site: &Site, report: usize) -> Vec<String> {
    site.reports[report]
        .chapters
        .iter()
        .map(|&c| print_chapter_id(&site.pages[c].file_stem))
        .collect()
}

pub(super) fn print_job(
    site: &Site,
    report: &Report,
    pdf_pages: Option<&HashMap<String, usize>>,
) -> Job {
    let index = &site.pages[report.index];
    let chapters: Vec<PrintChapter> = report
        .chapters
        .iter()
        .zip(&report.print_chapters)
        .enumerate()
        .map(|(n, (&c, (html, toc)))| {
            let id = print_chapter_id(&site.pages[c].file_stem);
            PrintChapter {
                number: n + 1,
                pdf_page: pdf_pages.and_then(|p| p.get(&id).copied()),
                id,
                page: &site.pages[c],
                content: html,
                toc,
            }
        })
        .collect();
    let mut context = Context::new();
    context.insert("page", index);
    context.insert("report", &report_view(site, report));
    context.insert("chapters", &chapters);
    Job::new(
        site,
        "report_print.html",
        &report.print_url,
        context,
        format!("the print page of content/{}", index.source),
    )
}
