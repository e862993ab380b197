//! The preview's HTTP/1.1 server: one thread, readiness-based (mio: epoll
//! on Linux, kqueue on macOS, IOCP on Windows), with every resource bounded.
//!
//! Why not a thread per connection (tiny_http, used before): an idle
//! connection held a thread, so 2,000 half-open connections meant 1,900
//! threads and 630 MB. Here an idle connection costs a socket and a few
//! hundred bytes, and the number of threads is fixed. Answers come from
//! memory (bodies are shared, never copied), so one thread keeps up with
//! far more requests than a browser sends.
//!
//! Limits (documented in docs/guarantees.md, tested in tests/load/serve_limits.rs):
//! - a request head (request line and headers) of at most [`MAX_HEAD`]
//!   bytes and [`MAX_HEADERS`] headers, else 431 (414 for a request line
//!   that alone is too long); no request bodies (413, 405 for methods that
//!   carry one), so a request is never bigger than its head;
//! - a request must arrive whole within [`IDLE_TIMEOUT`] of the connection
//!   opening or of the previous answer; an answer the client does not read
//!   for [`IDLE_TIMEOUT`] ends the connection;
//! - at most [`MAX_CONNECTIONS`] open connections: a new one beyond that
//!   closes the one that has been waiting longest for a request (so a flood
//!   of idle connections cannot lock out the editor's browser);
//! - one answer in flight per connection (pipelined requests wait), and at
//!   most [`MAX_STREAMS`] live-reload event streams (more get 503).
//!
//! Longer than the 600 lines modules keep to: the event loop ([`Server`])
//! and the connection states it moves between are one state machine, read
//! best in one place; request parsing is in `parse`.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token, Waker};

/// Largest request head (request line + headers), in bytes.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// Most header lines in one request.
pub(crate) const MAX_HEADERS: usize = 100;
/// Most open connections at once.
pub(crate) const MAX_CONNECTIONS: usize = 1024;
/// Most open live-reload event streams.
pub(crate) const MAX_STREAMS: usize = 64;
/// How long a connection may take to send a whole request (counted from
/// its opening or from the end of the previous answer), and how long an
/// answer may wait for the client to read it.
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(10);
/// An event stream whose client stops reading is closed when this much is
/// waiting to be sent to it.
const MAX_STREAM_BACKLOG: usize = 256 * 1024;
/// A comment on idle event streams this often keeps proxies from closing
/// them and finds tabs that are gone.
const PING_EVERY: Duration = Duration::from_secs(15);

mod parse;

use parse::{head_end, parse, status_text};

const LISTENER: Token = Token(0);
const WAKER: Token = Token(1);

/// A parsed request head.
pub(crate) struct Request<'a> {
    pub method: &'a str,
    /// The request target as sent (path and query), not decoded.
    pub target: &'a str,
    headers: Vec<(&'a str, &'a str)>,
}

impl Request<'_> {
    /// The first header called `name` (case-insensitive), trimmed.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// A response body: shared bytes of the built site, or owned bytes.
pub(crate) enum Body {
    Shared(Arc<Vec<u8>>),
    Owned(Vec<u8>),
}

impl Body {
    fn bytes(&self) -> &[u8] {
        match self {
            Body::Shared(b) => b,
            Body::Owned(b) => b,
        }
    }
}

/// What the application answers to a request.
pub(crate) enum Reply {
    Full {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Body,
    },
    /// Turn the connection into a live-reload event stream (see [`App::event`]).
    EventStream,
}

impl Reply {
    /// A plain-text answer.
    pub(crate) fn text(status: u16, text: &str) -> Reply {
        Reply::Full {
            status,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: Body::Owned(text.as_bytes().to_vec()),
        }
    }
}

/// The site behind the server. Called on the server thread: must be quick.
pub(crate) trait App: Send + Sync + 'static {
    fn respond(&self, request: &Request) -> Reply;
    /// The next message for an event stream that has seen build `seen`
    /// (`None`: just opened), with the build version it brings it to;
    /// `None` when there is nothing new.
    fn event(&self, seen: Option<u64>) -> Option<(u64, String)>;
}

/// A handle to the running server thread.
pub(crate) struct Handle {
    waker: Arc<Waker>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Wakes the server thread to send event-stream messages after a rebuild.
#[derive(Clone)]
pub(crate) struct Notifier(Arc<Waker>);

impl Notifier {
    pub(crate) fn notify(&self) {
        let _ = self.0.wake();
    }
}

impl Handle {
    pub(crate) fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.waker.wake();
        self.join();
    }

