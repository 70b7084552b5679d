"""Read Markdown with a YAML front matter block, or with Pelican's `Title:` headers.

Why a small reader of our own rather than the pelican-plugins `yaml-metadata` plugin:
that plugin turns every value into a string and renders fields as Markdown, while
Minga checks every front matter against its content model (typed values, the line of
each field for contributors' error messages, a refusal of fields that would let a file
take over another page) before Pelican sees it. The part that is not ours, Markdown
rendering and Pelican's own header syntax, stays Pelican's `MarkdownReader`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from content_model import MAX_TEXT_BYTES, load_topics, read_bytes, read_text
from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.urlwrappers import Author, Tag


@lru_cache(maxsize=4)
def _topics(path: str, mtime_ns: int) -> dict:
    return load_topics(Path(path))


def topic_vocabulary(settings: dict) -> dict | None:
    """The site's topics (None when the site has no topics file), reread when it changes."""
    path = Path(settings["PATH"]) / settings.get("TOPICS_FILE", "content/topics.yaml")
    return _topics(str(path), path.stat().st_mtime_ns) if path.is_file() else None


class FrontMatterReader(MarkdownReader):
    """Markdown reader that checks the front matter against the content model."""

    def read(self, source_path):
        shown = os.path.relpath(source_path, self.settings["PATH"]).replace(os.sep, "/")
        raw = read_bytes(Path(source_path), shown, MAX_TEXT_BYTES)
        topics = topic_vocabulary(self.settings)
        text = read_text(raw, shown, context={"topics": topics} if topics is not None else {})
        if not text.yaml_front_matter:
            return super().read(source_path)  # checked above; Pelican parses its own headers

        self._source_path = source_path
        self._md = Markdown(**self._markdown_settings())
        content = self._md.convert(text.body)
        return content, self._metadata(text.fields)

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
            self._md.reset()
            metadata["summary"] = self._md.convert(metadata["summary"])
        return metadata


def add_reader(readers) -> None:
    for extension in FrontMatterReader.file_extensions:
        readers.reader_classes[extension] = FrontMatterReader


def register() -> None:
    signals.readers_init.connect(add_reader)
