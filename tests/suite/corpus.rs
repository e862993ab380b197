//! The bad-input corpus: one fixture per defect, for every kind of file an
//! editor touches (site.yaml, pages, reports, programmes, roles, notes, data
//! files, templates). Each case starts from a good site that has every kind
//! and has been built once, changes one thing, and builds again:
//! - defects (broken YAML, wrong types, missing and unknown fields, bad
//!   dates and times, unknown references, overlaps, URL collisions, bytes
//!   that are not UTF-8, empty files) give an error located in the file at
//!   the expected line, and the previous output stays exactly as it was;
//! - what is merely unusual (a BOM, CRLF line endings, spaces and non-ASCII
//!   in file names, deep nesting, a symbolic link out of the site, which is
//!   not followed) builds.
//!
//! No case may panic.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use crate::common::{Fixture, snapshot};

pub const PROGRAMME: &str = "kind: programme\ntitle: Netwerkdag\ndate: 2023-02-10\ncity: Teststad\nrooms:\n  - { id: zaal1, name: Zaal 1 }\n  - { id: zaal2, name: Zaal 2 }\nsessions:\n  - time: 9.30\n    kind: walk-in\n  - time: 10.00-11.00\n    title: Opening\n    room: zaal1\n  - time: 11.00-12.00\n    title: Wonen\n    room: zaal2\n    themagroep: woningmarkt\n";
pub const ROLES: &str = "kind: roles\ntitle: Functies\ndate: 2026-04-24\nroles:\n  - id: voorzitter\n    title: Voorzitter\n    paid: false\n    duties: [Leidt de vergadering.]\n    time: twee uur per week\n    contact: { name: Jan, email: jan@example.nl }\n";
pub const NOTE: &str = "---\nkind: note\ntitle: Nota\nnote_type: Informatienota\norganisation: Gemeente Haarlem\ndate: 2022-08-30\nkernboodschap: Het werkt.\nbesluit:\n  orgaan: College\n  datum: 2022-08-30\n  tekst: Vastgesteld.\n---\n## 1. Inleiding\n\nTekst.\n";

/// A good site with one file of every kind.
fn good_site() -> Fixture {
    Fixture::new()
        .file(
            "content/over.md",
            "---\ntitle: Over\npijler: sociaal\n---\nTekst.\n",
        )
        .file(
            "content/jaarverslag/2023/_index.md",
            "---\ntitle: Jaarverslag 2023\nkind: report\n---\nInleiding.\n",
        )
        .file(
            "content/jaarverslag/2023/01-voorwoord.md",
            "---\ntitle: Voorwoord\n---\nTekst.\n",
        )
        .file("content/notas/_index.md", "---\ntitle: Nota's\n---\n")
        .file("content/notas/2022-08-30-nota.md", NOTE)
        .file(
            "content/netwerkdagen/_index.md",
            "---\ntitle: Netwerkdagen\n---\n",
        )
        .file("content/netwerkdagen/2023-02.yaml", PROGRAMME)
        .file("content/bestuur/_index.md", "---\ntitle: Bestuur\n---\n")
        .file("content/bestuur/functies.yaml", ROLES)
}

