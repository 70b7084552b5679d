"""What a build learns of each page as it writes it, so that nothing has to read it back.

Once every file is written, the weight check (`lean`) reads each page to weigh and scan it,
and the service worker (`service_worker`) digests each file for its version. At 30,000
texts that is some 200,000 pages opened and read twice more, when the writer had each
page's bytes in hand. A plugin registers a hook in `HOOKS`; the writer (`incremental`'s)
calls each hook with every page it writes: the output folder, the page's path and bytes,
and the page's stamp as written, `(relative path, inode, time, size)`, the same stamp that
names a file those plugins already know from an earlier build. What a hook keeps is the
plugin's own, and goes back from the worker processes with `parallel.CARRIED` (`listen`).

A file changed after it is written (minified, say) has another stamp, and is read as before.
"""

from __future__ import annotations

import os
from collections.abc import Callable

Stamp = tuple[str, int, int, int]
# name -> hook(output folder, path, bytes, stamp)
HOOKS: dict[str, Callable[[str, str, bytes, Stamp], None]] = {}


def stamp_of(relative: str, state: os.stat_result) -> Stamp:
    return (relative, state.st_ino, state.st_mtime_ns, state.st_size)


def listen(name: str, hook: Callable[[str, str, bytes, Stamp], None], kept: dict):
    """Hear of the pages written, with `hook`, whose findings go into `kept` (sent back from
    the worker processes too). Returns the handler of Pelican's `initialized` that starts
    each build with `kept` empty and the hook on, unless `MINIFY_OUTPUT` rewrites every
    page afterwards (those are read then)."""
    from site_paths.parallel import CARRIED

    CARRIED[name] = (kept.clear, lambda: kept, kept.update)

    def start(pelican) -> None:
        kept.clear()
        if pelican.settings.get("MINIFY_OUTPUT"):
            HOOKS.pop(name, None)
        else:
            HOOKS[name] = hook

    return start


def written(output: str, path: str, data: bytes) -> None:
    """Tell every hook of the page `path` (inside `output`), just written with `data`."""
    if not HOOKS:
        return
    output = output.rstrip(os.sep)
    if not path.startswith(output + os.sep):
        return
    relative = path[len(output) + 1 :].replace(os.sep, "/")
    stamp = stamp_of(relative, os.stat(path))
    for hook in HOOKS.values():
        hook(output, path, data, stamp)


class Noted:
    """A file being written that tells the hooks of its bytes once it is closed whole."""

    def __init__(self, handle, output: str):
        self.handle = handle
        self.output = output
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return self.handle.write(text)

    def __enter__(self):
        return self

    def __exit__(self, kind, *_rest) -> None:
        self.handle.close()
        if kind is None:
            written(self.output, self.handle.name, "".join(self.parts).encode("utf-8"))
