#!/usr/bin/env python3
"""Benchmark g40site against Hugo and the I/O floor (see bench/README.md).

    python3 bench/run.py [--sizes 1000 10000] [--runs 5] [--dir /tmp/g40bench]
    python3 bench/run.py --baseline OLD_BINARY [--pdf]   # issue 18's table

With `--baseline`, an older g40site (e.g. built from an earlier commit)
joins every round: its `build` and `check` in the same rotation, its
`serve` edits right after this one's, its `build --pdf` of the example
site (`--pdf`, `--pdf-baseline` if the baseline cannot build today's
example) alternating with this one's; the script ends with one table
of every figure the performance issue names, old against new.

For each size: generates the site (bench/gen_site.py) once, then runs the
three builds in turns (floor, g40site, Hugo; order rotated each round), each
into an output folder that does not exist: the previous output is moved
into a trash folder before the timed run and deleted only after all
sizes, so no build pays for deleting the last one. Before each timed run
the disk is synced (untimed), so no build pays for writing back the last
one's files. ext4 without a journal (this machine's disk) skips inodes
freed in the last minute, or six while their inode table is dirty, when
it creates new ones, which slows every build after a large delete: trash
left by an earlier run is deleted first, and the script waits `--settle`
seconds after its own last delete (a stamp file in `--dir`). One untimed
warm-up round comes first. Reports the median wall time and
peak RSS (GNU time), the ratios, and g40site's incremental rebuild in serve
mode (a one-page edit on the largest site).
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
G40 = os.path.join(REPO, "target", "release", "g40site")
FLOOR = os.path.join(REPO, "target", "release", "examples", "io_floor")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def ensure_tools():
    missing = [p for p in ("hugo", "/usr/bin/time") if not shutil.which(p)]
    if missing and shutil.which("apt-get"):
        pkgs = {"hugo": "hugo", "/usr/bin/time": "time"}
        sh(["apt-get", "install", "-y", "-qq"] + [pkgs[m] for m in missing], stdout=subprocess.DEVNULL)
    sh(["cargo", "build", "--release", "--quiet", "--bin", "g40site", "--example", "io_floor"], cwd=REPO)


def timed(cmd):
    """Wall seconds and peak RSS (MB) of one run, via GNU time."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    wall, rss = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


def settle(base, seconds):
    """Delete an earlier run's trash, and wait until ext4 no longer skips
    the inodes freed by the last delete."""
    trash = os.path.join(base, "trash")
    stamp = os.path.join(base, "deleted-at")
    if os.path.isdir(trash) and os.listdir(trash):
        delete_trash(base)
    if os.path.exists(stamp):
        wait = seconds - (time.time() - os.path.getmtime(stamp))
        if wait > 0:
            print(f"(waiting {wait:.0f} s after the last delete of build output)", file=sys.stderr)
            time.sleep(wait)


def delete_trash(base):
    shutil.rmtree(os.path.join(base, "trash"), ignore_errors=True)
    sh(["sync"])
    os.makedirs(base, exist_ok=True)
    with open(os.path.join(base, "deleted-at"), "w") as f:
        f.write(f"{time.time()}\n")


def bench_size(n, runs, base, baseline=None, hugo=True):
    site = os.path.join(base, str(n))
    if not os.path.isdir(os.path.join(site, "g40")):
        sh([sys.executable, os.path.join(REPO, "bench", "gen_site.py"), str(n), site])
    trash = os.path.join(base, "trash")
    os.makedirs(trash, exist_ok=True)
    out = os.path.join(site, "out")
    root = os.path.join(site, "g40")
    commands = {
        "floor": [FLOOR, root, out],
        "g40site": [G40, "build", "--quiet", "--root", root, "--output", out],
        "hugo": ["hugo", "--quiet", "--source", os.path.join(site, "hugo"), "--destination", out],
        # Builds in memory and checks every link; writes nothing.
        "check": [G40, "check", "--quiet", "--root", root],
    }
    if not hugo:
        del commands["hugo"]
    if baseline:
        commands["baseline"] = [baseline, "build", "--quiet", "--root", root, "--output", out]
        commands["baseline check"] = [baseline, "check", "--quiet", "--root", root]
    results = {k: [] for k in commands}
    names = list(commands)
    def move_away():
        if os.path.exists(out):
            os.rename(out, os.path.join(trash, f"{n}-{time.time_ns()}"))

    for name in names:  # warm-up: sources and binaries into the page cache
        move_away()
        timed(commands[name])
    for r in range(runs):
        k = r % len(names)
        order = names[k:] + names[:k]
        for name in order:
            move_away()
            sh(["sync"])
            results[name].append(timed(commands[name]))
    move_away()
    return {k: (statistics.median(w for w, _ in v), max(m for _, m in v)) for k, v in results.items()}


def pdf_builds(runs, binaries):
    """`build --pdf` of the example site (this repository), the binaries
    in turns; median wall seconds of each."""
    times = {name: [] for name in binaries}
    out = os.path.join(tempfile_dir(), "pdf-out")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764547200")
    for r in range(runs + 1):
        for name, binary in binaries.items():
            shutil.rmtree(out, ignore_errors=True)
            t0 = time.perf_counter()
            subprocess.run([binary, "build", "--pdf", "--quiet", "--output", out], cwd=REPO,
                           env=env, check=True, stdout=subprocess.DEVNULL)
            if r > 0:  # the first round warms up Chromium and the page cache
                times[name].append(time.perf_counter() - t0)
    shutil.rmtree(out, ignore_errors=True)
    return {name: statistics.median(t) for name, t in times.items()}


