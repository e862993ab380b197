//! `g40site serve` end to end: real HTTP on 127.0.0.1, real file changes.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::common::serve_bin::Events;
use crate::common::{Fixture, http_get};
use g40site::Running;

/// Open an event stream, save `content/over.md` with `text`, and wait
/// until the server announces the reload.
fn save_and_wait_for_reload(site: &Fixture, running: &Running, text: &str) {
    let mut events = Events::open(running.addr, Duration::from_secs(20));
    assert_eq!(events.next().0, "hello");
    site.write("content/over.md", text);
    events.wait_for("reload");
}

fn site() -> Fixture {
    Fixture::new().file(
        "content/over.md",
        "---\ntitle: Over ons\n---\nEerste versie.\n",
    )
}

#[test]
fn serves_pages_from_memory_with_live_reload_script() {
    let site = site();
    let running = site.serve();
    let (status, head, body) = http_get(running.addr, "/over/");
    assert_eq!(status, 200);
    assert!(head.contains("text/html; charset=utf-8"));
    assert!(body.contains("Eerste versie."));
    assert!(body.contains("<script src=\"/__g40site/reload.js\"></script>\n</body>"));
    assert!(!site.out().exists(), "serve writes nothing to disk");
    let (status, head, _) = http_get(running.addr, "/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"));
    let (status, head, _) = http_get(running.addr, "/over");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /over/"));
    let (status, _, body) = http_get(running.addr, "/bestaat-niet/");
    assert_eq!(status, 404);
    assert!(body.contains("Pagina niet gevonden"), "the site's 404 page");
    running.stop();
}

#[test]
fn edit_reloads_the_page_and_errors_show_until_fixed() {
    let site = site();
    let running = site.serve();
    let mut events = Events::open(running.addr, Duration::from_secs(20));
    assert_eq!(events.next().0, "hello");

    let started = Instant::now();
    site.write(
        "content/over.md",
        "---\ntitle: Over ons\n---\nTweede versie.\n",
    );
    events.wait_for("reload");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        http_get(running.addr, "/over/")
            .2
            .contains("Tweede versie.")
    );

    // A broken file: the errors reach the page, the last good site stays.
    site.write(
        "content/over.md",
        "---\ntitle: Over ons\ndate: 2023-02-30\n---\nDerde.\n",
    );
    // (A save may be seen half-written first; wait for the real error.)
    let text = loop {
        let text: String = serde_json::from_str(&events.wait_for("errors")).unwrap();
        if !text.contains("the file is empty") {
            break text;
        }
    };
    assert!(text.contains("content/over.md:3:7"), "{text}");
    assert!(text.contains("invalid date"));
    assert!(
        http_get(running.addr, "/over/")
            .2
            .contains("Tweede versie.")
    );
    // A tab opened now sees the errors at once.
    let mut late = Events::open(running.addr, Duration::from_secs(20));
    assert_eq!(late.next().0, "errors");

    // Fixed: the overlay goes away with a reload.
    site.write(
        "content/over.md",
        "---\ntitle: Over ons\ndate: 2023-02-10\n---\nVierde.\n",
    );
    events.wait_for("reload");
    assert!(http_get(running.addr, "/over/").2.contains("Vierde."));
    running.stop();
}

#[test]
fn traversal_and_bad_requests_are_refused() {
    let site = site();
    std::fs::write(site.root().join("geheim.txt"), "niet serveren").unwrap();
    let running = site.serve();
    for path in [
        "/../geheim.txt",
        "/%2e%2e/geheim.txt",
        "/over/%2E%2E/%2e%2e/geheim.txt",
        "/..%2fgeheim.txt",
        "/%00",
        "/geheim.txt",
    ] {
        let (status, _, body) = http_get(running.addr, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("niet serveren"), "{path} leaked a file");
    }
    // Not GET: refused.
    let response = status_line(running.addr, "DELETE", "127.0.0.1");
    assert!(response.contains("405"), "{response}");
    running.stop();
}

/// The status line of the answer to `method /over/` with this `Host`.
fn status_line(addr: std::net::SocketAddr, method: &str, host: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "{method} /over/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    BufReader::new(stream).read_line(&mut response).unwrap();
    response
}

/// DNS rebinding: a page on another site that points its own host name at
/// 127.0.0.1 must not be able to read the preview.
#[test]
fn requests_for_other_host_names_are_refused() {
    let site = site();
    let running = site.serve();
    let port = running.addr.port();
    let ask = |host: &str| status_line(running.addr, "GET", host);
    for host in [
        format!("aanvaller.example:{port}"),
        "aanvaller.example".to_string(),
        format!("127.0.0.1.aanvaller.example:{port}"),
        format!("[::2]:{port}"),
    ] {
        let response = ask(&host);
        assert!(response.contains("403"), "{host}: {response}");
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("LOCALHOST:{port}"),
        format!("[::1]:{port}"),
        "preview.localhost".to_string(),
    ] {
        let response = ask(&host);
        assert!(response.contains("200"), "{host}: {response}");
    }
    running.stop();
}

#[test]
fn concurrent_requests_from_several_tabs() {
    let site = site();
    let running = site.serve();
    let _tabs: Vec<Events> = (0..4)
        .map(|_| Events::open(running.addr, Duration::from_secs(20)))
        .collect();
    let addr = running.addr;
    let handles: Vec<_> = (0..16)
        .map(|_| std::thread::spawn(move || (0..10).all(|_| http_get(addr, "/over/").0 == 200)))
        .collect();
    for h in handles {
        assert!(h.join().unwrap(), "a request failed while tabs were open");
    }
    running.stop();
}

#[test]
fn building_does_not_trigger_itself() {
    // The build reads every file; reads must not count as changes, or the
    // server would rebuild forever.
    let site = site();
    let running = site.serve();
    save_and_wait_for_reload(
        &site,
        &running,
        "---\ntitle: Over ons\n---\nTweede versie.\n",
    );
    let version = running.version();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        running.version(),
        version,
        "the server rebuilt without a change"
    );
    running.stop();
}

#[test]
fn search_index_catches_up_after_a_quick_edit() {
    let site = site();
    let running = site.serve();
    save_and_wait_for_reload(
        &site,
        &running,
        "---\ntitle: Over ons\n---\nZeldzaamwoord hier.\n",
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while !http_get(running.addr, "/zoeken/index.json")
        .2
        .contains("zeldzaamwoord")
    {
        assert!(
            Instant::now() < deadline,
            "the search index never caught up"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    running.stop();
}
