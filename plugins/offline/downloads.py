"""The downloadable copies: reproducible zip files, and what the "Read offline" page says
of each file (its size, date and SHA-256)."""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

UTF8_NAME = 0x800  # the zip format's flag of a name in UTF-8
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


class ZipOut:
    """A zip file written entry by entry, byte for byte the same for the same entries and
    date: entries added in sorted order, every entry dated `date`, fixed permissions.
    Written beside its place and moved there by `close`, so no half-written zip is ever
    published (`discard` drops it)."""

    def __init__(self, path: Path, date: dt.date):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.partial = path.with_name(path.name + ".partial")
        self.stamp = (date.year, date.month, date.day, 0, 0, 0)
        self.archive = zipfile.ZipFile(self.partial, "w")

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self.stamp)
        info.create_system = 3  # Unix, so the permissions below are read
        info.external_attr = 0o644 << 16
        stored = name.lower().endswith(STORED)
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        return info

    def add(self, name: str, data: bytes) -> None:
        info = self._info(name)
        stored = info.compress_type == zipfile.ZIP_STORED
        self.archive.writestr(info, data, compresslevel=None if stored else 9)

    def add_copied(self, name: str, source: zipfile.ZipFile) -> bool:
        """The entry `name` of `source`, a zip this class wrote with the same date, copied
        compressed as it is: the bytes `add` would write for the same data. False (nothing
        written) when `source` does not hold it as `add` would have written it."""
        try:
            found = source.getinfo(name)
        except KeyError:
            return False
        info = self._info(name)
        flags = found.flag_bits & ~UTF8_NAME  # a name's encoding, set as it is written
        made = (found.date_time, found.compress_type, found.external_attr, flags)
        if made != (info.date_time, info.compress_type, info.external_attr, 0) or found.extra:
            return False
        if found.file_size * 1.05 > zipfile.ZIP64_LIMIT:
            return False  # `add` would have written a ZIP64 header
        handle = source.fp
        handle.seek(found.header_offset)
        header = handle.read(zipfile.sizeFileHeader)
        if header[:4] != zipfile.stringFileHeader:
            return False
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        handle.seek(found.header_offset + zipfile.sizeFileHeader + name_length + extra_length)
        data = handle.read(found.compress_size)
        if len(data) != found.compress_size:
            return False
        info.CRC, info.file_size, info.compress_size = found.CRC, found.file_size, len(data)
        # What `ZipFile.writestr` does once the data is compressed (CPython's zipfile).
        archive = self.archive
        archive.fp.seek(archive.start_dir)
        info.header_offset = archive.fp.tell()
        archive._writecheck(info)
        archive._didModify = True
        archive.fp.write(info.FileHeader(False))
        archive.fp.write(data)
        archive.start_dir = archive.fp.tell()
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info
        return True

    def close(self) -> None:
        self.archive.close()
        self.partial.replace(self.path)

    def discard(self) -> None:
        self.archive.close()
        self.partial.unlink(missing_ok=True)


def write_zip(path: Path, files: Mapping[str, bytes], date: dt.date) -> None:
    """A zip of `files` (path in the zip -> bytes), as `ZipOut` writes it."""
    out = ZipOut(path, date)
    try:
        for name in sorted(files):
            out.add(name, files[name])
    except BaseException:
        out.discard()
        raise
    out.close()


class ZipFiles(Mapping):
    """The files of a zip (path -> bytes), each read from it when asked for."""

    def __init__(self, path: Path):
        self.archive = zipfile.ZipFile(path)
        self.names = self.archive.namelist()

    def __getitem__(self, name: str) -> bytes:
        return self.archive.read(name)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def describe(
    output: Path,
    url: str,
    kind: str,
    key: str,
    date: dt.date,
    files: int = 0,
    sha256: str | None = None,
) -> Download:
    """The `Download` record of a file written in the output folder (its SHA-256 read from
    it unless given)."""
    path = output / url
    if sha256 is None:
        with open(path, "rb") as handle:
            sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
    return Download(kind, key, url, path.stat().st_size, sha256, date, files)
