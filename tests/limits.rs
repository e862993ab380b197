//! Inputs that used to take minutes or gigabytes (issue 13, items 4 and
//! 7). Each runs the real binary in the site folder, as an editor does,
//! with a deadline, and reads its peak memory from the kernel (`wait4`):
//! every one must end within seconds, with bounded memory, and with an
//! error that names the limit (the limits are listed in
//! docs/guarantees.md). Times are for a debug build on a loaded 2-core
//! machine, with a wide margin; the old code took minutes (or was killed)
//! on each.
//!
//! A binary of its own: `wait4` reports a child's peak memory from before
//! its `exec` too, when it still shares this process's memory, so this
//! process must stay small (the `huge` tests, built in-process, reach
//! 900 MB).

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Fixture;

/// One expensive build at a time, so timings are not of tests competing
/// for the same cores.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

struct Run {
    code: Option<i32>,
    stderr: String,
    took: Duration,
    /// Peak resident memory of the process, in MB.
    peak_mb: u64,
}

/// Run `g40site build` in the site folder; kill it after `deadline`.
fn build(site: &Fixture, deadline: Duration) -> Run {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let stderr_path = site.root().join("stderr.txt");
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_g40site"))
        .arg("build")
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .expect("run g40site");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain wait4 on our own child; `rusage` is written by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        assert!(r == 0, "wait4 failed");
        if started.elapsed() > deadline {
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::wait4(pid, &mut status, 0, &mut usage);
            }
            panic!(
                "g40site build still running after {deadline:?} (peak {} MB); killed",
                usage.ru_maxrss / 1024
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let took = started.elapsed();
    std::mem::forget(child); // already reaped
    Run {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        stderr: std::fs::read_to_string(&stderr_path).unwrap(),
        took,
        peak_mb: usage.ru_maxrss as u64 / 1024,
    }
}

fn failed_with(run: &Run, needles: &[&str]) {
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    for n in needles {
        assert!(run.stderr.contains(n), "`{n}` not in:\n{}", run.stderr);
    }
}

/// A 10 KB string aliased 10,000 times in a list aliased 50 times: a
/// 50 KB file that stands for 5 GB.
fn alias_bomb(indent: &str) -> String {
    let long = "x".repeat(10_000);
    format!(
        "{indent}a: &a \"{long}\"\n{indent}b: &b [{}]\n{indent}c: [{}]\n",
        vec!["*a"; 10_000].join(", "),
        vec!["*b"; 50].join(", ")
    )
}

#[test]
fn a_yaml_alias_bomb_is_a_located_error_in_data_files_and_front_matter() {
    let site = Fixture::new()
        .file("content/_data/bom.yaml", &alias_bomb(""))
        .file(
            "content/pagina.md",
            &format!(
                "---\ntitle: Pagina\nextra:\n{}---\nTekst.\n",
                alias_bomb("  ")
            ),
        )
        .file(
            "content/netwerkdagen/_index.md",
            "---\ntitle: Netwerkdagen\n---\n",
        )
        .file(
            "content/netwerkdagen/dag.yaml",
            &format!(
                "kind: programme\ntitle: Dag\ndate: 2023-02-10\nrooms: []\nsessions: []\nx:\n{}",
                alias_bomb("  ")
            ),
        );
    let run = build(&site, Duration::from_secs(30));
    eprintln!("alias bombs: {:?}, {} MB", run.took, run.peak_mb);
    failed_with(
        &run,
        &[
            "error: YAML document too large: more than 64 MB of text once its aliases (`*naam`) are expanded (the limit)",
            "--> content/_data/bom.yaml:2:",
            "--> content/pagina.md:5:",
            "--> content/netwerkdagen/dag.yaml:8:",
        ],
    );
    assert!(run.took < Duration::from_secs(15), "{:?}", run.took);
    assert!(run.peak_mb < 300, "{} MB", run.peak_mb);
    // The offending 10,000-character line is quoted around the column, not whole.
    assert!(
        run.stderr.lines().all(|l| l.chars().count() < 200),
        "{}",
        run.stderr
    );
}

#[test]
fn a_hundred_thousand_levels_of_yaml_nesting_fail_within_seconds() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let site = Fixture::new()
        .file("content/_data/diep.yaml", &format!("a: {deep}\n"))
        .file(
            "content/pagina.md",
            &format!("---\ntitle: Pagina\nextra: {deep}\n---\nTekst.\n"),
        )
        .file("site.yaml", &format!("{}x: {deep}\n", common::SITE_YAML));
    let run = build(&site, Duration::from_secs(60));
    eprintln!("100,000-deep YAML: {:?}, {} MB", run.took, run.peak_mb);
    failed_with(
        &run,
        &[
            "YAML nested too deeply: more than 128 levels of lists and mappings inside each other (the limit)",
            "--> site.yaml:",
        ],
    );
    assert!(run.took < Duration::from_secs(10), "{:?}", run.took);
    // site.yaml is read first; with it fixed, the content files are reported.
    site.write("site.yaml", common::SITE_YAML);
    let run = build(&site, Duration::from_secs(60));
    failed_with(
        &run,
        &[
            "--> content/_data/diep.yaml:1:131",
            "--> content/pagina.md:3:135",
        ],
    );
    assert!(run.took < Duration::from_secs(10), "{:?}", run.took);
}

