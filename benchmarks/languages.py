"""What the interface languages cost: the sample site built with one language and with all.

Each build is one Pelican run of the project's own settings, in a fresh output folder,
with `UI_LANGUAGES` overridden; the table gives the median wall time of `--runs` builds,
what was written, and the ratio to the one-language build.

    .venv/bin/python benchmarks/languages.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {"es": ["es"], "es, pt, en, fr": ["es", "pt", "en", "fr"]}


def build(languages: list[str], output: Path) -> float:
    command = [
        sys.executable,
        "-m",
        "pelican",
        "-q",
        "-s",
        str(ROOT / "pelicanconf.py"),
        "-o",
        str(output),
        "-e",
        f"UI_LANGUAGES={json.dumps(languages)}",
    ]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for label, languages in CASES.items():
            times = []
            for run in range(runs):
                output = Path(scratch) / f"{len(languages)}-{run}"
                times.append(build(languages, output))
            pages = len(list(output.rglob("*.html")))
            feeds = len(list(output.rglob("*.atom.xml")))
            size = sum(f.stat().st_size for f in output.rglob("*") if f.is_file())
            rows.append((label, pages, feeds, size, statistics.median(times)))
    base = rows[0][4]
    print(f"Sample site, median of {runs} builds (one Pelican run each)\n")
    print("| UI languages | HTML pages | feeds | output | build (s) | vs one language |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, pages, feeds, size, seconds in rows:
        print(
            f"| {label} | {pages} | {feeds} | {size / 1e6:.1f} MB | {seconds:.2f} "
            f"| {seconds / base:.2f}× |"
        )


if __name__ == "__main__":
    main()
