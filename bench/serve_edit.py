#!/usr/bin/env python3
"""Time `g40site serve` on a generated site: its first build, and from
saving one page to the server answering with the new version, for a
body edit and for each front matter field editors change (title, date,
weight, pijler, themagroepen).

    python3 bench/serve_edit.py SITE_DIR [--g40 BINARY] [--edits 5]

SITE_DIR is a site made by bench/gen_site.py (its `g40` folder). Each
edit is saved, then the page (or for `weight`, its section's listing) is
fetched over HTTP every 2 ms until it shows the change; the time includes
serve's 25 ms debounce. The page is put back as it was after each edit
and the server given time to settle. Prints one line per kind of edit:
the median and the range, and serve's own rebuild time (its log line).
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import threading
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    return urllib.request.urlopen(url, timeout=30).read().decode()


def run(root, g40, edits, out=print):
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([g40, "serve", "--root", root, "--port", str(port)],
                              stderr=subprocess.PIPE, text=True)
    lines = []
    first = threading.Event()

    def read():
        for line in server.stderr:
            lines.append(line.strip())
            if line.startswith("Serving"):
                first.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        first.wait(600)
        initial = (time.perf_counter() - started) * 1000
        built = next((l for l in lines if l.startswith("Built")), "?")
        base = f"http://127.0.0.1:{port}"
        page = os.path.join(root, "content", "sectie-01", "pagina-00001.md")
        url = f"{base}/sectie-01/pagina-00001/"
        section = f"{base}/sectie-01/"
        original = open(page).read()
        results = {"initial": (initial, built)}

        def edit(kind, i):
            marker = f"bewerking{i}x{time.time_ns() % 100000}"
            text = original
            if kind == "body":
                text = original + f"\n{marker}\n"
                check = (url, lambda h: marker in h)
            elif kind == "title":
                text = re.sub(r'^title: ".*"$', f'title: "Pagina 1 {marker}"', original, count=1, flags=re.M)
                check = (url, lambda h: marker in h)
            elif kind == "date":
                d = f"2019-0{1 + i % 9}-1{i % 10}"
                text = re.sub(r"^date: .*$", f"date: {d}", original, count=1, flags=re.M)
                check = (url, lambda h: f'datetime="{d}"' in h)
            elif kind == "weight":
                text = original.replace("---\ntitle:", f"---\nweight: {1 + i}\ntitle:", 1)
                # First in its section's listing once it has a weight.
                first_link = "/sectie-01/pagina-00001/"
                check = (section, lambda h: h.find(first_link) < h.find("/sectie-01/pagina-00021/"))
            elif kind == "pijler":
                p = ["fysiek", "economie-werk"][i % 2]
                text = re.sub(r"^pijler: .*$", f"pijler: {p}", original, count=1, flags=re.M)
                check = (url, lambda h: f"/pijlers/{p}/" in h)
            elif kind == "themagroepen":
                g = ["europa", "veiligheid"][i % 2]
                text = re.sub(r"^themagroepen: .*$", f"themagroepen: [{g}]", original, count=1, flags=re.M)
                check = (url, lambda h: f"/themagroepen/{g}/" in h)
            before = len(lines)
            t0 = time.perf_counter()
            with open(page, "w") as f:
                f.write(text)
            target, ok = check
            while not ok(fetch(target)):
                time.sleep(0.002)
            ms = (time.perf_counter() - t0) * 1000
            while len(lines) == before:
                time.sleep(0.002)
            log = lines[before]
            # Put it back, and let the server rebuild and go quiet.
            with open(page, "w") as f:
                f.write(original)
            while len(lines) <= before + 1:
                time.sleep(0.005)
            time.sleep(0.5)
            return ms, log

        for kind in ["body", "title", "date", "weight", "pijler", "themagroepen"]:
            runs = [edit(kind, i) for i in range(edits)]
            times = [t for t, _ in runs]
            rebuild = [int(m.group(1)) for _, l in runs if (m := re.search(r" in (\d+) ms", l))]
            results[kind] = (statistics.median(times), min(times), max(times),
                             statistics.median(rebuild) if rebuild else None, runs[-1][1])
            out(f"{kind:>12}: {results[kind][0]:6.0f} ms save to served (min {min(times):.0f}, max {max(times):.0f}); "
                f"serve: {runs[-1][1]}")
        with open(page, "w") as f:
            f.write(original)
        return results
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--g40", default=os.path.join(REPO, "target", "release", "g40site"))
    ap.add_argument("--edits", type=int, default=5)
    args = ap.parse_args()
    r = run(args.site, args.g40, args.edits)
    print(f"     initial: {r['initial'][0]:6.0f} ms until serving; serve: {r['initial'][1]}")


if __name__ == "__main__":
    main()
