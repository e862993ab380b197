//! `sitemap.xml` and `robots.txt`, generated from the site graph. Every
//! value is escaped for its format (XML text; one line of `robots.txt`
//! with no control characters), although `base_url` is validated already
//! (see [`crate::config::check_base_url`]).

use crate::site::Site;

/// Every public HTML page (not print pages or the 404), sorted by URL.
pub(crate) fn sitemap(site: &Site) -> String {
    let base = site.config.base_url_trimmed();
    let strip = |url: &str| {
        url.strip_prefix(site.base_path.as_str())
            .unwrap_or(url)
            .to_string()
    };
    let mut entries: Vec<(String, Option<String>)> = site
        .pages
        .iter()
        .map(|p| (strip(&p.url), p.date.map(|d| d.iso())))
        .collect();
    for set in &site.role_sets {
        // The overview is one of the pages; its roles are not.
        let lastmod = set.date.map(|d| d.iso());
        for role in &set.roles {
            entries.push((strip(&role.url), lastmod.clone()));
        }
    }
    for t in site.pijlers.iter().chain(&site.themagroepen) {
        entries.push((strip(&t.url), None));
    }
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&super::programme::schedule::escape_xml(&format!(
            "{base}{path}"
        )));
        xml.push_str("</loc>\n");
        if let Some(d) = lastmod {
            xml.push_str(&format!("    <lastmod>{d}</lastmod>\n"));
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
