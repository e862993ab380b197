//! Util: URL helpers (percent encoding, request paths, hosts).
//!
//! Used by assembly (generated URLs), Markdown (links written with `%XX`),
//! `check` and the servers (request paths), the calendar export (hosts).

/// Map a request path to a key of the built site, or `None` for paths that
/// try to climb out (`..`, also percent-encoded), contain NUL or a backslash.
pub(crate) fn site_path(raw: &str) -> Option<String> {
    let decoded = percent_decode(raw)?;
    if decoded.contains('\0') || decoded.contains('\\') || !decoded.starts_with('/') {
        return None;
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => segments.push(s),
        }
    }
    let mut path = segments.join("/");
    if decoded.ends_with('/') || path.is_empty() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// Decode `%XX` escapes; `None` for malformed escapes or non-UTF-8 results.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encode everything in a URL path but letters, digits and
/// `/-_.~`: safe in an `href`, a `src` and a `Location` header alike.
pub(crate) fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The host of a URL as written, for names made from the site's own
/// (validated) `base_url`: `https://www.g40stedennetwerk.nl/x` →
/// `www.g40stedennetwerk.nl`. The text after `://` (all of it without a
/// scheme) up to the first `/` or `:`; case and `www.` are kept.
pub(crate) fn host(url: &str) -> &str {
    let rest = url.split_once("://").map(|x| x.1).unwrap_or(url);
    rest.split(['/', ':']).next().unwrap_or(rest)
}

/// The host of an absolute `http(s)` URL, for comparing sites: lowercased,
/// without `www.`, port or user info (`https://www.G40.nl:443/a` →
/// `g40.nl`). `None` for other URLs.
pub(crate) fn host_of(url: &str) -> Option<String> {
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

/// The `Content-Type` of a file served at `path`, by its extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "application/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_into_the_site_or_are_refused() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/jaarverslag/2023/").as_deref(),
            Some("jaarverslag/2023/index.html")
        );
        assert_eq!(site_path("/style.css").as_deref(), Some("style.css"));
        assert_eq!(site_path("/caf%C3%A9/").as_deref(), Some("café/index.html"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/a\\..\\b",
            "/%00",
            "/%zz",
            "etc",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn percent_decoding_refuses_broken_escapes() {
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("caf%C3%A9").as_deref(), Some("café"));
        assert_eq!(percent_decode("plain").as_deref(), Some("plain"));
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%FF"), None, "not UTF-8");
    }

    #[test]
    fn redirect_locations_are_header_safe() {
        assert_eq!(percent_encode("/café/"), "/caf%C3%A9/");
        assert_eq!(percent_encode("/a b\r\nX: y/"), "/a%20b%0D%0AX%3A%20y/");
        assert_eq!(percent_encode("/a-b_c.d~e/"), "/a-b_c.d~e/");
        assert_eq!(
            site_path(&percent_encode("/café/")).as_deref(),
            Some("café/index.html")
        );
    }

    #[test]
    fn hosts_as_written() {
        assert_eq!(
            host("https://www.g40stedennetwerk.nl/x"),
            "www.g40stedennetwerk.nl"
        );
        assert_eq!(host("http://localhost:8080/"), "localhost");
        assert_eq!(host("example.nl/a"), "example.nl");
    }

    #[test]
    fn hosts_for_comparing_sites() {
        assert_eq!(
            host_of("HTTP://user@WWW.Example.nl:8080/x"),
            Some("example.nl".into())
        );
        assert_eq!(host_of("https://vng.nl?x"), Some("vng.nl".into()));
        assert_eq!(host_of("/a/"), None);
        assert_eq!(host_of("mailto:a@b.nl"), None);
        assert_eq!(host_of("https://"), None);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("x/programma.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type("schedule.json"), "application/json");
    }
}
