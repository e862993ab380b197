//! `serve`'s incremental rebuilds against full builds: a long seeded
//! random sequence of edits to a copy of the example site (page bodies,
//! every front matter field, new, deleted and renamed files, `_data/`,
//! site.yaml, a template, section listing options, programmes and role
//! sets), and after each edit the served files (the rebuild applied to
//! the previous ones, the search index refreshed as `serve` does when
//! idle) must be byte for byte a fresh full build, or both must fail
//! with the same errors.
//!
//! `G40_INCREMENTAL_EDITS=N` runs N edits (default 120), and
//! `G40_INCREMENTAL_SEED=S` another sequence.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use g40site::BuildOptions;
use g40site::testing::{Builder, Rebuilt};

/// xorshift64*: a small deterministic generator (no dependency).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "gemeente",
    "stad",
    "regio",
    "netwerk",
    "wonen",
    "werk",
    "zorg",
    "armoede",
    "energie",
    "samenwerking",
    "woningmarkt",
    "bestuur",
    "europa",
    "veiligheid",
    "de",
    "het",
    "een",
];
/// Folders generated pages live in: a plain section, a section whose
/// listing options change, the report (its pages are chapters), the root.
const FOLDERS: &[&str] = &["nieuws", "artikelen", "jaarverslag/2023", ""];
const PIJLERS: &[&str] = &["sociaal", "fysiek", "economie-werk", "bestaat-niet"];
const GROEPEN: &[&str] = &[
    "leefomgeving",
    "armoede-schulden",
    "zjo",
    "vitale-binnensteden",
    "onbekend",
];

/// A generated Markdown page, written out whole after every change.
#[derive(Clone)]
struct Gen {
    folder: String,
    name: String,
    title: String,
    date: Option<String>,
    weight: Option<i64>,
    pijler: Option<String>,
    themagroepen: Vec<String>,
    summary: Option<String>,
    slug: Option<String>,
    draft: bool,
    words: Vec<String>,
    /// Links to other files, site-absolute (`/nieuws/x.md`).
    links: Vec<String>,
    shortcode: bool,
}

impl Gen {
    fn rel(&self) -> String {
        if self.folder.is_empty() {
            format!("content/{}.md", self.name)
        } else {
            format!("content/{}/{}.md", self.folder, self.name)
        }
    }

    fn text(&self) -> String {
        let mut t = format!("---\ntitle: \"{}\"\n", self.title);
        if let Some(d) = &self.date {
            t += &format!("date: {d}\n");
        }
        if let Some(w) = self.weight {
            t += &format!("weight: {w}\n");
        }
        if let Some(p) = &self.pijler {
            t += &format!("pijler: {p}\n");
        }
        if !self.themagroepen.is_empty() {
            t += &format!("themagroepen: [{}]\n", self.themagroepen.join(", "));
        }
        if let Some(s) = &self.summary {
            t += &format!("summary: \"{s}\"\n");
        }
        if let Some(s) = &self.slug {
            t += &format!("slug: {s}\n");
        }
        if self.draft {
            t += "draft: true\n";
        }
        t += "---\n## Inleiding\n\n";
        t += &self.words.join(" ");
        t += ".\n";
        for (i, l) in self.links.iter().enumerate() {
            t += &format!("\nZie [link {i}]({l}).\n");
        }
        if self.shortcode {
            t += "\nLees {{ doc(path=\"jaarverslag/2023/01-voorwoord.md\", text=\"het voorwoord\") }}.\n";
        }
        t
    }
}

fn words(rng: &mut Rng, n: usize) -> Vec<String> {
    (0..n).map(|_| rng.pick(WORDS).to_string()).collect()
}

fn date(rng: &mut Rng) -> String {
    format!(
        "20{}-0{}-1{}",
        20 + rng.below(6),
        1 + rng.below(9),
        rng.below(10)
    )
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `text` with `suffix` added to its first `title: ` line, or taken off
/// when it is there: each edit undoes the one before.
fn toggle_title_suffix(text: &str, suffix: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.starts_with("title: "))
        .expect("a title line");
    let new = match line.strip_suffix(suffix) {
        Some(bare) => bare.to_string(),
        None => format!("{line}{suffix}"),
    };
    text.replacen(line, &new, 1)
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_default()
}

fn as_map(outputs: Vec<g40site::Output>) -> BTreeMap<String, Vec<u8>> {
    outputs.into_iter().map(|o| (o.path, o.bytes)).collect()
}

/// The files that differ between two builds, for the failure message.
fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut d: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    d.sort();
    d.dedup();
    d
}

struct Run {
    root: PathBuf,
    rng: Rng,
    pages: Vec<Gen>,
    counter: usize,
    /// Edits so far, for the failure message.
    log: Vec<String>,
}

