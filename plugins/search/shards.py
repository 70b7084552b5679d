"""One language's lunr index cut into small script files that the browser loads as a query
needs them, and a store of what a result shows.

lunr.js scores a document by the dot product of the query vector with the document's field
vectors, divided by the query vector's magnitude alone: the entries of a field vector for
terms the query does not hold count for nothing. So an index holding only a query's terms
(their postings, and those terms' entries in each field vector) ranks exactly like the
whole index, and a term's postings can be shipped with its field-vector weights. Files:

- `index-<hash>.js`, the manifest: fields, pipeline, the first term of each term shard,
  the digest that names the term shards and the store, the names of the other files;
- `t-<digest>-<n>.js`, term shards: a run of consecutive terms (in JavaScript's string
  order), each with its index number in the whole index and, per field, the documents
  holding it with their weights (a document as the difference from the previous one, a
  weight in thousandths, as lunr rounds it); a term whose record alone fills a shard has a
  shard of its own;
- `d-<digest>-<n>.js`, the store: address, title, org, date and snippet of `STORE_SIZE`
  consecutive documents;
- `f-<hash>.js`, each document's org and topics, for the filters and their counts;
- `v-<hash>.js`, every term, only for fuzzy queries and leading wildcards.

Each file calls `MingaSearch.receive(name, data)` (search.js), so it loads with a plain
`<script>`, from a server or from disk; its content's hash is in its name, so a browser may
keep it for ever. The term shards and the store files, thousands at 30,000 texts, share
one digest (of all their contents) and are told apart by their number: the manifest, which
every search loads, then names them all with one digest instead of one each (at 30,000
texts, 26 KB less of a first search's compressed bytes).
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
        """Add data already written as compact JSON, named by its digest."""
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]
        return self.add_named(f"{kind}-{digest}", payload)

    def add_named(self, name: str, payload: str) -> str:
        """Add data already written as compact JSON under `name`."""
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
    shards: list[tuple[str, str]] = []  # (first term, records as compact JSON)
    batch: list[str] = []  # the shard's records, as compact JSON
    first = ""  # the shard's first term
    size = 0
    for term in sorted(records, key=js_order):
        record = compact([term, *records[term]])
        # The record's size as json.dumps writes it by default, a space after each comma
        # between items, by which shards have always been cut (the term may hold commas).
        grows = len(record) + record.count(",") - term.count(",")
        if batch and grows >= SHARD_BYTES:  # a term as large as a shard: a shard of its own
            shards.append((first, f"[{','.join(batch)}]"))
            batch, size = [], 0
        if not batch:
            first = term
        batch.append(record)
        size += grows
        if size >= SHARD_BYTES:
            shards.append((first, f"[{','.join(batch)}]"))
            batch, size = [], 0
    if batch or not shards:
        shards.append((first if batch else "", f"[{','.join(batch)}]"))

    orgs = sorted({entry.org for entry in entries})
    topics = sorted({topic for entry in entries for topic in entry.topics})
    facets = {
        "orgs": orgs,
        "topics": topics,
        "org": [orgs.index(entry.org) for entry in entries],
        "topic": [[topics.index(t) for t in entry.topics] for entry in entries],
    }
    store = [
        compact(
            [
                [e.url, e.title, e.org_name, e.date, snippet(e)]
                for e in entries[start : start + STORE_SIZE]
            ]
        )
        for start in range(0, len(entries), STORE_SIZE)
    ]
    group = numbered(files, shards, store)
    analysed = analysis_for(lang)
    manifest = {
        "lang": lang,
        "count": len(entries),
        "fields": list(fields),
        "pipeline": analysed.label,
        "stop": sorted(analysed.folded_stop_words),
        # The first term of each shard; the first shard also holds whatever sorts before its
        # first term.
        "shards": ["", *(first for first, _records in shards[1:])],
        "group": group,
        "storeSize": STORE_SIZE,
        "facets": files.add("f", facets),
        "vocabulary": files.add("v", " ".join(sorted(records, key=js_order))),
    }
    return files.add("index", manifest), files


def numbered(files: Files, shards: list[tuple[str, str]], store: list[str]) -> str:
    """Add the term shards and the store files, named by one digest of all of them and
    their number (`t-<digest>-0`, `d-<digest>-0`…); return the digest."""
    whole = hashlib.sha256()
    for payload in (*(records for _first, records in shards), *store):
        whole.update(payload.encode("utf-8") + b"\0")
    group = whole.hexdigest()[:12]
    for number, (_first, records) in enumerate(shards):
        files.add_named(f"t-{group}-{number}", records)
    for number, payload in enumerate(store):
        files.add_named(f"d-{group}-{number}", payload)
    return group


def save(files: Files, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.contents.items():
        (folder / f"{name}.js").write_bytes(content)
