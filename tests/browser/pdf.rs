//! `g40site pdf` run in the site folder, and its PDFs read back as a
//! reader's PDF viewer reads them: link annotations, named destinations,
//! page sizes and text (issue 12, items 3, 8 and 9).

use std::path::{Path, PathBuf};

use crate::common::Fixture;
use crate::common::browser;
use g40site::testing::pdf_reader::Document;

/// The example site of the repository, copied into a temporary folder.
fn example_site() -> Fixture {
    let fixture = Fixture::empty();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&root.join("content"), &fixture.root().join("content"));
    std::fs::copy(root.join("site.yaml"), fixture.root().join("site.yaml")).unwrap();
    fixture
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Run `g40site pdf` in the site folder (no `--root`); every PDF written.
pub fn run_pdf(site: &Fixture) -> Vec<PathBuf> {
    let out = site.run(&["pdf"]);
    assert!(
        out.status.success(),
        "g40site pdf failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut pdfs: Vec<PathBuf> = walkdir::WalkDir::new(site.out())
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    pdfs.sort();
    pdfs
}

fn is_loopback(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["127.0.0.1", "localhost", "[::1]", "0.0.0.0"]
        .iter()
        .any(|h| lower.contains(h))
}

#[test]
fn pdf_links_jump_inside_the_pdf_or_go_to_the_public_site() {
    let Some(_) = browser::chromium() else {
        return;
    };
    let site = example_site().file(
        "content/jaarverslag/2023/07-verwijzingen.md",
        "---\ntitle: Verwijzingen\nweight: 70\n---\n\
         Zie [leefomgeving](04-pijler-fysiek.md#leefomgeving-en-stedelijke-transformatie) \
         en [de themagroepen](../overige-themagroepen/).\n\n\
         Buiten het verslag: [kernboodschappen](/kernboodschappen/), \
         [de nota](../../notas/2022-08-30-onderzoek-organisatie-g40.md) en \
         [het voorwoord op de site](https://www.g40stedennetwerk.nl/jaarverslag/2023/voorwoord/#bestaat-niet).\n",
    );
    let pdfs = run_pdf(&site);
    // The report, two programmes (Haarlem and the two-day netwerkdagen
    // 2026), the role set and the note.
    assert_eq!(pdfs.len(), 5, "{pdfs:?}");
    let base = "https://www.g40stedennetwerk.nl/";
    let mut report_links = Vec::new();
    let mut report_uris = Vec::new();
    for path in &pdfs {
        let bytes = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for needle in ["127.0.0.1", "localhost"] {
            assert!(
                !String::from_utf8_lossy(&bytes).contains(needle),
                "{name} contains `{needle}`"
            );
        }
        let doc = Document::parse(&bytes).unwrap_or_else(|| panic!("{name} is not readable"));
        let mut annotations = 0;
        for (n, page) in doc.pages.iter().enumerate() {
            assert!(
                page.other_links.is_empty(),
                "{name} page {}: links of an unknown kind: {:?}",
                n + 1,
                page.other_links
            );
            for (dest, _) in &page.links {
                annotations += 1;
                assert!(
                    doc.destinations.contains_key(dest),
                    "{name} page {}: link to `#{dest}`, which is not a destination in this PDF",
                    n + 1
                );
            }
            for (uri, _) in &page.uris {
                annotations += 1;
                assert!(!is_loopback(uri), "{name} page {}: {uri}", n + 1);
                assert!(
                    uri.starts_with("https://")
                        || uri.starts_with("http://")
                        || uri.starts_with("mailto:"),
                    "{name} page {}: {uri}",
                    n + 1
                );
                if uri.contains("g40stedennetwerk.nl") && !uri.starts_with("mailto:") {
                    assert!(uri.starts_with(base), "{name}: {uri}");
                }
            }
            if name.starts_with("jaarverslag") {
                report_links.extend(page.links.iter().map(|(d, _)| d.clone()));
                report_uris.extend(page.uris.iter().map(|(u, _)| u.clone()));
            }
        }
        assert!(annotations > 0, "{name} has no links at all");
    }
    // A link to another chapter jumps to that heading in the same PDF.
    assert!(
        report_links
            .iter()
            .any(|d| d.ends_with("leefomgeving-en-stedelijke-transformatie")),
        "{report_links:?}"
    );
    assert!(
        report_links
            .iter()
            .any(|d| d == "hoofdstuk-overige-themagroepen"),
        "{report_links:?}"
    );
    // Pages that are not in the PDF: their public address.
    for uri in [
        "https://www.g40stedennetwerk.nl/kernboodschappen/",
        "https://www.g40stedennetwerk.nl/notas/2022-08-30-onderzoek-organisatie-g40/",
    ] {
        assert!(
            report_uris.iter().any(|u| u == uri),
            "no link to {uri} in {report_uris:?}"
        );
    }
    // The chapter link written in full goes to the chapter in the PDF.
    assert!(
        report_links.iter().any(|d| d == "hoofdstuk-voorwoord"),
        "{report_links:?}"
    );
}

/// The example site's five documents (a report printed twice for its
/// page numbers, two programmes printed at several sizes, a role set, a
/// note) come out of one Chromium, started once for the whole export,
/// whose profile is gone afterwards (issue 18). That the PDFs are as
/// before: the other tests here and `publication::`.
#[test]
fn pdf_export_of_the_example_site_starts_chromium_once() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let site = example_site();
    // A Chromium that counts its starts, then is the real one.
    let starts = site.root().join("starts.log");
    let wrapper = site.root().join("counting-chromium");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh
echo started >> '{}'
exec '{}' \"$@\"\n",
            starts.display(),
            chromium.display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_g40site"))
        .args(["pdf", "--chromium", "./counting-chromium"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "g40site pdf failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let started = std::fs::read_to_string(&starts).unwrap_or_default();
    assert_eq!(started.lines().count(), 1, "Chromium started {started:?}");
    let pdfs: Vec<PathBuf> = walkdir::WalkDir::new(site.out())
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), 5, "{pdfs:?}");
    for pdf in &pdfs {
        let doc = Document::parse(&std::fs::read(pdf).unwrap())
            .unwrap_or_else(|| panic!("{} is not readable", pdf.display()));
        assert!(!doc.pages.is_empty(), "{}", pdf.display());
    }
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left in the temp folder: {left:?}");
}

