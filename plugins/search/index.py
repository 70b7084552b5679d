"""The search index of one content language, computed from the site's texts as lunr.py's
builder computes it, only faster.

Each text is an `Entry`. Its fields are analysed here (folded, split, trimmed, stop words
dropped, stemmed: `search.analysis`) into a `Document`: each field's terms with their
counts, which the build keeps from one run to the next (`search.search_files`). From the
documents, `postings` computes each term's postings and BM25 weights with lunr.js 2.3.9's
formulas, in the very order and rounding of lunr.py's `Builder` (tests/test_search_index.py
compares the two): lunr.py's builder makes a token per term occurrence and an object per
posting, which at tens of thousands of texts takes minutes. `build` makes a lunr.py index
of them, for queries in Python. The index's search pipeline is one registered function per
language (`minga-es`…), which search.js registers under the same name in the browser.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from lunr.index import Index
from lunr.pipeline import Pipeline
from lunr.query_parser import QueryParser
from lunr.token_set import TokenSet
from lunr.vector import Vector
from site_paths.collector import paused

from .analysis import Analysis, analysis_for, fold, words

# Indexed fields and their boosts; SEARCH_FIELDS in the settings may change them.
FIELDS = {"title": 8, "summary": 3, "topics": 3, "tags": 3, "org": 2, "body": 1}
# lunr's BM25 parameters: term frequency saturation and field length normalisation.
K1, B = 1.2, 0.75


# One text analysed: per indexed field, each term and how often it occurs, in order of first
# occurrence (the order in which lunr's builder numbers the terms).
Document = tuple[dict[str, int], ...]


@dataclass(frozen=True)
class Entry:
    """One text as search sees it: what is indexed, and what a result shows."""

    url: str  # site path of the page, e.g. "orgs/x/y.html"
    lang: str
    title: str
    summary: str
    body: str
    org: str  # the org's id ("" for the editors' news)
    org_name: str
    topics: tuple[str, ...] = ()  # topic ids
    topic_labels: tuple[str, ...] = ()  # the same topics, named in the text's language
    tags: tuple[str, ...] = ()
    date: str = ""  # ISO 8601 date


def field_text(entry: Entry, name: str) -> str:
    if name == "org":
        return entry.org_name
    if name == "topics":
        return " ".join(entry.topic_labels)
    if name == "tags":
        return " ".join(entry.tags)
    return getattr(entry, name)


def terms(text: str, analysed: Analysis) -> list[str]:
    found = (analysed.term(word) for word in words(text))
    return [term for term in found if term]


def register(analysed: Analysis):
    """The index's search pipeline: `analysed` as one lunr.py function, named as in
    search.js. (Queries are folded before they are parsed, on both sides.)"""
    label = analysed.label
    if label not in Pipeline.registered_functions:

        def pipeline_function(token, i, tokens):
            term = analysed.term(str(token))
            return token.update(lambda _string, _metadata: term) if term else None

        Pipeline.register_function(pipeline_function, label)
    return Pipeline.registered_functions[label]


def analyse(entry: Entry, analysed: Analysis, fields: Iterable[str]) -> Document:
    """The terms of each of `fields` of `entry`, with their counts."""
    # lunr lower-cases each term it is given; so does `counted`, to be the same for any term.
    return tuple(analysed.counted(words(field_text(entry, name))) for name in fields)


def documents(entries: Iterable[Entry], lang: str, fields: Iterable[str]) -> list[Document]:
    analysed = analysis_for(lang)
    return [analyse(entry, analysed, fields) for entry in entries]


@paused()
def postings(documents: Sequence[Document], fields: dict[str, float]) -> dict[str, list]:
    """Each term's `[index number, field 0 postings, field 1 postings…]`, a field's postings
    being `[doc delta, weight in thousandths, …]` in document order: what lunr.py's builder
    computes for the same documents (a document's ref being its position), where a weight
    is lunr's BM25 score of the term in the field, times the field's boost, to 3 decimals."""
    boosts = list(fields.values())
    count = len(documents)
    # Terms are numbered in the order the builder meets them: by document, then field, then
    # first occurrence. Per field, where each term occurs: [doc, count, doc, count…].
    numbers: dict[str, int] = {}
    found: list[dict[str, list[int]]] = [{} for _ in boosts]
    lengths = [[0] * count for _ in boosts]
    for doc, document in enumerate(documents):
        for slot, counts in enumerate(document):
            lengths[slot][doc] = sum(counts.values())
            places = found[slot]
            for term, frequency in counts.items():
                pairs = places.get(term)
                if pairs is not None:
                    pairs += (doc, frequency)
                    continue
                places[term] = [doc, frequency]
                if term not in numbers:
                    numbers[term] = len(numbers)
    # Each field length's part of BM25, with the builder's operations in the builder's order
    # so that every weight rounds as it does.
    norms = []
    for field_lengths in lengths:
        average = sum(field_lengths) / count
        # A field no document fills (no average to divide by) has no postings to weigh.
        norms.append([K1 * (1 - B + B * (n / average)) for n in field_lengths] if average else [])
    saturation = K1 + 1
    made = {}
    for term, number in numbers.items():
        held = [places.get(term, ()) for places in found]
        # lunr counts a document once for each field that holds the term.
        holding = sum(map(len, held)) // 2
        idf = math.log(1 + abs((count - holding + 0.5) / (holding + 0.5)))
        record = [number]
        for pairs, norm, boost in zip(held, norms, boosts, strict=True):
            weights = []
            last = 0
            pair = iter(pairs)
            for doc, frequency in zip(pair, pair, strict=True):
                score = idf * (saturation * frequency) / (norm[doc] + frequency) * boost
                # lunr rounds to 3 decimals, and search data keeps the thousandths:
                # round(round(score, 3) * 1000), which is as round(score * 1000) unless
                # that is within a hair of a half, and a third of the cost.
                scaled = score * 1000
                thousandths = round(scaled)
                if abs(scaled - thousandths) > 0.4999:
                    thousandths = round(round(score, 3) * 1000)
                weights += (doc - last, thousandths)
                last = doc
            record.append(weights)
        made[term] = record
    return made


def build(entries: Sequence[Entry], lang: str, fields: dict[str, float] = FIELDS) -> Index:
    """The lunr.py index of `entries` (all in `lang`), the one lunr.py's builder makes; a
    document's ref is its position."""
    made = postings(documents(entries, lang, fields), fields)
    names = list(fields)
    vectors = {f"{name}/{doc}": [] for doc in range(len(entries)) for name in names}
    inverted = {}
    for term, (number, *places) in made.items():  # in the order of their numbers
        posting = {}
        for name, weights in zip(names, places, strict=True):
            holding = posting[name] = {}
            doc = 0
            pair = iter(weights)
            for delta, thousandths in zip(pair, pair, strict=True):
                doc += delta
                holding[str(doc)] = {}
                # The float nearest to the rounded decimal, as round(score, 3) gives it.
                vectors[f"{name}/{doc}"] += (number, thousandths / 1000)
        posting["_index"] = number
        inverted[term] = posting
    pipeline = Pipeline()
    pipeline.add(register(analysis_for(lang)))
    return Index(
        inverted_index=inverted,
        field_vectors={ref: Vector(elements) for ref, elements in vectors.items()},
        token_set=TokenSet.from_list(sorted(inverted)),
        fields=names,
        pipeline=pipeline,
    )


def search(index, text: str) -> list[tuple[int, float]]:
    """lunr.py's results for a query typed by a reader, as search.js asks lunr.js: the text
    folded, clauses left with no term (a stop word) dropped, best first, ties by ref."""
    query = index.create_query()
    QueryParser(fold(text), query).parse()
    query.clauses = [
        clause
        for clause in query.clauses
        if not clause.use_pipeline or index.pipeline.run_string(clause.term)
    ]
    if not query.clauses:
        return []
    found = [(int(result["ref"]), result["score"]) for result in index.query(query)]
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))


Listed = TypeVar("Listed")


def by_language(entries: Iterable[Listed]) -> dict[str, list[Listed]]:
    """Entries (or anything with their `url`, `lang` and `date`) grouped by content language,
    newest first, then by address."""
    grouped: dict[str, list[Listed]] = {}
    newest_first = sorted(sorted(entries, key=lambda e: e.url), key=lambda e: e.date, reverse=True)
    for entry in newest_first:
        grouped.setdefault(entry.lang, []).append(entry)
    return grouped
