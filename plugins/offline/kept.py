"""What one build of the offline copies keeps for the next, so that a publication after a
small change writes only the copies that changed.

Reading every page to plan the copies and writing every zip again took most of a
publication with nothing changed (35 of its 64 s at 1,000 texts). What is kept, in
`<CACHE_PATH>/offline/copies.pickle`, is read only under the same code of this package and
of `lean` (whose patterns find the links), Python and zlib:

- each output file's SHA-256 and each page's links (the site paths they lead to), by the
  file's stamp (its path, inode, time and size): a file the build took from the previous
  one is that build's very file (a hard link, never written in place: `incremental`), so
  it is neither read nor parsed again;
- each copy's key: a digest of everything its zip is made of (the build date its entries
  carry, the copy's start page and language, its files and the SHA-256 of each, the pages
  its links lead to instead, the "not in this copy" titles, the site's editions), with the
  stamp and SHA-256 of the zip written. A copy whose key did not change, and whose zip is
  still in the previous output as it was written, is linked from there;
- for a zip made anew, the previous one's entries made from the same bytes the same way
  (the same copy, date and files, so each page is rewritten as before) are copied from it
  compressed, as they are (`downloads.ZipOut.add_copied`): after a one-text change, the
  whole site's zip rewrites and compresses the pages that changed, not every page.

The key names the bytes of every file a zip holds, and how they are rewritten is this
package's code, so a zip taken is byte for byte the one writing it would give.
"""

from __future__ import annotations

import functools
import hashlib
import os
import platform
import zlib
from pathlib import Path
from typing import NamedTuple

from images import cache_folder, link_or_copy
from site_paths.kept import files_digest, keep_made, read_made
from site_paths.written import Stamp, stamp_of

KEPT = "copies.pickle"
PLUGINS = Path(__file__).resolve().parents[1]


@functools.cache
def made_by() -> str:
    """What kept findings depend on besides the files' bytes."""
    code = files_digest(PLUGINS / "offline", PLUGINS / "lean")
    return hashlib.sha256(
        repr((code, platform.python_version(), zlib.ZLIB_RUNTIME_VERSION)).encode()
    ).hexdigest()


class Copy(NamedTuple):
    """What a build kept of one zip it wrote or took."""

    key: str  # `bundles.CopyKey`'s
    stamp: Stamp  # of the zip
    sha256: str  # of the zip
    context: str  # `bundles.CopyKey`'s
    members: dict[str, bytes]  # `bundles.CopyKey`'s


class Kept:
    """The previous build's findings, and this build's, kept when the copies are written."""

    def __init__(self, settings: dict):
        self.path = cache_folder(settings, "offline") / KEPT
        found = read_made(self.path, made_by())
        if not (isinstance(found, tuple) and len(found) == 3):
            found = ({}, {}, {})
        self.digests_before: dict[Stamp, bytes] = found[0]
        self.targets_before: dict[Stamp, tuple[str, ...]] = found[1]
        self.copies_before: dict[str, Copy] = found[2]
        self.digests: dict[Stamp, bytes] = {}
        self.targets: dict[Stamp, tuple[str, ...]] = {}
        self.copies: dict[str, Copy] = {}

    def digest(self, stamp: Stamp, path: Path) -> bytes:
        found = self.digests_before.get(stamp)
        if found is None:
            with open(path, "rb") as handle:
                found = hashlib.file_digest(handle, "sha256").digest()
        self.digests[stamp] = found
        return found

    def _previous(self, file: str, previous: Path) -> Copy | None:
        """What the previous build kept of the zip of `file`, if `previous` still holds the
        very zip it wrote."""
        kept = self.copies_before.get(file)
        try:
            if kept is None or stamp_of(file, os.stat(previous / file)) != kept.stamp:
                return None
        except FileNotFoundError:
            return None
        return kept

    def take(self, file: str, key: str, previous: Path, place: Path) -> bool:
        """Link the previous build's zip of `file` at `place` when it was made with `key`
        and is still the file it wrote; False when it cannot be."""
        kept = self._previous(file, previous)
        if kept is None or kept.key != key:
            return False
        place.parent.mkdir(parents=True, exist_ok=True)
        try:
            link_or_copy(previous / file, place)
        except FileNotFoundError:
            return False
        return True

    def entries(self, file: str, keyed, previous: Path) -> tuple[Path, set[str]] | None:
        """For a copy whose zip is made anew: the previous build's zip of `file` and the
        entries of it made from the same bytes the same way (`keyed`, a `CopyKey`), whose
        compressed bytes can be copied as they are; None when there are none."""
        kept = self._previous(file, previous)
        if kept is None or kept.context != keyed.context:
            return None
        same = {name for name, digest in keyed.members.items() if kept.members.get(name) == digest}
        return (previous / file, same) if same else None

    def sha256(self, file: str, keyed, output: Path) -> str:
        """The SHA-256 of the zip of `file` in `output`, kept with its key and stamp; read
        only when it is not the one kept."""
        stamp = stamp_of(file, os.stat(output / file))
        kept = self.copies_before.get(file)
        if kept is not None and (kept.key, kept.stamp) == (keyed.key, stamp):
            found = kept.sha256
        else:
            with open(output / file, "rb") as handle:
                found = hashlib.file_digest(handle, "sha256").hexdigest()
        self.copies[file] = Copy(keyed.key, stamp, found, keyed.context, keyed.members)
        return found

    def save(self) -> None:
        found = (self.digests, self.targets, self.copies)
        if found != (self.digests_before, self.targets_before, self.copies_before):
            keep_made(self.path, made_by(), found)