#[test]
fn forty_thousand_footnotes_build_in_linear_time() {
    let n = 40_000;
    let mut text = String::from("---\ntitle: Noten\n---\n");
    for i in 0..n {
        text.push_str(&format!("Zin {i}[^n{i}].\n"));
    }
    text.push('\n');
    for i in 0..n {
        text.push_str(&format!("[^n{i}]: Noot {i}.\n"));
    }
    let site = Fixture::new().file("content/noten.md", &text);
    let run = build(&site, Duration::from_secs(120));
    eprintln!("{n} footnotes: {:?}, {} MB", run.took, run.peak_mb);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // The old code numbered each reference by searching the list of
    // notes so far: over two minutes here.
    assert!(run.took < Duration::from_secs(60), "{:?}", run.took);
    let html = site.read("noten/index.html");
    assert!(html.contains("<li id=\"fn-n39999\">"));
    assert!(html.contains("aria-label=\"Voetnoot 40000\">40000</a>"));
}

#[test]
fn twelve_hundred_identical_sessions_are_one_error() {
    let mut y = String::from(
        "kind: programme\ntitle: Dag\ndate: 2023-02-10\nrooms:\n  - { id: zaal1, name: Zaal 1 }\nsessions:\n",
    );
    for i in 0..1200 {
        y.push_str(&format!(
            "  - time: 10.00-11.00\n    title: Sessie {i}\n    room: zaal1\n"
        ));
    }
    let site = Fixture::new()
        .file(
            "content/netwerkdagen/_index.md",
            "---\ntitle: Netwerkdagen\n---\n",
        )
        .file("content/netwerkdagen/dag.yaml", &y);
    let run = build(&site, Duration::from_secs(60));
    eprintln!("1,200 sessions in one room: {:?}", run.took);
    failed_with(
        &run,
        &[
            "session “Sessie 1” (10.00–11.00 uur) overlaps with “Sessie 0” (10.00–11.00 uur, line 7) in Zaal 1; 1198 other sessions overlap with these",
            "--> content/netwerkdagen/dag.yaml:10:",
        ],
    );
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
    assert!(run.took < Duration::from_secs(10), "{:?}", run.took);
}

#[test]
fn at_most_a_hundred_errors_are_shown_then_a_count() {
    let mut site = Fixture::new();
    for i in 0..250 {
        site = site.file(&format!("content/p{i:03}.md"), "---\ntitel: x\n---\n");
    }
    let run = build(&site, Duration::from_secs(60));
    failed_with(
        &run,
        &[
            "... and 150 more errors, not shown (1 in content/p100.md, 1 in content/p101.md, 1 in content/p102.md, 1 in content/p103.md, 1 in content/p104.md, 145 elsewhere): fix the ones above first",
            "Build failed with 250 errors",
        ],
    );
    assert_eq!(
        run.stderr.matches("\nerror: ").count(),
        100,
        "{}",
        run.stderr
    );
}

#[test]
fn nested_range_loops_in_a_template_stop_at_the_budget() {
    let site = Fixture::new()
        .file(
            "site.yaml",
            &format!("{}theme: eigen\n", common::SITE_YAML),
        )
        .file(
            "themes/eigen/templates/page.html",
            "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{{ j }}{% endfor %}{% endfor %}\n",
        )
        .file("content/pagina.md", "---\ntitle: Pagina\n---\nTekst.\n");
    let run = build(&site, Duration::from_secs(90));
    eprintln!("nested range: {:?}, {} MB", run.took, run.peak_mb);
    failed_with(
        &run,
        &[
            "`range` would give more than 1000000 numbers for this page in all (the limit)",
            "--> themes/eigen/templates/page.html:1:",
        ],
    );
    assert!(run.took < Duration::from_secs(30), "{:?}", run.took);
    assert!(run.peak_mb < 300, "{} MB", run.peak_mb);
}

#[test]
fn a_table_of_a_million_cells_builds_in_bounded_memory() {
    // 10,000 columns, 100 rows: 2 MB of Markdown. Memory used to grow by
    // about 500 bytes per cell (the old code kept every event of the text).
    let cols = 10_000;
    let mut text = String::from("---\ntitle: Tabel\n---\n|");
    text.push_str(&"a|".repeat(cols));
    text.push_str("\n|");
    text.push_str(&"-|".repeat(cols));
    text.push('\n');
    for _ in 0..100 {
        text.push('|');
        text.push_str(&"b|".repeat(cols));
        text.push('\n');
    }
    let site = Fixture::new().file("content/tabel.md", &text);
    let run = build(&site, Duration::from_secs(120));
    eprintln!("a million cells: {:?}, {} MB", run.took, run.peak_mb);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.peak_mb < 350, "{} MB", run.peak_mb);
    assert!(run.took < Duration::from_secs(60), "{:?}", run.took);
}

#[test]
fn an_image_whose_header_claims_14_gb_is_refused_before_decoding() {
    // A 100-byte PNG whose header says 60000 × 60000 RGBA pixels: decoding
    // it would need 14 GB. The size is checked from the header first.
    let site = Fixture::new()
        .bytes(
            "content/groot.png",
            &common::images::png_header_only(60_000, 60_000),
        )
        .file(
            "content/over.md",
            "---\ntitle: Over\n---\n![Een te groot beeld](groot.png)\n",
        );
    let run = build(&site, Duration::from_secs(60));
    eprintln!("a 14 GB image header: {:?}, {} MB", run.took, run.peak_mb);
    failed_with(
        &run,
        &[
            "image `groot.png` is 60000 × 60000 pixels, too large to resize",
            "--> content/over.md:4:23",
        ],
    );
    assert!(run.peak_mb < 200, "{} MB", run.peak_mb);
}
