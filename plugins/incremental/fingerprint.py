"""What a page is made of, as a short digest: equal digests, equal pages.

A page is rendered from its template, the build's code and settings, and values: the texts
it shows, the org or facet it is about, its place among a listing's pages. `Fingerprints`
turns such values into stable text (the same in every build and every process, never an
object's address) and digests it. A text is digested at one of three depths:

- `ref`: its own fields (address, language, title, summary, date, front matter…), which is
  what another text's page or a listing shows of it, and its body when the summary is cut
  from it (a text whose front matter gives none);
- `plain`: `ref` plus the objects it carries (its org, translations, related texts, image),
  each of those as `ref` or as the object's own `__fingerprint__`;
- `full`: `plain` plus its body, for the text's own page and for feeds.

A listing's digest does not change when only the body of one of its texts does.
Minga's own objects (an org's space, an author, a facet) say what they contribute through a
`__fingerprint__(brief)` method, brief when the object is met inside a text; any other
object is digested from its attributes, two levels deep.

Values are digested once per build and process (by identity, the object kept alive with
its digest, so an identity is never reused).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from enum import StrEnum
from typing import Any

from pelican.contents import Content
from pelican.paginator import Page, Paginator
from pelican.urlwrappers import URLWrapper

SCALARS = (str, int, float, bool, type(None))
PLAIN_TYPES = frozenset(SCALARS)  # exactly these types: a subclass (Markup) is not plain
# Attributes that are the build's shared state, not the object's own: never digested.
SHARED = frozenset({"settings", "_context", "context", "timezone"})
# A text's body; only the `full` digest reads it.
BODY = frozenset({"_content", "content"})
# Lists and dicts this long are digested once per build (shorter ones are cheap to redo,
# and keeping every one alive would hold each page's slice of a listing).
SHARED_SIZE = 16


# A `StrEnum`: a text's digest is looked up by (identity, depth) for each text of each page
# written, and a `str` enum hashes as its value does, in C, not with `Enum.__hash__`.
class Depth(StrEnum):
    REF = "ref"
    PLAIN = "plain"
    FULL = "full"


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class Fingerprints:
    """Stable digests of a build's values, kept per object for the build."""

    def __init__(self) -> None:
        self._texts: dict[tuple[int, Depth], tuple[Any, str]] = {}
        self._objects: dict[tuple[int, bool], tuple[Any, str]] = {}
        self._wrappers: dict[tuple, tuple[dict, str]] = {}  # by kind, name and slug
        # The listing being written: its paginator, and its pages' digests by number.
        self._listing: tuple[Any, dict[tuple[int, bool], str]] = (None, {})

    def text(self, content: Content, depth: Depth) -> str:
        key = (id(content), depth)
        kept = self._texts.get(key)
        if kept is not None and kept[0] is content:
            return kept[1]
        if depth is Depth.REF:
            metadata = content.metadata
            summary = getattr(content, "_summary", None)
            fields = (
                type(content).__name__,
                content.source_path,
                content.url,
                content.save_as,
                content.lang,
                content.status,
                self._summarised(content),
            )
            # Each part is already stable text: joined, not `repr`'d again (a long summary
            # would be escaped twice). The summary is most often the front matter's own.
            fields = "\x1f".join(
                (
                    repr(fields),
                    self.stable(metadata, brief=True),
                    "=" if summary is metadata.get("summary") else self.stable(summary, True),
                )
            )
        elif depth is Depth.PLAIN:
            # Attributes that are the front matter's own values were digested with it.
            metadata = content.metadata
            own = {
                name: value
                for name, value in vars(content).items()
                if name not in SHARED
                and name not in BODY
                and name != "metadata"
                and (name not in metadata or metadata[name] is not value)
            }
            fields = f"{self.text(content, Depth.REF)}\x1f{self.stable(own, brief=True)}"
        else:  # the body as it is: `repr` of a long text would escape it all first
            body = getattr(content, "_content", None)
            shown = body if isinstance(body, str) else repr(body)
            fields = f"{self.text(content, Depth.PLAIN)}\0{type(body).__name__}\0{shown}"
        found = digest(fields if isinstance(fields, str) else repr(fields))
        self._texts[key] = (content, found)
        return found

    @staticmethod
    def _summarised(content: Content) -> str | None:
        """What a text's summary is cut from when its front matter gives none: its body
        (every listing shows the summary)."""
        if "summary" in content.metadata:
            return None
        body = getattr(content, "_content", None)
        return digest(body if isinstance(body, str) else repr(body))

    def remember(self, content: Content, depth: Depth, found: str) -> None:
        """Keep a text's digest made by another process (the same in every process)."""
        self._texts[(id(content), depth)] = (content, found)

    def entry(self, value: Any) -> str:
        """A feed's entry: a text with its body, or another object (a digest's week) whole."""
        if isinstance(value, Content):
            return self.text(value, Depth.FULL)
        return self.stable(value)

    def stable(self, value: Any, brief: bool = False, level: int = 0) -> str:
        """`value` as text that is the same in every build: texts as their `ref` when
        `brief`, else `plain`."""
        kind = type(value)
        if kind in PLAIN_TYPES:  # most values: no `isinstance` chain
            return repr(value)
        if kind is list or kind is dict or kind is tuple:
            return self._container(value, brief, level)
        if isinstance(value, SCALARS):
            return repr(value)
        if isinstance(value, dt.datetime | dt.date | dt.time):
            return f"{type(value).__name__}({value.isoformat()})"
        if isinstance(value, Content):
            return "text:" + self.text(value, Depth.REF if brief else Depth.PLAIN)
        if isinstance(value, list | tuple):
            return self._container(value, brief, level)
        if isinstance(value, dict):
            return self._container(value, brief, level)
        if isinstance(value, set | frozenset):
            return "{" + ",".join(sorted(self.stable(v, brief, level) for v in value)) + "}"
        return self._object(value, brief, level)

    def _container(self, value: list | tuple | dict, brief: bool, level: int) -> str:
        """Lists and dicts: shared ones (a facet's texts, every page's list of orgs) are
        digested once."""
        shared = len(value) >= SHARED_SIZE
        key = (id(value), brief)
        kept = self._objects.get(key) if shared else None
        if kept is not None and kept[0] is value:
            return kept[1]
        # Plain values (most of them) are written here, without a call of `stable` each.
        stable, plain = self.stable, PLAIN_TYPES
        if isinstance(value, dict):
            items = sorted(
                [
                    (
                        repr(k) if type(k) in plain else stable(k, True, level),
                        repr(v) if type(v) in plain else stable(v, brief, level),
                    )
                    for k, v in value.items()
                ]
            )
            text = "{" + ",".join([f"{k}:{v}" for k, v in items]) + "}"
        else:
            parts = [repr(v) if type(v) in plain else stable(v, brief, level) for v in value]
            text = "[" + ",".join(parts) + "]"
        found = digest(text) if len(text) > 64 else text
        if shared:
            self._objects[key] = (value, found)
        return found

    def _wrapper(self, value: URLWrapper, name: str) -> str:
        """A tag, an author, a category: Pelican makes one for each text that names it,
        and works its address out from the settings on every read; one with the same name
        and slug is the same for the build."""
        key = (name, value.name, None if getattr(value, "_slug_from_name", True) else value.slug)
        kept = self._wrappers.get(key)
        if kept is None or kept[0] is not value.settings:
            kept = self._wrappers[key] = (value.settings, f"{name}({value.name!r},{value.url!r})")
        return kept[1]

    def _page(self, page: Page, brief: bool, level: int) -> str:
        """One page of a listing, made of its paginator and number. A listing's page is met
        three times (as the page, and as the next page's previous and the previous page's
        next), so the pages of the listing being written are kept."""
        paginator, pages = self._listing
        if paginator is not page.paginator:
            pages = {}
            self._listing = (page.paginator, pages)
        key = (page.number, brief)
        found = pages.get(key)
        if found is None:
            found = pages[key] = (
                f"Page({page.number},{page.url!r},{page.save_as!r},"
                f"{self.stable(page.object_list, brief, level)},"
                f"{self.stable(page.paginator, brief, level)})"
            )
        return found

    def _object(self, value: Any, brief: bool, level: int) -> str:
        name = type(value).__qualname__
        own = getattr(value, "__fingerprint__", None)
        if own is not None:
            key = (id(value), brief)
            kept = self._objects.get(key)
            if kept is not None and kept[0] is value:
                return kept[1]
            found = f"{name}:" + digest(self.stable(own(brief), brief, level))
            self._objects[key] = (value, found)
            return found
        if isinstance(value, URLWrapper):
            return self._wrapper(value, name)
        if isinstance(value, Page):  # one page of a listing
            return self._page(value, brief, level)
        if isinstance(value, Paginator):
            return f"Paginator({value.num_pages},{value.count},{value.per_page})"
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
            return f"{name}" + self.stable(fields, brief, level)
        if callable(value):
            return f"<{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', name)}>"
        attributes = getattr(value, "__dict__", None)
        if attributes is None or level >= 2:
            shown = repr(value)
            return name if " at 0x" in shown else shown
        own_attributes = {k: v for k, v in attributes.items() if k not in SHARED}
        return name + self.stable(own_attributes, brief, level + 1)