    pub(crate) fn join(&mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A listening socket, not yet answering (so the site can be built for
/// the port it got first).
pub(crate) struct Bound {
    pub addr: SocketAddr,
    poll: Poll,
    listener: TcpListener,
    waker: Arc<Waker>,
}

impl Bound {
    /// Listen on `addr` (port 0: a free one).
    pub(crate) fn bind(addr: SocketAddr) -> io::Result<Bound> {
        raise_fd_limit();
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        // std listens with a backlog of 128: in a burst of more new
        // connections than that, handshakes would be dropped. Listening
        // again on a listening socket only changes the backlog.
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: listen() on a socket we own.
            unsafe { libc::listen(listener.as_raw_fd(), MAX_CONNECTIONS as libc::c_int) };
        }
        let addr = listener.local_addr()?;
        let mut listener = TcpListener::from_std(listener);
        let poll = Poll::new()?;
        poll.registry()
            .register(&mut listener, LISTENER, Interest::READABLE)?;
        let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
        Ok(Bound {
            addr,
            poll,
            listener,
            waker,
        })
    }

    pub(crate) fn notifier(&self) -> Notifier {
        Notifier(self.waker.clone())
    }

    /// Answer with `app`, on a thread of its own.
    pub(crate) fn serve(self, app: Arc<dyn App>) -> io::Result<Handle> {
        let stop = Arc::new(AtomicBool::new(false));
        let mut server = Server {
            poll: self.poll,
            listener: self.listener,
            app,
            conns: HashMap::new(),
            next_token: 2,
            streams: 0,
        };
        let thread = {
            let stop = stop.clone();
            std::thread::Builder::new()
                .name("g40site-http".into())
                .spawn(move || server.run(&stop))?
        };
        Ok(Handle {
            waker: self.waker,
            stop,
            thread: Some(thread),
        })
    }
}

/// Two thousand connections need more file descriptors than the common
/// default soft limit (1,024); the hard limit is usually far higher.
fn raise_fd_limit() {
    #[cfg(target_os = "linux")]
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) == 0 {
            let want = (MAX_CONNECTIONS as libc::rlim_t + 256).min(lim.rlim_max);
            if lim.rlim_cur < want {
                lim.rlim_cur = want;
                libc::setrlimit(libc::RLIMIT_NOFILE, &lim);
            }
        }
    }
}

struct Server {
    poll: Poll,
    listener: TcpListener,
    app: Arc<dyn App>,
    conns: HashMap<usize, Conn>,
    next_token: usize,
    /// Connections that are event streams.
    streams: usize,
}

/// Bytes waiting to be written: a head and a shared or owned body.
struct Out {
    parts: Vec<Body>,
    /// Bytes of `parts` already written.
    done: usize,
}

impl Out {
    fn len(&self) -> usize {
        self.parts.iter().map(|p| p.bytes().len()).sum::<usize>() - self.done
    }
}

struct Conn {
    socket: TcpStream,
    /// Received bytes not yet handled (at most one request head and a bit).
    input: Vec<u8>,
    out: Option<Out>,
    /// Close once `out` is written.
    close_after: bool,
    /// Since when the connection has waited for a request or for the
    /// client to read (the idle clock).
    since: Instant,
    /// An event stream: the build version it has been told about.
    stream: Option<u64>,
    last_ping: Instant,
    /// The last answer is sent; reading (and dropping) until the client
    /// closes, for at most [`DRAIN_TIMEOUT`].
    draining: bool,
}

/// How long a closing connection is read from after its last answer.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

