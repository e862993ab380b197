//! Tests of Markdown rendering: ids, footnotes, sanitising, links.

use super::render::nesting_depth;
use super::*;
use crate::util::html::script_in;
use std::path::Path;

fn md(text: &str) -> Rendered {
    render(text, &Context::plain(Path::new("a.md")))
}

#[test]
fn headings_get_unique_ids_anchors_and_toc() {
    let r = md("## Inleiding\n\n## Inleiding\n\n### Sub {#eigen}\n");
    assert!(r.html.contains(
        "<h2 id=\"inleiding\">Inleiding <a class=\"heading-anchor\" href=\"#inleiding\""
    ));
    assert!(r.html.contains("id=\"inleiding-2\""));
    assert!(r.html.contains("<h3 id=\"eigen\">"));
    let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["inleiding", "inleiding-2", "eigen"]);
}

#[test]
fn footnotes_are_numbered_with_back_links_and_prefix() {
    let mut cx = Context::plain(Path::new("a.md"));
    cx.id_prefix = "h1-";
    let r = render("Tekst[^bron].\n\n[^bron]: De bron.\n", &cx);
    assert!(r.html.contains("href=\"#fn-h1-bron\""), "{}", r.html);
    assert!(
        r.html
            .contains("<li id=\"fn-h1-bron\"><p>De bron. <a href=\"#fnref-h1-bron\""),
        "{}",
        r.html
    );
}

#[test]
fn raw_html_is_sanitised_unless_allowed() {
    let r = md("<script>alert(1)</script>\n\nEen <b onclick=\"x()\">vet</b> woord.\n");
    assert!(!r.html.contains("<script"), "{}", r.html);
    assert!(r.html.contains("Een <b>vet</b> woord."), "{}", r.html);
    let mut cx = Context::plain(Path::new("a.md"));
    cx.unsafe_html = true;
    assert!(render("<b>x</b>\n", &cx).html.contains("<b>x</b>"));
}

#[test]
fn sanitising_keeps_generated_markup() {
    let text = "## Kop\n\nTekst<sup>2</sup>[^1] en <abbr title=\"G40\">G40</abbr>.\n\n\
                | a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] klaar\n\n```yaml\na: 1\n```\n\n[^1]: Noot.\n";
    let with_html = md(text).html;
    let without = md(&text
        .replace("<sup>2</sup>", "")
        .replace("<abbr title=\"G40\">G40</abbr>", "G40"))
    .html;
    for kept in [
        "<h2 id=\"kop\">Kop <a class=\"heading-anchor\" href=\"#kop\"><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link naar Kop</span></a></h2>",
        "role=\"doc-noteref\"",
        "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"Voetnoten\">",
        "<pre class=\"code\" tabindex=\"0\">",
        "class=\"hl-",
        "style=\"text-align:right\"",
        "type=\"checkbox\"",
        "<sup>2</sup>",
        "<abbr title=\"G40\">G40</abbr>",
    ] {
        assert!(with_html.contains(kept), "`{kept}` lost in:\n{with_html}");
    }
    assert!(without.contains("style=\"text-align: right\""), "{without}");
}

#[test]
fn script_urls_in_markdown_links_are_dropped() {
    for url in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java&#9;script:x",
        "vbscript:x",
        "data:text/html,x",
        "&#106;avascript:x",
    ] {
        for text in [
            format!("[klik]({url})"),
            format!("![plaatje]({url})"),
            format!("[klik][r]\n\n[r]: {url}"),
        ] {
            let html = md(&text).html;
            assert!(script_in(&html).is_none(), "{text} gave {html}");
            assert!(html.contains("klik") || html.contains("plaatje"), "{html}");
        }
    }
    let ok = md("[a](https://g40.nl) [b](mailto:x@y.nl) [c](../x/) [d](#kop) [e](x/a:b?c:d)").html;
    assert_eq!(ok.matches("<a href").count(), 5, "{ok}");
}

#[test]
fn raw_html_nested_too_deep_is_shown_as_text() {
    let deep = format!("{}x\n", "<div>".repeat(1000));
    let html = md(&deep).html;
    assert!(
        html.contains("&lt;div&gt;") && !html.contains("<div>"),
        "{html}"
    );
    let quotes = format!("{}<b onclick=\"y\">x</b>\n", "> ".repeat(1000));
    let html = md(&quotes).html;
    assert!(html.contains("&lt;b onclick") && script_in(&html).is_none());
    // Ordinary depth is sanitised as usual.
    let html = md(&format!("{}<b onclick=\"y\">x</b>\n", "> ".repeat(20))).html;
    assert!(html.contains("<b>x</b>"), "{html}");
    assert_eq!(nesting_depth("<p>a<br><img src=x><b>c</b></p><x/>"), 2);
}

#[test]
fn script_detector() {
    assert!(script_in("<p onclick=\"x\">").is_some());
    assert!(script_in("<a href=\"java&#x09;script:x\">").is_some());
    assert!(script_in("<SCRIPT>").is_some());
    assert!(
        script_in("<p>&lt;script&gt; on click=</p><a href=\"/x\" title=\"javascript:\">").is_none()
    );
}

