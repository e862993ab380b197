//! `g40site new` and `g40site init`: the files they write build.

use crate::common::Fixture;

#[test]
fn init_creates_a_site_that_builds() {
    let parent = Fixture::empty();
    parent.run_ok(&["init", "nieuw"]);
    let root = parent.root().join("nieuw");
    g40site::build(&root, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(root.join("output/over/index.html").exists());
    // Not over an existing site.
    let again = parent.run(&["init", "nieuw"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

#[test]
fn new_page_note_and_report_build() {
    let site = Fixture::new();
    for (kind, path) in [
        ("page", "over/organisatie"),
        ("note", "notas/2026-01-15-begroting"),
        ("report", "jaarverslag/2025"),
    ] {
        let out = site.run(&["new", kind, path]);
        assert!(
            out.status.success(),
            "new {kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // They start as drafts: they build, as a preview with drafts.
    site.build_with(g40site::BuildOptions {
        drafts: true,
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        site.read("over/organisatie/index.html")
            .contains("<h1>Organisatie</h1>")
    );
    assert!(
        site.read("notas/2026-01-15-begroting/index.html")
            .contains("Informatienota")
    );
    assert!(
        site.read("jaarverslag/2025/index.html")
            .contains("Voorwoord")
    );
    assert!(site.exists("jaarverslag/2025/print/index.html"));
}

#[test]
fn new_programme_and_roles_land_in_the_right_place() {
    let site = Fixture::new();
    let out = site.run(&["new", "programme", "netwerkdagen/2026-09-10-zwolle"]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(
        site.root()
            .join("content/netwerkdagen/2026-09-10-zwolle.yaml"),
    )
    .unwrap();
    assert!(text.starts_with("kind: programme\n"));
    assert!(text.contains("date: 2026-09-10"));
    let out = site.run(&["new", "roles", "bestuur/functies-2027"]);
    assert!(out.status.success());
    assert!(
        site.root()
            .join("content/bestuur/functies-2027.yaml")
            .exists()
    );
    // Both starting files build as they are.
    // They start as drafts: they build, as a preview with drafts.
    site.build_with(g40site::BuildOptions {
        drafts: true,
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        site.read("netwerkdagen/2026-09-10-zwolle/index.html")
            .contains("Opening")
    );
    assert!(
        site.read("bestuur/functies-2027/index.html")
            .contains("Voorzitter")
    );
}

#[test]
fn new_refuses_to_overwrite_and_unknown_kinds() {
    let site = Fixture::new().file("content/over.md", "---\ntitle: Eigen tekst\n---\n");
    let out = site.run(&["new", "page", "over"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert!(
        std::fs::read_to_string(site.root().join("content/over.md"))
            .unwrap()
            .contains("Eigen tekst")
    );
    let out = site.run(&["new", "programa", "x"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `programme`?"));
    let out = site.run(&["new", "page", "../buiten"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn new_documents_use_the_sites_taxonomy_names() {
    let site = Fixture::new()
        .file(
            "site.yaml",
            "title: Testsite\nbase_url: https://example.nl\ntaxonomies:\n  groepen: { field: opgavegroepen, data: opgavegroepen, path: opgavegroepen }\n",
        )
        .file(
            "content/_data/opgavegroepen.yaml",
            "- { id: woningmarkt, name: Woningmarkt, pijler: fysiek }\n",
        );
    site.run_ok(&["new", "page", "nieuws/bericht"]);
    let text = std::fs::read_to_string(site.root().join("content/nieuws/bericht.md")).unwrap();
    assert!(
        text.contains("# opgavegroepen: [woningmarkt] # ids uit content/_data/opgavegroepen.yaml"),
        "{text}"
    );
    assert!(!text.contains("themagroepen"), "{text}");
    // Taking the suggestion as it stands builds, without a warning.
    std::fs::write(
        site.root().join("content/nieuws/bericht.md"),
        text.replace("# opgavegroepen:", "opgavegroepen:")
            .replace("# pijler:", "pijler:")
            .replace("draft: true", "draft: false"),
    )
    .unwrap();
    let out = site.run_ok(&["build"]);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        site.read("opgavegroepen/woningmarkt/index.html")
            .contains("Bericht")
    );
}
