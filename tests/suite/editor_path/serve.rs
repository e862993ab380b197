//! `g40site serve` as an editor runs it: `cd site && g40site serve`, then
//! pages saved in every way editors save them. Each save must be served
//! within 2 s, on the same URL, and the terminal must say it rebuilt.

use std::fs;
use std::path::Path;
use std::time::Duration;

use crate::common::Fixture;
use crate::common::serve_bin::Served;

/// How soon a save must be visible.
const LIMIT: Duration = Duration::from_secs(2);

fn site() -> Fixture {
    Fixture::new().file(
        "content/over.md",
        "---\ntitle: Over ons\n---\nEerste versie.\n",
    )
}

fn page(text: &str) -> String {
    format!("---\ntitle: Over ons\n---\n{text}\n")
}

/// Serve from the site folder, no `--root`; check the page, save it with
/// `save`, and check that the new text is served within [`LIMIT`] and that
/// the terminal reported a rebuild.
fn saved_with(save: impl FnOnce(&Path)) {
    let site = site();
    let served = Served::start(site.root(), &[]);
    served.wait_for("/over/", "Eerste versie.", LIMIT);
    let before = served.log();
    save(&site.root().join("content/over.md"));
    served.wait_for("/over/", "Nieuwe tekst.", LIMIT);
    std::thread::sleep(Duration::from_millis(100));
    let after = served.log();
    assert!(
        after.len() > before.len() && (after.contains("Updated") || after.contains("Built")),
        "the terminal said nothing about the rebuild:\n{after}"
    );
}

#[test]
fn serve_shows_a_page_written_in_place() {
    saved_with(|path| {
        // Overwrite the bytes without truncating, then cut what is left.
        use std::io::{Seek, Write};
        let mut f = fs::OpenOptions::new().write(true).open(path).unwrap();
        let text = page("Nieuwe tekst.");
        f.seek(std::io::SeekFrom::Start(0)).unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f.set_len(text.len() as u64).unwrap();
    });
}

#[test]
fn serve_shows_a_page_appended_to() {
    saved_with(|path| {
        use std::io::Write;
        let mut f = fs::OpenOptions::new().append(true).open(path).unwrap();
        f.write_all(b"\nNieuwe tekst.\n").unwrap();
    });
}

#[test]
fn serve_shows_a_page_truncated_and_written() {
    saved_with(|path| {
        use std::io::Write;
        // Truncate, a pause (the editor is slow), then the new text.
        let mut f = fs::File::create(path).unwrap();
        std::thread::sleep(Duration::from_millis(30));
        f.write_all(page("Nieuwe tekst.").as_bytes()).unwrap();
    });
}

#[test]
fn serve_shows_a_page_saved_by_rename_over_like_sed_i() {
    saved_with(|path| {
        // `sed -i`: a temporary file without a dot, renamed over the page.
        let tmp = path.with_file_name("sedX4b2Qz");
        fs::write(&tmp, page("Nieuwe tekst.")).unwrap();
        fs::rename(&tmp, path).unwrap();
    });
}

#[test]
fn serve_shows_a_page_saved_like_vim() {
    saved_with(|path| {
        // vim (default `backupcopy=auto`): a probe file, the page renamed
        // to a backup, a new page written, the backup removed.
        let probe = path.with_file_name("4913");
        fs::write(&probe, "").unwrap();
        fs::remove_file(&probe).unwrap();
        let backup = path.with_file_name("over.md~");
        fs::rename(path, &backup).unwrap();
        fs::write(path, page("Nieuwe tekst.")).unwrap();
        fs::remove_file(&backup).unwrap();
    });
}

#[test]
fn serve_shows_a_page_saved_like_jetbrains_safe_write() {
    saved_with(|path| {
        let tmp = path.with_file_name("over.md___jb_tmp___");
        let old = path.with_file_name("over.md___jb_old___");
        fs::write(&tmp, page("Nieuwe tekst.")).unwrap();
        fs::rename(path, &old).unwrap();
        fs::rename(&tmp, path).unwrap();
        fs::remove_file(&old).unwrap();
    });
}

#[test]
fn serve_shows_a_page_deleted_and_created_again() {
    saved_with(|path| {
        fs::remove_file(path).unwrap();
        std::thread::sleep(Duration::from_millis(30));
        fs::write(path, page("Nieuwe tekst.")).unwrap();
    });
}

