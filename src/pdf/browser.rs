//! One headless Chromium for a whole PDF export, driven over the DevTools
//! protocol (part of `pdf/`, after render).
//!
//! [`Browser::start`] runs Chromium with the flags of
//! [`super::chromium_command`] (a fresh profile in a temp folder) and
//! `--remote-debugging-pipe`: Chromium reads commands on its fd 3 and
//! writes answers and events on its fd 4, each message JSON ended by a NUL
//! byte. A pipe needs no port, no `DevToolsActivePort` file to wait for and
//! no websocket crate; and when g40site dies, Chromium reads the end of the
//! pipe and quits by itself.
//!
//! One reader thread routes every message: an answer to the caller that
//! waits for its `id`, an event to the [`Tab`] whose `sessionId` it
//! carries. So several threads print at once, each in its own target
//! ([`Browser::tab`]), and a tab prints page after page
//! ([`Tab::print`]: navigate, wait for the `load` of that navigation and
//! for the fonts, `Page.printToPDF` with the settings of Chromium's own
//! `--print-to-pdf`, the PDF read back as a stream).
//!
//! Every wait has a timeout. When Chromium quits, every waiting caller
//! learns it at once (with its exit status and last words); when it stops
//! answering, the first timeout marks it stuck and every later call fails
//! at once, so an export never waits more than one timeout in a row. The
//! process is killed and its profile removed when the [`Browser`] is
//! dropped, on every path.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long Chromium may take to start and answer its first command.
pub(crate) const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long any small command (open a tab, navigate, ...) may take.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a page may take to load (with its fonts and images).
const LOAD_TIMEOUT: Duration = Duration::from_secs(60);
/// How long `Page.printToPDF` may take to lay out and print a page.
const PRINT_TIMEOUT: Duration = Duration::from_secs(120);

/// The largest message accepted from Chromium. The PDF itself comes in
/// chunks of [`CHUNK`] (base64, a third larger), everything else is small.
const MAX_MESSAGE: u64 = 64 << 20;
/// Bytes asked for per `IO.read`.
const CHUNK: usize = 4 << 20;
/// The largest PDF accepted.
const MAX_PDF: usize = 1 << 30;

/// A running headless Chromium; killed, and its profile removed, when
/// dropped.
pub(crate) struct Browser {
    child: Mutex<Child>,
    /// The temp folder with the profile and Chromium's log.
    temp: PathBuf,
    /// The command pipe; `None` once closed.
    commands: Mutex<Option<std::io::PipeWriter>>,
    routes: Arc<Mutex<Routes>>,
    next_id: AtomicU64,
    /// Set when a command went unanswered: Chromium is stuck.
    stuck: AtomicBool,
}

/// Who waits for what. Cleared (every sender dropped, so every waiting
/// receiver wakes up) when the pipe from Chromium closes.
#[derive(Default)]
struct Routes {
    /// Callers waiting for the answer with this `id`.
    answers: HashMap<u64, Sender<Value>>,
    /// Open tabs, by session id: their events.
    sessions: HashMap<String, Sender<Value>>,
    /// The pipe from Chromium closed.
    closed: bool,
}

