"""What the interface languages cost: the sample site built with one language and with all.

Each build is one Pelican run of the project's own settings, in a fresh output folder,
with `UI_LANGUAGES` (and, for the last row, `BUILD_PROCESSES`) overridden; the table gives
the median wall time of `--runs` builds, what was written, and the ratio to the
one-language build.

    .venv/bin/python benchmarks/languages.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALL = ["es", "pt", "en", "fr"]
# Row label -> settings given on Pelican's command line.
CASES = {
    "es": {"UI_LANGUAGES": ["es"]},
    "es, pt, en, fr": {"UI_LANGUAGES": ALL},
    "es, pt, en, fr, one process": {"UI_LANGUAGES": ALL, "BUILD_PROCESSES": 1},
}


def build(settings: dict, output: Path) -> float:
    overrides = [f"{key}={json.dumps(value)}" for key, value in settings.items()]
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
        *overrides,
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
        for case, (label, settings) in enumerate(CASES.items()):
            times = []
            for run in range(runs):
                output = Path(scratch) / f"{case}-{run}"
                times.append(build(settings, output))
            pages = len(list(output.rglob("*.html")))
            feeds = len(list(output.rglob("*.atom.xml")))
            size = sum(f.stat().st_size for f in output.rglob("*") if f.is_file())
            rows.append((label, pages, feeds, size, statistics.median(times)))
    base = rows[0][4]
    cores = os.cpu_count()
    print(f"Sample site, median of {runs} builds (one Pelican run each), {cores} cores\n")
    print("| UI languages | HTML pages | feeds | output | build (s) | vs one language |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, pages, feeds, size, seconds in rows:
        print(
            f"| {label} | {pages} | {feeds} | {size / 1e6:.1f} MB | {seconds:.2f} "
            f"| {seconds / base:.2f}× |"
        )


if __name__ == "__main__":
    main()
