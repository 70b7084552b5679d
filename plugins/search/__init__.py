"""Search that works on 2G and from disk: a lunr index per content language, built here
and cut into small script files the search page loads as a query needs them.

- `search.analysis`: how words are folded, trimmed, filtered and stemmed, as in lunr.js;
- `search.index`: the texts as `Entry` records, and lunr.py's index of one language;
- `search.shards`: that index as term shards, a store of results, facets and a manifest,
  written under `SEARCH_OUTPUT/<lang>/`;
- `theme/static/js/search.js`: the search page's script, which loads the vendored lunr.js
  and lunr-languages (`theme/static/js/search/vendor/`) and the shards, only when the
  reader focuses the search box or opens a search address.

The search page (`SEARCH_URL`, template `search.html`) is written in every edition; every
page's header has a search form leading to it, which works without JavaScript too (the
page then says search needs it, and links to the topic, org and country indexes). The
files each edition's search page loads are named in `OFFLINE_LOADS`, so an offline copy
holding the page holds them too.

A language's files are kept in `<CACHE_PATH>/search/` under a digest of its texts as read
(`Source`: HTML, not yet made plain text), its fields, this package's code and the vendored
analysis files: a build where a language's texts did not change reuses them instead of
indexing again, without making the texts' entries. Each text's analysed fields are
kept too (`<CACHE_PATH>/search/analysed/<lang>.pickle`, under a digest of what it indexes of
the text), so indexing a language again analyses only its new and changed texts; and the
languages to index again are indexed side by side, one per processor core
(`site_paths.parallel`). All of it is done by a worker started as soon as the texts are
final, while the pages are written (`start_ahead`). The files' compressed sizes, for the
first search's budget, are kept with them; a file whose bytes the previous build wrote
is taken from its output (`incremental.write_keyed`), not written again, whatever its name
was.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from functools import cache
from html import unescape
from importlib.metadata import version
from pathlib import Path
from typing import NamedTuple

from incremental import write_keyed
from pelican import signals
from pelican.generators import Generator
from site_paths import edition_url, editions, write_editions, write_page
from site_paths.kept import files_digest, keep, read_kept
from site_paths.parallel import Ahead, WorkerFailed, side_by_side

from .analysis import analysis_for
from .budget import compressed_sizes, first_search, problem
from .index import FIELDS, Document, Entry, analyse, by_language, field_text, postings
from .shards import Files, write

DEFAULTS = {
    # The search page, in every edition.
    "SEARCH_URL": "search.html",
    # The folder of the search data, one subfolder per content language.
    "SEARCH_OUTPUT": "search",
    # Indexed fields and their boosts: a word in the title counts eight times one in the body.
    "SEARCH_FIELDS": FIELDS,
}
VENDOR = "js/search/vendor"  # under THEME_STATIC_DIR
SCRIPT = "js/search.js"
THEME_STATIC = Path(__file__).resolve().parents[2] / "theme/static"


@cache
def code_digest() -> str:
    """What the search files depend on besides the texts: this package's code, the vendored
    stop words and stemmers it reads, and the libraries that index and stem."""
    libraries = [
        f"{library} {version(library)}" for library in ("lunr", "snowballstemmer", "PyStemmer")
    ]
    package = Path(__file__).resolve().parent
    return hashlib.sha256(
        repr((files_digest(package, THEME_STATIC / VENDOR), libraries)).encode()
    ).hexdigest()


# The analysed documents of a language are kept in this many files, by their key's first
# byte: a text edited rewrites the one or two files its old and new keys fall in, not the
# whole language's (1.2 s of the search worker at 30,000 texts).
ANALYSED_FILES = 64


def analysed_documents(
    cache_dir: Path, group: list[Entry], lang: str, fields: dict
) -> list[Document]:
    """Each entry's analysed fields: the ones kept by the last indexing of `lang` for the
    entries it indexed the same (same indexed text, language, fields and code), the others
    analysed now."""
    folder = cache_dir / "analysed" / lang
    (cache_dir / "analysed" / f"{lang}.pickle").unlink(missing_ok=True)  # kept whole before
    kept: dict[int, dict[bytes, Document]] = {}
    for number in range(ANALYSED_FILES):
        part = read_kept(folder / f"{number:02d}.pickle", {})
        kept[number] = part if isinstance(part, dict) else {}
    context = hashlib.sha256(repr((code_digest(), lang, fields)).encode())
    analysed = analysis_for(lang)
    found: dict[int, dict[bytes, Document]] = {number: {} for number in range(ANALYSED_FILES)}
    documents = []
    for entry in group:
        digest = context.copy()
        digest.update(repr([field_text(entry, name) for name in fields]).encode())
        key = digest.digest()
        number = key[0] % ANALYSED_FILES
        document = found[number].get(key)
        if document is None:
            document = kept[number].get(key)
            if document is None:
                document = analyse(entry, analysed, fields)
            found[number][key] = document
        documents.append(document)
    for number, part in found.items():
        if part.keys() != kept[number].keys():  # the texts gone are forgotten
            keep(folder / f"{number:02d}.pickle", part)
    return documents


class IndexingFailed(WorkerFailed):
    """A worker could not make its languages' search data."""

    task = "indexing {}"


