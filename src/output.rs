//! Write: put the rendered files on disk, all or nothing, and only where
//! it is safe.
//!
//! Before anything is removed the output folder is resolved to its real
//! path (symbolic links included, [`resolve`]) and checked
//! ([`check_output_dir`]): `output:` in site.yaml (and the default
//! `output/`) must lie inside the site folder; `--output` may be
//! elsewhere, but never the site folder, a folder of its sources, a folder
//! that contains any of those, the home folder or `/`. A folder that is
//! not empty and has no [`MARKER`] file is never replaced without
//! `--force` ([`OutputFolder::open`]).
//!
//! A build locks the output's parent folder ([`OutputFolder`], an
//! advisory `flock`) from before it looks at leftovers until the new site
//! is in place: a second build of the same output waits, so it can never
//! take the first one's staging folder for a leftover.
//!
//! The new site is written into a staging folder next to the output folder
//! and then swapped in, so a failed or interrupted build never leaves a
//! half-written `output/`: readers see the old site or the new one. On
//! Linux the swap is one atomic exchange of the two folders
//! (`renameat2(RENAME_EXCHANGE)`), so `output/` is never missing, not even
//! for a moment; elsewhere (or on file systems without it) it is two
//! renames, and a build killed between them is repaired by the next one.
//! Each build starts from an empty staging folder, so files of earlier
//! builds never linger; the staging folder is checked to hold every file
//! the build wrote before it is swapped in.
//! Nothing outside the output folder (and its two short-lived siblings) is
//! ever written or deleted.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::Output;

/// The file every output folder made by g40site holds at its top. Only a
/// folder with it (or an empty one) is replaced without `--force`.
pub const MARKER: &str = crate::site::urls::MARKER_FILE;

/// What the marker says to someone who finds it.
const MARKER_TEXT: &str = "This folder was made by g40site. Every `g40site build` replaces it as a whole:\nfiles put here by hand are removed. Do not put anything here you want to keep.\n";

/// Where an output folder was asked for: the rules differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputFrom {
    /// `--output` (or [`crate::BuildOptions::output`]): may be outside the site.
    CommandLine,
    /// `output:` in site.yaml: must stay inside the site folder.
    SiteYaml,
    /// Neither: `output/` in the site folder (must stay inside it too).
    Default,
}

/// The folders of a site that hold what editors wrote.
const SOURCE_FOLDERS: [&str; 5] = ["content", "themes", "templates", "static", ".git"];

