#!/usr/bin/env python3
"""Benchmark g40site against Hugo and the I/O floor (see bench/README.md).

    python3 bench/run.py [--sizes 1000 10000] [--runs 5] [--dir /tmp/g40bench]

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


def bench_size(n, runs, base):
    site = os.path.join(base, str(n))
    if not os.path.isdir(os.path.join(site, "g40")):
        sh([sys.executable, os.path.join(REPO, "bench", "gen_site.py"), str(n), site])
    trash = os.path.join(base, "trash")
    os.makedirs(trash, exist_ok=True)
    out = os.path.join(site, "out")
    commands = {
        "floor": [FLOOR, os.path.join(site, "g40"), out],
        "g40site": [G40, "build", "--quiet", "--root", os.path.join(site, "g40"), "--output", out],
        "hugo": ["hugo", "--quiet", "--source", os.path.join(site, "hugo"), "--destination", out],
    }
    results = {k: [] for k in commands}
    names = list(commands)
    def move_away():
        if os.path.exists(out):
            os.rename(out, os.path.join(trash, f"{n}-{time.time_ns()}"))

    for name in names:  # warm-up: sources and binaries into the page cache
        move_away()
        timed(commands[name])
    for r in range(runs):
        order = names[r % 3:] + names[:r % 3]
        for name in order:
            move_away()
            sh(["sync"])
            results[name].append(timed(commands[name]))
    move_away()
    return {k: (statistics.median(w for w, _ in v), max(m for _, m in v)) for k, v in results.items()}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def incremental(n, base, edits=5):
    """Time from saving one page to the server serving the new version."""
    root = os.path.join(base, str(n), "g40")
    port = free_port()
    server = subprocess.Popen([G40, "serve", "--root", root, "--port", str(port)], stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()  # "Built N pages in X ms"
        server.stderr.readline()  # "Serving on ..."
        page = os.path.join(root, "content", "sectie-01", "pagina-00001.md")
        url = f"http://127.0.0.1:{port}/sectie-01/pagina-00001/"
        original = open(page).read()
        times, rebuilds = [], []
        for i in range(edits):
            marker = f"Bewerking {i} {time.time_ns()}"
            t0 = time.perf_counter()
            with open(page, "w") as f:
                f.write(original + f"\n{marker}\n")
            while marker not in urllib.request.urlopen(url).read().decode():
                time.sleep(0.002)
            times.append((time.perf_counter() - t0) * 1000)
            rebuilds.append(int(server.stderr.readline().split(" in ")[1].split()[0]))
            time.sleep(0.3)
        with open(page, "w") as f:
            f.write(original)
        return line.strip(), statistics.median(times), statistics.median(rebuilds)
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dir", default="/tmp/g40bench")
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--settle", type=int, default=380,
                    help="seconds to wait after the last delete of build output")
    args = ap.parse_args()
    ensure_tools()
    settle(args.dir, args.settle)
    hugo_version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
    print(f"g40site {subprocess.run([G40, '--version'], capture_output=True, text=True).stdout.split()[1]}, "
          f"Hugo {hugo_version}, {os.cpu_count()} cores, {args.runs} runs, median wall time, peak RSS\n")
    print("| pages | floor | g40site | Hugo | g40site/Hugo | g40site/floor | RSS g40site | RSS Hugo |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    all_results = {}
    for n in args.sizes:
        r = bench_size(n, args.runs, args.dir)
        all_results[n] = r
        f, g, h = r["floor"][0], r["g40site"][0], r["hugo"][0]
        print(f"| {n:,} | {f:.2f} s | {g:.2f} s | {h:.2f} s | {g / h:.2f} | {g / f:.1f} | "
              f"{r['g40site'][1]:.0f} MB | {r['hugo'][1]:.0f} MB |", flush=True)
    if len(args.sizes) >= 2:
        small, large = min(args.sizes), max(args.sizes)
        ratio = all_results[large]["g40site"][0] / all_results[small]["g40site"][0]
        print(f"\ng40site {large:,} / {small:,} pages: {ratio:.1f}x the time")
    largest = max(args.sizes)
    first, edit_ms, rebuild_ms = incremental(largest, args.dir)
    print(f"\nserve, {largest:,} pages: first build: {first.lower()}; one-page edit: "
          f"{rebuild_ms:.0f} ms rebuild, {edit_ms:.0f} ms from save to updated page (incl. debounce)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({str(k): v for k, v in all_results.items()}, f, indent=2)
    delete_trash(args.dir)


if __name__ == "__main__":
    main()
