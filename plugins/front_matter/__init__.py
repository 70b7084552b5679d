"""Read Markdown with a YAML front matter block, or with Pelican's `Title:` headers.

Why a small reader of our own rather than the pelican-plugins `yaml-metadata` plugin:
that plugin turns every value into a string and renders fields as Markdown, while
Minga needs typed values (lists of topics, an `event` mapping, real dates) checked by
the content model, the line of each key for contributors' error messages, and a hard
refusal of keys that would let a file take over another page. The part that is not
ours, Markdown rendering and Pelican's own header syntax, stays Pelican's
`MarkdownReader`.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from content_model import (
    RESERVED_KEYS,
    ContentError,
    Problem,
    load_yaml_mapping,
    to_datetime,
)
from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.urlwrappers import Author, Tag
from pelican.utils import get_date

FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE
)


HEADER = re.compile(r"^([A-Za-z][\w-]*)\s*:")


def split_front_matter(text: str) -> tuple[str, str] | None:
    """Split `---` YAML front matter from the body; None when the file has none."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None
    return match.group(1), text[match.end() :]


def header_lines(text: str) -> dict[str, int]:
    """Line of each `Key: value` header of a Pelican-style file (lowercased keys)."""
    lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break
        match = HEADER.match(line)
        if match:
            lines.setdefault(match.group(1).lower(), number)
    return lines


def refuse_reserved_keys(metadata: dict, lines: dict[str, int], shown: str) -> None:
    """Stop at keys that would let a text choose its address or layout."""
    problems = [
        Problem(
            shown,
            lines.get(str(key).lower(), 1),
            f"the field `{key}` cannot be set in a text",
            "remove this line: the address and layout of a page come from its folder and file name",
        )
        for key in metadata
        if str(key).lower() in RESERVED_KEYS
    ]
    if problems:
        raise ContentError(problems)


class FrontMatterReader(MarkdownReader):
    """Markdown reader that understands a YAML front matter block."""

    def read(self, source_path):
        with open(source_path, encoding="utf-8-sig") as handle:
            text = handle.read()
        shown = self._shown_path(source_path)
        parts = split_front_matter(text)
        if parts is None:
            content, metadata = super().read(source_path)
            refuse_reserved_keys(metadata, header_lines(text), shown)
            return content, metadata
        front, body = parts
        data, lines = load_yaml_mapping(front, shown, first_line=2)
        refuse_reserved_keys(data, lines, shown)

        self._source_path = source_path
        self._md = Markdown(**self._markdown_settings())
        content = self._md.convert(body)
        metadata = {
            str(key): self._typed(str(key), value, shown, lines) for key, value in data.items()
        }
        if metadata.pop("draft", False) is True:
            metadata["status"] = "draft"
        return content, metadata

    def _markdown_settings(self) -> dict:
        # The `meta` extension would read the first body lines as headers again.
        settings = dict(self.settings["MARKDOWN"])
        settings["extensions"] = [
            e for e in settings.get("extensions", []) if e != "markdown.extensions.meta"
        ]
        return settings

    def _shown_path(self, source_path: str) -> str:
        return os.path.relpath(source_path, self.settings.get("PATH", "."))

    def _when(self, value, label: str, shown: str, line: int) -> dt.datetime:
        """A date or date-and-time from YAML, or from text Pelican can read.

        It is kept as written, without a time zone: Pelican puts `date` in TIMEZONE, and an
        event's times are the local times of its place.
        """
        when = to_datetime(value)
        if when is None and isinstance(value, str):
            try:
                when = get_date(value)
            except ValueError:
                when = None
        if when is None:
            raise ContentError(
                [
                    Problem(
                        shown,
                        line,
                        f"`{label}` is not a date",
                        "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2026-03-14 09:30",
                    )
                ]
            )
        return when

    def _typed(self, key: str, value, shown: str, lines: dict[str, int]):
        """Turn one YAML value into what Pelican and the templates expect."""
        if key in ("date", "modified"):
            return self._when(value, key, shown, lines.get(key, 1))
        if key in ("tags", "authors"):
            names = [value] if isinstance(value, str) and key == "authors" else value
            if isinstance(names, str):
                return self.process_metadata(key, names)
            wrapper = Tag if key == "tags" else Author
            return [wrapper(str(name), self.settings) for name in names or []]
        if key == "summary" and isinstance(value, str):
            self._md.reset()
            return self._md.convert(value)
        if key == "event" and isinstance(value, dict):
            line = lines.get(key, 1)
            return {
                part: self._when(v, f"event: {part}", shown, line)
                if part in ("start", "end")
                else v
                for part, v in value.items()
            }
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        return value


def add_reader(readers) -> None:
    for extension in FrontMatterReader.file_extensions:
        readers.reader_classes[extension] = FrontMatterReader


def register() -> None:
    signals.readers_init.connect(add_reader)
