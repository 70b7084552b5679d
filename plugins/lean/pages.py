"""Read a built page as a browser would fetch it: what it loads, and what that weighs.

`read_page` parses one HTML file of the output and returns a `Page`: the stylesheets and
images it loads (for a `srcset`, the heaviest candidate, since the browser fetches one of
them; for a `<picture>`, the heaviest of its first `<source>`, the WebP every current
browser takes, else of its `<img>`), every resource it would load from another origin, its kind
(a text, the home page, an organization's page, a facet, another listing) and, for a text,
its number of words. Sizes are of the files in the output folder, compressed with gzip
for HTML and CSS as a server sends them.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape as html_unescape
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

# Tag -> attributes holding an address the browser fetches as it shows the page.
LOADS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
# `<link rel=…>` kinds that make the browser fetch the address.
LOADING_LINKS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "mask-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "manifest",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
SCHEME = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
WORD = re.compile(r"\w+")
FACETS = ("topics", "countries", "kinds", "languages", "types", "archive")


@dataclass
class Page:
    path: str  # relative to the output folder
    kind: str  # text, home, org, facet, listing
    html_bytes: int  # compressed
    stylesheets: dict[str, int] = field(default_factory=dict)  # address -> compressed bytes
    images: dict[str, int] = field(default_factory=dict)  # address -> bytes as served
    remote: list[str] = field(default_factory=list)  # "<tag attr>: address"
    words: int = 0

    @property
    def css_bytes(self) -> int:
        return sum(self.stylesheets.values())

    @property
    def first_view(self) -> int:
        """HTML and CSS, compressed: what must arrive before the page can be read."""
        return self.html_bytes + self.css_bytes

    @property
    def total(self) -> int:
        """The page with all its images."""
        return self.first_view + sum(self.images.values())

    @property
    def requests(self) -> int:
        return 1 + len(self.stylesheets) + len(self.images)


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


@lru_cache(maxsize=4096)
def _compressed_weight(path: str, _stamp: tuple[int, int]) -> int:
    return gzipped(Path(path).read_bytes())


def file_weight(path: Path | str, compressed: bool) -> int:
    """A file's weight as served: compressed with gzip (HTML, CSS), or its size."""
    state = os.stat(path)
    if not compressed:
        return state.st_size
    return _compressed_weight(str(path), (state.st_mtime_ns, state.st_size))


def is_remote(address: str, own: str = "") -> bool:
    """An address on another origin (or a `data:`/`javascript:` one), not the site's own."""
    if own and address.startswith(own.rstrip("/") + "/"):
        return False
    return bool(SCHEME.match(address))


def kind_of(relative: str, page: bytes) -> str:
    parts = relative.split("/")
    if b'<article class="text">' in page:
        return "text"
    if parts[-1] == "index.html" and (len(parts) == 1 or (len(parts) == 2 and len(parts[0]) == 2)):
        return "home"
    rest = parts[1:] if len(parts[0]) == 2 and len(parts) > 1 else parts  # drop `pt/`
    if rest[0] == "orgs" and len(rest) == 3 and rest[2].startswith("index"):
        return "org"
    if rest[0] in FACETS:
        return "facet"
    return "listing"


# A tag's attributes: anything but `>`, with quoted values (which may hold `>`) whole.
_ATTRIBUTES = r"""([^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*)"""
TAG = re.compile(rf"<(/?)([a-zA-Z][a-zA-Z0-9-]*){_ATTRIBUTES}>")
# Only the tags that load something (and `<picture>`, `<article>` for grouping and words).
WATCHED = "|".join([*LOADS, "link", "picture", "article"])
# The page is scanned as bytes with its ASCII letters in lower case (`bytes.lower`): tag and
# attribute names are ASCII, so case does not matter, and a place in the lowered copy is the
# same place in the page. Only the few parts found are decoded. (`\s` in a bytes pattern is
# ASCII white space, which is what HTML counts as white space.)
WATCHED_TAG = re.compile(rf"<(/?)({WATCHED})(?=[\s/>]){_ATTRIBUTES}>".encode())
STYLE_VALUE = re.compile(rb"""style\s*=\s*(?:"([^"]*)"|'([^']*)')""")
STYLE_BLOCK = re.compile(rb"<style\b[^>]*>(.*?)</style>", re.S)
ARTICLE_END = re.compile(rb"</article\s*>")
ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


@dataclass
class _Found:
    loads: list[tuple[str, str]] = field(default_factory=list)  # (what, address)
    groups: list[list[str]] = field(default_factory=list)  # one image's candidates
    stylesheets: list[str] = field(default_factory=list)
    words: int = 0


