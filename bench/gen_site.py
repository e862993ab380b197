#!/usr/bin/env python3
"""Write a synthetic site of N pages, in g40site's format and as a Hugo site.

    python3 bench/gen_site.py N OUT_DIR

Creates OUT_DIR/g40 (site.yaml + content/) and OUT_DIR/hugo (hugo.toml +
content/ + a minimal layout) with the same Markdown: about 1,000 words a
page, headings, lists, links, a table every 5th page, a fenced YAML block
every 20th page, 20 sections, pillar/theme-group references. Deterministic:
the same N gives the same files.
"""
import os
import random
import sys

WORDS = (
    "gemeente stad regio netwerk bestuur wethouder burgemeester raad college "
    "beleid wonen werk zorg jeugd onderwijs armoede schulden veiligheid europa "
    "financien duurzaamheid energie warmte mobiliteit binnenstad economie mkb "
    "arbeidsmarkt leefomgeving transformatie samenwerking rijk provincie "
    "ministerie kabinet agenda opgave programma inzet resultaat overleg advies "
    "inwoners ondernemers voorzieningen investering middelen taken afspraken "
    "de het een en van in op met voor naar door over bij als dat die is zijn "
    "wordt worden heeft hebben kan kunnen moet moeten ook nog meer dan om"
).split()
PIJLERS = ["economie-werk", "sociaal", "fysiek"]
GROEPEN = ["woningmarkt", "armoede-schulden", "duurzaamheid", "veiligheid", "europa", "financien"]


def sentence(rng, n=None):
    n = n or rng.randint(8, 18)
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng, sentences=None):
    return " ".join(sentence(rng) for _ in range(sentences or rng.randint(3, 6)))


def body(rng, i, n, links):
    parts = []
    words = 0
    h = 0
    while words < 800:
        h += 1
        parts.append(f"## {sentence(rng, 4)[:-1]} {h}\n")
        p = paragraph(rng)
        # A link to another page of the site.
        target = rng.randrange(n)
        p += f" Zie ook [pagina {target}]({links(target)})."
        parts.append(p + "\n")
        words += len(p.split())
        if h % 2 == 0:
            items = "\n".join(f"- {sentence(rng, 6)}" for _ in range(4))
            parts.append(items + "\n")
            words += 28
        if h % 3 == 0:
            parts.append(f"### {sentence(rng, 3)[:-1]}\n")
            p = paragraph(rng, 3)
            parts.append(f"**{rng.choice(WORDS)}** {p} _{rng.choice(WORDS)}_\n")
            words += len(p.split())
    if i % 5 == 0:
        rows = "\n".join(f"| {rng.choice(WORDS)} | {rng.randint(1, 999)} | {rng.choice(WORDS)} |" for _ in range(6))
        parts.append("| Onderwerp | Aantal | Status |\n|---|---:|---|\n" + rows + "\n")
    if i % 20 == 0:
        parts.append("```yaml\ntitle: Voorbeeld\nitems:\n  - een\n  - twee\nweight: 10\n```\n")
    return "\n".join(parts)


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(40)
    g40 = os.path.join(out, "g40")
    hugo = os.path.join(out, "hugo")
    for d in (g40, hugo):
        os.makedirs(os.path.join(d, "content"), exist_ok=True)
    with open(os.path.join(g40, "site.yaml"), "w") as f:
        f.write("title: Benchmark\nbase_url: https://bench.example.nl\n")
    os.makedirs(os.path.join(g40, "content", "_data"), exist_ok=True)
    with open(os.path.join(g40, "content", "_data", "pijlers.yaml"), "w") as f:
        f.writelines(f"- {{ id: {p}, name: Pijler {p} }}\n" for p in PIJLERS)
    with open(os.path.join(g40, "content", "_data", "themagroepen.yaml"), "w") as f:
        f.writelines(f"- {{ id: {g}, name: Groep {g}, pijler: {PIJLERS[k % 3]} }}\n" for k, g in enumerate(GROEPEN))
    with open(os.path.join(g40, "content", "_index.md"), "w") as f:
        f.write("---\ntitle: Start\n---\nBenchmark.\n")
    with open(os.path.join(hugo, "hugo.toml"), "w") as f:
        f.write(
            'baseURL = "https://bench.example.nl/"\ntitle = "Benchmark"\n'
            'disableKinds = ["RSS"]\n'
            "[taxonomies]\n  pijler = \"pijlers\"\n  themagroep = \"themagroepen\"\n"
            "[markup.highlight]\n  noClasses = false\n"
        )
    layouts = os.path.join(hugo, "layouts", "_default")
    os.makedirs(layouts, exist_ok=True)
    base = (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
        "<body><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n"
    )
    with open(os.path.join(layouts, "baseof.html"), "w") as f:
        f.write(base)
    with open(os.path.join(layouts, "single.html"), "w") as f:
        f.write('{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n')
    with open(os.path.join(layouts, "list.html"), "w") as f:
        f.write('{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n')

    sections = [f"sectie-{s:02d}" for s in range(20)]
    for s in sections:
        for d in (g40, hugo):
            os.makedirs(os.path.join(d, "content", s), exist_ok=True)
        with open(os.path.join(g40, "content", s, "_index.md"), "w") as f:
            f.write(f"---\ntitle: Sectie {s}\n---\n")
        with open(os.path.join(hugo, "content", s, "_index.md"), "w") as f:
            f.write(f"---\ntitle: Sectie {s}\n---\n")

    def section_of(i):
        return sections[i % 20]

    def link(i):
        return f"/{section_of(i)}/pagina-{i:05d}/"

    for i in range(n):
        text = body(rng, i, n, link)
        pijler = PIJLERS[i % 3]
        groep = GROEPEN[i % len(GROEPEN)]
        date = f"20{20 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        title = f"Pagina {i}: {sentence(rng, 4)[:-1]}"
        g40_front = f"---\ntitle: \"{title}\"\ndate: {date}\nsummary: \"{sentence(rng)}\"\npijler: {pijler}\nthemagroepen: [{groep}]\n---\n"
        hugo_front = f"---\ntitle: \"{title}\"\ndate: {date}\nsummary: \"{sentence(rng)}\"\npijlers: [{pijler}]\nthemagroepen: [{groep}]\n---\n"
        name = f"pagina-{i:05d}.md"
        with open(os.path.join(g40, "content", section_of(i), name), "w") as f:
            f.write(g40_front + text)
        with open(os.path.join(hugo, "content", section_of(i), name), "w") as f:
            f.write(hugo_front + text)


if __name__ == "__main__":
    main()