impl Run {
    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn new_page(&mut self) -> Gen {
        self.counter += 1;
        let rng = &mut self.rng;
        Gen {
            folder: rng.pick(FOLDERS).to_string(),
            name: format!("pagina-{}", self.counter),
            title: format!("Pagina {}", self.counter),
            date: rng.chance(70).then(|| date(rng)),
            weight: rng.chance(30).then(|| rng.below(5) as i64),
            pijler: rng.chance(50).then(|| PIJLERS[rng.below(3)].to_string()),
            themagroepen: if rng.chance(50) {
                vec![GROEPEN[rng.below(4)].to_string()]
            } else {
                Vec::new()
            },
            summary: rng.chance(40).then(|| words(rng, 4).join(" ")),
            slug: None,
            draft: false,
            words: words(rng, 30),
            links: Vec::new(),
            shortcode: false,
        }
    }

    /// A link target: a generated page, an example file, or nothing.
    fn link_target(&mut self) -> String {
        let fixed = [
            "/jaarverslag/2023/01-voorwoord.md",
            "/kernboodschappen.md",
            "/netwerkdagen/2023-02-10-haarlem.yaml",
            "/bestuur/functies-2026.yaml",
            "/nieuws/_index.md",
            "/bestaat-niet.md",
        ];
        if !self.pages.is_empty() && self.rng.chance(60) {
            let i = self.rng.below(self.pages.len());
            format!("/{}", self.pages[i].rel().trim_start_matches("content/"))
        } else {
            self.rng.pick(&fixed).to_string()
        }
    }

    /// One random edit; returns the paths it touched.
    fn edit(&mut self) -> Vec<PathBuf> {
        let what = self.rng.below(27);
        if self.pages.is_empty() || what >= 25 {
            let page = self.new_page();
            self.write(&page.rel(), &page.text());
            self.log.push(format!("add {}", page.rel()));
            let path = self.root.join(page.rel());
            self.pages.push(page);
            return vec![path];
        }
        let i = self.rng.below(self.pages.len());
        let before = self.pages[i].clone();
        let rng = &mut self.rng;
        let p = &mut self.pages[i];
        let label = match what {
            0..=2 => {
                let n = rng.below(p.words.len());
                p.words[n] = rng.pick(WORDS).to_string();
                if rng.chance(30) {
                    p.words.extend(words(rng, 3));
                }
                "body"
            }
            3 | 4 => {
                p.title = format!("{} {}", rng.pick(WORDS), rng.below(100));
                "title"
            }
            5 => {
                p.date = rng.chance(80).then(|| date(rng));
                "date"
            }
            6 => {
                p.weight = rng.chance(70).then(|| rng.below(5) as i64);
                "weight"
            }
            7 => {
                p.pijler = rng.chance(80).then(|| {
                    let n = if rng.chance(90) { 3 } else { 4 };
                    PIJLERS[rng.below(n)].to_string()
                });
                "pijler"
            }
            8 => {
                p.themagroepen = (0..rng.below(3))
                    .map(|_| {
                        let n = if rng.chance(90) { 4 } else { 5 };
                        GROEPEN[rng.below(n)].to_string()
                    })
                    .collect();
                p.themagroepen.sort();
                p.themagroepen.dedup();
                "themagroepen"
            }
            9 => {
                p.summary = rng.chance(70).then(|| words(rng, 5).join(" "));
                "summary"
            }
            10 | 21 => {
                p.slug = rng
                    .chance(60)
                    .then(|| format!("{}-{}", rng.pick(WORDS), rng.below(50)));
                "slug"
            }
            11 => {
                p.draft = !p.draft;
                "draft"
            }
            12 | 13 | 22 | 23 | 24 => {
                let target = self.link_target();
                let p = &mut self.pages[i];
                if p.links.len() > 2 || (!p.links.is_empty() && self.rng.chance(30)) {
                    p.links.remove(0);
                } else {
                    p.links.push(target);
                }
                "links"
            }
            14 => {
                p.shortcode = !p.shortcode;
                "shortcode"
            }
            15 => {
                let page = self.pages.remove(i);
                std::fs::remove_file(self.root.join(page.rel())).unwrap();
                self.log.push(format!("delete {}", page.rel()));
                return vec![self.root.join(page.rel())];
            }
            16 => {
                let old = self.root.join(p.rel());
                let was = p.rel();
                p.folder = rng.pick(FOLDERS).to_string();
                if rng.chance(50) {
                    p.name = format!("{}-b", p.name);
                }
                let new = self.root.join(p.rel());
                if old == new {
                    return Vec::new();
                }
                std::fs::create_dir_all(new.parent().unwrap()).unwrap();
                std::fs::rename(&old, &new).unwrap();
                self.log
                    .push(format!("rename {was} -> {}", self.pages[i].rel()));
                let text = self.pages[i].text();
                self.write(&self.pages[i].rel(), &text);
                return vec![old, new];
            }
            _ => return self.site_edit(what),
        };
        if before.text() == self.pages[i].text() {
            return Vec::new();
        }
        let (rel, text) = (self.pages[i].rel(), self.pages[i].text());
        self.write(&rel, &text);
        self.log.push(format!("{label} of {rel}"));
        vec![self.root.join(rel)]
    }

