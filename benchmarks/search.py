"""What search costs as the site grows: build time, index size, and what a search fetches.

For each size, a generated corpus (benchmarks/corpus.py: texts in es, pt, en, fr) is indexed
as the build does it, one index per language cut into shards (plugins/search), in one
process and a temporary folder with no cache, `--repeat` times. Then the search page's
engine (search.js and lunr.js, run in node by tests/search_engine.py) runs Spanish queries
of one, two and three words, common and rare words of the corpus, each first search in a
fresh engine, and each second query after a first one of other words; the tables give the
bytes those searches fetched, compressed one file at a time as a server sends them, and raw,
as read from disk.

    .venv/bin/python benchmarks/search.py [--sizes 1000,10000,30000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is named search.py like the plugin package: the package must come first.
sys.path[:1] = [str(ROOT / "plugins"), str(ROOT), str(ROOT / "tests")]

from search import SCRIPT, VENDOR, libraries  # noqa: E402
from search.analysis import analysis_for, words  # noqa: E402
from search.budget import compressed, compressed_sizes, first_search  # noqa: E402
from search.index import FIELDS, by_language, documents, postings  # noqa: E402
from search.shards import save, write  # noqa: E402
from search_engine import run_engine  # noqa: E402

from benchmarks.corpus import SHARES, entries  # noqa: E402
from pelicanconf import WEIGHT_BUDGETS  # noqa: E402

LANG = "es"  # the queries' language: the largest share of the texts
QUERIES = 20  # per table cell
SHOW = 10  # results whose store entries a search loads, as the search page does
FIRST_BUDGET = WEIGHT_BUDGETS["search"]
# The limit set for a second query's bytes; the build does not check it.
SECOND_BUDGET = 60_000
LIMITS_AT = 10_000  # the size the limits are stated for
THEME_STATIC = ROOT / "theme/static"
KINDS = {
    "index-": "manifest",
    "t-": "term shards",
    "d-": "store",
    "f-": "facets",
    "v-": "vocabulary",
}


def scripts(lang: str) -> dict[str, bytes]:
    """What the search page loads before any data: lunr.js, the stemmer, search.js."""
    found = {name: (THEME_STATIC / VENDOR / name).read_bytes() for name in libraries(lang)}
    found["search.js"] = (THEME_STATIC / SCRIPT).read_bytes()
    return found


def build_all(grouped: dict, folder: Path) -> tuple[float, float, dict[str, Path], dict]:
    """Index and write every language into `folder`: the index's seconds (analysis and
    weights), the shards' seconds, the manifests, and the files of LANG."""
    indexing = writing = 0.0
    manifests = {}
    lang_files = None
    for lang, group in sorted(grouped.items()):
        started = time.perf_counter()
        weighed = postings(documents(group, lang, FIELDS), FIELDS)
        built = time.perf_counter()
        name, files = write(weighed, group, lang, list(FIELDS))
        save(files, folder / lang)
        indexing += built - started
        writing += time.perf_counter() - built
        manifests[lang] = folder / lang / f"{name}.js"
        if lang == LANG:
            lang_files = files.contents
    return indexing, writing, manifests, lang_files


def word_pools(group, rng: random.Random) -> tuple[list[str], list[str]]:
    """Words a reader might search, as written in the texts: common ones (among the 300 in
    most texts) and rare ones (in two to five texts)."""
    analysed = analysis_for(LANG)
    texts: dict[str, int] = {}
    for entry in group:
        for word in {analysed.trim(w) for w in words(f"{entry.title} {entry.body}")}:
            texts[word] = texts.get(word, 0) + 1
    usable = [w for w in texts if len(w) > 2 and not w.isdigit() and analysed.term(w)]
    usable.sort(key=lambda w: (-texts[w], w))
    rare = sorted(w for w in usable if 2 <= texts[w] <= 5)
    return usable[:300], rng.sample(rare, min(len(rare), 2000))


def queries(common: list[str], rare: list[str], size: int, rng: random.Random) -> list[str]:
    """QUERIES queries of `size` words: 8 of common words, 8 of rare ones, 4 mixed."""
    made = []
    for number in range(QUERIES):
        if number < 8:
            chosen = rng.sample(common, size)
        elif number < 16:
            chosen = rng.sample(rare, size)
        else:
            chosen = [rng.choice(common if i % 2 == 0 else rare) for i in range(size)]
        made.append(" ".join(chosen))
    return made


def fetched(paths: list[str], start: dict[str, bytes] | None = None) -> tuple[int, int, int]:
    """Compressed bytes, raw bytes and file count of what a search loaded (and `start`)."""
    contents = list((start or {}).values()) + [Path(p).read_bytes() for p in paths]
    return sum(map(compressed, contents)), sum(map(len, contents)), len(contents)


def searches(manifest: Path, first: list[str], second: list[str]) -> dict[str, list]:
    """The bytes of each first search in a fresh engine, and of each second query."""
    start = scripts(LANG)
    measured = {"first": [], "second": []}
    for text, after in zip(first, second, strict=True):
        answer = run_engine({LANG: manifest}, [(LANG, text)], show=SHOW)
        measured["first"].append(fetched(answer[0]["loaded"], start))
        answer = run_engine({LANG: manifest}, [(LANG, text), (LANG, after)], show=SHOW)
        measured["second"].append(fetched(answer[1]["loaded"]))
    return measured


def kilobytes(value: float) -> str:
    return f"{value / 1000:.1f}"


