"""Read Markdown with a YAML front matter block, or with Pelican's `Title:` headers.

Why a small reader of our own rather than the pelican-plugins `yaml-metadata` plugin:
that plugin turns every value into a string and renders fields as Markdown, while
Minga checks every front matter against its content model (typed values, the line of
each field for contributors' error messages, a refusal of fields that would let a file
take over another page) before Pelican sees it. The part that is not ours, Markdown
rendering and Pelican's own header syntax, stays Pelican's `MarkdownReader`.

Pelican's content cache (`CACHE_CONTENT`, `LOAD_CONTENT_CACHE`, with
`CHECK_MODIFIED_METHOD = "md5"` so a fresh CI checkout still hits it) keeps what this reader
made of each file, keyed by the file's own bytes, with its HTML already cleaned (`sanitize`).
But what the reader makes of a file also depends on the topic vocabulary, the content
model's and the sanitizer's code and rules, and the settings it reads (Markdown, slugs,
tags' addresses…): when any of those change (`reading_context`), the readers' caches are
dropped before the generators load them, so a file is never let through on a check made
under other rules, nor given an address made under other settings.
A cache is saved only when a file was read anew, and then in the background (`saving`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import markdown
import pelican
from content_model import (
    MAX_TEXT_BYTES,
    load_topics,
    noted_md5,
    parsing_waits,
    read_bytes,
    read_text,
    ready_to_parse,
)
from markdown import Markdown
from pelican import signals
from pelican.generators import PagesGenerator
from pelican.readers import MarkdownReader, _filter_discardable_metadata
from pelican.urlwrappers import Author, Tag
from pelican.utils import file_suffix, slugify
from sanitize import CLEANED_BY_READER, clean_read, editors_extra
from site_paths.parallel import processes, side_by_side

from .inline import skip_absent_patterns
from .saving import save_behind, wait_for_saving
from .typography import spare_plain_text

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _topics(path: str, mtime_ns: int) -> dict:
    return load_topics(Path(path))


def topic_vocabulary(settings: dict) -> dict | None:
    """The site's topics (None when the site has no topics file), reread when it changes."""
    path = Path(settings["PATH"]) / settings.get("TOPICS_FILE", "content/topics.yaml")
    return _topics(str(path), path.stat().st_mtime_ns) if path.is_file() else None