/// Resolve the output folder to its real path and check that a build may
/// replace it. `output` is as the user wrote it: for
/// [`OutputFrom::SiteYaml`] relative to the site folder `root`, else
/// relative to the current folder. Returns the real path; every later
/// step works on that path only, so no spelling or symbolic link can lead
/// it elsewhere.
pub(crate) fn check_output_dir(
    root: &Path,
    output: &Path,
    from: OutputFrom,
) -> Result<PathBuf, Diagnostic> {
    let refuse = |why: String| -> Diagnostic {
        let refusal = format!(
            "refusing to use {} as the output folder: {why}",
            output.display()
        );
        match from {
            OutputFrom::SiteYaml => {
                let mut d = Diagnostic::new("site.yaml", refusal).hint(
                    "write a folder inside the site, e.g. `output: output`; to build elsewhere, pass `--output DIR`",
                );
                if let Ok(text) = fs::read_to_string(root.join("site.yaml")) {
                    let (l, c) =
                        crate::util::yaml_locator::find_text(&text, "output:", 0).unwrap_or((1, 1));
                    d = d.at(&text, l, c);
                }
                d
            }
            OutputFrom::Default => Diagnostic::new(output, refusal)
                .hint("remove or rename it, or choose another folder with `--output`"),
            OutputFrom::CommandLine => Diagnostic::new(output, refusal)
                .hint("choose a separate folder, e.g. `--output output`"),
        }
    };
    let spelled = match from {
        OutputFrom::SiteYaml if output.has_root() || output.is_absolute() => {
            return Err(refuse(
                "`output:` in site.yaml must be a folder inside the site, not an absolute path"
                    .into(),
            ));
        }
        OutputFrom::SiteYaml | OutputFrom::Default => absolute(&root.join(output)),
        OutputFrom::CommandLine => absolute(output),
    };
    let root_real = fs::canonicalize(root)
        .map_err(|e| Diagnostic::new(root, format!("cannot read the site folder: {e}")))?;
    let real = resolve(&spelled).map_err(|e| refuse(format!("cannot resolve it: {e}")))?;
    let leads = if spelled == real {
        String::new()
    } else {
        format!(" (it leads to {})", real.display())
    };
    if from != OutputFrom::CommandLine && !real.starts_with(&root_real) {
        return Err(refuse(format!("it is not inside the site folder{leads}")));
    }
    if real.parent().is_none() {
        return Err(refuse(format!("it is a file system root{leads}")));
    }
    if real == root_real {
        return Err(refuse(format!("it is the site folder{leads}")));
    }
    if root_real.starts_with(&real) {
        return Err(refuse(format!("it contains the site folder{leads}")));
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    if let Some(home) = home.and_then(|h| fs::canonicalize(h).ok())
        && home.starts_with(&real)
    {
        let is = if home == real { "is" } else { "contains" };
        return Err(refuse(format!("it {is} your home folder{leads}")));
    }
    for name in SOURCE_FOLDERS {
        // Both where the folder is and, if it is a link, where it leads.
        let spelled = root_real.join(name);
        let linked = fs::canonicalize(&spelled).ok();
        for source in std::iter::once(spelled).chain(linked) {
            if real.starts_with(&source) {
                return Err(refuse(format!("it is inside {name}/{leads}")));
            }
            if source.starts_with(&real) {
                return Err(refuse(format!("it contains {name}/{leads}")));
            }
        }
    }
    Ok(real)
}

/// The real path of `path`, like `realpath -m`: every part that exists is
/// resolved (symbolic links followed, `..` taken from the real folder);
/// the parts that do not exist yet are appended as written. A link that
/// leads nowhere is an error.
pub(crate) fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let mut real = PathBuf::new();
    for c in absolute(path).components() {
        match c {
            Component::Prefix(_) | Component::RootDir => real.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                real.pop();
            }
            Component::Normal(name) => {
                let next = real.join(name);
                real = match fs::symlink_metadata(&next) {
                    Ok(_) => fs::canonicalize(&next)?,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => next,
                    Err(e) => return Err(e),
                };
            }
        }
    }
    Ok(real)
}

/// A checked output folder ([`check_output_dir`]), locked for this build:
/// builds of the same output take turns. Leftovers of killed builds are
/// dealt with once the lock is held, so they cannot belong to a live
/// build. Dropping it releases the lock.
pub(crate) struct OutputFolder {
    output: PathBuf,
    parent: PathBuf,
    name: String,
    force: bool,
    /// Held until dropped (the lock goes with the open file).
    _lock: fs::File,
    /// Leftovers that were left alone, and why.
    pub warnings: Vec<Diagnostic>,
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::new(path, format!("cannot {what}: {e}"))
        .hint("check that the folder is writable and the disk is not full")
}

