//! The real `g40site serve` as a child process, for black-box tests:
//! started in a folder of the test's choosing with the arguments an editor
//! types, stopped (by its own process id) when dropped.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `g40site serve`.
pub struct Served {
    child: Child,
    pub addr: SocketAddr,
    /// Everything it printed to the terminal (stderr) so far.
    log: Arc<Mutex<String>>,
}

impl Served {
    /// `g40site serve --port 0 ARGS...` with `dir` as working directory;
    /// returns once it says where it listens.
    pub fn start(dir: &Path, args: &[&str]) -> Served {
        Served::start_with_env(dir, args, &[])
    }

    /// [`Served::start`] with these environment variables set as well.
    pub fn start_with_env(dir: &Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_g40site"))
            .envs(env.iter().copied())
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start g40site serve");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if let Some(url) = line.strip_prefix("Serving on http://") {
                        let addr = url.split('/').next().unwrap_or("").to_string();
                        let _ = tx.send(addr);
                    }
                    let mut log = log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(addr) => addr.parse().expect("an address"),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("serve did not start:\n{}", log.lock().unwrap());
            }
        };
        Served { child, addr, log }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What it printed so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// GET `path`: status, head and body.
    pub fn get(&self, path: &str) -> (u16, String, String) {
        crate::common::http_get(self.addr, path)
    }

    /// Poll `path` until its body contains `text`; the time it took, or a
    /// panic with the last answer after `limit`.
    pub fn wait_for(&self, path: &str, text: &str, limit: Duration) -> Duration {
        let started = Instant::now();
        loop {
            let (status, _, body) = self.get(path);
            if body.contains(text) {
                return started.elapsed();
            }
            if started.elapsed() > limit {
                panic!(
                    "{path} did not show {text:?} within {limit:?} (status {status}); body:\n{body}\nterminal:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Open the live-reload event stream, as an open tab does.
    pub fn events(&self) -> Events {
        Events::open(self.addr, Duration::from_secs(10))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An open live-reload event stream (of this child or of a server started
/// in the test's own process).
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// Connect to the event stream of the server at `addr`; each later
    /// read fails after `timeout`.
    pub fn open(addr: SocketAddr, timeout: Duration) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(timeout)).unwrap();
        write!(
            stream,
            "GET /__g40site/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.contains(" 200 "), "event stream: {line}");
        while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
            line.clear();
        }
        Events { reader }
    }

    /// The next event's name and data (keep-alive comments skipped).
    pub fn next(&mut self) -> (String, String) {
        let (mut event, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("event stream closed"),
                Ok(_) => {}
                Err(e) => panic!("no event within the read timeout: {e}"),
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(e) = line.strip_prefix("event: ") {
                event = e.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = d.to_string();
            } else if line.is_empty() && !event.is_empty() {
                return (event, data);
            }
        }
    }

    /// The next event called `name`, skipping others (a save may cause
    /// more than one rebuild); fails after the read timeout.
    pub fn wait_for(&mut self, name: &str) -> String {
        loop {
            let (event, data) = self.next();
            if event == name {
                return data;
            }
        }
    }
}
