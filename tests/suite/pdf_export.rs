//! `build --pdf` with a Chromium that misbehaves (issue 18): one that
//! never answers and one that dies while printing. Both are small shell
//! scripts named with `--chromium`, so no real Chromium is needed; the
//! build must fail within seconds with a clear, located error, leave no
//! process and no temporary profile behind, and leave the previous output
//! as it was. (The real Chromium, started once per export: the `browser`
//! tests, `pdf::`.) And `serve` never prints PDFs.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::common::Fixture;

/// A site with one printed document, a note.
fn site_with_a_note() -> Fixture {
    Fixture::new().file(
        "content/notas/2024-01-01-nota.md",
        "---\nkind: note\ntitle: Een nota\nnote_type: Informatienota\norganisation: Gemeente Zwolle\ndate: 2024-01-01\nsummary: Kort.\nkernboodschap: Kort.\n---\n## Inhoud\n\nTekst.\n",
    )
}

/// Write an executable script into the site folder.
fn script(site: &Fixture, name: &str, text: &str) {
    let path = site.root().join(name);
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// `g40site build --pdf --chromium ./NAME` in the site folder, with its
/// own temp folder (where the Chromium profile goes); how long it took.
fn build_with(site: &Fixture, chromium: &str, tmp: &Path) -> (Output, Duration) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_g40site"))
        .args(["build", "--pdf", "--chromium", chromium])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .env("TMPDIR", tmp)
        .output()
        .expect("run g40site");
    (out, started.elapsed())
}

/// The process `pid` is gone (not running, not a zombie).
fn gone(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .is_some_and(|s| s.trim_start().starts_with('Z')),
    }
}

/// What the failed build printed; that it left the old output, no
/// profile and no Chromium behind.
fn failed(site: &Fixture, out: &Output, tmp: &Path) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "the build succeeded:\n{stderr}");
    assert_eq!(
        site.read("index.html"),
        "the previous site",
        "the previous output was touched"
    );
    let left: Vec<_> = std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left in the temp folder: {left:?}");
    if cfg!(target_os = "linux") {
        let pid = std::fs::read_to_string(site.root().join("chromium.pid")).unwrap();
        assert!(gone(pid.trim()), "the fake Chromium ({pid}) still runs");
    }
    stderr
}

#[cfg(unix)]
#[test]
fn a_chromium_that_never_answers_fails_the_pdf_build_within_seconds() {
    let site = site_with_a_note();
    site.write("output/index.html", "the previous site");
    site.write("output/.g40site-output", "");
    script(
        &site,
        "stuck-chromium",
        "#!/bin/sh\necho $$ > chromium.pid\necho 'fake chromium: started, says nothing' >&2\nexec sleep 600\n",
    );
    let tmp = tempfile::tempdir().unwrap();
    let (out, took) = build_with(&site, "./stuck-chromium", tmp.path());
    let stderr = failed(&site, &out, tmp.path());
    // Chromium starts in about a second; 20 s is the bound for its first
    // answer (before, each of the document's prints waited two minutes).
    assert!(took < Duration::from_secs(45), "took {took:?}:\n{stderr}");
    assert!(
        stderr.contains("content/notas/2024-01-01-nota.md")
            && stderr.contains("cannot print /notas/2024-01-01-nota/ to PDF")
            && stderr.contains("Chromium (./stuck-chromium) did not start")
            && stderr.contains("did not answer")
            && stderr.contains("within 20 s"),
        "{stderr}"
    );
    assert!(stderr.contains("--chromium PATH"), "no hint:\n{stderr}");
}

/// A Chromium that speaks the DevTools protocol on its fds 3 and 4 (the
/// commands g40site sends, answered the simplest way) until it is asked
/// to print, and then dies with a last word.
const DYING_CHROMIUM: &str = r#"#!/bin/bash
echo $$ > chromium.pid
while IFS= read -r -d '' message <&3; do
  id=${message#*\"id\":}
  id=${id%%[,\}]*}
  case "$message" in
    *'"Page.printToPDF"'*) echo 'fake chromium: crashed while printing' >&2; exit 3 ;;
    *'"Target.createTarget"'*) result='{"targetId":"T1"}' ;;
    *'"Target.attachToTarget"'*) result='{"sessionId":"S1"}' ;;
    *'"Page.navigate"'*) result='{"frameId":"F1","loaderId":"L1"}' ;;
    *) result='{}' ;;
  esac
  session=
  case "$message" in *'"sessionId":"S1"'*) session=',"sessionId":"S1"' ;; esac
  printf '{"id":%s%s,"result":%s}\0' "$id" "$session" "$result" >&4
  case "$message" in
    *'"Page.navigate"'*) printf '{"method":"Page.lifecycleEvent","sessionId":"S1","params":{"frameId":"F1","loaderId":"L1","name":"load"}}\0' >&4 ;;
  esac
done
"#;

#[cfg(unix)]
#[test]
fn a_chromium_that_dies_while_printing_fails_the_pdf_build_with_its_last_words() {
    if !Path::new("/bin/bash").is_file() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but /bin/bash is missing"
        );
        eprintln!("skipped: the fake Chromium is a bash script, and /bin/bash is missing");
        return;
    }
    let site = site_with_a_note();
    site.write("output/index.html", "the previous site");
    site.write("output/.g40site-output", "");
    script(&site, "dying-chromium", DYING_CHROMIUM);
    let tmp = tempfile::tempdir().unwrap();
    let (out, took) = build_with(&site, "./dying-chromium", tmp.path());
    let stderr = failed(&site, &out, tmp.path());
    assert!(took < Duration::from_secs(30), "took {took:?}:\n{stderr}");
    // Located at the document, with what Chromium said before it died.
    assert!(
        stderr.contains("content/notas/2024-01-01-nota.md")
            && stderr.contains("cannot print /notas/2024-01-01-nota/")
            && stderr.contains("Chromium quit (exit status: 3)")
            && stderr.contains("fake chromium: crashed while printing"),
        "{stderr}"
    );
}

/// `serve` never prints (issue 18): with a "Chromium" first on `PATH`
/// that notes every start, the preview of a site with a printed document
/// serves the document and its print page, links to no PDF, and never
/// starts it. (A guard: `serve` has never printed.)
#[cfg(unix)]
#[test]
fn serve_starts_no_chromium_and_links_no_pdf() {
    let site = site_with_a_note();
    let bin = tempfile::tempdir().unwrap();
    let starts = bin.path().join("starts.log");
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        let path = bin.path().join(name);
        std::fs::write(
            &path,
            format!(
                "#!/bin/sh\necho \"$0 $*\" >> '{}'\nexit 1\n",
                starts.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut path = std::ffi::OsString::from(bin.path());
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    let served = crate::common::serve_bin::Served::start_with_env(
        site.root(),
        &[],
        &[("PATH", path.as_os_str())],
    );
    let (status, _, page) = served.get("/notas/2024-01-01-nota/");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Een nota"), "{page}");
    assert!(
        !page.contains(".pdf"),
        "the preview links to a PDF:\n{page}"
    );
    let (status, _, _) = served.get("/notas/2024-01-01-nota/2024-01-01-nota.pdf");
    assert_eq!(status, 404);
    // Give a (wrongly) started print time to reach the browser.
    std::thread::sleep(Duration::from_millis(500));
    drop(served);
    assert!(
        !starts.exists(),
        "serve started Chromium: {}",
        std::fs::read_to_string(&starts).unwrap_or_default()
    );
}
