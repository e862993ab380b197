#!/usr/bin/env python3
"""Time serve's rebuild after a title edit, in process, for two builds of
`examples/serve_rebuild`, alternating: A, B, A, B, ... (ROUNDS rounds of
10 edits each), then each one's median, minimum and 90th percentile.

    cargo build --release --example serve_rebuild
    cp target/release/examples/serve_rebuild /tmp/sr-new   # and an older one
    python3 bench/rebuild_ab.py /tmp/sr-old /tmp/sr-new [SITE] [ROUNDS]

SITE defaults to the 10,000-page bench site in /dev/shm/g40bench/10000/g40
(`python3 bench/gen_site.py 10000 /dev/shm/g40bench/10000`); ROUNDS to 3.
Alternating keeps the comparison fair when the machine's speed drifts.
"""
import re
import statistics
import subprocess
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    a, b = sys.argv[1], sys.argv[2]
    site = sys.argv[3] if len(sys.argv) > 3 else "/dev/shm/g40bench/10000/g40"
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    times = {a: [], b: []}
    for _ in range(rounds):
        for binary in (a, b):
            out = subprocess.run([binary, site, "content/sectie-00/pagina-00000.md", "10"],
                                 capture_output=True, text=True, check=True).stderr
            times[binary] += [int(ms) for ms in re.findall(r"^rebuild \d+: (\d+) ms", out, re.M)]
    for binary in (a, b):
        v = sorted(times[binary])
        print(f"{binary}: median {statistics.median(v)} ms, min {v[0]}, "
              f"p90 {v[int(len(v) * 0.9)]} (n={len(v)})")


if __name__ == "__main__":
    main()
