//! Callouts (issue 17): GitHub/Obsidian-style alerts (`> [!NOTE]`, ...)
//! become an `<aside>` with a Dutch title and a name screen readers
//! announce; any other `[!FOO]` stays a plain quote. Built with the real
//! binary in the site folder.

use crate::common::{Fixture, html::start_tags, main_of};

const PAGE: &str = "\
---
title: Werkwijze
---
Inleiding.

> [!NOTE]
> De stuurgroep komt **vier keer** per jaar bijeen.

> [!TIP]
> Meld je aan via de website.

> [!IMPORTANT]
> Stukken uiterlijk een week vooraf.

> [!WARNING]
> De locatie is gewijzigd.

> [!CAUTION]
> Besluiten zijn openbaar.

> [!FOO]
> Geen bekende soort.

> Een gewoon citaat.
";

fn built(page: &str) -> String {
    let site = Fixture::new().file("content/werkwijze.md", page);
    site.run_ok(&["build"]);
    site.read("werkwijze/index.html")
}

#[test]
fn each_alert_kind_becomes_an_aside_with_a_dutch_title() {
    let html = built(PAGE);
    let main = main_of(&html);
    let asides: Vec<_> = start_tags(main)
        .into_iter()
        .filter(|(name, _)| name == "aside")
        .collect();
    let expected = [
        ("callout callout-note", "Opmerking"),
        ("callout callout-tip", "Tip"),
        ("callout callout-important", "Belangrijk"),
        ("callout callout-warning", "Let op"),
        ("callout callout-caution", "Pas op"),
    ];
    assert_eq!(asides.len(), expected.len(), "{main}");
    for ((_, attrs), (class, title)) in asides.iter().zip(expected) {
        let get = |k: &str| {
            attrs
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.as_str())
                .unwrap_or_else(|| panic!("no {k} on aside in {main}"))
        };
        assert_eq!(get("class"), class);
        assert_eq!(get("role"), "note");
        assert_eq!(get("aria-label"), title);
        // The title is visible text, not only a colour.
        assert!(
            main.contains(&format!("<p class=\"callout-title\">{title}</p>")),
            "{main}"
        );
    }
    // The marker itself is not shown; the text and its Markdown are.
    assert!(!main.contains("[!NOTE]"), "{main}");
    assert!(main.contains("De stuurgroep komt <strong>vier keer</strong> per jaar bijeen."));
    // Closed where the quote ends: the plain quote after them is no aside.
    assert_eq!(main.matches("</aside>").count(), 5);
}

#[test]
fn an_unknown_kind_and_a_plain_quote_stay_blockquotes() {
    let html = built(PAGE);
    let main = main_of(&html);
    assert_eq!(main.matches("<blockquote>").count(), 2, "{main}");
    assert!(main.contains("[!FOO]"), "{main}");
    assert!(main.contains("Een gewoon citaat."));
}

#[test]
fn callouts_survive_sanitising_of_raw_html() {
    // Raw HTML on the page makes the whole text go through the sanitiser,
    // which must keep the callout's markup and still drop script.
    let html = built(
        "---\ntitle: Werkwijze\n---\n<em>Ruw</em> <span onclick=\"x()\">HTML</span>.\n\n> [!WARNING]\n> Let goed op.\n",
    );
    let main = main_of(&html);
    assert!(
        main.contains("<aside class=\"callout callout-warning\" role=\"note\" aria-label=\"Let op\">\n<p class=\"callout-title\">Let op</p>"),
        "{main}"
    );
    assert!(!main.contains("onclick"), "{main}");
}

#[test]
fn the_theme_styles_callouts_for_screen_and_print() {
    let site = Fixture::new().file("content/werkwijze.md", PAGE);
    site.run_ok(&["build"]);
    let screen = site.read("style.css");
    let print = site.read("print.css");
    for kind in ["note", "tip", "important", "warning", "caution"] {
        assert!(screen.contains(&format!(".callout-{kind} {{")), "{kind}");
    }
    assert!(print.contains(".callout {"));
}
