"""Offline copies of the built site: which files each copy holds, and its pages rewritten
so that every link in them leads to a file of the same copy.

A copy (`Bundle`) starts at one page and takes every page it reaches that belongs to it,
with the stylesheets and images they show. A link to a page outside the copy is handled
in one of three ways:

- a listing of another language's edition (an untranslated text's "Home" or topic links
  lead to the default language's edition) leads to the same listing in the copy's own
  language, when the copy has it (`Bundle.instead`);
- a link to a page in another language (the language switcher, `hreflang`) is never
  redirected: it would lead somewhere else than it says;
- anything else outside the copy stays as text without a link, with a title saying it is
  not in this copy; `<link>` and `<script>` tags to it are removed, and forms (the search
  box) that lead out of it.

A script may load files no tag names (the search page's index shards): `OFFLINE_LOADS`
names them by page, and a copy that holds the page holds them.

Files that only make sense on the web (feeds, calendars, the service worker, the "Read
offline" page that lists the copies themselves, the downloads) are never in a copy:
`OFFLINE_WEB_ONLY` names them. When a copy starts elsewhere than the site's home, its root
`index.html` is the start page itself, its links rebased, so the copy opens there.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import stat
import sys
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import lru_cache
from html import escape, unescape
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, unquote, urlsplit

from lean.pages import ATTRIBUTE, CSS_URL, SCHEME
from site_paths import edition_url, editions
from site_paths.written import Stamp, stamp_of

from . import kept
from .kept import Kept

# The tags whose addresses a copy must follow and may rewrite.
LINKING = re.compile(
    r"<(a|link|img|source|script|form)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.IGNORECASE,
)
ADDRESS_ATTRIBUTES = ("href", "src", "srcset", "action")
# Elements removed with their content when what they lead to is not in the copy.
REMOVED_WHOLE = ("script", "form")
HTML_LANG = re.compile(r"<html\b[^>]*?\slang=[\"']?([A-Za-z-]+)", re.IGNORECASE)
ROOT_PAGE = "index.html"
# How many files' bytes, texts and tags a `Site` keeps at once.
RECENT = 64


@dataclass(frozen=True)
class Bundle:
    """One offline copy: what it is, where it opens, and which pages belong to it."""

    kind: str  # "site", "language" or "org"
    key: str  # the language code or the org id ("" for the whole site)
    file: str  # where the zip file is published, e.g. "downloads/minga-pt.zip"
    start: str  # the page it opens at
    lang: str  # the language of its start page
    belongs: Callable[[str], bool] = field(compare=False, repr=False)
    # For a page outside the copy: the page of the copy to lead to instead, if any.
    instead: Callable[[str], str | None] = field(compare=False, repr=False)


@dataclass
class Tag:
    """A tag of a page that names an address, parsed once and rewritten per copy."""

    start: int
    end: int
    name: str
    attributes: list[tuple[str, str | None]]  # in order, values unescaped


class Site:
    """The built site as files: its pages' tags, its editions, what is web-only.

    Memory stays small whatever the site's size: what every copy's plan needs of a page
    (the files its links lead to) is kept for the whole site, but a page's bytes, text and
    tags only for the last few pages read (the copies are written page by page, each page
    into every copy that holds it, `offline.make_copies`)."""

    def __init__(self, output: Path, settings: dict, kept: Kept | None = None):
        self.output = output
        self.kept = kept
        self.settings = settings
        self.default = settings["DEFAULT_LANG"]
        self.editions = editions(settings)
        self.prefixes = {
            lang: edition_url("", lang, settings) for lang in self.editions if lang != self.default
        }
        self.web_only_patterns = tuple(settings["OFFLINE_WEB_ONLY"])
        self.loads = settings.get("OFFLINE_LOADS") or {}
        # Each file's stamp (site path -> (path, inode, time, size)): what names its bytes.
        self.stamps: dict[str, Stamp] = {}
        for folder, _folders, names in os.walk(output):
            inside = os.path.relpath(folder, output).replace(os.sep, "/")
            for name in names:
                path = os.path.join(folder, name)
                state = os.stat(path)
                if stat.S_ISREG(state.st_mode):
                    relative = name if inside == "." else f"{inside}/{name}"
                    self.stamps[relative] = stamp_of(relative, state)
        self.files = self.stamps.keys()
        self._targets: dict[str, tuple[str, ...]] = {}
        self._editions: dict[str, tuple[str, str] | None] = {}
        self._web_only: dict[str, bool] = {}
        self.read = lru_cache(maxsize=RECENT)(self._read)
        self.text = lru_cache(maxsize=RECENT)(self._text)
        self.tags = lru_cache(maxsize=RECENT)(self._tags)

    def exists(self, path: str) -> bool:
        return path in self.files

    def _read(self, path: str) -> bytes:
        return (self.output / path).read_bytes()

    def _text(self, path: str) -> str:
        return self.read(path).decode("utf-8")

    def _tags(self, path: str) -> list[Tag]:
        return [
            Tag(m.start(), m.end(), m.group(1).lower(), attributes(m.group(2)))
            for m in LINKING.finditer(self.text(path))
        ]

    def targets(self, path: str) -> tuple[str, ...]:
        """The site paths the tags of page `path` lead to, in order (kept by the page's stamp
        from the previous build, when it has one)."""
        found = self._targets.get(path)
        if found is None:
            stamp = self.stamps.get(path)
            found = self.kept.targets_before.get(stamp) if self.kept and stamp else None
            if found is None:
                found = tuple(
                    sys.intern(target)
                    for tag in self.tags(path)
                    for address in addresses(tag)
                    if (target := resolve(path, address)[0])
                )
            self._targets[path] = found
            if self.kept and stamp:
                self.kept.targets[stamp] = found
        return found

    def digest(self, path: str) -> bytes:
        """The SHA-256 of file `path` (kept by its stamp, when there is a `Kept`)."""
        if self.kept:
            return self.kept.digest(self.stamps[path], self.output / path)
        return hashlib.sha256(self.read(path)).digest()

    def edition_of(self, path: str) -> tuple[str, str] | None:
        """(language, address in the default edition) of an edition's listing; None for a
        text, an image or anything else that exists once for every language."""
        if path not in self._editions:
            self._editions[path] = self._edition_of(path)
        return self._editions[path]

    def _edition_of(self, path: str) -> tuple[str, str] | None:
        for lang, prefix in self.prefixes.items():
            if path.startswith(prefix):
                return lang, path[len(prefix) :]
        if any(self.exists(prefix + path) for prefix in self.prefixes.values()):
            return self.default, path
        return None

    def base(self, path: str) -> str:
        """The address without its edition's prefix: `pt/orgs/x/index.html` -> `orgs/x/…`."""
        edition = self.edition_of(path)
        return edition[1] if edition else path

    def web_only(self, path: str) -> bool:
        if path not in self._web_only:
            candidates = {path, self.base(path)}
            self._web_only[path] = any(
                fnmatchcase(c, p) for c in candidates for p in self.web_only_patterns
            )
        return self._web_only[path]

    def lang_of(self, path: str, fallback: str) -> str:
        """The interface language of a page (the language of its `<html>` when the site has
        an interface in it)."""
        found = HTML_LANG.search(self.text(path)[:500])
        lang = found.group(1) if found else ""
        return lang if lang in self.editions else fallback