class FrontMatterReader(MarkdownReader):
    """Markdown reader that checks the front matter against the content model."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._converter: Markdown | None = None
        self.ahead = False  # reading for `read_ahead`, which says nothing of a broken text

    def _markdown(self) -> Markdown:
        """The reader's one converter, reset for each use: making a new one for each file
        (as Pelican's reader does) costs a sixth of converting a text. Its inline passes
        skip what cannot change the text (`inline`, `typography`)."""
        if self._converter is None:
            converter = Markdown(**self._markdown_settings())
            self._converter = spare_plain_text(skip_absent_patterns(converter))
        self._converter.reset()
        return self._converter

    def read(self, source_path):
        if not self.ahead:
            ready_to_parse()  # the whole-tree check's report first (`checks`)
        shown = os.path.relpath(source_path, self.settings["PATH"]).replace(os.sep, "/")
        raw = read_bytes(Path(source_path), shown, MAX_TEXT_BYTES)
        topics = topic_vocabulary(self.settings)
        text = read_text(raw, shown, context={"topics": topics} if topics is not None else {})
        if text.yaml_front_matter:
            self._source_path = source_path
            content = self._markdown().convert(text.body)
            metadata = self._metadata(text.fields)
        else:  # checked above; Pelican parses its own headers
            content, metadata = super().read(source_path)
        self._slug(source_path, metadata)
        return clean_read(shown, self.settings, content, metadata), metadata

    def _slug(self, source_path: str, metadata: dict) -> None:
        """The slug Pelican's `Content` would make on every build (`SLUGIFY_SOURCE`), made
        once here, where it is kept in the content cache with the rest of the metadata."""
        if "slug" in metadata:
            return
        settings = self.settings
        source = settings["SLUGIFY_SOURCE"]
        if source == "title" and "title" in metadata:
            value = str(metadata["title"])
        elif source == "basename":
            value = os.path.basename(os.path.splitext(source_path)[0])
        else:
            return
        metadata["slug"] = slugify(
            value,
            regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
            preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
            use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
        )

    def _markdown_settings(self) -> dict:
        # The `meta` extension would read the first body lines as headers again.
        settings = dict(self.settings["MARKDOWN"])
        settings["extensions"] = [
            e for e in settings.get("extensions", []) if e != "markdown.extensions.meta"
        ]
        return settings

    def _metadata(self, fields) -> dict:
        """The checked fields as Pelican expects them."""
        metadata = fields.model_dump(exclude_none=True)
        if metadata.pop("draft", False):
            metadata["status"] = "draft"
        for key, wrapper in (("tags", Tag), ("authors", Author)):
            names = metadata.pop(key, [])
            if names:
                metadata[key] = [wrapper(name, self.settings) for name in names]
        if "summary" in metadata:
            metadata["summary"] = self._markdown().convert(metadata["summary"])
        return metadata


PLUGINS_DIR = Path(__file__).resolve().parent.parent
# The code a reader's result depends on, besides the file itself.
READING_CODE = ("content_model", "front_matter", "sanitize")
CONTEXT_FILE = "reading-context"
# The settings a reader's result depends on: the Markdown, the sanitizer's choice by folder,
# the slug made at reading; and those of the tags, authors and categories the metadata
# holds, which keep the settings they were made with.
READING_SETTINGS = (
    "MARKDOWN",
    "ORGS_PATH",
    "FORMATTED_FIELDS",
    "SLUGIFY_SOURCE",
    "SLUG_REGEX_SUBSTITUTIONS",
    "SLUGIFY_PRESERVE_CASE",
    "SLUGIFY_USE_UNICODE",
)
READING_SETTINGS_PREFIXES = ("TAG_", "AUTHOR_", "CATEGORY_")


def reading_context(settings: dict) -> str:
    """A digest of everything but the file that decides what the reader makes of a file."""
    digest = hashlib.sha256()
    for package in READING_CODE:
        for path in sorted((PLUGINS_DIR / package).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".po", ".yaml"):
                digest.update(path.relative_to(PLUGINS_DIR).as_posix().encode())
                digest.update(path.read_bytes())
    topics = Path(settings["PATH"]) / settings.get("TOPICS_FILE", "content/topics.yaml")
    digest.update(topics.read_bytes() if topics.is_file() else b"-")
    shown = {
        key: value
        for key, value in settings.items()
        if key in READING_SETTINGS or key.startswith(READING_SETTINGS_PREFIXES)
    }
    shown["pelican"] = pelican.__version__
    shown["SANITIZE_EDITORS_EXTRA"] = editors_extra(settings)
    shown["nh3"] = version("nh3")
    shown["markdown"] = markdown.__version__
    digest.update(json.dumps(shown, sort_keys=True, default=_canonical).encode())
    return digest.hexdigest()


def _canonical(value):
    """A setting's value that JSON has no form for, the same in every process (a set's
    order follows the process's string hashing)."""
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    return str(value)


def drop_stale_reader_caches(pelican_object) -> None:
    """Remove the readers' caches made under another reading context (see the docstring)."""
    settings = pelican_object.settings
    if not settings.get("LOAD_CONTENT_CACHE"):
        return
    cache = Path(settings["CACHE_PATH"])
    context = reading_context(settings)
    stamp = cache / CONTEXT_FILE
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == context:
        return
    for stale in cache.glob("*-Readers"):
        stale.unlink()
    cache.mkdir(parents=True, exist_ok=True)
    stamp.write_text(context, encoding="utf-8")


def read_ahead(generator) -> None:
    """Read the files a generator is about to read and the content cache does not hold,
    shared among the processor cores, into the cache: Pelican then finds each one there.

    Runs once per generator, at its first file, when each process has at least
    `READ_AHEAD_SHARE` files (50) to read. A file that cannot be read is left to Pelican,
    which reads it again and reports why."""
    if getattr(generator, "minga_read_ahead", False):
        return
    generator.minga_read_ahead = True
    settings = generator.settings
    if not settings.get("CACHE_CONTENT") or settings.get("CONTENT_CACHING_LAYER") != "reader":
        return
    readers = generator.readers
    kind = "PAGE" if isinstance(generator, PagesGenerator) else "ARTICLE"
    missing = []
    for name in generator.get_files(
        settings[f"{kind}_PATHS"], exclude=settings[f"{kind}_EXCLUDES"]
    ):
        path = os.path.abspath(os.path.join(generator.path, name))
        known = readers.get_cached_data(path, (None, None))[0] is not None
        if file_suffix(path) in readers.readers and not known:
            missing.append(path)
    count = processes(settings, len(missing) // settings.get("READ_AHEAD_SHARE", 50))
    if count < 2 and not (missing and parsing_waits()):
        return  # Pelican reads them one by one
    # While the whole-tree check runs beside the reading (`checks`), the few texts new or
    # changed are read here too, so that Pelican finds every text in the cache and reads
    # on while the check goes on; it parses only a text that could not be read here, after
    # the check's report.
    count = max(count, 1)
    shares = {str(number): missing[number::count] for number in range(count)}

    def read(share: str) -> dict[str, tuple]:
        found = {}
        for path in shares[share]:
            reader = readers.readers[file_suffix(path)]
            ahead, reader.ahead = getattr(reader, "ahead", False), True
            try:
                content, metadata = reader.read(path)
            except Exception:  # noqa: BLE001, S112 - Pelican reads it again and says why
                continue
            finally:
                reader.ahead = ahead
            found[path] = (content, _filter_discardable_metadata(metadata))
        return found

    sizes = {share: len(paths) for share, paths in shares.items()}
    for found in side_by_side(settings, sizes, read).values():
        for path, data in found.items():
            readers.cache_data(path, data)
    logger.info("%s files read ahead by %s processes", len(missing), count)


# The files under each content folder, listed once per build (its context) for every
# generator: the articles', the pages' and the static files' generators each walk their
# folders twice (the files of disabled readers, then the files to read), `read_ahead` once
# more, and the articles and the static files share `orgs/` (0.4 s a walk at 30,000 texts).
_listed: list = [None, {}]  # [the build's context, (PATH, folder, excluded) -> every file]


def list_once(generator) -> None:
    """Give the generator a `get_files` that walks each folder once per build: every file
    (`extensions=False`) is listed once and filtered as each call asks, which is what
    Pelican's `get_files` finds walking again."""
    walk = generator.get_files

    def get_files(paths, exclude=None, extensions=None):
        if _listed[0] is not generator.context:  # a new build: walk again
            _listed[:] = [generator.context, {}]
        found = set()
        for path in [paths] if isinstance(paths, str) else paths:
            # Only the exclusions inside the folder change its walk (Pelican's settings
            # exclude the pages' folders from the articles' walks, not the static files').
            root = os.path.join(generator.path, path) if path else generator.path
            inside = [
                e
                for e in exclude or ()
                if os.path.join(generator.path, e).startswith(root + os.sep)
            ]
            key = (generator.path, path, tuple(sorted(inside)))
            every = _listed[1].get(key)
            if every is None:
                every = _listed[1][key] = walk([path], exclude, False)
            if extensions is False:
                found |= every
            else:
                found.update(name for name in every if generator._include_path(name, extensions))
        return found

    generator.get_files = get_files


def forget_listed(_pelican=None) -> None:
    """Let the build's context go with it (a server builds again and again)."""
    _listed[:] = [None, {}]


def stamp_once(generator) -> None:
    """Hash each source file once per build. Pelican's content cache hashes a file each time
    it asks about it (`CHECK_MODIFIED_METHOD`): the generator's own cache (unused with the
    reader layer), `read_ahead`, the reader and the caching of its result ask four times
    (a static file, an image: twice).
    A file's stamp taken once in a build serves the whole build; an md5 is the one the
    whole-tree check made when it read the file, if the file did not change since."""
    stamps: dict[str, object] = {}
    md5 = generator.settings.get("CHECK_MODIFIED_METHOD") == "md5"
    for cacher in (generator, generator.readers):
        stamp = getattr(cacher, "_filestamp_func", None)
        if stamp is None:
            continue

        def once(filename, stamp=stamp):
            found = stamps.get(filename)
            if found is None:
                found = stamps[filename] = (md5 and noted_md5(filename)) or stamp(filename)
            return found

        cacher._filestamp_func = once


def save_cache_behind(generator) -> None:
    save_behind(generator.readers)


def add_reader(readers) -> None:
    for extension in FrontMatterReader.file_extensions:
        readers.reader_classes[extension] = FrontMatterReader
        CLEANED_BY_READER.add(extension)


def register() -> None:
    signals.initialized.connect(drop_stale_reader_caches)
    signals.article_generator_preread.connect(read_ahead)
    signals.page_generator_preread.connect(read_ahead)
    signals.readers_init.connect(add_reader)
    signals.finalized.connect(wait_for_saving)
    signals.finalized.connect(forget_listed)
    signals.article_generator_init.connect(stamp_once)
    signals.article_generator_init.connect(list_once)
    signals.page_generator_init.connect(list_once)
    signals.static_generator_init.connect(list_once)
    signals.page_generator_init.connect(stamp_once)
    signals.static_generator_init.connect(stamp_once)
    signals.article_generator_init.connect(save_cache_behind)
    signals.page_generator_init.connect(save_cache_behind)
