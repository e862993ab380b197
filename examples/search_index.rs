//! Times the search index alone (`testing::BuiltSite::search_index`), the largest
//! single cost of a build (see bench/README.md), on a site built in memory:
//!
//!     cargo run --release --example search_index -- SITE_ROOT [RUNS]
//!
//! Prints the median wall time of RUNS (default 5) index builds, and the
//! index's size.

use std::time::Instant;

// As in the g40site binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(root) = args.get(1) else {
        eprintln!("usage: search_index SITE_ROOT [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let site = match g40site::testing::BuiltSite::build(root.as_ref()) {
        Ok(built) => built,
        Err(errors) => {
            eprintln!("{errors}");
            std::process::exit(1);
        }
    };
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let started = Instant::now();
        size = site.search_index().len();
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "{} pages: search index {} bytes, median {:.0} ms of {runs} runs (min {:.0} ms)",
        site.pages(),
        size,
        times[runs / 2].as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0,
    );
}
