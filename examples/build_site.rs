//! `g40site build` of one site, with the system allocator: for heap
//! profilers that watch `malloc` (the binary uses mimalloc), e.g.
//!
//!     cargo build --release --example build_site
//!     heaptrack target/release/examples/build_site SITE OUTPUT
//!
//! and for comparing the peak memory of a build stage by stage.

use std::path::PathBuf;

use g40site::BuildOptions;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(root), Some(output)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: build_site SITE OUTPUT");
        std::process::exit(2);
    };
    let opts = BuildOptions {
        output: Some(PathBuf::from(output)),
        progress: true,
        force: true,
        ..Default::default()
    };
    if let Err(errors) = g40site::build(&PathBuf::from(root), &opts) {
        eprint!("{}", errors.render(false));
        std::process::exit(1);
    }
}