    /// Undo what makes a build fail in generated pages: unknown pillars
    /// and theme groups, links to missing files, shortcodes. Returns the
    /// files written.
    fn repair(&mut self) -> Vec<PathBuf> {
        let mut written = Vec::new();
        let live: Vec<String> = self
            .pages
            .iter()
            .filter(|p| !p.draft)
            .map(|p| format!("/{}", p.rel().trim_start_matches("content/")))
            .collect();
        for i in 0..self.pages.len() {
            let before = self.pages[i].text();
            let p = &mut self.pages[i];
            if p.pijler.as_deref() == Some("bestaat-niet") {
                p.pijler = None;
            }
            p.themagroepen.retain(|g| g != "onbekend");
            p.links.retain(|l| {
                !l.starts_with("/pagina") && !l.contains("/pagina") || live.contains(l)
            });
            p.links.retain(|l| l != "/bestaat-niet.md");
            p.shortcode = false;
            if p.text() != before {
                let (rel, text) = (p.rel(), p.text());
                self.write(&rel, &text);
                written.push(self.root.join(rel));
            }
        }
        written
    }

    /// Edits to files other than generated pages.
    fn site_edit(&mut self, what: usize) -> Vec<PathBuf> {
        let rng = &mut self.rng;
        let (rel, text, label): (String, String, &str) = match (what, rng.below(8)) {
            (17, 0..=3) => {
                // The listing options of a section.
                let mut t = "---\ntitle: Artikelen\n".to_string();
                if rng.chance(50) {
                    t += "sort_by: date\n";
                }
                if rng.chance(50) {
                    t += &format!("paginate_by: {}\n", 1 + rng.below(3));
                }
                if rng.chance(40) {
                    t += "feed: true\n";
                }
                t += "---\nAlle artikelen.\n";
                (
                    "content/artikelen/_index.md".to_string(),
                    t,
                    "section options",
                )
            }
            (17, _) => {
                let names = ["Pijler Sociaal", "Sociaal Domein"];
                let name = *self.rng.pick(&names);
                let t = read(&self.root, "content/_data/pijlers.yaml")
                    .replace("Pijler Sociaal", "PLACEHOLDER")
                    .replace("Sociaal Domein", "PLACEHOLDER")
                    .replace("PLACEHOLDER", name);
                ("content/_data/pijlers.yaml".to_string(), t, "pillar name")
            }
            (18, 0..=3) => {
                let t = read(&self.root, "content/_data/steden.yaml");
                let t = if t.contains("Teststad") {
                    t.replace("- { name: Teststad, provincie: Utrecht }\n", "")
                } else {
                    t + "- { name: Teststad, provincie: Utrecht }\n"
                };
                ("content/_data/steden.yaml".to_string(), t, "data file")
            }
            (18, _) => {
                let titles = ["G40 Stedennetwerk", "G40 Netwerk"];
                let t = read(&self.root, "site.yaml");
                let t = t.replacen(
                    t.lines().next().unwrap(),
                    &format!("title: {}", rng.pick(&titles)),
                    1,
                );
                ("site.yaml".to_string(), t, "site.yaml")
            }
            (19, 0..=2) => {
                let variants = [
                    None,
                    Some(
                        "<p>{{ page.title }} {{ page.date }} {% for m in menu %}{{ m.title }}{% endfor %}</p>\n",
                    ),
                    Some(
                        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content | safe }}{% endblock content %}\n",
                    ),
                ];
                let rel = "templates/page.html".to_string();
                match rng.pick(&variants) {
                    Some(t) => (rel, t.to_string(), "template"),
                    None => {
                        let _ = std::fs::remove_file(self.root.join(&rel));
                        self.log.push("template removed".into());
                        return vec![self.root.join(rel)];
                    }
                }
            }
            (19, _) => {
                // A structured document: a programme's or a role set's title.
                let rel = rng.pick(&[
                    "content/netwerkdagen/2023-02-10-haarlem.yaml",
                    "content/bestuur/functies-2026.yaml",
                ]);
                let t = toggle_title_suffix(&read(&self.root, rel), " (herzien)");
                (rel.to_string(), t, "structured title")
            }
            (20, 0..=3) => {
                // A body edit of a chapter of the example report.
                let rel = "content/jaarverslag/2023/01-voorwoord.md";
                let t = read(&self.root, rel);
                let t = if t.contains("\n## Extra kop\n") {
                    t.replace("\n## Extra kop\n\nEen alinea erbij.\n", "")
                } else {
                    t + "\n## Extra kop\n\nEen alinea erbij.\n"
                };
                (rel.to_string(), t, "chapter body")
            }
            _ => {
                // The title of an example page that others link to.
                let rel = "content/kernboodschappen.md";
                let t = toggle_title_suffix(&read(&self.root, rel), " 2");
                (rel.to_string(), t, "example title")
            }
        };
        self.write(&rel, &text);
        self.log.push(format!("{label}: {rel}"));
        vec![self.root.join(rel)]
    }
}

