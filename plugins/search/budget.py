"""The most a reader's first search can fetch, checked against `WEIGHT_BUDGETS["search"]`.

A first search of up to `WORDS` words on the search page fetches, compressed as a server
sends them: lunr.js and the language's stemmer, search.js, the language's manifest, one
term shard per word and the store files of the first page of results. The bound takes the
largest shards and store files of the language, so no query of that many plain words
fetches more (a fuzzy query or a leading wildcard also fetches the vocabulary, and is not
bounded here). The filters' data (each text's org and topics, `f-…`) is fetched when the
reader turns to the filters or comes with one chosen, not by a plain search.
"""

from __future__ import annotations

import gzip

WORDS = 3
RESULTS = 10  # results on the first page: at most one store file each


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def compressed_sizes(contents: dict[str, bytes]) -> dict[str, int]:
    """One language's data files by name (`index-…`, `t-…`, `d-…`, `f-…`), compressed."""
    return {name: compressed(data) for name, data in contents.items()}


def first_search(sizes: dict[str, int], scripts: dict[str, bytes]) -> dict[str, int]:
    """The parts of the bound, in compressed bytes: `sizes` are one language's data files'
    (`compressed_sizes`), `scripts` the libraries and search.js."""

    def largest(kind: str, count: int) -> int:
        return sum(
            sorted((s for n, s in sizes.items() if n.startswith(kind)), reverse=True)[:count]
        )

    return {
        "scripts": sum(compressed(data) for data in scripts.values()),
        "manifest": largest("index-", 1),
        "shards": largest("t-", WORDS),
        "store": largest("d-", RESULTS),
    }


def problem(lang: str, parts: dict[str, int], budget: int) -> str | None:
    total = sum(parts.values())
    if total <= budget:
        return None
    detail = ", ".join(f"{name} {size / 1000:.1f} KB" for name, size in parts.items())
    return (
        f"search in {lang!r}: a first search may fetch {total / 1000:.1f} KB, over the "
        f"{budget / 1000:.0f} KB budget (WEIGHT_BUDGETS['search']): {detail}"
    )
