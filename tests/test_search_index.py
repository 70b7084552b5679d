"""Search index: the build computes the very index lunr.py's builder makes, and the same
search data from it, on generated texts in every language and on the texts that trip
search (tests/test_search.py); a rebuild analyses only the texts that changed, and
languages indexed side by side give the same data as one after the other."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import search
from lunr.builder import Builder
from search import IndexingFailed, Source, search_files
from search.analysis import analysis_for
from search.index import (
    FIELDS,
    build,
    by_language,
    documents,
    field_text,
    postings,
    register,
    terms,
)
from search.shards import write
from site_paths.parallel import shares
from test_search import corpus

from benchmarks.corpus import entries


def lunr_py_index(group, lang: str, fields: dict):
    """The reference: lunr.py's builder, handed each field's analysed terms."""
    analysed = analysis_for(lang)
    builder = Builder()
    builder.ref("id")
    for name, boost in fields.items():
        builder.field(name, boost=boost)
    builder.search_pipeline.add(register(analysed))
    for number, entry in enumerate(group):
        document = {name: terms(field_text(entry, name), analysed) for name in fields}
        document["id"] = number
        builder.add(document)
    return builder.build()


def lunr_py_postings(index, fields) -> dict[str, list]:
    """The reference's postings, read back from its field vectors (documents in order)."""
    by_number = {posting["_index"]: term for term, posting in index.inverted_index.items()}
    slot = {name: position for position, name in enumerate(fields)}
    records = {
        term: [posting["_index"]] + [[] for _ in fields]
        for term, posting in index.inverted_index.items()
    }
    last = {}
    for field_ref, vector in index.field_vectors.items():
        name, ref = field_ref.split("/", 1)
        doc = int(ref)
        elements = vector.elements
        for position in range(0, len(elements), 2):
            term = by_number[elements[position]]
            key = (term, name)
            records[term][1 + slot[name]] += [
                doc - last.get(key, 0),
                round(elements[position + 1] * 1000),
            ]
            last[key] = doc
    return records


def groups() -> list[tuple[str, list]]:
    generated = sorted(by_language(entries(300)).items())
    lang, group = generated[0]
    unfilled = [replace(entry, summary="", tags=()) for entry in group]  # fields all empty
    return [*generated, (lang, unfilled), *corpus().items()]


@pytest.mark.parametrize("fields", [FIELDS, {"body": 1.5, "title": 10, "tags": 0.7}])
def test_the_index_is_the_one_lunr_py_builds(fields):
    for lang, group in groups():
        reference = lunr_py_index(group, lang, fields)
        index = build(group, lang, fields)
        assert json.dumps(index.serialize()) == json.dumps(reference.serialize()), lang
        assert index.token_set.to_list() == reference.token_set.to_list()
        made = write(postings(documents(group, lang, fields), fields), group, lang, list(fields))
        expected = write(lunr_py_postings(reference, fields), group, lang, list(fields))
        assert made == expected, lang


def test_a_changed_text_alone_is_analysed_again(tmp_path, monkeypatch):
    grouped = by_language(entries(200))
    settings = {"CACHE_PATH": str(tmp_path / "cache"), "BUILD_PROCESSES": 1}
    analysed = []
    analyse = search.analyse

    def counted(entry, *rest):
        analysed.append(entry.url)
        return analyse(entry, *rest)

    monkeypatch.setattr(search, "analyse", counted)
    first = search_files(settings, grouped, FIELDS)
    assert len(analysed) == sum(map(len, grouped.values()))

    es = grouped["es"]
    es[3] = replace(es[3], body=es[3].body + " Una frase nueva sobre el agua.")
    es[4] = replace(es[4], url="orgs/otra/direccion.html")  # not indexed: not analysed
    analysed.clear()
    kept = tmp_path / "cache" / "search" / "analysed"
    before = {path: path.stat().st_ino for path in kept.rglob("*.pickle")}
    again = search_files(settings, grouped, FIELDS)
    assert analysed == [es[3].url]
    # The language's analyses are kept in parts: the text's old and new parts are written
    # again (or one, if both fall in the same), no other.
    after = {path: path.stat().st_ino for path in kept.rglob("*.pickle")}
    assert after.keys() == before.keys() and len(before) > 2 * len(grouped)
    rewritten = [path.relative_to(kept) for path in before if after[path] != before[path]]
    assert 1 <= len(rewritten) <= 2 and {path.parent.name for path in rewritten} == {"es"}
    assert again["pt"] == first["pt"] and again["es"] != first["es"]
    cold = search_files({**settings, "CACHE_PATH": str(tmp_path / "cold")}, grouped, FIELDS)
    assert again == cold


