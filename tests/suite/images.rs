//! Photos in several sizes (issue 17, "Responsive images"): the copies,
//! the `<img>` attributes, the cache between builds, and the errors for a
//! file that is not the image it claims to be. Every build here is the
//! real binary, run in the site folder.

use std::collections::HashMap;
use std::path::Path;

use crate::common::Fixture;
use crate::common::html::start_tags;
use crate::common::images::{jpeg, png, png_header_only, size_of};

/// The `<img>` tags of the main text of `html`, each as its attributes.
fn images(html: &str) -> Vec<HashMap<String, String>> {
    let main = crate::common::main_of(html);
    start_tags(main)
        .into_iter()
        .filter(|(tag, _)| tag == "img")
        .map(|(_, attributes)| attributes.into_iter().collect())
        .collect()
}

/// `srcset="a 480w, b 960w"` as (URL, width) pairs.
fn srcset(value: &str) -> Vec<(String, u32)> {
    value
        .split(", ")
        .map(|c| {
            let (url, w) = c.rsplit_once(' ').expect("url and width");
            (
                url.to_string(),
                w.strip_suffix('w').unwrap().parse().unwrap(),
            )
        })
        .collect()
}

/// The output file of a site-root URL.
fn file_of(site: &Fixture, url: &str) -> std::path::PathBuf {
    site.out().join(url.trim_start_matches('/'))
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>\n";

fn photo_site() -> Fixture {
    Fixture::new()
        .bytes("content/verslag/foto.jpg", &jpeg(2000, 1000, 1))
        .bytes("content/verslag/klein.png", &png(700, 350, 2))
        .file("content/verslag/logo.svg", SVG)
        .file(
            "content/verslag/_index.md",
            "---\ntitle: Verslag\n---\n![Raadzaal in Haarlem](foto.jpg)\n\nTekst [de foto op volle grootte](foto.jpg).\n\n![Een kaart](klein.png)\n\n![Het logo](logo.svg)\n",
        )
}

#[test]
fn a_photo_gets_srcset_sizes_width_height_and_stays_linkable() {
    let site = photo_site();
    site.run_ok(&["build"]);
    let html = site.read("verslag/index.html");
    let imgs = images(&html);
    assert_eq!(imgs.len(), 3, "{html}");

    // The 2000-pixel JPEG: copies of 480, 960 and 1600, the widest is `src`.
    let foto = &imgs[0];
    assert_eq!(foto["src"], "/verslag/foto-1600w.jpg");
    assert_eq!(foto["alt"], "Raadzaal in Haarlem");
    assert_eq!(
        (foto["width"].as_str(), foto["height"].as_str()),
        ("1600", "800")
    );
    let set = srcset(&foto["srcset"]);
    assert_eq!(
        set,
        [
            ("/verslag/foto-480w.jpg".to_string(), 480),
            ("/verslag/foto-960w.jpg".to_string(), 960),
            ("/verslag/foto-1600w.jpg".to_string(), 1600),
        ]
    );
    assert!(foto["sizes"].contains("44rem"), "{foto:?}");
    assert_eq!(foto["decoding"], "async");
    // The first image of the page is not lazy: it is often on screen.
    assert!(!foto.contains_key("loading"), "{foto:?}");
    for (url, w) in &set {
        let file = file_of(&site, url);
        assert_eq!(size_of(&file), (*w, w / 2), "{url}");
        assert_eq!(
            image::guess_format(&std::fs::read(&file).unwrap()).unwrap(),
            image::ImageFormat::Jpeg
        );
    }

    // The original is published as it was, and the link to it works.
    assert_eq!(
        std::fs::read(site.out().join("verslag/foto.jpg")).unwrap(),
        jpeg(2000, 1000, 1)
    );
    assert!(
        html.contains("<a href=\"/verslag/foto.jpg\">de foto op volle grootte</a>"),
        "{html}"
    );

    // 700 pixels wide: only the 480 copy (never enlarged), the original
    // is the widest candidate and the `src`; lazy, as not the first.
    let klein = &imgs[1];
    assert_eq!(klein["src"], "/verslag/klein.png");
    assert_eq!(
        (klein["width"].as_str(), klein["height"].as_str()),
        ("700", "350")
    );
    assert_eq!(
        srcset(&klein["srcset"]),
        [
            ("/verslag/klein-480w.png".to_string(), 480),
            ("/verslag/klein.png".to_string(), 700)
        ]
    );
    assert_eq!(klein["loading"], "lazy");
    assert_eq!(
        size_of(&site.out().join("verslag/klein-480w.png")),
        (480, 240)
    );
    assert!(!site.exists("verslag/klein-960w.png"));
    assert!(!site.exists("verslag/klein-1600w.png"));

    // SVG is left alone: no attributes added, no copies, the same bytes.
    let logo = &imgs[2];
    assert_eq!(logo.len(), 2, "{logo:?}");
    assert_eq!(logo["src"], "/verslag/logo.svg");
    assert_eq!(site.read_raw("verslag/logo.svg"), SVG);
    let names: Vec<String> = std::fs::read_dir(site.out().join("verslag"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("logo"))
        .collect();
    assert_eq!(names, ["logo.svg"]);
}

#[test]
fn an_image_narrower_than_the_smallest_width_has_no_srcset() {
    let site = Fixture::new()
        .bytes("content/pictogram.webp", &{
            let img = image::RgbaImage::from_pixel(64, 32, image::Rgba([0, 90, 160, 255]));
            let mut out = std::io::Cursor::new(Vec::new());
            img.write_to(&mut out, image::ImageFormat::WebP).unwrap();
            out.into_inner()
        })
        .file(
            "content/over.md",
            "---\ntitle: Over\n---\n![Een pictogram](pictogram.webp)\n",
        );
    site.run_ok(&["build"]);
    let imgs = images(&site.read("over/index.html"));
    let img = &imgs[0];
    assert_eq!(img["src"], "/pictogram.webp");
    assert_eq!(
        (img["width"].as_str(), img["height"].as_str()),
        ("64", "32")
    );
    assert!(
        !img.contains_key("srcset") && !img.contains_key("sizes"),
        "{img:?}"
    );
}

/// The cache's entries and their modification times.
fn cache_entries(root: &Path) -> Vec<(String, std::time::SystemTime)> {
    let mut entries: Vec<_> = std::fs::read_dir(root.join(".g40site-cache/images"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect();
    entries.sort();
    entries
}

#[test]
fn a_second_build_resizes_nothing_and_an_edited_photo_is_resized_again() {
    let site = photo_site();
    let first = site.run_ok(&["build"]);
    assert!(
        stderr(&first).contains("Images: 4 resized, 0 from the cache (.g40site-cache/)"),
        "{}",
        stderr(&first)
    );
    let entries = cache_entries(site.root());
    assert_eq!(entries.len(), 4, "{entries:?}");
    let output_before = crate::common::snapshot(&site.out());

    let second = site.run_ok(&["build"]);
    assert!(
        stderr(&second).contains("Images: 0 resized, 4 from the cache (.g40site-cache/)"),
        "{}",
        stderr(&second)
    );
    // Nothing in the cache was written again, and the output is the same.
    assert_eq!(cache_entries(site.root()), entries);
    assert_eq!(crate::common::snapshot(&site.out()), output_before);

    // An edited photo (new content, same name) gets new copies.
    std::fs::write(
        site.root().join("content/verslag/foto.jpg"),
        jpeg(2000, 1000, 9),
    )
    .unwrap();
    let third = site.run_ok(&["build"]);
    assert!(
        stderr(&third).contains("Images: 3 resized, 1 from the cache"),
        "{}",
        stderr(&third)
    );
    assert_eq!(cache_entries(site.root()).len(), 7);
}

#[test]
fn check_and_serve_reuse_the_cache() {
    let site = photo_site().file("site.yaml", "title: T\nbase_url: https://example.nl\n");
    site.run_ok(&["build"]);
    let entries = cache_entries(site.root());
    site.run_ok(&["check"]);
    assert_eq!(cache_entries(site.root()), entries, "check resized nothing");
    // `serve` builds with the same cache, and serves the copies.
    let running = site.serve();
    let (status, _, body) = crate::common::http_get(running.addr, "/verslag/");
    assert_eq!(status, 200);
    assert!(body.contains("/verslag/foto-480w.jpg 480w"), "{body}");
    let (status, head, _) = crate::common::http_get(running.addr, "/verslag/foto-960w.jpg");
    assert_eq!(status, 200);
    assert!(head.contains("image/jpeg"), "{head}");
    assert_eq!(cache_entries(site.root()), entries, "serve resized nothing");
}

#[test]
fn a_png_with_jpeg_bytes_is_an_error_at_the_reference() {
    let site = Fixture::new()
        .bytes("content/kaart.png", &jpeg(600, 400, 3))
        .file(
            "content/over.md",
            "---\ntitle: Over\n---\nIntro.\n\n![Kaart van 2023](kaart.png)\n",
        );
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("error: image `kaart.png` is not a PNG file: its content is a JPEG image"),
        "{err}"
    );
    assert!(err.contains("--> content/over.md:6:19"), "{err}");
    assert!(err.contains("rename it to `kaart.jpg`"), "{err}");
    assert!(!site.exists("index.html"), "no output from a failed build");
}

#[test]
fn garbage_and_a_cut_off_png_are_errors_at_the_reference() {
    let mut cut = png(900, 600, 4);
    cut.truncate(cut.len() / 3);
    let site = Fixture::new()
        .file("content/a.jpg", "dit is geen plaatje")
        .bytes("content/b.png", &cut)
        .file(
            "content/over.md",
            "---\ntitle: Over\n---\n![A](a.jpg)\n\n{{ figure(src=\"b.png\", alt=\"B\") }}\n",
        );
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("image `a.jpg` is not a JPEG file: its content is not an image"),
        "{err}"
    );
    assert!(err.contains("--> content/over.md:4:6"), "{err}");
    assert!(
        err.contains("shortcode `figure`: image `b.png` cannot be read as PNG"),
        "{err}"
    );
    assert!(err.contains("--> content/over.md:6:1"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_huge_header_is_an_error_before_anything_is_decoded() {
    // 60000 × 60000 RGBA would be 14 GB: the header alone says so.
    let site = Fixture::new()
        .bytes("content/groot.png", &png_header_only(60_000, 60_000))
        .file(
            "content/over.md",
            "---\ntitle: Over\n---\n![Groot](groot.png)\n",
        );
    let started = std::time::Instant::now();
    let out = site.run(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(
            "image `groot.png` is 60000 × 60000 pixels, too large to resize within the memory bound"
        ),
        "{err}"
    );
    assert!(err.contains("--> content/over.md:4:10"), "{err}");
    assert!(err.contains("50 megapixels"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn the_figure_and_the_print_page_use_the_copies() {
    let site = Fixture::new()
        .bytes("content/jaarverslag/foto.jpg", &jpeg(1200, 800, 5))
        .file(
            "content/jaarverslag/_index.md",
            "---\ntitle: Jaarverslag\nkind: report\n---\nInleiding.\n",
        )
        .file(
            "content/jaarverslag/01-een.md",
            "---\ntitle: Een\n---\n![Eerste](foto.jpg)\n\n{{ figure(src=\"foto.jpg\", alt=\"De zaal\", caption=\"De raadzaal\", credit=\"Gemeente\") }}\n",
        );
    site.run_ok(&["build"]);
    let imgs = images(&site.read("jaarverslag/een/index.html"));
    assert_eq!(imgs.len(), 2);
    let figure = &imgs[1];
    assert_eq!(figure["src"], "/jaarverslag/foto.jpg");
    assert_eq!(
        srcset(&figure["srcset"]),
        [
            ("/jaarverslag/foto-480w.jpg".to_string(), 480),
            ("/jaarverslag/foto-960w.jpg".to_string(), 960),
            ("/jaarverslag/foto.jpg".to_string(), 1200),
        ]
    );
    assert_eq!(
        (figure["width"].as_str(), figure["height"].as_str()),
        ("1200", "800")
    );
    assert_eq!(figure["loading"], "lazy", "the second image of the page");
    assert!(!imgs[0].contains_key("loading"));
    // The print page is printed whole: nothing waits to be scrolled to.
    let print = images(&site.read("jaarverslag/print/index.html"));
    assert_eq!(print.len(), 2);
    assert!(
        print
            .iter()
            .all(|i| !i.contains_key("loading") && i.contains_key("srcset"))
    );
}

#[test]
fn a_photo_keeps_its_attributes_in_a_page_with_raw_html_and_inside_a_link() {
    // Raw HTML makes the whole page go through the sanitiser, which must
    // keep the image's attributes; a photo can link to its original.
    let site = Fixture::new()
        .bytes("content/foto.jpg", &jpeg(1000, 500, 6))
        .file(
            "content/over.md",
            "---\ntitle: Over\n---\nTekst met <b>vet</b>.\n\n[![De zaal](foto.jpg)](foto.jpg)\n",
        );
    site.run_ok(&["build"]);
    let html = site.read("over/index.html");
    let imgs = images(&html);
    assert_eq!(imgs.len(), 1, "{html}");
    let img = &imgs[0];
    assert_eq!(img["alt"], "De zaal");
    assert!(
        img["srcset"].starts_with("/foto-480w.jpg 480w, /foto-960w.jpg 960w"),
        "{img:?}"
    );
    assert!(
        img.contains_key("sizes") && img["decoding"] == "async",
        "{img:?}"
    );
    assert!(
        html.contains("<a href=\"/foto.jpg\"><img src=\"/foto.jpg\""),
        "{html}"
    );
}
