//! Bad input: every error is located, reported together with the others,
//! exits non-zero without a panic, and leaves the previous output untouched.

use crate::common::{Fixture, SITE_YAML, failed_build, snapshot};

/// Build a good site, break it with `file`, and check that the build fails
/// with an error at `file:line` whose message contains `message`, that the
/// CLI exits 1 and prints the located error, and that output is untouched.
fn assert_located_error(
    rel: &str,
    text: &str,
    line: Option<usize>,
    message: &str,
) -> g40site::Diagnostic {
    let site = Fixture::new()
        .file("content/over.md", "---\ntitle: Over\n---\n")
        .built();
    let before = snapshot(&site.out());
    site.write(rel, text);
    let errors = site.errors();
    let found = errors
        .0
        .iter()
        .find(|d| d.message.contains(message))
        .unwrap_or_else(|| panic!("no error containing `{message}` in:\n{errors}"))
        .clone();
    assert_eq!(
        found.file,
        std::path::PathBuf::from(rel),
        "file of: {found}"
    );
    assert_eq!(found.line, line, "line of: {found}");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let location = match line {
        Some(l) => format!("--> {rel}:{l}:"),
        None => format!("--> {rel}"),
    };
    assert!(stderr.contains(&location), "`{location}` not in:\n{stderr}");
    assert!(stderr.contains("the previous output was left unchanged"));
    assert!(
        snapshot(&site.out()) == before,
        "the previous output changed"
    );
    found
}

#[test]
fn broken_yaml_front_matter() {
    let d = assert_located_error(
        "content/kapot.md",
        "---\ntitle: x\n  date: 2023-01-01\n---\n",
        Some(3),
        "indented further than the field above",
    );
    assert_eq!(d.column, Some(7));
    assert!(d.hint.unwrap().contains("same column"));
}

#[test]
fn missing_title() {
    let d = assert_located_error(
        "content/kapot.md",
        "---\ndate: 2023-01-01\n---\n",
        Some(2),
        "missing field `title`",
    );
    assert!(d.source_line.as_deref() == Some("date: 2023-01-01"));
}

#[test]
fn no_front_matter_at_all() {
    let d = assert_located_error(
        "content/kapot.md",
        "# Titel\n",
        Some(1),
        "does not start with front matter",
    );
    assert!(d.hint.unwrap().contains("title:"));
}