def search_files(
    settings: dict, grouped: dict[str, list[Entry | Source]], fields: dict
) -> dict[str, tuple[str, Files, dict[str, int]]]:
    """Each language's manifest name, search files and their compressed sizes: from the
    cache when its texts are the ones they were made of, else made, the languages side by
    side. A text may be given as read (`Source`): it is made an `Entry` only when its
    language is indexed again."""
    cache_dir = Path(settings["CACHE_PATH"]) / "search"
    made, missing = {}, {}
    for lang, group in grouped.items():
        digest = hashlib.sha256(repr((code_digest(), lang, fields)).encode())
        for item in group:
            digest.update(item.digest() if isinstance(item, Source) else repr(item).encode())
        key = digest.hexdigest()
        kept = cache_dir / f"{lang}.{key[:32]}.pickle"  # a code has no dot: `pt` is not `pt-br`
        found = read_kept(kept)
        if found is None:
            missing[lang] = kept
        else:
            made[lang] = found

    def make(lang: str) -> tuple[str, Files, dict[str, int]]:
        group = [item.entry() if isinstance(item, Source) else item for item in grouped[lang]]
        weighed = postings(analysed_documents(cache_dir, group, lang, fields), fields)
        manifest, files = write(weighed, group, lang, list(fields))
        written = manifest, files, compressed_sizes(files.contents)
        for old in cache_dir.glob(f"{lang}.*.pickle"):
            old.unlink()
        keep(missing[lang], written)
        return written

    sizes = {lang: len(grouped[lang]) for lang in missing}
    return {**made, **side_by_side(settings, sizes, make, IndexingFailed)}


class SearchBudgetError(Exception):
    """A first search could fetch more than its budget."""


TAGS = re.compile(r"<[^>]+>")


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def plain_text(html: str) -> str:
    """The words of a bit of HTML, tags off, entities read, spaces collapsed."""
    return " ".join(unescape(TAGS.sub(" ", html or "")).split())


class Source(NamedTuple):
    """A text's searchable fields as read (title, summary and body in HTML): what its
    `Entry` is made of. Its `digest` names the entry for the cache, so a build whose texts
    did not change takes a language's search data from there without making the entries
    (the plain text of every body)."""

    url: str
    lang: str
    title: str
    summary: str
    body: str
    org: str
    org_name: str
    topics: tuple[str, ...]
    topic_labels: tuple[str, ...]
    tags: tuple[str, ...]
    date: str

    def digest(self) -> bytes:
        """A digest of every field: the body's bytes as they are (its `repr` would escape
        them all first), the other fields and the body's length by their `repr`."""
        head = (*self[:4], *self[5:], len(self.body))
        digest = hashlib.blake2b(repr(head).encode("utf-8", "surrogatepass"), digest_size=16)
        digest.update(self.body.encode("utf-8", "surrogatepass"))
        return digest.digest()

    def entry(self) -> Entry:
        return Entry(
            url=self.url,
            lang=self.lang,
            title=plain_text(self.title),
            summary=plain_text(self.summary),
            body=plain_text(self.body),
            org=self.org,
            org_name=self.org_name,
            topics=self.topics,
            topic_labels=self.topic_labels,
            tags=self.tags,
            date=self.date,
        )


def source_of(text, context: dict, team: str) -> Source:
    """A text (article or page, in one language) as search reads it."""
    from localization import topic_label

    org = getattr(text, "org", None)
    topics = tuple(getattr(text, "topics", None) or ())
    metadata = getattr(text, "metadata", {})
    return Source(
        url=text.url,
        lang=text.lang,
        title=text.title,
        summary=metadata.get("summary", "") or "",  # written, not cut from the body
        # The body as read: Pelican's `content` resolves its links (in tags, which go) anew
        # on every call.
        body=text._content or "",
        org=org.id if org else "",
        org_name=org.name if org else team,
        topics=topics,
        topic_labels=tuple(topic_label(context, t, text.lang) for t in topics),
        tags=tuple(str(tag) for tag in getattr(text, "tags", None) or ()),
        date=text.date.date().isoformat() if getattr(text, "date", None) else "",
    )


def texts(context: dict) -> list:
    """Every published text, in every language: articles, dossiers and pages."""
    found = []
    for originals, translations in (("articles", "translations"), ("pages", "translations")):
        for text in context.get(originals, ()):
            found.append(text)
            found.extend(getattr(text, translations, ()))
    unique = {
        id(text): text for text in found if getattr(text, "status", "published") == "published"
    }
    return list(unique.values())


