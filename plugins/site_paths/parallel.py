"""Do independent shares of a build's work side by side, one share per processor core.

Once every text is read, each language's edition of the listings and feeds is independent
of the others, and so is each content language's search data. `side_by_side` forks worker
processes that do some of the work while this process does the rest. A worker shares the
texts read by this process (fork copies nothing until it is written to), writes its files
into the same output folder, and sends back, pickled through a pipe, what it made and what
it logged, which is logged again here: the build's warning count and its error report see
a worker's messages as their own. A worker that fails makes the build fail, with its
traceback.

`Ahead` starts one piece of work in a worker now and takes what it made later, so that the
work is done while this process goes on with another (the search data while the pages are
written).

Where `os.fork` does not exist, or `BUILD_PROCESSES` is 1, the work is done one share after
the other in this process (the work `Ahead` started, when its result is asked for).
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from . import collector

logger = logging.getLogger(__name__)

Made = TypeVar("Made")

# What a worker writing pages sends back besides them and its log, by name: (what the worker
# does when it starts, what it has to send when it ends, what this process does with it),
# e.g. the keys of the pages it wrote (`incremental`).
CARRIED: dict[str, tuple[Callable[[], None], Callable[[], object], Callable[[object], None]]] = {}


class WorkerFailed(RuntimeError):
    """A worker could not do its share; `task` names it, e.g. `indexing {}`."""

    task = "{}"


class EditionFailed(WorkerFailed):
    """A worker could not write its editions."""

    task = "writing the {} edition(s)"


class TextsFailed(WorkerFailed):
    """A worker could not write its share of the texts' pages."""

    task = "writing the texts' pages (share {})"


class _Keep(logging.Handler):
    """A worker's only log handler: keeps (logger name, level, message) to send back."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.kept: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.kept.append((record.name, record.levelno, record.getMessage()))


def processes(settings: dict, shares: int) -> int:
    wanted = settings.get("BUILD_PROCESSES") or os.cpu_count() or 1
    return max(1, min(int(wanted), shares)) if hasattr(os, "fork") else 1


def shares(sizes: dict[str, int], count: int) -> list[list[str]]:
    """`count` shares of the keys of `sizes`, each next largest (or next, for equal sizes)
    going to the lightest."""
    made: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for key in sorted(sizes, key=lambda key: -sizes[key]):
        lightest = loads.index(min(loads))
        made[lightest].append(key)
        loads[lightest] += sizes[key]
    return made


def side_by_side(
    settings: dict,
    sizes: dict[str, int],
    work: Callable[[str], Made],
    failed: type[WorkerFailed] = WorkerFailed,
    carry: bool = False,
) -> dict[str, Made]:
    """`work(key)` for each key of `sizes` (key -> how much work it is), shared among worker
    processes; what it returned, by key. With `carry`, the workers send back `CARRIED` too."""
    jobs = processes(settings, len(sizes))
    if jobs == 1:
        return {key: work(key) for key in sizes}
    own, *others = shares(sizes, jobs)
    with frozen():
        workers = [_start(share, work, carry) for share in others]
    try:
        made = {key: work(key) for key in own}
    finally:
        answers = [_finish(worker, failed) for worker in workers]
    failures = [failure for _made, failure in answers if failure]
    if failures:
        raise failed("; ".join(failures))
    for their, _failure in answers:
        made.update(their)
    return made


@contextmanager
def frozen() -> Iterator[None]:
    """Around forking: the objects made so far frozen, so that the collector of neither
    process walks (and so copies) the memory they share; in a build, everything is unfrozen
    as it ends."""
    gc.freeze()
    try:
        yield
    finally:
        if not collector.building():
            gc.unfreeze()


class Ahead(Generic[Made]):
    """`work()` started now in a worker process (`name` says what it is, for its failure),
    what it made taken by `result()`; `cancel()` ends it unused (a build that failed)."""

    def __init__(self, settings: dict, name: str, work: Callable[[], Made], failed=WorkerFailed):
        self._work, self._failed = work, failed
        self._worker = None
        if processes(settings, 2) > 1:
            with frozen():
                self._worker = _start([name], lambda _name: work(), carry=False)

    def result(self) -> Made:
        worker, self._worker = self._worker, None
        if worker is None:
            return self._work()
        made, failure = _finish(worker, self._failed)
        if failure:
            raise self._failed(failure)
        return made[worker[2][0]]

    def cancel(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            pid, readable, _name = worker
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(readable)


def for_each_edition(settings: dict, languages: list[str], write: Callable[[str], None]) -> None:
    """Call `write(lang)` for each language, the languages shared among worker processes."""
    side_by_side(settings, dict.fromkeys(languages, 1), write, EditionFailed, carry=True)


def _start(share: list[str], work: Callable, carry: bool) -> tuple[int, int, list[str]]:
    readable, writable = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writable)
        return pid, readable, share
    # The worker: whatever happens, it reports and ends here, never returning into Pelican,
    # and nothing of it reaches the terminal.
    os.close(readable)
    keep = _Keep()
    for each in [logging.root, *logging.root.manager.loggerDict.values()]:
        if isinstance(each, logging.Logger):
            each.handlers = []
    logging.root.handlers = [keep]
    made, failure = {}, ""
    try:
        if carry:
            for start, _collect, _take in CARRIED.values():
                start()
        made = {key: work(key) for key in share}
    except BaseException:  # noqa: BLE001 - everything is reported to the parent
        failure = traceback.format_exc()
    carried = (
        {name: collect() for name, (_start, collect, _take) in CARRIED.items()} if carry else {}
    )
    try:
        with os.fdopen(writable, "wb") as channel:
            pickle.dump((made, keep.kept, failure, carried), channel, pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(1 if failure else 0)


def _finish(worker: tuple[int, int, list[str]], failed: type[WorkerFailed]) -> tuple[dict, str]:
    """Wait for a worker and log what it logged: what it made, and what went wrong."""
    pid, readable, share = worker
    with os.fdopen(readable, "rb") as channel:
        data = channel.read()  # all of it before waiting: a full pipe would block the worker
    _pid, status = os.waitpid(pid, 0)
    try:
        with collector.paused():  # what a worker made: often millions of objects
            made, kept, failure, carried = pickle.loads(data)
    except (EOFError, pickle.UnpicklingError):
        made, kept, carried = {}, [], {}
        failure = f"the worker ended without a report (status {status})"
    for name, value in carried.items():
        CARRIED[name][2](value)
    for name, level, message in kept:
        logging.getLogger(name).log(level, "%s", message)
    if failure or os.waitstatus_to_exitcode(status) != 0:
        task = failed.task.format(", ".join(share))
        logger.error("%s failed:\n%s", task[0].upper() + task[1:], failure.rstrip())
        reason = failure.strip().splitlines()[-1] if failure.strip() else "no report"
        return {}, f"{task} failed: {reason}"
    return made, ""