impl OutputFolder {
    /// Lock the (real, checked) output folder `output`, waiting for another
    /// build of it to finish (saying so when `announce`), repair what a
    /// killed build left, and check that the folder may be replaced: it is
    /// missing, empty, or has the [`MARKER`]; or `force` is set.
    pub(crate) fn open(
        output: &Path,
        force: bool,
        announce: bool,
    ) -> Result<OutputFolder, Diagnostic> {
        let output = output.to_path_buf();
        let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
            return Err(Diagnostic::new(
                &output,
                "the output folder has no parent folder",
            ));
        };
        let parent = parent.to_path_buf();
        let name = name.to_string_lossy().into_owned();
        fs::create_dir_all(&parent).map_err(|e| io_error("create the folder", &parent, e))?;
        let lock = lock(&parent, &name, &output, announce)?;
        let mut folder = OutputFolder {
            output,
            parent,
            name,
            force,
            _lock: lock,
            warnings: Vec::new(),
        };
        folder.warnings = remove_stale_siblings(&folder.parent, &folder.name);
        folder.check_replaceable()?;
        Ok(folder)
    }

    /// The output folder may be replaced: missing, an empty folder, one
    /// with the marker, or `--force`.
    fn check_replaceable(&self) -> Result<(), Diagnostic> {
        let output = &self.output;
        let meta = match fs::symlink_metadata(output) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io_error("read the output folder", output, e)),
            Ok(m) => m,
        };
        if !meta.is_dir() {
            return Err(
                Diagnostic::new(output, "the output path exists and is not a folder")
                    .hint("remove the file or choose another --output"),
            );
        }
        if self.force || is_ours(output) {
            return Ok(());
        }
        Err(Diagnostic::new(
            output,
            format!(
                "refusing to replace {}: it is not empty and g40site did not make it (it has no {MARKER} file)",
                output.display()
            ),
        )
        .hint(
            "choose a new or empty folder; or, if everything in it may go (for example the output of a g40site from before the marker), build once with --force",
        ))
    }

    /// Start writing a new site: an empty staging folder next to the
    /// output folder, with the marker in it.
    pub(crate) fn stage(&self) -> Result<Staging<'_>, Diagnostic> {
        let pid = std::process::id();
        let staging = self
            .parent
            .join(format!(".{}.g40site-new-{pid}", self.name));
        let previous = self
            .parent
            .join(format!(".{}.g40site-old-{pid}", self.name));
        // Under the lock, a folder of this name is a leftover of a build of
        // this process that is gone: the stale-sibling rules apply.
        fs::create_dir(&staging).map_err(|e| io_error("create the folder", &staging, e))?;
        let staged = Staging {
            folder: self,
            staging,
            previous,
            written: AtomicUsize::new(0),
            committed: false,
        };
        fs::write(staged.staging.join(MARKER), MARKER_TEXT)
            .map_err(|e| io_error("write", &staged.output().join(MARKER), e))?;
        Ok(staged)
    }
}

/// Lock the output's parent folder (a directory can be locked on Unix; on
/// other systems a lock file beside the output is). Waits for the holder.
fn lock(parent: &Path, name: &str, output: &Path, announce: bool) -> Result<fs::File, Diagnostic> {
    #[cfg(unix)]
    let file = {
        let _ = name;
        fs::File::open(parent)
    };
    #[cfg(not(unix))]
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(parent.join(format!(".{name}.g40site.lock")));
    let file = file.map_err(|e| io_error("lock the output folder", parent, e))?;
    match file.try_lock() {
        Ok(()) => return Ok(file),
        Err(fs::TryLockError::WouldBlock) => {}
        Err(fs::TryLockError::Error(e)) => {
            return Err(io_error("lock the output folder", parent, e));
        }
    }
    if announce {
        eprintln!(
            "Waiting for another g40site build into {} to finish...",
            output.display()
        );
    }
    file.lock()
        .map_err(|e| io_error("lock the output folder", parent, e))?;
    Ok(file)
}

/// `dir` is empty or has the marker: g40site made it (or nothing is lost).
fn is_ours(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
        || fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// Write `outputs` into `folder` atomically (see the module docs).
pub(crate) fn write_atomically(
    folder: &OutputFolder,
    outputs: &[Output],
) -> Result<(), Diagnostic> {
    let staging = folder.stage()?;
    outputs
        .par_iter()
        .try_for_each(|file| staging.write(file))?;
    staging.commit()
}

/// A new site being written: files go into a staging folder next to the
/// output folder as they are rendered ([`Staging::write`], from any
/// thread), and [`Staging::commit`] swaps it in. Dropped without a commit
/// (an error, a panic), the staging folder is removed and the output
/// folder is as it was.
pub(crate) struct Staging<'a> {
    folder: &'a OutputFolder,
    staging: PathBuf,
    previous: PathBuf,
    /// Files written, to check the staging folder is whole before commit.
    written: AtomicUsize,
    committed: bool,
}