#[test]
fn content_links_resolve_or_report() {
    let resolve = |p: &str| {
        (p == "jaarverslag/01-voorwoord.md").then(|| "/jaarverslag/voorwoord/".to_string())
    };
    let text = "Zie [voorwoord](01-voorwoord.md#kop).\n\nEn [weg](02-weg.md).\n";
    let file_text = format!("---\ntitle: x\n---\n{text}");
    let cx = Context {
        file: Path::new("content/jaarverslag/03-x.md"),
        file_text: &file_text,
        first_line: 4,
        rel: "jaarverslag/03-x.md",
        resolve: Some(&resolve),
        id_prefix: "",
        heading_offset: 0,
        unsafe_html: false,
        site_url: None,
        ui: None,
    };
    let r = render(text, &cx);
    assert!(r.html.contains("href=\"/jaarverslag/voorwoord/#kop\""));
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].line, Some(6));
    assert_eq!(r.errors[0].column, Some(10));
}

#[test]
fn links_to_drafts_files_and_the_site_root() {
    struct Table;
    impl Links for Table {
        fn target(&self, rel: &str) -> LinkTarget {
            match rel {
                "concept.md" => LinkTarget::Draft("concept.md".into()),
                "kapot.yaml" => LinkTarget::Unreadable,
                "Kaart.png" => LinkTarget::Url("/Kaart.png".into()),
                _ => LinkTarget::Missing,
            }
        }
        fn similar(&self, rel: &str) -> Option<String> {
            (rel == "kaart.png").then(|| "Kaart.png".to_string())
        }
    }
    let text =
        "[a](concept.md) [b](kapot.yaml) ![c](kaart.png) [d](../x/) [e](/over/) [f](www.vng.nl)\n";
    let cx = Context {
        file_text: text,
        rel: "pagina.md",
        resolve: Some(&Table),
        site_url: Some("https://example.nl/g40/"),
        ..Context::plain(Path::new("content/pagina.md"))
    };
    let r = render(text, &cx);
    let messages: Vec<&str> = r.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].contains("is a draft"));
    assert!(messages[1].contains("no such file"));
    assert_eq!(
        r.errors[1].hint.as_deref(),
        Some(
            "did you mean `Kaart.png`? (upper and lower case differ; file names must match exactly)"
        )
    );
    assert!(messages[2].contains("needs `https://`"));
    assert!(
        r.html.contains("href=\"../x/\""),
        "left to check: {}",
        r.html
    );
    assert!(r.html.contains("href=\"/g40/over/\""), "{}", r.html);
}

#[test]
fn task_list_checkboxes_are_named() {
    let html = md("- [x] klaar\n- [ ] open\n").html;
    assert!(html.contains("<input type=\"checkbox\" disabled checked aria-label=\"gedaan\">"));
    assert!(html.contains("<input type=\"checkbox\" disabled aria-label=\"niet gedaan\">"));
    // Kept through the sanitiser too.
    let html = md("<b>x</b>\n\n- [x] klaar\n").html;
    assert!(html.contains("aria-label=\"gedaan\""), "{html}");
}

#[test]
fn code_blocks_are_highlighted_or_escaped() {
    assert!(md("```yaml\na: 1\n```\n").html.contains("hl-"));
    assert!(md("```\n<b>\n```\n").html.contains("&lt;b&gt;"));
}

#[test]
fn links_to_other_sites_are_marked_for_everyone() {
    let mut cx = Context::plain(Path::new("a.md"));
    cx.site_url = Some("https://www.g40stedennetwerk.nl");
    let r = render(
        "[VNG](https://vng.nl/a?b=1&c=2 \"De VNG\") en [wij](https://g40stedennetwerk.nl/x) en [mail](mailto:a@b.nl)\n",
        &cx,
    );
    assert!(
        r.html.contains("<a href=\"https://vng.nl/a?b=1&amp;c=2\" class=\"external\" title=\"De VNG\">VNG<span class=\"visually-hidden\"> (externe link)</span></a>"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<a href=\"https://g40stedennetwerk.nl/x\">wij</a>")
    );
    assert!(r.html.contains("<a href=\"mailto:a@b.nl\">mail</a>"));
    assert!(!r.html.contains("target="));
}

#[test]
fn images_need_alt_text() {
    let file_text =
        "---\ntitle: x\n---\nTekst.\n\nEen ![](kaart.png) en ![Kaart](k.png) en ![ ](x.png).\n";
    let text = &file_text[17..];
    let cx = Context {
        file_text,
        first_line: 4,
        ..Context::plain(Path::new("content/a.md"))
    };
    let r = render(text, &cx);
    assert_eq!(r.errors.len(), 2, "{:?}", r.errors);
    assert_eq!((r.errors[0].line, r.errors[0].column), (Some(6), Some(5)));
    assert!(r.errors[0].message.contains("alt text"));
    assert!(
        r.html.contains("<img src=\"k.png\" alt=\"Kaart\""),
        "{}",
        r.html
    );
}

#[test]
fn a_footnote_referred_to_twice_has_unique_reference_ids() {
    let r = md("Een[^a] twee[^a].\n\n[^a]: Noot.\n");
    assert!(r.html.contains("id=\"fnref-a\""));
    assert!(r.html.contains("id=\"fnref-a-2\""), "{}", r.html);
}
