"""Make the languages' search data side by side, one share of the languages per processor core.

The languages' indexes are independent, so `side_by_side` forks worker processes that make
some languages' data while this process makes the others', and a worker sends back what it
made, pickled, through a pipe. (`site_paths.parallel` forks the same way for the editions'
pages, but its workers send back only what they logged.) The shares are balanced by the
languages' numbers of texts. A worker that fails makes the build fail, with its traceback.

Where `os.fork` does not exist, where `BUILD_PROCESSES` is 1, or for a single language, the
languages are made one after the other in this process.
"""

from __future__ import annotations

import gc
import os
import pickle
import traceback
from collections.abc import Callable
from typing import TypeVar

from site_paths.parallel import processes

Made = TypeVar("Made")


class IndexingFailed(RuntimeError):
    """A worker could not make its languages' search data."""


def shares(sizes: dict[str, int], count: int) -> list[list[str]]:
    """`count` shares of the languages, each next largest language going to the lightest."""
    made: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for lang in sorted(sizes, key=lambda lang: (-sizes[lang], lang)):
        lightest = loads.index(min(loads))
        made[lightest].append(lang)
        loads[lightest] += sizes[lang]
    return made


def side_by_side(
    settings: dict, sizes: dict[str, int], make: Callable[[str], Made]
) -> dict[str, Made]:
    """`make(lang)` for each language of `sizes` (language to number of texts)."""
    jobs = processes(settings, len(sizes))
    if jobs == 1:
        return {lang: make(lang) for lang in sizes}
    own, *others = shares(sizes, jobs)
    gc.freeze()  # the workers' collector leaves the shared texts alone (and uncopied)
    try:
        workers = [_start(share, make) for share in others]
    finally:
        gc.unfreeze()
    try:
        made = {lang: make(lang) for lang in own}
    finally:
        answers = [_finish(worker) for worker in workers]
    failures = [failure for _made, failure in answers if failure]
    if failures:
        raise IndexingFailed("\n".join(failures))
    for their, _failure in answers:
        made.update(their)
    return made


def _start(share: list[str], make: Callable[[str], Made]) -> tuple[int, int, list[str]]:
    readable, writable = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writable)
        return pid, readable, share
    # The worker: whatever happens, it reports and ends here, never returning into Pelican.
    os.close(readable)
    try:
        answer = ({lang: make(lang) for lang in share}, "")
    except BaseException:  # noqa: BLE001 - everything is reported to the parent
        answer = ({}, traceback.format_exc())
    try:
        with os.fdopen(writable, "wb") as channel:
            pickle.dump(answer, channel, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(1 if answer[1] else 0)


def _finish(worker: tuple[int, int, list[str]]) -> tuple[dict, str]:
    """Wait for a worker: what it made, and what went wrong, if anything."""
    pid, readable, share = worker
    with os.fdopen(readable, "rb") as channel:
        data = channel.read()  # all of it before waiting: a full pipe would block the worker
    _pid, status = os.waitpid(pid, 0)
    try:
        made, failure = pickle.loads(data)
    except (EOFError, pickle.UnpicklingError):
        made, failure = {}, f"the worker ended without a report (status {status})"
    if failure or os.waitstatus_to_exitcode(status) != 0:
        return {}, f"indexing {', '.join(share)} failed:\n{failure.rstrip()}"
    return made, ""