def attributes(text: str) -> list[tuple[str, str | None]]:
    found = []
    for m in ATTRIBUTE.finditer(text):
        value = m.group(2) if m.group(2) is not None else m.group(3)
        value = value if value is not None else m.group(4)
        found.append((m.group(1).lower(), None if value is None else unescape(value)))
    return found


def resolve(page: str, address: str) -> tuple[str | None, str]:
    """The site path an address of `page` leads to, and what follows it (`?…#…`).
    None for another site, a `mailto:`, or a link within the page."""
    return _resolve(posixpath.dirname(page), address)


@lru_cache(maxsize=65536)
def _resolve(folder: str, address: str) -> tuple[str | None, str]:
    address = address.strip()
    if not address or address.startswith("#") or SCHEME.match(address):
        return None, ""
    parts = urlsplit(address)
    suffix = (f"?{parts.query}" if parts.query else "") + (
        f"#{parts.fragment}" if parts.fragment else ""
    )
    if not parts.path:
        return None, ""
    joined = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
    if joined.startswith("../") or joined == "..":
        return None, ""
    return joined, suffix


def relative(target: str, page: str) -> str:
    """The address of `target` from `page` (both site paths)."""
    return _relative(target, posixpath.dirname(page) or ".")


@lru_cache(maxsize=65536)
def _relative(target: str, folder: str) -> str:
    return quote(posixpath.relpath(target, folder))


def srcset_addresses(value: str) -> list[str]:
    return [c.strip().split()[0] for c in value.split(",") if c.strip()]