#[test]
fn pdf_links_under_a_sub_path_base_url_keep_the_base_path() {
    let Some(_) = browser::chromium() else {
        return;
    };
    let site = Fixture::new()
        .file(
            "site.yaml",
            "title: Testsite\nbase_url: https://example.org/g40/\n",
        )
        .file(
            "content/over.md",
            "---\ntitle: Over ons\n---\nTekst.\n",
        )
        .file(
            "content/notas/2024-01-01-nota.md",
            "---\nkind: note\ntitle: Een nota\nnote_type: Informatienota\norganisation: Gemeente Zwolle\ndate: 2024-01-01\nsummary: Kort.\nkernboodschap: Kort.\n---\n## Inhoud\n\nZie [over ons](../over.md), [de kop](#inhoud-1) en [elders](#nergens).\n",
        );
    let pdfs = run_pdf(&site);
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
    let doc = Document::parse(&std::fs::read(&pdfs[0]).unwrap()).unwrap();
    let uris: Vec<&str> = doc
        .pages
        .iter()
        .flat_map(|p| p.uris.iter().map(|(u, _)| u.as_str()))
        .collect();
    assert!(uris.contains(&"https://example.org/g40/over/"), "{uris:?}");
    assert!(uris.iter().all(|u| !is_loopback(u)), "{uris:?}");
    for page in &doc.pages {
        for (dest, _) in &page.links {
            assert!(doc.destinations.contains_key(dest), "#{dest}");
        }
    }
}

/// A programme of `rooms` rooms and `rows` half-hour rounds from 9.00, every
/// room busy in every round, with titles as long as real ones.
const TITLES: [&str; 10] = [
    "Pijlerbijeenkomst Sociaal",
    "Themagroep Gemeentefinanciën",
    "Werkbezoek binnenstad",
    "Themagroep Woningmarkt",
    "Arbeidsmarktregio's",
    "Gesprek met de staatssecretaris",
    "Themagroep Europa",
    "Energietransitie in de wijk",
    "Vergunninghouders en asiel",
    "Themagroep Veiligheid",
];

fn big_programme(date: &str, rooms: usize, rows: usize) -> String {
    let mut y =
        format!("kind: programme\ntitle: Grote netwerkdag\ndate: {date}\ncity: Zwolle\nrooms:\n");
    for r in 1..=rooms {
        y.push_str(&format!("  - {{ id: zaal{r}, name: Zaal {r} }}\n"));
    }
    y.push_str("sessions:\n");
    for s in 0..rows {
        let (from, to) = (9 * 60 + 30 * s, 9 * 60 + 30 * (s + 1));
        for r in 0..rooms {
            y.push_str(&format!(
                "  - time: {}.{:02}-{}.{:02}\n    title: \"{}\"\n    room: zaal{}\n",
                from / 60,
                from % 60,
                to / 60,
                to % 60,
                TITLES[(s * 3 + r) % TITLES.len()],
                r + 1
            ));
        }
    }
    y
}

/// The time label of round `s` as the grid prints it: `9.30–10.00`.
fn round_label(s: usize) -> String {
    let (from, to) = (9 * 60 + 30 * s, 9 * 60 + 30 * (s + 1));
    format!("{}.{:02}–{}.{:02}", from / 60, from % 60, to / 60, to % 60)
}

fn landscape(page: &g40site::testing::pdf_reader::Page) -> bool {
    let (w, h) = page.size();
    w > h
}