class Scanned(NamedTuple):
    """What `scan` found in a page. Pages of one kind load the same files, so equal results
    are kept as one object (at 30,000 texts: some 6,000 for 210,000 pages), which makes the
    memo of every page quick to keep and to read back."""

    loads: tuple[tuple[str, str], ...]
    groups: tuple[tuple[str, ...], ...]
    stylesheets: tuple[str, ...]
    words: int


_scanned: dict[Scanned, Scanned] = {}


def _attributes(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html_unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in ATTRIBUTE.finditer(text)
    }


@lru_cache(maxsize=8192)
def _tag(tag: str, written: bytes) -> tuple[tuple[str, ...], str | None, bool]:
    """What one opening tag loads, from its attributes as written: the addresses it fetches,
    the address of a link that makes the browser fetch it (None for another link), and
    whether that is a stylesheet. Pages of a site repeat the same tags (the stylesheet, the
    icon, the scripts at each depth), so each is read once."""
    attrs = _attributes(written.decode("utf-8", "replace"))
    fetched = []
    for name in LOADS.get(tag, ()):
        value = attrs.get(name, "").strip()
        if name == "srcset":
            fetched += [c.split()[0] for c in value.split(",") if c.strip()]
        elif value:
            fetched.append(value)
    rel = set(attrs.get("rel", "").lower().split())
    loading = tag == "link" and bool(rel & LOADING_LINKS)
    return (
        tuple(fetched),
        attrs.get("href", "") if loading else None,
        loading and "stylesheet" in rel,
    )


def _text(page: bytes, start: int, end: int) -> str:
    return page[start:end].decode("utf-8", "replace")


def _style_attributes(page: bytes, lowered: bytes) -> list[str]:
    """The values of the page's `style` attributes, as written."""
    values = []
    at = lowered.find(b"style")
    while at != -1:  # a plain search finds the few places worth matching at
        match = STYLE_VALUE.match(lowered, at) if at and lowered[at - 1 : at].isspace() else None
        if match:
            group = 1 if match.start(1) != -1 else 2
            values.append(_text(page, match.start(group), match.end(group)))
        at = lowered.find(b"style", at + 5)
    return values


def scan(page: bytes | str) -> Scanned:
    """The addresses a page (its bytes, UTF-8) makes the browser fetch, read from its tags.

    A regular expression over the tags, not a full parser: the pages are the theme's and
    the sanitizer's output, and this is ten times faster on thousands of pages.
    """
    if isinstance(page, str):
        page = page.encode("utf-8")
    found = _Found()
    picture: list[str] | None = None  # what a `<picture>` offers before its `<img>`
    text_start = None
    lowered = page.lower()
    for match in WATCHED_TAG.finditer(lowered):
        closing, tag = match.group(1), match.group(2).decode("ascii")
        if closing:
            if tag == "picture":
                picture = None
            continue
        if tag == "article":
            if text_start is None and b'class="text"' in page[match.start(3) : match.end(3)]:
                text_start = match.end()
            continue
        if tag == "picture":
            picture = []
            continue
        fetched, link, stylesheet = _tag(tag, page[match.start(3) : match.end(3)])
        found.loads += [(f"<{tag}>", address) for address in fetched]
        if tag == "source" and picture is not None and not picture:
            picture.extend(fetched)  # the first source a browser can show (WebP) is used
        if tag == "img":
            found.groups.append(picture if picture else list(fetched))
        if link is not None:
            found.loads.append(("<link>", link))
            if stylesheet:
                found.stylesheets.append(link)
    for value in _style_attributes(page, lowered):
        found.loads += [("style", a or b) for a, b in CSS_URL.findall(value)]
    for block in STYLE_BLOCK.finditer(lowered) if b"<style" in lowered else ():
        css = _text(page, block.start(1), block.end(1))
        found.loads += [("<style>", a or b) for a, b in CSS_URL.findall(css)]
    if text_start is not None:
        end = ARTICLE_END.search(lowered, text_start)
        body = _text(page, text_start, end.start() if end else len(page))
        found.words = len(WORD.findall(TAG.sub(" ", body)))
    scanned = Scanned(
        tuple(found.loads),
        tuple(tuple(group) for group in found.groups),
        tuple(found.stylesheets),
        found.words,
    )
    return _scanned.setdefault(scanned, scanned)


