//! Util: slugs and the names of content files.
//!
//! A slug is one URL segment made from free text (`Pijler Sociaal` →
//! `pijler-sociaal`) or from a file name (`01-voorwoord.md` → `voorwoord`).
//! Parse uses these for ids and explicit `slug:` fields, Markdown for
//! heading and footnote ids, assembly for page URLs.

/// The longest slug made from a text (and allowed as an explicit slug or
/// id): with a `-NN` or `.ics` added it stays far below the 255 bytes of
/// a file name.
pub(crate) const MAX_SLUG_LEN: usize = 100;

/// A URL-safe id from free text (`Pijler Sociaal` → `pijler-sociaal`),
/// `fallback` when nothing of the text is left.
pub(crate) fn slug_or(text: &str, fallback: &str) -> String {
    if is_plain_slug(text) {
        // Already what `slugify` makes (most file names are): skip its
        // transliteration, which every page's URL would pay for.
        return text.to_string();
    }
    let mut s = slug::slugify(text);
    if s.len() > MAX_SLUG_LEN {
        // A slug becomes a file name (a session's `.ics`, a page's folder):
        // keep it well under the 255 bytes file systems allow. Slugs are
        // ASCII, so any byte is a character boundary.
        s.truncate(MAX_SLUG_LEN);
        s.truncate(s.trim_end_matches('-').len());
    }
    if s.is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

/// Lowercase ASCII letters and digits in runs joined by single dashes,
/// no longer than [`MAX_SLUG_LEN`]: a text `slugify` leaves as it is.
fn is_plain_slug(text: &str) -> bool {
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_SLUG_LEN
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
        && !text.contains("--")
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// The default URL segment of a file: its stem, without a leading `NN-`
/// ordering prefix, as a slug (spaces and accents become URL-safe).
pub(crate) fn default_slug(file_stem: &str) -> String {
    let stem = strip_order_prefix(file_stem);
    slug_or(stem, "pagina")
}

/// `01-voorwoord` → `voorwoord`; `2023-02-10-haarlem` stays as it is (a date
/// is not an order prefix).
pub(crate) fn strip_order_prefix(stem: &str) -> &str {
    let digits = stem.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits <= 3 && stem[digits..].starts_with('-') && stem.len() > digits + 1 {
        let rest = &stem[digits + 1..];
        // `2023-02-10-x`: four digits, not a prefix (already excluded by the
        // length check); `10-02-x` is rare enough to treat as a prefix.
        return rest;
    }
    stem
}

/// Check an explicit `slug`: one URL segment, nothing that could climb out
/// of its folder or the output folder. `Err` holds the slug the text would
/// make, for a hint.
pub(crate) fn validate_slug(slug: &str) -> Result<(), String> {
    let ok = !slug.is_empty()
        && slug.len() <= MAX_SLUG_LEN
        && slug != "."
        && slug != ".."
        && slug.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_' || c == '.'
        })
        && !slug.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(slug_or(slug, "pagina"))
    }
}

/// The file name without its extension, of a path relative to `content/`:
/// `netwerkdagen/2023-02-10-haarlem.yaml` → `2023-02-10-haarlem`.
pub(crate) fn file_stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map(|x| x.0).unwrap_or(name)
}

/// The folder of a path relative to `content/` (`""` for the top):
/// `jaarverslag/2023/01-voorwoord.md` → `jaarverslag/2023`.
pub(crate) fn folder(rel: &str) -> &str {
    rel.rsplit_once('/').map(|x| x.0).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_slugs_are_taken_as_slugify_would_make_them() {
        for text in [
            "pagina-00000",
            "a",
            "2023-02-10-haarlem",
            "a--b",
            "-a",
            "a-",
            "Ab",
            "a_b",
            "é",
            "a b",
            "",
            &"x".repeat(101),
        ] {
            let want = match slug::slugify(text) {
                s if s.is_empty() => "pagina".to_string(),
                s if s.len() > MAX_SLUG_LEN => s[..MAX_SLUG_LEN].trim_end_matches('-').to_string(),
                s => s,
            };
            assert_eq!(slug_or(text, "pagina"), want, "{text}");
        }
        assert!(is_plain_slug("pagina-00000") && !is_plain_slug("a--b") && !is_plain_slug("Ab"));
    }

    #[test]
    fn slugs_from_text() {
        assert_eq!(slug_or("Pijler Sociaal", "x"), "pijler-sociaal");
        assert_eq!(slug_or("Zoë én Ünal", "x"), "zoe-en-unal");
        assert_eq!(slug_or("!!!", "sessie"), "sessie");
        let long = slug_or(&"ab ".repeat(100), "x");
        assert!(long.len() <= MAX_SLUG_LEN && !long.ends_with('-'), "{long}");
    }

    #[test]
    fn order_prefix_and_slugs() {
        assert_eq!(default_slug("01-voorwoord"), "voorwoord");
        assert_eq!(default_slug("2023-02-10-haarlem"), "2023-02-10-haarlem");
        assert_eq!(default_slug("Mijn pagina é"), "mijn-pagina-e");
        assert_eq!(strip_order_prefix("7-x"), "x");
        assert_eq!(strip_order_prefix("01-"), "01-");
        assert_eq!(strip_order_prefix("voorwoord"), "voorwoord");
        assert!(validate_slug("../../etc").is_err());
        assert!(validate_slug("a/b").is_err());
        assert!(validate_slug(".verborgen").is_err());
        assert_eq!(validate_slug("Met Spatie"), Err("met-spatie".into()));
        assert!(validate_slug("jaarverslag-2023").is_ok());
    }

    #[test]
    fn stems_and_folders_of_content_paths() {
        assert_eq!(
            file_stem("netwerkdagen/2023-02-10-haarlem.yaml"),
            "2023-02-10-haarlem"
        );
        assert_eq!(file_stem("functies.yaml"), "functies");
        assert_eq!(file_stem("a/b.c/README"), "README");
        assert_eq!(file_stem("a/x.tar.gz"), "x.tar");
        assert_eq!(
            folder("jaarverslag/2023/01-voorwoord.md"),
            "jaarverslag/2023"
        );
        assert_eq!(folder("index.md"), "");
    }
}
