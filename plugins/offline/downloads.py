"""The downloadable copies: reproducible zip files, and what the "Read offline" page says
of each file (its size, date and SHA-256)."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

# Already compressed: deflating them again costs time and saves nothing.
STORED = (".webp", ".jpg", ".jpeg", ".png", ".gif", ".avif", ".zip", ".zim")


@dataclass(frozen=True)
class Download:
    """One file offered on the "Read offline" page."""

    kind: str  # site, language, org, zim
    key: str  # the language code or the org id
    url: str  # its address in the site, e.g. downloads/minga-pt.zip
    size: int  # bytes
    sha256: str
    date: dt.date
    files: int = 0  # how many files it holds


def write_zip(path: Path, files: dict[str, bytes], date: dt.date) -> None:
    """A zip of `files` (path in the zip -> bytes) that is byte for byte the same for the
    same files and date: entries sorted, every entry dated `date`, fixed permissions.
    Written beside its place and moved there, so no half-written zip is ever published."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    stamp = (date.year, date.month, date.day, 0, 0, 0)
    with zipfile.ZipFile(partial, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, so the permissions below are read
            info.external_attr = 0o644 << 16
            stored = name.lower().endswith(STORED)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name], compresslevel=None if stored else 9)
    partial.replace(path)


def describe(output: Path, url: str, kind: str, key: str, date: dt.date, files: int = 0):
    """The `Download` record of a file written in the output folder."""
    data = (output / url).read_bytes()
    return Download(kind, key, url, len(data), hashlib.sha256(data).hexdigest(), date, files)
