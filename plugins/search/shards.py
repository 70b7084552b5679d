"""One language's lunr index cut into small script files that the browser loads as a query
needs them, and a store of what a result shows.

lunr.js scores a document by the dot product of the query vector with the document's field
vectors, divided by the query vector's magnitude alone: the entries of a field vector for
terms the query does not hold count for nothing. So an index holding only a query's terms
(their postings, and those terms' entries in each field vector) ranks exactly like the
whole index, and a term's postings can be shipped with its field-vector weights. Files:

- `index-<hash>.js`, the manifest: fields, pipeline, the first term of each term shard,
  the names of the other files;
- `t-<hash>.js`, term shards: a run of consecutive terms (in JavaScript's string order),
  each with its index number in the whole index and, per field, the documents holding it
  with their weights (a document as the difference from the previous one, a weight in
  thousandths, as lunr rounds it);
- `d-<hash>.js`, the store: address, title, org, date and snippet of `STORE_SIZE`
  consecutive documents;
- `f-<hash>.js`, each document's org and topics, for the filters and their counts;
- `v-<hash>.js`, every term, only for fuzzy queries and leading wildcards.

Each file calls `MingaSearch.receive(name, data)` (search.js), so it loads with a plain
`<script>`, from a server or from disk; its content's hash is in its name, so a browser may
keep it for ever.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import analysis_for
from .index import Entry

SHARD_BYTES = 12_000  # a term shard's target size before compression
STORE_SIZE = 8  # documents per store file: a page of results touches few files
SNIPPET_CHARACTERS = 180


def compact(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Files:
    """The files of one language's search data: name (without `.js`) to content."""

    lang: str
    contents: dict[str, bytes] = field(default_factory=dict)

    def add(self, kind: str, data) -> str:
        return self.add_json(kind, compact(data))

    def add_json(self, kind: str, payload: str) -> str:
        """Add data already written as compact JSON."""
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]
        name = f"{kind}-{digest}"
        script = f'MingaSearch.receive("{self.lang}/{name}",{payload});\n'
        self.contents[name] = script.encode("utf-8")
        return name


def js_order(term: str) -> bytes:
    """Sort key giving JavaScript's string order (by UTF-16 code unit), which the browser's
    binary search over shard boundaries and lunr's TokenSet builder rely on."""
    return term.encode("utf-16-be")


def snippet(entry: Entry) -> str:
    text = " ".join((entry.summary or entry.body).split())
    if len(text) <= SNIPPET_CHARACTERS:
        return text
    cut = text.rfind(" ", 0, SNIPPET_CHARACTERS)
    return text[: cut if cut > 0 else SNIPPET_CHARACTERS].rstrip(" ,;:.") + "…"


def write(
    records: dict[str, list], entries: Sequence[Entry], lang: str, fields: Sequence[str]
) -> tuple[str, Files]:
    """The files of one language's search data, and the name of its manifest, from each
    term's postings (`search.index.postings`)."""
    files = Files(lang)
    shards: list[list] = []
    batch: list[str] = []  # the shard's records, as compact JSON
    first = ""  # the shard's first term
    size = 0
    for term in sorted(records, key=js_order):
        record = compact([term, *records[term]])
        if not batch:
            first = term
        batch.append(record)
        # The record's size as json.dumps writes it by default, a space after each comma
        # between items, by which shards have always been cut (the term may hold commas).
        size += len(record) + record.count(",") - term.count(",")
        if size >= SHARD_BYTES:
            shards.append([first, files.add_json("t", f"[{','.join(batch)}]")])
            batch, size = [], 0
    if batch or not shards:
        shards.append([first if batch else "", files.add_json("t", f"[{','.join(batch)}]")])
    shards[0][0] = ""  # the first shard also holds whatever sorts before its first term

    orgs = sorted({entry.org for entry in entries})
    topics = sorted({topic for entry in entries for topic in entry.topics})
    facets = {
        "orgs": orgs,
        "topics": topics,
        "org": [orgs.index(entry.org) for entry in entries],
        "topic": [[topics.index(t) for t in entry.topics] for entry in entries],
    }
    store = [
        files.add(
            "d",
            [
                [e.url, e.title, e.org_name, e.date, snippet(e)]
                for e in entries[start : start + STORE_SIZE]
            ],
        )
        for start in range(0, len(entries), STORE_SIZE)
    ]
    analysed = analysis_for(lang)
    manifest = {
        "lang": lang,
        "count": len(entries),
        "fields": list(fields),
        "pipeline": analysed.label,
        "stop": sorted(analysed.folded_stop_words),
        "shards": shards,
        "store": store,
        "storeSize": STORE_SIZE,
        "facets": files.add("f", facets),
        "vocabulary": files.add("v", " ".join(sorted(records, key=js_order))),
    }
    return files.add("index", manifest), files


def save(files: Files, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.contents.items():
        (folder / f"{name}.js").write_bytes(content)
