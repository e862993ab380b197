//! Serve: the file watcher. It registers before the first build (so no
//! save is missed), debounces each burst of events into one batch, leaves
//! out editor litter and the temporary files of rename-over saves, and
//! rebuilds once per batch on a thread of its own.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use super::{ServeOptions, Shared, Snapshot, rebuild};

/// The file watcher, registered (its events queue up) but not yet handled.
pub(super) struct Watching {
    watcher: notify::RecommendedWatcher,
    rx: std::sync::mpsc::Receiver<notify::Result<notify::Event>>,
    changed_flag: Arc<std::sync::atomic::AtomicBool>,
    root: PathBuf,
}

impl Watching {
    /// Watch the root (not recursively: site.yaml, and the source folders
    /// appearing) and each source folder recursively.
    pub(super) fn start(root: &Path) -> Result<Watching, String> {
        let (tx, rx) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
        // Set the moment a change arrives, so work done while idle (the search
        // index) can stop and let the change through.
        let changed_flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = changed_flag.clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if event.as_ref().is_ok_and(|e| is_change(&e.kind)) {
                    flag.store(true, std::sync::atomic::Ordering::SeqCst);
                }
                let _ = tx.send(event);
            })
            .map_err(|e| format!("cannot watch files: {e}"))?;
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        let mut watching = Watching {
            watcher,
            rx,
            changed_flag,
            root: root.to_path_buf(),
        };
        for dir in WATCHED_DIRS {
            watching.watch_dir(&root.join(dir));
        }
        Ok(watching)
    }

    /// Watch a source folder (again: a folder deleted and made anew, as a
    /// `git checkout` may do, has lost its watch).
    fn watch_dir(&mut self, path: &Path) {
        if path.is_dir() {
            let _ = self.watcher.unwatch(path);
            let _ = self.watcher.watch(path, RecursiveMode::Recursive);
        }
    }

    /// Handle changes on a thread of its own: rebuild after each debounced
    /// batch of changes.
    pub(super) fn run(
        mut self,
        opts: ServeOptions,
        mut builder: crate::pipeline::Builder,
        shared: Arc<Shared>,
        stop: Arc<std::sync::atomic::AtomicBool>,
        mut search_stale: bool,
    ) -> std::thread::JoinHandle<()> {
        std::thread::spawn(move || {
            // After the first build and a quick update the search index is
            // behind; it is rebuilt once the sources have been quiet for a
            // moment.
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let mut batch = Batch::default();
                match self.rx.recv_timeout(Duration::from_millis(200)) {
                    Ok(Ok(event)) if is_change(&event.kind) || event.need_rescan() => {
                        batch.add(event)
                    }
                    // Events may have been lost: look at everything again.
                    Ok(Err(_)) => batch.rescan = true,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) if search_stale => {
                        // Given up when a change comes in; tried again when idle.
                        if let Some(index) = builder.search_index(&self.changed_flag) {
                            let mut files = shared.site.read().unwrap().files.clone();
                            files.insert(index.path, Arc::new(index.bytes));
                            *shared.site.write().unwrap() =
                                Arc::new(Snapshot { files, good: true });
                            search_stale = false;
                        }
                        continue;
                    }
                    Ok(_) | Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
                    Err(_) => break,
                };
                // Debounce: one save is several events (truncate, write,
                // rename), and an editor may save several files at once; wait
                // until nothing has changed for a moment, then rebuild once. This
                // also avoids catching a file between truncation and rewrite.
                let mut quiet_until = Instant::now() + DEBOUNCE;
                loop {
                    let wait = quiet_until.saturating_duration_since(Instant::now());
                    match self.rx.recv_timeout(wait) {
                        Ok(Ok(event)) if is_change(&event.kind) || event.need_rescan() => {
                            batch.add(event);
                            quiet_until = Instant::now() + DEBOUNCE;
                        }
                        Ok(Err(_)) => batch.rescan = true,
                        Ok(_) => {}
                        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                        Err(_) => return,
                    }
                }
                self.changed_flag
                    .store(false, std::sync::atomic::Ordering::SeqCst);
                // A source folder that appeared (or came back) gets watched.
                for dir in WATCHED_DIRS {
                    let path = self.root.join(dir);
                    if batch.paths.contains(&path) {
                        self.watch_dir(&path);
                    }
                }
                let changed = batch.sources(&self.root);
                if !changed.is_empty() {
                    search_stale = rebuild(&opts, &mut builder, &changed, &shared);
                }
            }
        })
    }
}

