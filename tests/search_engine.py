"""Run the search page's engine (theme/static/js/search.js) with lunr.js in node, over search
data written by the build, as the tests and the benchmark need it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "theme/static/js/search/vendor"
SEARCH_JS = ROOT / "theme/static/js/search.js"
RUNNER = Path(__file__).with_name("search_node.js")


def node() -> str:
    found = shutil.which("node")
    if not found:
        raise RuntimeError("node is required to run lunr.js for the search tests")
    return found


def run_engine(
    manifests: dict[str, Path], queries: list[tuple[str, str]], show: int = 0, facets: bool = False
) -> list:
    """For each (language, query), in one engine: the results `[[ref, score], …]` (or the
    error's text), the store entries of the first `show`, the org and topics of each of those
    when `facets` (as the page has them once the reader turns to its filters), and the files
    newly loaded."""
    request = {
        "manifests": {lang: str(path) for lang, path in manifests.items()},
        "queries": queries,
        "show": show,
        "facets": facets,
    }
    result = subprocess.run(
        [node(), str(RUNNER), str(VENDOR), str(SEARCH_JS)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def manifests_in(folder: Path) -> dict[str, Path]:
    """The manifest of each language's search data under `folder` (e.g. output/search)."""
    return {path.parent.name: path for path in sorted(folder.glob("*/index-*.js"))}
