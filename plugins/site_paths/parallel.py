"""Write the languages' editions side by side, one share per processor core.

Each language's edition of the listings and feeds is independent of the others once every
text is read, so `for_each_edition` forks worker processes that write some editions while
this process writes the rest. A worker shares the texts read by this process (fork copies
nothing until it is written to), writes its files into the same output folder, and sends
back what it logged, which is logged again here: the build's warning count and its error
report see a worker's messages as their own. A worker that fails makes the build fail.

Where `os.fork` does not exist, or `BUILD_PROCESSES` is 1, the editions are written one
after the other.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import traceback
from collections.abc import Callable

logger = logging.getLogger(__name__)

# What a worker sends back besides its log, by name: (what the worker has to send, what this
# process does with it), e.g. the keys of the pages a worker wrote (`incremental`).
CARRIED: dict[str, tuple[Callable[[], object], Callable[[object], None]]] = {}


class EditionFailed(RuntimeError):
    """A worker could not write its editions."""


class _Keep(logging.Handler):
    """A worker's only log handler: keeps (logger name, level, message) to send back."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.kept: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.kept.append((record.name, record.levelno, record.getMessage()))


def processes(settings: dict, editions: int) -> int:
    wanted = settings.get("BUILD_PROCESSES") or os.cpu_count() or 1
    return max(1, min(int(wanted), editions)) if hasattr(os, "fork") else 1


def for_each_edition(settings: dict, languages: list[str], write: Callable[[str], None]) -> None:
    """Call `write(lang)` for each language, the languages shared among worker processes."""
    jobs = processes(settings, len(languages))
    if jobs == 1:
        for lang in languages:
            write(lang)
        return
    shares = [languages[i::jobs] for i in range(jobs)]
    gc.freeze()  # the workers' collector leaves the shared texts alone (and uncopied)
    try:
        workers = [_start(share, write) for share in shares[1:]]
    finally:
        gc.unfreeze()
    try:
        for lang in shares[0]:
            write(lang)
    finally:
        failures = [failure for failure in map(_finish, workers) if failure]
    if failures:
        raise EditionFailed("; ".join(failures))


def _start(share: list[str], write: Callable[[str], None]) -> tuple[int, int, list[str]]:
    readable, writable = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writable)
        return pid, readable, share
    # The worker: nothing of it may reach the terminal or return into Pelican.
    os.close(readable)
    keep = _Keep()
    for each in [logging.root, *logging.root.manager.loggerDict.values()]:
        if isinstance(each, logging.Logger):
            each.handlers = []
    logging.root.handlers = [keep]
    failure = ""
    try:
        for lang in share:
            write(lang)
    except BaseException:  # noqa: BLE001 - everything is reported to the parent
        failure = traceback.format_exc()
    carried = {name: collect() for name, (collect, _take) in CARRIED.items()}
    with os.fdopen(writable, "wb") as channel:
        pickle.dump((keep.kept, failure, carried), channel)
    os._exit(1 if failure else 0)


def _finish(worker: tuple[int, int, list[str]]) -> str:
    """Wait for a worker, log what it logged; return what went wrong, if anything."""
    pid, readable, share = worker
    with os.fdopen(readable, "rb") as channel:
        data = channel.read()
    _pid, status = os.waitpid(pid, 0)
    try:
        kept, failure, carried = pickle.loads(data)
    except (EOFError, pickle.UnpicklingError):
        kept, failure, carried = [], f"the worker ended without a report (status {status})", {}
    for name, value in carried.items():
        CARRIED[name][1](value)
    for name, level, message in kept:
        logging.getLogger(name).log(level, "%s", message)
    if failure or os.waitstatus_to_exitcode(status) != 0:
        languages = ", ".join(share)
        logger.error("Writing the %s edition(s) failed:\n%s", languages, failure.rstrip())
        reason = failure.strip().splitlines()[-1] if failure.strip() else "no report"
        return f"writing the {languages} edition(s) failed: {reason}"
    return ""