#[test]
fn bad_date() {
    let d = assert_located_error(
        "content/kapot.md",
        "---\ntitle: x\ndate: 2023-02-30\n---\n",
        Some(3),
        "invalid date `2023-02-30`",
    );
    assert_eq!(d.column, Some(7));
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let d = assert_located_error(
        "content/kapot.md",
        "---\ntitle: x\nsumary: y\n---\n",
        Some(3),
        "unknown field `sumary`",
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `summary`?"));
}

#[test]
fn unknown_pijler_reference() {
    let d = assert_located_error(
        "content/kapot.md",
        "---\ntitle: x\npijler: socaal\n---\n",
        Some(3),
        "unknown pijler `socaal`",
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `sociaal`?"));
}

#[test]
fn unknown_themagroep_reference() {
    let d = assert_located_error(
        "content/kapot.md",
        "---\ntitle: x\nthemagroepen: [woningmarkt, onbekend]\n---\n",
        Some(3),
        "unknown themagroep `onbekend`",
    );
    assert!(d.hint.unwrap().contains("`woningmarkt`"));
}

#[test]
fn unknown_site_yaml_key() {
    let d = assert_located_error(
        "site.yaml",
        "title: T\nbase_url: https://example.nl\ntheem: g40\n",
        Some(3),
        "unknown field `theem`",
    );
    assert_eq!(d.hint.as_deref(), Some("did you mean `theme`?"));
}

#[test]
fn url_collision_names_both_sources() {
    let site = Fixture::new()
        .file("content/a.md", "---\ntitle: A\nslug: zelfde\n---\n")
        .file("content/zelfde.md", "---\ntitle: B\n---\n");
    let errors = site.errors();
    let d = errors
        .0
        .iter()
        .find(|d| d.message.contains("URL `/zelfde/`"))
        .expect("collision error");
    assert!(
        d.message.contains("content/a.md") && d.message.contains("content/zelfde.md"),
        "{d}"
    );
    assert!(d.hint.as_deref().unwrap().contains("slug"));
}

#[test]
fn collision_with_a_generated_page() {
    // (A file in content/pijlers/ is the intro of a pillar's page, not a page.)
    let site = Fixture::new().file("content/zoeken.md", "---\ntitle: Eigen\n---\n");
    let errors = site.errors();
    assert!(
        errors
            .0
            .iter()
            .any(|d| d.message.contains("URL `/zoeken/`") && d.message.contains("search page")),
        "{errors}"
    );
}

#[test]
fn template_error_points_into_the_template() {
    let site = Fixture::new()
        .file("content/over.md", "---\ntitle: Over\n---\n")
        .built();
    let before = snapshot(&site.out());
    site.write("templates/page.html", "<h1>{{ page.title }</h1>\n");
    let errors = site.errors();
    let d = &errors.0[0];
    assert_eq!(
        d.file,
        std::path::PathBuf::from("templates/page.html"),
        "{errors}"
    );
    assert_eq!(d.line, Some(1));
    assert!(d.message.starts_with("template error"));
    assert!(snapshot(&site.out()) == before);
}

#[test]
fn template_rendering_error_names_the_page() {
    let site = Fixture::new()
        .file("content/over.md", "---\ntitle: Over\n---\n")
        .file("templates/page.html", "<p>\n{{ page.bestaat_niet }}</p>\n");
    let errors = site.errors();
    let d = &errors.0[0];
    assert_eq!(
        d.file,
        std::path::PathBuf::from("templates/page.html"),
        "{errors}"
    );
    assert_eq!(d.line, Some(2));
    assert!(d.message.contains("content/over.md"), "{d}");
}

#[test]
fn slug_cannot_leave_the_output_folder() {
    let site = Fixture::new().file(
        "content/over.md",
        "---\ntitle: Over\nslug: ../../buiten\n---\n",
    );
    let errors = site.errors();
    let d = errors
        .0
        .iter()
        .find(|d| d.message.contains("slug"))
        .expect("slug error");
    assert_eq!(d.line, Some(3));
    assert!(d.hint.as_deref().unwrap().contains("buiten"));
    assert!(!site.root().join("buiten").exists());
    assert!(!site.root().parent().unwrap().join("buiten").exists());
}

#[test]
fn all_errors_are_reported_at_once() {
    let site = Fixture::new()
        .file("content/a.md", "---\ntitle: A\ndate: 2023-13-01\n---\n")
        .file("content/b.md", "---\ndate: 2023-01-01\n---\n")
        .file("content/c.md", "---\ntitle: C\npijler: nergens\n---\n");
    let errors = site.errors();
    let files: Vec<String> = errors
        .0
        .iter()
        .map(|d| d.file.display().to_string())
        .collect();
    assert_eq!(
        files,
        ["content/a.md", "content/b.md", "content/c.md"],
        "{errors}"
    );
}

#[test]
fn output_folder_may_not_be_a_source_folder() {
    let site = Fixture::new();
    for bad in [".", "content", "themes/x"] {
        let out = site.run(&["build", "--output", bad]);
        assert_eq!(out.status.code(), Some(1), "--output {bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("refusing to use"), "{stderr}");
    }
    assert!(site.root().join("content/_index.md").exists());
}

#[test]
fn not_utf8_is_located() {
    let site = Fixture::new();
    std::fs::write(
        site.root().join("content/latin1.md"),
        b"---\ntitle: Caf\xe9\n---\n",
    )
    .unwrap();
    let errors = site.errors();
    assert_eq!(errors.0[0].line, Some(2));
    assert!(errors.0[0].message.contains("not valid UTF-8"));
}

#[test]
fn missing_site_yaml_gets_a_hint() {
    let site = Fixture::empty();
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no site.yaml"), "{stderr}");
}

#[test]
fn broken_link_to_content_file_is_located() {
    assert_located_error(
        "content/kapot.md",
        "---\ntitle: x\n---\nZie [dit](bestaat-niet.md).\n",
        Some(4),
        "no such content file",
    );
}

/// The theme's files claim their paths like everything else: a content
/// file at the same path, a page that needs one of them as a folder, or a
/// theme file where the site needs a folder, are errors naming both
/// writers, and nothing is written.
#[test]
fn content_that_meets_a_theme_file_is_an_error_naming_both() {
    // The same path: an asset `content/style.css` and the theme's.
    let same = Fixture::new().file("content/style.css", "body {}\n");
    let out = failed_build(&same);
    assert!(
        out.contains("content/style.css")
            && out.contains("theme file")
            && out.contains("style.css"),
        "{out}"
    );
    assert!(!same.exists("output/index.html"));

    // A page whose URL puts a folder where the theme has a file.
    let folder = Fixture::new().file(
        "content/stijl.md",
        "---\ntitle: Stijl\nslug: style.css\n---\nTekst.\n",
    );
    let out = failed_build(&folder);
    assert!(
        out.contains("is written as a file by theme file") && out.contains("content/stijl.md"),
        "{out}"
    );

    // A theme file inside what the site writes as a file.
    let inside = Fixture::new()
        .file("themes/eigen/static/over/logo.svg", "<svg/>\n")
        .file("site.yaml", &format!("{SITE_YAML}theme: eigen\n"))
        .file("content/over", "geen map\n");
    let out = failed_build(&inside);
    assert!(
        out.contains("`over` is written as a file by content/over") && out.contains("logo.svg"),
        "{out}"
    );
}