def addresses(tag: Tag) -> Iterator[str]:
    for name, value in tag.attributes:
        if name in ADDRESS_ATTRIBUTES and value:
            yield from srcset_addresses(value) if name == "srcset" else [value]


def is_page(path: str) -> bool:
    return path.endswith(".html")


def plan(site: Site, bundle: Bundle) -> tuple[set[str], dict[str, str]]:
    """The files of a copy (site paths), and for pages outside it, the page of the copy a
    link leads to instead. Pages are found by following links from the start page."""
    files = {bundle.start, *(f for f in site.loads.get(bundle.start, ()) if site.exists(f))}
    instead: dict[str, str] = {}
    queue = deque([bundle.start])
    while queue:
        page = queue.popleft()
        for target in site.targets(page):
            if target in files or site.web_only(target):
                continue
            if not site.exists(target):
                continue  # a broken link is the link checker's; the copy keeps it
            if not is_page(target):
                files.add(target)
                if target.endswith(".css"):
                    files.update(stylesheet_files(site, target))
                continue
            if not bundle.belongs(target):
                other = instead.get(target) or bundle.instead(target)
                if other is None or not site.exists(other) or not bundle.belongs(other):
                    continue
                instead[target] = other
                target = other
                if target in files:
                    continue
            files.add(target)
            files.update(f for f in site.loads.get(target, ()) if site.exists(f))
            queue.append(target)
    return files, instead


def stylesheet_files(site: Site, path: str) -> set[str]:
    """Files a stylesheet loads (`url()`, `@import`)."""
    text = site.text(path)
    found = set()
    for a, b in CSS_URL.findall(text):
        target, _ = resolve(path, a or b)
        if target and site.exists(target) and not site.web_only(target):
            found.add(target)
    return found


def rewrite(
    site: Site,
    bundle: Bundle,
    page: str,
    files: set[str],
    instead: dict[str, str],
    placed_at: str,
    not_here: str,
) -> str:
    """`page` as it is in the copy, placed at `placed_at`: links to files of the copy
    rebased, links out of it redirected or turned into text."""
    html = site.text(page)
    pieces = []
    position = 0
    for tag in site.tags(page):
        new = rewrite_tag(tag, page, placed_at, files, instead, not_here)
        if new is False:
            continue
        pieces.append(html[position : tag.start])
        position = tag.end
        if new is not None:
            pieces.append(new)
        elif tag.name in REMOVED_WHOLE:  # the element goes, with its body
            closing = html.find(f"</{tag.name}>", tag.end)
            if closing != -1:
                position = closing + len(f"</{tag.name}>")
    pieces.append(html[position:])
    return "".join(pieces)


def rewrite_tag(
    tag: Tag,
    page: str,
    placed_at: str,
    files: set[str],
    instead: dict[str, str],
    not_here: str,
) -> str | None | bool:
    """The tag as the copy has it: False when unchanged, None when it is removed."""
    changed = False
    result: list[tuple[str, str | None]] = []
    redirectable = not any(name == "hreflang" for name, _ in tag.attributes)
    for name, value in tag.attributes:
        if name not in ADDRESS_ATTRIBUTES or not value:
            result.append((name, value))
            continue
        candidates = srcset_addresses(value) if name == "srcset" else [value]
        replaced = value
        for address in candidates:
            target, suffix = resolve(page, address)
            if target is None:
                continue
            if target in files:
                destination = target
            elif redirectable and target in instead:
                destination = instead[target]
            else:
                if tag.name in ("link", *REMOVED_WHOLE):
                    return None
                if tag.name == "a":
                    replaced = None
                    break
                continue  # an image that does not exist: the link checker's
            new = relative(destination, placed_at) + suffix
            if new != address:
                replaced = replaced.replace(address, new, 1) if name == "srcset" else new
        if replaced is None:  # a link out of the copy: text, and a title that says why
            changed = True
            continue
        changed |= replaced != value
        result.append((name, replaced))
    if not changed:
        return False
    if tag.name == "a" and not any(name == "href" for name, _ in result):
        result = [(n, v) for n, v in result if n != "title"] + [("title", not_here)]
    return f"<{tag.name}" + "".join(render_attribute(n, v) for n, v in result) + ">"


def render_attribute(name: str, value: str | None) -> str:
    return f" {name}" if value is None else f' {name}="{escape(value, quote=True)}"'