impl Server {
    fn run(&mut self, stop: &AtomicBool) {
        let mut events = Events::with_capacity(256);
        let mut last_sweep = Instant::now();
        while !stop.load(Ordering::SeqCst) {
            if let Err(e) = self
                .poll
                .poll(&mut events, Some(Duration::from_millis(500)))
            {
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                eprintln!("error: the preview server stopped: {e}");
                return;
            }
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept(),
                    WAKER => self.tell_streams(),
                    Token(t) => self.drive(t),
                }
            }
            if last_sweep.elapsed() >= Duration::from_millis(500) {
                last_sweep = Instant::now();
                self.sweep();
            }
        }
    }

    fn accept(&mut self) {
        // Errors that persist must not spin the loop.
        let mut errors = 0;
        while errors < 64 {
            match self.listener.accept() {
                Ok((mut socket, _)) => {
                    if self.conns.len() >= MAX_CONNECTIONS && !self.evict_one() {
                        // Everything is busy answering: refuse this one.
                        continue;
                    }
                    let _ = socket.set_nodelay(true);
                    let token = self.next_token;
                    self.next_token += 1;
                    if self
                        .poll
                        .registry()
                        .register(
                            &mut socket,
                            Token(token),
                            Interest::READABLE | Interest::WRITABLE,
                        )
                        .is_err()
                    {
                        continue;
                    }
                    let now = Instant::now();
                    self.conns.insert(
                        token,
                        Conn {
                            socket,
                            input: Vec::new(),
                            out: None,
                            close_after: false,
                            since: now,
                            stream: None,
                            last_ping: now,
                            draining: false,
                        },
                    );
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                // Out of file descriptors: make room and take it (the
                // listener would not say again that it is waiting).
                Err(e) if is_out_of_fds(&e) => {
                    errors += 1;
                    if !self.evict_one() {
                        return;
                    }
                }
                // A connection reset before it was accepted, or similar.
                Err(_) => errors += 1,
            }
        }
    }

    /// Close the connection that has waited longest for a request.
    fn evict_one(&mut self) -> bool {
        let oldest = self
            .conns
            .iter()
            .filter(|(_, c)| c.stream.is_none() && (c.out.is_none() || c.draining))
            .min_by_key(|(_, c)| (!c.draining, c.since))
            .map(|(t, _)| *t);
        match oldest {
            Some(t) => {
                self.close(t);
                true
            }
            None => false,
        }
    }

    fn close(&mut self, token: usize) {
        if let Some(mut conn) = self.conns.remove(&token) {
            if conn.stream.is_some() {
                self.streams -= 1;
            }
            let _ = self.poll.registry().deregister(&mut conn.socket);
        }
    }

    /// Close connections whose idle clock ran out; ping event streams;
    /// take connections an accept error left waiting.
    fn sweep(&mut self) {
        self.accept();
        let now = Instant::now();
        let mut expired = Vec::new();
        let mut ping = Vec::new();
        for (t, c) in &self.conns {
            if c.stream.is_some() {
                if now.duration_since(c.last_ping) >= PING_EVERY {
                    ping.push(*t);
                }
            } else if now.duration_since(c.since)
                >= if c.draining {
                    DRAIN_TIMEOUT
                } else {
                    IDLE_TIMEOUT
                }
            {
                expired.push(*t);
            }
        }
        for t in expired {
            self.close(t);
        }
        for t in ping {
            if let Some(c) = self.conns.get_mut(&t) {
                c.last_ping = now;
                push(c, b": ping\n\n".to_vec());
            }
            self.drive(t);
        }
    }

    /// After a rebuild: give every event stream its news.
    fn tell_streams(&mut self) {
        let tokens: Vec<usize> = self
            .conns
            .iter()
            .filter(|(_, c)| c.stream.is_some())
            .map(|(t, _)| *t)
            .collect();
        for t in tokens {
            let Some(c) = self.conns.get_mut(&t) else {
                continue;
            };
            if let Some((version, message)) = self.app.event(c.stream) {
                c.stream = Some(version);
                push(c, message.into_bytes());
            }
            self.drive(t);
        }
    }

    /// Do whatever the connection allows now: write, then read and answer
    /// the next request, until the socket would block.
    fn drive(&mut self, token: usize) {
        if let Err(()) = self.drive_inner(token) {
            self.close(token);
        }
    }

    fn drive_inner(&mut self, token: usize) -> Result<(), ()> {
        loop {
            let conn = self.conns.get_mut(&token).ok_or(())?;
            // 1. Write what is waiting.
            if let Some(out) = &mut conn.out {
                let before = out.done;
                match write_out(&mut conn.socket, out) {
                    Ok(true) => {
                        conn.out = None;
                        conn.since = Instant::now();
                        if conn.close_after {
                            // Lingering close: stop sending, read what the
                            // client still sends, so that closing does not
                            // reset the connection before it has read the
                            // answer (a 431 after a 10 MB header).
                            let _ = conn.socket.shutdown(std::net::Shutdown::Write);
                            conn.draining = true;
                        }
                    }
                    Ok(false) => {
                        if out.done > before {
                            conn.since = Instant::now();
                        }
                        if conn.stream.is_some() && out.len() > MAX_STREAM_BACKLOG {
                            return Err(());
                        }
                        return Ok(());
                    }
                    Err(_) => return Err(()),
                }
            }
            if conn.stream.is_some() || conn.draining {
                // An event stream only listens for the tab going away.
                let mut buf = [0u8; 16 * 1024];
                loop {
                    match conn.socket.read(&mut buf) {
                        Ok(0) => return Err(()),
                        Ok(_) => {}
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(_) => return Err(()),
                    }
                }
            }
            // 2. A whole request head waiting? Answer it.
            match head_end(&conn.input) {
                Some(end) => {
                    let head: Vec<u8> = conn.input.drain(..end).collect();
                    self.answer(token, &head);
                    continue;
                }
                None if conn.input.len() > MAX_HEAD => {
                    let status = if conn.input.windows(2).any(|w| w == b"\r\n") {
                        431
                    } else {
                        414
                    };
                    conn.input = Vec::new();
                    let reply = Reply::text(status, status_text(status));
                    queue(conn, reply, false, true);
                    continue;
                }
                None => {}
            }
            // 3. Read more.
            let mut buf = [0u8; 4096];
            match conn.socket.read(&mut buf) {
                Ok(0) => return Err(()),
                Ok(n) => conn.input.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err(()),
            }
        }
    }

    /// Parse one request head and queue the answer.
    fn answer(&mut self, token: usize, head: &[u8]) {
        let parsed = parse(head);
        let conn = self.conns.get_mut(&token).expect("live connection");
        let request = match parsed {
            Ok(r) => r,
            Err(status) => {
                queue(conn, Reply::text(status, status_text(status)), false, true);
                return;
            }
        };
        let keep_alive = request.keep_alive;
        let request = request.request;
        let head_only = request.method == "HEAD";
        if !matches!(request.method, "GET" | "HEAD") {
            // Its body (if any) is not read: the connection cannot go on.
            let mut reply = Reply::text(405, "Alleen GET en HEAD");
            if let Reply::Full { headers, .. } = &mut reply {
                headers.push(("Allow", "GET, HEAD".into()));
            }
            queue(conn, reply, false, true);
            return;
        }
        if request.header("Transfer-Encoding").is_some()
            || request
                .header("Content-Length")
                .is_some_and(|l| l.trim() != "0")
        {
            queue(
                conn,
                Reply::text(413, "Een verzoek met inhoud wordt niet aangenomen"),
                false,
                true,
            );
            return;
        }
        let app = self.app.clone();
        let reply =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| app.respond(&request)))
                .unwrap_or_else(|_| Reply::text(500, "Interne fout in g40site"));
        match reply {
            Reply::EventStream if self.streams >= MAX_STREAMS => {
                queue(
                    conn,
                    Reply::text(503, "Te veel open tabbladen"),
                    head_only,
                    !keep_alive,
                );
            }
            Reply::EventStream => {
                self.streams += 1;
                let mut bytes = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n".to_vec();
                let (version, first) = app.event(None).unwrap_or((0, String::new()));
                bytes.extend_from_slice(first.as_bytes());
                conn.stream = Some(version);
                conn.last_ping = Instant::now();
                conn.input = Vec::new();
                push(conn, bytes);
            }
            reply => queue(conn, reply, head_only, !keep_alive),
        }
    }
}

