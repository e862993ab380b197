//! Assemble, again for one file: `serve`'s fast path.
//!
//! An edit that leaves a Markdown file's front matter alone changes only
//! that page's body: listings, menus and taxonomy pages show front matter
//! (and report tables of contents), so the page is rendered again in the
//! assembled site instead of assembling everything.

use super::report::print_chapter;
use super::taxonomy::References;
use super::{Assembly, LinkTable, Site};
use crate::diagnostics::Diagnostic;
use crate::document::Document;
use crate::source::SourceFile;

/// A hash of a document's front matter, to tell body-only edits.
pub(super) fn front_matter_hash(d: &Document) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    d.text[..d.body_start].hash(&mut h);
    h.finish()
}

/// What [`Site::update_body`] did.
#[derive(Debug)]
pub(crate) enum BodyUpdate {
    /// The page's body was rendered again: page index, and the report it
    /// is a chapter of (whose index and print page list its headings).
    Updated { page: usize, report: Option<usize> },
    /// Not a body-only edit of a known Markdown page: rebuild everything.
    NotApplicable,
    /// The new text has errors (e.g. a broken link); the site is unchanged.
    Failed(Vec<Diagnostic>),
}

impl Site {
    /// The fast path of `serve`: a Markdown file changed but its front
    /// matter did not, so only this page, and the report it belongs to,
    /// need rendering again.
    pub(crate) fn update_body(&mut self, file: &SourceFile) -> BodyUpdate {
        let Ok(mut doc) = crate::document::parse_markdown_with(file, &self.config.taxonomies)
        else {
            return BodyUpdate::NotApplicable;
        };
        if self.front_matter.get(&file.rel) != Some(&front_matter_hash(&doc)) {
            return BodyUpdate::NotApplicable;
        }
        // Shortcodes need the theme's templates, and images the build's
        // image processor, which only a full build has.
        if super::shortcodes::has_call_start(doc.body()) || doc.body().contains("![") {
            return BodyUpdate::NotApplicable;
        }
        let Some(index) = self.pages.iter().position(|p| p.source == file.rel) else {
            return BodyUpdate::NotApplicable;
        };
        let old = &self.pages[index];
        // A dated page's body can be in a feed (as its content): the feed
        // is rendered with the whole site, so rebuild it all.
        let in_feed = old.date.is_some()
            && (self.config.feed
                || self.pages.iter().any(|s| {
                    self.listing(s).feed
                        && self.section_pages(s).iter().any(|p| p.source == old.source)
                }));
        if in_feed {
            return BodyUpdate::NotApplicable;
        }
        doc.kind = old.kind;
        let path = old
            .url
            .strip_prefix(self.base_path.as_str())
            .unwrap_or(&old.url)
            .to_string();
        let refs = References::new(
            &self.data,
            &self.base_path,
            &self.config.taxonomies,
            &self.config.ui,
        );
        let links = LinkTable {
            urls: &self.links,
            unpublished: &self.unpublished,
            images: None,
        };
        let ax = Assembly {
            base_path: &self.base_path,
            base_url: self.config.base_url_trimmed(),
            refs: &refs,
            links: &links,
            unsafe_html: self.config.markdown.unsafe_html,
            today: None,
            data: &self.data,
            networkdays: &[],
            shortcodes: None,
            ui: &self.config.ui,
        };
        let (mut page, errors) = super::pages::build_page(&ax, &doc, &path);
        if errors.iter().any(|e| !e.is_warning()) {
            return BodyUpdate::Failed(errors.into_iter().filter(|e| !e.is_warning()).collect());
        }
        // What assembly adds after building a page stays as it was.
        page.upcoming = old.upcoming;
        page.pdf_url = old.pdf_url.clone();
        let report = self
            .reports
            .iter()
            .position(|r| r.chapters.contains(&index));
        if let Some(r) = report {
            let n = self.reports[r]
                .chapters
                .iter()
                .position(|&c| c == index)
                .expect("chapter of its report");
            self.reports[r].print_chapters[n] = print_chapter(&ax, &doc, &page.file_stem);
        }
        self.pages[index] = page;
        BodyUpdate::Updated {
            page: index,
            report,
        }
    }
}