def measure(size: int, repeat: int, scratch: Path) -> dict:
    started = time.perf_counter()
    texts = entries(size)
    generated = time.perf_counter() - started
    grouped = by_language(texts)
    runs = []
    for run in range(repeat):
        folder = scratch / f"{size}-{run}"
        runs.append(build_all(grouped, folder))
    indexing, writing, manifests, lang_files = runs[-1]
    totals = [i + w for i, w, *_ in runs]
    data = [p for p in folder.rglob("*.js")]
    kinds: dict[str, list[tuple[int, int]]] = {}
    for path in data:
        content = path.read_bytes()
        kind = next(label for prefix, label in KINDS.items() if path.name.startswith(prefix))
        kinds.setdefault(kind, []).append((len(content), compressed(content)))
    rng = random.Random(size)
    common, rare = word_pools(grouped[LANG], rng)
    cells = {}
    for count in (1, 2, 3):
        first = queries(common, rare, count, rng)
        second = queries(common, rare, count, rng)
        cells[count] = searches(manifests[LANG], first, second)
    return {
        "size": size,
        "languages": {lang: len(grouped.get(lang, [])) for lang in SHARES},
        "generated": generated,
        "build": statistics.median(totals),
        "index": statistics.median(i for i, *_ in runs),
        "shards": statistics.median(w for _i, w, *_ in runs),
        "files": len(data),
        "raw": sum(raw for found in kinds.values() for raw, _ in found),
        "gzip": sum(gz for found in kinds.values() for _, gz in found),
        "kinds": kinds,
        "terms": sum(1 for name in lang_files if name.startswith("t-")),
        "bound": sum(first_search(compressed_sizes(lang_files), scripts(LANG)).values()),
        "cells": cells,
    }


def mark(value: int, budget: int) -> str:
    return f"≤ {kilobytes(budget)} KB: {'pass' if value <= budget else 'FAIL'}"


def report(rows: list[dict], repeat: int) -> None:
    print(f"\nIndex of all four languages (build: median of {repeat}, index + shard files)\n")
    print(
        "| articles | es / pt / en / fr | build (s) | index (s) | shards (s) | files "
        "| data raw | data gzip | generating (s) |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        spread = " / ".join(str(n) for n in row["languages"].values())
        print(
            f"| {row['size']:,} | {spread} | {row['build']:.1f} | {row['index']:.1f} "
            f"| {row['shards']:.1f} | {row['files']:,} | {kilobytes(row['raw'])} KB "
            f"| {kilobytes(row['gzip'])} KB | {row['generated']:.1f} |"
        )

    start = scripts(LANG)
    print(
        f"\nScripts of a first search in {LANG!r} ({', '.join(start)}): "
        f"{kilobytes(sum(map(compressed, start.values())))} KB gzip, "
        f"{kilobytes(sum(map(len, start.values())))} KB raw"
    )
    print("\nData files by kind, all four languages (gzip: each file alone, level 9)\n")
    print("| articles | kind | files | raw | gzip | largest gzip | median gzip |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for row in rows:
        for kind in KINDS.values():
            found = row["kinds"].get(kind, [])
            zipped = [gz for _, gz in found]
            print(
                f"| {row['size']:,} | {kind} | {len(found):,} "
                f"| {kilobytes(sum(r for r, _ in found))} KB | {kilobytes(sum(zipped))} KB "
                f"| {kilobytes(max(zipped))} KB | {kilobytes(statistics.median(zipped))} KB |"
            )

    print(
        f"\nSpanish searches, {QUERIES} queries per row (8 of common words, 8 of rare, 4 mixed),"
        f" the first {SHOW} results shown: KB fetched, median / max\n"
    )
    print(
        "| articles | words | first: gzip | first: raw | first: files "
        "| second: gzip | second: raw | second: files | limits |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        for count, cell in row["cells"].items():
            parts = []
            for turn in ("first", "second"):
                for position in range(3):
                    values = [m[position] for m in cell[turn]]
                    middle, top = statistics.median(values), max(values)
                    if position == 2:
                        parts.append(f"{middle:.0f} / {top}")
                    else:
                        parts.append(f"{kilobytes(middle)} / {kilobytes(top)}")
            limits = ""
            if row["size"] == LIMITS_AT:
                first_top = max(m[0] for m in cell["first"])
                second_top = max(m[0] for m in cell["second"])
                limits = (
                    f"first {mark(first_top, FIRST_BUDGET)}; "
                    f"second {mark(second_top, SECOND_BUDGET)}"
                )
            print(f"| {row['size']:,} | {count} | " + " | ".join(parts) + f" | {limits} |")

    print(
        "\nThe build's bound for a first search in Spanish (plugins/search/budget.py: the "
        "largest shards and store files, with the scripts), against WEIGHT_BUDGETS['search']\n"
    )
    print("| articles | term shards (es) | bound gzip | budget |")
    print("|---:|---:|---:|---|")
    for row in rows:
        print(
            f"| {row['size']:,} | {row['terms']:,} | {kilobytes(row['bound'])} KB "
            f"| {mark(row['bound'], FIRST_BUDGET)} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,30000")
    parser.add_argument("--repeat", type=int, default=1)
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            started = time.perf_counter()
            rows.append(measure(size, options.repeat, Path(scratch)))
            print(
                f"{size:,} articles measured in {time.perf_counter() - started:.0f} s", flush=True
            )
    report(rows, options.repeat)


if __name__ == "__main__":
    main()
