"""A ZIM file of the site for Kiwix, written with python-libzim (an optional extra: it is
GPL-licensed; `pip install -e '.[zim]'`).

The ZIM file holds the same files as the whole-site zip; Kiwix opens it at the site's home
(the welcome page), lists its metadata and searches its pages with the full-text index
libzim builds.

libzim gives every file it writes new random identifiers (the archive's UUID, its Xapian
indexes' own) and python-libzim does not let them be set, so two writes of the same files
differ. The file is therefore kept in a cache under the digest of everything it is made
of: the same site gives back the same ZIM file, byte for byte, as long as the cache lasts.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import re
import shutil
from collections.abc import Mapping
from html import unescape
from pathlib import Path

TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
COMPRESSIBLE = ("text/", "application/xml", "image/svg+xml", "application/json")
MIMETYPES = {".webp": "image/webp", ".txt": "text/plain", ".html": "text/html"}


class ZimUnavailable(Exception):
    """python-libzim is not installed."""


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
) -> None:
    """Write `files` (path -> bytes) as a ZIM file at `path`, opening at `main_page`; the
    same inputs give back the file cached in `cache`. Written beside its place and moved
    there, so no half-written file is published."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    cached = cache / f"{digest(files, metadata, icon, index_language, main_page)}.zim"
    if cached.is_file():
        shutil.copyfile(cached, partial)
        partial.replace(path)
        return
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
    with creator:
        creator.set_mainpath(main_page)
        for name, value in metadata.items():
            creator.add_metadata(name, value)
        creator.add_illustration(48, illustration(icon))
        for name in sorted(files):
            creator.add_item(SiteFile(name, files[name]))
    cache.mkdir(parents=True, exist_ok=True)
    for older in cache.glob("*.zim"):  # only the latest site is worth keeping
        older.unlink()
    shutil.copyfile(partial, cached)
    partial.replace(path)


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
