//! Times the soft hyphens of finished pages alone (`crate::hyphenate::html`,
//! run on every HTML page a build writes; see bench/README.md), on the
//! pages of a built site with their soft hyphens taken out:
//!
//!     cargo run --release --example hyphenate_pages -- OUTPUT_DIR [RUNS]
//!
//! Prints the median wall time of RUNS (default 5) passes over every
//! page on one thread, per page, and how many soft hyphens were put in.

use std::time::Instant;

// As in the g40site binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1) else {
        eprintln!("usage: hyphenate_pages OUTPUT_DIR [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let pages: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .map(|page| page.replace('\u{AD}', ""))
        .collect();
    if pages.is_empty() {
        eprintln!("no HTML pages in {dir}");
        std::process::exit(1);
    }
    let mut times = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        for page in &pages {
            std::hint::black_box(g40site::testing::hyphenate_page(page));
        }
        times.push(started.elapsed());
    }
    let hyphens: usize = pages
        .iter()
        .map(|page| {
            g40site::testing::hyphenate_page(page)
                .matches('\u{AD}')
                .count()
        })
        .sum();
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{} pages: {:.1} ms ({:.2} µs a page), {hyphens} soft hyphens",
        pages.len(),
        median.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e6 / pages.len() as f64
    );
}