impl Staging<'_> {
    fn output(&self) -> &Path {
        &self.folder.output
    }

    /// Write one file into the staging folder, creating its folders as
    /// needed. Paths that would leave the output folder are refused, and
    /// so is a second file at the same path (every path has one writer).
    pub(crate) fn write(&self, file: &Output) -> Result<(), Diagnostic> {
        let shown = self.output().join(&file.path);
        let rel = safe_relative(&file.path).ok_or_else(|| {
            Diagnostic::new(
                &file.path,
                "refusing to write a file outside the output folder",
            )
        })?;
        let target = self.staging.join(rel);
        let create = || {
            fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
        };
        // A page's folder (`…/slug/index.html`) is nearly always new:
        // making it first spares the open that would fail without it. If
        // it exists, or its parent does not, the open below says so.
        if target.ends_with("index.html")
            && let Some(dir) = target.parent()
        {
            let _ = fs::create_dir(dir);
        }
        let mut f = match create() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // The first file of its folder: make the folder (another
                // thread may be making it too; that is fine).
                if let Some(dir) = target.parent() {
                    fs::create_dir_all(dir).map_err(|e| {
                        io_error("create the folder", shown.parent().unwrap_or(&shown), e)
                    })?;
                }
                create()
            }
            other => other,
        }
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::new(
                    &shown,
                    format!("two files of this build have the same path `{}`", file.path),
                )
                .hint("every output path has one writer: rename one of the sources")
            } else {
                io_error("write", &shown, e)
            }
        })?;
        f.write_all(&file.bytes)
            .map_err(|e| io_error("write", &shown, e))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// The staging folder holds the marker and exactly the files written:
    /// nothing removed it or part of it while the build ran.
    fn check_whole(&self) -> Result<(), Diagnostic> {
        let expected = self.written.load(Ordering::Relaxed) + 1;
        if count_files(&self.staging) == Some(expected) && self.staging.join(MARKER).is_file() {
            Ok(())
        } else {
            Err(self.torn())
        }
    }

    fn torn(&self) -> Diagnostic {
        Diagnostic::new(
            &self.staging,
            "the new site's staging folder changed while it was written (was it removed by another program?); the previous output was kept",
        )
        .hint("build again, and make sure no other program cleans up this folder")
    }

    /// Swap the new site in: in one step where the system can, else the
    /// old out of the way and the new in; then the old removed.
    pub(crate) fn commit(mut self) -> Result<(), Diagnostic> {
        self.check_whole()?;
        // The output folder may have been replaced while the build ran.
        self.folder.check_replaceable()?;
        self.committed = true;
        let (output, staging, previous) = (&self.folder.output, &self.staging, &self.previous);
        if output.is_dir() && exchange(staging, output) {
            // `staging` now holds the previous site.
            remove_ours(staging);
            return Ok(());
        }
        let had_previous = fs::symlink_metadata(output).is_ok();
        if had_previous {
            fs::rename(output, previous).map_err(|e| {
                remove_ours(staging);
                io_error("move the previous output aside", output, e)
            })?;
        }
        if let Err(e) = fs::rename(staging, output) {
            if had_previous {
                let _ = fs::rename(previous, output);
            }
            remove_ours(staging);
            return Err(io_error("move the new output into place", output, e));
        }
        if had_previous {
            remove_ours(previous);
        }
        Ok(())
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        if !self.committed {
            remove_ours(&self.staging);
        }
    }
}

/// Atomically swap two folders (Linux `renameat2` with `RENAME_EXCHANGE`).
/// `false` when the system or file system cannot; nothing has changed then.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) = (
        CString::new(a.as_os_str().as_bytes()),
        CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// A killed build can leave staging or backup folders behind (called
/// with the lock held, so no live build owns them). A backup is the last
/// good site: if the output folder is missing, it is restored; otherwise
/// leftovers are removed. Only real folders that are empty or carry the
/// marker count as leftovers: anything else of that name is left alone
/// (returned as a warning).
fn remove_stale_siblings(parent: &Path, name: &str) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let output = parent.join(name);
    let Ok(entries) = fs::read_dir(parent) else {
        return warnings;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    let (new, old) = (
        format!(".{name}.g40site-new-"),
        format!(".{name}.g40site-old-"),
    );
    for path in entries {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !(file_name.starts_with(&new) || file_name.starts_with(&old)) {
            continue;
        }
        let real_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if !real_dir || !is_ours(&path) {
            warnings.push(
                Diagnostic::new(
                    &path,
                    "left alone: named like a leftover of a build, but g40site did not make it",
                )
                .hint("remove or rename it yourself"),
            );
            continue;
        }
        if file_name.starts_with(&old) && fs::symlink_metadata(&output).is_err() {
            let _ = fs::rename(&path, &output);
        } else {
            remove_ours(&path);
        }
    }
    warnings
}

/// Remove a folder of ours with its marker last, so that a build killed
/// while removing it leaves a folder that the next build still knows as
/// its own (the marker, or nothing at all) and finishes removing.
fn remove_ours(dir: &Path) {
    remove_entries(dir, Some(MARKER));
    let _ = fs::remove_dir_all(dir);
}