impl Browser {
    /// Start `bin` headless with a fresh profile and wait until it answers.
    pub(crate) fn start(bin: &Path) -> Result<Browser, String> {
        let temp = super::tempdir()?;
        let log_path = temp.join("chromium.log");
        let started = spawn(bin, &temp, &log_path);
        let (child, commands, answers) = match started {
            Ok(parts) => parts,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&temp);
                return Err(e);
            }
        };
        let routes = Arc::new(Mutex::new(Routes::default()));
        {
            let routes = routes.clone();
            // Not joined: it ends when the pipe closes, which killing
            // Chromium does.
            std::thread::spawn(move || read_messages(answers, &routes));
        }
        let browser = Browser {
            child: Mutex::new(child),
            temp,
            commands: Mutex::new(Some(commands)),
            routes,
            next_id: AtomicU64::new(1),
            stuck: AtomicBool::new(false),
        };
        browser.call(None, "Browser.getVersion", json!({}), START_TIMEOUT)?;
        Ok(browser)
    }

    /// A new tab (a target with its own session), ready to print.
    pub(crate) fn tab(&self) -> Result<Tab<'_>, String> {
        let target = self.call(
            None,
            "Target.createTarget",
            json!({ "url": "about:blank" }),
            COMMAND_TIMEOUT,
        )?;
        let target = text(&target, "targetId")?;
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target, "flatten": true }),
            COMMAND_TIMEOUT,
        );
        let session = match attached.and_then(|a| text(&a, "sessionId")) {
            Ok(s) => s,
            Err(e) => {
                self.send(None, "Target.closeTarget", json!({ "targetId": target }));
                return Err(e);
            }
        };
        let (sender, events) = mpsc::channel();
        self.routes
            .lock()
            .unwrap()
            .sessions
            .insert(session.clone(), sender);
        // From here on the tab closes its target when dropped.
        let tab = Tab {
            browser: self,
            target,
            session,
            events,
        };
        tab.call("Page.enable", json!({}), COMMAND_TIMEOUT)?;
        tab.call(
            "Page.setLifecycleEventsEnabled",
            json!({ "enabled": true }),
            COMMAND_TIMEOUT,
        )?;
        Ok(tab)
    }

    /// Send a command and wait up to `timeout` for its answer's `result`.
    fn call(
        &self,
        session: Option<&str>,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value, String> {
        if self.stuck.load(Ordering::SeqCst) {
            return Err("Chromium stopped answering (an earlier command went unanswered)".into());
        }
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let (sender, answer) = mpsc::channel();
        {
            let mut routes = self.routes.lock().unwrap();
            if routes.closed {
                drop(routes);
                return Err(self.gone());
            }
            routes.answers.insert(id, sender);
        }
        if !self.write(id, session, method, params) {
            self.routes.lock().unwrap().answers.remove(&id);
            return Err(self.gone());
        }
        match answer.recv_timeout(timeout) {
            Ok(mut message) => match message.get("error") {
                Some(error) => Err(format!(
                    "Chromium refused {method}: {}",
                    error
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("no reason given")
                )),
                None => Ok(message
                    .get_mut("result")
                    .map(Value::take)
                    .unwrap_or(Value::Null)),
            },
            Err(RecvTimeoutError::Timeout) => {
                self.routes.lock().unwrap().answers.remove(&id);
                self.stuck.store(true, Ordering::SeqCst);
                Err(format!(
                    "Chromium did not answer {method} within {} s",
                    timeout.as_secs()
                ))
            }
            Err(RecvTimeoutError::Disconnected) => Err(self.gone()),
        }
    }

    /// Send a command whose answer nobody waits for.
    fn send(&self, session: Option<&str>, method: &str, params: Value) {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        self.write(id, session, method, params);
    }

    /// Write one message; false when the pipe to Chromium is closed. The
    /// messages are small and Chromium reads them as they come, so a write
    /// does not block (a stuck Chromium is caught by the first timeout,
    /// long before the pipe's buffer could fill).
    fn write(&self, id: u64, session: Option<&str>, method: &str, params: Value) -> bool {
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = session.into();
        }
        let mut bytes = message.to_string().into_bytes();
        bytes.push(0);
        match self.commands.lock().unwrap().as_mut() {
            Some(pipe) => pipe.write_all(&bytes).is_ok(),
            None => false,
        }
    }

    /// Why Chromium is not there any more: its exit status and the last
    /// lines it wrote.
    fn gone(&self) -> String {
        // The pipe closes as the process ends: give it a moment to be
        // reaped.
        let deadline = Instant::now() + Duration::from_secs(2);
        let status = loop {
            match self.child.lock().unwrap().try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() < deadline => {}
                _ => break None,
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let said = last_words(&self.temp.join("chromium.log"));
        format!(
            "Chromium quit{}{said}",
            status.map(|s| format!(" ({s})")).unwrap_or_default()
        )
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let child = self.child.get_mut().unwrap_or_else(|e| e.into_inner());
        // Chromium and every helper it started (its own process group):
        // nothing of it outlives the export. Asked to quit, it would take
        // a third of a second longer for the same end.
        kill_group(child);
        let _ = child.kill();
        let _ = child.wait();
        // Chromium's helpers may still be closing files in the profile.
        if std::fs::remove_dir_all(&self.temp).is_err() {
            std::thread::sleep(Duration::from_millis(200));
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}

/// What a PDF is printed for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Purpose {
    /// To be written to the site: tagged, with its outline.
    Publish,
    /// Only measured (its pages and named destinations read back, see
    /// `pdf::fit_grid` and a report's first pass): laid out alike, but
    /// without the tags and the outline, which cost time and change
    /// nothing on the pages.
    Measure,
}

/// One target of the [`Browser`] with its session; closed when dropped.
pub(crate) struct Tab<'b> {
    browser: &'b Browser,
    target: String,
    session: String,
    events: Receiver<Value>,
}