/// The changes of one debounced batch.
#[derive(Default)]
struct Batch {
    /// Every path named, in order of first mention.
    paths: Vec<PathBuf>,
    /// Paths whose first event was their creation (a new file, or the
    /// target of a rename).
    appeared: std::collections::HashSet<PathBuf>,
    /// The watcher lost events (its queue overflowed) or failed: every
    /// source folder counts as changed, so that the build looks at every
    /// file again instead of trusting the paths named.
    rescan: bool,
}

impl Batch {
    fn add(&mut self, event: notify::Event) {
        use notify::EventKind;
        self.rescan |= event.need_rescan();
        use notify::event::{ModifyKind, RenameMode};
        let appear_from = match event.kind {
            EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(RenameMode::To)) => 0,
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => 1,
            _ => usize::MAX,
        };
        for (i, path) in event.paths.into_iter().enumerate() {
            if self.paths.contains(&path) {
                continue;
            }
            if i >= appear_from {
                self.appeared.insert(path.clone());
            }
            self.paths.push(path);
        }
    }

    /// The source files and folders to rebuild for, as absolute paths
    /// under `root`. Left out: editor litter, and files that appeared and
    /// went again within the batch: the temporary file of a save that
    /// writes a new file and renames it over the old one (vim, `sed -i`,
    /// JetBrains' "safe write"); the file renamed over counts, so that a
    /// save of one page still takes the one-page fast path.
    fn sources(&self, root: &Path) -> Vec<PathBuf> {
        let mut changed: Vec<PathBuf> = self
            .paths
            .iter()
            .filter(|p| is_source(root, p))
            .filter(|p| p.exists() || !self.appeared.contains(*p))
            .cloned()
            .collect();
        if self.rescan {
            changed.extend(WATCHED_DIRS.iter().map(|d| root.join(d)));
            changed.push(root.join("site.yaml"));
        }
        changed.sort();
        changed.dedup();
        changed
    }
}
/// How long the sources must be quiet before a rebuild starts. The events
/// of one save (truncate and write, or write a temporary file and rename
/// it over) come within a millisecond or two of each other; an editor
/// saving several files at once is as quick. Every millisecond here is
/// one the editor waits for the page.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// Changes to content, not mere reads: the build itself opens every file,
/// and reacting to that would rebuild forever.
fn is_change(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    match kind {
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Access(_) | EventKind::Other => false,
    }
}

const WATCHED_DIRS: [&str; 4] = ["content", "themes", "templates", "static"];

/// Changes that matter: site.yaml and anything in the watched folders,
/// except editor litter (swap files, backups).
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
        return false;
    }
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    first == "site.yaml" || WATCHED_DIRS.contains(&first.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, Flag};
    use notify::{Event, EventKind};

    #[test]
    fn a_batch_names_the_saved_file_and_after_lost_events_everything() {
        let root = std::env::temp_dir().join(format!("g40-batch-{}", std::process::id()));
        std::fs::create_dir_all(root.join("content")).unwrap();
        let page = root.join("content/a.md");
        std::fs::write(&page, "x").unwrap();
        let mut batch = Batch::default();
        batch.add(Event::new(EventKind::Create(CreateKind::File)).add_path(page.clone()));
        // Editor litter is left out.
        batch.add(
            Event::new(EventKind::Create(CreateKind::File))
                .add_path(root.join("content/.a.md.swp")),
        );
        assert_eq!(batch.sources(&root), std::slice::from_ref(&page));
        // The watcher's queue overflowed: every source folder and site.yaml.
        batch.add(Event::new(EventKind::Other).set_flag(Flag::Rescan));
        let all = batch.sources(&root);
        for dir in WATCHED_DIRS {
            assert!(all.contains(&root.join(dir)), "{dir} in {all:?}");
        }
        assert!(all.contains(&root.join("site.yaml")) && all.contains(&page));
        let _ = std::fs::remove_dir_all(&root);
    }
}
