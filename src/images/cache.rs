//! Images (the cache): resized copies kept between builds in
//! `.g40site-cache/images/` of the site folder, beside `content/`, as Zola
//! and Hugo keep theirs in the project (never in the output folder, which
//! each build replaces whole).
//!
//! An entry is named by what decides its bytes: a hash of the source's
//! content, the width and the settings
//! (`<hash>-480w-v1-lanczos3-q82.jpg`), so an edited photo or changed
//! settings never meet an old entry, and renaming or moving a photo keeps
//! its entries. An entry is written to a temporary file first and renamed
//! into place, so a build that is killed leaves no half-written entry.
//! Symbolic links are never followed: a cache folder or entry that is a
//! link is not used (with a warning), so nothing outside the site is read
//! or written through one. The folder may be deleted at any time; the next
//! build resizes again.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diagnostics::Diagnostic;

/// The cache's folder in the site, as errors show it.
pub(crate) const FOLDER: &str = ".g40site-cache";

/// The resized images' cache of one site.
pub(crate) struct Cache {
    /// `<root>/.g40site-cache`.
    top: PathBuf,
    /// `<top>/images`, or `None` when it cannot be used.
    dir: Option<PathBuf>,
    /// Whether the folders have been checked (and made) for writing: only
    /// at the first entry written, so a site with nothing to resize gets
    /// no cache folder.
    ready: std::sync::OnceLock<bool>,
    /// A problem, reported once as a warning (the build goes on without
    /// the cache).
    problem: Mutex<Option<Diagnostic>>,
}

/// Temporary names, unique within this process (with its id, across
/// processes).
static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);

/// A hex hash of `bytes`: SipHash-1-3 with 128 bits and fixed keys, whose
/// output is defined by its paper, so it is the same in every build of
/// g40site on every machine (unlike `std`'s hasher).
pub(crate) fn content_key(bytes: &[u8]) -> String {
    use siphasher::sip128::Hasher128 as _;
    use std::hash::Hasher as _;
    let mut h = siphasher::sip128::SipHasher13::new();
    h.write(bytes);
    h.write_u64(bytes.len() as u64);
    format!("{:032x}", h.finish128().as_u128())
}

/// Whether `path` is a real folder (not a link to one), made when `create`
/// and it does not exist.
fn real_dir(path: &Path, create: bool) -> Result<(), String> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(format!(
            "{} is a symbolic link, which g40site does not follow",
            path.display()
        )),
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(format!("{} is not a folder", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !create => Err(e.to_string()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match std::fs::create_dir(path) {
            Ok(()) => Ok(()),
            // Made by a build running beside this one: check it again.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                match std::fs::symlink_metadata(path) {
                    Ok(m) if m.is_dir() => Ok(()),
                    _ => Err(format!("{} is not a folder", path.display())),
                }
            }
            Err(e) => Err(format!("cannot create {}: {e}", path.display())),
        },
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

impl Cache {
    /// The cache of the site in `root`. Its folders are made when the
    /// first entry is written; a cache that cannot be used (a link, no
    /// permission) gives one warning and the build resizes without it.
    pub(crate) fn open(root: &Path) -> Cache {
        let top = root.join(FOLDER);
        let dir = top.join("images");
        // A link where the cache would be is never read through.
        let linked = [&top, &dir].iter().find_map(|p| {
            std::fs::symlink_metadata(p)
                .ok()
                .filter(|m| m.file_type().is_symlink())
                .map(|_| {
                    format!(
                        "{} is a symbolic link, which g40site does not follow",
                        p.display()
                    )
                })
        });
        match linked {
            None => Cache {
                top,
                dir: Some(dir),
                ready: std::sync::OnceLock::new(),
                problem: Mutex::new(None),
            },
            Some(e) => Cache {
                top,
                dir: None,
                ready: std::sync::OnceLock::new(),
                problem: Mutex::new(Some(warning(e))),
            },
        }
    }

    /// The entry `name`, if there is one (a regular file in real folders;
    /// a link is not read).
    pub(crate) fn get(&self, name: &str) -> Option<Vec<u8>> {
        let dir = self.dir.as_ref()?;
        if real_dir(&self.top, false)
            .and_then(|()| real_dir(dir, false))
            .is_err()
        {
            return None;
        }
        let path = dir.join(name);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.file_type().is_file() || meta.len() == 0 {
            return None;
        }
        std::fs::read(&path).ok()
    }

    /// Keep `bytes` as entry `name`: written to a new temporary file in the
    /// cache folder, then renamed over the entry (a rename replaces a link
    /// rather than writing through it). A failure is a warning.
    pub(crate) fn put(&self, name: &str, bytes: &[u8]) {
        let Some(dir) = &self.dir else {
            return;
        };
        let ready = self.ready.get_or_init(|| {
            match real_dir(&self.top, true).and_then(|()| real_dir(dir, true)) {
                Ok(()) => true,
                Err(e) => {
                    self.note(e);
                    false
                }
            }
        });
        if !*ready {
            return;
        }
        let n = NEXT_TEMP.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".tmp-{}-{n}-{name}", std::process::id()));
        let result = (|| -> std::io::Result<()> {
            // `create_new` fails on anything already there, a link included.
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)?;
            f.write_all(bytes)?;
            f.sync_data()?;
            std::fs::rename(&temp, dir.join(name))
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&temp);
            self.note(format!("cannot write to {}: {e}", dir.display()));
        }
    }

    /// Keep the first problem, for one warning.
    fn note(&self, why: String) {
        let mut problem = self.problem.lock().unwrap_or_else(|p| p.into_inner());
        if problem.is_none() {
            *problem = Some(warning(why));
        }
    }

    /// The problem met, if any, as a warning.
    pub(crate) fn warnings(&self) -> Vec<Diagnostic> {
        self.problem
            .lock()
            .map(|p| p.iter().cloned().collect())
            .unwrap_or_default()
    }
}

