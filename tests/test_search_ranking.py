"""Search ranking: a reader finds a text they remember by a few of its words, in a generated
corpus of realistic size (benchmarks/corpus.py), with lunr.py and with the browser's engine
(lunr.js over the shards, in node) giving the very same results."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest
from search.analysis import analysis_for, words
from search.index import FIELDS, build, by_language, documents, postings, search
from search.shards import save, write
from search_engine import run_engine

from benchmarks.corpus import entries

ARTICLES = 2000
# Known-item queries per language: about the corpus's shares of the languages.
QUERIES = {"es": 40, "pt": 30, "en": 25, "fr": 25}
MRR_FLOOR = 0.85
DEPTH = 10  # a result further down than the first page counts for nothing
# How a reader remembers a text, one after the other per language; "fuzzy" and "prefix"
# come once per language (a typo with `~1`, a word cut short with `*`).
WAYS = ["title", "unaccented", "title+body", "singular", "title+org", "title", "unaccented"]
ELIDED = re.compile(r"^(?:l|d|qu|n|s|j|c|m|t)'|'s$")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The corpus's texts by language, each language's lunr.py index, and the manifests of
    the search data written from them."""
    grouped = by_language(entries(ARTICLES))
    folder = tmp_path_factory.mktemp("search")
    indexes, manifests = {}, {}
    for lang, group in grouped.items():
        indexes[lang] = build(group, lang)
        weighed = postings(documents(group, lang, FIELDS), FIELDS)
        name, files = write(weighed, group, lang, list(FIELDS))
        save(files, folder / lang)
        manifests[lang] = folder / lang / f"{name}.js"
    return grouped, indexes, manifests


def unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def unique(found) -> list[str]:
    return list(dict.fromkeys(found))


def remembered(text: str, lang: str) -> list[str]:
    """The words of `text` a reader could type back: not stop words, not figures, as typed
    (a reader writes `eau` for `l'eau`, `community` for `community's`)."""
    analysed = analysis_for(lang)
    found = []
    for word in text.lower().split():
        word = ELIDED.sub("", analysed.trim(word.strip('.,:;«»"')))
        if len(word) > 2 and not word.isdigit() and analysed.term(word) and word not in found:
            found.append(word)
    return found


def query_for(rng: random.Random, way: str, entry, lang: str, common: set[str]) -> str | None:
    """What a reader who remembers `entry` types, in one of the WAYS; None when the text
    does not lend itself to it. Words in `common` are in too many texts to stand out."""
    title = remembered(entry.title, lang)
    if len(title) < 2:
        return None
    picked = rng.sample(title, min(len(title), rng.choice((2, 2, 3))))
    if way == "unaccented":
        return " ".join(unaccented(word) for word in picked)
    if way == "singular":  # the word remembered in another form: `semilla` for `semillas`
        plural = [w for w in picked if w.endswith("s") and len(w) > 4]
        if not plural:
            return None
        return " ".join(unique(w[:-1] if w == plural[0] else w for w in picked))
    if way == "title+body":  # and a word the text is about, a place or a name, say
        running = words(entry.body)
        repeated = [
            w
            for w in remembered(entry.body, lang)
            if w not in title and w not in common and running.count(w) >= 3
        ]
        if not repeated:
            return None
        return " ".join(picked[:2] + [rng.choice(repeated)])
    if way == "title+org":  # and the word that names the org: `yanapampa`, not `radio`
        org = [w for w in remembered(entry.org_name, lang) if w not in title and w not in common]
        if not org:
            return None
        return " ".join(picked[: rng.choice((1, 2))] + [rng.choice(org)])
    if way == "fuzzy":  # one letter dropped, which `~1` forgives
        long = [w for w in picked if len(w) >= 6]
        if not long:
            return None
        typo = long[0][:3] + long[0][4:]
        return " ".join(f"{typo}~1" if w == long[0] else w for w in picked)
    if way == "prefix":  # a long word cut short
        long = [w for w in picked if len(w) >= 7]
        if not long:
            return None
        return " ".join(f"{long[0][:5]}*" if w == long[0] else w for w in picked)
    return " ".join(picked)


def common_words(group, lang: str) -> set[str]:
    """Words in more than one text in twenty (of their body or their org's name)."""
    texts: dict[str, int] = {}
    for entry in group:
        for word in set(remembered(f"{entry.body} {entry.org_name}", lang)):
            texts[word] = texts.get(word, 0) + 1
    return {word for word, count in texts.items() if count > len(group) / 20}


def known_items(grouped) -> list[tuple[str, str, int, str]]:
    """(language, query, target ref, way) for QUERIES texts per language, picked at random."""
    rng = random.Random(20)
    found = []
    for lang, count in QUERIES.items():
        group = grouped[lang]
        common = common_words(group, lang)
        ways = ["fuzzy", "prefix"] + [WAYS[i % len(WAYS)] for i in range(count - 2)]
        targets = iter(rng.sample(range(len(group)), len(group)))
        for way in ways:
            query = None
            while query is None:
                ref = next(targets)
                query = query_for(rng, way, group[ref], lang, common)
            found.append((lang, query, ref, way))
    return found


def rank_of(ref: int, results) -> int | None:
    refs = [found for found, _score in results[:DEPTH]]
    return refs.index(ref) + 1 if ref in refs else None


def test_a_reader_finds_a_text_by_the_words_they_remember(written, report):
    grouped, indexes, manifests = written
    queries = known_items(grouped)
    assert len(queries) >= 100 and {q[0] for q in queries} == set(QUERIES)
    python = [search(indexes[lang], text) for lang, text, _ref, _way in queries]
    browser = run_engine(manifests, [(lang, text) for lang, text, _ref, _way in queries])

    # The browser's engine over the shards gives lunr.py's refs and scores, exactly.
    differ = [
        (q[0], q[1], p[:3], b["results"][:3] if isinstance(b["results"], list) else b)
        for q, p, b in zip(queries, python, browser, strict=True)
        if [tuple(pair) for pair in b["results"]] != p
    ]
    assert differ == [], differ

    ranks = [rank_of(ref, found) for (_l, _q, ref, _w), found in zip(queries, python, strict=True)]
    top1 = sum(r == 1 for r in ranks) / len(ranks)
    top5 = sum(r is not None and r <= 5 for r in ranks) / len(ranks)
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    by_language = {
        lang: sum(1 / r for (q, *_), r in zip(queries, ranks, strict=True) if q == lang and r)
        / QUERIES[lang]
        for lang in QUERIES
    }
    missed = [
        (lang, text, way, rank)
        for (lang, text, _ref, way), rank in zip(queries, ranks, strict=True)
        if rank != 1
    ]
    report(
        f"Known items: {len(queries)} queries in {len(QUERIES)} languages "
        f"({ARTICLES} generated texts): top-1 {top1:.2f}, top-5 {top5:.2f}, "
        f"MRR@{DEPTH} {mrr:.2f} (lunr.py = lunr.js); MRR by language "
        + ", ".join(f"{lang} {value:.2f}" for lang, value in by_language.items())
    )
    assert mrr >= MRR_FLOOR, missed