impl Tab<'_> {
    /// Load `url` and print it for publishing ([`Purpose::Publish`]).
    pub(crate) fn print(&self, url: &str) -> Result<Vec<u8>, String> {
        self.open(url)?;
        self.print_open(Purpose::Publish)
    }

    /// Load `url` and print it to be measured ([`Purpose::Measure`]).
    pub(crate) fn measure(&self, url: &str) -> Result<Vec<u8>, String> {
        self.open(url)?;
        self.print_open(Purpose::Measure)
    }

    /// Set the text of the `<style id="{id}">` of the open page and wait
    /// for its fonts: the page laid out again as if it had been loaded
    /// with that style, without loading it again.
    pub(crate) fn restyle(&self, id: &str, css: &str) -> Result<(), String> {
        let expression = format!(
            "(() => {{ const style = document.getElementById({}); if (!style) return false; style.textContent = {}; return document.fonts.ready.then(() => true); }})()",
            Value::from(id),
            Value::from(css)
        );
        let done = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
            LOAD_TIMEOUT,
        )?;
        if done["result"]["value"] == true {
            Ok(())
        } else {
            Err(format!("the page has no <style id=\"{id}\">"))
        }
    }

    /// Print the open page with the settings of Chromium's `--print-to-pdf
    /// --no-pdf-header-footer --generate-pdf-document-outline` (Chromium's
    /// `headless_command.js`): the page's own CSS page size, backgrounds,
    /// no header or footer, tagged, with an outline from the headings
    /// (tags and outline only when published). Returns the PDF's bytes.
    pub(crate) fn print_open(&self, purpose: Purpose) -> Result<Vec<u8>, String> {
        let kept = matches!(purpose, Purpose::Publish);
        let printed = self.call(
            "Page.printToPDF",
            json!({
                "printBackground": true,
                "preferCSSPageSize": true,
                "displayHeaderFooter": false,
                "generateTaggedPDF": kept,
                "generateDocumentOutline": kept,
                "transferMode": "ReturnAsStream",
            }),
            PRINT_TIMEOUT,
        )?;
        let stream = text(&printed, "stream")?;
        let pdf = self.read_stream(&stream);
        self.browser
            .send(Some(&self.session), "IO.close", json!({ "handle": stream }));
        let pdf = pdf?;
        if pdf.starts_with(b"%PDF-") {
            Ok(pdf)
        } else {
            Err("Chromium's answer is not a PDF".into())
        }
    }

    /// Navigate to `url` and wait for that navigation's `load` and for the
    /// page's fonts.
    pub(crate) fn open(&self, url: &str) -> Result<(), String> {
        // Events of earlier pages are of no interest any more.
        while self.events.try_recv().is_ok() {}
        let navigated = self.call("Page.navigate", json!({ "url": url }), COMMAND_TIMEOUT)?;
        if let Some(error) = navigated.get("errorText").and_then(Value::as_str) {
            return Err(format!("Chromium could not open {url}: {error}"));
        }
        let loader = text(&navigated, "loaderId")?;
        let deadline = Instant::now() + LOAD_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = match self.events.recv_timeout(left) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "the page did not load within {} s",
                        LOAD_TIMEOUT.as_secs()
                    ));
                }
                Err(RecvTimeoutError::Disconnected) => return Err(self.browser.gone()),
            };
            let params = &event["params"];
            match event.get("method").and_then(Value::as_str) {
                Some("Page.lifecycleEvent")
                    if params["name"] == "load" && params["loaderId"] == loader.as_str() =>
                {
                    break;
                }
                Some("Inspector.targetCrashed") => {
                    return Err("Chromium's page crashed while loading".into());
                }
                Some("Target.detachedFromTarget") => {
                    return Err("Chromium closed the page while loading".into());
                }
                _ => {}
            }
        }
        // `load` waits for stylesheets and images; a web font may still
        // be on its way.
        self.call(
            "Runtime.evaluate",
            json!({ "expression": "document.fonts.ready.then(() => true)", "awaitPromise": true }),
            LOAD_TIMEOUT,
        )?;
        Ok(())
    }

    /// The whole of an `IO` stream, decoded.
    fn read_stream(&self, handle: &str) -> Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        loop {
            let chunk = self.call(
                "IO.read",
                json!({ "handle": handle, "size": CHUNK }),
                COMMAND_TIMEOUT,
            )?;
            let data = chunk.get("data").and_then(Value::as_str).unwrap_or("");
            if chunk.get("base64Encoded").and_then(Value::as_bool) == Some(true) {
                base64_decode(data, &mut bytes)
                    .ok_or("Chromium sent a PDF that is not valid base64")?;
            } else {
                bytes.extend_from_slice(data.as_bytes());
            }
            if bytes.len() > MAX_PDF {
                return Err(format!("the PDF is larger than {} MiB", MAX_PDF >> 20));
            }
            if chunk.get("eof").and_then(Value::as_bool) != Some(false) {
                return Ok(bytes);
            }
        }
    }

    fn call(&self, method: &str, params: Value, timeout: Duration) -> Result<Value, String> {
        self.browser
            .call(Some(&self.session), method, params, timeout)
    }
}

