//! `serve` under load, on 127.0.0.1 only: 20,000 requests over 50
//! keep-alive connections while a content file changes every 100 ms.
//! Every request must get a whole, correct answer (zero failures), and the
//! process may not grow by more than `RSS_BOUND_MB` over the run.
//! Malformed and hostile requests are refused and do not disturb it.
//! (In the `load` binary, one test at a time, so the memory figures are
//! this test's alone.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common::{Fixture, http_get};

const CONNECTIONS: usize = 50;
const REQUESTS: usize = 20_000;
const RSS_BOUND_MB: u64 = 50;

/// Slowest answer (ms) and answers slower than a second, for the report.
static SLOWEST: AtomicUsize = AtomicUsize::new(0);
static SLOW: AtomicUsize = AtomicUsize::new(0);

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn site() -> Fixture {
    let mut f = Fixture::new()
        .file("content/over.md", "---\ntitle: Over\n---\nVersie 0.\n")
        .file("content/notas/_index.md", "---\ntitle: Nota's\n---\n");
    for i in 0..20 {
        f = f.file(
            &format!("content/notas/nota-{i}.md"),
            &format!("---\ntitle: Nota {i}\n---\n{}", "Tekst. ".repeat(200)),
        );
    }
    f
}

/// One response on a keep-alive connection: status and body.
fn read_response(reader: &mut BufReader<TcpStream>) -> std::io::Result<(u16, Vec<u8>)> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut length = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 {
            return Err(std::io::Error::other("closed in the head"));
        }
        if header == "\r\n" {
            break;
        }
        if let Some((k, v)) = header.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length.unwrap_or(0)];
    reader.read_exact(&mut body)?;
    Ok((status, body))
}

#[test]
fn twenty_thousand_requests_while_files_change() {
    let _alone = crate::one_at_a_time();
    let site = site();
    let running = site.serve();
    let addr = running.addr;
    // Warm up (allocator, thread pools) before the baseline.
    for _ in 0..200 {
        assert_eq!(http_get(addr, "/over/").0, 200);
    }
    let rss_before = rss_kb();

    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let path = site.root().join("content/over.md");
        std::thread::spawn(move || {
            let mut n = 0u32;
            while !stop.load(Ordering::SeqCst) {
                n += 1;
                // Write to a temporary name and rename, as editors do.
                let tmp = path.with_file_name(".over.md.tmp");
                std::fs::write(&tmp, format!("---\ntitle: Over\n---\nVersie {n}.\n")).unwrap();
                std::fs::rename(&tmp, &path).unwrap();
                std::thread::sleep(Duration::from_millis(100));
            }
            n
        })
    };

    let failures = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|c| {
            let failures = failures.clone();
            let done = done.clone();
            std::thread::spawn(move || client(addr, c, REQUESTS / CONNECTIONS, &failures, &done))
        })
        .collect();
    let mut errors = Vec::new();
    for c in clients {
        errors.extend(c.join().unwrap());
    }
    let took = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let writes = writer.join().unwrap();
    let versions = running.version();
    let rss_after = rss_kb();
    let done = done.load(Ordering::SeqCst);
    let failed = failures.load(Ordering::SeqCst);
    eprintln!(
        "load: {done} requests over {CONNECTIONS} connections in {took:.2?} ({:.0} req/s), {failed} failed; \
         slowest {} ms, {} over 1 s; {writes} file writes, {versions} builds; RSS {} MB -> {} MB",
        done as f64 / took.as_secs_f64(),
        SLOWEST.load(Ordering::SeqCst),
        SLOW.load(Ordering::SeqCst),
        rss_before / 1024,
        rss_after / 1024
    );
    assert_eq!(failed, 0, "failed requests:\n{}", errors.join("\n"));
    assert_eq!(done, REQUESTS);
    assert!(versions > 3, "the site was rebuilt only {versions} times");
    assert!(
        rss_after.saturating_sub(rss_before) < RSS_BOUND_MB * 1024,
        "memory grew from {} MB to {} MB",
        rss_before / 1024,
        rss_after / 1024
    );
    running.stop();
}

