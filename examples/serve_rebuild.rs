//! Time serve's rebuilds in-process: build a site once, then change the
//! title of one page and rebuild, `--edits` times, printing each stage's
//! time (the progress lines) and the whole rebuild.
//!
//!     cargo run --release --example serve_rebuild -- SITE PAGE [EDITS]
//!
//! PAGE is a Markdown file of SITE with a `title:` line, relative to SITE.

use std::path::PathBuf;
use std::time::Instant;

use g40site::BuildOptions;
use g40site::testing::Builder;

/// The binary's allocator, so that the times are `serve`'s.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = PathBuf::from(&args[1]);
    let page = root.join(&args[2]);
    let edits: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(3);
    let opts = BuildOptions {
        progress: true,
        live_reload: true,
        base_url: Some("http://127.0.0.1:1111".into()),
        ..Default::default()
    };
    let mut builder = Builder::new(&root, opts);
    let t = Instant::now();
    builder.build_all().expect("the site builds");
    eprintln!("first build: {} ms", t.elapsed().as_millis());
    let original = std::fs::read_to_string(&page).unwrap();
    for i in 0..edits {
        let text = original.replacen("title: \"", &format!("title: \"Bewerking {i} "), 1);
        std::fs::write(&page, text).unwrap();
        let t = Instant::now();
        builder
            .rebuild(std::slice::from_ref(&page))
            .expect("rebuilds");
        let (parsed, built, reused) = builder.cache_stats();
        eprintln!(
            "rebuild {i}: {} ms (parsed {parsed}, built {built}, reused {reused})",
            t.elapsed().as_millis()
        );
    }
    std::fs::write(&page, original).unwrap();
}