#[test]
fn serve_shows_a_new_page_and_a_new_folder_with_a_page() {
    let site = site();
    let served = Served::start(site.root(), &[]);
    served.wait_for("/over/", "Eerste versie.", LIMIT);
    assert_eq!(served.get("/nieuw/").0, 404);
    site.write(
        "content/nieuw.md",
        "---\ntitle: Nieuw\n---\nNieuwe pagina.\n",
    );
    served.wait_for("/nieuw/", "Nieuwe pagina.", LIMIT);
    // A folder made and filled at once (`mkdir -p` and a save).
    let dir = site.root().join("content/map/sub");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("diep.md"),
        "---\ntitle: Diep\n---\nIn een nieuwe map.\n",
    )
    .unwrap();
    served.wait_for("/map/sub/diep/", "In een nieuwe map.", LIMIT);
    // And a page saved later inside that new folder.
    fs::write(
        dir.join("later.md"),
        "---\ntitle: Later\n---\nLater erbij.\n",
    )
    .unwrap();
    served.wait_for("/map/sub/later/", "Later erbij.", LIMIT);
}

#[test]
fn serve_watches_a_source_folder_made_after_it_started() {
    // No static/ when serve starts; the editor adds it with a file.
    let site = site();
    let served = Served::start(site.root(), &[]);
    served.wait_for("/over/", "Eerste versie.", LIMIT);
    assert_eq!(served.get("/extra.css").0, 404);
    site.write("static/extra.css", "body { color: teal }\n");
    served.wait_for("/extra.css", "teal", LIMIT);
    // A file saved later in that folder is seen too.
    site.write("static/extra.css", "body { color: navy }\n");
    served.wait_for("/extra.css", "navy", LIMIT);
}

#[test]
fn serve_with_a_relative_root_sees_saves() {
    let site = site();
    let parent = site.root().parent().unwrap();
    let name = site.root().file_name().unwrap().to_str().unwrap();
    let served = Served::start(parent, &["--root", name]);
    served.wait_for("/over/", "Eerste versie.", LIMIT);
    site.write("content/over.md", &page("Nieuwe tekst."));
    served.wait_for("/over/", "Nieuwe tekst.", LIMIT);
    let tmp = site.root().join("content/sedQ1w2e3");
    fs::write(&tmp, page("Derde tekst.")).unwrap();
    fs::rename(&tmp, site.root().join("content/over.md")).unwrap();
    served.wait_for("/over/", "Derde tekst.", LIMIT);
}

#[cfg(unix)]
#[test]
fn serve_through_a_symlinked_site_folder_sees_saves() {
    let site = site();
    let outer = tempfile::tempdir().unwrap();
    let link = outer.path().join("site");
    std::os::unix::fs::symlink(site.root(), &link).unwrap();
    // `cd site && g40site serve`, through the link.
    let served = Served::start(&link, &[]);
    served.wait_for("/over/", "Eerste versie.", LIMIT);
    fs::write(link.join("content/over.md"), page("Nieuwe tekst.")).unwrap();
    served.wait_for("/over/", "Nieuwe tekst.", LIMIT);
    drop(served);
    // `g40site serve --root site`, the link named relative to the parent.
    let served = Served::start(outer.path(), &["--root", "site"]);
    served.wait_for("/over/", "Nieuwe tekst.", LIMIT);
    let tmp = link.join("content/sedZ9y8x7");
    fs::write(&tmp, page("Derde tekst.")).unwrap();
    fs::rename(&tmp, link.join("content/over.md")).unwrap();
    served.wait_for("/over/", "Derde tekst.", LIMIT);
}

/// `serve` started on a broken site: every page is the error (file and
/// line), the event stream says it too, and once the file is fixed the
/// open page is told to reload and the same URL is the real page.
#[test]
fn serve_started_on_a_broken_site_shows_the_error_then_the_site() {
    let site = site().file(
        "content/over.md",
        "---\ntitle: Over ons\ndate: 2023-02-30\n---\nEerste versie.\n",
    );
    let served = Served::start(site.root(), &[]);
    for path in ["/over/", "/", "/bestaat-niet/"] {
        let (status, head, body) = served.get(path);
        assert_eq!(status, 500, "{path}: {head}");
        assert!(head.contains("text/html"), "{path}: {head}");
        assert!(body.contains("content/over.md:3:7"), "{path}: {body}");
        assert!(body.contains("invalid date"), "{path}: {body}");
        assert!(
            body.contains("<script src=\"/__g40site/reload.js\"></script>"),
            "{path}: the error page must reload itself: {body}"
        );
        assert!(!body.contains("Niet gevonden"), "{path}: {body}");
    }
    // What the page's script hears: the errors at once.
    let mut events = served.events();
    let (name, data) = events.next();
    assert_eq!(name, "errors");
    let text: String = serde_json::from_str(&data).unwrap();
    assert!(text.contains("content/over.md:3:7"), "{text}");

    // Fixed: the open page is told to reload, and the same URL is the page.
    site.write(
        "content/over.md",
        "---\ntitle: Over ons\ndate: 2023-02-10\n---\nHersteld.\n",
    );
    events.wait_for("reload");
    let (status, _, body) = served.get("/over/");
    assert_eq!(status, 200);
    assert!(body.contains("Hersteld."), "{body}");
}
