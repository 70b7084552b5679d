"""Precompressed copies: `.gz` and `.br` beside every text file of the published site.

Servers that can send a file's compressed copy as it is (nginx `gzip_static`, Caddy's
`precompressed`…) then spend no time compressing, and readers get brotli's smaller files.
This is the last step that writes to the output (see `PLUGINS`), so every page, the
offline bundles and the service worker are compressed as they are published. On when
`PRECOMPRESS_OUTPUT` is (publishconf.py); a local build stays as it is.

Brotli at its best quality, which readers on slow links are owed, compresses well under a
megabyte of pages a second: the copies of a site of 1,000 texts (140 MB of pages, feeds and
scripts) took four minutes on one core, three quarters of its published build. So:

- the copies are kept in the cache (`precompressed/`) by the SHA-256 of the file's bytes,
  in a folder named by the compressors' settings and versions. A file whose bytes a
  published build already compressed gets its copies as hard links from there (copies
  where a link cannot be made), so a publication after a one-text change compresses only
  the pages that changed. The entries no file of the build used are then removed: the
  cache holds one site's copies;
- what is not in the cache is compressed on every core (`site_paths.parallel`).

A copy is written whole or not at all (written aside, then renamed), and nothing writes an
output copy in place: each is replaced, never edited.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path

from images import cache_folder, link_or_copy
from pelican import signals
from site_paths.parallel import side_by_side

logger = logging.getLogger(__name__)

DEFAULTS = {"PRECOMPRESS_OUTPUT": False}
TEXT_SUFFIXES = (".html", ".css", ".xml", ".ics", ".txt", ".js", ".svg", ".json")
GZIP_LEVEL = 9
BROTLI_QUALITY = 11


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def compressors() -> dict[str, Callable[[bytes], bytes]]:
    """Each copy's suffix and how it is made: byte for byte the same at every build."""
    import brotli

    return {
        ".gz": lambda data: gzip.compress(data, GZIP_LEVEL, mtime=0),
        ".br": lambda data: brotli.compress(data, quality=BROTLI_QUALITY),
    }


def made_with() -> str:
    """The cache folder's name: what else than a file's bytes its copies depend on."""
    import brotli

    gzip_made = f"gzip-{GZIP_LEVEL}-zlib-{zlib.ZLIB_RUNTIME_VERSION}"
    return f"{gzip_made}-brotli-{BROTLI_QUALITY}-{brotli.version}"


def text_files(output: Path) -> dict[str, int]:
    """Every text file of the output (its path from there) with its size."""
    found = {}
    for folder, _folders, names in os.walk(output):
        for name in names:
            if os.path.splitext(name)[1] in TEXT_SUFFIXES:
                path = os.path.join(folder, name)
                found[os.path.relpath(path, output)] = os.path.getsize(path)
    return found


def precompress(output: Path, cache: Path, settings: dict | None = None) -> tuple[int, int]:
    """`.gz` and `.br` beside every text file of `output`, from `cache` or made (and kept
    there); the files of `cache` no file used are removed. Returns how many files were
    compressed, and how many had their copies from the cache."""
    kept = cache / made_with()
    made = side_by_side(
        settings or {}, text_files(output), lambda name: copies(output / name, kept)
    )
    prune(cache, kept, {digest for digest, _compressed in made.values()})
    compressed = sum(compressed for _digest, compressed in made.values())
    return compressed, len(made) - compressed


def copies(path: Path, kept: Path) -> tuple[str, bool]:
    """Put the copies of `path` beside it; (the digest of its bytes, whether it had to be
    compressed)."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    compressed = False
    for suffix, compress in compressors().items():
        entry = kept / digest[:2] / f"{digest}{suffix}"
        target = path.with_name(path.name + suffix)
        try:
            link_or_copy(entry, target)
            continue
        except FileNotFoundError:  # not compressed yet (or removed meanwhile)
            pass
        compressed = True
        body = compress(data)
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            partial = entry.with_name(f"{entry.name}.{os.getpid()}.partial")
            partial.write_bytes(body)
            partial.replace(entry)
            link_or_copy(entry, target)
        except OSError:  # a cache that cannot be written: the copy is only in the output
            target.unlink(missing_ok=True)
            target.write_bytes(body)
    return digest, compressed


def prune(cache: Path, kept: Path, used: set[str]) -> None:
    """Leave in `cache` only the copies of the files digested `used`, in `kept`."""
    if not cache.is_dir():
        return
    wanted = {f"{digest}{suffix}" for digest in used for suffix in compressors()}
    for folder in cache.iterdir():
        if folder != kept:
            remove(folder)  # other compressors' copies
    for folder in kept.iterdir() if kept.is_dir() else ():
        for entry in folder.iterdir() if folder.is_dir() else [folder]:
            if entry.name not in wanted:
                remove(entry)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def precompress_output(pelican) -> None:
    if not pelican.settings["PRECOMPRESS_OUTPUT"]:
        return
    output = Path(pelican.output_path)
    cache = cache_folder(pelican.settings, "precompressed")
    compressed, reused = precompress(output, cache, pelican.settings)
    logger.info("Precompressed copies: %d files compressed, %d from the cache", compressed, reused)


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.finalized.connect(precompress_output)