def relative_path(path: Path | str, folder: Path | str) -> str:
    """`path` from `folder`, with slashes; the plain string cut when it can be."""
    text, base = str(path), str(folder).rstrip(os.sep)
    if os.sep == "/" and text.startswith(base + "/"):
        return text[len(base) + 1 :]
    return Path(path).relative_to(folder).as_posix()


def _local_file(folder: str, address: str) -> str | None:
    """The output file `address` names from a page in `folder`, when there is one. The
    output has no links to other folders, so the path is made plain without asking the file
    system for each of its folders."""
    target = os.path.normpath(os.path.join(folder, unquote(urlsplit(address).path)))
    return target if os.path.isfile(target) else None


def bytes_key(relative: str, raw: bytes) -> bytes:
    """What names a page's bytes at its place in the memo of pages read."""
    return hashlib.sha1(relative.encode() + b"\0" + raw, usedforsecurity=False).digest()


def facts(relative: str, raw: bytes) -> tuple[str, int, Scanned]:
    """What a page's own bytes say: its kind, its compressed size and what it loads."""
    return kind_of(relative, raw), gzipped(raw), scan(raw)


# What a file loaded from a page weighs: (the page's folder, the address, compressed) ->
# (its weight, or None when there is no such file; what it loads from other sites).
Loaded = dict[tuple[str, str, bool], tuple[int | None, tuple[str, ...]]]


def _loaded(folder: str, address: str, compressed: bool, own: str, loaded: Loaded | None):
    key = (folder, address, compressed)
    known = loaded.get(key) if loaded is not None else None
    if known is None:
        target = _local_file(folder, address)
        if target is None:
            known = (None, ())
        else:
            remote = _remote_in_css(target, own) if compressed else ()
            known = (file_weight(target, compressed), remote)
        if loaded is not None:
            loaded[key] = known
    return known


def stamp_of(page: str, output: Path | str) -> tuple[str, int, int, int]:
    """What names a page's bytes in the memo without reading them: a page taken from the
    previous build is that build's very file (a hard link, never written in place:
    `incremental`), so its place, inode, time and size name its bytes."""
    state = os.stat(page)
    return relative_path(page, output), state.st_ino, state.st_mtime_ns, state.st_size


def read_page(
    output: Path | str,
    page: Path | str,
    own: str = "",
    memo: dict | None = None,
    found: dict | None = None,
    loaded: Loaded | None = None,
    stamp: tuple[str, int, int, int] | None = None,
) -> Page:
    """What the page at `page` (inside `output`) loads and weighs.

    `memo` (bytes digest, or the file's path, inode, time and size -> what reading them
    found) spares reading, scanning and compressing a page whose bytes were already read, in
    this build or, kept in the cache, an earlier one; what was used or found is put in
    `found`. The files a page loads are weighed once per `loaded` (a build's, when none of
    them changes meanwhile), else every time. `stamp`: the page's `stamp_of`, when known."""
    page = str(page)
    stamp = stamp or stamp_of(page, output)
    relative = stamp[0]
    known = memo.get(stamp) if memo is not None else None
    key = None
    if known is None:
        with open(page, "rb") as handle:
            raw = handle.read()
        key = bytes_key(relative, raw)
        known = memo.get(key) if memo is not None else None
        if known is None:
            known = facts(relative, raw)
    if found is not None:
        found[stamp] = known
        if key is not None:
            found[key] = known
    kind, compressed, reader = known
    found = Page(relative, kind, compressed, words=reader.words)
    folder = os.path.dirname(page)
    for what, address in reader.loads:
        if is_remote(address, own):
            found.remote.append(f"{what}: {address}")
    for address in reader.stylesheets:
        if not is_remote(address, own):
            weight, remote = _loaded(folder, address, True, own, loaded)
            if weight is not None:
                found.stylesheets[address] = weight
                found.remote.extend(remote)
    for candidates in reader.groups:
        weights = {}
        for address in candidates:
            if not is_remote(address, own):
                weight, _remote = _loaded(folder, address, False, own, loaded)
                if weight is not None:
                    weights[address] = weight
        if weights:
            heaviest = max(weights, key=weights.get)
            found.images[heaviest] = weights[heaviest]
    return found


@lru_cache(maxsize=64)
def _css_remote(path: str, own: str, _stamp: tuple[int, int]) -> tuple[str, ...]:
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    found = [a or b for a, b in CSS_URL.findall(text)]
    name = os.path.basename(path)
    return tuple(f"{name} url(): {a}" for a in found if is_remote(a, own))


def _remote_in_css(path: Path | str, own: str) -> tuple[str, ...]:
    state = os.stat(path)
    return _css_remote(str(path), own, (state.st_mtime_ns, state.st_size))
