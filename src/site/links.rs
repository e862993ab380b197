//! Assemble: the table Markdown resolves links between files with.
//!
//! Every document and asset has an entry (its URL) by its path relative
//! to `content/`; documents that exist but have no page in this build
//! (drafts, files with errors) are listed too, so a link to one says why
//! instead of "no such file".

use std::collections::HashMap;

use crate::markdown;

/// Why a document that exists has no page in this build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unpublished {
    /// `draft: true`, in the file named (its own, or the `_index.md` of
    /// a draft report or section it is in).
    Draft(String),
    /// It has errors, reported for that file.
    Unreadable,
}

/// The links of a site being assembled: [`super::Site::links`] and
/// [`super::Site::unpublished`], as Markdown resolves them.
pub(crate) struct LinkTable<'a> {
    pub urls: &'a HashMap<String, String>,
    pub unpublished: &'a HashMap<String, Unpublished>,
    /// The build's images, resized at their first use; `None`: images are
    /// linked as written (serve's fast path, which rebuilds in full for a
    /// body with images).
    pub images: Option<&'a crate::images::Processor<'a>>,
}

impl markdown::Links for LinkTable<'_> {
    fn target(&self, rel: &str) -> markdown::LinkTarget {
        use markdown::LinkTarget;
        match (self.urls.get(rel), self.unpublished.get(rel)) {
            (Some(url), _) => LinkTarget::Url(url.clone()),
            (None, Some(Unpublished::Draft(by))) => LinkTarget::Draft(by.clone()),
            (None, Some(Unpublished::Unreadable)) => LinkTarget::Unreadable,
            (None, None) => LinkTarget::Missing,
        }
    }

    fn image(
        &self,
        rel: &str,
    ) -> Option<Result<std::sync::Arc<crate::images::Responsive>, crate::images::ImageProblem>>
    {
        self.images?.get(rel)
    }

    /// A file in the same folder whose name differs only in case, else
    /// the closest name there (see [`crate::diagnostics::nearest`]).
    fn similar(&self, rel: &str) -> Option<String> {
        let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let in_folder: Vec<&str> = self
            .urls
            .keys()
            .chain(self.unpublished.keys())
            .map(String::as_str)
            .filter(|k| k.rsplit_once('/').map_or("", |(f, _)| f) == folder)
            .collect();
        let name_of = |k: &str| k.rsplit_once('/').map_or(k, |(_, n)| n).to_string();
        if let Some(k) = in_folder
            .iter()
            .filter(|k| name_of(k).to_lowercase() == name.to_lowercase())
            .min()
        {
            return Some(k.to_string());
        }
        let names: Vec<String> = in_folder.iter().map(|k| name_of(k)).collect();
        let best = crate::diagnostics::nearest(name, names.iter().map(String::as_str))?;
        in_folder
            .into_iter()
            .find(|k| name_of(k) == best)
            .map(str::to_string)
    }
}
