//! `g40site check`: broken links and anchors are found and located; a clean
//! site passes; nothing is written.

use crate::common::Fixture;

fn check(site: &Fixture) -> g40site::CheckSummary {
    g40site::check(site.root(), &Default::default())
        .unwrap_or_else(|e| panic!("build errors:\n{e}"))
}

#[test]
fn clean_site_passes_and_nothing_is_written() {
    let site = Fixture::new()
        .file(
            "site.yaml",
            "title: T\nbase_url: https://example.nl\nmenu:\n  - { title: A, path: /a/ }\n",
        )
        .file(
            "content/a.md",
            "---\ntitle: A\n---\n## Kop\n\nZie [B](b.md#ander) en [boven](#kop).\n",
        )
        .file("content/b.md", "---\ntitle: B\n---\n## Ander\n");
    let summary = check(&site);
    assert!(summary.problems.is_empty(), "{}", summary.problems);
    assert!(
        summary.links > 10,
        "links in the theme and text were checked: {}",
        summary.links
    );
    assert!(!site.out().exists());
    let out = site.run(&["check"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no problems"));
}

#[test]
fn broken_link_and_fragment_are_located() {
    let site = Fixture::new()
        .file("content/b.md", "---\ntitle: B\n---\n## Ander\n")
        .file(
            "content/a.md",
            "---\ntitle: A\n---\nEerst tekst.\n\nZie [weg](/bestaat-niet/) en\n[kop](b.md#verkeerd) en ![foto](/img/weg.png).\n",
        );
    let summary = check(&site);
    let problems = &summary.problems.0;
    // The fixture's menu links to a report it does not have: once, in site.yaml.
    assert_eq!(problems.len(), 4, "{}", summary.problems);
    let menu = problems
        .iter()
        .find(|d| d.file.to_str() == Some("site.yaml"))
        .expect("menu problem");
    assert_eq!(menu.line, Some(4));
    assert!(menu.message.contains("menu item `Jaarverslag`"));
    let find = |needle: &str| {
        problems
            .iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| panic!("{needle}"))
    };
    let link = find("`/bestaat-niet/`");
    assert_eq!(
        (link.file.to_str().unwrap(), link.line),
        ("content/a.md", Some(6))
    );
    let anchor = find("no element with id `verkeerd`");
    assert_eq!(anchor.line, Some(7));
    let image = find("/img/weg.png");
    assert_eq!(image.line, Some(7));
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--> content/a.md:6:"), "{stderr}");
    assert!(stderr.contains("4 problems"), "{stderr}");
}

#[test]
fn build_errors_fail_the_check() {
    let site = Fixture::new().file("content/a.md", "---\ntitle: A\npijler: nergens\n---\n");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown pijler `nergens`"));
}

/// A chapter's broken link is on its own page and on the report's print
/// page: it is reported once, at the line of the chapter where it is
/// written (pages are checked in parallel, problems kept in page order).
#[test]
fn a_link_repeated_on_the_print_page_is_reported_once_where_it_is_written() {
    let site = Fixture::new()
        .file(
            "content/jaarverslag/_index.md",
            "---\ntitle: Jaarverslagen\n---\n",
        )
        .file(
            "content/jaarverslag/2023/_index.md",
            "---\nkind: report\ntitle: Jaarverslag 2023\n---\n",
        )
        .file(
            "content/jaarverslag/2023/01-voorwoord.md",
            "---\ntitle: Voorwoord\n---\nTekst.\n\nZie [weg](/bestaat-niet/).\n",
        );
    let summary = check(&site);
    let broken: Vec<_> = summary
        .problems
        .0
        .iter()
        .filter(|d| d.message.contains("`/bestaat-niet/`"))
        .collect();
    assert_eq!(broken.len(), 1, "{}", summary.problems);
    assert_eq!(
        (broken[0].file.to_str().unwrap(), broken[0].line),
        ("content/jaarverslag/2023/01-voorwoord.md", Some(6))
    );
    assert!(!broken[0].message.contains("(on "), "{}", broken[0].message);
    // The print page does repeat the link.
    assert!(site.run(&["build"]).status.success());
    let print =
        std::fs::read_to_string(site.out().join("jaarverslag/2023/print/index.html")).unwrap();
    assert!(print.contains("/bestaat-niet/"));
}