fn is_out_of_fds(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        // EMFILE and ENFILE on Linux and macOS.
        matches!(e.raw_os_error(), Some(23 | 24))
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Append raw bytes to what a connection has to write.
fn push(conn: &mut Conn, bytes: Vec<u8>) {
    match &mut conn.out {
        Some(out) => out.parts.push(Body::Owned(bytes)),
        None => {
            conn.out = Some(Out {
                parts: vec![Body::Owned(bytes)],
                done: 0,
            })
        }
    }
}

/// Queue a whole response.
fn queue(conn: &mut Conn, reply: Reply, head_only: bool, close: bool) {
    let Reply::Full {
        status,
        headers,
        body,
    } = reply
    else {
        return;
    };
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\n",
        status_text(status),
        body.bytes().len()
    );
    for (name, value) in headers {
        // Values come from us; a line break would split the header anyway.
        let value: String = value.chars().filter(|c| !c.is_control()).collect();
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if close {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    let mut parts = vec![Body::Owned(head.into_bytes())];
    if !head_only {
        parts.push(body);
    }
    conn.out = Some(Out { parts, done: 0 });
    conn.close_after |= close;
    conn.since = Instant::now();
}

/// Write as much of `out` as the socket takes; `Ok(true)` when all is written.
fn write_out(socket: &mut TcpStream, out: &mut Out) -> io::Result<bool> {
    loop {
        // Find the part and offset `done` points into.
        let mut skip = out.done;
        let mut slice: &[u8] = &[];
        for p in &out.parts {
            let b = p.bytes();
            if skip < b.len() {
                slice = &b[skip..];
                break;
            }
            skip -= b.len();
        }
        if slice.is_empty() {
            return Ok(true);
        }
        match socket.write(slice) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => out.done += n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}
