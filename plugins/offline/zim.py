"""A ZIM file of the site for Kiwix, written with python-libzim (an optional extra: it is
GPL-licensed; `pip install -e '.[zim]'`).

The ZIM file holds the same files as the whole-site zip; Kiwix opens it at the site's home
(the welcome page), lists its metadata and searches its pages with the full-text index
libzim builds.

libzim gives every file it writes new random identifiers (the archive's UUID, its Xapian
indexes' own) and python-libzim does not let them be set, so two writes of the same files
differ. The file is therefore kept in a cache under the digest of everything it is made
of: the same site gives back the same ZIM file, byte for byte, as long as the cache lasts.

Making one costs about half a minute per thousand texts on two cores (libzim compresses
with zstd at a high level and indexes every page), whatever changed, since a ZIM file
cannot be updated in place. So a build may also take the kept file when it was made
recently enough (`reuse_since`: `OFFLINE_ZIM_MAX_AGE` days), from the same metadata, icon
and libzim, even though the site changed since: it is then offered with the date it was
made on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import mimetypes
import os
import re
import shutil
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html import unescape
from pathlib import Path

TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
COMPRESSIBLE = ("text/", "application/xml", "image/svg+xml", "application/json")
MIMETYPES = {".webp": "image/webp", ".txt": "text/plain", ".html": "text/html"}


class ZimUnavailable(Exception):
    """python-libzim is not installed."""


@dataclass(frozen=True)
class Made:
    """What a ZIM file holds: the day it was made on, and how many files; `recent` when it
    was taken for being recent, whatever files the site has now."""

    date: dt.date
    files: int
    recent: bool = False


def illustration(png: bytes, size: int = 48) -> bytes:
    """The site's icon as the square PNG Kiwix shows in its library."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as icon:
        square = icon.convert("RGBA").resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, "PNG", optimize=True)
    return out.getvalue()


def mimetype_of(path: str) -> str:
    suffix = Path(path).suffix.lower()
    found = MIMETYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{found};charset=utf-8" if found.startswith("text/") else found


def title_of(path: str, data: bytes) -> str:
    found = TITLE.search(data[:4000].decode("utf-8", "replace"))
    return unescape(found.group(1)).strip() if found else ""


def write_zim(
    path: Path,
    files: Mapping[str, bytes],
    metadata: dict[str, str],
    icon: bytes,
    index_language: str,
    cache: Path,
    main_page: str = "index.html",
    reuse_since: dt.date | None = None,
) -> Made:
    """Write `files` (path -> bytes) as a ZIM file at `path`, opening at `main_page`; the
    same inputs give back the file cached in `cache`, and so does a file made on
    `reuse_since` or later (to the metadata's `Date`) from the same metadata but its date.
    Written beside its place and moved there, so no half-written file is published."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    made_on = day_of(metadata.get("Date", ""))
    shape = digest({}, {**metadata, "Date": ""}, icon, index_language, main_page)
    recent = recent_zim(cache, shape, reuse_since, made_on) if reuse_since else None
    name = None if recent else digest(files, metadata, icon, index_language, main_page)
    cached = recent[0] if recent else cache / f"{name}.zim"
    if cached.is_file():
        shutil.copyfile(cached, partial)
        partial.replace(path)
        return recent[1] if recent else Made(made_on, len(files))
    try:
        from libzim.writer import Creator, Hint, Item, StringProvider
    except ImportError as exc:
        raise ZimUnavailable(
            "writing a ZIM file needs python-libzim: pip install -e '.[zim]'"
        ) from exc

    class SiteFile(Item):
        def __init__(self, name: str, data: bytes):
            super().__init__()
            self.name, self.data = name, data

        def get_path(self) -> str:
            return self.name

        def get_title(self) -> str:
            return title_of(self.name, self.data) if self.name.endswith(".html") else ""

        def get_mimetype(self) -> str:
            return mimetype_of(self.name)

        def get_contentprovider(self):
            return StringProvider(self.data)

        def get_hints(self):
            return {
                Hint.FRONT_ARTICLE: self.name.endswith(".html"),
                Hint.COMPRESS: self.get_mimetype().startswith(COMPRESSIBLE),
            }

    partial.unlink(missing_ok=True)
    creator = Creator(partial).config_verbose(False).config_indexing(True, index_language)
    with quiet_standard_output(), creator:
        creator.set_mainpath(main_page)
        for name, value in metadata.items():
            creator.add_metadata(name, value)
        creator.add_illustration(48, illustration(icon))
        for name in sorted(files):
            creator.add_item(SiteFile(name, files[name]))
    cache.mkdir(parents=True, exist_ok=True)
    for older in [*cache.glob("*.zim"), *cache.glob("*.json")]:  # only the latest is kept
        older.unlink()
    shutil.copyfile(partial, cached)
    made = Made(made_on, len(files))
    about = {"shape": shape, "date": made_on.isoformat(), "files": made.files}
    cached.with_suffix(".json").write_text(json.dumps(about), encoding="utf-8")
    partial.replace(path)
    return made


@contextlib.contextmanager
def quiet_standard_output() -> Iterator[None]:
    """libzim prints its progress ("ZIM file is ready!") on the standard output whatever
    `config_verbose` says; the build's log has no place for it. Its errors are exceptions."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def day_of(value: str) -> dt.date:
    """The day a ZIM file's `Date` metadata names (openZIM: YYYY-MM-DD), or today."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return dt.date.today()


def recent_zim(cache: Path, shape: str, since: dt.date, until: dt.date) -> tuple[Path, Made] | None:
    """The kept ZIM file made between `since` and `until` from the same metadata (its date
    aside), icon, index language, main page and libzim, if there is one."""
    for about in cache.glob("*.json"):
        try:
            kept = json.loads(about.read_text(encoding="utf-8"))
            made = Made(dt.date.fromisoformat(kept["date"]), int(kept["files"]), recent=True)
        except (OSError, ValueError, KeyError, TypeError):
            continue
        zim = about.with_suffix(".zim")
        if kept.get("shape") == shape and since <= made.date <= until and zim.is_file():
            return zim, made
    return None


def digest(files: Mapping[str, bytes], metadata: dict, icon: bytes, *more: str) -> str:
    """The SHA-256 of everything a ZIM file is made of (and of libzim's version)."""
    try:
        from libzim.version import get_libzim_version
    except ImportError:
        version = ""
    else:
        version = get_libzim_version()
    found = hashlib.sha256(repr((sorted(metadata.items()), more, version)).encode())
    found.update(icon)
    for name in sorted(files):
        found.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return found.hexdigest()
