"""Work started ahead in a worker process (`site_paths.parallel.Ahead`): what it made comes
back whole, its failure stops the build with its reason, a build that failed ends it, and
without workers it is done when asked for."""

from __future__ import annotations

import os

import pytest
from site_paths.parallel import Ahead, WorkerFailed


class Failed(WorkerFailed):
    task = "making {}"


def test_what_the_worker_made_comes_back_whole():
    parent = os.getpid()
    ahead = Ahead({"BUILD_PROCESSES": 2}, "the numbers", lambda: (os.getpid(), list(range(10**5))))
    made_by, numbers = ahead.result()
    assert made_by != parent
    assert numbers == list(range(10**5))


def test_a_failure_in_the_worker_is_raised_with_its_reason():
    def broken():
        raise ValueError("a broken index")

    ahead = Ahead({"BUILD_PROCESSES": 2}, "the search data", broken, Failed)
    with pytest.raises(Failed) as failed:
        ahead.result()
    assert str(failed.value) == "making the search data failed: ValueError: a broken index"


def test_a_cancelled_worker_is_ended():
    said, say = os.pipe()
    never, _kept_open = os.pipe()

    def wait_forever():
        os.write(say, str(os.getpid()).encode())
        os.read(never, 1)  # nothing is ever written there

    ahead = Ahead({"BUILD_PROCESSES": 2}, "nothing", wait_forever)
    pid = int(os.read(said, 32))
    os.kill(pid, 0)  # still there
    ahead.cancel()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone, and waited for (not left a zombie)
    for end in (said, say, never, _kept_open):
        os.close(end)


def test_with_one_process_the_work_is_done_when_asked_for():
    done = []
    ahead = Ahead({"BUILD_PROCESSES": 1}, "it", lambda: done.append(os.getpid()) or "made")
    assert done == []
    assert ahead.result() == "made"
    assert done == [os.getpid()]