def tempfile_dir():
    import tempfile
    return tempfile.mkdtemp(prefix="g40bench-")


def issue_table(size, results, serve, pdf, has_baseline):
    """The performance issue's table: every figure, old and new."""
    r = results[size]
    rows = []
    def ms(x):
        return f"{x:,.0f} ms" if x is not None else "-"
    def s_(x):
        return f"{x:.2f} s" if x is not None else "-"
    old = lambda k: r[k][0] if k in r else None
    for kind, label in [("body", "body edit, save -> served"),
                        ("title", "title edit, save -> served"),
                        ("date", "date edit, save -> served"),
                        ("weight", "weight edit, save -> served"),
                        ("pijler", "pillar edit, save -> served"),
                        ("themagroepen", "theme-group edit, save -> served")]:
        rows.append((f"`serve`, {label}", ms(serve["baseline"][kind][0]) if "baseline" in serve else "-",
                     ms(serve["g40site"][kind][0])))
    rows.append(("`serve`, initial build (until serving)",
                 ms(serve["baseline"]["initial"][0]) if "baseline" in serve else "-",
                 ms(serve["g40site"]["initial"][0])))
    rows.append(("`build`, full", s_(old("baseline")), s_(r["g40site"][0])))
    rows.append(("`check`", s_(old("baseline check")), s_(r["check"][0])))
    rows.append(("`build --pdf`, example site", s_(pdf.get("baseline")), s_(pdf.get("g40site"))))
    rows.append(("peak memory, full build", f"{r['baseline'][1]:.0f} MB" if has_baseline else "-",
                 f"{r['g40site'][1]:.0f} MB"))
    print(f"\n{size:,} pages; the baseline is {'the given old binary' if has_baseline else 'not given'}:\n")
    print("| what | baseline | now |")
    print("|---|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if has_baseline:
        print(f"\nbuild now / baseline: {r['g40site'][0] / r['baseline'][0]:.2f}; "
              f"check / build now: {r['check'][0] / r['g40site'][0]:.2f}; "
              f"Hugo: {r['hugo'][0] if 'hugo' in r else float('nan'):.2f} s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", default="/tmp/g40bench")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--settle", type=int, default=380,
                    help="seconds to wait after the last delete of build output")
    ap.add_argument("--baseline", help="an older g40site binary to compare every figure with")
    ap.add_argument("--pdf", action="store_true", help="also time `build --pdf` of the example site")
    ap.add_argument("--pdf-baseline",
                    help="the old binary for --pdf (default: --baseline); it must build today's example site")
    ap.add_argument("--edits", type=int, default=3, help="serve: edits of each kind")
    ap.add_argument("--without-hugo", action="store_true",
                    help="leave Hugo out (at 50,000 pages it needs about 9 GB)")
    args = ap.parse_args()
    if args.baseline:
        args.baseline = os.path.abspath(args.baseline)
    ensure_tools()
    settle(args.dir, args.settle)
    hugo_version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
    print(f"g40site {subprocess.run([G40, '--version'], capture_output=True, text=True).stdout.split()[1]}, "
          f"Hugo {hugo_version}, {os.cpu_count()} cores, {args.runs} runs, median wall time, peak RSS\n")
    print("| pages | floor | g40site | check | Hugo | g40site/Hugo | g40site/floor | RSS g40site | RSS Hugo |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    all_results = {}
    for n in args.sizes:
        r = bench_size(n, args.runs, args.dir, args.baseline, not args.without_hugo)
        all_results[n] = r
        f, g, c = r["floor"][0], r["g40site"][0], r["check"][0]
        h, hm = r["hugo"] if "hugo" in r else (float("nan"), float("nan"))
        print(f"| {n:,} | {f:.2f} s | {g:.2f} s | {c:.2f} s | {h:.2f} s | {g / h:.2f} | {g / f:.1f} | "
              f"{r['g40site'][1]:.0f} MB | {hm:.0f} MB |", flush=True)
    if len(args.sizes) >= 2:
        small, large = min(args.sizes), max(args.sizes)
        ratio = all_results[large]["g40site"][0] / all_results[small]["g40site"][0]
        print(f"\ng40site {large:,} / {small:,} pages: {ratio:.1f}x the time")
    # serve on the largest site: every kind of edit, this binary and then
    # the baseline (edits alternate within each run; see serve_edit.py).
    import serve_edit
    largest = max(args.sizes)
    root = os.path.join(args.dir, str(largest), "g40")
    serve = {}
    for name, binary in [("g40site", G40)] + ([("baseline", args.baseline)] if args.baseline else []):
        print(f"\nserve, {largest:,} pages, {name}:")
        serve[name] = serve_edit.run(root, binary, args.edits)
        print(f"     initial: {serve[name]['initial'][0]:6.0f} ms until serving")
    pdf = {}
    if args.pdf:
        binaries = {"g40site": G40}
        if args.pdf_baseline or args.baseline:
            binaries["baseline"] = os.path.abspath(args.pdf_baseline or args.baseline)
        pdf = pdf_builds(args.runs, binaries)
    issue_table(largest, all_results, serve, pdf, bool(args.baseline))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({str(k): v for k, v in all_results.items()}, f, indent=2)
    delete_trash(args.dir)


if __name__ == "__main__":
    main()
