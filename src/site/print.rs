//! Assemble: what `build --pdf` prints, decided once.
//!
//! The kinds whose registry row has `print` get a PDF link on their page
//! ([`set_pdf_urls`]); [`Site::print_documents`] lists what Chromium prints
//! for each: the print page of a report, programme or role set, or a
//! note's own page.

use super::urls::pdf_url;
use super::{Page, PageModel, Site};

/// A document printed to PDF by `build --pdf`.
#[derive(Debug, Clone)]
pub(crate) struct PrintDocument {
    /// Index into [`Site::pages`] of the page that links to the PDF.
    pub page: usize,
    /// The page Chromium prints (the print page, or a note itself).
    pub print_url: String,
    pub pdf_url: String,
    /// For a report: its index in [`Site::reports`] (the table of contents
    /// gets page numbers).
    pub report: Option<usize>,
}

/// Give every page of a printed kind its [`Page::pdf_url`].
pub(super) fn set_pdf_urls(pages: &mut [std::sync::Arc<Page>]) {
    for p in pages.iter_mut() {
        if p.kind.info().print.is_some() {
            // Copied where `serve`'s cache shares the page (`serve` makes
            // no PDFs unless asked).
            std::sync::Arc::make_mut(p).pdf_url = Some(pdf_url(&p.url, p.kind));
        }
    }
}

impl Site {
    /// Everything `build --pdf` prints: each report, programme and role
    /// set (their print pages) and each note (its own page), in URL order.
    /// Empty unless the site was assembled with
    /// [`super::AssembleOptions::pdf`].
    pub(crate) fn print_documents(&self) -> Vec<PrintDocument> {
        let mut docs = Vec::new();
        for (i, p) in self.pages.iter().enumerate() {
            let Some(pdf_url) = &p.pdf_url else { continue };
            let (print_url, report) = match self.model(i) {
                PageModel::Report(r) => (self.reports[r].print_url.clone(), Some(r)),
                PageModel::Programme(d) => (self.programmes[d].print_url.clone(), None),
                PageModel::Roles(s) => (self.role_sets[s].print_url.clone(), None),
                PageModel::Note => (p.url.clone(), None),
                // Not printed (their registry rows have no `print`).
                PageModel::Page | PageModel::Section | PageModel::Chapter { .. } => continue,
            };
            docs.push(PrintDocument {
                page: i,
                print_url,
                pdf_url: pdf_url.clone(),
                report,
            });
        }
        docs
    }
}
