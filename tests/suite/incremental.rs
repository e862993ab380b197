//! The warm builder behind `serve`: an edit to the text of one page renders
//! only what it changes, and the result is exactly what a full build gives.

use std::collections::BTreeMap;

use crate::common::Fixture;
use g40site::BuildOptions;
use g40site::testing::{Builder, Rebuilt};

fn site() -> Fixture {
    Fixture::new()
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
            "---\ntitle: Voorwoord\n---\n## Begin\n\nTekst.\n",
        )
        .file(
            "content/jaarverslag/2023/02-sociaal.md",
            "---\ntitle: Sociaal\npijler: sociaal\n---\n## Armoede\n",
        )
        .file(
            "content/over.md",
            "---\ntitle: Over ons\n---\nEerste versie.\n",
        )
}

fn as_map(outputs: Vec<g40site::Output>) -> BTreeMap<String, Vec<u8>> {
    outputs.into_iter().map(|o| (o.path, o.bytes)).collect()
}

/// Apply a rebuild to the previous outputs, as the server does.
fn apply(
    mut all: BTreeMap<String, Vec<u8>>,
    rebuilt: Rebuilt,
) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    match rebuilt {
        Rebuilt::All(outputs) => (as_map(outputs), vec!["<all>".into()]),
        Rebuilt::Changed {
            changed: outputs,
            removed,
        } => {
            let changed = outputs.iter().map(|o| o.path.clone()).collect();
            all.extend(outputs.into_iter().map(|o| (o.path, o.bytes)));
            for path in removed {
                all.remove(&path);
            }
            (all, changed)
        }
    }
}

fn full_build(site: &Fixture) -> BTreeMap<String, Vec<u8>> {
    as_map(g40site::build_in_memory(site.root(), &BuildOptions::default()).unwrap())
}

/// The served site, with the search index `serve` makes when idle, is
/// byte for byte what a full build makes.
fn assert_served_is_a_full_build(
    builder: &Builder,
    mut served: BTreeMap<String, Vec<u8>>,
    site: &Fixture,
) {
    let index = builder.search_index(&Default::default()).unwrap();
    served.insert(index.path, index.bytes);
    assert!(
        served == full_build(site),
        "the served site differs from a full build"
    );
}

#[test]
fn body_edit_renders_only_that_page_and_matches_a_full_build() {
    let site = site();
    let mut builder = Builder::new(site.root(), BuildOptions::default());
    let before = as_map(builder.build_all().unwrap());
    site.write(
        "content/over.md",
        "---\ntitle: Over ons\n---\nTweede versie.\n",
    );
    let rebuilt = builder
        .rebuild(&[site.root().join("content/over.md")])
        .unwrap();
    let (after, changed) = apply(before, rebuilt);
    assert_eq!(changed, ["over/index.html"]);
    assert!(String::from_utf8_lossy(&after["over/index.html"]).contains("Tweede versie."));
    // The search index follows separately (serve asks for it when idle).
    let index = builder.search_index(&Default::default()).unwrap();
    assert!(String::from_utf8_lossy(&index.bytes).contains("tweede"));
    assert_served_is_a_full_build(&builder, after, &site);
}

#[test]
fn chapter_edit_updates_report_index_and_print_page() {
    let site = site();
    let mut builder = Builder::new(site.root(), BuildOptions::default());
    let before = as_map(builder.build_all().unwrap());
    let path = "content/jaarverslag/2023/01-voorwoord.md";
    site.write(
        path,
        "---\ntitle: Voorwoord\n---\n## Begin\n\nTekst.\n\n## Nieuwe kop\n",
    );
    let rebuilt = builder.rebuild(&[site.root().join(path)]).unwrap();
    let (after, mut changed) = apply(before, rebuilt);
    changed.sort();
    assert_eq!(
        changed,
        [
            "jaarverslag/2023/index.html",
            "jaarverslag/2023/print/index.html",
            "jaarverslag/2023/voorwoord/index.html",
        ]
    );
    assert!(
        String::from_utf8_lossy(&after["jaarverslag/2023/index.html"]).contains("Nieuwe kop"),
        "the TOC shows the new heading"
    );
    assert_served_is_a_full_build(&builder, after, &site);
}

