//! `sitemap.xml` and `robots.txt`, generated from the site graph. Every
//! value is escaped for its format (XML text; one line of `robots.txt`
//! with no control characters), although `base_url` is validated already
//! (see [`crate::config::check_base_url`]).

use crate::site::Site;

/// Every public HTML page (not print pages or the 404), sorted by URL.
pub(crate) fn sitemap<'a>(site: &'a Site) -> String {
    let base = site.config.base_url_trimmed();
    let strip = |url: &'a str| url.strip_prefix(site.base_path.as_str()).unwrap_or(url);
    // Borrowed, not copied: `serve` makes the sitemap after every edit.
    let mut entries: Vec<(&str, Option<crate::dates::Date>)> =
        site.pages.iter().map(|p| (strip(&p.url), p.date)).collect();
    for set in &site.role_sets {
        // The overview is one of the pages; its roles are not.
        for role in &set.roles {
            entries.push((strip(&role.url), set.date));
        }
    }
    for t in site.pijlers.iter().chain(&site.themagroepen) {
        entries.push((strip(&t.url), None));
    }
    // A path is listed once (one writer per file), so by path alone.
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let base = super::programme::schedule::escape_xml(base);
    let mut xml = String::with_capacity(128 + entries.len() * 96);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&base);
        xml.push_str(&super::programme::schedule::escape_xml(path));
        xml.push_str("</loc>\n");
        if let Some(d) = lastmod {
            xml.push_str("    <lastmod>");
            xml.push_str(&d.iso());
            xml.push_str("</lastmod>\n");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub(crate) fn robots(site: &Site) -> String {
    let base: String = site
        .config
        .base_url_trimmed()
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    format!("User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n")
}
