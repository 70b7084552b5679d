"""Save Pelican's content cache in a second process while the build goes on.

Pelican pickles a generator's whole readers' cache once the generator has read its files,
even when no file was read anew, and the build waits for it (2 s at 30,000 texts). What
the cache holds (what the reader made of each file) is never changed afterwards, so: a
cache nothing was added to is not written again, and a changed one is written by a forked
process (to a temporary file renamed over the cache, so no build ever loads half of it)
while this one builds on. The build waits for it as it ends, and says if it failed, as
Pelican does.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle

from site_paths.parallel import frozen, processes

logger = logging.getLogger(__name__)

# The processes saving a cache, and the cache each one saves.
_saving: list[tuple[int, str]] = []


def save_behind(readers) -> None:
    """Make `readers` (Pelican's `Readers`) save its cache only when it changed, and in the
    background."""
    if not readers._cache_data_policy:
        return
    added = False
    cache_data = readers.cache_data

    def noted(filename, data) -> None:
        nonlocal added
        added = True
        cache_data(filename, data)

    def save() -> None:
        nonlocal added
        if added:
            added = False
            _save(readers)

    readers.cache_data = noted
    readers.save_cache = save


def _save(readers) -> None:
    path = readers._cache_path
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    # No waiting for other savings here: the articles' cache is still being saved when the
    # pages' is. Two savings of one cache (a failed build's still under way) each write
    # their own temporary file, and entries are checked against the files' stamps when
    # read, so whichever is renamed last leaves a sound cache.
    if processes(readers.settings, 2) == 1:
        if not _write(readers, path):
            logger.warning("Could not save the content cache %s", path)
        return
    with frozen():
        pid = os.fork()
    if pid == 0:  # the saving process: it ends here, whatever happens
        saved = False
        try:
            gc.disable()
            saved = _write(readers, path)
        finally:
            os._exit(0 if saved else 1)
    _saving.append((pid, path))


def _write(readers, path: str) -> bool:
    temporary = f"{path}.{os.getpid()}.partial"
    try:
        with readers._cache_open(temporary, "wb") as handle:
            pickle.dump(readers._cache, handle, pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError, TypeError):
        if os.path.exists(temporary):
            os.unlink(temporary)
        return False
    return True


def wait_for_saving(_pelican=None) -> None:
    """Wait until every cache this process is saving is saved (a failed build's savings,
    which nothing waited for, are waited for by the next build that ends)."""
    while _saving:
        pid, path = _saving.pop()
        _pid, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            logger.warning("Could not save the content cache %s", path)