#[test]
fn front_matter_edit_renders_the_page_and_its_listings_only() {
    let site = site();
    let mut builder = Builder::new(site.root(), BuildOptions::default());
    let before = as_map(builder.build_all().unwrap());
    site.write(
        "content/over.md",
        "---\ntitle: Over de G40\npijler: sociaal\n---\nEerste versie.\n",
    );
    let rebuilt = builder
        .rebuild(&[site.root().join("content/over.md")])
        .unwrap();
    let (after, changed) = apply(before, rebuilt);
    // The page, the home page that lists it, the pillar page it joined.
    for path in [
        "over/index.html",
        "index.html",
        "pijlers/sociaal/index.html",
    ] {
        assert!(
            changed.iter().any(|c| c == path),
            "{path} not in {changed:?}"
        );
    }
    // Pages that do not show it are not rendered again.
    for path in [
        "jaarverslag/2023/voorwoord/index.html",
        "jaarverslag/2023/index.html",
    ] {
        assert!(!changed.iter().any(|c| c == path), "{path} in {changed:?}");
    }
    assert_eq!(builder.cache_stats().0, 1, "only the edited file is parsed");
    assert_eq!(builder.cache_stats().1, 1, "only the edited page is built");
    assert!(String::from_utf8_lossy(&after["pijlers/sociaal/index.html"]).contains("Over de G40"));
    assert_served_is_a_full_build(&builder, after, &site);
}

#[test]
fn deleted_page_is_removed_from_the_served_site() {
    let site = site();
    let mut builder = Builder::new(site.root(), BuildOptions::default());
    let before = as_map(builder.build_all().unwrap());
    assert!(before.contains_key("over/index.html"));
    std::fs::remove_file(site.root().join("content/over.md")).unwrap();
    let rebuilt = builder
        .rebuild(&[site.root().join("content/over.md")])
        .unwrap();
    let (after, _) = apply(before, rebuilt);
    assert!(!after.contains_key("over/index.html"));
    assert_served_is_a_full_build(&builder, after, &site);
}

#[test]
fn broken_body_is_an_error_and_the_next_build_recovers() {
    let site = site();
    let mut builder = Builder::new(site.root(), BuildOptions::default());
    builder.build_all().unwrap();
    let path = site.root().join("content/over.md");
    site.write(
        "content/over.md",
        "---\ntitle: Over ons\n---\nZie [weg](bestaat-niet.md).\n",
    );
    let errors = builder.rebuild(std::slice::from_ref(&path)).unwrap_err();
    assert_eq!(errors.0[0].line, Some(4), "{errors}");
    site.write("content/over.md", "---\ntitle: Over ons\n---\nHersteld.\n");
    let rebuilt = builder.rebuild(&[path]).unwrap();
    let (after, _) = apply(BTreeMap::new(), rebuilt);
    assert!(String::from_utf8_lossy(&after["over/index.html"]).contains("Hersteld."));
}

#[test]
fn template_edit_is_picked_up() {
    let site = site();
    let mut builder = Builder::new(site.root(), BuildOptions::default());
    builder.build_all().unwrap();
    site.write(
        "templates/page.html",
        "<p>Nieuw sjabloon: {{ page.title }}</p>\n",
    );
    let rebuilt = builder
        .rebuild(&[site.root().join("templates/page.html")])
        .unwrap();
    let (after, _) = apply(BTreeMap::new(), rebuilt);
    assert_eq!(
        String::from_utf8_lossy(&after["over/index.html"]),
        "<p>Nieuw sjabloon: Over ons</p>\n"
    );
}

#[test]
fn body_edit_with_a_shortcode_is_expanded_like_a_full_build() {
    // Serve's fast path has no shortcode templates: a body with a call is
    // rebuilt in full, so the page shows the shortcode's HTML.
    let site = site();
    let mut builder = Builder::new(site.root(), BuildOptions::default());
    let before = as_map(builder.build_all().unwrap());
    site.write(
        "content/over.md",
        "---\ntitle: Over ons\n---\nLees {{ doc(path=\"jaarverslag/2023/01-voorwoord.md\", text=\"het voorwoord\") }}.\n",
    );
    let rebuilt = builder
        .rebuild(&[site.root().join("content/over.md")])
        .unwrap();
    let (after, _) = apply(before, rebuilt);
    let page = String::from_utf8_lossy(&after["over/index.html"]).into_owned();
    assert!(
        page.contains("Lees <a href=\"/jaarverslag/2023/voorwoord/\">het voorwoord</a>."),
        "{page}"
    );
    assert!(!page.contains("{{"), "{page}");
}