enum Expect {
    /// Builds; `check` is a file that must be in the output.
    Builds { check: &'static str },
    /// Fails with an error in `file` at `line` whose message contains `message`.
    Error {
        file: &'static str,
        line: Option<usize>,
        message: &'static str,
    },
}
use Expect::*;

struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    /// A symbolic link (path in the site, target) to create.
    symlink: Option<(&'static str, PathBuf)>,
    expect: Expect,
}

fn case(name: &'static str, file: &'static str, text: impl Into<Vec<u8>>, expect: Expect) -> Case {
    Case {
        name,
        files: vec![(file, text.into())],
        symlink: None,
        expect,
    }
}

fn err(file: &'static str, line: usize, message: &'static str) -> Expect {
    Error {
        file,
        line: Some(line),
        message,
    }
}

/// Run every case; report all failures together.
fn run(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for case in cases {
        let site = good_site();
        site.build()
            .unwrap_or_else(|e| panic!("the good site fails:\n{e}"));
        let before = snapshot(&site.out());
        for (rel, bytes) in &case.files {
            let path = site.root().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        if let Some((link, target)) = &case.symlink {
            let path = site.root().join(link);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink(target, path).unwrap();
        }
        let result = match catch_unwind(AssertUnwindSafe(|| site.build())) {
            Ok(r) => r,
            Err(_) => {
                failures.push(format!("{}: PANIC", case.name));
                continue;
            }
        };
        match (&case.expect, result) {
            (Builds { check }, Ok(_)) => {
                if !site.exists(check) {
                    failures.push(format!("{}: built, but no {check}", case.name));
                }
            }
            (Builds { .. }, Err(e)) => {
                failures.push(format!("{}: expected a build, got:\n{e}", case.name))
            }
            (Error { .. }, Ok(_)) => {
                failures.push(format!("{}: expected an error, but it built", case.name))
            }
            (
                Error {
                    file,
                    line,
                    message,
                },
                Err(errors),
            ) => {
                match errors.0.iter().find(|d| d.message.contains(message)) {
                    None => failures.push(format!(
                        "{}: no error containing `{message}` in:\n{errors}",
                        case.name
                    )),
                    Some(d) => {
                        if d.file != PathBuf::from(file) || d.line != *line {
                            failures.push(format!(
                                "{}: expected at {file}:{line:?}, got {}:{:?}:\n{d}",
                                case.name,
                                d.file.display(),
                                d.line
                            ));
                        }
                    }
                }
                if snapshot(&site.out()) != before {
                    failures.push(format!("{}: the previous output changed", case.name));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

const BAD_UTF8: &[u8] = b"---\ntitle: Caf\xe9\n---\n";

#[test]
fn site_yaml() {
    run(vec![
        case(
            "broken yaml",
            "site.yaml",
            "title: T\n  base_url: x\n",
            err("site.yaml", 2, "indented further than the field above"),
        ),
        case(
            "wrong type",
            "site.yaml",
            "title: [a, b]\nbase_url: https://example.nl\n",
            err("site.yaml", 1, "title"),
        ),
        case(
            "missing title",
            "site.yaml",
            "base_url: https://example.nl\n",
            err("site.yaml", 1, "title"),
        ),
        case(
            "unknown field",
            "site.yaml",
            "title: T\nbase_url: https://example.nl\ntheem: x\n",
            err("site.yaml", 3, "unknown field `theem`"),
        ),
        case(
            "not utf-8",
            "site.yaml",
            b"title: Caf\xe9\n".to_vec(),
            err("site.yaml", 1, "UTF-8"),
        ),
        case(
            "empty",
            "site.yaml",
            "",
            err("site.yaml", 1, "missing field `title`"),
        ),
        case(
            "bom and crlf",
            "site.yaml",
            "\u{feff}title: T\r\nbase_url: https://example.nl\r\n",
            Builds {
                check: "index.html",
            },
        ),
    ]);
}

#[test]
fn pages() {
    run(vec![
        case(
            "broken yaml",
            "content/kapot.md",
            "---\ntitle: x\n  date: 2023-01-01\n---\n",
            err(
                "content/kapot.md",
                3,
                "indented further than the field above",
            ),
        ),
        case(
            "wrong type",
            "content/kapot.md",
            "---\ntitle: x\nweight: zwaar\n---\n",
            err("content/kapot.md", 3, "weight"),
        ),
        case(
            "missing title",
            "content/kapot.md",
            "---\nsummary: x\n---\n",
            err("content/kapot.md", 2, "title"),
        ),
        case(
            "unknown field",
            "content/kapot.md",
            "---\ntitle: x\ntitel: y\n---\n",
            err("content/kapot.md", 3, "unknown field `titel`"),
        ),
        case(
            "bad date",
            "content/kapot.md",
            "---\ntitle: x\ndate: 2023-13-45\n---\n",
            err("content/kapot.md", 3, "date"),
        ),
        case(
            "unknown pijler",
            "content/kapot.md",
            "---\ntitle: x\npijler: onbekend\n---\n",
            err("content/kapot.md", 3, "onbekend"),
        ),
        case(
            "missing link target",
            "content/kapot.md",
            "---\ntitle: x\n---\nZie [a](weg.md).\n",
            err("content/kapot.md", 4, "weg.md"),
        ),
        case(
            "url collision",
            "content/kapot.md",
            "---\ntitle: x\nslug: over\n---\n",
            Error {
                file: "content/kapot.md",
                line: None,
                message: "URL `/over/`",
            },
        ),
        case(
            "not utf-8",
            "content/kapot.md",
            BAD_UTF8.to_vec(),
            err("content/kapot.md", 2, "UTF-8"),
        ),
        case(
            "empty",
            "content/kapot.md",
            "",
            err("content/kapot.md", 1, "empty"),
        ),
        case(
            "only fences",
            "content/kapot.md",
            "---\n---\n",
            err("content/kapot.md", 1, "empty"),
        ),
        case(
            "unclosed",
            "content/kapot.md",
            "---\ntitle: x\n",
            err("content/kapot.md", 1, "not closed"),
        ),
        case(
            "yaml list as front matter",
            "content/kapot.md",
            "---\n- a\n- b\n---\n",
            err("content/kapot.md", 2, ""),
        ),
        case(
            "bom",
            "content/bom.md",
            "\u{feff}---\ntitle: BOM\n---\nTekst.\n",
            Builds {
                check: "bom/index.html",
            },
        ),
        case(
            "crlf",
            "content/crlf.md",
            "---\r\ntitle: CRLF\r\n---\r\nTekst.\r\n\r\n## Kop\r\n",
            Builds {
                check: "crlf/index.html",
            },
        ),
        case(
            "lone cr",
            "content/cr.md",
            "---\rtitle: CR\r---\rTekst.\r",
            Builds {
                check: "cr/index.html",
            },
        ),
        case(
            "spaces in name",
            "content/mijn pagina.md",
            "---\ntitle: Spatie\n---\n",
            Builds {
                check: "mijn-pagina/index.html",
            },
        ),
        case(
            "non-ascii name",
            "content/café-ëxtra.md",
            "---\ntitle: Café\n---\n",
            Builds {
                check: "cafe-extra/index.html",
            },
        ),
        case(
            "asset with spaces",
            "content/over ons.pdf",
            "%PDF-1.4\n",
            Builds {
                check: "over ons.pdf",
            },
        ),
        case(
            "deeply nested lists",
            "content/diep.md",
            format!(
                "---\ntitle: Diep\n---\n{}",
                (0..2000)
                    .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
                    .collect::<String>()
            ),
            Builds {
                check: "diep/index.html",
            },
        ),
        case(
            "deeply nested quotes",
            "content/diep.md",
            format!("---\ntitle: Diep\n---\n{}tekst\n", "> ".repeat(5000)),
            Builds {
                check: "diep/index.html",
            },
        ),
        case(
            "deeply nested html",
            "content/diep.md",
            format!("---\ntitle: Diep\n---\n{}tekst\n", "<div>".repeat(5000)),
            Builds {
                check: "diep/index.html",
            },
        ),
        case(
            "deeply nested yaml",
            "content/diep.md",
            format!("---\ntitle: Diep\nsummary: {}\n---\n", "[".repeat(5000)),
            err("content/diep.md", 3, ""),
        ),
        Case {
            name: "symlink out of the site",
            files: vec![],
            symlink: Some(("content/geheim.md", PathBuf::from("/etc/passwd"))),
            expect: Builds {
                check: "index.html",
            },
        },
        Case {
            name: "symlinked folder out of the site",
            files: vec![],
            symlink: Some(("content/etc", PathBuf::from("/etc"))),
            expect: Builds {
                check: "index.html",
            },
        },
    ]);
}

#[test]
fn reports() {
    run(vec![
        case(
            "chapter broken yaml",
            "content/jaarverslag/2023/02-x.md",
            "---\ntitle: [x\n---\n",
            err("content/jaarverslag/2023/02-x.md", 2, ""),
        ),
        case(
            "chapter unknown kind",
            "content/jaarverslag/2023/02-x.md",
            "---\ntitle: x\nkind: rapport\n---\n",
            err("content/jaarverslag/2023/02-x.md", 3, "unknown kind"),
        ),
        case(
            "chapter slug collision",
            "content/jaarverslag/2023/02-voorwoord.md",
            "---\ntitle: x\n---\n",
            Error {
                file: "content/jaarverslag/2023/01-voorwoord.md",
                line: None,
                message: "content/jaarverslag/2023/02-voorwoord.md",
            },
        ),
        case(
            "chapter named print",
            "content/jaarverslag/2023/print.md",
            "---\ntitle: x\n---\n",
            Error {
                file: "content/jaarverslag/2023/print.md",
                line: None,
                message: "URL",
            },
        ),
        case(
            "report bad weight",
            "content/jaarverslag/2023/02-x.md",
            "---\ntitle: x\nweight: -\n---\n",
            err("content/jaarverslag/2023/02-x.md", 3, ""),
        ),
    ]);
}

fn programme_with(sessions: &str) -> String {
    format!(
        "kind: programme\ntitle: Netwerkdag\ndate: 2023-02-10\nrooms:\n  - {{ id: zaal1, name: Zaal 1 }}\n  - {{ id: zaal2, name: Zaal 2 }}\nsessions:\n{sessions}"
    )
}

const P: &str = "content/netwerkdagen/2023-02.yaml";

#[test]
fn programmes() {
    run(vec![
        case(
            "broken yaml",
            P,
            "kind: programme\ntitle: x\n  date: 2023-02-10\n",
            err(P, 3, "indented further than the field above"),
        ),
        case(
            "wrong type",
            P,
            programme_with("  - time: 10.00-11.00\n    title: [a]\n    room: zaal1\n"),
            err(P, 9, "title"),
        ),
        case(
            "sessions not a list",
            P,
            "kind: programme\ntitle: x\ndate: 2023-02-10\nsessions: 5\n",
            err(P, 4, "sessions"),
        ),
        case(
            "missing date",
            P,
            "kind: programme\ntitle: x\n",
            err(P, 1, "date"),
        ),
        case(
            "unknown field",
            P,
            programme_with("  - time: 10.00-11.00\n    titel: x\n    room: zaal1\n"),
            err(P, 9, "titel"),
        ),
        case(
            "bad date",
            P,
            "kind: programme\ntitle: x\ndate: 2023-02-30\n",
            err(P, 3, "date"),
        ),
        case(
            "bad time",
            P,
            programme_with("  - time: 25.00\n    title: x\n    room: zaal1\n"),
            err(P, 8, "25"),
        ),
        case(
            "ambiguous time",
            P,
            programme_with("  - time: \"9.3\"\n    title: x\n    room: zaal1\n"),
            err(P, 8, "ambiguous"),
        ),
        case(
            "end before start",
            P,
            programme_with("  - time: 11.00-10.00\n    title: x\n    room: zaal1\n"),
            err(P, 8, "ends (10.00) before it starts"),
        ),
        case(
            "unknown room",
            P,
            programme_with("  - time: 10.00-11.00\n    title: x\n    room: zaal9\n"),
            err(P, 10, "zaal9"),
        ),
        case(
            "unknown themagroep",
            P,
            programme_with(
                "  - time: 10.00-11.00\n    title: x\n    room: zaal1\n    themagroep: onbekend\n",
            ),
            err(P, 11, "onbekend"),
        ),
        case(
            "overlap",
            P,
            programme_with(
                "  - time: 10.00-11.00\n    title: a\n    room: zaal1\n  - time: 10.30-11.30\n    title: b\n    room: zaal1\n",
            ),
            err(P, 11, "overlap"),
        ),
        case(
            "duplicate room",
            P,
            "kind: programme\ntitle: x\ndate: 2023-02-10\nrooms:\n  - { id: zaal1, name: A }\n  - { id: zaal1, name: B }\n",
            err(P, 6, "zaal1"),
        ),
        case(
            "not utf-8",
            P,
            b"kind: programme\ntitle: Caf\xe9\n".to_vec(),
            err(P, 2, "UTF-8"),
        ),
        case(
            "empty",
            P,
            "",
            Error {
                file: P,
                line: None,
                message: "empty",
            },
        ),
        case(
            "unknown kind",
            P,
            "kind: programma\ntitle: x\n",
            err(P, 1, "programma"),
        ),
        case(
            "bom and crlf",
            P,
            format!("\u{feff}{}", PROGRAMME.replace('\n', "\r\n")),
            Builds {
                check: "netwerkdagen/2023-02/index.html",
            },
        ),
        case(
            "spaces and non-ascii in name",
            "content/netwerkdagen/dag één.yaml",
            PROGRAMME,
            Builds {
                check: "netwerkdagen/dag-een/index.html",
            },
        ),
    ]);
}

const R: &str = "content/bestuur/functies.yaml";

#[test]
fn roles() {
    run(vec![
        case(
            "broken yaml",
            R,
            "kind: roles\ntitle: x\n  date: 2023-02-10\n",
            err(R, 3, "indented further than the field above"),
        ),
        case(
            "missing title",
            R,
            "kind: roles\nroles: []\n",
            err(R, 1, "title"),
        ),
        case(
            "unknown field",
            R,
            ROLES.replace("    paid: false\n", "    paid: false\n    betaald: ja\n"),
            err(R, 8, "betaald"),
        ),
        case(
            "wrong type",
            R,
            ROLES.replace("paid: false", "paid: misschien"),
            err(R, 7, "paid"),
        ),
        case(
            "bad email",
            R,
            ROLES.replace("jan@example.nl", "jan-at-example"),
            err(R, 10, "jan-at-example"),
        ),
        case(
            "unknown themagroep",
            R,
            ROLES.replace(
                "    paid: false\n",
                "    paid: false\n    themagroepen: [onbekend]\n",
            ),
            err(R, 8, "onbekend"),
        ),
        case(
            "duplicate id",
            R,
            format!(
                "{ROLES}  - id: voorzitter\n    title: Nog een\n    paid: true\n    duties: [x]\n    time: x\n"
            ),
            err(R, 11, "voorzitter"),
        ),
        case(
            "bad date",
            R,
            ROLES.replace("2026-04-24", "2026-04-31"),
            err(R, 3, "date"),
        ),
        case(
            "empty",
            R,
            "",
            Error {
                file: R,
                line: None,
                message: "empty",
            },
        ),
        case(
            "not utf-8",
            R,
            b"kind: roles\ntitle: Caf\xe9\n".to_vec(),
            err(R, 2, "UTF-8"),
        ),
    ]);
}

const N: &str = "content/notas/2022-08-30-nota.md";

#[test]
fn notes() {
    run(vec![
        case(
            "missing organisation",
            N,
            NOTE.replace("organisation: Gemeente Haarlem\n", ""),
            err(N, 2, "organisation"),
        ),
        case(
            "bad besluit date",
            N,
            NOTE.replace("  datum: 2022-08-30", "  datum: 30-08-2022"),
            err(N, 10, "invalid date"),
        ),
        case(
            "unknown field",
            N,
            NOTE.replace("kernboodschap:", "kernboodschapp:"),
            err(N, 7, "kernboodschapp"),
        ),
        case(
            "wrong type",
            N,
            NOTE.replace("kernboodschap: Het werkt.", "kernboodschap: [a, b]"),
            err(N, 7, "kernboodschap"),
        ),
        case(
            "crlf",
            N,
            NOTE.replace('\n', "\r\n"),
            Builds {
                check: "notas/2022-08-30-nota/index.html",
            },
        ),
    ]);
}

const D: &str = "content/_data/pijlers.yaml";

#[test]
fn data_files() {
    run(vec![
        case(
            "broken yaml",
            D,
            "- { id: sociaal, name: x\n",
            err(D, 2, ""),
        ),
        case("wrong type", D, "id: sociaal\n", err(D, 1, "")),
        case(
            "missing field",
            D,
            "- { id: sociaal }\n- { id: fysiek, name: Fysiek }\n",
            err(D, 1, "name"),
        ),
        case(
            "unknown field",
            D,
            "- { id: sociaal, name: S, naam: x }\n- { id: fysiek, name: Fysiek }\n",
            err(D, 1, "naam"),
        ),
        case(
            "duplicate id",
            D,
            "- { id: sociaal, name: S }\n- { id: sociaal, name: T }\n- { id: fysiek, name: Fysiek }\n",
            err(D, 2, "used twice"),
        ),
        case(
            "empty",
            D,
            "",
            err(
                "content/_data/themagroepen.yaml",
                2,
                "unknown pijler `sociaal`",
            ),
        ),
        case(
            "not utf-8",
            D,
            b"- { id: sociaal, name: Caf\xe9 }\n".to_vec(),
            err(D, 1, "UTF-8"),
        ),
        case(
            "bom and crlf",
            D,
            format!("\u{feff}{}", crate::common::PIJLERS.replace('\n', "\r\n")),
            Builds {
                check: "pijlers/sociaal/index.html",
            },
        ),
    ]);
}

#[test]
fn templates() {
    run(vec![
        case(
            "syntax error",
            "templates/page.html",
            "<h1>{{ page.title }</h1>\n",
            err("templates/page.html", 1, "template"),
        ),
        case(
            "unknown variable",
            "templates/page.html",
            "<p>\n{{ page.bestaat_niet }}</p>\n",
            err("templates/page.html", 2, "content/over.md"),
        ),
        case(
            "unknown filter",
            "templates/page.html",
            "<p>\n\n{{ page.title | weg }}</p>\n",
            err("templates/page.html", 3, ""),
        ),
        case(
            "not utf-8",
            "templates/page.html",
            b"<p>Caf\xe9</p>\n".to_vec(),
            err("templates/page.html", 1, "UTF-8"),
        ),
        case(
            "empty template builds",
            "templates/page.html",
            "",
            Builds {
                check: "over/index.html",
            },
        ),
        case(
            "unknown include",
            "templates/page.html",
            "{% include \"weg.html\" %}\n",
            err("templates/page.html", 1, "weg.html"),
        ),
    ]);
}