def as_read(entry) -> Source:
    """An entry as the build reads its text: title, summary and body in HTML."""
    return Source(
        entry.url,
        entry.lang,
        f"<em>{entry.title}</em>",
        entry.summary,
        f"<p>{entry.body}</p>\n<p>&iquest;Y ahora?</p>",
        entry.org,
        entry.org_name,
        entry.topics,
        entry.topic_labels,
        entry.tags,
        entry.date,
    )


def test_unchanged_texts_reuse_the_search_data_without_reading_their_bodies(tmp_path, monkeypatch):
    read = by_language(as_read(entry) for entry in entries(160))
    settings = {"CACHE_PATH": str(tmp_path / "cache"), "BUILD_PROCESSES": 1}
    made = []
    entry = Source.entry

    def counted(source):
        made.append(source.lang)
        return entry(source)

    monkeypatch.setattr(Source, "entry", counted)
    first = search_files(settings, read, FIELDS)
    assert sorted(made) == sorted(source.lang for group in read.values() for source in group)
    plain = {lang: [source.entry() for source in group] for lang, group in read.items()}
    assert first == search_files({**settings, "CACHE_PATH": str(tmp_path / "plain")}, plain, FIELDS)
    assert "¿Y ahora?" in plain["es"][0].body and "<" not in plain["es"][0].title

    made.clear()
    assert search_files(settings, read, FIELDS) == first
    assert made == []  # nothing changed: no body made plain text

    source = read["es"][2]
    for name, value in source._asdict().items():  # any field changed: another digest
        other = ("x",) if isinstance(value, tuple) else f"{value}x"
        assert source._replace(**{name: other}).digest() != source.digest(), name
    es = read["es"]
    es[2] = es[2]._replace(body=es[2].body + "<p>Una frase nueva sobre el agua.</p>")
    again = search_files(settings, read, FIELDS)
    assert made == ["es"] * len(es)  # only the changed language's texts
    assert again["pt"] == first["pt"] and again["es"] != first["es"]
    assert again == search_files({**settings, "CACHE_PATH": str(tmp_path / "cold")}, read, FIELDS)


def test_languages_side_by_side_make_the_same_data(tmp_path, monkeypatch):
    grouped = by_language(entries(120))
    alone = search_files(
        {"CACHE_PATH": str(tmp_path / "alone"), "BUILD_PROCESSES": 1}, grouped, FIELDS
    )
    settings = {"CACHE_PATH": str(tmp_path / "apart"), "BUILD_PROCESSES": 3}
    assert search_files(settings, grouped, FIELDS) == alone
    with monkeypatch.context() as patched:  # the workers kept their data for the next build
        patched.setattr(search, "postings", None)
        assert search_files(settings, grouped, FIELDS) == alone

    sizes = {lang: len(group) for lang, group in grouped.items()}
    assert shares({"es": 12, "pt": 7, "en": 6, "fr": 4}, 2) == [["es", "fr"], ["pt", "en"]]
    failing = shares(sizes, 2)[1][0]  # a language a worker indexes
    write = search.write

    def broken(weighed, group, lang, fields):
        if lang == failing:
            raise ValueError("a broken index")
        return write(weighed, group, lang, fields)

    monkeypatch.setattr(search, "write", broken)
    settings = {"CACHE_PATH": str(tmp_path / "broken"), "BUILD_PROCESSES": 2}
    with pytest.raises(IndexingFailed) as failed:
        search_files(settings, grouped, FIELDS)
    share = ", ".join(shares(sizes, 2)[1])
    assert str(failed.value) == f"indexing {share} failed: ValueError: a broken index"