def libraries(lang: str) -> list[str]:
    """The vendored files lunr.js needs for an index's analysis, in loading order."""
    analysed = analysis_for(lang).lang
    if analysed in ("es", "pt", "fr"):
        return ["lunr.min.js", "lunr.stemmer.support.min.js", f"lunr.{analysed}.min.js"]
    return ["lunr.min.js"]


class Prepared(NamedTuple):
    """What the search page and files are made of: each language's manifest name, files and
    their compressed sizes, and how many texts it has; the orgs and topics of the texts."""

    made: dict[str, tuple[str, Files, dict[str, int]]]
    counts: dict[str, int]
    orgs: list[tuple[str, str]]
    topics: list[str]


def prepare(context: dict, settings: dict) -> Prepared:
    fields = dict(settings["SEARCH_FIELDS"])
    team = settings.get("EDITORIAL_TEAM", "")
    sources = [source_of(text, context, team) for text in texts(context)]
    grouped = by_language(sources)
    return Prepared(
        made=search_files(settings, grouped, fields),
        counts={lang: len(group) for lang, group in grouped.items()},
        orgs=sorted({(e.org, e.org_name) for e in sources if e.org}, key=lambda o: o[1].casefold()),
        topics=sorted({t for e in sources for t in e.topics}),
    )


# The search data of the build under way, made by a worker while the pages are written.
_ahead: Ahead[Prepared] | None = None


class SearchGenerator(Generator):
    """Write each content language's search data, then the search page in every edition."""

    def generate_context(self) -> None:
        global _current
        _current = self

    def generate_output(self, writer) -> None:
        global _ahead
        settings = self.settings
        output = Path(self.output_path)
        shutil.rmtree(output / settings["SEARCH_OUTPUT"], ignore_errors=True)  # texts gone
        ahead, _ahead = _ahead, None
        prepared = ahead.result() if ahead is not None else prepare(self.context, settings)
        indexes = []
        over = []
        budget = settings.get("WEIGHT_BUDGETS", {}).get("search")
        for lang, count in sorted(prepared.counts.items()):
            manifest, files, sizes = prepared.made[lang]
            for name, content in files.contents.items():
                # A file of the previous build's with the same bytes is taken as it is, even
                # under another name (term shards and store files are named by one digest).
                write_keyed(
                    self.output_path,
                    f"{settings['SEARCH_OUTPUT']}/{lang}/{name}.js",
                    hashlib.sha256(content).hexdigest(),
                    lambda content=content: content,
                    renamed=True,
                )
            if budget:
                scripts = {
                    name: (THEME_STATIC / VENDOR / name).read_bytes() for name in libraries(lang)
                }
                scripts["search.js"] = (THEME_STATIC / SCRIPT).read_bytes()
                over.append(problem(lang, first_search(sizes, scripts), budget))
            indexes.append(
                {
                    "lang": lang,
                    "manifest": f"{settings['SEARCH_OUTPUT']}/{lang}/{manifest}.js",
                    "files": [
                        f"{settings['SEARCH_OUTPUT']}/{lang}/{name}.js" for name in files.contents
                    ],
                    "libraries": libraries(lang),
                    "count": count,
                }
            )
        if any(over):
            raise SearchBudgetError("\n".join(filter(None, over)))
        static = settings["THEME_STATIC_DIR"]
        # What each edition's search page loads: its language's index (see plugins/offline).
        loads = dict(settings.get("OFFLINE_LOADS") or {})
        for lang in editions(settings):
            page = edition_url(settings["SEARCH_URL"], lang, settings)
            own = [i for i in indexes if i["lang"] == lang]
            loads[page] = [
                *(f"{static}/{VENDOR}/{name}" for i in own for name in i["libraries"]),
                *(file for i in own for file in i["files"]),
            ]
        settings["OFFLINE_LOADS"] = loads
        write_editions(
            self,
            lambda lang: write_page(
                self,
                writer,
                "search",
                settings["SEARCH_URL"],
                lang=lang,
                search_indexes=indexes,
                search_orgs=prepared.orgs,
                search_topics=prepared.topics,
                search_vendor=f"{static}/{VENDOR}/",
                search_script=f"{static}/{SCRIPT}",
            ),
        )


def get_generators(pelican):
    return SearchGenerator


# The search generator of the build under way, once it has its context.
_current: SearchGenerator | None = None


def start_ahead(_pelican) -> None:
    """Once every text is final (the writer is asked for after every generator's context and
    the steps that change texts), start making the search data in a worker, which shares the
    cores with the pages' writing instead of being waited for with one core idle. A build
    that failed before its search was written leaves its worker, ended here."""
    global _ahead, _current
    if _ahead is not None:
        _ahead.cancel()
        _ahead = None
    generator, _current = _current, None
    if generator is not None:
        context, settings = generator.context, generator.settings
        _ahead = Ahead(settings, "the texts", lambda: prepare(context, settings), IndexingFailed)


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(start_ahead)