@dataclass
class Planned:
    """What a copy holds: its files (site paths; the site's home only when the copy opens
    there), and for pages outside it, the page of the copy a link leads to instead."""

    bundle: Bundle
    files: set[str]
    instead: dict[str, str]

    @property
    def names(self) -> set[str]:
        """The paths in the copy: its files, and its root page."""
        return self.files | {ROOT_PAGE}


def planned(site: Site, bundle: Bundle) -> Planned:
    files, instead = plan(site, bundle)
    if bundle.start != ROOT_PAGE:
        files.discard(ROOT_PAGE)  # the site's home is not part of this copy
    return Planned(bundle, files, instead)


def entry(site: Site, copy: Planned, name: str, not_here: Callable[[str], str]) -> bytes:
    """The bytes of the copy's file `name`: a page rewritten for the copy (at the root, its
    start page), any other file as it is."""
    bundle = copy.bundle
    page = bundle.start if name == ROOT_PAGE else name
    if not is_page(page):
        return site.read(page)
    lang = site.lang_of(page, bundle.lang)
    html = rewrite(site, bundle, page, copy.files, copy.instead, name, not_here(lang))
    return html.encode("utf-8")


class CopyKey(NamedTuple):
    """What the zip of a copy is made of (`offline.kept`), as digests."""

    key: str  # everything
    context: str  # what every entry depends on: the copy, its date, its languages' words
    members: dict[str, bytes]  # what each entry is made from, by its name


def copy_key(site: Site, copy: Planned, date, titles: dict[str, str]) -> CopyKey:
    """The digests of everything the zip of `copy` is made of: what `entry` reads for each
    of its files (for a page, its bytes and where each of its links leads in this copy),
    and the date its entries carry."""
    bundle = copy.bundle
    context = hashlib.sha256(
        repr(
            (
                kept.made_by(),
                date.isoformat(),
                (bundle.kind, bundle.key, bundle.file, bundle.start, bundle.lang),
                (site.default, site.editions),
                sorted(titles.items()),
            )
        ).encode()
    ).hexdigest()
    found = hashlib.sha256(context.encode())
    files, instead = copy.files, copy.instead
    members = {}
    for name in sorted(copy.names):
        page = bundle.start if name == ROOT_PAGE else name
        digest = site.digest(page)
        if is_page(page):  # its links out of the copy: text, or led to another page
            out = [(t, instead.get(t)) for t in site.targets(page) if t not in files]
            digest = hashlib.sha256(digest + repr(out).encode()).digest()
        members[name] = digest
        found.update(f"\0{name}\0".encode())
        found.update(digest)
    return CopyKey(found.hexdigest(), context, members)


def bundle_files(site: Site, bundle: Bundle, not_here: Callable[[str], str]) -> dict[str, bytes]:
    """Every file of the copy: its path in the copy -> its bytes."""
    copy = planned(site, bundle)
    return {name: entry(site, copy, name, not_here) for name in sorted(copy.names)}


# --- The copies a site offers ------------------------------------------------------------


def whole_site(site: Site, file: str) -> Bundle:
    return Bundle(
        "site", "", file, ROOT_PAGE, site.default, belongs=lambda p: True, instead=lambda p: None
    )


def language(site: Site, lang: str, file: str) -> Bundle:
    """Every listing of one language's edition, with the texts they list."""

    def belongs(path: str) -> bool:
        edition = site.edition_of(path)
        return edition is None or edition[0] == lang

    def instead(path: str) -> str | None:
        edition = site.edition_of(path)
        return edition_url(edition[1], lang, site.settings) if edition else None

    start = edition_url(ROOT_PAGE, lang, site.settings)
    return Bundle("language", lang, file, start, lang, belongs, instead)


def org(site: Site, org_id: str, lang: str, shared: set[str], file: str) -> Bundle:
    """One organization's space in every language (its page, texts, authors, images),
    with the site's own pages (about, participate…); the homes lead to its page."""
    space = f"{site.settings['ORGS_PATH']}/{org_id}/"
    org_url = site.settings["ORG_URL"].format(org=org_id)

    def belongs(path: str) -> bool:
        return site.base(path).startswith(space) or path in shared

    def instead(path: str) -> str | None:
        edition = site.edition_of(path)
        if edition and edition[1] == ROOT_PAGE:
            return edition_url(org_url, edition[0], site.settings)
        return None

    start = edition_url(org_url, lang, site.settings)
    return Bundle("org", org_id, file, start, lang, belongs, instead)