/// `n` requests on one keep-alive connection; returns what went wrong.
fn client(
    addr: SocketAddr,
    c: usize,
    n: usize,
    failures: &AtomicUsize,
    done: &AtomicUsize,
) -> Vec<String> {
    let paths = [
        "/over/",
        "/notas/",
        "/style.css",
        "/bestaat-niet/",
        "/notas",
    ];
    let mut errors = Vec::new();
    let connect = || {
        let s = TcpStream::connect(addr)?;
        s.set_read_timeout(Some(Duration::from_secs(20)))?;
        Ok::<_, std::io::Error>((s.try_clone()?, BufReader::new(s)))
    };
    let mut conn = connect().ok();
    for i in 0..n {
        let path = if i % 7 == 0 {
            format!("/notas/nota-{}/", (c + i) % 20)
        } else {
            paths[(c + i) % paths.len()].to_string()
        };
        let sent = Instant::now();
        let result = (|| {
            let (w, r) = match conn.as_mut() {
                Some(x) => x,
                None => {
                    conn = Some(connect()?);
                    conn.as_mut().unwrap()
                }
            };
            write!(w, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")?;
            read_response(r)
        })();
        let latency = sent.elapsed();
        SLOWEST.fetch_max(latency.as_millis() as usize, Ordering::SeqCst);
        if latency > Duration::from_secs(1) {
            SLOW.fetch_add(1, Ordering::SeqCst);
        }
        let ok = match &result {
            Ok((200, body)) if path.ends_with('/') => {
                let text = String::from_utf8_lossy(body);
                // A whole page of whichever build was current.
                text.contains("</html>") && (!path.starts_with("/over") || text.contains("Versie "))
            }
            Ok((200, body)) => !body.is_empty(),
            Ok((404, _)) => path == "/bestaat-niet/",
            Ok((301, _)) => path == "/notas",
            _ => false,
        };
        done.fetch_add(1, Ordering::SeqCst);
        if !ok {
            failures.fetch_add(1, Ordering::SeqCst);
            errors.push(format!("{path}: {:?}", result.map(|(s, b)| (s, b.len()))));
            conn = None;
        }
    }
    errors
}

/// Send raw bytes, read what comes back (until close or timeout).
fn raw(addr: SocketAddr, bytes: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = s.write_all(bytes);
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn malformed_and_hostile_requests_are_refused() {
    let _alone = crate::one_at_a_time();
    let site = site();
    std::fs::write(site.root().join("geheim.txt"), "NIET SERVEREN").unwrap();
    let running = site.serve();
    let addr = running.addr;
    let long = format!(
        "GET /{} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "a".repeat(100_000)
    );
    let huge_header = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: {}\r\n\r\n",
        "b".repeat(1_000_000)
    );
    let many_headers = format!("GET / HTTP/1.1\r\n{}\r\n", "X-A: b\r\n".repeat(100_000));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("garbage", b"\x00\x01\x02 hallo\r\n\r\n".to_vec()),
        ("no version", b"GET /\r\n\r\n".to_vec()),
        (
            "bad method",
            b"FOO / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        ),
        (
            "post",
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhallo".to_vec(),
        ),
        (
            "header without colon",
            b"GET / HTTP/1.1\r\nkapot\r\n\r\n".to_vec(),
        ),
        (
            "absolute url",
            b"GET http://127.0.0.1/../geheim.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        ),
        (
            "double slash",
            b"GET //geheim.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        ),
        (
            "dot dot",
            b"GET /../geheim.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        ),
        (
            "encoded dot dot",
            b"GET /%2e%2e/geheim.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        ),
        (
            "encoded slash",
            b"GET /..%2f..%2fgeheim.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        ),
        (
            "backslash",
            b"GET /..\\geheim.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        ),
        (
            "nul",
            b"GET /%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        ),
        (
            "not utf-8 path",
            b"GET /%ff%fe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        ),
        (
            "raw not utf-8 path",
            b"GET /\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        ),
        (
            "crlf in path",
            b"GET /notas%0d%0aX:%20y HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        ),
        ("long url", long.into_bytes()),
        ("huge header", huge_header.into_bytes()),
        ("many headers", many_headers.into_bytes()),
        (
            "huge content-length",
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999999999999\r\n\r\n"
                .to_vec(),
        ),
        ("half a request", b"GET / HT".to_vec()),
    ];
    for (name, bytes) in &cases {
        let answer = raw(addr, bytes);
        assert!(!answer.contains("NIET SERVEREN"), "{name}: leaked a file");
        let status = answer.split_whitespace().nth(1).unwrap_or("");
        assert!(
            answer.is_empty()
                || !status.starts_with('2')
                || matches!(
                    *name,
                    "huge header" | "many headers" | "huge content-length" | "no version"
                ),
            "{name}: {}",
            answer.lines().next().unwrap_or("")
        );
        // Still serving.
        assert_eq!(http_get(addr, "/over/").0, 200, "after {name}");
    }
    // Too many event streams get 503, not a thread each.
    let mut streams = Vec::new();
    for _ in 0..70 {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET /__g40site/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        streams.push(s);
    }
    let mut refused = 0;
    for s in &mut streams {
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut line = String::new();
        BufReader::new(&*s).read_line(&mut line).unwrap();
        if line.contains("503") {
            refused += 1;
        }
    }
    assert_eq!(refused, 70 - 64);
    drop(streams);
    assert_eq!(http_get(addr, "/over/").0, 200);
    running.stop();
}
