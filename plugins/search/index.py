"""The search index of one content language, built with lunr.py from the site's texts.

Each text is an `Entry`. Its fields are analysed here (folded, split, trimmed, stop words
dropped, stemmed: `search.analysis`) and handed to lunr.py's builder as lists of terms, so
lunr.py computes the postings and the BM25 weights of lunr.js 2.3.9 while the analysis is
done once per distinct word. The index's search pipeline is one registered function per
language (`minga-es`…), which search.js registers under the same name in the browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lunr.builder import Builder
from lunr.pipeline import Pipeline
from lunr.query_parser import QueryParser

from .analysis import Analysis, analysis_for, fold, words

# Indexed fields and their boosts; SEARCH_FIELDS in the settings may change them.
FIELDS = {"title": 8, "summary": 3, "topics": 3, "tags": 3, "org": 2, "body": 1}


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


def build(entries: Sequence[Entry], lang: str, fields: dict[str, float] = FIELDS):
    """The lunr.py index of `entries` (all in `lang`); a document's ref is its position."""
    analysed = analysis_for(lang)
    builder = Builder()
    builder.ref("id")
    for name, boost in fields.items():
        builder.field(name, boost=boost)
    # Documents arrive analysed: the builder's own pipeline has nothing left to do.
    builder.search_pipeline.add(register(analysed))
    for number, entry in enumerate(entries):
        document = {name: terms(field_text(entry, name), analysed) for name in fields}
        document["id"] = number
        builder.add(document)
    return builder.build()


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


def by_language(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """Entries grouped by content language, newest first, then by address."""
    grouped: dict[str, list[Entry]] = {}
    newest_first = sorted(sorted(entries, key=lambda e: e.url), key=lambda e: e.date, reverse=True)
    for entry in newest_first:
        grouped.setdefault(entry.lang, []).append(entry)
    return grouped
