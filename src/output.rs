//! Write: put the rendered files on disk, all or nothing.
//!
//! The new site is written into a staging folder next to the output folder
//! and then swapped in, so a failed or interrupted build never leaves a
//! half-written `output/`: readers see the old site or the new one. On
//! Linux the swap is one atomic exchange of the two folders
//! (`renameat2(RENAME_EXCHANGE)`), so `output/` is never missing, not even
//! for a moment; elsewhere (or on file systems without it) it is two
//! renames, and a build killed between them is repaired by the next one.
//! Each build starts from an empty staging folder, so files of earlier
//! builds never linger.
//! Nothing outside the output folder (and its two short-lived siblings) is
//! ever written or deleted, and the output folder may not be a folder the
//! editors' files live in.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::Output;

/// Refuse output folders that would overwrite or delete the site's sources.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = normalise(&absolute(root));
    let out = normalise(&absolute(output));
    let refuse = |why: &str| {
        Err(Diagnostic::new(
            output,
            format!(
                "refusing to use {} as the output folder: {why}",
                output.display()
            ),
        )
        .hint("choose a separate folder, e.g. `--output output`"))
    };
    if out == root {
        return refuse("it is the site root");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site");
    }
    for protected in ["content", "themes", "templates", "static", ".git"] {
        let p = root.join(protected);
        if out == p || out.starts_with(&p) {
            return refuse(&format!("it is inside {protected}/"));
        }
    }
    if out.parent().is_none() {
        return refuse("it is a file system root");
    }
    Ok(())
}

/// Repair what a killed build may have left next to `output` (see
/// [`remove_stale_siblings`]), before anything else happens, so that even
/// a build that then fails leaves the last good site in place.
pub fn recover_interrupted(output: &Path) {
    let output = absolute(output);
    if let (Some(parent), Some(name)) = (output.parent(), output.file_name()) {
        remove_stale_siblings(parent, &name.to_string_lossy());
    }
}

/// Write `outputs` to `output` atomically (see the module docs).
pub fn write_atomically(output: &Path, outputs: &[Output]) -> Result<(), Diagnostic> {
    let staging = Staging::begin(output)?;
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
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    previous: PathBuf,
    committed: bool,
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::new(path, format!("cannot {what}: {e}"))
        .hint("check that the folder is writable and the disk is not full")
}

impl Staging {
    /// Create the (empty) staging folder for `output`.
    pub fn begin(output: &Path) -> Result<Staging, Diagnostic> {
        let output = absolute(output);
        let parent = output
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        fs::create_dir_all(&parent).map_err(|e| io_error("create the folder", &parent, e))?;
        if output.exists() && !output.is_dir() {
            return Err(
                Diagnostic::new(&output, "the output path exists and is not a folder")
                    .hint("remove the file or choose another --output"),
            );
        }
        let staging = parent.join(format!(".{name}.g40site-new-{}", std::process::id()));
        let previous = parent.join(format!(".{name}.g40site-old-{}", std::process::id()));
        remove_stale_siblings(&parent, &name);
        fs::create_dir_all(&staging).map_err(|e| io_error("create the folder", &staging, e))?;
        Ok(Staging {
            output,
            staging,
            previous,
            committed: false,
        })
    }

    /// Write one file into the staging folder, creating its folders as
    /// needed. Paths that would leave the output folder are refused.
    pub fn write(&self, file: &Output) -> Result<(), Diagnostic> {
        let rel = safe_relative(&file.path).ok_or_else(|| {
            Diagnostic::new(
                &file.path,
                "refusing to write a file outside the output folder",
            )
        })?;
        let target = self.staging.join(rel);
        let create = || fs::File::create(&target);
        let mut f = match create() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // The first file of its folder: make the folder (another
                // thread may be making it too; that is fine).
                if let Some(dir) = target.parent() {
                    fs::create_dir_all(dir).map_err(|e| io_error("create the folder", dir, e))?;
                }
                create()
            }
            other => other,
        }
        .map_err(|e| io_error("write", &target, e))?;
        f.write_all(&file.bytes)
            .map_err(|e| io_error("write", &target, e))
    }

    /// Swap the new site in: in one step where the system can, else the
    /// old out of the way and the new in; then the old removed.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        self.committed = true;
        let (output, staging, previous) = (&self.output, &self.staging, &self.previous);
        if output.is_dir() && exchange(staging, output) {
            // `staging` now holds the previous site.
            let _ = fs::remove_dir_all(staging);
            return Ok(());
        }
        let had_previous = output.exists();
        if had_previous {
            fs::rename(output, previous).map_err(|e| {
                let _ = fs::remove_dir_all(staging);
                io_error("move the previous output aside", output, e)
            })?;
        }
        if let Err(e) = fs::rename(staging, output) {
            if had_previous {
                let _ = fs::rename(previous, output);
            }
            let _ = fs::remove_dir_all(staging);
            return Err(io_error("move the new output into place", output, e));
        }
        if had_previous {
            let _ = fs::remove_dir_all(previous);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
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

/// A killed build can leave staging or backup folders behind. A backup is
/// the last good site: if the output folder is missing, it is restored;
/// otherwise leftovers are removed.
fn remove_stale_siblings(parent: &Path, name: &str) {
    let output = parent.join(name);
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if file_name.starts_with(&format!(".{name}.g40site-old-")) && !output.exists() {
            let _ = fs::rename(&path, &output);
        } else if file_name.starts_with(&format!(".{name}.g40site-")) {
            let _ = fs::remove_dir_all(&path);
        }
    }
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

/// Resolve `.` and `..` without touching the file system (the output
/// folder may not exist yet).
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_source_folders() {
        let root = Path::new("/site");
        assert!(check_output_dir(root, Path::new("/site")).is_err());
        assert!(check_output_dir(root, Path::new("/site/content")).is_err());
        assert!(check_output_dir(root, Path::new("/site/themes/g40")).is_err());
        assert!(check_output_dir(root, Path::new("/")).is_err());
        assert!(check_output_dir(root, Path::new("/site/output/../content")).is_err());
        assert!(check_output_dir(root, Path::new("/site/output")).is_ok());
    }

    #[test]
    fn rejects_paths_that_climb_out() {
        assert!(safe_relative("../x").is_none());
        assert!(safe_relative("/etc/passwd").is_none());
        assert!(safe_relative("a/b/index.html").is_some());
    }
}