/// The smallest height of a word on page `n` (1-based), in points.
fn smallest_word(pdf: &Path, n: usize) -> f64 {
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-f", &n.to_string(), "-l", &n.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let xml = String::from_utf8_lossy(&out.stdout);
    xml.lines()
        .filter(|l| l.contains("<word "))
        .filter(|l| !l.contains(">Pagina<") && !l.contains(">van<"))
        .filter_map(|l| {
            let num = |key: &str| -> Option<f64> {
                let i = l.find(key)? + key.len();
                l[i..].split('"').next()?.parse().ok()
            };
            Some(num("yMax=\"")? - num("yMin=\"")?)
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn a_large_programme_grid_prints_on_page_one_in_landscape_or_in_documented_parts() {
    let (Some(_), Some(poppler)) = (browser::chromium(), browser::poppler()) else {
        return;
    };
    let cases = [
        ("2026-09-01", 6, 12),
        ("2026-09-02", 9, 16),
        ("2026-09-03", 10, 24),
        // Beyond the limit: 11 rooms x 26 rows, printed in 2 x 2 parts.
        ("2026-09-04", 11, 26),
    ];
    let mut site = Fixture::new();
    for (date, rooms, rows) in cases {
        site = site.file(
            &format!("content/netwerkdagen/{date}-zwolle.yaml"),
            &big_programme(date, rooms, rows),
        );
    }
    let pdfs = run_pdf(&site);
    assert_eq!(pdfs.len(), cases.len(), "{pdfs:?}");
    for (date, rooms, rows) in cases {
        let pdf = pdfs
            .iter()
            .find(|p| p.to_string_lossy().contains(date))
            .unwrap_or_else(|| panic!("no PDF for {date}: {pdfs:?}"));
        let doc = Document::parse(&std::fs::read(pdf).unwrap()).unwrap();
        // A time range the narrow time column wraps reads `10.00– 10.30`.
        let pages: Vec<String> = poppler
            .pages(pdf)
            .into_iter()
            .map(|p| p.replace("– ", "–"))
            .collect();
        let what = format!("{rooms} rooms x {rows} rows");
        let parts = if rooms <= 10 && rows <= 24 { 1 } else { 4 };
        // The grid's pages are landscape, then the descriptions portrait.
        for (n, page) in doc.pages.iter().enumerate() {
            assert_eq!(
                landscape(page),
                n < parts,
                "{what}: page {} is {:?}",
                n + 1,
                page.size()
            );
        }
        let grid_text: String = pages[..parts].join("\n");
        // Every room and every round is on the grid's pages, and only there.
        for r in 1..=rooms {
            assert!(
                grid_text.contains(&format!("Zaal {r}")),
                "{what}: Zaal {r} is not on the grid's pages"
            );
        }
        for s in 0..rows {
            let label = round_label(s);
            let on = pages[..parts].iter().filter(|p| p.contains(&label)).count();
            let expected = if parts == 1 { 1 } else { 2 };
            assert_eq!(
                on, expected,
                "{what}: {label} is on {on} grid pages, not {expected}"
            );
        }
        assert!(
            pages[parts].contains("Programma"),
            "{what}: {}",
            pages[parts]
        );
        if parts == 1 {
            // The heading and the whole grid on page 1.
            assert!(pages[0].contains("Grote netwerkdag"), "{what}");
            assert!(pages[0].contains("Tijd"), "{what}");
        } else {
            assert!(pages[0].contains("deel 1 van 4"), "{what}: {}", pages[0]);
            for (n, page) in pages[..parts].iter().enumerate() {
                assert!(
                    page.contains("Tijd"),
                    "{what}: part {} has no time column",
                    n + 1
                );
            }
        }
        // A word broken over two lines is broken at a hyphen: every line
        // of the grid page ends in a whole word or in a hyphen.
        let words: std::collections::HashSet<&str> = TITLES
            .iter()
            .flat_map(|t| t.split_whitespace())
            .chain([
                "Zaal",
                "Tijd",
                "Grote",
                "netwerkdag",
                "dinsdag",
                "woensdag",
                "donderdag",
                "vrijdag",
                "september",
                "Zwolle",
                "Pagina",
                "van",
                "Rooster",
                "uur",
                "deel",
                "t/m",
                "rooster",
            ])
            .collect();
        for n in 1..=parts {
            let mut continued = false;
            for line in poppler.page_text(pdf, n, false).lines() {
                let tokens: Vec<&str> = line.split_whitespace().collect();
                // The rest of a word hyphenated on the line before.
                let own = if continued {
                    &tokens[tokens.len().min(1)..]
                } else {
                    &tokens[..]
                };
                continued = tokens
                    .last()
                    .is_some_and(|t| t.ends_with(['\u{2010}', '-']));
                let Some(last) = own.last() else {
                    continue;
                };
                let last = last.replace('\u{AD}', "");
                let last = last.trim_end_matches([',', ':', '.']);
                if last.ends_with(['\u{2010}', '-']) || !last.chars().any(char::is_alphabetic) {
                    continue;
                }
                assert!(
                    words.contains(last),
                    "{what}: page {n}: a line ends in `{last}`, a word broken without a hyphen: {line:?}"
                );
            }
        }
        // Readable: no word on the grid's page smaller than 6 pt type
        // (a word's box is about 1.15 times the type size).
        for n in 1..=parts {
            let smallest = smallest_word(pdf, n);
            assert!(
                smallest >= 6.0,
                "{what}: page {n} has words {smallest:.1} pt high"
            );
        }
    }
}
