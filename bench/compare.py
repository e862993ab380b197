#!/usr/bin/env python3
"""Compare two g40site binaries on the same site: build time and output.

    python3 bench/compare.py OLD_BINARY NEW_BINARY [--pages 1000] [--runs 9]
    python3 bench/compare.py OLD NEW --site path/to/site   # any site folder

For a refactor, build the old binary from the commit before it (e.g. in a
`git worktree`) and the new one from the working tree. The script

1. generates the synthetic site of bench/gen_site.py (unless `--site`),
2. builds it once with each binary and checks that the two output folders
   are byte for byte the same (`diff -r`; it stops if they are not),
3. times `build` with each in turns (old, new, old, new, ...), after one
   untimed warm-up each; before each timed run the previous output is moved
   into a trash folder and the disk synced, so no build pays for deleting
   or writing back the last one (see bench/README.md),
4. prints the median wall time and peak RSS (GNU time) of each, and the
   median of the new/old ratios taken pair by pair, which stays meaningful
   when the machine's speed drifts during the run.

Builds run with SOURCE_DATE_EPOCH fixed, so the output does not depend on
the day.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd, cwd, env):
    """Wall seconds and peak RSS (MB) of one run, via GNU time."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, cwd=cwd, env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    wall, rss = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--site", help="a site folder instead of the generated one")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--dir", default=None, help="work folder (default: a temporary one)")
    args = ap.parse_args()
    if not shutil.which("/usr/bin/time"):
        sys.exit("GNU time is needed: apt-get install time")
    old, new = os.path.abspath(args.old), os.path.abspath(args.new)
    work = args.dir or tempfile.mkdtemp(prefix="g40compare-")
    os.makedirs(work, exist_ok=True)
    if args.site:
        site = os.path.abspath(args.site)
    else:
        site = os.path.join(work, "site", "g40")
        if not os.path.isdir(site):
            subprocess.run([sys.executable, os.path.join(REPO, "bench", "gen_site.py"),
                            str(args.pages), os.path.join(work, "site")], check=True,
                           stdout=subprocess.DEVNULL)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764547200")
    trash = os.path.join(work, "trash")
    os.makedirs(trash, exist_ok=True)

    def out_of(name):
        return os.path.join(work, f"out-{name}")

    def command(binary, name):
        return [binary, "build", "--quiet", "--force", "--output", out_of(name)]

    def move_away(name):
        if os.path.exists(out_of(name)):
            os.rename(out_of(name), os.path.join(trash, f"{name}-{time.time_ns()}"))

    for name, binary in (("old", old), ("new", new)):
        move_away(name)
        timed(command(binary, name), site, env)
    same = subprocess.run(["diff", "-r", "-q", out_of("old"), out_of("new")],
                          capture_output=True, text=True)
    if same.returncode != 0:
        sys.exit(f"the outputs differ:\n{same.stdout[:4000]}")
    files = sum(len(f) for _, _, f in os.walk(out_of("new")))
    print(f"outputs byte-identical ({files:,} files)")

    times = {"old": [], "new": []}
    for _ in range(args.runs):
        for name, binary in (("old", old), ("new", new)):
            move_away(name)
            subprocess.run(["sync"], check=True)
            times[name].append(timed(command(binary, name), site, env))
    ratios = [n[0] / o[0] for o, n in zip(times["old"], times["new"])]
    print(f"{args.runs} runs each, in turns; median wall time, max peak RSS")
    for name in ("old", "new"):
        walls = [w for w, _ in times[name]]
        print(f"  {name}: {statistics.median(walls):.3f} s "
              f"(min {min(walls):.3f}, max {max(walls):.3f}), "
              f"{max(m for _, m in times[name]):.0f} MB")
    print(f"  new/old, median of the pairs: {statistics.median(ratios):.3f}")
    shutil.rmtree(trash, ignore_errors=True)
    if not args.dir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
