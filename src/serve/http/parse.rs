//! Serve (HTTP): reading a request head, bounded by [`MAX_HEAD`] and
//! [`MAX_HEADERS`]; anything the server will not answer is a status code.

use super::{MAX_HEAD, MAX_HEADERS, Request};

/// The length of the request head at the start of `input`, with its blank line.
pub(super) fn head_end(input: &[u8]) -> Option<usize> {
    memchr::memmem::find(&input[..input.len().min(MAX_HEAD + 4)], b"\r\n\r\n").map(|i| i + 4)
}

pub(super) struct Parsed<'a> {
    pub(super) request: Request<'a>,
    pub(super) keep_alive: bool,
}

/// Parse a request head; `Err(status)` for one that cannot be answered.
pub(super) fn parse(head: &[u8]) -> Result<Parsed<'_>, u16> {
    let text = std::str::from_utf8(head).map_err(|_| 400u16)?;
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(400);
    }
    if target.is_empty() || target.bytes().any(|b| b.is_ascii_control()) {
        return Err(400);
    }
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        v if v.starts_with("HTTP/") => return Err(505),
        _ => return Err(400),
    };
    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            continue;
        }
        if headers.len() == MAX_HEADERS {
            return Err(431);
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(400);
        };
        // No folded lines, no space before the colon (request smuggling).
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(400);
        }
        headers.push((name, value.trim()));
    }
    let request = Request {
        method,
        target,
        headers,
    };
    let connection = request
        .header("Connection")
        .unwrap_or("")
        .to_ascii_lowercase();
    let keep_alive = if http10 {
        connection.contains("keep-alive")
    } else {
        !connection.contains("close")
    };
    Ok(Parsed {
        request,
        keep_alive,
    })
}

pub(super) fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_request_heads() {
        let p = parse(b"GET /a/?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .ok()
            .unwrap();
        assert_eq!(p.request.method, "GET");
        assert_eq!(p.request.target, "/a/?x=1");
        assert_eq!(p.request.header("host"), Some("localhost"));
        assert!(!p.keep_alive);
        assert!(parse(b"GET / HTTP/1.1\r\n\r\n").ok().unwrap().keep_alive);
        assert!(!parse(b"GET / HTTP/1.0\r\n\r\n").ok().unwrap().keep_alive);
        for (bad, status) in [
            (&b"GET /\r\n\r\n"[..], 400),
            (b"GET / HTTP/2.0\r\n\r\n", 505),
            (b"GET / HTTP/1.1\r\nkapot\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\n folded: x\r\n\r\n", 400),
            (b"GET /\xff HTTP/1.1\r\n\r\n", 400),
            (b"get / HTTP/1.1\r\n\r\n", 400),
        ] {
            assert_eq!(
                parse(bad).err(),
                Some(status),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X-A: b\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(parse(many.as_bytes()).err(), Some(431));
    }
}