/// Remove what `dir` holds (but the entry named `keep`), folders with
/// everything in them, on every core: removing the previous site is a
/// fifth of a large build (a folder per page), and it waits on the file
/// system, not on one core. Links are removed, never followed.
fn remove_entries(dir: &Path, keep: Option<&str>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let entries: Vec<fs::DirEntry> = entries
        .filter_map(|e| e.ok())
        .filter(|e| keep.is_none_or(|k| e.file_name() != k))
        .collect();
    entries.par_iter().for_each(|entry| {
        let path = entry.path();
        let _ = match entry.file_type() {
            Ok(t) if t.is_dir() => {
                remove_entries(&path, None);
                fs::remove_dir(&path)
            }
            _ => fs::remove_file(&path),
        };
    });
}

/// How many files `dir` holds, in it and in its folders (links are not
/// followed); `None` when a folder cannot be read. Folders are read in
/// parallel: on a large site this runs while nothing else does.
fn count_files(dir: &Path) -> Option<usize> {
    let mut files = 0;
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        match entry.file_type().ok()? {
            t if t.is_dir() => folders.push(entry.path()),
            t if t.is_file() => files += 1,
            _ => {}
        }
    }
    let nested: Option<usize> = folders.par_iter().map(|f| count_files(f)).sum();
    Some(files + nested?)
}

/// A relative path made only of normal components, or `None`.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let ok = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| p.to_path_buf())
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_source_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/a")).unwrap();
        let check = |p: &str| check_output_dir(root, &root.join(p), OutputFrom::CommandLine);
        assert!(check(".").is_err());
        assert!(check("content").is_err());
        assert!(check("content/a/b").is_err());
        assert!(check("themes/g40").is_err());
        assert!(check("output/../content").is_err());
        assert!(check("..").is_err());
        assert!(check_output_dir(root, Path::new("/"), OutputFrom::CommandLine).is_err());
        assert_eq!(
            check("output").unwrap(),
            root.canonicalize().unwrap().join("output")
        );
        let yaml = |p: &str| check_output_dir(root, Path::new(p), OutputFrom::SiteYaml);
        assert!(yaml("../elders").is_err());
        assert!(yaml("/tmp/elders").is_err());
        assert!(yaml("publiek/site").is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn resolves_links_and_missing_parts() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        std::fs::create_dir(base.join("echt")).unwrap();
        std::os::unix::fs::symlink("echt", base.join("link")).unwrap();
        assert_eq!(
            resolve(&base.join("link/nieuw/x")).unwrap(),
            base.join("echt/nieuw/x")
        );
        assert_eq!(
            resolve(&base.join("link/../echt/y")).unwrap(),
            base.join("echt/y")
        );
        assert_eq!(
            resolve(&base.join("nieuw/../link")).unwrap(),
            base.join("echt")
        );
        std::os::unix::fs::symlink("nergens", base.join("kapot")).unwrap();
        assert!(resolve(&base.join("kapot/x")).is_err());
    }

    /// Removing an old site removes links in it, never what they point
    /// to, and leaves the marker for last.
    #[cfg(unix)]
    #[test]
    fn removing_an_old_site_does_not_follow_links() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        let outside = base.join("buiten");
        std::fs::create_dir_all(outside.join("map")).unwrap();
        std::fs::write(outside.join("map/bewaar.txt"), "blijft").unwrap();
        let old = base.join("oud");
        for page in [
            "a/b/index.html",
            "a/c/index.html",
            "d/index.html",
            "index.html",
        ] {
            let path = old.join(page);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        std::fs::write(old.join(MARKER), MARKER_TEXT).unwrap();
        std::os::unix::fs::symlink(&outside, old.join("a/naar-buiten")).unwrap();
        std::os::unix::fs::symlink(outside.join("map/bewaar.txt"), old.join("d/bestand")).unwrap();
        remove_ours(&old);
        assert!(!old.exists());
        assert_eq!(
            std::fs::read_to_string(outside.join("map/bewaar.txt")).unwrap(),
            "blijft"
        );
    }

    #[test]
    fn rejects_paths_that_climb_out() {
        assert!(safe_relative("../x").is_none());
        assert!(safe_relative("/etc/passwd").is_none());
        assert!(safe_relative("a/b/index.html").is_some());
    }
}