impl Drop for Tab<'_> {
    fn drop(&mut self) {
        self.browser
            .routes
            .lock()
            .unwrap()
            .sessions
            .remove(&self.session);
        self.browser.send(
            None,
            "Target.closeTarget",
            json!({ "targetId": self.target }),
        );
    }
}

/// Start Chromium with the pipes on its fds 3 and 4: the process, our end
/// of its command pipe, our end of its answer pipe.
#[cfg(unix)]
fn spawn(
    bin: &Path,
    temp: &Path,
    log_path: &Path,
) -> Result<(Child, std::io::PipeWriter, std::io::PipeReader), String> {
    use std::os::fd::AsRawFd;
    use std::os::unix::process::CommandExt;

    // Chromium's messages go to a file: a pipe nobody reads could fill
    // up and stall it.
    let log = std::fs::File::create(log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let pipe_error = |e: std::io::Error| format!("cannot make a pipe to Chromium: {e}");
    // Both made close-on-exec: no other program started meanwhile
    // inherits them.
    let (their_commands, commands) = std::io::pipe().map_err(pipe_error)?;
    let (answers, their_answers) = std::io::pipe().map_err(pipe_error)?;
    let (read_fd, write_fd) = (their_commands.as_raw_fd(), their_answers.as_raw_fd());
    // Chromium's own temp files (its singleton socket) inside ours, so
    // that they go with it when it is killed.
    let tmp = temp.join("tmp");
    std::fs::create_dir(&tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    let mut cmd = super::chromium_command(bin, &temp.join("profile"));
    cmd.env("TMPDIR", &tmp)
        .arg("--remote-debugging-pipe")
        .stdout(Stdio::null())
        .stderr(log)
        // Its own process group, so that its helpers can be killed with
        // it. Ctrl-C then does not reach it, but the end of the command
        // pipe (g40site gone) makes it quit.
        .process_group(0);
    // SAFETY: the closure runs in the forked child before exec, where
    // only async-signal-safe calls are allowed: fcntl and dup2 are. The
    // two fds are open in the child (fork copies them; they close only at
    // exec). They are first copied above 4, because a pipe end may itself
    // be fd 3 or 4, and dup2 onto itself would keep its close-on-exec
    // flag; dup2 then gives Chromium fd 3 (commands) and fd 4 (answers)
    // without that flag, and every other copy closes at exec.
    unsafe {
        cmd.pre_exec(move || {
            let read = libc::fcntl(read_fd, libc::F_DUPFD_CLOEXEC, 5);
            let write = libc::fcntl(write_fd, libc::F_DUPFD_CLOEXEC, 5);
            if read < 0 || write < 0 || libc::dup2(read, 3) < 0 || libc::dup2(write, 4) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    // Chromium's ends close here, so that the answers pipe reads its end
    // when Chromium (and every helper it started) is gone.
    drop((their_commands, their_answers));
    Ok((child, commands, answers))
}

/// Kill the process group `child` leads (see [`spawn`]).
#[cfg(unix)]
fn kill_group(child: &Child) {
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill has no memory effects; the group is the one spawn
        // made for this child, which is not reaped yet (so its id cannot
        // have been reused).
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

#[cfg(not(unix))]
fn kill_group(_child: &Child) {}

#[cfg(not(unix))]
fn spawn(
    _bin: &Path,
    _temp: &Path,
    _log_path: &Path,
) -> Result<(Child, std::io::PipeWriter, std::io::PipeReader), String> {
    Err("PDF export drives Chromium through its fds 3 and 4, which needs Linux or macOS".into())
}

/// The reader thread: every message from Chromium to whoever waits for it.
fn read_messages(answers: std::io::PipeReader, routes: &Mutex<Routes>) {
    let mut reader = BufReader::with_capacity(1 << 16, answers);
    let mut message = Vec::new();
    loop {
        message.clear();
        match (&mut reader).take(MAX_MESSAGE).read_until(0, &mut message) {
            Ok(_) if message.last() == Some(&0) => {
                message.pop();
                if let Ok(value) = serde_json::from_slice::<Value>(&message) {
                    route(routes, value);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // The end of the pipe, an error, or a message too long: no
            // answer can be trusted to come any more.
            _ => break,
        }
    }
    let mut routes = routes.lock().unwrap();
    routes.closed = true;
    routes.answers.clear();
    routes.sessions.clear();
}

fn route(routes: &Mutex<Routes>, message: Value) {
    let mut routes = routes.lock().unwrap();
    if let Some(id) = message.get("id").and_then(Value::as_u64) {
        if let Some(waiting) = routes.answers.remove(&id) {
            let _ = waiting.send(message);
        }
        return;
    }
    // A target's events carry its session; that a target went away is
    // said to the browser, with the session in the parameters.
    let session = match message.get("sessionId") {
        Some(s) => s.as_str(),
        None => message["params"]["sessionId"].as_str(),
    };
    if let Some(tab) = session.and_then(|s| routes.sessions.get(s)) {
        let _ = tab.send(message);
    }
}

/// `key` of an answer, as text.
fn text(result: &Value, key: &str) -> Result<String, String> {
    result
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("Chromium's answer has no {key}"))
}

/// The last three lines Chromium wrote to its log, as "; it said: …".
fn last_words(log: &Path) -> String {
    let log = std::fs::read_to_string(log).unwrap_or_default();
    let last: Vec<&str> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .rev()
        .take(3)
        .collect();
    if last.is_empty() {
        String::new()
    } else {
        let last: Vec<&str> = last.into_iter().rev().collect();
        format!("; it said: {}", last.join(" | "))
    }
}

/// Append the bytes of standard base64 `text` (with padding) to `out`;
/// `None` if it is not base64.
fn base64_decode(text: &str, out: &mut Vec<u8>) -> Option<()> {
    fn value(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    out.reserve(bytes.len() / 4 * 3);
    for quad in bytes.chunks_exact(4) {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for &c in &quad[..4 - pad] {
            n = n << 6 | value(c)?;
        }
        n <<= 6 * pad as u32;
        let three = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&three[..3 - pad]);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::base64_decode;

    fn decode(s: &str) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        base64_decode(s, &mut out).map(|()| out)
    }

    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(decode("").unwrap(), b"");
        assert_eq!(decode("JVBERi0=").unwrap(), b"%PDF-");
        assert_eq!(decode("JVBERi0x").unwrap(), b"%PDF-1");
        assert_eq!(decode("JVBERg==").unwrap(), b"%PDF");
        assert_eq!(decode("+/+/").unwrap(), [0xfb, 0xff, 0xbf]);
        assert_eq!(decode("JVBER").as_deref(), None);
        assert_eq!(decode("JV=E").as_deref(), None);
        assert_eq!(decode("J===").as_deref(), None);
        assert_eq!(decode("JV!E").as_deref(), None);
    }
}
