"""Precompressed copies: `.gz` and `.br` beside every text file of the published site.

Servers that can send a file's compressed copy as it is (nginx `gzip_static`, Caddy's
`precompressed`…) then spend no time compressing, and readers get brotli's smaller files.
This is the last step that writes to the output (see `PLUGINS`), so every page, the
offline bundles and the service worker are compressed as they are published. On when
`PRECOMPRESS_OUTPUT` is (publishconf.py); a local build stays as it is.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from pelican import signals

DEFAULTS = {"PRECOMPRESS_OUTPUT": False}
TEXT_SUFFIXES = (".html", ".css", ".xml", ".ics", ".txt", ".js", ".svg", ".json")


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def precompress(output: Path) -> None:
    """`.gz` and `.br` beside every text file, byte for byte the same at every build."""
    import brotli

    for path in sorted(output.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            data = path.read_bytes()
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, 9, mtime=0))
            path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=11))


def precompress_output(pelican) -> None:
    if pelican.settings["PRECOMPRESS_OUTPUT"]:
        precompress(Path(pelican.output_path))


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.finalized.connect(precompress_output)