fn warning(why: String) -> Diagnostic {
    Diagnostic::new(
        format!("{FOLDER}/"),
        format!("the cache of resized images is not used: {why}"),
    )
    .hint(format!(
        "make {FOLDER}/ a writable folder of the site (or delete it); until then every build resizes the images again"
    ))
    .warning()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_key_is_stable_and_tells_contents_apart() {
        // A fixed value: the key of an entry must not change between builds
        // of g40site, or every cache goes stale.
        assert_eq!(content_key(b"g40"), "d3fb2b72a0b0dc4182d88a861f01a946");
        assert_ne!(content_key(b"g40"), content_key(b"g41"));
        assert_eq!(content_key(b"").len(), 32);
    }

    #[cfg(unix)]
    #[test]
    fn a_cache_folder_that_is_a_link_is_not_used() {
        let site = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), site.path().join(FOLDER)).unwrap();
        let cache = Cache::open(site.path());
        cache.put("x.jpg", b"bytes");
        assert_eq!(cache.get("x.jpg"), None);
        assert_eq!(cache.warnings().len(), 1);
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn an_entry_that_is_a_link_is_not_read_and_is_replaced_not_written_through() {
        let site = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let outside = elsewhere.path().join("secret");
        std::fs::write(&outside, b"outside").unwrap();
        let images = site.path().join(FOLDER).join("images");
        std::fs::create_dir_all(&images).unwrap();
        std::os::unix::fs::symlink(&outside, images.join("a.jpg")).unwrap();
        let cache = Cache::open(site.path());
        assert_eq!(cache.get("a.jpg"), None);
        cache.put("a.jpg", b"resized");
        assert_eq!(std::fs::read(&outside).unwrap(), b"outside");
        assert_eq!(cache.get("a.jpg").as_deref(), Some(&b"resized"[..]));
    }

    #[test]
    fn nothing_is_made_until_an_entry_is_written() {
        let site = tempfile::tempdir().unwrap();
        let cache = Cache::open(site.path());
        assert_eq!(cache.get("a.jpg"), None);
        assert!(!site.path().join(FOLDER).exists());
    }

    #[test]
    fn entries_are_written_whole_and_read_back() {
        let site = tempfile::tempdir().unwrap();
        let cache = Cache::open(site.path());
        cache.put("a.jpg", b"bytes");
        assert_eq!(cache.get("a.jpg").as_deref(), Some(&b"bytes"[..]));
        let names: Vec<_> = std::fs::read_dir(site.path().join(FOLDER).join("images"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.jpg"], "no temporary file is left");
        assert!(cache.warnings().is_empty());
    }
}