/// Run `edits` random edits from `seed`; panics at the first difference.
/// Returns how many rebuilds were incremental (not a full rebuild).
fn run(seed: u64, edits: usize) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    copy_dir(&repo.join("content"), &root.join("content"));
    let mut run = Run {
        root: root.clone(),
        rng: Rng(seed | 1),
        pages: Vec::new(),
        counter: 0,
        log: Vec::new(),
    };
    run.write(
        "content/artikelen/_index.md",
        "---\ntitle: Artikelen\n---\n",
    );
    for _ in 0..12 {
        let page = run.new_page();
        run.write(&page.rel(), &page.text());
        run.pages.push(page);
    }
    // As `serve` builds: live reload on, a local base URL.
    let opts = BuildOptions {
        base_url: Some("http://127.0.0.1:1111".into()),
        live_reload: true,
        ..Default::default()
    };
    let mut builder = Builder::new(&root, opts.clone());
    let mut served = as_map(builder.build_all().expect("the example site builds"));
    let mut incremental = 0;
    let mut failed = 0;
    let mut pending: Vec<PathBuf> = Vec::new();
    for step in 0..edits {
        let changed = if pending.is_empty() {
            run.edit()
        } else {
            std::mem::take(&mut pending)
        };
        if changed.is_empty() {
            continue;
        }
        let rebuilt = builder.rebuild(&changed);
        let full = g40site::build_in_memory(&root, &opts);
        let context = || {
            let start = run.log.len().saturating_sub(8);
            format!(
                "seed {seed}, edit {step}; the last edits:\n  {}",
                run.log[start..].join("\n  ")
            )
        };
        match (rebuilt, full) {
            (Ok(rebuilt), Ok(full)) => {
                match rebuilt {
                    Rebuilt::All(outputs) => served = as_map(outputs),
                    Rebuilt::Changed { changed, removed } => {
                        incremental += 1;
                        for path in removed {
                            served.remove(&path);
                        }
                        served.extend(changed.into_iter().map(|o| (o.path, o.bytes)));
                        // What serve does when the sources are quiet.
                        let index = builder.search_index(&Default::default()).unwrap();
                        served.insert(index.path, index.bytes);
                    }
                }
                let full = as_map(full);
                let diff = differences(&served, &full);
                if let (Some(path), Ok(dir)) = (diff.first(), std::env::var("G40_INCREMENTAL_DUMP"))
                {
                    let _ = std::fs::write(
                        format!("{dir}/served.html"),
                        served.get(path).map(|b| b.as_slice()).unwrap_or_default(),
                    );
                    let _ = std::fs::write(
                        format!("{dir}/full.html"),
                        full.get(path).map(|b| b.as_slice()).unwrap_or_default(),
                    );
                }
                assert!(
                    diff.is_empty(),
                    "served files differ from a full build: {diff:?}\n{}",
                    context()
                );
            }
            (Err(a), Err(b)) => {
                assert_eq!(a.render(false), b.render(false), "{}", context());
                failed += 1;
                // Errors stay until fixed: fix them (the next rebuild is
                // one of several files at once), so that most edits are
                // made to a site that builds.
                if run.rng.chance(80) {
                    let fixed = run.repair();
                    run.log.push(format!("repaired {} files", fixed.len()));
                    pending = fixed;
                }
            }
            (Ok(_), Err(e)) => panic!(
                "the rebuild succeeded, a full build fails:\n{}\n{}",
                e.render(false),
                context()
            ),
            (Err(e), Ok(_)) => panic!(
                "the rebuild failed, a full build succeeds:\n{}\n{}",
                e.render(false),
                context()
            ),
        }
    }
    eprintln!("{edits} edits: {incremental} incremental rebuilds, {failed} failed builds");
    incremental
}

#[test]
fn random_edits_rebuild_exactly_what_a_full_build_gives() {
    let edits = std::env::var("G40_INCREMENTAL_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(120);
    let seed = std::env::var("G40_INCREMENTAL_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let incremental = run(seed, edits);
    // The comparison means something only if rebuilds were incremental.
    assert!(
        incremental * 3 > edits,
        "only {incremental} of {edits} rebuilds were incremental"
    );
}