/// A body edit that adds a link to a draft fails like a full build does,
/// also right after a body edit of the same page.
#[test]
fn a_body_edit_linking_to_a_draft_fails_as_a_full_build_does() {
    let site = site();
    site.write("content/a.md", "---\ntitle: A\n---\nTekst.\n");
    site.write("content/b.md", "---\ntitle: B\n---\nTekst.\n");
    let mut builder = Builder::new(site.root(), BuildOptions::default());
    builder.build_all().unwrap();
    site.write("content/b.md", "---\ntitle: B\ndraft: true\n---\nTekst.\n");
    builder
        .rebuild(&[site.root().join("content/b.md")])
        .unwrap();
    site.write("content/a.md", "---\ntitle: A\n---\nAndere tekst.\n");
    builder
        .rebuild(&[site.root().join("content/a.md")])
        .unwrap();
    site.write("content/a.md", "---\ntitle: A\n---\nZie [B](b.md).\n");
    let rebuilt = builder.rebuild(&[site.root().join("content/a.md")]);
    let full = g40site::build_in_memory(site.root(), &BuildOptions::default());
    assert!(full.is_err(), "the full build fails on the link to a draft");
    assert!(rebuilt.is_err(), "the rebuild fails too");
}

/// The home page shows the newest news with its summary: editing the
/// summary (front matter, so a full rebuild of what changed) renders the
/// home page again.
#[test]
fn a_news_summary_edit_renders_the_home_page_again() {
    let site = site();
    site.write(
        "site.yaml",
        &format!("{}extra:\n  home_latest: 3\n", crate::common::SITE_YAML),
    );
    site.write(
        "content/nieuws/_index.md",
        "---\ntitle: Nieuws\nsort_by: date\n---\n",
    );
    site.write(
        "content/nieuws/bericht.md",
        "---\ntitle: Bericht\ndate: 2026-11-01\nsummary: Eerste samenvatting.\n---\nTekst.\n",
    );
    let mut builder = Builder::new(site.root(), BuildOptions::default());
    let before = as_map(builder.build_all().unwrap());
    assert!(String::from_utf8_lossy(&before["index.html"]).contains("Eerste samenvatting."));
    site.write(
        "content/nieuws/bericht.md",
        "---\ntitle: Bericht\ndate: 2026-11-01\nsummary: Tweede samenvatting.\n---\nTekst.\n",
    );
    let rebuilt = builder
        .rebuild(&[site.root().join("content/nieuws/bericht.md")])
        .unwrap();
    let (after, changed) = apply(before, rebuilt);
    assert!(changed.iter().any(|c| c == "index.html"), "{changed:?}");
    assert!(String::from_utf8_lossy(&after["index.html"]).contains("Tweede samenvatting."));
    assert_served_is_a_full_build(&builder, after, &site);
}

/// A body edit that fails (a broken link) and then a save of another file:
/// the rebuild reads the failing page as it is on disk, and fails as a
/// full build does, instead of building the page's earlier text.
#[test]
fn a_failed_body_edit_is_not_forgotten_by_the_next_rebuild() {
    let site = site();
    let mut builder = Builder::new(site.root(), BuildOptions::default());
    builder.build_all().unwrap();
    site.write(
        "content/over.md",
        "---\ntitle: Over ons\n---\nZie [weg](bestaat-niet.md).\n",
    );
    assert!(
        builder
            .rebuild(&[site.root().join("content/over.md")])
            .is_err()
    );
    site.write(
        "content/jaarverslag/2023/01-voorwoord.md",
        "---\ntitle: Voorwoord 2023\n---\n## Begin\n\nTekst.\n",
    );
    let rebuilt = builder.rebuild(&[site.root().join("content/jaarverslag/2023/01-voorwoord.md")]);
    assert!(g40site::build_in_memory(site.root(), &BuildOptions::default()).is_err());
    let errors = rebuilt.expect_err("the rebuild fails too").render(false);
    assert!(errors.contains("bestaat-niet.md"), "{errors}");
}
