//! The I/O floor for the benchmark (bench/run.py): read every Markdown file
//! of a site and write as many HTML files, in parallel, doing nothing else.
//! No static site generator can build a site faster than this.
//!
//!     cargo run --release --example io_floor -- SITE_ROOT OUT_DIR

use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (root, out) = (PathBuf::from(&args[1]), PathBuf::from(&args[2]));
    let content = root.join("content");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.par_iter().for_each(|f| {
        let text = std::fs::read(f).expect("read");
        let rel = f.strip_prefix(&content).unwrap().with_extension("");
        let dir = out.join(rel);
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("index.html"), &text).expect("write");
    });
    eprintln!("{} files", files.len());
}
