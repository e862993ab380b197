//! `g40site serve` against hostile clients (issue 13), on 127.0.0.1 only:
//! oversized request heads, request bodies, floods of idle and half-open
//! connections. The real binary runs in the site folder; its memory and
//! thread count are read from /proc, so the figures are the server's own.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::common::Fixture;
use crate::common::serve_bin::Served;

fn site() -> Fixture {
    Fixture::new().file("content/over.md", "---\ntitle: Over\n---\nVersie 0.\n")
}

/// Send `bytes` (ignoring a reset while sending), read the status line.
fn status_of(addr: SocketAddr, bytes: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.write_all(bytes);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    text.lines().next().unwrap_or("").to_string()
}

fn header_of(size: usize) -> Vec<u8> {
    format!(
        "GET /over/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Groot: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(size)
    )
    .into_bytes()
}

/// `VmRSS` (kB) and `Threads` of a process, from /proc.
#[cfg(target_os = "linux")]
fn rss_and_threads(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in /proc/{pid}/status"))
    };
    (field("VmRSS:"), field("Threads:"))
}

#[cfg(target_os = "linux")]
fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

#[test]
fn oversized_heads_and_bodies_are_refused() {
    let _alone = crate::one_at_a_time();
    let site = site();
    let served = Served::start(site.root(), &[]);
    let addr = served.addr;
    // An ordinary big header (cookies, long referrers) is fine.
    let line = status_of(addr, &header_of(8 * 1024));
    assert!(line.contains(" 200 "), "8 kB header: {line}");
    for size in [20 * 1024, 1024 * 1024, 10 * 1024 * 1024] {
        let line = status_of(addr, &header_of(size));
        assert!(line.contains(" 431 "), "{size} byte header: {line}");
    }
    let long_url = format!(
        "GET /{} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "a".repeat(100_000)
    );
    let line = status_of(addr, long_url.as_bytes());
    assert!(line.contains(" 414 "), "100 kB URL: {line}");
    let many = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{}\r\n",
        "X-A: b\r\n".repeat(200)
    );
    let line = status_of(addr, many.as_bytes());
    assert!(line.contains(" 431 "), "200 headers: {line}");
    // No request bodies: a GET with one, a POST.
    let line = status_of(
        addr,
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999\r\n\r\nxx",
    );
    assert!(line.contains(" 413 "), "GET with a body: {line}");
    let line = status_of(
        addr,
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhallo\r\n0\r\n\r\n",
    );
    assert!(line.contains(" 413 "), "chunked GET: {line}");
    let line = status_of(
        addr,
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhallo",
    );
    assert!(line.contains(" 405 "), "POST: {line}");
    // Still answering.
    assert_eq!(served.get("/over/").0, 200);
}

/// Twenty clients each sending a 10 MB header at once: all refused, and
/// the server's memory stays where it was.
#[cfg(target_os = "linux")]
#[test]
fn concurrent_huge_headers_do_not_grow_memory() {
    let _alone = crate::one_at_a_time();
    let site = site();
    let served = Served::start(site.root(), &[]);
    let addr = served.addr;
    for _ in 0..50 {
        assert_eq!(served.get("/over/").0, 200);
    }
    let (rss_before, _) = rss_and_threads(served.pid());
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(rss_before));
    let watching = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let (peak, watching, pid) = (peak.clone(), watching.clone(), served.pid());
        std::thread::spawn(move || {
            while watching.load(std::sync::atomic::Ordering::SeqCst) {
                peak.fetch_max(rss_and_threads(pid).0, std::sync::atomic::Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let clients: Vec<_> = (0..20)
        .map(|_| std::thread::spawn(move || status_of(addr, &header_of(10 * 1024 * 1024))))
        .collect();
    for c in clients {
        let line = c.join().unwrap();
        assert!(line.contains(" 431 "), "10 MB header: {line}");
    }
    watching.store(false, std::sync::atomic::Ordering::SeqCst);
    sampler.join().unwrap();
    let peak = peak.load(std::sync::atomic::Ordering::SeqCst);
    eprintln!(
        "20 x 10 MB headers: server RSS {} kB before, peak {} kB",
        rss_before, peak
    );
    assert!(
        peak < rss_before + 20 * 1024,
        "server memory grew from {rss_before} kB to {peak} kB"
    );
    assert_eq!(served.get("/over/").0, 200);
}

/// Let this process open a few thousand sockets (the soft limit is often
/// 1,024); the server child inherits the raised limit.
#[cfg(target_os = "linux")]
fn raise_fd_limit(want: u64) -> u64 {
    // SAFETY: getrlimit/setrlimit read and write only the struct passed.
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim), 0);
        if lim.rlim_cur < want {
            lim.rlim_cur = want.min(lim.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim);
        }
        lim.rlim_cur
    }
}

/// 2,000 idle connections, half of them half-open (a partial request
/// head, then silence): the server's threads and memory stay bounded, it
/// keeps answering, and it closes the idle connections after its idle
/// timeout (10 s).
#[cfg(target_os = "linux")]
#[test]
fn two_thousand_idle_connections_are_bounded_and_timed_out() {
    let _alone = crate::one_at_a_time();
    const IDLE: usize = 2000;
    let limit = raise_fd_limit(IDLE as u64 + 512);
    assert!(
        limit >= IDLE as u64 + 100,
        "cannot open {IDLE} sockets: file descriptor limit {limit}"
    );
    let site = site();
    let served = Served::start(site.root(), &[]);
    let addr = served.addr;
    let pid = served.pid();
    for _ in 0..50 {
        assert_eq!(served.get("/over/").0, 200);
    }
    let (rss_before, threads_before) = rss_and_threads(pid);

    let started = Instant::now();
    let mut idle = Vec::with_capacity(IDLE);
    for i in 0..IDLE {
        let mut s = TcpStream::connect(addr).expect("connect");
        if i % 2 == 1 {
            s.write_all(b"GET /over/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ")
                .unwrap();
        }
        idle.push(s);
    }
    // Give the server a moment to take them all in.
    std::thread::sleep(Duration::from_millis(500));
    let (rss_during, threads_during) = rss_and_threads(pid);
    let fds = open_fds(pid);
    // It still answers while they are open.
    let answered = Instant::now();
    let (status, _, body) = served.get("/over/");
    let latency = answered.elapsed();
    eprintln!(
        "{IDLE} idle connections: server threads {threads_before} -> {threads_during}, \
         RSS {rss_before} kB -> {rss_during} kB, {fds} open fds; a page in {latency:?}"
    );
    assert_eq!(status, 200);
    assert!(body.contains("Versie 0."));
    assert!(latency < Duration::from_secs(1), "answered in {latency:?}");
    assert!(
        threads_during <= threads_before + 2 && threads_during <= 16,
        "threads: {threads_before} -> {threads_during}"
    );
    assert!(
        rss_during < rss_before + 20 * 1024,
        "memory: {rss_before} kB -> {rss_during} kB"
    );
    assert!(fds <= 1024 + 64, "{fds} open file descriptors");

    // After the idle timeout every one of them has been closed by the
    // server (read gives end of file or a reset, not a timeout).
    let wait = Duration::from_secs(12).saturating_sub(started.elapsed());
    std::thread::sleep(wait);
    let mut still_open = 0;
    for s in &mut idle {
        s.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
        let mut buf = [0u8; 256];
        match s.read(&mut buf) {
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                still_open += 1
            }
            _ => {}
        }
    }
    assert_eq!(
        still_open,
        0,
        "connections still open after the idle timeout (server has {} fds)",
        open_fds(pid)
    );
    drop(idle);
    assert_eq!(served.get("/over/").0, 200);
}
