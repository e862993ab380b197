//! The `g40site` command line: parses arguments, runs the pipeline from
//! the library, prints diagnostics and sets the exit status.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use g40site::BuildOptions;
use g40site::{Diagnostics, printable};

/// A build allocates and frees millions of small strings from two threads;
/// mimalloc does that with less work (and fewer page faults) than the
/// system allocator. Measured in bench/README.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turn transparent huge pages off for this process: the kernel clears
/// 2 MiB at the first touch of each, for memory a build touches once and
/// briefly. A 10,000-page build peaks 24 MiB lower without them, and its
/// slowest runs (clearing pages was up to a fifth of the time in a
/// profile) are gone; see bench/README.md. Children (Chromium for PDFs)
/// inherit the setting.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and
    // changes only this process's memory policy.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Static site generator for the G40 Stedennetwerk: annual reports,
/// networkday programmes, role descriptions and council notes, from
/// Markdown and YAML, for screen and paper.
#[derive(Parser)]
#[command(name = "g40site", version, about, long_about = None)]
struct Cli {
    /// Print nothing but errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

/// Options of `build` and `pdf`.
#[derive(clap::Args)]
struct BuildArgs {
    /// The site folder (the one holding site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site (default: `output` from site.yaml, else output/).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Use this base URL instead of the one in site.yaml.
    // Checked by the build like site.yaml's, so its error is printed
    // escaped (clap would echo a control character in it raw).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The date that counts as today (YYYY-MM-DD), to list upcoming
    /// networkdays first; default: SOURCE_DATE_EPOCH, else the clock.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    today: Option<g40site::Date>,
    /// The Chromium to print PDFs with (default: `chromium`,
    /// `chromium-browser` or `google-chrome` on PATH).
    #[arg(long, value_name = "PATH")]
    chromium: Option<PathBuf>,
    /// Replace the output folder even though g40site did not make it: a
    /// folder that is not empty and has no `.g40site-output` marker (for
    /// example the output of a g40site from before the marker). Everything
    /// in it is removed. Never allowed for the site folder, its sources,
    /// your home folder or `/`.
    #[arg(long)]
    force: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (default: output/).
    ///
    /// The previous output is replaced only when the whole build succeeds.
    Build {
        #[command(flatten)]
        args: BuildArgs,
        /// Also print every print page (reports, programmes, role sets,
        /// notes) to PDF with Chromium, next to the page that links to it.
        #[arg(long)]
        pdf: bool,
    },
    /// Build the site with PDFs: the same as `build --pdf`.
    Pdf {
        #[command(flatten)]
        args: BuildArgs,
    },
    /// Preview the site while you edit: builds in memory, serves it, and
    /// reloads open pages when a file changes (errors show in the browser).
    Serve {
        /// The site folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on.
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Only 127.0.0.1 (this computer) unless you
        /// choose another, e.g. 0.0.0.0 to show the preview on your network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in a web browser.
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Check the site without writing output: everything `build` checks,
    /// plus every internal link, `#anchor` and image.
    Check {
        /// The site folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Start a new document from a documented example.
    ///
    /// KIND is page, note, report, programme or roles; PATH is relative to
    /// content/, e.g. `g40site new programme netwerkdagen/2026-09-10-zwolle`.
    New {
        kind: String,
        path: String,
        /// The site folder (the one holding site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new site in DIR that builds as it is.
    Init { dir: PathBuf },
}

fn main() -> ExitCode {
    no_huge_pages();
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match cli.command {
        Command::Build { args, pdf } => build(args, pdf, cli.quiet, color),
        Command::Pdf { args } => build(args, true, cli.quiet, color),
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
        } => {
            let opts = g40site::ServeOptions {
                root,
                bind,
                port,
                drafts,
                quiet: cli.quiet,
                color,
            };
            match g40site::serve(opts) {
                Ok(running) => {
                    let url = running.url();
                    eprintln!("Serving on {url} (Ctrl+C to stop); watching for changes");
                    if open {
                        open_browser(&url);
                    }
                    running.wait();
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {}", printable(&e.to_string()));
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check { root, drafts } => {
            let opts = BuildOptions {
                drafts,
                ..Default::default()
            };
            match g40site::check(&root, &opts) {
                Ok(summary) => {
                    for w in &summary.warnings {
                        eprintln!("{}", w.render(color));
                    }
                    eprint!("{}", summary.problems.render(color));
                    let n = summary.problems.len();
                    eprintln!(
                        "Checked {} pages and {} links: {}",
                        summary.pages,
                        summary.links,
                        if n == 0 {
                            "no problems".to_string()
                        } else {
                            format!("{n} problem{}", if n == 1 { "" } else { "s" })
                        }
                    );
                    if n == 0 {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                }
                Err(errors) => {
                    eprint!("{}", errors.render(color));
                    eprintln!(
                        "Check failed: {} error{}",
                        errors.len(),
                        if errors.len() == 1 { "" } else { "s" }
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Command::New { kind, path, root } => match g40site::new_document(&root, &kind, &path) {
            Ok(files) => {
                for f in files {
                    println!("Created {}", printable(&f.display().to_string()));
                }
                println!(
                    "It starts as a draft (`draft: true`): `g40site serve --drafts` shows it; remove that line to publish it."
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {}", printable(&e.to_string()));
                ExitCode::FAILURE
            }
        },
        Command::Init { dir } => match g40site::init_site(&dir) {
            Ok(_) => {
                let dir = printable(&dir.display().to_string());
                println!("Created a new site in {dir}");
                println!("Next: cd {dir} && g40site serve");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {}", printable(&e.to_string()));
                ExitCode::FAILURE
            }
        },
    }
}

/// `build` and `pdf`.
fn build(args: BuildArgs, pdf: bool, quiet: bool, color: bool) -> ExitCode {
    let BuildArgs {
        root,
        output,
        drafts,
        base_url,
        today,
        chromium,
        force,
    } = args;
    // `--output` stays as written (relative to the current folder): the
    // library resolves it, and errors show it as the user typed it.
    let opts = BuildOptions {
        drafts,
        base_url,
        output,
        live_reload: false,
        today: Some(today.unwrap_or_else(build_date)),
        progress: !quiet,
        pdf,
        chromium,
        force,
    };
    match g40site::build(&root, &opts) {
        Ok(summary) => {
            for w in &summary.warnings {
                eprintln!("{}", w.render(color));
            }
            if !quiet {
                let pdfs = match summary.pdfs {
                    0 if !pdf => String::new(),
                    1 => ", 1 PDF".to_string(),
                    n => format!(", {n} PDFs"),
                };
                eprintln!(
                    "Built {} pages ({} files{pdfs}) into {} in {} ms",
                    summary.pages,
                    summary.files,
                    printable(&summary.output_dir.display().to_string()),
                    summary.elapsed.as_millis()
                );
                if summary.images_resized + summary.images_cached > 0 {
                    eprintln!(
                        "Images: {} resized, {} from the cache (.g40site-cache/)",
                        summary.images_resized, summary.images_cached
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(errors) => report_failure(&errors, color),
    }
}

/// Best effort: the platform's opener, if there is one.
fn open_browser(url: &str) {
    for opener in ["xdg-open", "open", "sensible-browser"] {
        if std::process::Command::new(opener).arg(url).spawn().is_ok() {
            return;
        }
    }
    eprintln!("(no browser found to open; visit {url})");
}

fn report_failure(errors: &Diagnostics, color: bool) -> ExitCode {
    eprint!("{}", errors.render(color));
    let n = errors.len();
    eprintln!(
        "Build failed with {n} error{}; the previous output was left unchanged.",
        if n == 1 { "" } else { "s" }
    );
    ExitCode::FAILURE
}

fn parse_date(s: &str) -> Result<g40site::Date, String> {
    g40site::Date::parse(s)
}

/// The build date in Europe/Amsterdam: `SOURCE_DATE_EPOCH` (reproducible
/// builds) when set, else the clock.
fn build_date() -> g40site::Date {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    let tz = jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap_or(jiff::tz::TimeZone::UTC);
    g40site::Date(now.to_zoned(tz).date())
}
