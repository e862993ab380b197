//! The example site in this repository (site.yaml, content/) builds, as the
//! README promises, and has the documents it is meant to show.

use std::path::Path;

#[test]
fn example_site_builds_with_the_documents_from_the_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("site");
    let opts = g40site::BuildOptions {
        output: Some(output.clone()),
        ..Default::default()
    };
    if let Err(e) = g40site::build(root, &opts) {
        panic!("the example site does not build:\n{e}");
    }
    // As the text reads: without the (invisible) soft hyphens of long words.
    let read = |p: &str| {
        std::fs::read_to_string(output.join(p))
            .unwrap_or_else(|e| panic!("{p}: {e}"))
            .replace('\u{AD}', "")
    };
    let report = read("jaarverslag/2023/index.html");
    crate::common::assert_in_order(
        &report,
        &[
            "Voorwoord",
            "Pijler Economie en Werk",
            "Pijler Sociaal",
            "Pijler Fysiek",
        ],
    );
    let print = read("jaarverslag/2023/print/index.html");
    assert!(print.matches("class=\"print-chapter\"").count() >= 5);
    assert!(read("kernboodschappen/index.html").contains("<h1>Kernboodschappen</h1>"));
    assert!(read("pijlers/sociaal/index.html").contains("Jaarverslag 2023"));
    let steden = read("jaarverslag/2023/deelnemende-steden/index.html");
    assert!(steden.contains("Zwolle") && steden.contains("Almere"));
    // The news section: newest first, over two listing pages, with a feed.
    let news = read("nieuws/index.html");
    crate::common::assert_in_order(
        &news,
        &[
            "Beschrijving van de bestuursfuncties 2026",
            "Jaarverslag 2023 verschenen",
        ],
    );
    assert!(news.contains("<link rel=\"next\" href=\"/nieuws/pagina/2/\">"));
    assert!(read("nieuws/pagina/2/index.html").contains("Onderzoek naar de organisatie"));
    assert!(read("nieuws/atom.xml").contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
}
